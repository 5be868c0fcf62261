"""The working-day clock of a service ticket: its deadline and time left at one moment.

A time limit counts working days of a :class:`~sqfw.calendar.WorkingDayCalendar`
(make-up days included, the host's own adjustments too). The day of receipt is not
counted; the deadline is the end of the last working day allowed. Waiting for the
resident's materials pauses the clock: the days after a request up to and including the
day the materials arrive do not count. Handling the ticket stops the clock.

:func:`ticket_clock` is the one place that counts; :class:`TicketWorkflow
<sqfw.workflows.ticket.TicketWorkflow>` reads it for :meth:`clock_at`, the ``overdue``
validator of escalation and the store's ``due`` column. Both names are re-exported by
:mod:`sqfw.workflows.ticket`.

.. versionadded:: 0.1.0
   Split out of :mod:`sqfw.workflows.ticket`.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs
import pendulum

from sqfw.calendar import WorkingDayCalendar
from sqfw.periods import DEFAULT_TZ

__all__ = ["Pause", "TicketClock", "ticket_clock"]

Pause = tuple[pendulum.DateTime, pendulum.DateTime | None]
"""``(start, end)`` of one wait for materials; ``end`` is ``None`` while waiting."""


@attrs.frozen(kw_only=True)
class TicketClock:
    """A ticket's deadline and time left at one moment.

    Attributes:
        at: the moment asked about.
        deadline: the end of the last working day allowed (provisional while paused: it
            moves on with every paused working day).
        time_limit_working_days: the limit in working days (``None`` for an hour limit).
        working_days_used: working days counted so far (paused days excluded; ``None``
            for an hour limit).
        working_days_left: the limit minus the days used (negative when overdue;
            ``None`` for an hour limit).
        time_left: ``deadline - at`` (negative when overdue).
        overdue: the moment is past the deadline (or the ticket finished after it).
        paused: the clock is paused (waiting for materials).
        stopped: the clock stopped because the ticket was handled.
        time_limit_hours: the limit in clock hours, for a service limited in hours.
        estimated: the deadline was counted over a year whose official holiday schedule
            is not known (:meth:`WorkingDayCalendar.is_estimated
            <sqfw.calendar.WorkingDayCalendar.is_estimated>`): weekends and statutory
            holidays only; it may move when the host adds the year's schedule.
    """

    at: pendulum.DateTime
    deadline: pendulum.DateTime
    time_limit_working_days: int | None
    working_days_used: int | None
    working_days_left: int | None
    time_left: pendulum.Duration
    overdue: bool
    paused: bool
    stopped: bool
    time_limit_hours: int | None = None
    estimated: bool = False

    @property
    def deadline_note(self) -> tuple[str, str]:
        """How sure the deadline is, in Chinese and English: ``("预估", "estimated")`` or
        ``("", "")``."""
        return ("预估", "estimated") if self.estimated else ("", "")


def ticket_clock(
    calendar: WorkingDayCalendar,
    *,
    received_at: pendulum.DateTime,
    time_limit_working_days: int | None,
    pauses: Iterable[Pause],
    handled_at: pendulum.DateTime | None,
    at: pendulum.DateTime,
    time_limit_hours: int | None = None,
) -> TicketClock:
    """The clock of a ticket received at ``received_at``, as of ``at``.

    Args:
        calendar: the working days.
        received_at: when it was received (the clock starts the next day).
        time_limit_working_days: the limit in force when it was received.
        pauses: each wait for materials, oldest first.
        handled_at: when the last office finished (the clock stops), if it did.
        at: the moment asked about.
        time_limit_hours: a limit in clock hours instead (``time_limit_working_days``
            is then ``None``): the deadline is that many hours after receipt, plus the
            time paused.

    Returns:
        The clock; ``estimated`` when the count from receipt to the deadline ran over a
        year the calendar estimates.

    Raises:
        CalendarError: the count runs into a year whose official schedule is unknown
            and the calendar does not accept estimates.
    """
    if time_limit_hours is not None:
        return _hours_clock(received_at, time_limit_hours, tuple(pauses), handled_at, at)
    limit = time_limit_working_days
    if limit is None:
        raise TypeError("ticket_clock: a limit in working days or in hours is required")
    start = received_at.in_timezone(DEFAULT_TZ).date()
    stop = handled_at if handled_at is not None else at
    now = stop.in_timezone(DEFAULT_TZ).date()
    paused_days: set[pendulum.Date] = set()
    paused = False
    for begin, end in pauses:
        if begin > stop:
            continue
        until = end if end is not None and end <= stop else stop
        paused = paused or end is None or end > stop
        day = begin.in_timezone(DEFAULT_TZ).date().add(days=1)
        last = until.in_timezone(DEFAULT_TZ).date()
        while day <= last:
            paused_days.add(day)
            day = day.add(days=1)
    used = 0
    day = start.add(days=1)
    while day <= now:
        if day not in paused_days and calendar.is_working_day(day):
            used += 1
        day = day.add(days=1)
    # The deadline: count on from today for the days left (paused days still ahead are
    # unknown, so a paused ticket's deadline is provisional); once none are left, it is
    # the limit-th counted day after receipt.
    left = limit - used
    if left > 0:
        deadline_day = _nth_counted_day(calendar, now, left, paused_days)
    else:
        deadline_day = _nth_counted_day(calendar, start, limit, paused_days)
    deadline = pendulum.datetime(
        deadline_day.year, deadline_day.month, deadline_day.day, tz=DEFAULT_TZ
    ).end_of("day")
    return _clock(
        at,
        deadline,
        stop,
        paused,
        handled_at,
        time_limit_working_days=limit,
        working_days_used=used,
        working_days_left=left,
        estimated=calendar.estimated_between(start, deadline_day),
    )


def _nth_counted_day(
    calendar: WorkingDayCalendar, start: pendulum.Date, n: int, paused_days: set[pendulum.Date]
) -> pendulum.Date:
    """The ``n``-th working day after ``start`` that is not paused."""
    day = start
    counted = 0
    while counted < n:
        day = day.add(days=1)
        if day not in paused_days and calendar.is_working_day(day):
            counted += 1
    return day


def _hours_clock(
    received_at: pendulum.DateTime,
    hours: int,
    pauses: tuple[Pause, ...],
    handled_at: pendulum.DateTime | None,
    at: pendulum.DateTime,
) -> TicketClock:
    stop = handled_at if handled_at is not None else at
    paused_for = pendulum.duration()
    paused = False
    for begin, end in pauses:
        if begin > stop:
            continue
        until = end if end is not None and end <= stop else stop
        paused = paused or end is None or end > stop
        paused_for += until - begin
    deadline = received_at.add(hours=hours) + paused_for
    return _clock(
        at,
        deadline,
        stop,
        paused,
        handled_at,
        time_limit_working_days=None,
        working_days_used=None,
        working_days_left=None,
        time_limit_hours=hours,
    )


def _clock(
    at: pendulum.DateTime,
    deadline: pendulum.DateTime,
    stop: pendulum.DateTime,
    paused: bool,
    handled_at: pendulum.DateTime | None,
    *,
    estimated: bool = False,
    **limit: int | None,
) -> TicketClock:
    """The clock at ``at`` given its deadline: overdue once the time counted (until it was
    handled, or now) passes the deadline; paused and stopped only while not handled."""
    return TicketClock(
        at=at,
        deadline=deadline,
        time_left=deadline - at,
        overdue=stop > deadline,
        paused=paused and handled_at is None,
        stopped=handled_at is not None,
        estimated=estimated,
        **limit,
    )
