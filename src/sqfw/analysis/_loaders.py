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

import csv
import functools
import io
import math
import operator
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
from itertools import compress, count, islice, repeat
from pathlib import Path
from typing import Any, Literal

import attrs

from sqfw.analysis._dataset import (
    COMMUNITY_KINDS,
    NAN,
    UNKNOWN,
    Baselines,
    CommunityColumns,
    RegionDataset,
    SkippedRow,
)
from sqfw.entities import (
    CommunityKind,
    Division,
    DivisionKind,
    DivisionLevel,
    Region,
)
from sqfw.entities.divisions import division_level
from sqfw.errors import DataLoadError, DocumentError, Problem

__all__ = ["COLUMNS", "Column", "load_region", "load_table", "save_table", "table_rows"]

OnError = Literal["raise", "skip"]


@attrs.frozen(kw_only=True)
class Column:
    """One field a table can fill, and the headers that name it.

    Attributes:
        field: the field's name (a :class:`CommunityColumns` column or a division fact).
        kind: how a cell is read: ``code``, ``text``, ``kind``, ``count``, ``area``,
            ``flag``.
        headers: accepted headers, Chinese first (matched ignoring case and spaces).
        description: what the column holds.
    """

    field: str
    kind: str
    headers: tuple[str, ...]
    description: str


COLUMNS: tuple[Column, ...] = (
    Column(
        field="code",
        kind="code",
        headers=("社区代码", "社区编码", "区划代码", "code", "community_code"),
        description="12-digit community code (required)",
    ),
    Column(
        field="name",
        kind="text",
        headers=("社区名称", "名称", "name", "community_name"),
        description="community name",
    ),
    Column(
        field="kind",
        kind="kind",
        headers=("社区类型", "类型", "kind", "community_kind", "type"),
        description="community kind: label (城镇社区, 牧区 …) or value (urban, pastoral …)",
    ),
    Column(
        field="households", kind="count", headers=("户数", "households"), description="households"
    ),
    Column(
        field="residents",
        kind="count",
        headers=("常住人口", "resident_population", "residents"),
        description="resident population",
    ),
    Column(
        field="floating",
        kind="count",
        headers=("流动人口", "floating_population", "floating"),
        description="floating population",
    ),
    Column(
        field="volunteers",
        kind="count",
        headers=("注册志愿者", "注册志愿者数", "志愿者", "registered_volunteers", "volunteers"),
        description="registered volunteers",
    ),
    Column(
        field="area",
        kind="area",
        headers=("综合服务设施面积", "设施面积", "facility_area", "facility_area_m2", "area_m2"),
        description="comprehensive facility area, m² (0 = none)",
    ),
    Column(
        field="office",
        kind="area",
        headers=("办公面积", "office_area", "office_area_m2"),
        description="of which office area, m²",
    ),
    Column(
        field="barrier_free",
        kind="flag",
        headers=("无障碍", "无障碍达标", "barrier_free"),
        description="the facility is barrier-free (是/否/blank)",
    ),
    Column(
        field="new_or_renovated",
        kind="flag",
        headers=("新建改造", "新建或改造", "new_or_renovated"),
        description="new or renovated in the plan period",
    ),
    Column(
        field="direct",
        kind="flag",
        headers=("直选", "居委会直选", "direct_election", "direct"),
        description="residents' committee directly elected (blank: no residents' committee)",
    ),
    Column(
        field="smart_infrastructure",
        kind="flag",
        headers=("智慧社区基础设施", "smart_infrastructure"),
        description="smart-community infrastructure built",
    ),
    Column(
        field="smart_sharing",
        kind="flag",
        headers=("平台资源共享", "smart_platform_sharing", "platform_sharing"),
        description="shares resources through the platform",
    ),
    Column(
        field="smart_online",
        kind="flag",
        headers=("网上便民服务", "smart_online_convenience", "online_convenience"),
        description="online convenience services",
    ),
    Column(
        field="township_name",
        kind="text",
        headers=("苏木乡镇街道", "街道乡镇", "街道", "乡镇", "township", "township_name"),
        description="name of the sumu/township/street",
    ),
    Column(
        field="county_name",
        kind="text",
        headers=("旗县市区", "旗县", "county", "county_name", "banner"),
        description="name of the banner/county/district",
    ),
    Column(
        field="prefecture_name",
        kind="text",
        headers=("盟市", "prefecture", "league", "prefecture_name"),
        description="name of the league/city",
    ),
    Column(
        field="street_hall",
        kind="flag",
        headers=("街道公共服务大厅", "street_hall", "public_service_hall"),
        description="the community's street has a public service hall",
    ),
    Column(
        field="pay",
        kind="flag",
        headers=("报酬达标", "旗县报酬达标", "pay_compliant", "meets_pay_requirements"),
        description="the community's county meets the pay documents",
    ),
    Column(
        field="workers",
        kind="count",
        headers=("社区工作者", "社区工作者数", "workers"),
        description="professional community workers serving the community",
    ),
    Column(
        field="workers_associate",
        kind="count",
        headers=("大专以上工作者", "大专以上工作者数", "workers_associate"),
        description="of whom with an associate degree or above",
    ),
)
"""Every column a table may have, with its Chinese and English headers."""


