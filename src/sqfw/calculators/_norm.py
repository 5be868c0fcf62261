"""A norm of the plan, declared once: parameters, one kernel, and its explanation.

A :class:`Norm` is the single definition of a per-community rule. It names the typed bundle
of parameters it reads (:func:`parameter` fields of an attrs class), the community columns
it reads, and one **kernel**: a function of an array namespace ``xp`` (the Python array API
standard), those columns, the parameters and a :class:`Boundary`, returning named output
columns (``status``, ``measured``, ``required``, ``shortfall`` and the intermediate figures
its explanation needs). The same kernel runs

* on whole columns of a national dataset, with NumPy (through ``array-api-compat``) or
  with the pure-Python namespace of :mod:`._arrays` when NumPy is missing; and, tested
  to give NumPy's verdicts and figures, on ``dask.array`` (chunk by chunk) and JAX (CPU,
  64-bit mode);
* on one community (a column of length one) for the explained check;
* on exact :class:`~fractions.Fraction` values for the rows whose floating-point figures lie
  within a hair of a boundary (:class:`Boundary` marks them), so that no boundary is
  decided by rounding.

The explanation — status, figures, the rules that applied, one line in Chinese and one in
English — is built by the norm's ``explain`` function from one row of those outputs; it
never re-runs a rule. The clauses a result cites are those of the parameters it read.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any, Generic, TypeVar

import attrs
import pendulum

from sqfw._args import expect
from sqfw._extras import require
from sqfw.calculators import _arrays
from sqfw.calculators._columns import community_columns
from sqfw.calculators._result import (
    PLAN_TARGET_DATE,
    Finding,
    Measure,
    Result,
    Status,
)
from sqfw.entities import Community
from sqfw.errors import InvalidArgumentError
from sqfw.periods import as_date
from sqfw.standards import ParameterValue, Standards, Unit, default_standards

__all__ = [
    "STATUSES",
    "Boundary",
    "Explained",
    "Figures",
    "Norm",
    "NormParameters",
    "Outputs",
    "Row",
    "exact",
    "option",
    "parameter",
    "read_parameters",
]

STATUSES: tuple[Status, ...] = (
    Status.PASS,
    Status.FAIL,
    Status.UNKNOWN,
    Status.NOT_APPLICABLE,
)
"""Status codes of a kernel's ``status`` column: an index into this tuple."""
PASS, FAIL, UNKNOWN, NOT_APPLICABLE = range(len(STATUSES))

TOLERANCE = 1e-6
_DIGITS = 6  # decimal places of TOLERANCE
"""How close (in the figures' own unit) two floating-point figures must be for the row to be
decided again exactly. Floating-point error on figures below 10⁷ m² is far smaller."""

B = TypeVar("B")
_MISSING = object()
Outputs = dict[str, Any]
"""A kernel's named output columns."""
Kernel = Callable[[Any, Mapping[str, Any], Any, "Boundary"], Outputs]


# -- parameter bundles --------------------------------------------------------------------


def parameter(parameter_id: str) -> Any:
    """A field of a parameter bundle: the value of ``parameter_id`` on the evaluation date."""
    return attrs.field(metadata={"sqfw_parameter": parameter_id})


def option(default: Any, converter: Callable[[Any], Any] | None = None) -> Any:
    """A field of a parameter bundle that is a user's choice, not a parameter of the plan."""
    return attrs.field(default=default, converter=converter, metadata={"sqfw_option": True})


def _parameter_fields(cls: type[Any]) -> dict[str, str]:
    return {
        f.name: f.metadata["sqfw_parameter"]
        for f in attrs.fields(cls)
        if "sqfw_parameter" in f.metadata
    }


def _as_float(value: Any) -> Any:
    # ratios stay exact: kernels compare shares by cross-multiplying whole numbers
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return value
    return float(value)


def _as_fraction(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, Decimal | Fraction | int):
        return value
    return Fraction(value)


