"""After the 14th plan: a date in a Five-Year period whose plan is not bundled carries the
latest plan forward (沿用) and every result, target and view says so; ``strict`` refuses; a
user's own plan of the period replaces the carry-forward. (REQUIREMENTS: "After the 13th
plan: what is in force today"; §2.11–§2.12 are the targets compared.)"""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest

from sqfw import reports
from sqfw.analysis import RegionDataset, assess
from sqfw.cli import main
from sqfw.errors import PlanNotFound, StandardsError
from sqfw.standards import (
    five_year_period,
    five_year_periods,
    load_plan,
    resolve_plan,
    write_plan_skeleton,
)

INNER_MONGOLIA = "150000000000"


class TestPeriods:
    """The Five-Year periods sqfw knows, each edge on both sides."""

    def test_three_periods(self) -> None:
        """13th 2016–2020, 14th 2021–2025, 15th 2026–2030, one after the other."""
        found = [(p.number, p.years) for p in five_year_periods()]
        assert found == [(13, "2016–2020"), (14, "2021–2025"), (15, "2026–2030")]

    @pytest.mark.parametrize(
        ("on", "number"),
        [
            ("2015-12-31", None),
            ("2016-01-01", 13),
            ("2025-12-31", 14),
            ("2026-01-01", 15),
            ("2030-12-31", 15),
            ("2031-01-01", None),
        ],
    )
    def test_period_of_a_date(self, on: str, number: int | None) -> None:
        period = five_year_period(on)
        assert (period.number if period else None) == number

    def test_no_national_community_plan_of_the_15th_period(self) -> None:
        """The 15th period's outline is named; no community-service plan is claimed."""
        fifteenth = five_year_periods()[-1]
        assert "第十五个五年规划纲要" in fifteenth.outline
        assert fifteenth.community_plan is None


class TestResolve:
    """The plan in force, carried forward after the last one, refused when strict."""

    def test_last_day_of_the_14th_is_not_carried(self) -> None:
        found = resolve_plan(None, "2025-12-31", INNER_MONGOLIA)
        assert found.plan.id == "cn-14th"
        assert not found.carried_forward
        assert found.dated == pendulum.date(2025, 12, 31)
        assert (found.note_zh, found.note_en) == ("", "")

    def test_first_day_of_the_15th_is_carried(self) -> None:
        found = resolve_plan(None, "2026-01-01", INNER_MONGOLIA)
        assert found.plan.id == "cn-14th"
        assert found.carried_forward
        assert found.on == pendulum.date(2026, 1, 1)
        assert found.dated == pendulum.date(2025, 12, 31)
        assert found.period is not None
        assert found.period.number == 15
        assert found.note_zh.startswith("沿用“十四五”城乡社区服务体系建设规划(cn-14th")
        assert "“十五五”时期(2026–2030)" in found.note_zh
        assert found.note_en.startswith("carried forward: cn-14th (2021-01-01–2025-12-31)")
        assert "15th Five-Year period (2026–2030)" in found.note_en
        assert "2025-12-31" in found.note_en

    def test_strict_refuses_with_the_same_names(self) -> None:
        with pytest.raises(PlanNotFound) as info:
            resolve_plan(None, "2026-01-01", INNER_MONGOLIA, strict=True)
        message = str(info.value)
        assert "cn-14th (2021-01-01–2025-12-31)" in message
        assert "15th Five-Year period (2026–2030)" in message
        assert resolve_plan(None, "2025-12-31", INNER_MONGOLIA, strict=True).plan.id == "cn-14th"

    def test_nothing_is_carried_backwards(self) -> None:
        """Before every plan there is nothing to carry: refused, strict or not."""
        with pytest.raises(PlanNotFound, match="im-13th"):
            resolve_plan(None, "2015-12-31", INNER_MONGOLIA)

    def test_a_plan_given_is_carried_past_its_end(self) -> None:
        found = resolve_plan("im-13th", "2021-03-01", INNER_MONGOLIA)
        assert found.carried_forward
        assert found.dated == pendulum.date(2020, 12, 31)
        assert "13th" not in found.note_en or "im-13th" in found.note_en


@pytest.fixture(scope="module")
def region() -> RegionDataset:
    from sqfw.analysis import sample_region

    return sample_region(seed=3)