def _norm(header: str) -> str:
    return re.sub(r"[\s_()()²m]+", "", header.strip().lower()) or header.strip().lower()


_BY_HEADER = {_norm(h): column for column in COLUMNS for h in column.headers}
_TRUE = {"是", "有", "y", "yes", "true", "1", "√", "✓", "达标", "直选"}
_FALSE = {"否", "无", "n", "no", "false", "0", "×", "✗", "未达标"}
_KINDS: dict[str, CommunityKind] = {}
for _k in CommunityKind:
    _KINDS[_k.value] = _k
    _KINDS[_k.label_zh] = _k
    _KINDS[_k.label_en.lower()] = _k
_KINDS.update(
    {
        "社区": CommunityKind.URBAN,
        "城市社区": CommunityKind.URBAN,
        "苏木乡镇": CommunityKind.TOWNSHIP_SEAT,
        "乡镇所在地": CommunityKind.TOWNSHIP_SEAT,
        "农村": CommunityKind.RURAL_VILLAGE,
        "嘎查": CommunityKind.PASTORAL,
    }
)


def _missing_extra(what: str) -> ImportError:
    return ImportError(
        f"{what} needs the optional dependencies of sqfw's analysis extra: "
        "pip install 'sqfw[analysis]'"
    )


class _Cell(ValueError):
    """A cell that cannot be read; the message says what was expected."""


