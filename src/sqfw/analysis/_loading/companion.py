"""Companion figures: what an assessment reads beside the communities, kept with the file.

A table or a region document holds the communities; an assessment also reads earlier
figures (:class:`~sqfw.analysis.Baselines`: the previous term's direct-election ratio,
the 12th plan's associate-degree share, the earlier urban facility coverage) and, for a
region document, each county's worker figures. They travel in a companion:

=============  ===============================================================
region file    companion
=============  ===============================================================
``x.csv``      ``x.baselines.csv``: two columns, ``项目,数值`` (or ``key,value``)
``x.xlsx``     the workbook's sheet ``基期数据`` (or ``baselines``), the same two columns
``x.json``     ``x.baselines.json``: ``{"kind": "baselines", "baselines": {…},
               "county_workers": {code: {"workers": n, "workers_associate": m}}}``
=============  ===============================================================

Keys are the :class:`~sqfw.analysis.Baselines` attribute names, or their Chinese labels;
values are ratios as written by people (``0.68``, ``68%``, ``17/25``), kept exact. The
same files are what ``sqfw assess --baselines FILE`` reads.

A table has no row for the region itself, so a table's companion also keeps the region's
name (``地区名称`` or ``region_name``) when it is not the one its code gives
(:data:`~sqfw.entities.divisions.PROVINCES`): a region saved as a table and loaded again
keeps its name (``内蒙古自治区(样例)``, ``全国(合成样例)``).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from sqfw._args import existing_file
from sqfw._cells import original_text, spreadsheet_text
from sqfw._files import atomic_write
from sqfw.analysis._dataset import Baselines, RegionDataset
from sqfw.analysis._loading.cells import BadCell, read_name
from sqfw.analysis._loading.sources import missing_extra
from sqfw.entities.divisions import PROVINCES
from sqfw.errors import DataLoadError, InvalidEntityError, Problem, show_value
from sqfw.limits import MAX_NAME_CHARS

__all__ = [
    "BASELINE_LABELS",
    "REGION_NAME_LABELS",
    "SHEET",
    "Companion",
    "apply_companion",
    "code_name",
    "companion_of",
    "find_companion",
    "own_region_name",
    "read_companion",
    "write_companion",
]

SHEET = ("基期数据", "baselines")
"""The names of a workbook's companion sheet (Chinese, English)."""

BASELINE_LABELS: dict[str, tuple[str, str]] = {
    "previous_direct_election_ratio": (
        "上一届居委会直选比例",
        "previous term's direct-election ratio",
    ),
    "associate_share_12th_plan": (
        "十二五期末大专以上学历工作者占比",
        "12th plan's share of workers with an associate degree",
    ),
    "urban_facility_coverage_previous": (
        "上期城镇社区综合服务设施覆盖率",
        "earlier urban facility coverage",
    ),
}
"""Each baseline's Chinese and English label (either may be used as its key)."""

REGION_NAME_LABELS = ("地区名称", "region_name")
"""The companion key of the region's name (Chinese, English)."""

_KEYS = {
    **{name: name for name in BASELINE_LABELS},
    **{zh: name for name, (zh, _) in BASELINE_LABELS.items()},
}
_HEADER = {"zh": ("项目", "数值"), "en": ("key", "value")}


@attrs.frozen(kw_only=True)
class Companion:
    """What a companion holds: the baselines and, for documents, county worker figures.

    Attributes:
        baselines: the earlier figures.
        county_workers: by county code, (workers, of whom with an associate degree).
        region_name: the region's name, when the file gives one.
        source: the file read.
    """

    baselines: Baselines = attrs.field(factory=Baselines)
    county_workers: Mapping[str, tuple[float, float]] = attrs.field(factory=dict)
    region_name: str | None = None
    source: str = ""


def companion_of(path: str | os.PathLike[str]) -> Path | None:
    """The companion file of a region file (``None`` for a workbook: it is a sheet)."""
    file = Path(path)
    suffix = file.suffix.lower()
    if suffix == ".xlsx":
        return None
    return file.with_name(f"{file.stem}.baselines{'.json' if suffix == '.json' else '.csv'}")


def find_companion(path: str | os.PathLike[str]) -> Companion | None:
    """The companion of a region file when it has one (a file beside it, or a sheet)."""
    file = Path(path)
    if file.suffix.lower() == ".xlsx":
        return _from_sheet(file, required=False)
    beside = companion_of(file)
    if beside is None or not beside.is_file():
        return None
    return read_companion(beside)


def read_companion(path: str | os.PathLike[str]) -> Companion:
    """Read a companion file: ``.csv``, ``.xlsx`` (its companion sheet) or ``.json``.

    Raises:
        DataLoadError: an unknown key, a value that is not a ratio from 0 to 1, a malformed
            file; each problem names the file and the row or key.
        MissingFileError: no such file (a ``FileNotFoundError``).
    """
    file = existing_file("path", path)
    suffix = file.suffix.lower()
    if suffix == ".xlsx":
        found = _from_sheet(file, required=True)
        assert found is not None  # required: a missing sheet raised
        return found
    if suffix == ".json":
        return _from_json(file)
    if suffix in (".csv", ".txt"):
        text = file.read_bytes().decode("utf-8-sig", errors="strict")
        return _from_rows(list(csv.reader(io.StringIO(text, newline=""))), file)
    raise DataLoadError(
        [Problem(file.name, f"expected a .csv, .xlsx or .json file, got {suffix or 'none'!r}")],
        source=str(file),
    )


