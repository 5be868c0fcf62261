"""Columnar data out: findings, indicators and targets as Parquet, findings as NDJSON.

Parquet (the ``reports`` extra: pyarrow) is what pandas, Polars and DuckDB read directly::

    >>> import duckdb                                                 # doctest: +SKIP
    >>> duckdb.sql("select norm, status, count(*) from 'r.parquet' group by all")

``write_parquet(a, "r.parquet")`` writes three files: ``r.parquet`` (one row per community
and norm), ``r.targets.parquet`` and ``r.indicators.parquet``. The findings are built a
norm at a time from the kernel's own output columns (status, measured, required and
shortfall, which every norm's kernel gives) and the input columns it read — nothing is worked
out again, and a national assessment (millions of findings) takes seconds. Exact figures
(ratios as ``p/q``) are in the JSON and NDJSON outputs, which write each finding as the
assessment explains it.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

from sqfw._files import atomic_write
from sqfw._terminal import terminal_progress
from sqfw.analysis import STATUSES, TextColumn, numpy_view
from sqfw.reports._check import assessment as check_assessment
from sqfw.reports._lines import FAILING, exact, write_lines
from sqfw.reports._rows import applied_groups
from sqfw.reports._tables import t

if TYPE_CHECKING:
    from sqfw.analysis import Assessment

__all__ = ["FINDING_COLUMNS", "write_ndjson", "write_parquet"]

FINDING_COLUMNS = (
    "code",
    "name",
    "county",
    "county_name",
    "prefecture",
    "prefecture_name",
    "norm",
    "clauses",
    "status",
    "measured",
    "required",
    "shortfall",
    "unit",
    "shortfall_unit",
)
"""The findings table's columns, then each input column the norms read (``in_area`` …)."""

Progress = Callable[[str, int, int], None]
_UNIQUE = ("code", "name")  # a community's own: written plain, not dictionary-encoded


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise ImportError(
            "writing Parquet needs pyarrow, part of sqfw's reports extra: "
            "pip install 'sqfw[reports]'"
        ) from None
    return pa, pq


def _numpy(column: Any) -> Any:
    import numpy as np

    if hasattr(column, "typecode"):
        return numpy_view(column)
    return np.asarray(column)


def _texts(pa: Any, values: Sequence[str]) -> Any:
    """A column of text as one Arrow string array (as a loaded table holds it, if so)."""
    if not isinstance(values, TextColumn):
        return pa.array(values, pa.string())
    held = values.arrow()
    if hasattr(held, "combine_chunks"):
        held = held.combine_chunks()
    return held.cast(pa.string())  # a column of few names is dictionary-encoded


def _finding_tables(a: Assessment, findings: str) -> Any:
    """One Arrow table of findings per norm, in the order of the runs."""
    import numpy as np

    pa, _ = _pyarrow()
    d = a.dataset
    codes = _texts(pa, d.communities.code)
    names = _texts(pa, d.communities.name)
    county_index = np.asarray(d.community_county, dtype=np.int64)
    prefecture_index = np.asarray(d.county_prefecture, dtype=np.int64)[county_index]
    county = pa.DictionaryArray.from_arrays(
        pa.array(county_index.astype(np.int32)), pa.array([c.code for c in d.counties], pa.string())
    )
    prefecture = pa.DictionaryArray.from_arrays(
        pa.array(prefecture_index.astype(np.int32)),
        pa.array([p.code for p in d.prefectures], pa.string()),
    )
    county_name = pa.DictionaryArray.from_arrays(
        pa.array(county_index.astype(np.int32)), pa.array([c.name for c in d.counties], pa.string())
    )
    prefecture_name = pa.DictionaryArray.from_arrays(
        pa.array(prefecture_index.astype(np.int32)),
        pa.array([p.name for p in d.prefectures], pa.string()),
    )
    reads = sorted({name for run in a.runs.values() for name in run.norm.reads})
    wanted = None
    if findings == "failing":
        wanted = [STATUSES.index(s) for s in FAILING]
    n = len(d)
    for norm, run in a.runs.items():
        status = _numpy(run.status).astype(np.int8)
        keep = None if wanted is None else np.isin(status, wanted)
        # the clauses a row rests on: once per distinct row its ``applied`` reads
        groups, said = applied_groups(run)
        clause_index = np.asarray(groups, dtype=np.int32)
        clause_names = ["/".join(clauses) for clauses in said]

        def floats(name: str, run: Any = run) -> Any:
            out = run.evaluated.outputs.get(name)
            if out is None:
                return pa.nulls(n, pa.float64())
            values = _numpy(out).astype(np.float64)
            return pa.array(values, pa.float64(), mask=np.isnan(values))

        columns = {
            "code": codes,
            "name": names,
            "county": county,
            "county_name": county_name,
            "prefecture": prefecture,
            "prefecture_name": prefecture_name,
            "norm": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(n, dtype=np.int32)), pa.array([norm])
            ),
            "clauses": pa.DictionaryArray.from_arrays(
                pa.array(clause_index), pa.array(clause_names, pa.string())
            ),
            "status": pa.DictionaryArray.from_arrays(
                pa.array(status), pa.array([s.value for s in STATUSES])
            ),
            "measured": floats("measured"),
            "required": floats("required"),
            "shortfall": floats("shortfall"),
            "unit": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(n, dtype=np.int32)), pa.array([run.norm.unit.value])
            ),
            "shortfall_unit": pa.DictionaryArray.from_arrays(
                pa.array(np.zeros(n, dtype=np.int32)), pa.array([run.norm.shortfall_unit.value])
            ),
        }
        for name in reads:
            values = _numpy(run.inputs[name]).astype(np.float64)
            columns[f"in_{name}"] = (
                pa.array(values, pa.float64(), mask=np.isnan(values))
                if name in run.norm.reads
                else pa.nulls(n, pa.float64())
            )
        table = pa.table(columns)
        if keep is not None:
            table = table.filter(pa.array(keep))
        yield table