def _cell(value: object) -> str:
    """A spreadsheet cell as text: blank for empty, whole floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text(value: object) -> str:
    return _cell(value).strip()


def _read_number(value: str, *, whole: bool, expected: str, sized: str) -> float:
    """A number ≥ 0 as written (``1,200``, ``1e3``, ``450.5``); ``NaN`` for a blank cell."""
    if not value:
        return NAN
    if value.isascii() and value.isdigit() and len(value) < 300:
        return float(value)
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise _Cell(f"expected {expected}, got {value!r}") from None
    if not number.is_finite() or number < 0 or (whole and number != number.to_integral_value()):
        raise _Cell(f"expected {expected}, got {value!r}")
    result = float(number) + 0.0  # + 0.0 turns "-0" into 0
    if math.isinf(result):
        raise _Cell(f"expected {sized} of sensible size, got {value!r}")
    return result


def _read_count(value: str) -> float:
    expected = "a whole number ≥ 0"
    return _read_number(value, whole=True, expected=expected, sized=expected)


def _read_area(value: str) -> float:
    return _read_number(
        value, whole=False, expected="an area in m² (a number ≥ 0)", sized="an area in m²"
    )


def _read_flag(value: str) -> int:
    if not value:
        return UNKNOWN
    lowered = value.lower()
    if lowered in _TRUE:
        return 1
    if lowered in _FALSE:
        return 0
    raise _Cell(f"expected 是/否 (yes/no) or blank, got {value!r}")


def _read_kind(value: str) -> int:
    kind = _KINDS.get(value) or _KINDS.get(value.lower())
    if kind is None:
        labels = "、".join(k.label_zh for k in CommunityKind)
        raise _Cell(f"expected a community kind ({labels}, or urban, pastoral …), got {value!r}")
    return COMMUNITY_KINDS.index(kind)


def _read_code(value: str) -> str:
    if not value:
        raise _Cell("the community code is missing")
    try:
        level = division_level(value)
    except ValueError:
        raise _Cell(f"expected a 12-digit community code, got {value!r}") from None
    if level is not DivisionLevel.VILLAGE:
        raise _Cell(f"expected a community-level code (last three digits ≠ 000), got {value!r}")
    return value


_READERS: dict[str, Callable[[str], Any]] = {
    "count": _read_count,
    "area": _read_area,
    "flag": _read_flag,
    "kind": _read_kind,
    "code": _read_code,
    "text": str.strip,
}


_SUFFIX_KINDS: dict[DivisionLevel, tuple[tuple[str, DivisionKind], ...]] = {
    DivisionLevel.PREFECTURE: (("盟", DivisionKind.LEAGUE),),
    DivisionLevel.COUNTY: (
        ("自治旗", DivisionKind.AUTONOMOUS_BANNER),
        ("旗", DivisionKind.BANNER),
        ("区", DivisionKind.DISTRICT),
        ("县", DivisionKind.COUNTY),
        ("市", DivisionKind.COUNTY_CITY),
    ),
    DivisionLevel.TOWNSHIP: (
        ("街道", DivisionKind.STREET),
        ("苏木", DivisionKind.SUMU),
        ("镇", DivisionKind.TOWN),
        ("乡", DivisionKind.TOWNSHIP),
    ),
}
_DEFAULT_KIND = {
    DivisionLevel.PREFECTURE: DivisionKind.PREFECTURE_CITY,
    DivisionLevel.COUNTY: DivisionKind.COUNTY,
    DivisionLevel.TOWNSHIP: DivisionKind.TOWNSHIP,
}


def _suffix_kind(name: str, level: DivisionLevel) -> DivisionKind:
    for suffix, kind in _SUFFIX_KINDS[level]:
        if name.endswith(suffix):
            return kind
    return _DEFAULT_KIND[level]


_REGION_NAMES = {"15": "内蒙古自治区"}


def _rows_from_csv(path: Path, encoding: str | None) -> Iterator[list[str]]:
    raw = path.read_bytes()
    for candidate in [encoding] if encoding else ["utf-8-sig", "gb18030"]:
        try:
            text = raw.decode(candidate)
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise DataLoadError(
                [Problem(path.name, f"unknown text encoding {candidate!r}")], source=str(path)
            ) from None
        break
    else:
        message = (
            f"the file is not {encoding} text"
            if encoding
            else "the file is neither UTF-8 nor GB18030 text"
        )
        raise DataLoadError([Problem(path.name, message)], source=str(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:  # e.g. a cell above the csv module's size limit
        raise DataLoadError(
            [Problem(f"{path.name}:line {reader.line_num}", f"not readable as CSV: {exc}")],
            source=str(path),
        ) from None


def _rows_from_xlsx(path: Path, sheet: str | None) -> Iterator[list[str]]:
    try:
        import openpyxl
    except ImportError:
        raise _missing_extra("reading Excel files") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DataLoadError(
            [Problem(path.name, f"not a readable .xlsx workbook: {exc}")], source=str(path)
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DataLoadError(
                [
                    Problem(
                        path.name,
                        f"no worksheet {sheet!r}; the workbook has " + ", ".join(book.sheetnames),
                    )
                ],
                source=str(path),
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        for row in ws.iter_rows(values_only=True):
            yield [_cell(v) for v in row]  # spaces kept, as on the CSV paths
    finally:
        book.close()


_BULK_BYTES = 2_000_000
"""CSV files from this size on are parsed by pandas when it is installed."""


def _csv_with_pandas(
    path: Path, encoding: str | None
) -> tuple[list[str] | None, list[list[str]]] | None:
    """Header and columns of a big CSV read by pandas' C parser, or ``None`` without pandas.

    Every cell is read as text (no type guessing, no NA guessing), so the same readers
    decide every cell as on the pure-Python path.
    """
    if path.stat().st_size < _BULK_BYTES:
        return None
    try:
        import pandas as pd
    except ImportError:
        return None
    for candidate in [encoding] if encoding else ["utf-8-sig", "gb18030"]:
        try:
            frame = pd.read_csv(
                path,
                dtype=object,  # plain str objects, cheaper to hand over than a string array
                header=None,
                keep_default_na=False,
                na_filter=False,
                encoding=candidate,
                skip_blank_lines=False,
            )
        except UnicodeDecodeError:
            continue
        except LookupError:
            return None  # an unknown encoding: the csv path reports it
        except (ValueError, pd.errors.ParserError):
            return None  # ragged rows and the like: the csv module reports them row by row
        if not len(frame):
            return None, []
        header = [str(v).strip() for v in frame.iloc[0].tolist()]
        # cells keep their spaces here; each reader strips what it reads
        cells = [frame.iloc[1:, i].tolist() for i in range(frame.shape[1])]
        return header, cells
    return None


def load_table(
    path: str | os.PathLike[str],
    *,
    on_error: OnError = "raise",
    region_name: str | None = None,
    baselines: Baselines | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    progress: Callable[[int, int], None] | None = None,
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

    Returns:
        A :class:`RegionDataset`; unknown headers are kept in ``communities.extra``.

    Raises:
        DataLoadError: bad rows (``on_error="raise"``), no code column, or an unreadable
            file; every problem names file, row and column.
        FileNotFoundError: no such file.
        ImportError: an .xlsx file without the ``sqfw[analysis]`` extra installed.
    """
    if on_error not in ("raise", "skip"):
        raise ValueError(f"on_error: expected 'raise' or 'skip', got {on_error!r}")
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"no such file: {file}")
    suffix = file.suffix.lower()
    if suffix == ".xlsx":
        header, cells = _to_columns(_rows_from_xlsx(file, sheet))
    elif suffix in (".csv", ".txt"):
        fast = _csv_with_pandas(file, encoding)
        header, cells = _to_columns(_rows_from_csv(file, encoding)) if fast is None else fast
    else:
        raise DataLoadError(
            [Problem(file.name, f"expected a .csv or .xlsx file, got {suffix or 'no suffix'!r}")],
            source=str(file),
        )
    return _parse_columns(
        header,
        cells,
        source=file.name,
        full_source=str(file),
        on_error=on_error,
        region_name=region_name,
        baselines=baselines,
        progress=progress,
    )


