"""A column of text held as Arrow reads it: codes and names of a large loaded table.

A national table has 595,663 community codes and as many names. Turning them into Python
strings takes longer than the rest of a load's checks, and an assessment never reads
them: it reads numbers. A :class:`TextColumn` keeps the checked text in the Arrow array
the columnar reader gave, answers its length and a single cell from it, and becomes a
list of ``str`` the first time it is read as a whole (iterated, sliced, searched,
compared). It is a :class:`~collections.abc.Sequence` of ``str`` like the list it stands
for, and equal to a list of the same texts.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

__all__ = ["TextColumn", "arrow_of"]


class TextColumn(Sequence[str]):
    """Checked text cells in an Arrow array, read as Python strings when first needed.

    Args:
        values: a pyarrow string array (plain, chunked or dictionary-encoded) of cells
            that are already checked: no nulls.

    The Arrow array is :meth:`arrow`; the list of ``str`` is built once, on the first
    read of the column as a whole, and kept.
    """

    __slots__ = ("_arrow", "_list")

    def __init__(self, values: Any) -> None:
        self._arrow = values
        self._list: list[str] | None = None

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
        if self._list is None and isinstance(index, int):
            n = len(self._arrow)
            if not -n <= index < n:
                raise IndexError("text column index out of range")
            return str(self._arrow[index].as_py())  # one cell: no list built
        return self._all()[index]

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
        if isinstance(other, list | tuple):
            return self._all() == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # a column, like a list

    def __repr__(self) -> str:
        return f"TextColumn({len(self)} texts)"

    def __reduce__(self) -> tuple[Any, ...]:
        if self._list is not None:
            return (list, (self._list,))
        return (TextColumn, (self._arrow,))


def arrow_of(values: Sequence[str]) -> Any:
    """The Arrow array of a :class:`TextColumn`, else ``None`` (a list of ``str``)."""
    return values.arrow() if isinstance(values, TextColumn) else None
