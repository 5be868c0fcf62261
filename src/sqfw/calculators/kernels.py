"""What runs the calculators' kernels over columns, public for the columnar assessment.

The region assessment (:func:`sqfw.analysis.assess`) runs the same per-community norms and
region rules as the explained checks, over a whole dataset's columns. It reads their
outputs through these names: the status codes of a kernel (:data:`STATUSES`), a kernel's
evaluated columns (:class:`Evaluated`) and one row of them (:class:`Row`), an area as a
result shows it (:func:`m2`), a norm's exact figures declared once and read one row or a
window of rows at a time (a :class:`FigureReading` of three :class:`Figure` values:
:func:`area_of`, :func:`count_of`, :func:`quotient_of`, :func:`parameter_of`), the target
kinds (:data:`KINDS`) and the rows a region rule counts over (:data:`Level`,
:func:`township_columns`, :func:`county_columns`, :func:`urban_residents`,
:class:`Tally`), and :data:`python_arrays`, the pure-Python array
namespace the kernels run on without NumPy (and on exact figures at a boundary).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from sqfw.calculators import _arrays as python_arrays
from sqfw.calculators._count import Count, Unknowns
from sqfw.calculators._figures import (
    Figure,
    FigureReading,
    area_of,
    count_of,
    parameter_of,
    quotient_of,
)
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
    "Figure",
    "FigureReading",
    "Level",
    "Measure",
    "Row",
    "Tally",
    "Unknowns",
    "area_of",
    "count_of",
    "county_columns",
    "m2",
    "parameter_of",
    "python_arrays",
    "quotient_of",
    "township_columns",
    "urban_residents",
]