def _no_findings() -> Any:
    """The findings table without rows: what a plan that runs no norm writes."""
    pa, _ = _pyarrow()
    names = pa.dictionary(pa.int32(), pa.string())
    types = {
        "code": pa.string(),
        "name": pa.string(),
        "status": pa.dictionary(pa.int8(), pa.string()),
        "measured": pa.float64(),
        "required": pa.float64(),
        "shortfall": pa.float64(),
    }
    schema = pa.schema([(name, types.get(name, names)) for name in FINDING_COLUMNS])
    return schema.empty_table()


def file_metadata(a: Assessment) -> dict[str, str]:
    """What every Parquet file of an assessment records about it (its schema's metadata).

    ``sqfw.plan`` (the plan's id), ``sqfw.plan_name``, ``sqfw.plan_document``,
    ``sqfw.on`` (the evaluation date), ``sqfw.standards`` (the standards set's name),
    ``sqfw.overrides`` (the overrides in force, one per line; empty without any),
    ``sqfw.region`` (the root's code), ``sqfw.version`` (the sqfw that wrote the
    file), ``sqfw.sets_region_targets`` (``"true"`` or ``"false"``) and ``sqfw.note``
    (for a plan that sets no region targets, such as the laws, the sentence the other
    views say it in, "该规划没有区域指标目标。 / This plan sets no region targets.";
    empty otherwise). pandas and Polars keep it out of the data;
    ``pyarrow.parquet.read_schema(path).metadata`` reads it.
    """
    check_assessment(a)
    from sqfw._version import __version__

    return {
        "sqfw.plan": a.plan.id,
        "sqfw.plan_name": f"{a.plan.label_zh} / {a.plan.label_en}",
        "sqfw.plan_document": a.plan.document,
        "sqfw.on": a.on.to_date_string(),
        "sqfw.standards": a.standards.name,
        "sqfw.overrides": "\n".join(str(o) for o in a.standards.overrides_in_force(a.on)),
        "sqfw.region": a.region.code,
        "sqfw.version": __version__,
        "sqfw.sets_region_targets": "true" if a.sets_region_targets else "false",
        "sqfw.note": ""
        if a.sets_region_targets
        else f"{t('no_targets', 'zh')} / {t('no_targets', 'en')}",
    }


def _with_metadata(table: Any, metadata: dict[str, str]) -> Any:
    merged = dict(table.schema.metadata or {})
    merged.update({k.encode(): v.encode() for k, v in metadata.items()})
    return table.replace_schema_metadata(merged)


