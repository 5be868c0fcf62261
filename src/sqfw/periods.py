"""The one place where sqfw parses and formats dates and times.

Everything runs on pendulum. Dates are calendar dates (``pendulum.Date``); instants are
time-zone-aware ``pendulum.DateTime``. The default zone is Asia/Shanghai, the zone the plan's
dates are read in ("到2020年" is 2020-12-31 in Asia/Shanghai). A naive date-time is refused
rather than guessed: a service record that crosses midnight must know its zone.

Every refusal is an :class:`~sqfw.errors.InvalidArgumentError` (a ``ValueError``) that
names what was being read, what was expected and what came (cut short). Years run from
:data:`~sqfw.limits.MIN_YEAR` to :data:`~sqfw.limits.MAX_YEAR`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TypeVar

import pendulum

from sqfw.errors import InvalidArgumentError
from sqfw.limits import MAX_YEAR, MIN_YEAR

__all__ = [
    "DEFAULT_TZ",
    "as_date",
    "as_datetime",
    "format_date",
    "format_datetime",
    "parse_date",
    "parse_datetime",
]

DEFAULT_TZ = "Asia/Shanghai"
"""The zone the plan's dates are read in."""

# pendulum reads a naive date-time as UTC; an explicit offset is required instead.
_OFFSET = re.compile(r"T.*(Z|[+-]\d{2}(:?\d{2})?)$")


_D = TypeVar("_D", bound=pendulum.Date)
_DATE = "an ISO date like '2020-12-31'"
_DATETIME = "an ISO date-time with offset like '2020-06-01T21:00:00+08:00'"
_LONGEST = 80  # longer than any ISO date-time with a zone name: refused before parsing


def parse_date(text: str, *, argument: str = "date") -> pendulum.Date:
    """Parse an ISO 8601 calendar date (``"2020-12-31"``).

    Args:
        text: the text.
        argument: what is being read, for the message.

    Raises:
        InvalidArgumentError: the text is not a calendar date from year
            :data:`~sqfw.limits.MIN_YEAR` to :data:`~sqfw.limits.MAX_YEAR`.
    """
    if not isinstance(text, str) or len(text) > _LONGEST:
        raise InvalidArgumentError(argument, text, _DATE)
    try:
        parsed = pendulum.parse(text, exact=True, strict=True)
    except (ValueError, OverflowError, pendulum.parsing.exceptions.ParserError):
        raise InvalidArgumentError(argument, text, _DATE) from None
    if not isinstance(parsed, pendulum.Date) or isinstance(parsed, pendulum.DateTime):
        raise InvalidArgumentError(argument, text, _DATE)
    return _in_years(parsed, argument)


def parse_datetime(text: str, *, argument: str = "date-time") -> pendulum.DateTime:
    """Parse an ISO 8601 date-time that states its offset or zone.

    ``"2020-06-01T21:00:00+08:00"`` is accepted; ``"2020-06-01T21:00:00"`` is refused,
    because a local time without a zone is ambiguous across a day boundary.

    Raises:
        InvalidArgumentError: the text is not a date-time with an offset (or its zone is
            unknown or disagrees with the offset).
    """
    if not isinstance(text, str) or len(text) > _LONGEST:
        raise InvalidArgumentError(argument, text, _DATETIME)
    original = text
    zone: str | None = None
    if text.endswith("]") and "[" in text:
        text, _, zone = text[:-1].partition("[")
    try:
        if not _OFFSET.search(text):
            raise ValueError("no offset")
        parsed = pendulum.parse(text, exact=True, strict=True)
    except (ValueError, OverflowError, pendulum.parsing.exceptions.ParserError):
        raise InvalidArgumentError(argument, original, _DATETIME) from None
    if not isinstance(parsed, pendulum.DateTime) or parsed.tzinfo is None:
        raise InvalidArgumentError(argument, original, _DATETIME)
    if zone is not None:
        try:
            named = parsed.in_timezone(zone)
        except Exception:  # pendulum raises several kinds for an unknown zone
            raise InvalidArgumentError(argument, original, "a known time zone") from None
        if named.utcoffset() != parsed.utcoffset():
            raise InvalidArgumentError(
                argument, original, f"an offset that matches the zone {zone!r}"
            )
        parsed = named
    return _in_years(parsed, argument)


def _in_years(value: _D, argument: str) -> _D:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise InvalidArgumentError(
            argument, value.isoformat(), f"a year from {MIN_YEAR} to {MAX_YEAR}"
        )
    return value


def as_date(value: pendulum.Date | _dt.date | str, *, argument: str = "date") -> pendulum.Date:
    """Coerce a ``datetime.date`` or ISO text to ``pendulum.Date`` (date-times are refused).

    Raises:
        InvalidArgumentError: anything else, or a year out of range.
    """
    if isinstance(value, str):
        return parse_date(value, argument=argument)
    if isinstance(value, _dt.datetime):
        raise InvalidArgumentError(argument, value, "a calendar date, not a date-time")
    if isinstance(value, pendulum.Date):
        return _in_years(value, argument)
    if isinstance(value, _dt.date):
        return _in_years(pendulum.Date(value.year, value.month, value.day), argument)
    raise InvalidArgumentError(argument, value, "a date")


def as_datetime(
    value: pendulum.DateTime | _dt.datetime | str, *, argument: str = "date-time"
) -> pendulum.DateTime:
    """Coerce an aware ``datetime.datetime`` or ISO text to ``pendulum.DateTime``.

    Raises:
        InvalidArgumentError: the value is naive (has no time zone), is not a date-time,
            or its year is out of range.
    """
    if isinstance(value, str):
        return parse_datetime(value, argument=argument)
    if not isinstance(value, _dt.datetime):
        raise InvalidArgumentError(argument, value, "a time-zone-aware date-time")
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidArgumentError(
            argument, value, "a time-zone-aware date-time (this one is naive)"
        )
    if not isinstance(value, pendulum.DateTime):
        value = pendulum.instance(value)
    return _in_years(value, argument)


def format_date(value: pendulum.Date) -> str:
    """ISO text of a date: ``"2020-12-31"``.

    Raises:
        InvalidArgumentError: ``value`` is not a date.
    """
    if not isinstance(value, _dt.date):
        raise InvalidArgumentError("value", value, "a date")
    return value.isoformat()


def format_datetime(value: pendulum.DateTime) -> str:
    """ISO text of an instant that keeps its zone.

    A named zone (``Asia/Shanghai``) is kept by name in brackets after the offset,
    ``"2020-06-01T21:00:00+08:00[Asia/Shanghai]"`` (RFC 9557), so a round trip returns the
    same zone, not only the same offset; :func:`parse_datetime` reads both forms.

    Raises:
        InvalidArgumentError: ``value`` is not a date-time.
    """
    if not isinstance(value, _dt.datetime):
        raise InvalidArgumentError("value", value, "a date-time")
    text = value.isoformat()
    name = getattr(value.tzinfo, "name", None)
    if isinstance(name, str) and "/" in name:
        return f"{text}[{name}]"
    return text
