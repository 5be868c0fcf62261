"""Loading a region from the files offices keep: JSON documents, CSV and Excel tables.

A table has one row per community. Headers may be Chinese or English; :data:`COLUMNS`
maps each to the field it fills (see ``docs/analysis.md`` for the full list). Only the
community code is required; every other column may be missing (its facts are then
unknown). Columns sqfw does not know are kept, as text, in
``dataset.communities.extra``.

Every bad cell is reported: with ``on_error="raise"`` (the default) one
:class:`~sqfw.errors.DataLoadError` lists every problem with file, row and column; with
``on_error="skip"`` the bad rows are left out and listed in ``dataset.skipped``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
import os
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

from sqfw._args import existing_file
from sqfw._bulk import collector_paused
from sqfw._cells import original_text
from sqfw.analysis._dataset import (
    Baselines,
    CommunityColumns,
    Divisions,
    RegionDataset,
    SkippedRow,
)
from sqfw.analysis._loading.arrow import arrow_column, arrow_texts, is_arrow
from sqfw.analysis._loading.cells import overlong, parse_column, restore_column
from sqfw.analysis._loading.checks import Errors, check_codes, check_rows
from sqfw.analysis._loading.columns import COLUMNS, Column, column_named
from sqfw.analysis._loading.companion import apply_companion, code_name, find_companion
from sqfw.analysis._loading.progress import LoadProgress
from sqfw.analysis._loading.sources import (
    RowProblems,
    columnar,
    columns_of_csv,
    columns_of_sheet,
    header_of_csv,
)
from sqfw.analysis._loading.tree import RowTree
from sqfw.analysis._texts import TextColumn, arrow_of
from sqfw.calculators.model import from_table, table_fields
from sqfw.entities import Division, DivisionLevel, Region
from sqfw.entities.divisions import ancestor_code, contains, division_kind
from sqfw.errors import DataLoadError, InvalidArgumentError, Problem
from sqfw.limits import MAX_CELL_CHARS

__all__ = ["OnError", "load_region", "load_table"]

OnError = Literal["raise", "skip"]

_WORKBOOKS = (".xlsx", ".xls", ".ods")
"""Workbooks: read by python-calamine (an .xlsx by openpyxl without it)."""


def load_table(
    path: str | os.PathLike[str],
    *,
    on_error: OnError = "raise",
    region_name: str | None = None,
    baselines: Baselines | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    headers: Mapping[str, str] | None = None,
    show_progress: bool | None = None,
) -> RegionDataset:
    """Read a CSV or workbook table of communities (one row each) into a dataset.

    A CSV is read by pyarrow's CSV reader and a workbook (.xlsx, .xls, .ods) by
    python-calamine when the ``sqfw[analysis]`` extra is installed; every column is then
    checked whole by the strict cell readers. Without the extra a CSV is read by the csv
    module and an .xlsx by openpyxl, with the same results.

    Args:
        path: a ``.csv``, ``.xlsx``, ``.xls`` or ``.ods`` file; the first row holds the
            headers.
        on_error: ``"raise"`` to stop with every problem listed, ``"skip"`` to leave bad
            rows out (listed in ``dataset.skipped``).
        region_name: the region's name (default: the province-level division's name for
            its code, :data:`~sqfw.entities.divisions.PROVINCES`; else the code).
        baselines: earlier figures for "higher than before" targets.
        sheet: the worksheet of an Excel file (default: the first).
        encoding: the text encoding of a CSV (default: UTF-8, else GB18030).
        progress: called with (columns read, columns in all) as each known column is read.
        headers: your own headers (header → field), matched as the catalogue's are.
        show_progress: a progress bar on standard error once the load has taken about a
            second: ``None`` (the default) on a terminal only, never in a notebook's
            output, a pipe or a log; ``True`` always; ``False`` never.

    Returns:
        A :class:`RegionDataset`; unknown headers are kept in ``communities.extra``.

    Raises:
        DataLoadError: bad rows (``on_error="raise"``), no code column, or an unreadable
            file; every problem names file, row and column.
        MissingFileError: no such file (a ``FileNotFoundError``).
        ImportError: a workbook without the ``sqfw[analysis]`` extra installed.
    """
    if on_error not in ("raise", "skip"):
        raise InvalidArgumentError("on_error", on_error, "'raise' or 'skip'")
    if show_progress not in (None, True, False):
        raise InvalidArgumentError("show_progress", show_progress, "True, False or None")
    file = existing_file("path", path)
    bar = LoadProgress(show_progress)
    try:
        with collector_paused():  # columns of millions of strings, none in a cycle
            return _load_table(
                file,
                bar,
                on_error=on_error,
                region_name=region_name,
                baselines=baselines,
                sheet=sheet,
                encoding=encoding,
                progress=progress,
                headers=headers,
            )
    finally:
        bar.close()


def _load_table(
    file: Path,
    bar: LoadProgress,
    *,
    on_error: OnError,
    region_name: str | None,
    baselines: Baselines | None,
    sheet: str | None,
    encoding: str | None,
    progress: Callable[[int, int], None] | None,
    headers: Mapping[str, str] | None,
) -> RegionDataset:
    """:func:`load_table` of a file that exists, drawing its stages on ``bar``."""
    suffix = file.suffix.lower()

    def check_header(header: list[str] | None) -> None:
        _header_columns(header, headers, file.name, str(file))

    # the header first: a file without a code column is refused before its body is read
    if suffix in _WORKBOOKS:
        header, cells, row_problems = columns_of_sheet(file, sheet, check_header)
    elif suffix in (".csv", ".txt"):
        check_header(header_of_csv(file, encoding))
        header, cells, row_problems = columns_of_csv(file, encoding)
    else:
        raise DataLoadError(
            [
                Problem(
                    file.name,
                    f"expected a .csv, .xlsx, .xls or .ods file, got {suffix or 'no suffix'!r}",
                )
            ],
            source=str(file),
        )
    bar(_READ, 1, 1)
    return _parse_columns(
        header,
        cells,
        row_problems=row_problems,
        source=file.name,
        full_source=str(file),
        on_error=on_error,
        region_name=region_name,
        baselines=baselines,
        progress=progress,
        headers=headers,
        bar=bar,
    )


_READ, _CHECK, _BUILD = "读取 read", "检查 check", "建表 build"
"""The stages of a load as its progress bar names them."""


def _header_columns(
    header: list[str] | None,
    headers: Mapping[str, str] | None,
    source: str,
    full_source: str,
) -> tuple[list[str], dict[int, Column]]:
    """The header and the known column at each position; refused without a code column.

    Raises:
        DataLoadError: an empty table, no code column, or a field named twice.
    """
    if header is None:
        raise DataLoadError([Problem(source, "the table is empty")], source=full_source)
    known: dict[int, Column] = {}
    for position, name in enumerate(header):
        column = column_named(name, headers) if name else None
        if column is None:
            continue
        twice = next((p for p, c in known.items() if c is column), None)
        if twice is not None:
            raise DataLoadError(
                [
                    Problem(
                        f"{source}:row 1:column {name}",
                        f"the column {header[twice]!r} (column {twice + 1}) already holds "
                        f"the {column.label_en or column.field}; a field may have one column",
                    )
                ],
                source=full_source,
            )
        known[position] = column
    if not any(c.field == "code" for c in known.values()):
        raise DataLoadError(
            [
                Problem(
                    f"{source}:row 1",
                    "no community code column; expected one of " + ", ".join(COLUMNS[0].headers),
                )
            ],
            source=full_source,
        )
    return header, known


def _parse_columns(
    header: list[str] | None,
    cells: list[list[str]],
    *,
    row_problems: RowProblems,
    source: str,
    full_source: str,
    on_error: OnError,
    region_name: str | None,
    baselines: Baselines | None,
    progress: Callable[[int, int], None] | None,
    headers: Mapping[str, str] | None = None,
    bar: LoadProgress | None = None,
) -> RegionDataset:
    """Read the columns of a table into a dataset.

    ``cells`` is consumed: each column is emptied once read, so the text does not stay in
    memory while the dataset is built.
    """
    header, known = _header_columns(header, headers, source, full_source)
    arrow = bool(cells) and is_arrow(cells[0])
    if not arrow and cells and columnar() and len(cells[0]) >= _COLUMNAR_ROWS:
        import pyarrow as pa  # a workbook's columns checked as a CSV's are

        cells = [pa.array(column, type=pa.string()) for column in cells]
        arrow = True
    extra: dict[int, str] = {}
    for position, name in enumerate(header):
        if position in known:
            continue
        if arrow:
            cells[position] = arrow_texts(cells[position])  # kept as Python text
        if name:
            extra[position] = original_text(name)
        elif cells and any(v.strip() for v in cells[position]):
            extra[position] = f"column {position + 1}"  # no header, but cells: kept
    total = len(cells[0]) if cells else 0
    numbers = list(range(2, total + 2))
    parsed: dict[str, Sequence[Any]] = {}
    errors: Errors = {}
    code_position = next(p for p, c in known.items() if c.field == "code")

    def check(position: int) -> tuple[Any, list[tuple[int, str]]]:
        kind = known[position].kind
        if arrow:
            return arrow_column(cells[position], kind)
        return parse_column(cells[position], kind)

    # the code column first: a blank row has a blank code cell, which the code reader
    # refuses, so only the rows of refused codes need a look at every cell
    order = [code_position, *(p for p in known if p != code_position)]
    blank: set[int] = set()
    with _column_threads(arrow and total >= _THREADED_ROWS) as pool:
        # Arrow's kernels let go of the interpreter: two columns are checked at a time
        checked = map(check, order) if pool is None else pool.map(check, order)
        for position, (values, bad) in zip(order, checked, strict=True):
            if position == code_position:
                blank = _blank_rows(cells, [index for index, _ in bad])
            cells[position] = []  # the text is read: let it go while the rest is built
            for index, message in bad:
                if index not in blank:
                    errors.setdefault(index, []).append((header[position], message))
            parsed[known[position].field] = values
            if progress is not None:
                progress(len(parsed), len(known))
            if bar is not None:
                bar(_CHECK, len(parsed), len(known))
    for position in extra:  # kept as text: bounded like every cell
        for index, message in overlong(cells[position], MAX_CELL_CHARS, "a cell"):
            errors.setdefault(index, []).append(
                (header[position] or f"column {position + 1}", message)
            )
    for row, cell, message in row_problems:  # what the source saw: row lengths, formulas
        named = None if cell is None else header[cell] or f"column {cell + 1}"
        errors.setdefault(row, []).append((named, message))
    check_codes(parsed["code"], header[code_position], numbers, errors)
    check_rows(parsed, known, header, errors)
    problems: list[Problem] = []
    skipped: list[SkippedRow] = []
    for index in sorted(errors):
        for column_name, reason in errors[index]:
            number = numbers[index]
            where = f"{source}:row {number}" + (f":column {column_name}" if column_name else "")
            problems.append(Problem(where, reason))
            skipped.append(SkippedRow(source=source, row=number, column=column_name, reason=reason))
    if problems and on_error == "raise":
        raise DataLoadError(problems, source=full_source)
    extra_columns = {name: cells[p] for p, name in extra.items()}
    for texts in extra_columns.values():
        restore_column(texts)
    if blank or errors:
        keep = [i for i in range(total) if i not in blank and i not in errors]
        if not keep:
            raise DataLoadError(
                problems or [Problem(source, "no community rows")], source=full_source
            )
        parsed = {field: _kept(values, keep) for field, values in parsed.items()}
        extra_columns = {k: [v[i] for i in keep] for k, v in extra_columns.items()}
    elif not total:
        raise DataLoadError([Problem(source, "no community rows")], source=full_source)
    if bar is not None:
        bar(_BUILD, 0, 1)
    dataset = _build(
        parsed, extra_columns, full_source, region_name, baselines, tuple(skipped), name=source
    )
    if bar is not None:
        bar(_BUILD, 1, 1)
    return dataset


_COLUMNAR_ROWS = 200
"""Rows from which a workbook's columns are checked in bulk (Arrow), as a CSV's are."""

_THREADED_ROWS = 20_000
"""Rows from which Arrow columns are checked two at a time, on two threads: Arrow's
kernels (dictionary encoding, pattern matching) let go of the interpreter while they run
(a national table's checks took 0.83 s instead of 1.19 s on two cores)."""


@contextlib.contextmanager
def _column_threads(wanted: bool) -> Iterator[ThreadPoolExecutor | None]:
    """Two threads to check columns with, when ``wanted`` and the machine has two cores."""
    if not wanted or (os.cpu_count() or 1) < 2:
        yield None
        return
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="sqfw-columns") as pool:
        yield pool