@attrs.frozen(kw_only=True, eq=False)
class NormParameters(Generic[B]):
    """A norm's parameter bundle as read on a date, in the three forms the kernels use.

    Attributes:
        on: the evaluation date.
        values: the bundle with the values as the standards give them (Decimal, Fraction).
        floats: the same bundle with every area and count as a float (whole columns);
            ratios stay :class:`~fractions.Fraction`, for exact cross-multiplication.
        exact: the same bundle with every number as a Fraction (boundary rows).
        lookups: every parameter read, by field name (value, period, citation, override).
    """

    on: pendulum.Date
    values: B
    floats: B
    exact: B
    lookups: Mapping[str, ParameterValue]
    _clauses: dict[tuple[str, ...], tuple[str, ...]] = attrs.field(
        factory=dict, init=False, repr=False
    )
    _memo: dict[object, Any] = attrs.field(factory=dict, init=False, repr=False)

    def memo(self, key: object, build: Callable[..., Any], *args: Any) -> Any:
        """``build(*args)``, computed once per key for these parameters (texts, traces)."""
        found = self._memo.get(key, _MISSING)
        if found is _MISSING:
            found = self._memo[key] = build(*args)
        return found

    def clauses(self, fields: Sequence[str] | None = None) -> tuple[str, ...]:
        """The clause ids of the parameters read (or of ``fields`` only), in field order."""
        names = tuple(self.lookups if fields is None else fields)
        found = self._clauses.get(names)
        if found is None:
            found = self._clauses[names] = tuple(
                dict.fromkeys(self.lookups[n].citation.clause for n in names)
            )
        return found

    def used(self, fields: Sequence[str]) -> tuple[ParameterValue, ...]:
        """The lookups of ``fields``."""
        return tuple(self.lookups[n] for n in fields)


def read_parameters(
    cls: type[B], standards: Standards, on: pendulum.Date, **options: Any
) -> NormParameters[B]:
    """Look every :func:`parameter` field of ``cls`` up on ``on``; ``options`` set the rest."""
    fields = _parameter_fields(cls)
    lookups = {name: standards.lookup(pid, on) for name, pid in fields.items()}
    values = cls(**{name: v.value for name, v in lookups.items()}, **options)
    return NormParameters(
        on=on,
        values=values,
        floats=attrs.evolve(
            values,  # type: ignore[misc]
            **{name: _as_float(getattr(values, name)) for name in fields},
        ),
        exact=attrs.evolve(
            values,  # type: ignore[misc]
            **{name: _as_fraction(getattr(values, name)) for name in fields},
        ),
        lookups=lookups,
    )


# -- the boundary ---------------------------------------------------------------------------


class Boundary:
    """The comparisons a kernel decides a boundary with, exact where it matters.

    On floating-point columns each comparison also marks the rows whose two sides lie
    within :data:`TOLERANCE` of each other; :meth:`Norm.evaluate` decides those rows again
    on exact values. On exact columns nothing is marked.
    """

    def __init__(self, xp: Any, *, exact: bool) -> None:
        self.xp = xp
        self.exact = exact
        self.near: Any = None

    def _mark(self, a: Any, b: Any, computed: Any) -> None:
        if self.exact:
            return
        close = self.xp.abs(a - b) <= TOLERANCE
        if computed is not None:
            close = close & computed
        self.near = close if self.near is None else (self.near | close)

    def at_least(self, a: Any, b: Any, *, computed: Any = None) -> Any:
        """``a >= b`` (不低于, 以上: the boundary itself passes); ``NaN`` compares false.

        Args:
            a: the measured figures.
            b: the figures they must reach.
            computed: where ``b`` was computed by arithmetic (default: everywhere). Two
                figures as written — an area from the data, a minimum from the
                standards — are the nearest doubles to short decimals, whose order is
                that of the decimals: only computed figures need deciding exactly.
        """
        self._mark(a, b, computed)
        return a >= b

    def at_most(self, a: Any, b: Any, *, computed: Any = None) -> Any:
        """``a <= b`` (不得超出: the boundary itself passes); ``NaN`` compares false.

        ``computed`` is as for :meth:`at_least`.
        """
        self._mark(a, b, computed)
        return a <= b


# -- array namespaces -----------------------------------------------------------------------

_FLOAT64_ONLY = (
    "float64 figures (32-bit floats cannot tell 20% from 19.99999%); with JAX, turn its "
    "64-bit mode on first: jax.config.update('jax_enable_x64', True)"
)


