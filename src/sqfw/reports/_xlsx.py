"""The assessment as an Excel workbook (``sqfw assess --format xlsx``; the ``reports`` extra).

Sheets: targets at every place, indicators by league/city and by banner/county, gaps
ranked, the failing findings (fail or unknown), the parameters in force, the rows
skipped, and an "about" sheet (region, date, standards, overrides, columns not used).
Headers are Chinese or English; each sheet has a frozen header row, a filter, column
widths from its contents and number formats (m², %, people, counts) on real numbers, so
``pandas.read_excel`` gives the figures back; attainment is coloured.

Written with XlsxWriter: it writes rows as they come (``constant_memory``: a sheet of a
million findings is not held in memory), and number formats, freeze panes, filters and
cell colours are first-class in it; openpyxl (used to *read* tables) is slower to write
styled cells. Figures come from the assessment through :mod:`sqfw.reports._tables`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from sqfw._cells import spreadsheet_text
from sqfw._files import atomic_write
from sqfw._terminal import width
from sqfw.entities import DivisionLevel
from sqfw.reports import _tables as rp
from sqfw.reports._check import assessment as check_assessment
from sqfw.reports._lines import FAILING, findings_count
from sqfw.reports._text import summary
from sqfw.standards import Unit

if TYPE_CHECKING:
    from sqfw.analysis import Assessment

__all__ = ["SHEETS", "write_workbook"]

SHEETS = {
    "targets": ("目标", "targets"),
    "leagues": ("盟市指标", "leagues"),
    "counties": ("旗县指标", "counties"),
    "townships": ("苏木乡镇指标", "townships"),
    "gaps": ("差距", "gaps"),
    "processes": ("过程指标", "processes"),
    "service": ("服务评价", "service ratings"),
    "findings": ("未达标社区", "failing findings"),
    "parameters": ("参数", "parameters"),
    "skipped": ("跳过的行", "skipped rows"),
    "about": ("说明", "about"),
}
"""Each sheet's name in Chinese and English."""

_MAX_ROWS = 1_048_575
"""Excel's rows below the header."""

_STATUS_COLOURS = {
    "met": ("#1a7f37", "#dafbe1"),
    "not_met": ("#b42318", "#ffebe9"),
    "unknown": ("#59636e", "#eaeef2"),
    "not_applicable": ("#59636e", "#f6f8fa"),
    "not_supplied": ("#8a4b00", "#fff4e5"),
    "pass": ("#1a7f37", "#dafbe1"),
    "fail": ("#b42318", "#ffebe9"),
}


class _Book:
    """The workbook and its formats."""

    def __init__(self, stream: Any, lang: str) -> None:
        from sqfw._extras import require

        try:
            xlsxwriter = require("xlsxwriter")
        except ImportError:
            raise ImportError(
                "writing the Excel report needs XlsxWriter, part of sqfw's reports extra: "
                "pip install 'sqfw[reports]'"
            ) from None
        self.book = xlsxwriter.Workbook(
            stream, {"constant_memory": True, "strings_to_numbers": False, "in_memory": False}
        )
        self.lang = lang
        font = {"font_name": "Microsoft YaHei" if lang == "zh" else "Calibri", "font_size": 10}
        self.font = font
        self.plain = self.book.add_format(font)
        self.wrap = self.book.add_format({**font, "text_wrap": True, "valign": "top"})
        self.header = self.book.add_format(
            {
                **font,
                "bold": True,
                "bg_color": "#eaeef2",
                "bottom": 1,
                "text_wrap": True,
                "valign": "top",
            }
        )
        self.title = self.book.add_format({**font, "bold": True, "font_size": 14})
        self.number = {
            "percent": self.book.add_format({**font, "num_format": "0.00%"}),
            "rate": self.book.add_format({**font, "num_format": "#,##0.00"}),
            "m2": self.book.add_format({**font, "num_format": '#,##0.00" m²"'}),
            "count": self.book.add_format({**font, "num_format": "#,##0"}),
            "people": self.book.add_format(
                {**font, "num_format": '#,##0" 人"' if lang == "zh" else '#,##0" persons"'}
            ),
        }
        self.status = {
            key: self.book.add_format({**font, "font_color": ink, "bg_color": fill, "bold": True})
            for key, (ink, fill) in _STATUS_COLOURS.items()
        }

    def amount_format(self, unit: Unit, people: bool = False) -> Any:
        if unit is Unit.M2:
            return self.number["m2"]
        return self.number["people" if people else "count"]

    def sheet(self, key: str) -> Any:
        zh, en = SHEETS[key]
        return self.book.add_worksheet(zh if self.lang == "zh" else en)