_BATCH = 500
"""Rows turned into columns at a time: few enough that the row lists are freed before the
cyclic garbage collector is triggered (it would otherwise walk every row kept so far)."""


def _to_columns(rows: Iterable[Sequence[str]]) -> tuple[list[str] | None, list[list[str]]]:
    """The header row and the body's columns (short rows padded with blank cells).

    Cells keep their spaces, as on the pandas path; every reader strips what it reads.
    """
    body = iter(rows)
    first = next(body, None)
    if first is None:
        return None, []
    header = [_text(h) for h in first]
    cells: list[list[str]] = [[] for _ in header]
    read = 0
    while batch := list(islice(body, _BATCH)):
        longest = max(map(len, batch))
        if longest > len(cells):  # cells past the header: kept as columns without a name
            header.extend([""] * (longest - len(header)))
            cells.extend([""] * read for _ in range(longest - len(cells)))
        width = len(cells)
        if any(len(row) < width for row in batch):
            batch = [r if len(r) >= width else [*r, *[""] * (width - len(r))] for r in batch]
        for column, values in zip(cells, zip(*batch, strict=True), strict=True):
            column.extend(values)
        read += len(batch)
    return header, cells


def _parse_columns(
    header: list[str] | None,
    cells: list[list[str]],
    *,
    source: str,
    full_source: str,
    on_error: OnError,
    region_name: str | None,
    baselines: Baselines | None,
    progress: Callable[[int, int], None] | None,
) -> RegionDataset:
    """Read the columns of a table into a dataset.

    ``cells`` is consumed: each column is emptied once read, so the text does not stay in
    memory while the dataset is built.
    """
    if header is None:
        raise DataLoadError([Problem(source, "the table is empty")], source=full_source)
    known: dict[int, Column] = {}
    extra: dict[int, str] = {}
    for position, name in enumerate(header):
        column = _BY_HEADER.get(_norm(name)) if name else None
        if column is not None and column not in known.values():
            known[position] = column
        elif name:
            extra[position] = name
        elif cells and any(v.strip() for v in cells[position]):
            extra[position] = f"column {position + 1}"  # no header, but cells: kept
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
    total = len(cells[0]) if cells else 0
    numbers = list(range(2, total + 2))
    parsed: dict[str, list[Any]] = {}
    errors: dict[int, list[tuple[str | None, str]]] = {}
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
        values, bad = _parse_column(cells[position], column.kind)
        cells[position] = []  # the text is read: let it go while the rest is built
        for index, message in bad:
            if index not in blank:
                errors.setdefault(index, []).append((header[position], message))
        parsed[column.field] = values
        if progress is not None:
            progress(len(parsed), len(known))
    _check_codes(parsed["code"], header[code_position], numbers, errors)
    _consistency(parsed, known, header, errors)
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


_COMMUNITY_CODE = re.compile(
    r"[1-9][0-9](?!00)[0-9]{2}(?!00)[0-9]{2}(?!000)[0-9]{3}(?!000)[0-9]{3}"
)


_NAME_LIMIT = 100
"""The longest name a division or community may have (as the entities allow)."""