def is_lazy(xp: Any) -> bool:
    """Whether ``xp`` is Dask's array namespace (arrays computed only when asked)."""
    if xp is _arrays:
        return False
    import array_api_compat

    return bool(array_api_compat.is_dask_namespace(xp))


def _numpy_namespace() -> Any:
    import array_api_compat.numpy

    return array_api_compat.numpy


def check_namespace(xp: Any, columns: Mapping[str, Any]) -> None:
    """Refuse figures a kernel cannot decide a boundary on: floats narrower than float64.

    Args:
        xp: the array namespace.
        columns: the columns a kernel reads, by name.

    Raises:
        InvalidArgumentError: a float column is not float64, or ``xp`` makes 32-bit
            floats by default (JAX without ``jax_enable_x64``).
    """
    if xp is _arrays:
        return
    made = xp.asarray([1.0]).dtype  # the float dtype the namespace makes by default
    if made != xp.float64:
        raise InvalidArgumentError(
            f"the {_name(xp)} namespace", f"{made} by default", _FLOAT64_ONLY
        )
    for name, column in columns.items():
        dtype = column.dtype
        if xp.isdtype(dtype, "real floating") and dtype != xp.float64:
            raise InvalidArgumentError(f"columns[{name!r}]", str(dtype), _FLOAT64_ONLY)


def _name(xp: Any) -> str:
    return str(getattr(xp, "__name__", xp))


def _marked(xp: Any, near: Any) -> list[int]:
    """The indices of the rows ``near`` marks (computed: a NumPy or eager array)."""
    if near is None:
        return []
    if xp is _arrays:
        return [i for i, a in enumerate(near.values) if a]
    import numpy as np

    return [int(i) for i in np.flatnonzero(np.asarray(near))]


def _picked(columns: list[Any], indices: list[int]) -> list[list[float]]:
    """Each column's values at ``indices``, as Python floats (one gather; one Dask pass)."""
    if all(isinstance(column, _arrays.PyArray) for column in columns):
        return [[float(column.values[i]) for i in indices] for column in columns]
    import array_api_compat
    import numpy as np

    where = np.asarray(indices, dtype=np.intp)
    if any(array_api_compat.is_dask_array(column) for column in columns):
        dask = require("dask", extra="arrays")
        columns = list(dask.compute(*(column[where] for column in columns)))
        where = np.arange(len(indices))
    return [np.asarray(column)[where].astype(float).tolist() for column in columns]


def _plain(value: Any) -> Any:
    """An exact output as a column holds it: counts and codes stay ints, figures floats."""
    return value if isinstance(value, int) else float(value)


def _replaced(xp: Any, column: Any, indices: list[int], values: list[Any]) -> Any:
    """A new array: ``column`` with ``values`` at ``indices`` (``column`` is not written).

    Outside the pure-Python namespace the column is patched as a NumPy copy and handed
    back to ``xp``: one copy, and nothing for JAX to compile for each set of rows.
    """
    if isinstance(column, _arrays.PyArray):
        out = list(column.values)
        for index, value in zip(indices, values, strict=True):
            out[index] = value
        return _arrays.PyArray(out)
    import numpy as np

    host = np.array(column, copy=True)
    host[indices] = values
    return host if isinstance(column, np.ndarray) else xp.asarray(host)


# -- rows and explanations ------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)  # boundary rows repeat the same few figures
def exact(value: float) -> Fraction | float:
    """A column's float as the exact figure it was written as (``NaN`` stays ``NaN``)."""
    if value != value:
        return math.nan
    return Fraction(*written(value))


@functools.lru_cache(maxsize=4096)  # areas and counts repeat across rows
def written(value: float) -> tuple[int, int]:
    """A known column value as the figure it was written as: numerator and denominator,
    in lowest terms (the shortest decimal that reads back as the float, as a ratio)."""
    if type(value) is int:
        return value, 1
    number = float(value)
    if number.is_integer() and -_WHOLE < number < _WHOLE:  # counts, and round areas
        return int(number), 1  # below 2⁵³ a whole float's shortest decimal is itself
    return Decimal(repr(number)).as_integer_ratio()


_WHOLE = math.ldexp(1.0, sys.float_info.mant_dig)  # 2⁵³: every whole float below is exact


