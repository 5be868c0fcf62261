"""Writing a dataset in the layouts the loaders read: CSV, XLSX or a JSON region document.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, TypeVar

import attrs

from sqfw._args import expect, path_argument
from sqfw._cells import spreadsheet_text
from sqfw._files import atomic_write
from sqfw.analysis._dataset import COMMUNITY_KINDS, NAN, UNKNOWN, RegionDataset
from sqfw.analysis._loading.columns import COLUMNS
from sqfw.analysis._loading.companion import (
    SHEET,
    baseline_rows,
    companion_of,
    own_region_name,
    write_companion,
)
from sqfw.analysis._loading.sources import missing_extra
from sqfw.calculators.model import BARRIER_FREE, COMMUNITY_FIELDS, barrier_free_column
from sqfw.entities import Region
from sqfw.labels import check_lang

__all__ = ["save_table", "table_rows"]

T = TypeVar("T")


def _cell_number(value: float) -> str:
    if math.isnan(value):
        return ""
    return str(int(value)) if value.is_integer() else repr(value)


def _cell_flag(value: int) -> str:
    return "" if value == UNKNOWN else ("是" if value else "否")


def table_rows(dataset: RegionDataset, *, lang: Literal["zh", "en"] = "zh") -> Iterator[list[str]]:
    """The dataset as table rows (header first), in the layout :func:`load_table` reads.

    The community's cells are the community model's table values (its columns, and the
    one barrier-free answer :func:`~sqfw.calculators.model.barrier_free_column` reads from
    the tallies), each written as its catalogue column's kind says; the division facts
    are the rows' township's and county's. The rows are made a window at a time, a column
    at a time.

    Text cells (names, the extra columns and their headers) are spreadsheet-safe: one that
    a spreadsheet would run as a formula carries a leading apostrophe, which
    :func:`load_table` takes off again (see :mod:`sqfw._cells`).
    """
    fields = list(COLUMNS)
    yield [
        c.headers[0] if lang == "zh" else next(h for h in c.headers if h.isascii()) for c in fields
    ] + [spreadsheet_text(name) for name in dataset.communities.extra]
    c = dataset.communities
    if not len(c):
        return
    places = _division_cells(dataset)
    kinds = [k.label_zh if lang == "zh" else k.value for k in COMMUNITY_KINDS]
    model = {f.table: getattr(c, f.name) for f in COMMUNITY_FIELDS if f.table is not None}
    for start in range(0, len(c), _WINDOW):
        window = slice(start, start + _WINDOW)
        township = c.township[window]
        cells: dict[str, list[str]] = {
            "code": list(c.code[window]),
            "name": list(map(spreadsheet_text, c.name[window])),
            "kind": list(map(kinds.__getitem__, model["kind"][window])),
            BARRIER_FREE: list(map(_cell_flag, barrier_free_column(c, window))),
        }
        for field, values in places.items():
            cells[field] = list(map(values.__getitem__, township))
        rows = len(township)
        columns = []
        for column in fields:
            written = cells.get(column.field)
            if written is None:  # a number or an answer of the model, or none (county level)
                given = model.get(column.field)
                write = _CELLS[column.kind]
                written = [write(NAN)] * rows if given is None else list(map(write, given[window]))
            columns.append(written)
        columns += [list(map(spreadsheet_text, v[window])) for v in c.extra.values()]
        yield from map(list, zip(*columns, strict=True))


_WINDOW = 10_000
"""Rows made at a time: their cells as text, a column at a time."""


def _division_cells(dataset: RegionDataset) -> dict[str, list[str]]:
    """Each township's cells of its division facts (names spreadsheet-safe), by field."""
    d = dataset
    counties = [d.counties[c] for c in d.township_county]  # each township's county
    prefectures = [d.prefectures[d.county_prefecture[c]] for c in d.township_county]
    return {
        "township_name": [spreadsheet_text(t.name) for t in d.townships],
        "county_name": [spreadsheet_text(county.name) for county in counties],
        "prefecture_name": [spreadsheet_text(p.name) for p in prefectures],
        "street_hall": [_cell_flag(_answer(t.public_service_hall)) for t in d.townships],
        "pay": [_cell_flag(_answer(county.meets_pay_requirements)) for county in counties],
    }


def _answer(value: bool | None) -> int:
    return UNKNOWN if value is None else int(value)