def _parse_column(values: list[str], kind: str) -> tuple[list[Any], list[tuple[int, str]]]:
    """Read one column; returns the values (``None`` where bad) and (row index, message).

    Each distinct cell is read once by the strict reader of its kind (a column of 600,000
    counts holds a few thousand distinct texts), then the answers are mapped onto the rows.
    Community codes are all distinct: a pattern decides the well-formed ones in bulk and the
    strict reader says what is wrong with the others.
    """
    read = _READERS[kind]
    if kind == "text":
        out: list[Any] = list(map(str.strip, values))  # the same object when nothing to strip
        if not out or max(map(len, out)) <= _NAME_LIMIT:
            return out, []
        message = f"expected a name of at most {_NAME_LIMIT} characters"
        long = [i for i, v in enumerate(out) if len(v) > _NAME_LIMIT]
        return out, [(i, f"{message}, got {len(out[i])}") for i in long]
    if kind == "code":
        if all(map(_COMMUNITY_CODE.fullmatch, values)):
            return list(values), []
        out = [
            v if m else None
            for v, m in zip(values, map(_COMMUNITY_CODE.fullmatch, values), strict=True)
        ]
        bad: list[tuple[int, str]] = []
        for index, value in enumerate(out):
            if value is None:
                try:
                    out[index] = read(values[index].strip())
                except _Cell as exc:
                    bad.append((index, str(exc)))
        return out, bad
    answers: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for value in set(values):
        try:
            answers[value] = read(value.strip())
        except _Cell as exc:
            problems[value] = str(exc)
    if not problems:
        return list(map(answers.__getitem__, values)), []
    out = list(map(answers.get, values))
    return out, [(i, problems[v]) for i, v in enumerate(values) if v in problems]


def _check_codes(
    codes: list[str | None],
    where: str,
    numbers: list[int],
    errors: dict[int, list[tuple[str | None, str]]],
) -> None:
    """No community code may come twice (a missing or bad code is the reader's to report)."""
    given = len(codes) - codes.count(None)
    distinct = len(set(codes)) - (1 if None in codes else 0)
    if given == distinct:
        return
    seen: dict[str, int] = {}
    for index, code in enumerate(codes):
        if code is None:
            continue
        if code in seen:
            errors.setdefault(index, []).append((where, f"code {code} already on row {seen[code]}"))
        else:
            seen[code] = numbers[index]


def _rows_where(flags: Iterable[object]) -> list[int]:
    """The indices of the true flags."""
    return list(compress(count(), flags))


def _consistency(
    parsed: dict[str, list[Any]],
    known: dict[int, Column],
    header: Sequence[str],
    errors: dict[int, list[tuple[str | None, str]]],
) -> None:
    """The entity rules a row must keep: households vs residents, and parts within wholes.

    Unknown (``NaN``) cells compare false either way and unreadable (``None``) ones are
    left out; the comparisons run column-wise and pick the few rows to look at.
    """
    households = parsed.get("households")
    residents = parsed.get("residents")
    if households is not None and residents is not None:
        where = _header_of(known, header, "households")
        h_col, r_col = _known_pairs(households, residents)
        zero = (0.0).__eq__
        suspects = _rows_where(
            map(
                operator.or_,
                map(operator.gt, h_col, r_col),
                map(operator.ne, map(zero, h_col), map(zero, r_col)),
            )
        )
        for index in suspects:
            h, r = h_col[index], r_col[index]
            if math.isnan(h) or math.isnan(r):
                continue
            if h > r:
                errors.setdefault(index, []).append(
                    (where, f"more households ({h:.0f}) than residents ({r:.0f})")
                )
            else:
                errors.setdefault(index, []).append(
                    (where, "households and residents must both be 0 or both be > 0")
                )
    for part_field, whole_field, say in _PARTS_OF_WHOLES:
        part, whole = parsed.get(part_field), parsed.get(whole_field)
        if part is None or whole is None:
            continue
        where = _header_of(known, header, part_field)
        whole_col, part_col = _known_pairs(whole, part)
        for index in _rows_where(map(operator.gt, part_col, whole_col)):
            errors.setdefault(index, []).append((where, say(part_col[index], whole_col[index])))


_PARTS_OF_WHOLES: tuple[tuple[str, str, Callable[[float, float], str]], ...] = (
    (
        "workers_associate",
        "workers",
        lambda part, whole: (
            f"{part:.0f} with an associate degree, more than the {whole:.0f} workers"
        ),
    ),
    (
        "office",
        "area",
        lambda part, whole: f"office area {part:g} m² above the facility area {whole:g} m²",
    ),
)
"""A figure that is part of another on the same row: (part, whole, what to say)."""


def _known_pairs(first: list[Any], second: list[Any]) -> tuple[list[float], list[float]]:
    """Two number columns with unreadable cells (``None``) as ``NaN``, never compared."""
    if None in first or None in second:
        return (
            [NAN if v is None else v for v in first],
            [NAN if v is None else v for v in second],
        )
    return first, second


