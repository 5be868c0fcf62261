"""Communities as the columns the norm kernels read: the one reading of an entity.

A national dataset keeps these columns for every community; the explained check of one
community builds them for that community alone, so both evaluations read the same facts
the same way. The columns, their unknowns and the reading are declared once, in
:mod:`sqfw.calculators._model`; this module names them for the kernels. Unknown numbers
are ``NaN``; unknown yes/no facts are ``-1``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from sqfw.calculators._model import (
    COMMUNITY_FIELDS,
    COMMUNITY_KINDS,
    UNKNOWN_FLAG,
    committee_values,
    community_columns,
    community_values,
)

__all__ = [
    "ABSENT_MEANS",
    "COMMUNITY_COLUMNS",
    "COMMUNITY_KINDS",
    "UNKNOWN_FLAG",
    "committee_values",
    "community_columns",
    "community_values",
]

COMMUNITY_COLUMNS: tuple[str, ...] = tuple(f.name for f in COMMUNITY_FIELDS)
"""The numeric community columns, in the order :func:`community_values` gives them."""

ABSENT_MEANS: dict[str, float] = {f.name: float(f.absent) for f in COMMUNITY_FIELDS}
"""What a column a region dataset does not carry stands for on every row."""
