"""A column of text held as Arrow reads it: codes and names of a large loaded table.

A national table has 595,663 community codes and as many names. Turning them into Python
strings takes longer than the rest of a load's checks, and an assessment never reads
them: it reads numbers. A :class:`TextColumn` keeps the checked text in the Arrow array
the columnar reader gave, answers its length and a single cell from it, and becomes a
list of ``str`` the first time it is read as a whole (iterated, sliced, searched,
compared, or read cell by cell in a loop). It is a
:class:`~collections.abc.Sequence` of ``str`` like the list it stands for, and equal to a
list of the same texts.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import Any, overload

from sqfw.errors import InvalidArgumentError

__all__ = ["TextColumn", "arrow_of"]


class TextColumn(Sequence[str]):
    """Checked text cells in an Arrow array, read as Python strings when first needed.

    Args:
        values: a pyarrow string array (plain, chunked or dictionary-encoded) of cells
            that are already checked: no nulls.

    The Arrow array is :meth:`arrow`; the list of ``str`` is built once, on the first
    read of the column as a whole (or after a few hundred single cells), and kept. A
    column that is a list by then pickles and copies as that list; one that is not, with
    its Arrow array.

    Raises:
        InvalidArgumentError: ``values`` is not a pyarrow array of text, or a cell is
            missing.
    """

    __slots__ = ("_arrow", "_list", "_reads")

    def __init__(self, values: Any) -> None:
        if not _is_text_array(values):
            kind = getattr(values, "type", None)  # an Arrow array of another type
            raise InvalidArgumentError(
                "values",
                values if kind is None else f"an array of {kind}",
                "a pyarrow array of text (plain, chunked or dictionary)",
            )
        if values.null_count:
            raise InvalidArgumentError(
                "values", f"{values.null_count} missing cells", "a text in every cell"
            )
        self._arrow = values
        self._list: list[str] | None = None
        self._reads = 0  # single cells read from Arrow so far

    def arrow(self) -> Any:
        """The Arrow array the texts are held in (for Arrow and Parquet writers)."""
        return self._arrow

    def _all(self) -> list[str]:
        texts = self._list
        if texts is None:
            texts = self._list = self._arrow.to_pylist()
        return texts

    def __len__(self) -> int:
        return len(self._arrow)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if self._list is None and isinstance(index, int) and self._reads < _SINGLE_READS:
            n = len(self._arrow)
            if not -n <= index < n:
                raise IndexError("text column index out of range")
            self._reads += 1
            return str(self._arrow[index].as_py())  # a few cells: no list built
        return self._all()[index]  # a loop over the cells: the list, once

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._all())

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __contains__(self, value: object) -> bool:
        return value in self._all()

    def index(self, value: Any, start: int = 0, stop: int | None = None) -> int:
        return self._all().index(value, start, len(self) if stop is None else stop)

    def count(self, value: Any) -> int:
        return self._all().count(value)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TextColumn):
            return self._all() == other._all()
        if isinstance(other, list):  # as the list it stands for (never equal to a tuple)
            return self._all() == other
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a column, like a list

    def __repr__(self) -> str:
        return f"TextColumn({len(self)} texts)"

    def __reduce__(self) -> tuple[Any, ...]:
        if self._list is not None:
            return (list, (self._list,))
        return (TextColumn, (self._arrow,))


def arrow_of(values: object) -> Any:
    """The Arrow array of a :class:`TextColumn`, else ``None`` (a list of ``str``)."""
    return values.arrow() if isinstance(values, TextColumn) else None


_SINGLE_READS = 256
"""Cells read one at a time from Arrow before the column becomes a list: a few lookups
(an error's row, the first code) cost microseconds each; a loop over the rows reads the
list (a tenth of a microsecond a cell) instead."""


def _is_text_array(values: object) -> bool:
    pa = sys.modules.get("pyarrow")
    if pa is None or not isinstance(values, pa.Array | pa.ChunkedArray):
        return False
    kind = values.type
    if pa.types.is_dictionary(kind):
        kind = kind.value_type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))
