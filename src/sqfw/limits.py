"""The limits sqfw puts on its inputs: each written once, here, and checked early.

Every limit is checked before the work it protects (the nesting depth while a document is
parsed, a header before a table's body, a number's digits before it is converted), and
each one refused is an error of the :mod:`sqfw.errors` tree that names the limit. The
table in ``docs/errors.md`` lists them with the error each raises.

The magnitudes are generous: far above any real community, far below what would overflow
a float or take a noticeable time to print.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "MAX_AREA_M2",
    "MAX_CELL_CHARS",
    "MAX_COUNT",
    "MAX_DEPTH",
    "MAX_DOCUMENT_BYTES",
    "MAX_HOURS",
    "MAX_LISTED_PROBLEMS",
    "MAX_NAME_CHARS",
    "MAX_NUMBER_DIGITS",
    "MAX_ORDINAL",
    "MAX_SHOWN_CHARS",
    "MAX_STRING_CHARS",
    "MAX_YEAR",
    "MIN_YEAR",
]

# --- documents (JSON) ------------------------------------------------------------------

MAX_DEPTH: Final = 64
"""Deepest nesting of arrays and objects in a document (a region document needs 6)."""

MAX_NUMBER_DIGITS: Final = 40
"""Most digits a number may be written with (integer, fraction and exponent digits)."""

MAX_STRING_CHARS: Final = 100_000
"""Longest string in a document or a table cell's text read as a whole."""

MAX_DOCUMENT_BYTES: Final = 2**31
"""Largest JSON document read from a file (2 GiB; a national region is about 400 MB)."""

# --- magnitudes, per unit -----------------------------------------------------------------

MAX_AREA_M2: Final = 10_000_000
"""Largest floor area in m² (10 km²; the largest service facility is far smaller)."""

MAX_COUNT: Final = 100_000_000
"""Largest count of people, households, rooms, votes or members of one entity (10⁸)."""

MAX_HOURS: Final = 100_000
"""Longest duration in hours of one record (a training, a service): about 11 years."""

MAX_ORDINAL: Final = 1_000
"""Largest term, round or seat number (a committee's 1,000th term is 5,000 years away)."""

MIN_YEAR: Final = 1900
"""Earliest year of a date or date-time."""

MAX_YEAR: Final = 2200
"""Latest year of a date or date-time."""

# --- tables ------------------------------------------------------------------------------

MAX_CELL_CHARS: Final = 10_000
"""Longest cell of a table (names are at most :data:`MAX_NAME_CHARS`)."""

MAX_NAME_CHARS: Final = 100
"""Longest name of a division or a community (the entities', a table's name cells', a
companion file's region name)."""

# --- messages ----------------------------------------------------------------------------

MAX_SHOWN_CHARS: Final = 60
"""Longest text of a refused value shown in a message; longer ones are cut and counted."""

MAX_LISTED_PROBLEMS: Final = 20
"""Most problems an error's message lists; every one is in its ``problems``."""
