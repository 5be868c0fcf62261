"""A small array namespace in pure Python: the part of the array API the norm kernels use.

Every norm's rule is written once, as a kernel over an array namespace ``xp`` (the Python
array API standard). NumPy runs it on whole columns (through ``array-api-compat``); this
namespace runs the same kernel where NumPy is not installed, and — filled with
:class:`~fractions.Fraction` values instead of floats — decides the rows that lie on a
boundary exactly. An array here is a one-dimensional list of Python numbers or bools;
``NaN`` stands for an unknown figure in both float and exact arrays (``Fraction`` and
``float('nan')`` mix: every comparison with ``NaN`` is false, as in NumPy).

Only what the kernels need is here: elementwise arithmetic and comparisons with scalars
broadcast, ``where``, ``maximum``, ``minimum``, ``isnan``, ``ceil``, ``floor``, ``abs``,
``take``, ``full``, ``asarray``, ``astype``, ``sum`` and ``nonzero``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import builtins
import math
import operator
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any

__all__ = ["PyArray", "namespace"]

float64 = "float64"
int8 = "int8"
int64 = "int64"
bool = "bool"
nan = math.nan
__array_api_version__ = "2023.12"


def _is_nan(x: Any) -> Any:
    return x != x


def _max(a: Any, b: Any) -> Any:
    if a != a:
        return a
    if b != b:
        return b
    return a if a >= b else b


def _min(a: Any, b: Any) -> Any:
    if a != a:
        return a
    if b != b:
        return b
    return a if a <= b else b


def _ceil(x: Any) -> Any:
    return x if x != x else math.ceil(x)


def _floor(x: Any) -> Any:
    return x if x != x else math.floor(x)


class PyArray:
    """A one-dimensional array of Python values, with NumPy-like elementwise operators."""

    __slots__ = ("values",)

    def __init__(self, values: Iterable[Any]) -> None:
        self.values = values if isinstance(values, list) else list(values)

    # -- container ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Iterator[Any]:
        return iter(self.values)

    @property
    def shape(self) -> tuple[int]:
        return (len(self.values),)

    def __getitem__(self, index: int) -> Any:
        return self.values[index]

    def item(self, index: int) -> Any:
        """The value at ``index`` (as NumPy's ``item``)."""
        return self.values[index]

    def __setitem__(self, index: int, value: Any) -> None:
        self.values[index] = value

    def __repr__(self) -> str:
        return f"PyArray({self.values!r})"

    def __array_namespace__(self, api_version: str | None = None) -> Any:
        return sys.modules[__name__]

    # -- elementwise --------------------------------------------------------------------

    def _map2(self, other: Any, op: Callable[[Any, Any], Any]) -> PyArray:
        if isinstance(other, PyArray):
            return PyArray([op(a, b) for a, b in zip(self.values, other.values, strict=True)])
        return PyArray([op(a, other) for a in self.values])

    def _rmap2(self, other: Any, op: Callable[[Any, Any], Any]) -> PyArray:
        return PyArray([op(other, a) for a in self.values])

    def __add__(self, other: Any) -> PyArray:
        return self._map2(other, operator.add)

    def __radd__(self, other: Any) -> PyArray:
        return self._rmap2(other, operator.add)

    def __sub__(self, other: Any) -> PyArray:
        return self._map2(other, operator.sub)

    def __rsub__(self, other: Any) -> PyArray:
        return self._rmap2(other, operator.sub)

    def __mul__(self, other: Any) -> PyArray:
        return self._map2(other, operator.mul)

    def __rmul__(self, other: Any) -> PyArray:
        return self._rmap2(other, operator.mul)

    def __truediv__(self, other: Any) -> PyArray:
        return self._map2(other, _divide)

    def __rtruediv__(self, other: Any) -> PyArray:
        return self._rmap2(other, _divide)

    def __floordiv__(self, other: Any) -> PyArray:
        return self._map2(other, _floor_divide)

    def __neg__(self) -> PyArray:
        return PyArray([-a for a in self.values])

    def __abs__(self) -> PyArray:
        return PyArray([operator.abs(a) for a in self.values])

    def __ge__(self, other: Any) -> PyArray:
        return self._map2(other, operator.ge)

    def __gt__(self, other: Any) -> PyArray:
        return self._map2(other, operator.gt)

    def __le__(self, other: Any) -> PyArray:
        return self._map2(other, operator.le)

    def __lt__(self, other: Any) -> PyArray:
        return self._map2(other, operator.lt)

    def __eq__(self, other: Any) -> PyArray:  # type: ignore[override]
        return self._map2(other, operator.eq)

    def __ne__(self, other: Any) -> PyArray:  # type: ignore[override]
        return self._map2(other, operator.ne)

    def __and__(self, other: Any) -> PyArray:
        return self._map2(other, lambda a, b: a and b)

    def __or__(self, other: Any) -> PyArray:
        return self._map2(other, lambda a, b: a or b)

    def __invert__(self) -> PyArray:
        return PyArray([not a for a in self.values])

    __hash__ = None  # type: ignore[assignment]


def _divide(a: Any, b: Any) -> Any:
    if a != a or b != b:
        return nan
    if b == 0:
        return nan if a == 0 else math.copysign(math.inf, a)
    return a / b


def _floor_divide(a: Any, b: Any) -> Any:
    if a != a or b != b or b == 0:
        return nan
    return a // b


def _values(x: Any, n: int) -> list[Any]:
    if isinstance(x, PyArray):
        return x.values
    return [x] * n


def _length(*arrays: Any) -> int:
    for a in arrays:
        if isinstance(a, PyArray):
            return len(a)
    return 1


# -- the namespace's functions ---------------------------------------------------------------


def asarray(values: Any, dtype: str | None = None, copy: builtins.bool | None = None) -> PyArray:
    """An array of ``values`` (an iterable, or an array; copied when ``copy``)."""
    if isinstance(values, PyArray):
        if dtype is not None:
            return astype(values, dtype)
        return PyArray(list(values.values)) if copy else values
    array = PyArray(list(values))
    return array if dtype is None else astype(array, dtype)


def astype(x: PyArray, dtype: str) -> PyArray:
    """``x`` with every value converted to ``dtype``."""
    if dtype == "bool":
        return PyArray([a is not False and a != 0 for a in x.values])
    if dtype in ("int8", "int64"):
        return PyArray([int(a) for a in x.values])
    return PyArray([float(a) for a in x.values])


def full(shape: int | tuple[int], value: Any, dtype: str | None = None) -> PyArray:
    """An array of ``shape`` filled with ``value``."""
    n = shape if isinstance(shape, int) else shape[0]
    return PyArray([value] * n)


def zeros(shape: int | tuple[int], dtype: str | None = None) -> PyArray:
    """An array of zeros (``False`` for booleans)."""
    return full(shape, False if dtype == "bool" else 0, dtype)


def where(condition: PyArray, x1: Any, x2: Any) -> PyArray:
    """``x1`` where ``condition`` holds, else ``x2`` (scalars broadcast)."""
    n = len(condition)
    a, b = _values(x1, n), _values(x2, n)
    return PyArray([p if c else q for c, p, q in zip(condition.values, a, b, strict=True)])


def maximum(x1: Any, x2: Any) -> PyArray:
    """Elementwise maximum; ``NaN`` propagates."""
    n = _length(x1, x2)
    return PyArray([_max(a, b) for a, b in zip(_values(x1, n), _values(x2, n), strict=True)])


def minimum(x1: Any, x2: Any) -> PyArray:
    """Elementwise minimum; ``NaN`` propagates."""
    n = _length(x1, x2)
    return PyArray([_min(a, b) for a, b in zip(_values(x1, n), _values(x2, n), strict=True)])


def isnan(x: PyArray) -> PyArray:
    """Which values are ``NaN`` (unknown)."""
    return PyArray([a != a for a in x.values])


def ceil(x: PyArray) -> PyArray:
    """The smallest whole number not below each value (``NaN`` stays)."""
    return PyArray([_ceil(a) for a in x.values])


def floor(x: PyArray) -> PyArray:
    """The largest whole number not above each value (``NaN`` stays)."""
    return PyArray([_floor(a) for a in x.values])


def abs(x: PyArray) -> PyArray:
    """Absolute values."""
    return PyArray([a if a != a else -a if a < 0 else a for a in x.values])


def take(x: PyArray, indices: PyArray, axis: int | None = None) -> PyArray:
    """``x[i]`` for each ``i`` of ``indices``."""
    table = x.values
    return PyArray([table[int(i)] for i in indices.values])


def logical_and(x1: PyArray, x2: PyArray) -> PyArray:
    return x1 & x2


def logical_or(x1: PyArray, x2: PyArray) -> PyArray:
    return x1 | x2


def logical_not(x: PyArray) -> PyArray:
    return ~x


def sum(x: PyArray) -> Any:
    """The sum of the values."""
    if builtins.any(isinstance(a, float) for a in x.values):
        return math.fsum(x.values)
    return _int_sum(x)


def _int_sum(x: PyArray) -> Any:
    total: Any = 0
    for a in x.values:
        total += a
    return total


def any(x: PyArray) -> builtins.bool:
    """Whether any value is true."""
    return builtins.any(x.values)


def nonzero(x: PyArray) -> tuple[PyArray]:
    """The indices of the true (non-zero) values."""
    return (PyArray([i for i, a in enumerate(x.values) if a]),)


def namespace() -> Any:
    """This module, as an array namespace."""
    return sys.modules[__name__]
