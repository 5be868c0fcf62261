"""Working days of mainland China, with the make-up working days (调休).

Deadlines of the one-window service (§3.8–§3.9) are counted in working days. Mainland
China moves weekends around its public holidays every year: the State Council's notice
turns some Saturdays or Sundays into working days (调休上班) so that the holidays join up.
A plain "Monday to Friday minus holidays" rule gets those days wrong, so this module
reads the official schedule from the ``holidays`` package (its China calendar carries
each year's notice, make-up days included) instead of keeping a hand-written list.

>>> from sqfw.calendar import WorkingDayCalendar
>>> cal = WorkingDayCalendar()
>>> cal.is_working_day("2020-01-19")   # a Sunday, made a working day for Spring Festival
True
>>> cal.is_working_day("2020-10-08")   # a Thursday inside the National Day week
False

A host adds its own changes on top (a local holiday, an office closed for a day, a
special working day) with :meth:`WorkingDayCalendar.adjusted`. A year whose official
schedule is not yet published raises :class:`~sqfw.errors.CalendarError`, unless the
caller accepts an estimate (statutory holidays only, no make-up days) with
``estimate=True``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

import attrs
import holidays
import pendulum

from sqfw.errors import CalendarError
from sqfw.labels import LabeledEnum
from sqfw.periods import as_date

__all__ = ["DayKind", "WorkingDayCalendar", "official_years"]


class DayKind(LabeledEnum):
    """Why a date is, or is not, a working day."""

    WORKDAY = "workday"
    MAKEUP_WORKDAY = "makeup_workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    ADJUSTED_WORKDAY = "adjusted_workday"
    ADJUSTED_HOLIDAY = "adjusted_holiday"

    __labels__ = {
        "workday": ("工作日", "working day"),
        "makeup_workday": ("调休上班日", "make-up working day"),
        "weekend": ("休息日", "weekend"),
        "holiday": ("法定节假日", "public holiday"),
        "adjusted_workday": ("本地调整为工作日", "working day by local adjustment"),
        "adjusted_holiday": ("本地调整为休息日", "day off by local adjustment"),
    }

    @property
    def is_working(self) -> bool:
        """Whether a day of this kind counts towards a working-day time limit."""
        return self in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY, DayKind.ADJUSTED_WORKDAY)


def _china() -> Any:
    # The official notices are the package's "special public holidays"; without them a
    # year only has statutory holidays and no make-up days.
    return holidays.country_holidays("CN", language="zh_CN")


def official_years() -> frozenset[int]:
    """Years whose official schedule (with its make-up days) the ``holidays`` package holds.

    Read from the package, so a newer ``holidays`` release extends it without a change here.
    """
    special = getattr(_china(), "special_public_holidays", None)
    if isinstance(special, dict) and special:
        return frozenset(int(year) for year in special)
    workdays: set[_dt.date] = getattr(_china(), "weekend_workdays", set())
    return frozenset(day.year for day in workdays)


def _dates(values: Iterable[pendulum.Date | _dt.date | str]) -> frozenset[pendulum.Date]:
    return frozenset(as_date(v) for v in values)


@attrs.frozen(kw_only=True)
class WorkingDayCalendar:
    """Mainland China's working days, with optional local adjustments.

    Args:
        extra_holidays: dates that are days off locally (e.g. a local festival), on top of
            the official schedule.
        extra_workdays: dates that are working days locally, overriding the official schedule.
        estimate: accept years whose official schedule is unknown, estimating them from the
            statutory holidays without make-up days. Off by default, so that a deadline is
            never silently computed from a guess.

    Raises:
        ValueError: a date is both in ``extra_holidays`` and in ``extra_workdays``.

    .. versionadded:: 0.1.0
    """

    extra_holidays: frozenset[pendulum.Date] = attrs.field(default=frozenset(), converter=_dates)
    extra_workdays: frozenset[pendulum.Date] = attrs.field(default=frozenset(), converter=_dates)
    estimate: bool = False
    _official: Any = attrs.field(init=False, repr=False, eq=False)
    _known: frozenset[int] = attrs.field(init=False, repr=False, eq=False)
    _cache: dict[_dt.date, DayKind] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        both = self.extra_holidays & self.extra_workdays
        if both:
            shown = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"dates both a local holiday and a local working day: {shown}")
        object.__setattr__(self, "_official", _china())
        object.__setattr__(self, "_known", official_years())
        object.__setattr__(self, "_cache", {})

    @property
    def known_years(self) -> frozenset[int]:
        """Years with a known official schedule."""
        return self._known

    def adjusted(
        self,
        *,
        holidays: Iterable[pendulum.Date | _dt.date | str] = (),
        workdays: Iterable[pendulum.Date | _dt.date | str] = (),
    ) -> WorkingDayCalendar:
        """A new calendar with more local days off and working days; this one is unchanged."""
        extra_h = set(self.extra_holidays) | set(_dates(holidays))
        extra_w = set(self.extra_workdays) | set(_dates(workdays))
        # A later adjustment wins over an earlier one for the same date.
        extra_h -= _dates(workdays)
        extra_w -= _dates(holidays)
        return WorkingDayCalendar(
            extra_holidays=extra_h, extra_workdays=extra_w, estimate=self.estimate
        )

    def kind(self, day: pendulum.Date | _dt.date | str) -> DayKind:
        """Classify a date (working day, make-up working day, weekend, holiday, local change).

        Raises:
            CalendarError: the year's official schedule is unknown and ``estimate`` is off.
        """
        date = as_date(day)
        key = _dt.date(date.year, date.month, date.day)
        found = self._cache.get(key)
        if found is not None:
            return found
        result = self._classify(date, key)
        self._cache[key] = result
        return result

    def _classify(self, date: pendulum.Date, key: _dt.date) -> DayKind:
        if date in self.extra_workdays:
            return DayKind.ADJUSTED_WORKDAY
        if date in self.extra_holidays:
            return DayKind.ADJUSTED_HOLIDAY
        if date.year not in self._known and not self.estimate:
            latest = max(self._known) if self._known else None
            raise CalendarError(
                date.year,
                f"{date.year}年的官方放假调休安排未知 / the official holiday schedule of "
                f"{date.year} is not known (the holidays package has {min(self._known)}–"
                f"{latest}); pass estimate=True to accept an estimate without make-up days",
            )
        official = self._official
        weekend = key.weekday() >= 5
        if weekend:
            workdays: set[_dt.date] = getattr(official, "weekend_workdays", set())
            _ = key in official  # load the year, which fills the make-up days
            if key in workdays:
                return DayKind.MAKEUP_WORKDAY
            return DayKind.WEEKEND
        if key in official:
            return DayKind.HOLIDAY
        return DayKind.WORKDAY

    def is_working_day(self, day: pendulum.Date | _dt.date | str) -> bool:
        """Whether ``day`` is a working day (make-up days included, holidays excluded)."""
        return self.kind(day).is_working

    def holiday_name(self, day: pendulum.Date | _dt.date | str) -> str | None:
        """The official name of the holiday on ``day`` (Chinese), if it is one."""
        date = as_date(day)
        self.kind(date)
        name = self._official.get(_dt.date(date.year, date.month, date.day))
        return None if name is None else str(name)

    def add_working_days(self, start: pendulum.Date | _dt.date | str, days: int) -> pendulum.Date:
        """The ``days``-th working day after ``start`` (``start`` itself is not counted).

        "Within 5 working days from acceptance" ends on ``add_working_days(accepted_on, 5)``:
        the day a period starts is not counted, as in Chinese administrative practice.

        Raises:
            ValueError: ``days`` is negative.
            CalendarError: the count runs into a year whose schedule is unknown.
        """
        if days < 0:
            raise ValueError(f"days: expected an integer ≥ 0, got {days}")
        date = as_date(start)
        counted = 0
        while counted < days:
            date = date.add(days=1)
            if self.is_working_day(date):
                counted += 1
        return date

    def working_days_between(
        self, start: pendulum.Date | _dt.date | str, end: pendulum.Date | _dt.date | str
    ) -> int:
        """Working days after ``start`` up to and including ``end`` (0 if ``end ≤ start``)."""
        first = as_date(start)
        last = as_date(end)
        count = 0
        day = first.add(days=1)
        while day <= last:
            if self.is_working_day(day):
                count += 1
            day = day.add(days=1)
        return count

    def next_working_day(self, day: pendulum.Date | _dt.date | str) -> pendulum.Date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)
