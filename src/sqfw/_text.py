"""The one rule for text that names something: text that is only text.

A name, an identifier or an actor must look like what it is. Two communities whose names
differ only by a zero-width space, an actor that reverses the text after it with a bidi
override, or a NUL that one database keeps and another refuses are all refused here,
wherever text enters sqfw: the entities, the table loaders, the workflows and the store.

:func:`unsafe_character` finds the first character the rule refuses; :func:`clean_text`
returns the text in Unicode normal form NFC (so that the same name typed on two systems is
the same text) or raises :class:`~sqfw.errors.UnsafeTextError` naming the field, the
position and the code point, never the text itself (it may be personal).

Refused: every control character (Unicode category ``Cc``: NUL, escape, DEL …; in
multi-line free text, the line break, carriage return and tab are allowed), every format
character (category ``Cf``: the zero-width characters U+200B–U+200D, the marks U+200E and
U+200F, the bidi embeddings and overrides U+202A–U+202E, the isolates U+2066–U+2069, the
byte order mark U+FEFF, the soft hyphen …), the line and paragraph separators
(U+2028, U+2029), lone surrogates and private-use characters.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import unicodedata
from typing import Final, NamedTuple

from sqfw.errors import StandardsError, UnsafeTextError

__all__ = ["UnsafeCharacter", "clean_column", "clean_text", "require_text", "unsafe_character"]

#: Characters a multi-line free text (a description, a note) may hold besides text.
LINE_BREAKS: Final = frozenset("\n\r\t")
_REFUSED_CATEGORIES: Final = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
_KINDS: Final = {
    "Cc": ("控制字符", "a control character"),
    "Cf": (
        "格式字符（双向控制、零宽字符或字节序标记）",
        "a format character (bidi, zero-width or BOM)",
    ),
    "Cs": ("孤立代理项", "a lone surrogate"),
    "Co": ("私用区字符", "a private-use character"),
    "Zl": ("行分隔符", "a line separator"),
    "Zp": ("段分隔符", "a paragraph separator"),
}


class UnsafeCharacter(NamedTuple):
    """A character the text rule refuses, and where it is.

    Attributes:
        position: its position in the text, counted from 1.
        code_point: ``"U+202E"``.
        name: its Unicode name (``"RIGHT-TO-LEFT OVERRIDE"``); ``"<control>"`` for a
            control character or another character without a name.
        kind_zh: what it is, in Chinese.
        kind_en: what it is, in English.
    """

    position: int
    code_point: str
    name: str
    kind_zh: str
    kind_en: str

    def describe(self) -> str:
        """``"character 3 is U+202E RIGHT-TO-LEFT OVERRIDE, a format character …"``."""
        return f"character {self.position} is {self.code_point} {self.name}, {self.kind_en}"


def unsafe_character(text: str, *, multiline: bool = False) -> UnsafeCharacter | None:
    """The first character of ``text`` the rule refuses, or ``None`` if there is none.

    Args:
        text: the text to check (as given, before normalisation).
        multiline: the text is free multi-line text: line breaks and tabs are allowed.

    Returns:
        The first refused character with its position, or ``None``.

    .. versionadded:: 0.1.0
    """
    if text.isascii() and text.isprintable():  # the common case: nothing to refuse
        return None
    for index, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if category in _REFUSED_CATEGORIES and not (multiline and char in LINE_BREAKS):
            zh, en = _KINDS[category]
            name = unicodedata.name(char, "") or "<control>"
            return UnsafeCharacter(index, f"U+{ord(char):04X}", name, zh, en)
    return None


def clean_text(text: str, *, field: str, multiline: bool = False, where: str = "text") -> str:
    """``text`` in normal form NFC, or refused if it holds a character the rule refuses.

    Args:
        text: the text.
        field: the field it was given for, named by the error.
        multiline: the text is free multi-line text: line breaks and tabs are allowed.
        where: what holds the field (an entity's class name, ``"store"`` …).

    Returns:
        The text, NFC-normalised.

    Raises:
        UnsafeTextError: names the field, the position and the code point (never the text).

    .. versionadded:: 0.1.0
    """
    found = unsafe_character(text, multiline=multiline)
    if found is not None:
        raise UnsafeTextError(where, field, found.position, found.code_point, found.name)
    return unicodedata.normalize("NFC", text)


def clean_column(
    values: list[str], *, multiline: bool = False
) -> tuple[list[str], list[tuple[int, str]]]:
    """A column of texts under the same rule: each NFC, and each refused cell's problem.

    For the table loaders: one pass, the text of every refused cell left as it came (the
    caller drops the row); a column of plain text costs one check per distinct cell.

    Args:
        values: the cells' texts.
        multiline: the column is free multi-line text.

    Returns:
        The texts (NFC) and the (row index, message) of each refused cell; the message
        names the position and the code point, never the text.

    .. versionadded:: 0.1.0
    """
    problems: list[tuple[int, str]] = []
    out: list[str] | None = None
    found_by_text: dict[str, UnsafeCharacter | None] = {}
    for index, value in enumerate(values):
        if value.isascii() and value.isprintable():
            continue
        if value not in found_by_text:
            found_by_text[value] = unsafe_character(value, multiline=multiline)
        found = found_by_text[value]
        if found is not None:
            problems.append(
                (
                    index,
                    f"expected text without control, bidi, zero-width or other format "
                    f"characters, got {found.describe()}",
                )
            )
        elif not unicodedata.is_normalized("NFC", value):
            if out is None:
                out = list(values)
            out[index] = unicodedata.normalize("NFC", value)
    return (values if out is None else out), problems


def require_text(raw: object, *, source: str, where: str) -> str:
    """``raw`` itself when it is text with something besides blanks in it (a data file's
    text: plans, targets, local parameters).

    Raises:
        StandardsError: not text, or blank.
    """
    if not isinstance(raw, str) or not raw.strip():
        raise StandardsError(source, where, f"expected non-blank text, got {raw!r}")
    return raw