def _ratio(value: object, where: str, problems: list[Problem]) -> Fraction | None:
    text = str(value).strip() if value is not None else ""
    if not text:
        return None
    try:
        ratio = Fraction(text[:-1].strip()) / 100 if text.endswith(("%", "%")) else Fraction(text)
    except (ValueError, ZeroDivisionError):
        problems.append(Problem(where, f"expected a ratio (0.68, 68% or 17/25), got {text!r}"))
        return None
    if not 0 <= ratio <= 1:
        problems.append(Problem(where, f"expected a ratio from 0 to 1, got {text!r}"))
        return None
    return ratio


def _baselines(items: Sequence[tuple[str, object, str]], file: Path) -> Baselines:
    """Baselines from (key, value, where) items."""
    problems: list[Problem] = []
    values: dict[str, Fraction | None] = {}
    for key, value, where in items:
        name = _KEYS.get(str(key).strip())
        if name is None:
            allowed = ", ".join(BASELINE_LABELS)
            problems.append(Problem(where, f"unknown key {key!r}; expected one of {allowed}"))
            continue
        values[name] = _ratio(value, where, problems)
    if problems:
        raise DataLoadError(problems, source=str(file))
    return Baselines(**values)


def _from_rows(rows: list[list[str]], file: Path, name: str | None = None) -> Companion:
    label = name or file.name
    body = [r for r in rows if any(str(c).strip() for c in r)]
    if body and [str(c).strip().lower() for c in body[0][:2]] in (
        list(_HEADER["zh"]),
        list(_HEADER["en"]),
    ):
        body = body[1:]
    items = []
    region_name = None
    for number, row in enumerate(body, start=2):
        cells = [*row, "", ""]
        value = original_text(cells[1]) if isinstance(cells[1], str) else cells[1]
        where = f"{label}:row {number}"
        if str(cells[0]).strip() in REGION_NAME_LABELS:
            region_name = _region_name(value, where, file)
        else:
            items.append((str(cells[0]), value, where))
    return Companion(baselines=_baselines(items, file), region_name=region_name, source=str(file))


def _region_name(value: object, where: str, file: Path) -> str:
    """The region's name as the companion gives it: a name as a name cell is read (the
    text rule, at most :data:`~sqfw.limits.MAX_NAME_CHARS` characters), not blank."""
    reason = None
    if isinstance(value, str):
        try:
            name = read_name(value)
        except BadCell as exc:
            reason = str(exc)
        else:
            if name:
                return name
    expected = f"expected the region's name (1 to {MAX_NAME_CHARS} characters)"
    said = (
        f"{expected}; {reason.removeprefix('expected ')}"
        if reason
        else (f"{expected}, got {show_value(value)}")
    )
    raise DataLoadError([Problem(where, said)], source=str(file))


def _from_sheet(file: Path, *, required: bool) -> Companion | None:
    try:
        import openpyxl
    except ImportError:
        raise missing_extra("reading Excel files") from None
    try:
        book = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DataLoadError(
            [Problem(file.name, f"not a readable .xlsx workbook: {exc}")], source=str(file)
        ) from None
    try:
        sheet = next((n for n in SHEET if n in book.sheetnames), None)
        if sheet is None:
            if required:
                raise DataLoadError(
                    [Problem(file.name, f"no sheet {SHEET[0]!r} or {SHEET[1]!r}")],
                    source=str(file),
                )
            return None
        rows = [
            ["" if v is None else str(v) for v in r]
            for r in book[sheet].iter_rows(values_only=True)
        ]
    finally:
        book.close()
    return _from_rows(rows, file, name=f"{file.name}:{sheet}")


def _from_json(file: Path) -> Companion:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataLoadError([Problem("$", f"not JSON: {exc}")], source=str(file)) from None
    if not isinstance(data, dict) or data.get("kind") != "baselines":
        raise DataLoadError(
            [Problem("$.kind", 'expected an object with "kind": "baselines"')], source=str(file)
        )
    problems: list[Problem] = []
    for key in data:
        if key not in ("kind", "sqfw_version", "baselines", "county_workers", "region_name"):
            problems.append(Problem(f"$.{key}", "unknown key"))
    raw = data.get("baselines", {})
    if not isinstance(raw, dict):
        problems.append(Problem("$.baselines", "expected an object"))
        raw = {}
    counties: dict[str, tuple[float, float]] = {}
    workers = data.get("county_workers", {})
    if not isinstance(workers, dict):
        problems.append(Problem("$.county_workers", "expected an object"))
        workers = {}
    for code, figures in workers.items():
        where = f"$.county_workers.{code}"
        if not isinstance(figures, dict) or set(figures) != {"workers", "workers_associate"}:
            problems.append(Problem(where, 'expected {"workers": n, "workers_associate": m}'))
            continue
        w, a = figures["workers"], figures["workers_associate"]
        if not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in (w, a)):
            problems.append(Problem(where, f"expected whole numbers ≥ 0, got {w!r}, {a!r}"))
        elif a > w:
            problems.append(Problem(where, f"{a} with an associate degree of {w} workers"))
        else:
            counties[code] = (float(w), float(a))
    if problems:
        raise DataLoadError(problems, source=str(file))
    items = [(k, v, f"$.baselines.{k}") for k, v in raw.items()]
    name = data.get("region_name")
    return Companion(
        baselines=_baselines(items, file),
        county_workers=counties,
        region_name=None if name is None else _region_name(name, "$.region_name", file),
        source=str(file),
    )


