"""Datasets backed by ``dask.array``: the norms' kernels run chunk by chunk, on a cluster.

A Dask-backed :class:`~sqfw.analysis.RegionDataset` holds the facts of its communities as
``dask.array`` columns (the codes, names, townships and division tables stay in memory).
:func:`~sqfw.analysis.assess` runs every norm's one kernel over those columns lazily, then
computes the kernels' outputs and the columns in one pass over the chunks — on the
``dask.distributed`` client in use, if there is one — and goes on in NumPy: the rows near
a boundary are decided on exact figures as always, and the assessment holds the computed
dataset. The kernels are the same ones NumPy runs; nothing is written twice.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from array import array
from typing import Any

import attrs

from sqfw._args import expect
from sqfw._extras import require
from sqfw.analysis._dataset import _STRUCTURE, CommunityColumns, RegionDataset
from sqfw.analysis._engine import NormRun, RuleParameters, columns_of, namespace, numpy_view
from sqfw.calculators import NORMS
from sqfw.errors import InvalidArgumentError

__all__ = ["evaluate_dask", "is_dask_backed", "to_dask"]


def model_columns() -> tuple[str, ...]:
    """The communities' columns that are facts of the community model."""
    return tuple(f.name for f in attrs.fields(CommunityColumns) if f.name not in _STRUCTURE)


def _dask_array(value: object) -> bool:
    import sys

    dask_array = sys.modules.get("dask.array")  # no Dask array exists before it is imported
    return dask_array is not None and isinstance(value, dask_array.Array)


def is_dask_backed(dataset: RegionDataset) -> bool:
    """Whether a column of the dataset's communities is a ``dask.array``."""
    c = dataset.communities
    return any(_dask_array(getattr(c, name)) for name in model_columns())


def to_dask(dataset: RegionDataset, *, chunks: int = 100_000) -> RegionDataset:
    """The dataset with its communities' facts as ``dask.array`` columns.

    The columns are cut into chunks of ``chunks`` rows; :func:`~sqfw.analysis.assess`
    runs the norms' kernels chunk by chunk (on the ``dask.distributed`` client in use, if
    any) and gives the same assessment as the dataset itself. A dataset whose columns
    come from elsewhere (Zarr, Parquet through ``dask.dataframe``) can be built the same
    way: ``dataset.evolve(communities=dataset.communities.copy(households=column, …))``
    with 1-D Dask arrays of the right length and dtype (float64 figures; int8 or int64
    codes and flags).

    Args:
        dataset: the region, in memory.
        chunks: rows per chunk (at least 1).

    Returns:
        A new :class:`~sqfw.analysis.RegionDataset`; the division tables, codes, names
        and townships are shared with ``dataset``.

    Raises:
        InvalidArgumentError: ``dataset`` is not a RegionDataset, or ``chunks`` is not a
            whole number of at least 1.
        ImportError: Dask is not installed (the ``arrays`` extra).

    .. versionadded:: 0.1.0
    """
    expect("dataset", dataset, RegionDataset)
    if isinstance(chunks, bool) or not isinstance(chunks, int) or chunks < 1:
        raise InvalidArgumentError("chunks", chunks, "a whole number of rows, at least 1")
    da = require("dask.array", extra="arrays")
    c = dataset.communities
    lazy: dict[str, Any] = {
        name: da.from_array(numpy_view(column), chunks=chunks)
        for name in model_columns()
        if isinstance(column := getattr(c, name), array)
    }
    return dataset.evolve(communities=attrs.evolve(c, **lazy))


def evaluate_dask(
    dataset: RegionDataset, params: RuleParameters
) -> tuple[RegionDataset, dict[str, NormRun]]:
    """Run the norms over a Dask-backed dataset: the computed dataset and the norm runs.

    Every norm's kernel is laid over the Dask columns; one ``dask.compute`` gives the
    kernels' outputs, the rows near a boundary and the columns themselves. Those rows are
    then decided on their exact figures (:meth:`sqfw.calculators.Norm.decide`), in NumPy.
    """
    dask = require("dask", extra="arrays")
    import array_api_compat

    c = dataset.communities
    names = model_columns()
    given = {name: getattr(c, name) for name in names}
    lazy_column = next(v for v in given.values() if _dask_array(v))
    xp = array_api_compat.array_namespace(lazy_column)
    da = require("dask.array", extra="arrays")
    columns = {
        name: v if _dask_array(v) else da.from_array(numpy_view(v), chunks=lazy_column.chunks)
        for name, v in given.items()
    }
    norms = [n for n in NORMS if n.id in params.norms]
    started = {n.id: n.run(xp, columns, params.norms[n.id]) for n in norms}
    wanted = {name: v for name, v in given.items() if _dask_array(v)}
    computed, started = dask.compute(wanted, started)
    template = CommunityColumns.empty()
    memory: dict[str, Any] = {
        name: _as_column(values, getattr(template, name).typecode)
        for name, values in computed.items()
    }
    done = dataset.evolve(communities=attrs.evolve(c, **memory))
    np_xp = namespace(True)
    inputs = columns_of(done, np_xp)
    runs = {}
    for n in norms:
        outputs, near = started[n.id]
        evaluated = n.decide(np_xp, inputs, params.norms[n.id], outputs, near)
        runs[n.id] = NormRun(norm=n, params=params.norms[n.id], inputs=inputs, evaluated=evaluated)
    return done, runs


def _as_column(values: Any, typecode: str) -> array[Any]:
    """A computed NumPy column as the model's ``array.array`` (one copy of the bytes)."""
    import numpy as np

    column = array(typecode)
    dtype = numpy_view(column).dtype
    column.frombytes(np.ascontiguousarray(values, dtype=dtype).tobytes())
    return column
