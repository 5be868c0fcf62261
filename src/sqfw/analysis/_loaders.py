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
import io
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal, InvalidOperation
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
    build_tree,
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


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_count(value: str) -> float:
    if not value:
        return NAN
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise _Cell(f"expected a whole number ≥ 0, got {value!r}") from None
    if not number.is_finite() or number < 0 or number != number.to_integral_value():
        raise _Cell(f"expected a whole number ≥ 0, got {value!r}")
    return float(number)


def _read_area(value: str) -> float:
    if not value:
        return NAN
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise _Cell(f"expected an area in m² (a number ≥ 0), got {value!r}") from None
    if not number.is_finite() or number < 0:
        raise _Cell(f"expected an area in m² (a number ≥ 0), got {value!r}")
    return float(number)


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
    "text": lambda v: v,
}


def _suffix_kind(name: str, level: DivisionLevel) -> DivisionKind:
    rules = {
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
    }[level]
    for suffix, kind in rules:
        if name.endswith(suffix):
            return kind
    return {
        DivisionLevel.PREFECTURE: DivisionKind.PREFECTURE_CITY,
        DivisionLevel.COUNTY: DivisionKind.COUNTY,
        DivisionLevel.TOWNSHIP: DivisionKind.TOWNSHIP,
    }[level]


_REGION_NAMES = {"15": "内蒙古自治区"}


def _rows_from_csv(path: Path, encoding: str | None) -> Iterator[list[str]]:
    raw = path.read_bytes()
    for candidate in [encoding] if encoding else ["utf-8-sig", "gb18030"]:
        try:
            text = raw.decode(candidate)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise DataLoadError(
            [Problem(f"{path.name}", "the file is neither UTF-8 nor GB18030 text")],
            source=str(path),
        )
    yield from csv.reader(io.StringIO(text, newline=""))


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
        ws = book[sheet] if sheet else book.worksheets[0]
        for row in ws.iter_rows(values_only=True):
            yield [_text(v) for v in row]
    finally:
        book.close()


def _csv_with_pandas(
    path: Path, encoding: str | None
) -> tuple[list[list[str]], list[list[str]]] | None:
    """Header and columns of a big CSV read by pandas' C parser, or ``None`` without pandas.

    Every cell is read as text (no type guessing, no NA guessing), so the same readers
    decide every cell as on the pure-Python path.
    """
    if path.stat().st_size < 2_000_000:
        return None
    try:
        import pandas as pd
    except ImportError:
        return None
    for candidate in [encoding] if encoding else ["utf-8-sig", "gb18030"]:
        try:
            frame = pd.read_csv(
                path,
                dtype=str,
                header=None,
                keep_default_na=False,
                na_filter=False,
                encoding=candidate,
                skip_blank_lines=False,
            )
        except UnicodeDecodeError:
            continue
        except (ValueError, pd.errors.ParserError):
            return None  # ragged rows and the like: the csv module reports them row by row
        header = [str(v).strip() for v in frame.iloc[0].tolist()] if len(frame) else []
        # cells keep their spaces here; a cell a fast reader cannot decide is stripped
        # and read again strictly
        cells = [frame.iloc[1:, i].tolist() for i in range(frame.shape[1])]
        return [header], cells
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
        progress: called with (rows read, rows in all) every 10,000 rows.

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
    cells = None
    if suffix == ".xlsx":
        rows = list(_rows_from_xlsx(file, sheet))
    elif suffix in (".csv", ".txt"):
        fast = _csv_with_pandas(file, encoding)
        if fast is None:
            rows = list(_rows_from_csv(file, encoding))
        else:
            rows, cells = fast
    else:
        raise DataLoadError(
            [Problem(file.name, f"expected a .csv or .xlsx file, got {suffix or 'no suffix'!r}")],
            source=str(file),
        )
    return _parse_rows(
        rows,
        cells=cells,
        source=file.name,
        full_source=str(file),
        on_error=on_error,
        region_name=region_name,
        baselines=baselines,
        progress=progress,
    )