class TestAssessment:
    """assess() on a date of the 15th period follows cn-14th as of 2025-12-31."""

    def test_result_and_every_target_say_so(self, region: RegionDataset) -> None:
        a = assess(region, on="2026-06-30")
        assert a.plan.id == "cn-14th"
        assert a.on == pendulum.date(2026, 6, 30)
        assert a.carried_forward is not None
        assert a.carried_forward.dated == pendulum.date(2025, 12, 31)
        assert a.targets
        assert all(t.carried_forward == a.carried_forward for t in a.targets)

    def test_same_figures_as_on_the_plans_last_day(self, region: RegionDataset) -> None:
        """Checked against the assessment of the same data on 2025-12-31, where cn-14th
        is in force itself: the same attainment and figures at every place."""
        carried = assess(region, on="2026-06-30")
        own = assess(region, on="2025-12-31")
        assert own.carried_forward is None
        assert all(t.carried_forward is None for t in own.targets)

        def figures(a: object) -> list[tuple[object, ...]]:
            return [
                (t.target.id, t.place.code, t.attainment, t.measured, t.required, t.gap)
                for t in a.targets
            ]

        assert figures(carried) == figures(own)

    def test_strict_refuses(self, region: RegionDataset) -> None:
        with pytest.raises(PlanNotFound, match=r"cn-14th \(2021-01-01–2025-12-31\)"):
            assess(region, on="2026-06-30", strict=True)


@pytest.fixture(scope="module")
def carried(region: RegionDataset) -> object:
    return assess(region, on="2026-06-30")


@pytest.fixture(scope="module")
def own(region: RegionDataset) -> object:
    return assess(region, on="2025-12-31")


class TestViews:
    """Each view shows the note the result carries, and none when nothing is carried."""

    @pytest.mark.parametrize("lang", ["zh", "en"])
    def test_text_and_markdown(self, carried: object, own: object, lang: str) -> None:
        note = carried.carried_forward.note(lang)
        for fmt in ("table", "markdown"):
            text = reports.text(carried, lang=lang, format=fmt)
            assert note.split(";")[0].split(":")[0] in text
            flat = re.sub(r"\s+", "", text)
            assert re.sub(r"\s+", "", note) in flat
            assert "沿用" not in reports.text(own, lang="zh", format=fmt)
            assert "carried forward" not in reports.text(own, lang="en", format=fmt)

    @pytest.mark.parametrize("lang", ["zh", "en"])
    def test_html(self, carried: object, own: object, lang: str) -> None:
        note = carried.carried_forward.note(lang)
        assert html.escape(note, quote=False) in reports.html(carried, lang=lang)
        assert "沿用" not in reports.html(own, lang="zh")

    def test_json(self, carried: object, own: object) -> None:
        data = json.loads(reports.to_json(carried, findings="none"))
        in_force = data["plan_in_force"]
        assert in_force["plan"] == "cn-14th"
        assert in_force["carried_forward"] is True
        assert (in_force["on"], in_force["dated"], in_force["period"]) == (
            "2026-06-30",
            "2025-12-31",
            "2026–2030",
        )
        assert in_force["note_en"] == carried.carried_forward.note_en
        assert all(t["carried_forward"] == in_force for t in data["targets"])
        plain = json.loads(reports.to_json(own, findings="none"))
        assert plain["plan_in_force"]["carried_forward"] is False
        assert all(t["carried_forward"] is None for t in plain["targets"])


class TestCommandLine:
    """`sqfw assess --date 2026-06-30`: exit 0 and the carried plan named; strict: refused."""

    def test_carried_forward_report(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["assess", "--date", "2026-06-30", "--lang", "en"]) == 0
        captured = capsys.readouterr()
        flat = re.sub(r"\s+", " ", captured.out)
        assert "carried forward: cn-14th (2021-01-01–2025-12-31)" in flat
        assert "15th Five-Year period (2026–2030)" in flat
        assert "carried forward: cn-14th" in captured.err

    def test_strict_plan(self, capsys: pytest.CaptureFixture[str]) -> None:
        args = ["assess", "--date", "2026-06-30", "--lang", "en", "--strict-plan"]
        assert main(args) == 2
        err = re.sub(r"\s+", " ", capsys.readouterr().err)
        assert "cn-14th (2021-01-01–2025-12-31)" in err
        assert "15th Five-Year period (2026–2030)" in err


def _fill(folder: Path, *, plan: bool = True, values: bool = True) -> None:
    """Fill a skeleton the way a user would: name the document, carry each value."""
    if plan:
        text = (folder / "plan.toml").read_text(encoding="utf-8")
        text = re.sub(r"(?m)^user_supplied = .*$", "user_supplied = []", text)
        text = text.replace("待填写 / to fill", "某省“十五五”规划(示例)")
        (folder / "plan.toml").write_text(text, encoding="utf-8")
    if values:
        for path in (folder / "parameters").rglob("*.toml"):
            text = path.read_text(encoding="utf-8")
            path.write_text(
                text.replace("user_supplied = true", "carried_forward = true"), encoding="utf-8"
            )