class Row:
    """One community's inputs and a kernel's outputs, as Python numbers.

    ``row["area"]`` is a float; ``row.exact("area")`` the figure as written (a Fraction,
    ``NaN`` when unknown). Rows decided again at a boundary give their exact outputs.

    Args:
        columns: the input columns with the kernel's output columns over them
            (:meth:`Evaluated.columns`).
        index: the row.
        exact_outputs: the row's exact outputs, when it was decided again at a boundary.
    """

    __slots__ = ("_exact", "columns", "index")

    def __init__(
        self,
        columns: Mapping[str, Any],
        index: int,
        exact_outputs: Mapping[str, Any] | None = None,
    ) -> None:
        self.columns = columns
        self.index = index
        self._exact = exact_outputs

    def __getitem__(self, name: str) -> Any:
        exact_outputs = self._exact
        if exact_outputs is not None and name in exact_outputs:
            return exact_outputs[name]
        return self.columns[name].item(self.index)  # a Python number (NumPy's or PyArray's)

    def number(self, name: str) -> float:
        """The value as a float (``NaN`` unknown)."""
        return float(self[name])

    def known(self, name: str) -> bool:
        """Whether the value is known (not ``NaN``)."""
        value = self[name]
        return bool(value == value)

    def exact(self, name: str) -> Fraction | float:
        """The value as an exact Fraction (``NaN`` unknown)."""
        value = self[name]
        if type(value) is float:  # the common case first: isinstance(…, Fraction) is slow
            return exact(value)
        if isinstance(value, Fraction):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return Fraction(value)
        return exact(float(value))

    def status(self) -> Status:
        """The row's :class:`Status`."""
        return STATUSES[int(self["status"])]


def m2(value: Fraction | float) -> Decimal | None:
    """An area for a result: exact to 10⁻⁶ m², without trailing zeros (``None``: unknown).

    Raises:
        InvalidArgumentError: ``value`` is not a number.
    """
    if type(value) is float:  # the common case first: isinstance(…, Fraction) is slow
        return None if value != value else _m2_of_float(value)
    if isinstance(value, Fraction):
        quotient = Decimal(value.numerator) / Decimal(value.denominator)
        return tidy(quotient.quantize(Decimal(repr(TOLERANCE))))
    given: object = value  # the edge: any object may come
    if not isinstance(given, int | float | Decimal) and not hasattr(given, "__float__"):
        # NumPy's numbers have __float__; text, bytes and lists do not
        raise InvalidArgumentError("value", value, "an area as a number")
    number = float(value)
    if number != number:
        return None
    return _m2_of_float(number)


@functools.lru_cache(maxsize=4096)  # minimums and round areas repeat on many rows
def _m2_of_float(value: float) -> Decimal:
    rounded = round(value, _DIGITS)
    # repr writes the shortest decimal that reads back as the float: no trailing zeros
    return Decimal(int(rounded)) if rounded.is_integer() else Decimal(repr(rounded))