_CELLS: dict[str, Callable[[Any], str]] = {
    "count": _cell_number,
    "area": _cell_number,
    "term": _cell_number,
    "flag": _cell_flag,
}
"""How a value of each catalogue kind is written (code, text and kind are text already)."""


def _counted(
    items: Iterator[T], total: int, progress: Callable[[int, int], None] | None
) -> Iterator[T]:
    """``items``, calling ``progress(done, total)`` every 10,000 and at the end."""
    if progress is None:
        yield from items
        return
    for done, item in enumerate(items, start=1):
        yield item
        if done % 10_000 == 0:
            progress(done, total)
    progress(total, total)


def _save_document(
    dataset: RegionDataset, file: Path, progress: Callable[[int, int], None] | None
) -> None:
    """The dataset as a JSON region document, written community by community.

    The document is the one :func:`~sqfw.serialization.dumps` writes of
    ``dataset.to_region()``, without building that region: its communities come one at
    a time from :meth:`RegionDataset.iter_communities`, so a national region is written
    in the memory of the dataset and one community.
    """
    from sqfw.serialization import write_fields

    given: dict[str, Any] = {
        "root": dataset.root,
        "divisions": dataset.region_divisions(),
        "communities": _counted(dataset.iter_communities(), len(dataset), progress),
    }
    fields = [(f.name, given.get(f.name, ())) for f in attrs.fields(Region)]
    with atomic_write(file, "w", encoding="utf-8") as stream:
        write_fields(stream, Region, fields)
    beside = companion_of(file)
    assert beside is not None  # a .json file's companion is a file
    write_companion(dataset, beside)  # baselines and county worker figures


def save_table(
    dataset: RegionDataset,
    path: str | os.PathLike[str],
    *,
    lang: Literal["zh", "en"] = "zh",
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Write the dataset as a CSV (UTF-8 with BOM, as spreadsheets expect), an .xlsx table
    or a JSON region document (``.json``, written community by community).

    County worker counts are written on the first row of each county, so reading the
    table back gives the same county figures. The baselines go in the companion
    (:mod:`~sqfw.analysis._loading.companion`): ``x.baselines.csv`` beside a CSV, the sheet
    ``基期数据`` of a workbook; :func:`~sqfw.analysis.load_region` reads them back, so the
    file gives the same assessment as the dataset. Every file is written atomically.

    Args:
        dataset: the region.
        path: a ``.csv``, ``.xlsx`` or ``.json`` file.
        lang: Chinese or English headers.
        progress: called with (rows written, rows in all) as the file is written.

    Returns:
        The path written.

    Raises:
        InvalidArgumentError: ``dataset`` is not a RegionDataset, or ``path`` not a path.
    """
    expect("dataset", dataset, RegionDataset)
    check_lang(lang)
    file = path_argument("path", path)
    if file.suffix.lower() == ".json":
        _save_document(dataset, file, progress)
        return file
    rows = _counted(table_rows(dataset, lang=lang), len(dataset) + 1, progress)
    header = next(rows)
    w_pos = [c.field for c in COLUMNS].index("workers")
    a_pos = w_pos + 1
    first_of_county: dict[int, int] = {}
    counties = dataset.community_county
    for i, county in enumerate(counties):
        first_of_county.setdefault(county, i)

    def fill(i: int, row: list[str]) -> list[str]:
        county = counties[i]
        if first_of_county[county] == i:
            row[w_pos] = _cell_number(dataset.county_workers[county])
            row[a_pos] = _cell_number(dataset.county_workers_associate[county])
        return row

    if file.suffix.lower() == ".xlsx":
        try:
            import openpyxl
        except ImportError:
            raise missing_extra("writing Excel files") from None
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("社区" if lang == "zh" else "communities")
        sheet.append(header)
        for i, row in enumerate(rows):
            sheet.append(fill(i, row))
        extra = book.create_sheet(SHEET[0] if lang == "zh" else SHEET[1])
        for line in baseline_rows(dataset.baselines, lang, region_name=own_region_name(dataset)):
            extra.append(line)
        with atomic_write(file, "wb") as stream:
            book.save(stream)
        return file
    with atomic_write(file, "w", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i, row in enumerate(rows):
            writer.writerow(fill(i, row))
    beside = companion_of(file)
    if beside is not None:
        write_companion(dataset, beside, lang=lang)
    return file