class TestUsersPlan:
    """`plans new` writes a skeleton the loader refuses until it is filled or carried."""

    def test_skeleton_refused_until_filled(self, tmp_path: Path) -> None:
        folder = write_plan_skeleton(
            "my-15th", base="cn-14th", period="2026-2030", output=tmp_path / "my"
        )
        assert {p.name for p in folder.iterdir()} == {"plan.toml", "parameters", "targets.toml"}
        with pytest.raises(StandardsError, match=r"user_supplied.*document"):
            load_plan(folder)
        _fill(folder, values=False)
        with pytest.raises(StandardsError, match="must fill"):
            load_plan(folder)
        _fill(folder, plan=False)
        mine = load_plan(folder)
        assert (mine.start, mine.end) == (pendulum.date(2026, 1, 1), pendulum.date(2030, 12, 31))
        assert set(mine.parameters) == set(resolve_plan("cn-14th", "2025-12-31").plan.parameters)

    def test_users_plan_replaces_the_carry_forward(
        self, tmp_path: Path, region: RegionDataset
    ) -> None:
        folder = write_plan_skeleton(
            "my-15th", base="cn-14th", period="2026-2030", output=tmp_path / "my"
        )
        _fill(folder)
        mine = load_plan(folder)
        found = resolve_plan(None, "2026-06-30", INNER_MONGOLIA, plans=[mine])
        assert found.plan.id == "my-15th"
        assert not found.carried_forward
        a = assess(region, on="2026-06-30", plan=mine)
        assert a.carried_forward is None
        assert a.targets
        assert all(t.carried_forward is None for t in a.targets)
        carried = assess(region, on="2026-06-30")
        assert [t.attainment for t in a.targets] == [t.attainment for t in carried.targets]

    def test_command(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        out = tmp_path / "cli"
        args = ["plans", "new", "my-15th", "--from", "cn-14th", "--period", "2026-2030"]
        assert main([*args, "--output", str(out)]) == 0
        assert (out / "plan.toml").is_file()
        assert main([*args, "--output", str(out)]) == 2  # not an empty folder
        assert "empty folder" in capsys.readouterr().err
        assert main([*args[:-1], "2030-2026", "--output", str(tmp_path / "x")]) == 2
        assert (
            main(
                [
                    "plans",
                    "new",
                    "cn-14th",
                    "--from",
                    "cn-14th",
                    "--period",
                    "2026-2030",
                    "--output",
                    str(tmp_path / "y"),
                ]
            )
            == 2
        )


@pytest.fixture
def clock_at(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Set the clocks sqfw could read (``time``, ``pendulum``) to a given year.

    ``datetime.now()`` reads the system clock in C and cannot be moved from Python;
    :meth:`TestClockIndependence.test_sqfw_reads_no_other_clock` shows sqfw never calls it.
    """

    def set_year(year: int) -> None:
        moment = pendulum.datetime(year, 6, 15, 12, tz="UTC")
        stamp = moment.timestamp()
        monkeypatch.setattr(time, "time", lambda: stamp)
        monkeypatch.setattr(time, "time_ns", lambda: int(stamp * 1e9))
        monkeypatch.setattr(pendulum, "now", lambda tz=None: moment.in_tz(tz or "UTC"))
        monkeypatch.setattr(pendulum, "today", lambda tz=None: moment.start_of("day"))
        assert time.time() == stamp
        assert pendulum.now().year == year

    return set_year


class TestClockIndependence:
    """No result depends on the machine's clock: the same dated inputs give the same
    results with the clock set to 2031 and to 2015."""

    def _run(self, region: RegionDataset) -> tuple[object, ...]:
        from sqfw.entities.ticket import ServiceTicket
        from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

        a = assess(region, on="2026-06-30")
        wf = TicketWorkflow(catalogue=example_catalogue())
        ticket = ServiceTicket(
            id="T1",
            service_code="hrss.pension_certification",
            kind="handling",
            community_code="150102001001",
            received_at=pendulum.datetime(2026, 12, 28, 10, tz="Asia/Shanghai"),
            applicant="王五",
            departments=["human_resources_social_security"],
        )
        record = wf.receive(wf.new("T1"), ticket, actor="window")
        clock = wf.clock_at(record, pendulum.datetime(2027, 1, 6, 12, tz="Asia/Shanghai"))
        return (
            a.carried_forward,
            [(t.target.id, t.place.code, t.attainment, t.measured) for t in a.targets],
            record.head,
            clock,
        )

    def test_sqfw_reads_no_other_clock(self) -> None:
        """No module of sqfw calls a clock the fixture does not move."""
        import sqfw

        root = Path(sqfw.__file__).parent
        calls = re.compile(r"\b(?:datetime|date)\.(?:now|today|utcnow)\(|\btime\.time(?:_ns)?\(")
        found = [
            f"{path.relative_to(root)}: {line.strip()}"
            for path in root.rglob("*.py")
            for line in path.read_text(encoding="utf-8").splitlines()
            if calls.search(line)
        ]
        assert found == []

    def test_2031_and_2015(self, region: RegionDataset, clock_at: object) -> None:
        clock_at(2031)  # type: ignore[operator]
        later = self._run(region)
        clock_at(2015)  # type: ignore[operator]
        earlier = self._run(region)
        assert later == earlier
        assert later[3].estimated
        assert later[3].overdue
