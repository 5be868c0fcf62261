"""Writing an assessment's reports to files: one entry point for every format.

:func:`write_report` picks the view by ``format`` (or by the file's suffix) and writes
the file atomically (:func:`sqfw._files.atomic_write`): a report is whole or not there.

==========  ==========================  ==================================================
format      suffix                      what
==========  ==========================  ==================================================
html        ``.html``, ``.htm``         the standalone page (:mod:`~sqfw.reports._html`)
xlsx        ``.xlsx``                   the workbook (:mod:`~sqfw.reports._xlsx`)
json        ``.json``                   the JSON report (findings streamed)
ndjson      ``.ndjson``, ``.jsonl``     one finding per line (:mod:`~sqfw.reports._columnar`)
parquet     ``.parquet``                findings, indicators and targets as Parquet files
markdown    ``.md``                     the Markdown report
table       ``.txt``                    the terminal report
==========  ==========================  ==================================================

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqfw._args import expect, path_argument
from sqfw._files import atomic_write
from sqfw._terminal import terminal_progress
from sqfw.errors import InvalidArgumentError
from sqfw.labels import check_lang

if TYPE_CHECKING:
    from sqfw.analysis import Assessment

__all__ = ["FORMATS", "Format", "format_of", "write_report"]

Format = Literal["html", "xlsx", "json", "ndjson", "parquet", "markdown", "table"]
FORMATS: tuple[str, ...] = ("html", "xlsx", "json", "ndjson", "parquet", "markdown", "table")

_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".xlsx": "xlsx",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".parquet": "parquet",
    ".md": "markdown",
    ".txt": "table",
}

Progress = Callable[[str, int, int], None]
"""Called with (stage, done, total) while a big report is written."""


def format_of(path: str | os.PathLike[str]) -> str:
    """The format a file's suffix stands for.

    Raises:
        InvalidArgumentError: a suffix no format has.
    """
    path = path_argument("path", path)
    suffix = Path(path).suffix.lower()
    found = _SUFFIXES.get(suffix)
    if found is None:
        raise InvalidArgumentError(
            "path",
            Path(path).name,
            "a suffix of " + ", ".join(sorted(_SUFFIXES)) + " (or give format=)",
        )
    return found


def write_report(
    a: Assessment,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    lang: Literal["zh", "en"] = "zh",
    top: int = 20,
    findings: Literal["all", "failing", "none"] = "all",
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[Path]:
    """Write a report of the assessment to ``path``.

    Args:
        a: the assessment.
        path: the file; for ``parquet``, the findings' file, beside which
            ``<stem>.targets.parquet`` and ``<stem>.indicators.parquet`` are written.
        format: one of :data:`FORMATS` (default: from the suffix).
        lang: ``"zh"`` or ``"en"`` labels and headers.
        top: banners/counties listed per gap ranking (at least 1).
        findings: which per-community findings the JSON, NDJSON, Parquet and workbook hold.
        progress: called with (stage, done, total) while findings are written (default:
            a bar on standard error when it is a terminal and writing takes a second).
        workers: processes writing the findings of the JSON and NDJSON formats (default:
            one up to 200,000 findings, then one per CPU, at most four; ``1``: this
            process only). The file is the same whatever their number.

    Returns:
        The files written.

    Raises:
        InvalidArgumentError: an unknown format or ``lang``, ``top`` below 1, an unknown
            ``findings``.
        ImportError: a format whose optional dependency is missing (it names the extra).
        OSError: the file cannot be written (nothing is left behind).

    Example:
        >>> from sqfw.analysis import assess, sample_region
        >>> from sqfw.reports import write_report
        >>> a = assess(sample_region(seed=1))
        >>> [p.name for p in write_report(a, "report.html")]  # doctest: +SKIP
        ['report.html']
    """
    from sqfw.analysis import Assessment
    from sqfw.reports._lines import check_findings
    from sqfw.reports._text import check_top

    expect("a", a, Assessment)
    path_argument("path", path)
    chosen = format or format_of(path)
    if chosen not in FORMATS:
        raise InvalidArgumentError("format", chosen, "one of " + ", ".join(FORMATS))
    check_lang(lang)
    check_findings(findings)
    check_top(top)
    target = Path(path)
    if progress is None:  # a bar on a terminal, once writing takes a second
        progress = terminal_progress()
    if chosen == "html":
        from sqfw.reports._html import write_html

        write_html(a, target, lang=lang, top=top)
        return [target]
    if chosen == "xlsx":
        from sqfw.reports._xlsx import write_workbook

        write_workbook(a, target, lang=lang, findings=findings, progress=progress)
        return [target]
    if chosen == "json":
        from sqfw.reports._json import write_assessment_json

        with atomic_write(target, "w", encoding="utf-8") as stream:
            write_assessment_json(
                a,
                stream,
                findings=findings,
                indent=2,
                progress=progress,
                workers=workers,
                verbatim=True,  # sqfw's own UTF-8 file: shares are copied as bytes
            )
        return [target]
    if chosen == "ndjson":
        from sqfw.reports._columnar import write_ndjson

        write_ndjson(a, target, findings=findings, progress=progress, workers=workers)
        return [target]
    if chosen == "parquet":
        from sqfw.reports._columnar import write_parquet

        return write_parquet(a, target, findings=findings, progress=progress)
    from sqfw.reports._text import report

    text = report(a, lang=lang, markdown=chosen == "markdown", top=top)
    with atomic_write(target, "w", encoding="utf-8") as stream:
        stream.write(text)
    return [target]