def _header_of(known: dict[int, Column], header: Sequence[str], field: str) -> str | None:
    for position, column in known.items():
        if column.field == field:
            return header[position]
    return None


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
    root_code = first[:2] + "0" * 10
    tree = _Tree(parsed)
    other = next((k for k in tree.keys[DivisionLevel.PREFECTURE] if k[:2] != first[:2]), None)
    if other is not None:
        foreign = next(c for c in codes if c.startswith(other))
        raise DataLoadError(
            [Problem(name, f"codes from more than one province-level region: {first}, {foreign}")],
            source=source,
        )
    root = Division(
        code=root_code,
        name=region_name or _REGION_NAMES.get(root_code[:2], root_code),
        kind=DivisionKind.AUTONOMOUS_REGION
        if root_code.startswith("15")
        else DivisionKind.PROVINCE,
    )

    def column(field: str, default: Any) -> list[Any]:
        values = parsed.get(field)
        return [default] * n if values is None else values

    names = parsed.get("name")
    kinds = column("kind", COMMUNITY_KINDS.index(CommunityKind.URBAN))
    columns: dict[str, Any] = {
        "code": codes,
        "name": codes
        if names is None
        else (names if "" not in names else [v or c for v, c in zip(names, codes, strict=True)]),
        "kind": kinds,
        "township": tree.township_of_row,
    }
    for field in ("households", "residents", "floating", "volunteers", "area", "office"):
        columns[field] = column(field, NAN)
    columns["new_or_renovated"] = [1 if v == 1 else 0 for v in column("new_or_renovated", 0)]
    for field in ("direct", "smart_infrastructure", "smart_sharing", "smart_online"):
        columns[field] = column(field, UNKNOWN)
    area = columns["area"]
    flags = column("barrier_free", UNKNOWN)
    has = list(map((0.0).__lt__, area))  # NaN compares false: no facility known
    columns["facilities"] = has  # booleans count as 1 and 0 in the integer arrays
    columns["barrier_free_yes"] = list(map(operator.and_, has, map(operator.eq, flags, repeat(1))))
    columns["barrier_free_no"] = list(map(operator.and_, has, map(operator.eq, flags, repeat(0))))
    columns["extra"] = extra
    communities = CommunityColumns(**columns)
    del columns, has, flags, area
    for field in _COMMUNITY_FIELDS:
        parsed.pop(field, None)  # now held as arrays by ``communities``
    workers, associate = tree.county_workers(parsed.get("workers"), parsed.get("workers_associate"))
    return RegionDataset(
        root=root,
        prefectures=tuple(tree.divisions(DivisionLevel.PREFECTURE)),
        counties=tuple(tree.divisions(DivisionLevel.COUNTY)),
        townships=tuple(tree.divisions(DivisionLevel.TOWNSHIP)),
        county_prefecture=tree.county_prefecture,
        township_county=tree.township_county,
        communities=communities,
        county_workers=workers,
        county_workers_associate=associate,
        baselines=baselines or Baselines(),
        source=name,
        skipped=skipped,
    )


_COMMUNITY_FIELDS = (
    "kind",
    "households",
    "residents",
    "floating",
    "volunteers",
    "area",
    "office",
    "barrier_free",
    "new_or_renovated",
    "direct",
    "smart_infrastructure",
    "smart_sharing",
    "smart_online",
)
"""Columns only the communities need; the division tables read the others."""
_NAME_FIELD = {
    DivisionLevel.PREFECTURE: "prefecture_name",
    DivisionLevel.COUNTY: "county_name",
    DivisionLevel.TOWNSHIP: "township_name",
}
_FACT_FIELD = {DivisionLevel.COUNTY: "pay", DivisionLevel.TOWNSHIP: "street_hall"}


