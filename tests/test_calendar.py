"""The working-day calendar of mainland China, make-up days (调休) included (§3.8–§3.9)."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from sqfw.calendar import (
    DayKind,
    OfficialSchedule,
    WorkingDayCalendar,
    official_years,
    read_schedule,
)
from sqfw.errors import CalendarError, ScheduleError

CAL = WorkingDayCalendar()


class TestOfficialSchedule:
    """The official schedule comes from the ``holidays`` package, make-up days included."""

    def test_years_are_read_from_the_package(self) -> None:
        """The known years include the plan period 2016–2020."""
        assert set(range(2016, 2021)) <= official_years()

    @pytest.mark.parametrize(
        ("day", "kind"),
        [
            ("2019-09-29", DayKind.MAKEUP_WORKDAY),  # Sunday before National Day
            ("2019-10-01", DayKind.HOLIDAY),
            ("2019-10-07", DayKind.HOLIDAY),  # Monday off, swapped from 10-12
            ("2019-10-08", DayKind.WORKDAY),
            ("2019-10-12", DayKind.MAKEUP_WORKDAY),  # Saturday worked
            ("2019-10-13", DayKind.WEEKEND),
            ("2020-01-19", DayKind.MAKEUP_WORKDAY),  # Sunday before Spring Festival
            ("2020-01-24", DayKind.HOLIDAY),  # New Year's Eve, swapped from 01-19
            ("2020-01-31", DayKind.HOLIDAY),  # the 2020 extension of Spring Festival
            ("2020-02-03", DayKind.WORKDAY),
            ("2020-09-27", DayKind.MAKEUP_WORKDAY),
            ("2020-10-08", DayKind.HOLIDAY),  # Thursday off, swapped from 10-10
            ("2020-10-10", DayKind.MAKEUP_WORKDAY),
        ],
    )
    def test_day_kinds(self, day: str, kind: DayKind) -> None:
        """Make-up working days are working days; swapped weekdays are days off."""
        assert CAL.kind(day) is kind
        assert CAL.is_working_day(day) is kind.is_working

    def test_holiday_names_are_official(self) -> None:
        """A holiday carries its official Chinese name."""
        assert CAL.holiday_name("2019-10-01") == "国庆节"
        assert CAL.holiday_name("2019-10-08") is None


class TestCounting:
    """Counting working days across National Day and Spring Festival."""

    def test_national_day_2019(self) -> None:
        """Five working days from Fri 2019-09-27 end on 10-10: 9-29, 9-30, 10-8, 10-9, 10-10."""
        assert CAL.add_working_days("2019-09-27", 5) == pendulum.date(2019, 10, 10)
        assert CAL.add_working_days("2019-09-27", 2) == pendulum.date(2019, 9, 30)
        assert CAL.add_working_days("2019-09-27", 3) == pendulum.date(2019, 10, 8)

    def test_spring_festival_2020(self) -> None:
        """From Fri 2020-01-17: Sunday 01-19 counts, then the (extended) holiday until 02-02."""
        assert CAL.add_working_days("2020-01-17", 1) == pendulum.date(2020, 1, 19)
        assert CAL.add_working_days("2020-01-17", 3) == pendulum.date(2020, 1, 21)
        assert CAL.add_working_days("2020-01-17", 4) == pendulum.date(2020, 1, 22)
        assert CAL.add_working_days("2020-01-17", 6) == pendulum.date(2020, 2, 3)

    def test_between_is_exclusive_of_start(self) -> None:
        """Working days after start up to and including end."""
        assert CAL.working_days_between("2019-09-27", "2019-10-10") == 5
        assert CAL.working_days_between("2019-10-10", "2019-09-27") == 0
        assert CAL.next_working_day("2019-09-30") == pendulum.date(2019, 10, 8)

    def test_zero_and_negative(self) -> None:
        """Zero days is the start itself; negative counts are refused."""
        assert CAL.add_working_days("2019-09-27", 0) == pendulum.date(2019, 9, 27)
        with pytest.raises(ValueError, match="≥ 0"):
            CAL.add_working_days("2019-09-27", -1)


class TestUnknownYears:
    """A year without an official schedule is estimated and says so; refusing is opt-in."""

    def test_unknown_year_raises_when_estimates_are_refused(self) -> None:
        """With estimate=False the error names the year and the ways out."""
        year = max(official_years()) + 1
        with pytest.raises(CalendarError, match="with_schedule") as info:
            WorkingDayCalendar(estimate=False).is_working_day(pendulum.date(year, 3, 2))
        assert info.value.year == year

    def test_estimate_uses_statutory_holidays(self) -> None:
        """By default an unknown year is estimated: National Day is a holiday, weekends
        are not worked, and every such day says it is estimated."""
        year = max(official_years()) + 1
        assert CAL.kind(pendulum.date(year, 10, 1)) is DayKind.HOLIDAY
        assert not CAL.is_working_day(pendulum.date(year, 10, 2))
        assert CAL.is_estimated(pendulum.date(year, 1, 1))
        assert not CAL.is_estimated(pendulum.date(year - 1, 12, 31))

    def test_estimated_between_looks_at_every_year_counted(self) -> None:
        """A count that ends in an unknown year, or only crosses one, is estimated; a
        count inside known years is not (the start day itself is not counted)."""
        last = max(official_years())
        assert not CAL.estimated_between(f"{last}-12-01", f"{last}-12-31")
        assert CAL.estimated_between(f"{last}-12-01", f"{last + 1}-01-01")
        assert not CAL.estimated_between(f"{last + 1}-01-01", f"{last}-12-31")


class TestWeekendHoliday:
    """A public holiday on a Saturday or Sunday is a holiday, not a weekend (issue: 国庆节
    2026-10-03 was labelled weekend)."""

    @pytest.mark.parametrize(
        ("day", "kind"),
        [
            ("2026-10-03", DayKind.HOLIDAY),  # Saturday, 国庆节
            ("2026-10-04", DayKind.WEEKEND),  # Sunday inside the week, but no holiday
            ("2026-10-10", DayKind.MAKEUP_WORKDAY),  # Saturday worked
            ("2026-10-11", DayKind.WEEKEND),
            ("2026-05-02", DayKind.HOLIDAY),  # Saturday, 劳动节
        ],
    )
    def test_kind_agrees_with_the_name(self, day: str, kind: DayKind) -> None:
        """kind() says holiday exactly when holiday_name() names a holiday."""
        assert CAL.kind(day) is kind
        assert (CAL.holiday_name(day) is not None) is (kind is DayKind.HOLIDAY)

    def test_every_named_day_is_a_holiday(self) -> None:
        """Over the known years, every day the package names is a holiday in kind()."""
        for year in (2016, 2020, 2026):
            day = pendulum.date(year, 1, 1)
            while day.year == year:
                assert (CAL.holiday_name(day) is not None) is (CAL.kind(day) is DayKind.HOLIDAY)
                day = day.add(days=1)


def example_2027(**changes: object) -> OfficialSchedule:
    """A 2027 schedule made up for the tests (not the official one): New Year's Day joined
    to the weekend and Monday 01-04, paid back on Saturday 01-09."""
    fields: dict[str, object] = {
        "year": 2027,
        "days_off": {
            "2027-01-01": "元旦",
            "2027-01-02": "元旦",
            "2027-01-03": "元旦",
            "2027-01-04": "元旦",
        },
        "makeup_workdays": ["2027-01-09"],
        "document": "示例:2027年部分节假日安排(测试用,非官方)",
        "number": "示例〔2026〕1号",
        "issued": "2026-11-20",
        "source": "tests/test_calendar.py",
    }
    fields.update(changes)
    return OfficialSchedule(**fields)  # type: ignore[arg-type]


class TestHostSchedule:
    """A host adds a year's official schedule; it is validated, recorded and used."""

    def test_the_package_years_pass_the_rules(self) -> None:
        """Every official schedule the package holds (2016–) passes the validation: the
        rules are checked against the State Council's own notices."""
        for year in sorted(y for y in official_years() if y >= 2016):
            schedule = OfficialSchedule.from_holidays(year)
            assert schedule.makeup_workdays, year

    def test_a_host_schedule_classifies_as_the_package(self) -> None:
        """The package's own schedule of a year, added as a host's, gives every day of the
        year the same kind and name: the host path agrees with the package."""
        for year in (2019, 2020, 2026):
            added = CAL.with_schedule(OfficialSchedule.from_holidays(year))
            assert added.schedule(year) is not None
            day = pendulum.date(year, 1, 1)
            while day.year == year:
                assert added.kind(day) is CAL.kind(day), day
                assert added.holiday_name(day) == CAL.holiday_name(day), day
                day = day.add(days=1)

    def test_added_year_is_known_and_not_estimated(self) -> None:
        """Adding 2027 makes its days official: Monday 01-04 off, Saturday 01-09 worked."""
        cal = CAL.with_schedule(example_2027())
        assert cal.kind("2027-01-04") is DayKind.HOLIDAY
        assert cal.kind("2027-01-09") is DayKind.MAKEUP_WORKDAY
        assert cal.kind("2027-01-05") is DayKind.WORKDAY
        assert cal.holiday_name("2027-01-04") == "元旦"
        assert not cal.is_estimated("2027-01-04")
        assert 2027 in cal.known_years
        assert cal.schedule(2027) is not None
        assert "示例〔2026〕1号" in cal.schedule(2027).citation  # type: ignore[union-attr]
        assert CAL.is_estimated("2027-01-04")  # the original calendar is unchanged
        assert CAL.kind("2027-01-04") is DayKind.WORKDAY

    def test_makeup_day_must_be_a_weekend_day(self) -> None:
        """Saturday 01-09 is accepted as a make-up day; Friday 01-08 is refused."""
        assert example_2027(makeup_workdays=["2027-01-09"]).makeup_workdays
        with pytest.raises(ScheduleError, match=r"2027-01-08.*Saturday or Sunday"):
            example_2027(makeup_workdays=["2027-01-08"])

    def test_day_off_must_not_be_a_plain_working_day(self) -> None:
        """Monday 01-04 joins New Year's Day over the weekend; Wednesday 03-10 joins
        nothing and is refused, as is Tuesday 01-05 once Monday 01-04 is not off."""
        days = {"2027-01-01": "元旦", "2027-01-04": "元旦"}
        assert example_2027(days_off=days).days_off
        with pytest.raises(ScheduleError, match="2027-03-10 is a plain working day"):
            example_2027(days_off={**days, "2027-03-10": "?"})
        with pytest.raises(ScheduleError, match="2027-01-05 is a plain working day"):
            example_2027(days_off={"2027-01-01": "元旦", "2027-01-05": "元旦"})

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            ({"number": " "}, "number"),
            ({"document": ""}, "document"),
            ({"source": ""}, "source"),
            ({"issued": "2028-01-01"}, "issued"),
            ({"days_off": {"2028-01-01": "元旦"}}, "expected a day of 2027"),
            ({"makeup_workdays": ["2027-01-02"]}, "both a day off and a make-up"),
        ],
    )
    def test_notice_cited_and_days_in_year(self, changes: dict[str, object], message: str) -> None:
        """The notice is cited in full and every day lies in the year."""
        with pytest.raises(ScheduleError, match=message):
            example_2027(**changes)

    def test_from_a_file(self, tmp_path: Path) -> None:
        """The documented TOML file gives the same schedule as the call."""
        path = tmp_path / "2027.toml"
        path.write_text(SCHEDULE_FILE, encoding="utf-8")
        from_file = read_schedule(path)
        assert from_file == example_2027(source="tests/test_calendar.py (file)")
        assert CAL.with_schedule(path).kind("2027-01-04") is DayKind.HOLIDAY

    def test_file_with_unknown_key_refused(self, tmp_path: Path) -> None:
        """An unknown key is named; so is a notice without its number."""
        path = tmp_path / "2027.toml"
        path.write_text("holiday = 1\n" + SCHEDULE_FILE, encoding="utf-8")
        with pytest.raises(ScheduleError, match="holiday: unknown key"):
            read_schedule(path)
        path.write_text(SCHEDULE_FILE.replace('number = "示例〔2026〕1号"\n', ""), "utf-8")
        with pytest.raises(ScheduleError, match=r"notice\.number"):
            read_schedule(path)