def _widths(rows: Sequence[Sequence[Any]], minimum: int = 6, maximum: int = 60) -> list[float]:
    sizes: list[int] = []
    for row in rows:
        for i, value in enumerate(row):
            text = (
                value
                if isinstance(value, str)
                else f"{value:,}"
                if isinstance(value, int)
                else "0000000.00"
            )
            size = max((width(line) for line in str(text).splitlines()), default=0)
            if i >= len(sizes):
                sizes.append(size)
            elif size > sizes[i]:
                sizes[i] = size
    return [min(maximum, max(minimum, s + 2)) * 1.05 for s in sizes]


def _finish(
    sheet: Any, header: Sequence[str], rows: int, widths: Sequence[float], book: _Book
) -> None:
    """Frozen header row, a filter over the data, widths."""
    sheet.freeze_panes(1, 0)
    if header:
        sheet.autofilter(0, 0, max(rows, 1), len(header) - 1)
    for i, size in enumerate(widths):
        sheet.set_column(i, i, size)


def _write_table(book: _Book, key: str, table: rp.Table, *, detail: bool = True) -> None:
    """A report table as a sheet: numbers as numbers with their formats."""
    lang = book.lang
    sheet = book.sheet(key)
    shown = table.visible(detail=detail)
    fields = [table.fields[i] for i in shown]
    header = [f.label(lang) for f in fields]
    sheet.set_row(0, 30)
    for j, text in enumerate(header):
        sheet.write_string(0, j, text, book.header)
    samples: list[list[Any]] = [header]
    for r, row in enumerate(table.rows, start=1):
        sample: list[Any] = []
        for j, (i, f) in enumerate(zip(shown, fields, strict=True)):
            value = row[i]
            sample.append(_write_cell(book, sheet, r, j, value, f))
        if r <= 200:
            samples.append(sample)
    _finish(sheet, header, len(table.rows), _widths(samples), book)


def _write_cell(book: _Book, sheet: Any, r: int, j: int, value: Any, f: rp.Field) -> Any:
    """Write one cell; return what stands for its width."""
    if f.kind == "percent":
        if value is None or (isinstance(value, rp.Rate) and value.value is None):
            sheet.write_blank(r, j, None, book.plain)
            return "—"
        if isinstance(value, rp.Rate):  # a figure per 100 or 10,000: not a percentage
            sheet.write_number(r, j, float(value), book.number["rate"])
            return "10,000.00"
        sheet.write_number(r, j, float(value), book.number["percent"])
        return "100.00%"
    if f.kind == "amount":
        number = value.number
        if number is None:
            sheet.write_blank(r, j, None, book.plain)
            return "—"
        sheet.write_number(r, j, number, book.amount_format(value.unit))
        return f"{number:,.2f} m²"
    if f.kind in ("count", "rank"):
        if value is None:
            sheet.write_blank(r, j, None, book.plain)
            return ""
        sheet.write_number(r, j, value, book.number["count"])
        return f"{value:,}"
    if f.kind == "status":
        text = rp.cell_text(value, "status", book.lang)
        sheet.write_string(r, j, text, book.status[value.value])
        return text
    text = "" if value is None else spreadsheet_text(str(value))
    sheet.write_string(r, j, text, book.wrap if f.detail else book.plain)
    return text if not f.detail else text[:60]