class _Tree:
    """The leagues, counties and townships named by the rows' codes, in order of appearance.

    Every table is computed per column: the rows' township keys once, then the (far fewer)
    distinct keys. Names, street halls and pay come from the first row that answers.
    """

    def __init__(self, parsed: dict[str, list[Any]]) -> None:
        self.parsed = parsed
        township_keys = [code[:9] for code in parsed["code"]]
        self.township_keys = township_keys
        townships = list(dict.fromkeys(township_keys))
        counties = list(dict.fromkeys(key[:6] for key in townships))
        prefectures = list(dict.fromkeys(key[:4] for key in counties))
        self.keys = {
            DivisionLevel.PREFECTURE: prefectures,
            DivisionLevel.COUNTY: counties,
            DivisionLevel.TOWNSHIP: townships,
        }
        township_index = {key: i for i, key in enumerate(townships)}
        county_index = {key: i for i, key in enumerate(counties)}
        prefecture_index = {key: i for i, key in enumerate(prefectures)}
        self.township_of_row = list(map(township_index.__getitem__, township_keys))
        self.township_county = [county_index[key[:6]] for key in townships]
        self.county_prefecture = [prefecture_index[key[:4]] for key in counties]

    def _first_answers(self, level: DivisionLevel, field: str, unknown: object) -> dict[str, Any]:
        """For each key at ``level``, the first value of ``field`` that is not ``unknown``."""
        values = self.parsed.get(field)
        if values is None:
            return {}
        if unknown in values:
            first_row = self._first_rows(level, _rows_where(map(unknown.__ne__, values)))
        else:  # every row answers: the first row of each division
            first_row = self._first_rows(level, None)
        return {key: values[row] for key, row in first_row.items()}

    def _first_rows(self, level: DivisionLevel, rows: list[int] | None) -> dict[str, int]:
        """For each key at ``level``, the first of ``rows`` (default: all rows) in it."""
        first = self._first_of_each_township if rows is None else self._first_among(rows)
        if level is DivisionLevel.TOWNSHIP:
            return first
        cut = 6 if level is DivisionLevel.COUNTY else 4
        above: dict[str, int] = {}
        for key, row in first.items():
            short = key[:cut]
            if row < above.get(short, row + 1):
                above[short] = row
        return above

    def _first_among(self, rows: Sequence[int]) -> dict[str, int]:
        """For each township, the first of ``rows`` in it."""
        townships = self.township_keys
        # built from the last row to the first, so the first one is kept
        return dict(zip(map(townships.__getitem__, reversed(rows)), reversed(rows), strict=True))

    @functools.cached_property
    def _first_of_each_township(self) -> dict[str, int]:
        """Each township's first row (the same for every field every row answers)."""
        return self._first_among(range(len(self.township_keys)))

    def divisions(self, level: DivisionLevel) -> list[Division]:
        """The divisions at ``level``: named by the rows, their kind read from the name."""
        keys = self.keys[level]
        names = self._first_answers(level, _NAME_FIELD[level], "")
        fact_field = _FACT_FIELD.get(level)
        facts = self._first_answers(level, fact_field, UNKNOWN) if fact_field else {}
        zeros = "0" * (12 - len(keys[0])) if keys else ""
        out = []
        for key in keys:
            code = key + zeros
            label = names.get(key) or code
            kind = _suffix_kind(label, level)
            fact = facts.get(key)
            hall = pay = None
            if fact is not None and level is DivisionLevel.TOWNSHIP:
                hall = bool(fact)
                kind = DivisionKind.STREET
            elif fact is not None:
                pay = bool(fact)
            out.append(
                Division(
                    code=code,
                    name=label,
                    kind=kind,
                    public_service_hall=hall,
                    meets_pay_requirements=pay,
                )
            )
        return out

    def county_workers(
        self, workers: list[float] | None, associate: list[float] | None
    ) -> tuple[list[float], list[float]]:
        """Per county, workers and of whom with an associate degree (``NaN``: unknown).

        The workers are the sum over the rows that give a count. The associate-degree
        count is known only when every row that gives either figure gives both.
        """
        n = len(self.township_keys)
        totals = [NAN] * len(self.keys[DivisionLevel.COUNTY])
        degree = [NAN] * len(totals)
        if workers is None and associate is None:
            return totals, degree
        given_w = workers if workers is not None else [NAN] * n
        given_a = associate if associate is not None else [NAN] * n
        county = self.township_county
        township = self.township_of_row
        partial: set[int] = set()
        known_w = map(operator.eq, given_w, given_w)  # NaN != NaN
        known_a = map(operator.eq, given_a, given_a)
        rows = _rows_where(map(operator.or_, known_w, known_a))  # rows giving either figure
        for index in rows:
            c = county[township[index]]
            w, a = given_w[index], given_a[index]
            if math.isnan(w) or math.isnan(a):
                partial.add(c)
            if not math.isnan(w):
                totals[c] = w if math.isnan(totals[c]) else totals[c] + w
            if not math.isnan(a):
                degree[c] = a if math.isnan(degree[c]) else degree[c] + a
        for c in partial:
            degree[c] = NAN
        return totals, degree