def _small_tables(a: Assessment) -> tuple[Any, Any]:
    pa, _ = _pyarrow()

    def number(value: Any) -> float | None:
        return None if value is None else float(value)

    targets = pa.table(
        {
            "target": [t.target.id for t in a.targets],
            "clauses": ["/".join(t.target.clauses) for t in a.targets],
            "level": [t.place.level.name.lower() for t in a.targets],
            "place": [t.place.code for t in a.targets],
            "place_name": [t.place.name for t in a.targets],
            "attainment": [t.attainment.value for t in a.targets],
            "measured": pa.array([number(t.measured) for t in a.targets], pa.float64()),
            "measured_exact": [exact(t.measured) for t in a.targets],
            "required": pa.array([number(t.required) for t in a.targets], pa.float64()),
            "gap": pa.array([number(t.gap) for t in a.targets], pa.float64()),
            "gap_unit": [t.target.gap_unit.value for t in a.targets],
        }
    )
    values = a.indicators
    indicators = pa.table(
        {
            "indicator": [v.indicator.id for v in values],
            "clauses": ["/".join(v.indicator.clauses) for v in values],
            "level": [v.place.level.name.lower() for v in values],
            "place": [v.place.code for v in values],
            "place_name": [v.place.name for v in values],
            "numerator": pa.array([v.numerator for v in values], pa.int64()),
            "denominator": pa.array([v.denominator for v in values], pa.int64()),
            "unknown": pa.array([v.unknown for v in values], pa.int64()),
            "value": pa.array([number(v.value) for v in values], pa.float64()),
        }
    )
    return targets, indicators


def write_parquet(
    a: Assessment,
    path: str | os.PathLike[str],
    *,
    findings: str = "all",
    progress: Progress | None = None,
) -> list[Path]:
    """Write findings, targets and indicators as Parquet files (each atomically).

    Args:
        a: the assessment.
        path: the findings' file; ``<stem>.targets.parquet`` and
            ``<stem>.indicators.parquet`` are written beside it.
        findings: ``"all"``, ``"failing"`` (fail or unknown) or ``"none"`` (no findings
            file).
        progress: called with ("parquet", norms written, norms in all) (default: a bar on
            standard error when it is a terminal and writing takes a second).

    Returns:
        The files written.

    Raises:
        ImportError: pyarrow is not installed (the ``sqfw[reports]`` extra).
    """
    check_assessment(a)
    _, pq = _pyarrow()
    if progress is None:
        progress = terminal_progress()
    file = Path(path)
    metadata = file_metadata(a)
    written = []
    if findings != "none":
        with atomic_write(file, "wb") as stream:
            writer = None
            total = len(a.runs)
            for done, table in enumerate(_finding_tables(a, findings), start=1):
                table = _with_metadata(table, metadata)
                if writer is None:
                    writer = pq.ParquetWriter(
                        stream,
                        table.schema,
                        compression="zstd",
                        # codes and names differ on every row: no dictionary to build
                        use_dictionary=[c for c in table.column_names if c not in _UNIQUE],
                    )
                writer.write_table(table, row_group_size=1 << 20)
                if progress is not None:
                    progress("parquet", done, total)
            if writer is None:  # no norm was run (a plan of laws): the columns, no rows
                empty = _with_metadata(_no_findings(), metadata)
                writer = pq.ParquetWriter(stream, empty.schema, compression="zstd")
                writer.write_table(empty)
            writer.close()
        written.append(file)
    targets, indicators = _small_tables(a)
    for name, table in (("targets", targets), ("indicators", indicators)):
        beside = file.with_name(f"{file.stem}.{name}.parquet")
        with atomic_write(beside, "wb") as stream:
            pq.write_table(_with_metadata(table, metadata), stream, compression="zstd")
        written.append(beside)
    return written


def write_ndjson(
    a: Assessment,
    target: str | os.PathLike[str] | TextIO,
    *,
    findings: str = "all",
    progress: Progress | None = None,
    workers: int | None = None,
) -> None:
    """Write the findings one JSON object per line (the JSON report's ``findings``).

    Args:
        a: the assessment.
        target: a path (UTF-8, written atomically) or an open text stream.
        findings: ``"all"``, ``"failing"`` or ``"none"``.
        progress: called with ("ndjson", findings written, findings in all) (default: a
            bar on standard error when it is a terminal and writing takes a second).
        workers: processes writing lines (default: one for a few findings, more for
            hundreds of thousands; ``1``: this process only).
    """
    check_assessment(a)
    if progress is None:
        progress = terminal_progress()
    if isinstance(target, str | os.PathLike):
        with atomic_write(target, "w", encoding="utf-8") as stream:
            _ndjson(a, stream, findings, progress, workers, verbatim=True)
    else:
        _ndjson(a, target, findings, progress, workers, verbatim=False)


def _ndjson(
    a: Assessment,
    stream: IO[str],
    findings: str,
    progress: Progress | None,
    workers: int | None,
    *,
    verbatim: bool,
) -> None:
    write_lines(
        a,
        stream,
        findings,
        sep="\n",
        end="\n",
        stage="ndjson",
        progress=progress,
        workers=workers,
        verbatim=verbatim,
    )
