"""§5.11 from a region's volunteer registry: the same count, and the same verdict, as the
table column (注册志愿者人数), by the one rule :func:`registered_volunteers`."""

from __future__ import annotations

import collections
import csv
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqfw.analysis import RegionDataset, assess, load_table
from sqfw.calculators import Status, volunteer_ratio
from sqfw.entities import (
    Community,
    Division,
    Region,
    Volunteer,
    registered_volunteers,
    with_registry_counts,
)
from sqfw.errors import InvalidArgumentError, RegistryMismatch

ROOT = Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region")
STREET = "150102001000"
CODES = ("150102001001", "150102001002", "150102001003")
ON = pendulum.Date(2020, 12, 31)


def community(code: str = CODES[0], residents: int | None = 10, **more: object) -> Community:
    return Community(
        code=code, name=f"社区{code[-3:]}", kind="urban", resident_population=residents, **more
    )


def volunteer(n: int, code: str = CODES[0], on: str = "2020-01-01") -> Volunteer:
    return Volunteer(id=f"v{n}", name="李娜", community_code=code, registered_on=on)


def region(communities: list[Community], volunteers: list[Volunteer]) -> Region:
    return Region(root=ROOT, communities=communities, volunteers=volunteers)


class TestTheOneRule:
    """:func:`registered_volunteers` gives a community's figure from a registry or as stated."""

    def test_without_a_registry_the_stated_figure(self) -> None:
        """The table column's figure is what the community states (None: unknown)."""
        assert registered_volunteers(community(registered_volunteers=7)) == 7
        assert registered_volunteers(community()) is None

    def test_counts_only_the_communitys_own_code(self) -> None:
        """A volunteer of another community or of the street counts for none but its own."""
        registry = [volunteer(1), volunteer(2, CODES[1]), volunteer(3, STREET)]
        assert registered_volunteers(community(), registry) == 1
        assert registered_volunteers(community(CODES[1]), registry) == 1
        assert registered_volunteers(community(CODES[2]), registry) == 0

    def test_registered_on_the_day_counts_the_day_after_does_not(self) -> None:
        """§5.10 registration: on the date asked about counts; a day later does not."""
        registry = [volunteer(1, on="2020-12-31"), volunteer(2, on="2021-01-01")]
        assert registered_volunteers(community(), registry, on=ON) == 1
        assert registered_volunteers(community(), registry, on=ON.add(days=1)) == 2

    def test_the_column_reads_through_the_rule(self) -> None:
        """The community model's volunteers column is the rule's figure, unknown as NaN."""
        data = RegionDataset.from_region(region([community(registered_volunteers=3)], []))
        assert list(data.communities.volunteers) == [3.0]

    @pytest.mark.parametrize(
        ("args", "kwargs"),
        [((None,), {}), ((community(), "x"), {}), ((community(),), {"on": ON})],
        ids=["no community", "registry of text", "a date without a registry"],
    )
    def test_wrong_arguments_refused(
        self, args: tuple[object, ...], kwargs: dict[str, object]
    ) -> None:
        with pytest.raises(InvalidArgumentError):
            registered_volunteers(*args, **kwargs)  # type: ignore[arg-type]


class TestSection511FromTheRegistry:
    """§5.11: registered volunteers at least 20% of residents (以上: 20% passes)."""

    def test_exactly_20_percent_passes_one_fewer_fails(self) -> None:
        """§5.11: 2 of 10 residents is exactly 20% and passes; 1 of 10 fails."""
        two = with_registry_counts(region([community()], [volunteer(1), volunteer(2)]))
        one = with_registry_counts(region([community()], [volunteer(1)]))
        assert volunteer_ratio(two.communities[0]).status is Status.PASS
        assert volunteer_ratio(one.communities[0]).status is Status.FAIL

    def test_the_date_decides_who_is_counted(self) -> None:
        """§5.11 on a date: the volunteer registered the day after is not yet counted."""
        both = [volunteer(1), volunteer(2, on="2021-01-01")]
        before = with_registry_counts(region([community()], both), on=ON)
        after = with_registry_counts(region([community()], both), on=ON.add(days=1))
        assert volunteer_ratio(before.communities[0]).status is Status.FAIL
        assert volunteer_ratio(after.communities[0]).status is Status.PASS

    def test_a_differing_stated_figure_is_refused_unless_replaced(self) -> None:
        """A stated 5 and a registry of 2 cannot both be true: refused, or replaced on ask."""
        stated = region([community(registered_volunteers=5)], [volunteer(1), volunteer(2)])
        with pytest.raises(RegistryMismatch) as refused:
            with_registry_counts(stated)
        assert (refused.value.stated, refused.value.counted) == (5, 2)
        assert CODES[0] in str(refused.value)
        replaced = with_registry_counts(stated, replace=True)
        assert replaced.communities[0].registered_volunteers == 2

    def test_an_agreeing_stated_figure_is_kept(self) -> None:
        same = region([community(registered_volunteers=2)], [volunteer(1), volunteer(2)])
        assert with_registry_counts(same).communities[0].registered_volunteers == 2