def _parse_rows(
    rows: Sequence[Sequence[str]],
    *,
    cells: list[list[str]] | None = None,
    source: str,
    full_source: str,
    on_error: OnError,
    region_name: str | None,
    baselines: Baselines | None,
    progress: Callable[[int, int], None] | None,
) -> RegionDataset:
    if not rows:
        raise DataLoadError([Problem(source, "the table is empty")], source=full_source)
    header = [_text(h) for h in rows[0]]
    known: dict[int, Column] = {}
    extra: dict[int, str] = {}
    for position, name in enumerate(header):
        column = _BY_HEADER.get(_norm(name)) if name else None
        if column is not None and column not in known.values():
            known[position] = column
        elif name:
            extra[position] = name
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
    width = len(header)
    body = rows[1:]
    total = len(cells[0]) if cells else len(body)
    numbers = list(range(2, total + 2))
    # column-major from here on: one reader per column is much faster than per-cell dispatch
    if cells is None:
        padded = (row if len(row) >= width else [*row, *[""] * (width - len(row))] for row in body)
        cells = [list(map(str.strip, column)) for column in zip(*padded, strict=False)]
        if not cells:
            cells = [[] for _ in header]
    parsed: dict[str, list[Any]] = {}
    errors: dict[int, list[tuple[str | None, str]]] = {}
    blank = [not any(values) for values in zip(*cells, strict=True)] if cells else []
    for position, column in known.items():
        values, bad = _parse_column(cells[position], column.kind)
        for index, message in bad:
            if not blank[index]:
                errors.setdefault(index, []).append((header[position], message))
        parsed[column.field] = values
        if progress is not None:
            progress(len(parsed), len(known))
    code_header = _header_of(known, header, "code")
    seen: dict[str, int] = {}
    for index, code in enumerate(parsed["code"]):
        if blank[index]:
            continue
        if code is None:
            if index not in errors:
                errors[index] = [(code_header, "the community code is missing")]
            continue
        if code in seen:
            errors.setdefault(index, []).append(
                (code_header, f"code {code} already on row {seen[code]}")
            )
        else:
            seen[code] = numbers[index]
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
    keep = [i for i in range(total) if not blank[i] and i not in errors]
    if not keep:
        raise DataLoadError(problems or [Problem(source, "no community rows")], source=full_source)
    extra_columns = {name: cells[p] for p, name in extra.items()}
    if len(keep) < total:
        parsed = {field: [values[i] for i in keep] for field, values in parsed.items()}
        extra_columns = {k: [v[i] for i in keep] for k, v in extra_columns.items()}
    return _build(parsed, extra_columns, source, region_name, baselines, tuple(skipped))


_FLAGS = {**dict.fromkeys(_TRUE, 1), **dict.fromkeys(_FALSE, 0), "": UNKNOWN}
_KIND_INDEX = {k: COMMUNITY_KINDS.index(v) for k, v in _KINDS.items()}
_BAD: Any = object()
"""Marks a cell the fast readers could not decide; the strict reader then says why."""
_COMMUNITY_CODE = re.compile(r"[1-9]\d(?!00)\d{2}(?!00)\d{2}(?!000)\d{3}(?!000)\d{3}")


def _parse_column(values: list[str], kind: str) -> tuple[list[Any], list[tuple[int, str]]]:
    """Read one column; returns the values (``None`` where bad) and (row index, message).

    Fast readers handle the common cells in bulk; every other cell goes to the strict
    reader of its kind, which either reads it or says what was expected.
    """
    if kind == "flag":
        get = _FLAGS.get
        out: list[Any] = [get(v, _BAD) for v in values]
    elif kind == "kind":
        get = _KIND_INDEX.get
        out = [get(v, _BAD) for v in values]
    elif kind in ("count", "area"):
        out = _numbers(values, whole=kind == "count")
    elif kind == "code":
        out = [
            v if m else _BAD
            for v, m in zip(values, map(_COMMUNITY_CODE.fullmatch, values), strict=True)
        ]
    else:
        out = [v.strip() for v in values]
    bad: list[tuple[int, str]] = []
    if _BAD not in out:
        return out, bad
    reader = _READERS[kind]
    for index, value in enumerate(out):
        if value is _BAD:
            try:
                out[index] = reader(values[index].strip())
            except _Cell as exc:
                out[index] = None
                bad.append((index, str(exc)))
    return out, bad