SCHEDULE_FILE = """\
year = 2027
makeup_workdays = [2027-01-09]

[notice]
document = "示例:2027年部分节假日安排(测试用,非官方)"
number = "示例〔2026〕1号"
issued = 2026-11-20
source = "tests/test_calendar.py (file)"

[days_off]
"2027-01-01" = "元旦"
"2027-01-02" = "元旦"
"2027-01-03" = "元旦"
"2027-01-04" = "元旦"
"""


class TestAdjustments:
    """A host's own days off and working days go on top of the official schedule."""

    def test_local_holiday_and_workday(self) -> None:
        """Adjustments win; the original calendar is unchanged."""
        cal = CAL.adjusted(holidays=["2019-10-08"], workdays=["2019-10-13"])
        assert cal.kind("2019-10-08") is DayKind.ADJUSTED_HOLIDAY
        assert cal.kind("2019-10-13") is DayKind.ADJUSTED_WORKDAY
        assert CAL.is_working_day("2019-10-08")
        assert cal.add_working_days("2019-09-27", 3) == pendulum.date(2019, 10, 9)

    def test_later_adjustment_wins(self) -> None:
        """Re-adjusting a date replaces the earlier adjustment."""
        cal = CAL.adjusted(holidays=["2019-10-08"]).adjusted(workdays=["2019-10-08"])
        assert cal.kind("2019-10-08") is DayKind.ADJUSTED_WORKDAY

    def test_conflicting_adjustment_refused(self) -> None:
        """A date cannot be both a local holiday and a local working day."""
        with pytest.raises(ValueError, match="2019-10-08"):
            WorkingDayCalendar(extra_holidays=["2019-10-08"], extra_workdays=["2019-10-08"])

    def test_adjustment_covers_unknown_year(self) -> None:
        """An adjusted date needs no official schedule."""
        year = max(official_years()) + 1
        day = pendulum.date(year, 1, 5)
        assert CAL.adjusted(workdays=[day]).is_working_day(day)