def _write_table(path: Path, communities: list[Community], counts: dict[str, int]) -> None:
    """A table as a host keeps one: the volunteers column counted independently."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["社区代码", "社区名称", "常住人口", "注册志愿者人数"])
        for c in communities:
            residents = "" if c.resident_population is None else c.resident_population
            writer.writerow([c.code, c.name, residents, counts.get(c.code, 0)])


@st.composite
def registries(draw: st.DrawFn) -> tuple[list[Community], list[Volunteer], pendulum.Date]:
    size = draw(st.integers(1, 3))
    communities = [community(code, draw(st.none() | st.integers(0, 40))) for code in CODES[:size]]
    places = [*CODES[:size], STREET]
    volunteers = [
        volunteer(
            n,
            draw(st.sampled_from(places)),
            draw(st.dates(pendulum.Date(2019, 1, 1), pendulum.Date(2022, 12, 31))).isoformat(),
        )
        for n in range(draw(st.integers(0, 25)))
    ]
    on = draw(st.dates(pendulum.Date(2020, 1, 1), pendulum.Date(2021, 12, 31)))
    return communities, volunteers, pendulum.Date(on.year, on.month, on.day)


class TestRegistryAndTableAgree:
    """§5.11: the region's verdict from the registry equals the verdict from the table
    column holding the same count."""

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(drawn=registries())
    def test_same_verdict(
        self,
        drawn: tuple[list[Community], list[Volunteer], pendulum.Date],
        tmp_path_factory: pytest.TempPathFactory,
    ) -> None:
        communities, volunteers, on = drawn
        from_registry = with_registry_counts(region(communities, volunteers), on=on)
        # outside the rule: count the registry as a clerk would, into a table's column
        counts = collections.Counter(v.community_code for v in volunteers if v.registered_on <= on)
        table = tmp_path_factory.mktemp("table") / "communities.csv"
        _write_table(table, communities, counts)
        assessed = [
            assess(data, on="2020-12-31", norms=["volunteer_ratio"]).target("volunteers")
            for data in (from_registry, load_table(table))
        ]
        registry_verdict, table_verdict = assessed
        assert registry_verdict.attainment is table_verdict.attainment
        assert registry_verdict.measured == table_verdict.measured
        assert registry_verdict.gap == table_verdict.gap
        for c in from_registry.communities:
            assert c.registered_volunteers == counts.get(c.code, 0)

    def test_one_region_by_hand(self, tmp_path: Path) -> None:
        """§5.11 at the region: 3 registered of 15 residents is exactly 20% and met either
        way; the street's volunteer counts for no community."""
        communities = [community(CODES[0], 10), community(CODES[1], 5)]
        registry = [volunteer(1), volunteer(2), volunteer(3, CODES[1]), volunteer(4, STREET)]
        from_registry = with_registry_counts(region(communities, registry))
        table = tmp_path / "t.csv"
        _write_table(table, communities, {CODES[0]: 2, CODES[1]: 1})
        for data in (from_registry, load_table(table)):
            verdict = assess(data, on="2020-12-31", norms=["volunteer_ratio"]).target("volunteers")
            assert verdict.attainment.value == "met"
        short = attrs.evolve(from_registry, volunteers=registry[1:])
        verdict = assess(with_registry_counts(short, replace=True), on="2020-12-31").target(
            "volunteers"
        )
        assert verdict.attainment.value == "not_met"