def _numbers(values: list[str], *, whole: bool) -> list[Any]:
    """Numbers of a column; cells that are not plain numbers ≥ 0 are marked for a re-read."""
    if len(values) > 10_000:
        bulk = _numbers_in_bulk(values, whole=whole)
        if bulk is not None:
            return bulk
    out: list[Any] = []
    for value in values:
        if value.isdigit():
            out.append(float(value))
        elif not value:
            out.append(NAN)
        elif whole:
            out.append(_BAD)
        else:
            try:
                number = float(value)
            except ValueError:
                out.append(_BAD)
                continue
            out.append(number if 0 <= number < math.inf and "_" not in value else _BAD)
    return out


def _numbers_in_bulk(values: list[str], *, whole: bool) -> list[Any] | None:
    """The same with NumPy (and pandas for columns with stray text); ``None`` without."""
    try:
        import numpy as np
    except ImportError:
        return None
    text = np.array(values, dtype=str)
    blank = text == ""
    try:
        numbers = np.where(blank, "nan", text).astype(np.float64)
        odd = np.zeros(len(values), dtype=bool)
    except ValueError:
        try:
            import pandas as pd
        except ImportError:
            return None
        numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(
            dtype="float64", na_value=np.nan
        )
        odd = np.isnan(numbers) & ~blank
    with np.errstate(invalid="ignore"):
        odd |= (numbers < 0) | np.isinf(numbers)
        odd |= np.isnan(numbers) & ~blank  # a literal "nan" in a cell
        if whole:
            odd |= ~np.isnan(numbers) & (numbers != np.floor(numbers))
    out: list[Any] = numbers.tolist()
    for index in np.flatnonzero(odd).tolist():
        out[index] = _BAD
    return out