def load_region(
    path: str | os.PathLike[str],
    *,
    on_error: OnError = "raise",
    baselines: Baselines | None = None,
    **options: Any,
) -> RegionDataset:
    """Load a region from a JSON region document, a CSV or an Excel (.xlsx) table.

    Args:
        path: the file; its suffix decides how it is read.
        on_error: for tables, ``"raise"`` or ``"skip"`` (see :func:`load_table`).
        baselines: earlier figures for "higher than before" targets.
        **options: further options of :func:`load_table`.

    Raises:
        FileNotFoundError: no such file.
        DocumentError: a JSON document with problems (each with its ``$.path``).
        DataLoadError: a table with bad rows (each with file, row and column).
    """
    file = Path(path)
    if not file.is_file():
        raise FileNotFoundError(f"no such file: {file}")
    if file.suffix.lower() == ".json":
        from sqfw.serialization import loads

        try:
            text = file.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise DocumentError(
                [Problem("$", f"not UTF-8 text: {exc}")], source=str(file)
            ) from None
        region = loads(Region, text, source=str(file))
        return RegionDataset.from_region(region, baselines=baselines, source=file.name)
    return load_table(file, on_error=on_error, baselines=baselines, **options)


def _cell_number(value: float) -> str:
    if math.isnan(value):
        return ""
    return str(int(value)) if value.is_integer() else repr(value)


def _cell_flag(value: int) -> str:
    return "" if value == UNKNOWN else ("是" if value else "否")


def table_rows(dataset: RegionDataset, *, lang: Literal["zh", "en"] = "zh") -> Iterator[list[str]]:
    """The dataset as table rows (header first), in the layout :func:`load_table` reads."""
    fields = list(COLUMNS)
    yield [
        c.headers[0] if lang == "zh" else next(h for h in c.headers if h.isascii()) for c in fields
    ] + list(dataset.communities.extra)
    c = dataset.communities
    d = dataset
    for i in range(len(c)):
        t = c.township[i]
        county = d.township_county[t]
        township = d.townships[t]
        county_division = d.counties[county]
        has = c.facilities[i] > 0
        barrier = UNKNOWN
        if has:
            barrier = (
                0
                if c.barrier_free_no[i]
                else (1 if c.barrier_free_yes[i] >= c.facilities[i] else UNKNOWN)
            )
        hall = township.public_service_hall
        pay = county_division.meets_pay_requirements
        values = {
            "code": c.code[i],
            "name": c.name[i],
            "kind": COMMUNITY_KINDS[c.kind[i]].label_zh
            if lang == "zh"
            else COMMUNITY_KINDS[c.kind[i]].value,
            "households": _cell_number(c.households[i]),
            "residents": _cell_number(c.residents[i]),
            "floating": _cell_number(c.floating[i]),
            "volunteers": _cell_number(c.volunteers[i]),
            "area": _cell_number(c.area[i]),
            "office": _cell_number(c.office[i]),
            "barrier_free": _cell_flag(barrier),
            "new_or_renovated": _cell_flag(c.new_or_renovated[i]),
            "direct": _cell_flag(c.direct[i]),
            "smart_infrastructure": _cell_flag(c.smart_infrastructure[i]),
            "smart_sharing": _cell_flag(c.smart_sharing[i]),
            "smart_online": _cell_flag(c.smart_online[i]),
            "township_name": township.name,
            "county_name": county_division.name,
            "prefecture_name": d.prefectures[d.county_prefecture[county]].name,
            "street_hall": "" if hall is None else ("是" if hall else "否"),
            "pay": "" if pay is None else ("是" if pay else "否"),
            "workers": "",
            "workers_associate": "",
        }
        yield [values[col.field] for col in fields] + [v[i] for v in c.extra.values()]


def save_table(
    dataset: RegionDataset,
    path: str | os.PathLike[str],
    *,
    lang: Literal["zh", "en"] = "zh",
) -> Path:
    """Write the dataset as a CSV (UTF-8 with BOM, as spreadsheets expect) or .xlsx table.

    County worker counts are written on the first row of each county, so reading the
    table back gives the same county figures.

    Args:
        dataset: the region.
        path: a ``.csv`` or ``.xlsx`` file.
        lang: Chinese or English headers.

    Returns:
        The path written.
    """
    file = Path(path)
    rows = table_rows(dataset, lang=lang)
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
            raise _missing_extra("writing Excel files") from None
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet("社区")
        sheet.append(header)
        for i, row in enumerate(rows):
            sheet.append(fill(i, row))
        book.save(file)
        return file
    with file.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for i, row in enumerate(rows):
            writer.writerow(fill(i, row))
    return file