def _targets(book: _Book, a: Assessment) -> None:
    lang = book.lang
    tables = [
        rp.targets_table(a, lang, level, with_place=True)
        for level in (DivisionLevel.REGION, DivisionLevel.PREFECTURE, DivisionLevel.COUNTY)
    ]
    level_field = rp.Field(key="level", label_zh="层级", label_en="level")
    code_field = rp.Field(key="place_code", label_zh="区划代码", label_en="place code")
    first = tables[0]
    fields = (level_field, code_field, *first.fields)
    rows = []
    levels = []
    for level, t in zip(
        (DivisionLevel.REGION, DivisionLevel.PREFECTURE, DivisionLevel.COUNTY), tables, strict=True
    ):
        results = a.targets_at(level)
        for result, row in zip(results, t.rows, strict=True):
            rows.append((_level_name(level, lang), result.place.code, *row))
        levels += list(t.levels)
    combined = rp.Table(
        id="targets",
        title_zh=first.title_zh,
        title_en=first.title_en,
        fields=fields,
        rows=tuple(rows),
        levels=tuple(levels),
    )
    _write_table(book, "targets", combined)


def _level_name(level: DivisionLevel, lang: str) -> str:
    names = {
        DivisionLevel.REGION: ("全区", "region"),
        DivisionLevel.PREFECTURE: ("盟市", "league/city"),
        DivisionLevel.COUNTY: ("旗县市区", "banner/county"),
    }
    zh, en = names[level]
    return zh if lang == "zh" else en


def _gaps(book: _Book, a: Assessment) -> None:
    lang = book.lang
    target_field = rp.Field(key="target", label_zh="目标", label_en="target")
    rows: list[tuple[Any, ...]] = []
    fields: tuple[rp.Field, ...] = ()
    for d in a.target_definitions:
        t = rp.gaps_table(a, d.id, lang, None)
        if t is None:
            continue
        label = d.label_zh if lang == "zh" else d.label_en
        gap_field = rp.Field(key="gap", label_zh="差距", label_en="gap", kind="amount")
        fields = (t.fields[0], target_field, *t.fields[1:3], gap_field, *t.fields[4:])
        rows += [(row[0], label, *row[1:]) for row in t.rows]
    if fields:
        _write_table(
            book,
            "gaps",
            rp.Table(id="gaps", title_zh="差距", title_en="gaps", fields=fields, rows=tuple(rows)),
        )


_FINDING_FIELDS = (
    ("code", "社区代码", "community code"),
    ("name", "社区名称", "community name"),
    ("county", "旗县市区", "banner/county"),
    ("prefecture", "盟市", "league/city"),
    ("norm", "规范", "norm"),
    ("clauses", "条款", "clauses"),
    ("status", "状态", "status"),
    ("measured", "现状", "measured"),
    ("required", "要求", "required"),
    ("shortfall", "差额", "shortfall"),
    ("unit", "单位", "unit"),
)


def _findings(
    book: _Book, a: Assessment, findings: str, progress: Callable[[str, int, int], None] | None
) -> int:
    """The failing (or all) findings, one per row; returns how many were left out."""
    if findings == "none":
        return 0
    lang = book.lang
    sheet = book.sheet("findings")
    header = [zh if lang == "zh" else en for _, zh, en in _FINDING_FIELDS]
    sheet.set_row(0, 30)
    for j, text in enumerate(header):
        sheet.write_string(0, j, text, book.header)
    names = {p.code: p.name for p in a.places}
    labels = {n: (r.norm.label_zh if lang == "zh" else r.norm.label_en) for n, r in a.runs.items()}
    rows = a.findings(status=None if findings == "all" else FAILING)
    total = findings_count(a, findings)
    written = 0
    status_text = {
        "pass": ("达标", "pass"),
        "fail": ("未达标", "fail"),
        "unknown": ("未知", "unknown"),
        "not_applicable": ("不适用", "n/a"),
    }
    ratio = book.number["percent"]
    while batch := list(islice(rows, 10_000)):
        for f in batch:
            if written >= _MAX_ROWS:
                break
            r = written + 1
            sheet.write_string(r, 0, f.code)
            sheet.write_string(r, 1, spreadsheet_text(f.name))
            sheet.write_string(r, 2, spreadsheet_text(names.get(f.county_code, f.county_code)))
            sheet.write_string(
                r, 3, spreadsheet_text(names.get(f.prefecture_code, f.prefecture_code))
            )
            sheet.write_string(r, 4, labels[f.norm])
            sheet.write_string(r, 5, "/".join(f.clauses))
            zh, en = status_text[f.status.value]
            sheet.write_string(
                r, 6, zh if lang == "zh" else en, book.status.get(f.status.value, book.plain)
            )
            for j, value, unit in (
                (7, f.measured, f.unit),
                (8, f.required, f.unit),
                (9, f.shortfall, f.shortfall_unit),
            ):
                if value is None:
                    continue
                fmt = ratio if unit is Unit.RATIO else book.amount_format(unit)
                sheet.write_number(r, j, float(value), fmt)
            sheet.write_string(r, 10, f.shortfall_unit.label(lang))
            written += 1
        if progress is not None:
            progress("workbook", min(written, total), total)
    widths = [14, 16, 12, 12, 18, 16, 9, 12, 12, 14, 10]
    _finish(sheet, header, written, [w * 1.05 for w in widths], book)
    return max(0, total - written)


