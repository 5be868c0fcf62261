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

import os
from collections.abc import Callable, Mapping
from typing import Any, Literal

from sqfw._args import existing_file
from sqfw._bulk import collector_paused
from sqfw._cells import original_text
from sqfw.analysis._dataset import (
    Baselines,
    CommunityColumns,
    RegionDataset,
    SkippedRow,
)
from sqfw.analysis._loading.cells import overlong, parse_column, restore_column
from sqfw.analysis._loading.checks import Errors, check_codes, check_rows
from sqfw.analysis._loading.columns import COLUMNS, Column, column_named
from sqfw.analysis._loading.companion import apply_companion, find_companion
from sqfw.analysis._loading.sources import (
    RowProblems,
    columns_of_csv,
    columns_of_xlsx,
    header_of_csv,
)
from sqfw.analysis._loading.tree import RowTree
from sqfw.calculators.model import from_table, table_fields
from sqfw.entities import Division, DivisionKind, DivisionLevel, Region
from sqfw.entities.divisions import ancestor_code, contains
from sqfw.errors import DataLoadError, InvalidArgumentError, Problem
from sqfw.limits import MAX_CELL_CHARS

__all__ = ["OnError", "load_region", "load_table"]

OnError = Literal["raise", "skip"]

_REGIONS = {"150000000000": ("内蒙古自治区", DivisionKind.AUTONOMOUS_REGION)}
"""Root divisions known by code: name and kind (any other is a province named by code)."""


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
) -> RegionDataset:
    """Read a CSV or .xlsx table of communities (one row each) into a dataset.

    Args:
        path: a ``.csv`` or ``.xlsx`` file; the first row holds the headers.
        on_error: ``"raise"`` to stop with every problem listed, ``"skip"`` to leave bad
            rows out (listed in ``dataset.skipped``).
        region_name: the region's name (default: read from the codes).
        baselines: earlier figures for "higher than before" targets.
        sheet: the worksheet of an Excel file (default: the first).
        encoding: the text encoding of a CSV (default: UTF-8, else GB18030).
        progress: called with (columns read, columns in all) as each known column is read.
        headers: your own headers (header → field), matched as the catalogue's are.

    Returns:
        A :class:`RegionDataset`; unknown headers are kept in ``communities.extra``.

    Raises:
        DataLoadError: bad rows (``on_error="raise"``), no code column, or an unreadable
            file; every problem names file, row and column.
        MissingFileError: no such file (a ``FileNotFoundError``).
        ImportError: an .xlsx file without the ``sqfw[analysis]`` extra installed.
    """
    if on_error not in ("raise", "skip"):
        raise InvalidArgumentError("on_error", on_error, "'raise' or 'skip'")
    file = existing_file("path", path)
    suffix = file.suffix.lower()

    def check_header(header: list[str] | None) -> None:
        _header_columns(header, headers, file.name, str(file))

    # the header first: a file without a code column is refused before its body is read
    if suffix == ".xlsx":
        header, cells, row_problems = columns_of_xlsx(file, sheet, check_header)
    elif suffix in (".csv", ".txt"):
        check_header(header_of_csv(file, encoding))
        header, cells, row_problems = columns_of_csv(file, encoding)
    else:
        raise DataLoadError(
            [Problem(file.name, f"expected a .csv or .xlsx file, got {suffix or 'no suffix'!r}")],
            source=str(file),
        )
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
    )


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
) -> RegionDataset:
    """Read the columns of a table into a dataset.

    ``cells`` is consumed: each column is emptied once read, so the text does not stay in
    memory while the dataset is built.
    """
    header, known = _header_columns(header, headers, source, full_source)
    extra: dict[int, str] = {}
    for position, name in enumerate(header):
        if position in known:
            continue
        if name:
            extra[position] = original_text(name)
        elif cells and any(v.strip() for v in cells[position]):
            extra[position] = f"column {position + 1}"  # no header, but cells: kept
    total = len(cells[0]) if cells else 0
    numbers = list(range(2, total + 2))
    parsed: dict[str, list[Any]] = {}
    errors: Errors = {}
    code_position = next(p for p, c in known.items() if c.field == "code")
    # a blank row has a blank code cell: only those rows need a look at every cell
    codes = list(map(str.strip, cells[code_position]))
    blank: set[int] = set()
    if "" in codes:
        blank = {
            i
            for i, v in enumerate(codes)
            if not v and not any(column[i].strip() for column in cells)
        }
    del codes
    for position, column in known.items():
        values, bad = parse_column(cells[position], column.kind)
        cells[position] = []  # the text is read: let it go while the rest is built
        for index, message in bad:
            if index not in blank:
                errors.setdefault(index, []).append((header[position], message))
        parsed[column.field] = values
        if progress is not None:
            progress(len(parsed), len(known))
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
        parsed = {field: [values[i] for i in keep] for field, values in parsed.items()}
        extra_columns = {k: [v[i] for i in keep] for k, v in extra_columns.items()}
    elif not total:
        raise DataLoadError([Problem(source, "no community rows")], source=full_source)
    return _build(
        parsed, extra_columns, full_source, region_name, baselines, tuple(skipped), name=source
    )