def _blank_rows(cells: list[Any], suspects: list[int]) -> set[int]:
    """Of the rows ``suspects``, those whose every cell is blank."""
    return {i for i in suspects if not any(_text_at(column, i).strip() for column in cells)}


def _kept(values: Any, keep: list[int]) -> Any:
    """The cells of a checked column on the rows ``keep`` (its kind of column kept)."""
    texts = arrow_of(values)
    if texts is not None:
        return TextColumn(texts.take(keep))
    if isinstance(values, array):
        return array(values.typecode, map(values.__getitem__, keep))
    return [values[i] for i in keep]


def _text_at(column: Any, index: int) -> str:
    value = column[index]
    return value if isinstance(value, str) else str(value.as_py())


def _build(
    parsed: dict[str, Sequence[Any]],
    extra: dict[str, list[str]],
    source: str,
    region_name: str | None,
    baselines: Baselines | None,
    skipped: tuple[SkippedRow, ...],
    *,
    name: str,
) -> RegionDataset:
    """The dataset from checked columns; ``source`` is the file's path, ``name`` its name."""
    codes: Sequence[str] = parsed["code"]
    n = len(codes)
    first = codes[0]
    root_code = ancestor_code(first, DivisionLevel.REGION)
    tree = RowTree(parsed)
    prefectures = tree.codes(DivisionLevel.PREFECTURE)
    other = next((p for p in prefectures if not contains(root_code, p)), None)
    if other is not None:
        foreign = next(c for c in codes if contains(other, c))
        raise DataLoadError(
            [Problem(name, f"codes from more than one province-level region: {first}, {foreign}")],
            source=source,
        )
    # a province-level division is named from GB/T 2260 (any other root by its code), and
    # its kind is read from that name: a name given for the region does not change the kind
    known_name = code_name(root_code)
    root = Division(
        code=root_code,
        name=region_name or known_name,
        kind=division_kind(root_code, known_name),
    )

    columns: dict[str, Any] = from_table(parsed, n)  # the community model's columns
    columns["code"] = codes
    columns["name"] = _names_or_codes(parsed.get("name"), codes)
    columns["township"] = tree.township_of_row
    columns["extra"] = extra
    communities = CommunityColumns(**columns)
    del columns
    for field in _COMMUNITY_FIELDS:
        parsed.pop(field, None)  # now held as arrays by ``communities``
    workers, associate = tree.county_workers(parsed.get("workers"), parsed.get("workers_associate"))
    prefecture_table = tree.divisions(DivisionLevel.PREFECTURE)
    county_table = tree.divisions(DivisionLevel.COUNTY)
    townships = Divisions(len(tree.codes(DivisionLevel.TOWNSHIP)), tree.township_divisions())
    return RegionDataset(
        root=root,
        prefectures=tuple(prefecture_table),
        counties=tuple(county_table),
        townships=townships,
        county_prefecture=tree.tree.county_prefecture,
        township_county=tree.tree.township_county,
        communities=communities,
        county_workers=workers,
        county_workers_associate=associate,
        baselines=baselines or Baselines(),
        source=name,
        skipped=skipped,
    )