def _about(book: _Book, a: Assessment, left_out: int) -> None:
    lang = book.lang
    sheet = book.sheet("about")
    sheet.set_column(0, 0, 110)
    lines = [rp.t("title", lang), *summary(a, lang).splitlines(), ""]
    if not a.sets_region_targets:
        lines.append(rp.t("no_targets", lang))
    unused = rp.unused_columns(a)
    if unused:
        lines.append(rp.t("unused_note", lang).format(names=", ".join(unused)))
    lines += [
        f"{r.target.label_zh if lang == 'zh' else r.target.label_en}: {why}"
        for r in a.targets_at()
        if (why := rp.lacking(a, r, lang))
    ]
    if left_out:
        lines.append(
            f"未达标社区表已达 Excel 行数上限,另有 {left_out:,} 条未写入(见 JSON 或 Parquet 输出)"
            if lang == "zh"
            else f"the findings sheet reached Excel's row limit: {left_out:,} more are in the "
            "JSON or Parquet output"
        )
    lines.append(
        "各苏木乡镇的指标未列出:评估结果按全区、盟市、旗县市区汇总。"
        if lang == "zh"
        else "Indicators by sumu/township are not listed: the assessment rolls up by region, "
        "league/city and banner/county."
    )
    for r, line in enumerate(lines):
        sheet.write_string(r, 0, spreadsheet_text(line), book.title if r == 0 else book.plain)


def write_workbook(
    a: Assessment,
    path: str | os.PathLike[str],
    *,
    lang: str = "zh",
    findings: str = "failing",
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    """Write the assessment as an .xlsx workbook, atomically.

    Args:
        a: the assessment.
        path: the ``.xlsx`` file.
        lang: ``"zh"`` or ``"en"`` sheet names and headers.
        findings: which findings the findings sheet lists: ``"failing"`` (fail or
            unknown; ``"all"`` is read as failing too, a workbook being for reading),
            or ``"none"``. Excel's row limit caps the sheet (the about sheet says so).
        progress: called with ("workbook", findings written, findings in all).

    Raises:
        ImportError: XlsxWriter is not installed (the ``sqfw[reports]`` extra).
        OSError: the file cannot be written (nothing is left behind).
    """
    check_assessment(a)
    chosen = "none" if findings == "none" else "failing"
    with atomic_write(path, "wb") as stream:
        book = _Book(stream, lang)
        _targets(book, a)
        for key, level in (
            ("leagues", DivisionLevel.PREFECTURE),
            ("counties", DivisionLevel.COUNTY),
        ):
            _write_table(book, key, rp.indicators_table(a, lang, level))
        _write_table(book, "townships", rp.townships_table(a, lang))
        _gaps(book, a)
        for attached in (rp.processes_table(a, lang), rp.service_table(a, lang)):
            if attached is not None:  # what a host attached with Assessment.with_processes
                _write_table(book, attached.id, attached)
        left_out = _findings(book, a, chosen, progress)
        _write_table(book, "parameters", rp.parameters_table(a, lang))
        _write_table(book, "skipped", rp.skipped_table(a))
        _about(book, a, left_out)
        book.book.close()