def _consistency(
    parsed: dict[str, list[Any]],
    known: dict[int, Column],
    header: Sequence[str],
    errors: dict[int, list[tuple[str | None, str]]],
) -> None:
    """The entity rules a row must keep (households vs residents, office within area)."""
    households = parsed.get("households")
    residents = parsed.get("residents")
    if households is not None and residents is not None:
        where = _header_of(known, header, "households")
        for index, (h, r) in enumerate(zip(households, residents, strict=True)):
            if h is None or r is None or math.isnan(h) or math.isnan(r):
                continue
            if h > r:
                errors.setdefault(index, []).append(
                    (where, f"more households ({h:.0f}) than residents ({r:.0f})")
                )
            elif (h == 0) != (r == 0):
                errors.setdefault(index, []).append(
                    (where, "households and residents must both be 0 or both be > 0")
                )
    area = parsed.get("area")
    office = parsed.get("office")
    if area is not None and office is not None:
        where = _header_of(known, header, "office")
        for index, (a, o) in enumerate(zip(area, office, strict=True)):
            if a is None or o is None or math.isnan(a) or math.isnan(o):
                continue
            if o > a:
                errors.setdefault(index, []).append(
                    (where, f"office area {o:g} m² above the facility area {a:g} m²")
                )


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
) -> RegionDataset:
    codes: list[str] = parsed["code"]
    n = len(codes)
    first = codes[0]
    root_code = first[:2] + "0" * 10
    foreign = next((c for c in codes if not c.startswith(first[:2])), None)
    if foreign is not None:
        raise DataLoadError(
            [
                Problem(
                    source, f"codes from more than one province-level region: {first}, {foreign}"
                )
            ],
            source=source,
        )
    root = Division(
        code=root_code,
        name=region_name or _REGION_NAMES.get(root_code[:2], root_code),
        kind=DivisionKind.AUTONOMOUS_REGION
        if root_code.startswith("15")
        else DivisionKind.PROVINCE,
    )
    tree = build_tree(root, _divisions(parsed))

    def column(field: str, default: Any) -> list[Any]:
        values = parsed.get(field)
        return [default] * n if values is None else values

    names = parsed.get("name")
    kinds = column("kind", COMMUNITY_KINDS.index(CommunityKind.URBAN))
    columns: dict[str, Any] = {
        "code": codes,
        "name": codes if names is None else [v or c for v, c in zip(names, codes, strict=True)],
        "kind": kinds,
        "township": [tree.township_index(c) for c in codes],
    }
    for field in ("households", "residents", "floating", "volunteers", "area", "office"):
        columns[field] = column(field, NAN)
    columns["new_or_renovated"] = [max(v, 0) for v in column("new_or_renovated", 0)]
    for field in ("direct", "smart_infrastructure", "smart_sharing", "smart_online"):
        columns[field] = column(field, UNKNOWN)
    area = columns["area"]
    flags = column("barrier_free", UNKNOWN)
    has = [a > 0 for a in area]  # NaN > 0 is False
    columns["facilities"] = [1 if h else 0 for h in has]
    columns["barrier_free_yes"] = [
        1 if h and f == 1 else 0 for h, f in zip(has, flags, strict=True)
    ]
    columns["barrier_free_no"] = [1 if h and f == 0 else 0 for h, f in zip(has, flags, strict=True)]
    columns["extra"] = extra
    workers = [0.0] * len(tree.counties)
    associate = [0.0] * len(tree.counties)
    worker_counts = parsed.get("workers")
    associate_counts = column("workers_associate", NAN)
    if worker_counts is None:
        workers = [NAN] * len(tree.counties)
        associate = [NAN] * len(tree.counties)
    else:
        for code, w, a in zip(codes, worker_counts, associate_counts, strict=True):
            county = tree.county_index(code)
            workers[county] += 0.0 if math.isnan(w) else w
            associate[county] += 0.0 if math.isnan(a) else a
    return RegionDataset(
        root=root,
        prefectures=tuple(tree.prefectures),
        counties=tuple(tree.counties),
        townships=tuple(tree.townships),
        county_prefecture=tree.county_prefecture,
        township_county=tree.township_county,
        communities=CommunityColumns(**columns),
        county_workers=workers,
        county_workers_associate=associate,
        baselines=baselines or Baselines(),
        source=source,
        skipped=skipped,
    )


_CUT = {DivisionLevel.PREFECTURE: 4, DivisionLevel.COUNTY: 6, DivisionLevel.TOWNSHIP: 9}
_NAME_FIELD = {
    DivisionLevel.PREFECTURE: "prefecture_name",
    DivisionLevel.COUNTY: "county_name",
    DivisionLevel.TOWNSHIP: "township_name",
}


def _divisions(parsed: dict[str, list[Any]]) -> list[Division]:
    """Divisions named by the rows (names, street halls, pay); the first answer wins."""
    codes: list[str] = parsed["code"]
    out = []
    for level, keep in _CUT.items():
        names = parsed.get(_NAME_FIELD[level])
        facts = (
            parsed.get("street_hall" if level is DivisionLevel.TOWNSHIP else "pay")
            if level is not DivisionLevel.PREFECTURE
            else None
        )
        keys = [code[:keep] for code in codes]
        # the first answer wins: build each mapping from the last row to the first
        order = dict.fromkeys(keys)
        named: dict[str, str] = {}
        if names is not None:
            named = {k: n for k, n in zip(reversed(keys), reversed(names), strict=True) if n}
        answered: dict[str, int] = {}
        if facts is not None:
            answered = {
                k: f
                for k, f in zip(reversed(keys), reversed(facts), strict=True)
                if f is not None and f != UNKNOWN
            }
        found = {k: (named.get(k), answered.get(k, UNKNOWN)) for k in order}
        for key, (name, fact) in found.items():
            code = key + "0" * (12 - keep)
            label = name or code
            kind = _suffix_kind(label, level)
            hall = pay = None
            if level is DivisionLevel.TOWNSHIP and fact != UNKNOWN:
                hall = bool(fact)
                kind = DivisionKind.STREET
            if level is DivisionLevel.COUNTY and fact != UNKNOWN:
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
