"""The columnar evaluation of the per-community norms: each norm's one kernel over columns.

Nothing here restates a rule. :func:`evaluate` hands the dataset's columns to the kernel of
every norm of :data:`sqfw.calculators.NORMS` — as NumPy arrays through
``array-api-compat`` when NumPy is installed, or in the pure-Python array namespace
otherwise — and keeps the outputs. Rows whose figures lie within a hair of a boundary are
decided again on their exact figures by the same kernel (see
:class:`sqfw.calculators.Norm`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
from array import array
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import attrs
import pendulum

from sqfw.analysis._dataset import RegionDataset
from sqfw.calculators import NORMS, Norm, NormParameters, Rounding, Status
from sqfw.calculators.assess import norm_options
from sqfw.calculators.kernels import STATUSES, Evaluated, Measure, Row, python_arrays
from sqfw.calculators.model import ABSENT_MEANS, COMMUNITY_COLUMNS
from sqfw.errors import InvalidArgumentError
from sqfw.standards import ParameterValue, Standards

__all__ = [
    "STATUSES",
    "NormRun",
    "RuleParameters",
    "Said",
    "columns_of",
    "evaluate",
    "have_numpy",
    "namespace",
    "numpy_view",
]

_STATUS_TYPE = tuple[Status, ...]


def have_numpy() -> bool:
    """Whether NumPy and ``array-api-compat`` can be imported (the fast path)."""
    try:
        import array_api_compat.numpy  # noqa: F401
    except ImportError:
        return False
    return True


def namespace(use_numpy: bool) -> Any:
    """The array namespace the norms run on: NumPy's, or the pure-Python one."""
    if use_numpy:
        import array_api_compat.numpy as xp

        return xp
    return python_arrays


_NUMPY_KINDS = {"d": "f8", "b": "i1", "l": "", "q": "i8"}
"""The NumPy dtype of each ``array.array`` typecode a column has ("": its own item size)."""


def numpy_view(values: array[Any]) -> Any:
    """A NumPy view of an ``array.array`` (no copy).

    Raises:
        InvalidArgumentError: ``values`` is not an ``array.array`` of numbers.
    """
    import numpy as np

    if not isinstance(values, array) or values.typecode not in _NUMPY_KINDS:
        raise InvalidArgumentError("values", values, "an array.array of typecode d, b, l or q")

    kind = _NUMPY_KINDS[values.typecode] or f"i{values.itemsize}"
    return np.frombuffer(values, dtype=np.dtype(kind)) if len(values) else np.empty(0, kind)


def columns_of(dataset: RegionDataset, xp: Any) -> dict[str, Any]:
    """The dataset's community columns as arrays of ``xp`` (NumPy views, no copy)."""
    c = dataset.communities
    given = {name: _column(c, name) for name in COMMUNITY_COLUMNS}
    if xp is python_arrays:
        return {name: python_arrays.PyArray(list(column)) for name, column in given.items()}
    return {name: xp.asarray(numpy_view(column)) for name, column in given.items()}


def _column(c: Any, name: str) -> Any:
    column = getattr(c, name, None)
    if column is None:  # a fact the dataset does not carry: what its absence stands for
        return array("d", [ABSENT_MEANS[name]]) * len(c)
    return column


@attrs.frozen(kw_only=True)
class RuleParameters:
    """The parameters of every per-community norm, read once for a date.

    Attributes:
        on: the evaluation date.
        rounding: how households become an area under §2.1.
        norms: each norm's parameters, by norm id.
    """

    on: pendulum.Date
    rounding: Rounding
    norms: Mapping[str, NormParameters[Any]]

    @classmethod
    def read(
        cls,
        standards: Standards,
        on: pendulum.Date,
        rounding: Rounding | str = Rounding.PRO_RATA,
        *,
        norms: Iterable[str] | None = None,
    ) -> RuleParameters:
        """Look up every parameter the norms (default: all of ``NORMS``) read on ``on``."""
        wanted = None if norms is None else set(norms)
        return cls(
            on=on,
            rounding=Rounding(rounding),
            norms={
                n.id: n.read(standards, on, **norm_options(n, rounding))
                for n in NORMS
                if wanted is None or n.id in wanted
            },
        )

    @property
    def lookups(self) -> dict[str, ParameterValue]:
        """Every parameter read, by parameter id."""
        return {p.id: p for params in self.norms.values() for p in params.lookups.values()}


