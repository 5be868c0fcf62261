"""A table's row checks refuse exactly what the entities refuse.

The loader checks national tables column-wise for speed; these tests hold those checks to
the entities' own validators, value by value, on both sides of every boundary.
"""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from sqfw.analysis._loading.cells import NAME_LIMIT, parse_column
from sqfw.analysis._loading.checks import Errors, check_rows
from sqfw.analysis._loading.columns import COLUMNS
from sqfw.entities import Community, Division, Facility
from sqfw.errors import InvalidEntityError

_BY_FIELD = {column.field: column for column in COLUMNS}


def _flagged(**parsed: list[float]) -> set[int]:
    """The rows check_rows reports for these columns."""
    known = {position: _BY_FIELD[field] for position, field in enumerate(parsed)}
    errors: Errors = {}
    check_rows(dict(parsed), known, list(parsed), errors)
    return set(errors)


def _refuses(build: object) -> bool:
    try:
        build()  # type: ignore[operator]
    except InvalidEntityError:
        return True
    return False


_counts = st.none() | st.integers(0, 40)
_areas = st.none() | st.integers(0, 40) | st.floats(0, 1e6, allow_nan=False)


def _cell(value: float | None) -> float:
    return math.nan if value is None else float(value)


class TestRowChecksAgreeWithEntities:
    @given(pairs=st.lists(st.tuples(_counts, _counts), min_size=1, max_size=20))
    def test_households_and_residents_as_a_community(
        self, pairs: list[tuple[int | None, int | None]]
    ) -> None:
        """A row is refused exactly when Community refuses its households and residents."""
        flagged = _flagged(
            households=[_cell(h) for h, _ in pairs], residents=[_cell(r) for _, r in pairs]
        )
        for index, (households, residents) in enumerate(pairs):
            refused = _refuses(
                lambda h=households, r=residents: Community(
                    code="150102001001",
                    name="社区",
                    kind="urban",
                    households=h,
                    resident_population=r,
                )
            )
            assert (index in flagged) == refused, (households, residents)

    @given(pairs=st.lists(st.tuples(_areas, _areas), min_size=1, max_size=20))
    def test_office_within_the_facility_area_as_a_facility(
        self, pairs: list[tuple[float | None, float | None]]
    ) -> None:
        """A row is refused exactly when Facility refuses its total and office areas."""
        flagged = _flagged(area=[_cell(a) for a, _ in pairs], office=[_cell(o) for _, o in pairs])
        for index, (area, office) in enumerate(pairs):
            refused = (
                area is not None
                and office is not None
                and _refuses(
                    lambda a=area, o=office: Facility(
                        id="f", kind="comprehensive", total_area_m2=a, office_area_m2=o
                    )
                )
            )
            assert (index in flagged) == refused, (area, office)

    def test_names_as_long_as_the_entities_allow(self) -> None:
        """A name the entities accept loads; one character more is refused by both."""
        for length in (NAME_LIMIT, NAME_LIMIT + 1):
            name = "名" * length
            _, bad = parse_column([name], "text")
            community = _refuses(
                lambda n=name: Community(code="150102001001", name=n, kind="urban")
            )
            division = _refuses(
                lambda n=name: Division(code="150102000000", name=n, kind="district")
            )
            assert bool(bad) == community == division == (length > NAME_LIMIT)