def tidy(value: Decimal) -> Decimal:
    """A decimal without trailing zeros or exponent (``12670``, not ``1.267E+4``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def whole(value: Fraction | float) -> int | None:
    """A count for a result (``None``: unknown)."""
    if value != value:
        return None
    return int(value)


@attrs.frozen(kw_only=True)
class Explained:
    """What a norm's ``explain`` function says about one row.

    Attributes:
        status: the status (read from the kernel's ``status`` output).
        measured: the measured figure, exact.
        required: the required figure, exact.
        shortfall: the shortfall in the norm's shortfall unit, exact.
        explanation_zh: one line in Chinese.
        explanation_en: one line in English.
        findings: the sub-checks (each rule that applied).
        assumptions: assumptions the row rests on besides the parameters' own.
    """

    status: Status
    measured: Measure | None
    required: Measure | None
    shortfall: Measure | None
    explanation_zh: str
    explanation_en: str
    findings: tuple[Finding, ...] = ()
    assumptions: tuple[str, ...] = ()


Figures = tuple[Measure | None, Measure | None, Measure | None]


@attrs.frozen(kw_only=True, eq=False)
class Evaluated:
    """A kernel's outputs over columns, with the exact outputs of the boundary rows."""

    outputs: Outputs
    exact_rows: Mapping[int, Mapping[str, Any]]

    def __getitem__(self, name: str) -> Any:
        return self.outputs[name]

    def columns(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """The columns a :class:`Row` reads: ``inputs`` with the outputs over them."""
        return {**inputs, **self.outputs}

    def row(self, inputs: Mapping[str, Any], index: int) -> Row:
        """The row at ``index`` of ``inputs`` and the outputs (for many rows, build each
        ``Row`` from :meth:`columns` once instead)."""
        return self.row_of(self.columns(inputs), index)

    def row_of(self, columns: Mapping[str, Any], index: int) -> Row:
        """The row at ``index`` of ``columns`` (from :meth:`columns`)."""
        return Row(columns, index, self.exact_rows.get(index))


def _trace(
    params: NormParameters[Any], applied: tuple[str, ...]
) -> tuple[tuple[ParameterValue, ...], tuple[Any, ...], tuple[str, ...], tuple[str, ...]]:
    used = params.used(applied)
    overrides = tuple(p.override for p in used if p.override is not None)
    assumed = tuple(
        dict.fromkeys(p.note or f"{p.id} is a default assumption" for p in used if p.assumption)
    )
    return used, overrides, assumed, params.clauses(applied)


@attrs.frozen(kw_only=True, eq=False)
class Norm(Generic[B]):
    """A per-community norm of the plan, declared once.

    Attributes:
        id: the norm's id, e.g. ``"facility_area"``.
        label_zh: Chinese label.
        label_en: English label.
        unit: the unit of measured and required.
        shortfall_unit: the unit of the shortfall.
        parameters: the attrs class of its parameter bundle.
        reads: the community columns its kernel reads.
        kernel: the rule, over an array namespace.
        figures: measured, required and shortfall of a row, exact.
        explain: the explanation of a row.
        applies: the bundle fields a row's result rests on (its clauses and parameter
            trace come from them); by default every parameter of the bundle.
    """

    id: str
    label_zh: str
    label_en: str
    unit: Unit
    shortfall_unit: Unit
    parameters: type[B]
    reads: tuple[str, ...]
    kernel: Kernel
    figures: Callable[[Row, NormParameters[B]], Figures]
    explain: Callable[[Row, NormParameters[B]], Explained]
    applies: Callable[[Row], tuple[str, ...]] | None = None

    def applied(self, row: Row) -> tuple[str, ...]:
        """The parameters (bundle fields) the row's result rests on."""
        if self.applies is not None:
            return self.applies(row)
        return self.fields

    @functools.cached_property
    def fields(self) -> tuple[str, ...]:
        """The bundle's parameter fields, in order."""
        return tuple(_parameter_fields(self.parameters))

    def read(
        self,
        standards: Standards | None = None,
        on: pendulum.Date | str | None = None,
        **options: Any,
    ) -> NormParameters[B]:
        """The norm's parameters on ``on`` (default 2020-12-31) from ``standards``."""
        if standards is not None:
            expect("standards", standards, Standards)
        std = standards if standards is not None else default_standards()
        day = PLAN_TARGET_DATE if on is None else as_date(on)
        return read_parameters(self.parameters, std, day, **options)

    def clauses(self, standards: Standards | None = None, on: Any = None) -> tuple[str, ...]:
        """Every clause the norm's parameters cite on ``on``."""
        return self.read(standards, on).clauses()

    def evaluate(self, xp: Any, columns: Mapping[str, Any], params: NormParameters[B]) -> Evaluated:
        """Run the kernel over ``columns`` (arrays of namespace ``xp``).

        Rows the :class:`Boundary` marked are decided again on their exact figures with the
        same kernel, and their outputs replaced. On Dask the kernel's outputs are computed
        (one pass over the chunks, on the active ``dask.distributed`` client if there is
        one) and come back as NumPy arrays; on other namespaces they stay arrays of ``xp``.

        Raises:
            InvalidArgumentError: a column the kernel reads holds floats narrower than
                float64, or ``xp`` makes 32-bit floats by default (JAX without its 64-bit
                mode): a boundary such as 20% against 19.99% is not decided in 32 bits.
        """
        outputs, near = self.run(xp, columns, params)
        if is_lazy(xp):
            dask = require("dask", extra="arrays")
            outputs, near = dask.compute(outputs, near)
            xp = _numpy_namespace()
        return self.decide(xp, columns, params, outputs, near)

    def run(
        self, xp: Any, columns: Mapping[str, Any], params: NormParameters[B]
    ) -> tuple[Outputs, Any]:
        """The kernel over float figures: its outputs and the rows near a boundary.

        On Dask both are lazy: :meth:`evaluate` (or a caller computing many norms at
        once) computes them and hands them to :meth:`decide`.

        Raises:
            InvalidArgumentError: as for :meth:`evaluate`.
        """
        check_namespace(xp, {name: columns[name] for name in self.reads})
        boundary = Boundary(xp, exact=False)
        outputs = dict(self.kernel(xp, columns, params.floats, boundary))
        return outputs, boundary.near

    def decide(
        self,
        xp: Any,
        columns: Mapping[str, Any],
        params: NormParameters[B],
        outputs: Outputs,
        near: Any,
    ) -> Evaluated:
        """Decide the rows ``near`` marks again on their exact figures, by the same kernel.

        ``outputs`` and ``near`` are what :meth:`run` gave, computed (arrays of ``xp``);
        ``columns`` are the kernel's inputs, of any namespace. No array is written into:
        the outputs of those rows are replaced in new arrays.
        """
        indices = _marked(xp, near)
        if not indices:
            return Evaluated(outputs=outputs, exact_rows={})
        # rows with the same figures are decided once
        keys = list(zip(*_picked([columns[name] for name in self.reads], indices), strict=True))
        distinct = list(dict.fromkeys(keys))
        sub = {
            name: _arrays.PyArray([exact(key[k]) for key in distinct])
            for k, name in enumerate(self.reads)
        }
        again = self.kernel(_arrays, sub, params.exact, Boundary(_arrays, exact=True))
        position = {key: j for j, key in enumerate(distinct)}
        decided = [
            {name: column[j] for name, column in again.items()} for j in range(len(distinct))
        ]
        rows: dict[int, Mapping[str, Any]] = {}
        for index, key in zip(indices, keys, strict=True):
            rows[index] = decided[position[key]]
        replaced = {
            name: _replaced(
                xp,
                column,
                indices,
                [_plain(rows[index][name]) for index in indices],
            )
            if name in again
            else column
            for name, column in outputs.items()
        }
        return Evaluated(outputs=replaced, exact_rows=rows)

    def result(self, row: Row, params: NormParameters[B], subject: str) -> Result:
        """The explained :class:`Result` of one row."""
        said = self.explain(row, params)
        applied = self.applied(row)
        trace = params._memo.get(applied)
        if trace is None:  # what the result rests on, worked out once per set of parameters
            trace = params._memo[applied] = _trace(params, applied)
        used, overrides, assumed, clauses = trace
        assumptions = assumed
        if said.assumptions:
            assumptions += tuple(a for a in said.assumptions if a not in assumed)
        return Result(
            norm=self.id,
            clauses=clauses,
            subject=subject,
            on=params.on,
            status=said.status,
            measured=said.measured,
            required=said.required,
            shortfall=said.shortfall,
            unit=self.unit,
            shortfall_unit=self.shortfall_unit,
            parameters=used,
            overrides=overrides,
            assumptions=assumptions,
            findings=said.findings,
            explanation_zh=said.explanation_zh,
            explanation_en=said.explanation_en,
        )

    def check(
        self,
        community: Community,
        *,
        on: pendulum.Date | str | None = None,
        standards: Standards | None = None,
        **options: Any,
    ) -> Result:
        """The explained check of one community: the kernel on its one row of columns."""
        params = self.read(standards, on, **options)
        return self.check_columns(community_columns([community]), [community.code], params)[0]

    def check_columns(
        self,
        columns: Mapping[str, Sequence[Any]],
        subjects: Sequence[str],
        params: NormParameters[B],
    ) -> tuple[Result, ...]:
        """Explained results of a few communities given as plain columns (pure Python)."""
        arrays = {name: _arrays.PyArray(list(columns[name])) for name in self.reads}
        evaluated = self.evaluate(_arrays, arrays, params)
        read = evaluated.columns(arrays)
        return tuple(
            self.result(evaluated.row_of(read, i), params, subject)
            for i, subject in enumerate(subjects)
        )