@attrs.frozen(kw_only=True, eq=False)
class NormRun:
    """One norm evaluated over a dataset: the kernel's outputs and what it read.

    Attributes:
        norm: the :class:`~sqfw.calculators.Norm`.
        params: its parameters.
        inputs: the columns it read.
        evaluated: the outputs (``status``, ``shortfall`` … as arrays).
    """

    norm: Norm[Any]
    params: NormParameters[Any]
    inputs: Mapping[str, Any]
    evaluated: Evaluated

    @property
    def status(self) -> Any:
        """Status codes (an index into :data:`STATUSES`), one per community."""
        return self.evaluated["status"]

    @property
    def shortfall(self) -> Any:
        """Shortfalls in the norm's shortfall unit (``NaN`` where none can be said)."""
        return self.evaluated["shortfall"]

    @functools.cached_property
    def columns(self) -> dict[str, Any]:
        """The columns its rows read: the inputs with the outputs over them."""
        return self.evaluated.columns(self.inputs)

    def row(self, index: int) -> Row:
        """The community at ``index``: its inputs and outputs."""
        return self.evaluated.row_of(self.columns, index)

    def said(self, index: int) -> Said:
        """What the finding of the community at ``index`` says (no rule is run again)."""
        return self.said_of(self.row(index))

    def said_many(self, rows: Sequence[int]) -> list[Said]:
        """:meth:`said` of each of ``rows`` (row indices, ascending), in order.

        The same figures, clauses and status as :meth:`said`, read from a copy of the
        rows' values as Python numbers (NumPy's ``tolist``) instead of one ``item`` at a
        time: a report writing millions of findings reads them a window at a time. Each
        :attr:`Said.row` reads that copy (its index is its place in the window).

        Args:
            rows: the rows' indices, ascending.

        Returns:
            What each row's finding says, in the order of ``rows``.

        .. versionadded:: 0.1.0
        """
        if not rows:
            return []
        start, stop = rows[0], rows[-1] + 1
        window = {name: _Window.of(column, start, stop) for name, column in self.columns.items()}
        exact_rows = self.evaluated.exact_rows
        said = self.said_of
        return [
            said(
                _WindowRow(window, index - start)
                if (outputs := exact_rows.get(index)) is None
                else Row(window, index - start, outputs)
            )
            for index in rows
        ]

    def said_of(self, row: Row) -> Said:
        """What the finding of ``row`` says (no rule is run again).

        Args:
            row: one of this run's rows (:meth:`row`, or a row of :meth:`said_many`).

        Returns:
            Its clauses and status, and the norm's exact figures of it.

        .. versionadded:: 0.1.0
        """
        measured, required, shortfall = self.norm.figures(row, self.params)
        return Said(
            row,
            self.params.clauses(self.norm.applied(row)),
            row.status(),
            measured,
            required,
            shortfall,
        )


class _WindowRow(Row):
    """A row of a window that was not decided again at a boundary: its values are the
    window's (read straight from its lists)."""

    __slots__ = ()

    def __init__(self, columns: Mapping[str, Any], index: int) -> None:
        self.columns = columns
        self.index = index
        self._exact = None

    def __getitem__(self, name: str) -> Any:
        return self.columns[name][self.index]


class _Window(list[Any]):
    """Some rows of a column as Python numbers, read by their index in the window (the
    ``item`` a :class:`~sqfw.calculators._norm.Row` calls)."""

    __slots__ = ()
    item = list.__getitem__

    @classmethod
    def of(cls, column: Any, start: int, stop: int) -> Any:
        """Rows ``start`` up to ``stop`` of ``column`` (NumPy's ``tolist`` or item by item)."""
        if hasattr(column, "tolist"):
            return cls(column[start:stop].tolist())
        return cls(column.item(index) for index in range(start, stop))


class Said(NamedTuple):
    """A norm's finding for one row: the row, its clauses, status and exact figures."""

    row: Row
    clauses: tuple[str, ...]
    status: Status
    measured: Measure | None
    required: Measure | None
    shortfall: Measure | None


def evaluate(
    dataset: RegionDataset,
    params: RuleParameters,
    *,
    use_numpy: bool | None = None,
    norms: Iterable[str] | None = None,
) -> dict[str, NormRun]:
    """Evaluate the per-community norms over the dataset's columns.

    Args:
        dataset: the region.
        params: the parameters in force.
        use_numpy: force NumPy (``True``) or the pure-Python namespace (``False``); by
            default NumPy when it is installed.
        norms: only these norm ids (default: every norm ``params`` were read for).

    Returns:
        One :class:`NormRun` per norm, by id, in the order of ``NORMS``.
    """
    xp = namespace(have_numpy() if use_numpy is None else use_numpy)
    columns = columns_of(dataset, xp)
    wanted = set(params.norms) if norms is None else set(norms)
    runs: dict[str, NormRun] = {}
    for item in NORMS:
        if item.id not in wanted:
            continue
        norm_params = params.norms[item.id]
        runs[item.id] = NormRun(
            norm=item,
            params=norm_params,
            inputs=columns,
            evaluated=item.evaluate(xp, columns, norm_params),
        )
    return runs
