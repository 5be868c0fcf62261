"""The assessment's report as text, Markdown, an HTML fragment, a dict and JSON.

Each function reads an :class:`~sqfw.analysis.Assessment` and shows what it decided; none
decides a figure. They were the ``to_*`` methods of the assessment: the result no longer
knows its views (see :mod:`sqfw.reports`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Literal, TextIO

from sqfw.reports._check import assessment as check_assessment
from sqfw.reports._json import assessment_dict, assessment_json, write_json_to
from sqfw.reports._text import html_report, report

if TYPE_CHECKING:
    from sqfw.analysis import Assessment

__all__ = ["html", "markdown", "text", "to_dict", "to_json", "write_json"]

Findings = Literal["all", "failing", "none"]


def text(
    a: Assessment,
    *,
    lang: Literal["zh", "en"] = "zh",
    format: Literal["table", "markdown"] = "table",
    top: int = 10,
    width: int | None = None,
) -> str:
    """The report: targets, norms, indicators by league, the largest gaps by banner.

    Args:
        a: the assessment.
        lang: ``"zh"`` or ``"en"``.
        format: a terminal table or Markdown.
        top: how many places to list per gap (at least 1).
        width: the terminal's width in cells (default: the terminal's, or 100); the table
            format fits every line into it.

    Returns:
        The report, ending with a newline.
    """
    check_assessment(a)
    return report(a, lang=lang, markdown=format == "markdown", top=top, width=width)


def markdown(a: Assessment, *, lang: Literal["zh", "en"] = "zh", top: int = 10) -> str:
    """The report as Markdown (:func:`text` with ``format="markdown"``)."""
    check_assessment(a)
    return text(a, lang=lang, format="markdown", top=top)


def html(a: Assessment, *, lang: Literal["zh", "en"] = "zh", top: int = 10) -> str:
    """The report as an HTML fragment of headed tables (for notebooks; no scripts).

    :func:`sqfw.reports.write_report` writes the standalone page.
    """
    check_assessment(a)
    return html_report(a, lang=lang, top=top)


def to_dict(a: Assessment, *, findings: Findings = "all") -> dict[str, Any]:
    """Everything as plain JSON-ready data (see ``docs/analysis.md`` for the shape).

    Args:
        a: the assessment.
        findings: every per-community finding, only those not passing (fail or unknown),
            or none.
    """
    check_assessment(a)
    return assessment_dict(a, findings=findings)


def to_json(a: Assessment, *, findings: Findings = "all", indent: int | None = 2) -> str:
    """:func:`to_dict` as JSON text (UTF-8, Chinese kept as is)."""
    check_assessment(a)
    return assessment_json(a, findings=findings, indent=indent)


def write_json(
    a: Assessment,
    target: str | os.PathLike[str] | TextIO,
    *,
    findings: Findings = "all",
    indent: int | None = 2,
) -> None:
    """Write :func:`to_json`'s object to a file or stream without holding it in memory.

    The findings are written one per line as they are built, so a national assessment
    (millions of findings) is written in little memory. ``json.load`` of the output gives
    the same data as ``json.loads(to_json(a))``.

    Args:
        a: the assessment.
        target: a path (written as UTF-8, atomically) or an open text stream.
        findings: as for :func:`to_dict`.
        indent: indentation of everything but the findings (``None``: compact).
    """
    check_assessment(a)
    write_json_to(a, target, findings=findings, indent=indent)
