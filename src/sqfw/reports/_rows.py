"""A function of a norm's row, run once per distinct combination of the values it reads.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from sqfw.analysis import NormRun

__all__ = ["applied_groups", "per_distinct_row"]

T = TypeVar("T")


class _Reads(dict[str, Any]):
    """A row's columns that record which of them the row reads."""

    def __init__(self, columns: Mapping[str, Any]) -> None:
        super().__init__(columns)
        self.read: set[str] = set()

    def __getitem__(self, name: str) -> Any:
        self.read.add(name)
        return super().__getitem__(name)


def per_distinct_row(
    run: NormRun,
    function: Callable[[Any], T],
    rows: range | Sequence[int] | None = None,
    *,
    most: float = 1.0,
) -> tuple[Any, list[T]] | None:
    """``function`` of every row of ``run`` (a norm's ``applied``, ``figures`` …), run once
    per distinct combination of the values it reads.

    The function is a pure function of the row, reading it only through the row's own
    accessors: two rows that hold the same values (the same bits) in every column it read
    on one of them make it read the same columns and give the same result. So the rows
    are grouped by the columns it has read so far, it runs on one row of each group, and
    when it reads a further column the rows are grouped again by that one too. A row that
    was decided again at a boundary (its exact outputs are its own) runs on its own.

    Args:
        run: the norm's run.
        function: a function of a row (:meth:`~sqfw.analysis.NormRun.row`).
        rows: the rows, in order (default: all).
        most: give up (``None``) when the groups are more than this share of the rows,
            so the caller runs the function on each row itself.

    Returns:
        Each row's group (an array of indices into the results, numbered in the order
        the groups' first rows come, one per row of ``rows``) and the results; ``None``
        when NumPy is not installed, the columns are not NumPy's or there are too many
        groups.
    """
    columns = run.columns
    try:
        import numpy as np
    except ImportError:  # the pure-Python namespace: the caller runs it per row
        return None
    index = np.arange(len(run.status)) if rows is None else np.asarray(rows, dtype=np.int64)
    n = len(index)
    # a row decided again at a boundary reads its own exact outputs: a group of its own
    alone = np.zeros(n, dtype=np.uint64)
    if run.evaluated.exact_rows:
        exact = np.isin(index, np.fromiter(run.evaluated.exact_rows, dtype=np.int64))
        alone[exact] = np.arange(1, int(exact.sum()) + 1)
    done: dict[int, T] = {}  # by row: a row run on one pass is not run again on the next
    names: list[str] = []
    while True:
        groups = np.unique(alone, return_inverse=True)[1].reshape(-1)
        for name in names:  # the groups so far, split by one more column's values (bits)
            column = columns[name]
            if not isinstance(column, np.ndarray):  # not NumPy's
                return None
            bits = np.asarray(column[index], dtype=np.float64).view(np.uint64)
            values = np.unique(bits, return_inverse=True)[1].reshape(-1)
            pairs = groups.astype(np.int64) * (int(values.max(initial=0)) + 1) + values
            groups = np.unique(pairs, return_inverse=True)[1].reshape(-1)
        count = int(groups.max(initial=-1)) + 1
        if count > most * n:
            return None
        firsts = np.full(count, n, dtype=np.int64)
        np.minimum.at(firsts, groups, np.arange(n, dtype=np.int64))
        # numbered in the order the groups first come, as a loop over the rows would
        order = np.argsort(firsts, kind="stable")
        rank = np.empty(count, dtype=np.int64)
        rank[order] = np.arange(count)
        groups = rank[groups]
        reads = _Reads(columns)
        results: list[T] = []
        for at in index[firsts[order]].tolist():
            if at in done:
                results.append(done[at])
                continue
            results.append(function(run.evaluated.row_of(reads, at)))
            done[at] = results[-1]
            if not reads.read <= set(names):
                break
        else:
            break
        names += sorted(reads.read - set(names))
    return groups, results


GROUPED_FROM = 1_000
"""From this many rows, :func:`applied_groups` looks for rows that repeat."""


def applied_groups(
    run: NormRun, rows: range | Sequence[int] | None = None
) -> tuple[Sequence[int], list[tuple[str, ...]]]:
    """The clauses each of ``rows`` (default: all) rests on, by group: each row's group
    and each group's clauses (:meth:`~sqfw.calculators.Norm.applied`, then the parameters'
    clauses), the groups numbered in the order they first come.

    ``applied`` runs once per distinct combination of the values it reads (the kind of
    community …) where NumPy can group the rows (:func:`per_distinct_row`), else once per
    row; a norm that rests on all its parameters on every row is one group.
    """
    params, norm = run.params, run.norm
    n = len(run.status) if rows is None else len(rows)
    if norm.applies is None:
        return [0] * n, [params.clauses(norm.fields)]  # what ``applied`` gives each row
    seen: dict[tuple[str, ...], int] = {}
    grouped = per_distinct_row(run, norm.applied, rows) if n >= GROUPED_FROM else None
    if grouped is None:
        indices = range(n) if rows is None else rows
        groups: Sequence[int] = [
            seen.setdefault(norm.applied(run.row(i)), len(seen)) for i in indices
        ]
    else:
        found, said = grouped
        import numpy as np  # per_distinct_row grouped the rows: NumPy is installed

        renumbered = np.fromiter((seen.setdefault(k, len(seen)) for k in said), np.int64)
        groups = renumbered[found]
    return groups, [params.clauses(k) for k in seen]