def _names_or_codes(names: Sequence[str] | None, codes: Sequence[str]) -> Sequence[str]:
    """Each community's name, its code where the name is blank."""
    if names is None:
        return codes
    given, code_texts = arrow_of(names), arrow_of(codes)
    if given is not None and code_texts is not None:  # both held by Arrow: kept there
        import pyarrow as pa
        import pyarrow.compute as pc

        given = given.cast(pa.string())  # a column of few names is dictionary-encoded
        blank = pc.equal(given, "")
        if not pc.any(blank).as_py():
            return names
        return TextColumn(pc.if_else(blank, code_texts.cast(pa.string()), given))
    if "" not in names:
        return names
    return [v or c for v, c in zip(names, codes, strict=True)]


_COMMUNITY_FIELDS = tuple(table_fields())
"""Columns only the communities need; the division tables read the others."""


def load_region(
    path: str | os.PathLike[str],
    *,
    on_error: OnError = "raise",
    baselines: Baselines | None = None,
    progress: Callable[[int, int], None] | None = None,
    show_progress: bool | None = None,
    **options: Any,
) -> RegionDataset:
    """Load a region from a JSON region document, a CSV or a workbook (.xlsx, .xls, .ods).

    Args:
        path: the file; its suffix decides how it is read.
        on_error: for tables, ``"raise"`` or ``"skip"`` (see :func:`load_table`).
        baselines: earlier figures for "higher than before" targets (default: the file's
            companion, ``x.baselines.csv`` / ``x.baselines.json`` beside it or the
            workbook's sheet ``基期数据``, when there is one).
        progress: called with (done, in all) while the file is read: columns of a table,
            MiB of a JSON document.
        show_progress: a progress bar on standard error once the load has taken about a
            second (``None``: on a terminal only; see :func:`load_table`).
        **options: further options of :func:`load_table`.

    Raises:
        MissingFileError: no such file (a ``FileNotFoundError``).
        DocumentError: a JSON document with problems (each with its ``$.path``).
        DataLoadError: a table with bad rows (each with file, row and column).
    """
    file = existing_file("path", path)
    if file.suffix.lower() == ".json":
        from sqfw.analysis._compiled import read_region_document
        from sqfw.serialization import load_file

        if show_progress not in (None, True, False):
            raise InvalidArgumentError("show_progress", show_progress, "True, False or None")
        bar = LoadProgress(show_progress)

        def in_mib(done: int, total: int) -> None:
            mib, whole = -(-done >> 20), max(1, -(-total >> 20))  # MiB read, MiB in all
            if progress is not None:
                progress(mib, whole)
            bar(_READ, mib, whole)

        try:
            with collector_paused():  # millions of objects, none in a cycle
                given = in_mib if progress is not None or bar.active else None
                # a large document by the compiled parser (the analysis extra), if it can
                found = read_region_document(
                    file, baselines=baselines, source=file.name, progress=given
                )
                if found is not None:
                    dataset = found
                else:
                    region = load_file(Region, file, progress=given)
                    bar(_BUILD, 0, 1)
                    dataset = RegionDataset.from_region(
                        region, baselines=baselines, source=file.name
                    )
                    bar(_BUILD, 1, 1)
                    del region
        finally:
            bar.close()
    else:
        dataset = load_table(
            file,
            on_error=on_error,
            baselines=baselines,
            progress=progress,
            show_progress=show_progress,
            **options,
        )
    companion = find_companion(file)  # baselines and county figures kept beside the file
    if companion is None:
        return dataset
    return apply_companion(
        dataset,
        companion,
        keep_baselines=baselines is not None,
        keep_name=options.get("region_name") is not None,
    )
