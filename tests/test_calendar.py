"""The working-day calendar of mainland China, make-up days (调休) included (§3.8–§3.9)."""

from __future__ import annotations

import pendulum
import pytest

from sqfw.calendar import DayKind, WorkingDayCalendar, official_years
from sqfw.errors import CalendarError

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
    """A year without an official schedule fails clearly unless an estimate is accepted."""

    def test_unknown_year_raises(self) -> None:
        """The error names the year and how to accept an estimate."""
        year = max(official_years()) + 1
        with pytest.raises(CalendarError, match="estimate=True") as info:
            CAL.is_working_day(pendulum.date(year, 3, 2))
        assert info.value.year == year

    def test_estimate_uses_statutory_holidays(self) -> None:
        """With estimate=True, National Day is a holiday and weekends are not worked."""
        year = max(official_years()) + 1
        cal = WorkingDayCalendar(estimate=True)
        assert cal.kind(pendulum.date(year, 10, 1)) is DayKind.HOLIDAY
        assert not cal.is_working_day(pendulum.date(year, 10, 2))


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
