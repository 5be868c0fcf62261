"""What runs the calculators' kernels over columns, public for the columnar assessment.

The region assessment (:func:`sqfw.analysis.assess`) runs the same per-community norms and
region rules as the explained checks, over a whole dataset's columns. It reads their
outputs through these names: the status codes of a kernel (:data:`STATUSES`), a kernel's
evaluated columns (:class:`Evaluated`) and one row of them (:class:`Row`), an area as a
result shows it (:func:`m2`), the target kinds (:data:`KINDS`) and the rows a region rule
counts over (:data:`Level`, :func:`township_columns`, :func:`county_columns`,
:func:`urban_residents`, :class:`Tally`), and :data:`python_arrays`, the pure-Python array
namespace the kernels run on without NumPy (and on exact figures at a boundary).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from sqfw.calculators import _arrays as python_arrays
from sqfw.calculators._count import Count, Unknowns
from sqfw.calculators._kinds import KINDS
from sqfw.calculators._norm import STATUSES, Evaluated, Row, m2
from sqfw.calculators._region import (
    Level,
    Tally,
    county_columns,
    township_columns,
    urban_residents,
)
from sqfw.calculators._result import Measure

__all__ = [
    "KINDS",
    "STATUSES",
    "Count",
    "Evaluated",
    "Level",
    "Measure",
    "Row",
    "Tally",
    "Unknowns",
    "county_columns",
    "m2",
    "python_arrays",
    "township_columns",
    "urban_residents",
]