def apply_companion(
    dataset: RegionDataset,
    companion: Companion,
    *,
    keep_baselines: bool = False,
    keep_name: bool = False,
) -> RegionDataset:
    """The dataset with the companion's baselines, county worker figures and region name.

    Args:
        dataset: the region.
        companion: what was read.
        keep_baselines: keep the dataset's own baselines (given by the caller).
        keep_name: keep the region's name (given by the caller).

    Raises:
        DataLoadError: a county code the region does not have, or a region name the
            division entity refuses.
    """
    changes: dict[str, Any] = {}
    if not keep_baselines:
        changes["baselines"] = companion.baselines
    if companion.region_name is not None and not keep_name:
        try:
            changes["root"] = attrs.evolve(dataset.root, name=companion.region_name)
        except InvalidEntityError as exc:
            raise DataLoadError(
                [Problem(f"{Path(companion.source).name}:region name", str(exc))],
                source=companion.source,
            ) from None
    if companion.county_workers:
        index = {d.code: i for i, d in enumerate(dataset.counties)}
        unknown = [c for c in companion.county_workers if c not in index]
        if unknown:
            raise DataLoadError(
                [Problem(f"$.county_workers.{c}", "no such county in the region") for c in unknown],
                source=companion.source,
            )
        workers = list(dataset.county_workers)
        associate = list(dataset.county_workers_associate)
        for code, (w, a) in companion.county_workers.items():
            workers[index[code]], associate[index[code]] = w, a
        changes["county_workers"] = workers
        changes["county_workers_associate"] = associate
    return dataset.evolve(**changes) if changes else dataset


def _text(value: Fraction | None) -> str:
    return "" if value is None else str(value)


def baseline_rows(
    baselines: Baselines, lang: str = "zh", *, region_name: str | None = None
) -> list[list[str]]:
    """The baselines as companion rows, header first (and the region's name, if given)."""
    rows = [list(_HEADER[lang])]
    for name, (zh, _) in BASELINE_LABELS.items():
        value = _text(getattr(baselines, name))  # a ratio: never a formula, yet checked alike
        rows.append([zh if lang == "zh" else name, spreadsheet_text(value)])
    if region_name is not None:
        label = REGION_NAME_LABELS[0 if lang == "zh" else 1]
        rows.append([label, spreadsheet_text(region_name)])
    return rows


def code_name(code: str) -> str:
    """The name a region's code gives it: a province-level division's from GB/T 2260
    (:data:`~sqfw.entities.divisions.PROVINCES`), any other root's code itself."""
    return PROVINCES.get(code, code)


def own_region_name(dataset: RegionDataset) -> str | None:
    """The region's name when its code does not give it (what a table's companion keeps)."""
    root = dataset.root
    return None if root.name == code_name(root.code) else root.name


def write_companion(
    dataset: RegionDataset, path: str | os.PathLike[str], *, lang: str = "zh"
) -> Path:
    """Write the dataset's companion (``.csv`` or ``.json``), atomically.

    A ``.json`` companion also holds each county's worker figures (a region document does
    not); a ``.csv`` one only the baselines (a table holds the worker figures itself).
    """
    file = Path(path)
    if file.suffix.lower() == ".json":
        from sqfw._version import __version__

        county_workers = {
            d.code: {"workers": int(w), "workers_associate": int(a)}
            for d, w, a in zip(
                dataset.counties,
                dataset.county_workers,
                dataset.county_workers_associate,
                strict=True,
            )
            if not math.isnan(w) and not math.isnan(a)
        }
        document = {
            "kind": "baselines",
            "sqfw_version": __version__,
            "baselines": {
                name: _text(getattr(dataset.baselines, name))
                for name in BASELINE_LABELS
                if getattr(dataset.baselines, name) is not None
            },
            "county_workers": county_workers,
        }
        with atomic_write(file, "w", encoding="utf-8") as stream:
            json.dump(document, stream, ensure_ascii=False, indent=2)
            stream.write("\n")
        return file
    with atomic_write(file, "w", encoding="utf-8-sig") as stream:
        csv.writer(stream).writerows(
            baseline_rows(dataset.baselines, lang, region_name=own_region_name(dataset))
        )
    return file