def _build(
    parsed: dict[str, list[Any]],
    extra: dict[str, list[str]],
    source: str,
    region_name: str | None,
    baselines: Baselines | None,
    skipped: tuple[SkippedRow, ...],
    *,
    name: str,
) -> RegionDataset:
    """The dataset from checked columns; ``source`` is the file's path, ``name`` its name."""
    codes: list[str] = parsed["code"]
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
    known_name, kind = _REGIONS.get(root_code, (root_code, DivisionKind.PROVINCE))
    root = Division(code=root_code, name=region_name or known_name, kind=kind)

    names = parsed.get("name")
    columns: dict[str, Any] = from_table(parsed, n)  # the community model's columns
    columns["code"] = codes
    columns["name"] = (
        codes
        if names is None
        else (names if "" not in names else [v or c for v, c in zip(names, codes, strict=True)])
    )
    columns["township"] = tree.township_of_row
    columns["extra"] = extra
    communities = CommunityColumns(**columns)
    del columns
    for field in _COMMUNITY_FIELDS:
        parsed.pop(field, None)  # now held as arrays by ``communities``
    workers, associate = tree.county_workers(parsed.get("workers"), parsed.get("workers_associate"))
    return RegionDataset(
        root=root,
        prefectures=tuple(tree.divisions(DivisionLevel.PREFECTURE)),
        counties=tuple(tree.divisions(DivisionLevel.COUNTY)),
        townships=tuple(tree.divisions(DivisionLevel.TOWNSHIP)),
        county_prefecture=tree.tree.county_prefecture,
        township_county=tree.tree.township_county,
        communities=communities,
        county_workers=workers,
        county_workers_associate=associate,
        baselines=baselines or Baselines(),
        source=name,
        skipped=skipped,
    )


_COMMUNITY_FIELDS = tuple(table_fields())
"""Columns only the communities need; the division tables read the others."""


def load_region(
    path: str | os.PathLike[str],
    *,
    on_error: OnError = "raise",
    baselines: Baselines | None = None,
    progress: Callable[[int, int], None] | None = None,
    **options: Any,
) -> RegionDataset:
    """Load a region from a JSON region document, a CSV or an Excel (.xlsx) table.

    Args:
        path: the file; its suffix decides how it is read.
        on_error: for tables, ``"raise"`` or ``"skip"`` (see :func:`load_table`).
        baselines: earlier figures for "higher than before" targets (default: the file's
            companion, ``x.baselines.csv`` / ``x.baselines.json`` beside it or the
            workbook's sheet ``基期数据``, when there is one).
        progress: called with (done, in all) while the file is read: columns of a table,
            MiB of a JSON document.
        **options: further options of :func:`load_table`.

    Raises:
        MissingFileError: no such file (a ``FileNotFoundError``).
        DocumentError: a JSON document with problems (each with its ``$.path``).
        DataLoadError: a table with bad rows (each with file, row and column).
    """
    file = existing_file("path", path)
    if file.suffix.lower() == ".json":
        from sqfw.serialization import load_file

        def in_mib(done: int, total: int) -> None:
            assert progress is not None
            progress(-(-done >> 20), max(1, -(-total >> 20)))  # MiB read, MiB in all

        with collector_paused():  # millions of objects, none in a cycle
            region = load_file(Region, file, progress=in_mib if progress else None)
            dataset = RegionDataset.from_region(region, baselines=baselines, source=file.name)
            del region
    else:
        dataset = load_table(
            file, on_error=on_error, baselines=baselines, progress=progress, **options
        )
    companion = find_companion(file)  # baselines and county figures kept beside the file
    if companion is None:
        return dataset
    return apply_companion(dataset, companion, keep_baselines=baselines is not None)
