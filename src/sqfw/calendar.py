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
>>> cal.kind("2026-10-03").value       # National Day on a Saturday is a holiday
'holiday'

A year whose official schedule is not known (the package does not hold it and the host
has not added it) is **estimated**: weekends and the statutory holidays the ``holidays``
package computes, no make-up days. :meth:`WorkingDayCalendar.is_estimated` says which
days are estimated, and every deadline counted over them says so (a ticket's clock, the
store's work list). A host adds a year's official schedule, once the State Council's
notice is out, with :meth:`WorkingDayCalendar.with_schedule` (an
:class:`OfficialSchedule`, or a small TOML file read by :func:`read_schedule`); it is
validated against the notice's own rules and recorded with its source. Pass
``estimate=False`` to refuse unknown years with :class:`~sqfw.errors.CalendarError`
instead.

A host adds its own changes on top (a local holiday, an office closed for a day, a
special working day) with :meth:`WorkingDayCalendar.adjusted`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import os
import tomllib
from collections.abc import Iterable, Mapping
from importlib.metadata import version
from typing import Any

import attrs
import holidays
import pendulum

from sqfw._args import (
    expect_items,
    expect_mapping,
    instance_validator,
    named_fields,
    path_argument,
)
from sqfw.errors import CalendarError, InvalidArgumentError, ScheduleError
from sqfw.labels import LabeledEnum
from sqfw.periods import as_date, format_date

__all__ = [
    "DayKind",
    "OfficialSchedule",
    "WorkingDayCalendar",
    "official_years",
    "read_schedule",
]


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


def _date_set(
    where: str, values: Iterable[pendulum.Date | _dt.date | str]
) -> frozenset[pendulum.Date]:
    dates = expect_items(where, values, object, expected="a list of dates")
    return frozenset(as_date(v, argument=where) for v in dates)


def _dates(values: Iterable[pendulum.Date | _dt.date | str]) -> frozenset[pendulum.Date]:
    return _date_set("dates", values)  # named after the class and field by named_fields


def _key(day: pendulum.Date) -> _dt.date:
    return _dt.date(day.year, day.month, day.day)


def _festivals(year: int) -> frozenset[_dt.date]:
    """The statutory festival days of ``year`` as the ``holidays`` package computes them,
    without the days a notice swaps or adds in lieu: what a block of days off is built on."""
    computed = holidays.country_holidays("CN", years=year, observed=False)
    special = getattr(computed, "special_public_holidays", {}).get(year, ())
    swapped = {_dt.date(year, s[0], s[1]) for s in special if len(s) == 4}
    return frozenset(day for day in computed if day.year == year and day not in swapped)


def _day_names(raw: Mapping[Any, str]) -> dict[pendulum.Date, str]:
    days = expect_mapping("OfficialSchedule.days_off", raw)
    return {as_date(day, argument="days_off"): str(name) for day, name in days.items()}


def _year(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 9999:
        raise InvalidArgumentError(f"{type(instance).__name__}.year", value, "a year 1–9999")


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class OfficialSchedule:
    """One year's official holiday schedule: the State Council's notice (放假调休安排).

    Validated when it is built: every day lies in ``year``; a make-up working day is a
    Saturday or Sunday and not also a day off; a day off is not a plain working day — it
    is a statutory festival day, a weekend day, or joined to a festival day by a run of
    days off and weekend days (the days a notice swaps so that a holiday joins up); the
    notice is cited (document, number, date issued, source).

    Attributes:
        year: the year it schedules.
        days_off: each day off (放假) and its name, weekend days of a holiday included.
        makeup_workdays: the Saturdays and Sundays worked instead (调休上班).
        document: the notice's title.
        number: its document number (e.g. ``"国办发明电〔2025〕7号"``).
        issued: the day it was issued.
        source: where the host read it (an address or a gazette).

    Raises:
        ScheduleError: any rule above broken; the message names the day and the rule.

    .. versionadded:: 0.1.0
    """

    year: int = attrs.field(validator=_year)
    days_off: Mapping[pendulum.Date, str] = attrs.field(converter=_day_names)
    makeup_workdays: frozenset[pendulum.Date] = attrs.field(converter=_dates)
    document: str
    number: str
    issued: pendulum.Date = attrs.field(converter=as_date)
    source: str

    def __attrs_post_init__(self) -> None:
        year = self.year
        where = f"schedule {year}"
        for name in ("document", "number", "source"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ScheduleError(
                    year, f"{where}: {name}: expected the notice's {name}, got {value!r:.80}"
                )
        if self.issued.year > year:
            raise ScheduleError(
                year,
                f"{where}: issued: expected a date before the end of {year}, got "
                f"{format_date(self.issued)}",
            )
        for day in (*self.days_off, *self.makeup_workdays):
            if day.year != year:
                raise ScheduleError(year, f"{where}: {format_date(day)}: expected a day of {year}")
        for day in sorted(self.makeup_workdays):
            if day.day_of_week not in (pendulum.SATURDAY, pendulum.SUNDAY):
                raise ScheduleError(
                    year,
                    f"{where}: makeup_workdays: {format_date(day)} is a "
                    f"{day.format('dddd')}; a make-up working day is a Saturday or Sunday",
                )
            if day in self.days_off:
                raise ScheduleError(
                    year, f"{where}: {format_date(day)} is both a day off and a make-up working day"
                )
        # A block may cross the year's end (2018-12-31 joins New Year's Day 2019).
        festivals = _festivals(year - 1) | _festivals(year) | _festivals(year + 1)
        off = {_key(d) for d in self.days_off} | festivals

        def rests(day: _dt.date) -> bool:
            return day in off or day.weekday() >= 5

        for day in sorted(self.days_off):
            key = _key(day)
            if key in festivals or key.weekday() >= 5:
                continue
            if not any(_run_reaches(key, step, rests, festivals) for step in (-1, 1)):
                raise ScheduleError(
                    year,
                    f"{where}: days_off: {format_date(day)} is a plain working day: a day "
                    "off is a statutory festival day, a weekend day, or joined to a festival "
                    "day by days off and weekend days",
                )

    @property
    def citation(self) -> str:
        """``"document (number, issued 2025-11-04; source)"``."""
        return f"{self.document} ({self.number}, {format_date(self.issued)}; {self.source})"

    @classmethod
    def from_holidays(cls, year: int) -> OfficialSchedule:
        """The schedule of a year the ``holidays`` package holds, cited to the package.

        The package does not give the notice's number or date: ``number`` is ``"-"`` and
        ``issued`` is 1 January of the year before, standing for "issued before the year".

        Raises:
            CalendarError: the package does not hold ``year``.
        """
        if year not in official_years():
            raise CalendarError(year, f"the holidays package has no official schedule of {year}")
        china = holidays.country_holidays("CN", years=year, language="zh_CN")
        workdays: set[_dt.date] = getattr(china, "weekend_workdays", set())
        return cls(
            year=year,
            days_off={d: n for d, n in china.items() if d.year == year},
            makeup_workdays=[d for d in workdays if d.year == year],
            document=f"{year}年部分节假日安排(holidays 软件包所载)",
            number="-",
            issued=pendulum.date(year - 1, 1, 1),
            source=f"holidays {version('holidays')}",
        )


def _run_reaches(start: _dt.date, step: int, rests: Any, festivals: frozenset[_dt.date]) -> bool:
    """Whether walking from ``start`` by ``step`` days over rest days reaches a festival."""
    day = start + _dt.timedelta(days=step)
    for _ in range(14):  # no holiday block of a notice is longer
        if day in festivals:
            return True
        if not rests(day):
            return False
        day += _dt.timedelta(days=step)
    return False


_SCHEDULE_KEYS = frozenset({"year", "notice", "days_off", "makeup_workdays"})
_NOTICE_KEYS = frozenset({"document", "number", "issued", "source"})


def read_schedule(path: str | os.PathLike[str]) -> OfficialSchedule:
    """Read a year's official schedule from a TOML file (see docs/calendar.md).

    The file has ``year``, a ``[notice]`` table (``document``, ``number``, ``issued``,
    ``source``), ``makeup_workdays`` (a list of dates) and a ``[days_off]`` table of
    ``"date" = "name"``. Unknown keys are refused.

    Raises:
        ScheduleError: the file cannot be read, is not TOML, has an unknown or missing
            key, or breaks a rule of :class:`OfficialSchedule`.

    .. versionadded:: 0.1.0
    """
    file = path_argument("path", path)
    name = str(file)[-80:]
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ScheduleError(0, f"{name}: cannot read the schedule: {str(exc)[:120]}") from None
    year = raw.get("year")
    if not isinstance(year, int) or isinstance(year, bool):
        raise ScheduleError(0, f"{name}: year: expected a year like 2027, got {year!r:.40}")
    unknown = sorted(set(raw) - _SCHEDULE_KEYS)
    if unknown:
        raise ScheduleError(
            year, f"{name}: {unknown[0]}: unknown key; expected {', '.join(sorted(_SCHEDULE_KEYS))}"
        )
    notice = raw.get("notice")
    if not isinstance(notice, dict):
        raise ScheduleError(year, f"{name}: notice: expected a table citing the notice")
    wrong = sorted(set(notice) ^ _NOTICE_KEYS)
    if wrong:
        raise ScheduleError(
            year,
            f"{name}: notice.{wrong[0]}: expected exactly {', '.join(sorted(_NOTICE_KEYS))}",
        )
    days_off = raw.get("days_off", {})
    makeup = raw.get("makeup_workdays", [])
    if not isinstance(days_off, dict) or not all(isinstance(v, str) for v in days_off.values()):
        raise ScheduleError(year, f'{name}: days_off: expected a table of "date" = "name"')
    if not isinstance(makeup, list):
        raise ScheduleError(year, f"{name}: makeup_workdays: expected a list of dates")
    try:
        return OfficialSchedule(
            year=year,
            days_off={_toml_date(k): v for k, v in days_off.items()},
            makeup_workdays=[_toml_date(d) for d in makeup],
            document=notice["document"],
            number=notice["number"],
            issued=_toml_date(notice["issued"]),
            source=notice["source"],
        )
    except InvalidArgumentError as exc:
        raise ScheduleError(year, f"{name}: {exc}") from None
    except ScheduleError as exc:
        raise ScheduleError(year, f"{name}: {exc}") from None


def _toml_date(value: object) -> pendulum.Date:
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return as_date(value)
    if isinstance(value, str):
        return as_date(value)
    raise InvalidArgumentError("date", value, "a date like 2027-01-01")


def _schedules(values: Iterable[OfficialSchedule]) -> tuple[OfficialSchedule, ...]:
    by_year: dict[int, OfficialSchedule] = {}
    for schedule in expect_items("WorkingDayCalendar.schedules", values, OfficialSchedule):
        by_year[schedule.year] = schedule  # a later schedule of one year replaces it
    return tuple(by_year[y] for y in sorted(by_year))


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class WorkingDayCalendar:
    """Mainland China's working days, with optional local adjustments.

    Args:
        extra_holidays: dates that are days off locally (e.g. a local festival), on top of
            the official schedule.
        extra_workdays: dates that are working days locally, overriding the official schedule.
        estimate: estimate a year whose official schedule is unknown from weekends and the
            statutory holidays (on by default; every estimated day says so through
            :meth:`is_estimated`). ``False`` refuses such a year with
            :class:`~sqfw.errors.CalendarError`.
        schedules: official schedules the host added (:meth:`with_schedule`); one of a
            year replaces the ``holidays`` package's for that year.

    Raises:
        InvalidArgumentError: a date is both in ``extra_holidays`` and in
            ``extra_workdays``; an argument of the wrong type.

    .. versionadded:: 0.1.0
    """

    extra_holidays: frozenset[pendulum.Date] = attrs.field(default=frozenset(), converter=_dates)
    extra_workdays: frozenset[pendulum.Date] = attrs.field(default=frozenset(), converter=_dates)
    estimate: bool = attrs.field(default=True, validator=instance_validator(bool))
    schedules: tuple[OfficialSchedule, ...] = attrs.field(default=(), converter=_schedules)
    _official: Any = attrs.field(init=False, repr=False, eq=False)
    _known: frozenset[int] = attrs.field(init=False, repr=False, eq=False)
    _by_year: dict[int, OfficialSchedule] = attrs.field(init=False, repr=False, eq=False)
    _cache: dict[_dt.date, DayKind] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        both = self.extra_holidays & self.extra_workdays
        if both:
            shown = ", ".join(sorted(d.isoformat() for d in both))
            raise InvalidArgumentError(
                "WorkingDayCalendar.extra_workdays", shown, "dates that are not extra_holidays"
            )
        object.__setattr__(self, "_official", _china())
        by_year = {s.year: s for s in self.schedules}
        object.__setattr__(self, "_by_year", by_year)
        object.__setattr__(self, "_known", official_years() | frozenset(by_year))
        object.__setattr__(self, "_cache", {})

    @property
    def known_years(self) -> frozenset[int]:
        """Years with a known official schedule: the package's and the host's."""
        return self._known

    def schedule(self, year: int) -> OfficialSchedule | None:
        """The official schedule the host added for ``year``, if any (with its source)."""
        return self._by_year.get(year)

    def is_estimated(self, day: pendulum.Date | _dt.date | str) -> bool:
        """Whether ``day`` is classified by estimate: its year's schedule is unknown and no
        local adjustment decides it."""
        date = as_date(day)
        if date in self.extra_workdays or date in self.extra_holidays:
            return False
        return date.year not in self._known

    def estimated_between(
        self, start: pendulum.Date | _dt.date | str, end: pendulum.Date | _dt.date | str
    ) -> bool:
        """Whether a count of working days after ``start`` up to ``end`` uses an estimated
        year (any year from ``start``'s to ``end``'s without a known schedule)."""
        first = as_date(start).add(days=1)
        last = as_date(end)
        return any(y not in self._known for y in range(first.year, last.year + 1))

    def with_schedule(
        self, schedule: OfficialSchedule | str | os.PathLike[str]
    ) -> WorkingDayCalendar:
        """A new calendar that knows one more year's official schedule; this one is unchanged.

        Args:
            schedule: an :class:`OfficialSchedule`, or the path of its TOML file
                (:func:`read_schedule`).

        Returns:
            The calendar with the schedule; deadlines counted on it over that year are no
            longer estimated.

        Raises:
            ScheduleError: the schedule (or its file) is refused.

        .. versionadded:: 0.1.0
        """
        found = schedule if isinstance(schedule, OfficialSchedule) else read_schedule(schedule)
        return attrs.evolve(self, schedules=(*self.schedules, found))

    def adjusted(
        self,
        *,
        holidays: Iterable[pendulum.Date | _dt.date | str] = (),
        workdays: Iterable[pendulum.Date | _dt.date | str] = (),
    ) -> WorkingDayCalendar:
        """A new calendar with more local days off and working days; this one is unchanged."""
        added_h = _date_set("adjusted(holidays)", holidays)
        added_w = _date_set("adjusted(workdays)", workdays)
        # A later adjustment wins over an earlier one for the same date.
        extra_h = (set(self.extra_holidays) | added_h) - added_w
        extra_w = (set(self.extra_workdays) | added_w) - added_h
        return attrs.evolve(self, extra_holidays=extra_h, extra_workdays=extra_w)

    def kind(self, day: pendulum.Date | _dt.date | str) -> DayKind:
        """Classify a date (working day, make-up working day, weekend, holiday, local change).

        A public holiday is a holiday even when it falls on a Saturday or Sunday.

        Raises:
            CalendarError: the year's official schedule is unknown and ``estimate`` is off.
        """
        date = as_date(day)
        key = _key(date)
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
        weekend = key.weekday() >= 5
        added = self._by_year.get(date.year)
        if added is not None:
            if date in added.days_off:
                return DayKind.HOLIDAY
            if date in added.makeup_workdays:
                return DayKind.MAKEUP_WORKDAY
            return DayKind.WEEKEND if weekend else DayKind.WORKDAY
        if date.year not in self._known and not self.estimate:
            known = sorted(self._known)
            raise CalendarError(
                date.year,
                f"{date.year}年的官方放假调休安排未知 / the official holiday schedule of "
                f"{date.year} is not known (known: {known[0]}–{known[-1]}); add it with "
                "with_schedule(), or pass estimate=True to accept an estimate without "
                "make-up days",
            )
        official = self._official
        if key in official:  # loads the year, which fills the make-up days
            return DayKind.HOLIDAY
        if weekend:
            workdays: set[_dt.date] = getattr(official, "weekend_workdays", set())
            return DayKind.MAKEUP_WORKDAY if key in workdays else DayKind.WEEKEND
        return DayKind.WORKDAY

    def is_working_day(self, day: pendulum.Date | _dt.date | str) -> bool:
        """Whether ``day`` is a working day (make-up days included, holidays excluded)."""
        return self.kind(day).is_working

    def holiday_name(self, day: pendulum.Date | _dt.date | str) -> str | None:
        """The official name of the holiday on ``day`` (Chinese), if it is one."""
        date = as_date(day)
        self.kind(date)
        added = self._by_year.get(date.year)
        if added is not None:
            return added.days_off.get(date)
        name = self._official.get(_key(date))
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
