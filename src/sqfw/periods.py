"""The one place where sqfw parses and formats dates and times.

Everything runs on pendulum. Dates are calendar dates (``pendulum.Date``); instants are
time-zone-aware ``pendulum.DateTime``. The default zone is Asia/Shanghai, the zone the plan's
dates are read in ("到2020年" is 2020-12-31 in Asia/Shanghai). A naive date-time is refused
rather than guessed: a service record that crosses midnight must know its zone.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import re

import pendulum

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


def parse_date(text: str) -> pendulum.Date:
    """Parse an ISO 8601 calendar date (``"2020-12-31"``).

    Raises:
        ValueError: the text is not a calendar date.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected an ISO date string, got {type(text).__name__}")
    try:
        parsed = pendulum.parse(text, exact=True, strict=True)
    except (ValueError, pendulum.parsing.exceptions.ParserError) as exc:
        raise ValueError(f"expected an ISO date like '2020-12-31', got {text!r}") from exc
    if not isinstance(parsed, pendulum.Date) or isinstance(parsed, pendulum.DateTime):
        raise ValueError(f"expected an ISO date like '2020-12-31', got {text!r}")
    return parsed


def parse_datetime(text: str) -> pendulum.DateTime:
    """Parse an ISO 8601 date-time that states its offset or zone.

    ``"2020-06-01T21:00:00+08:00"`` is accepted; ``"2020-06-01T21:00:00"`` is refused,
    because a local time without a zone is ambiguous across a day boundary.

    Raises:
        ValueError: the text is not a date-time with an offset.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected an ISO date-time string, got {type(text).__name__}")
    zone: str | None = None
    if text.endswith("]") and "[" in text:
        text, _, zone = text[:-1].partition("[")
    try:
        if not _OFFSET.search(text):
            raise ValueError("no offset")
        parsed = pendulum.parse(text, exact=True, strict=True)
    except (ValueError, pendulum.parsing.exceptions.ParserError) as exc:
        raise ValueError(
            f"expected an ISO date-time with offset like '2020-06-01T21:00:00+08:00', got {text!r}"
        ) from exc
    if not isinstance(parsed, pendulum.DateTime) or parsed.tzinfo is None:
        raise ValueError(
            f"expected an ISO date-time with offset like '2020-06-01T21:00:00+08:00', got {text!r}"
        )
    if zone is not None:
        try:
            named = parsed.in_timezone(zone)
        except Exception as exc:  # pendulum raises several kinds for an unknown zone
            raise ValueError(f"unknown time zone {zone!r} in {text!r}") from exc
        if named.utcoffset() != parsed.utcoffset():
            raise ValueError(f"offset of {text!r} does not match zone {zone!r}")
        return named
    return parsed


def as_date(value: pendulum.Date | _dt.date | str) -> pendulum.Date:
    """Coerce a ``datetime.date`` or ISO text to ``pendulum.Date`` (date-times are refused)."""
    if isinstance(value, str):
        return parse_date(value)
    if isinstance(value, _dt.datetime):
        raise TypeError(f"expected a calendar date, got a date-time {value!r}")
    if isinstance(value, pendulum.Date):
        return value
    if isinstance(value, _dt.date):
        return pendulum.Date(value.year, value.month, value.day)
    raise TypeError(f"expected a date, got {type(value).__name__}")


def as_datetime(value: pendulum.DateTime | _dt.datetime | str) -> pendulum.DateTime:
    """Coerce an aware ``datetime.datetime`` or ISO text to ``pendulum.DateTime``.

    Raises:
        ValueError: the value is naive (has no time zone).
    """
    if isinstance(value, str):
        return parse_datetime(value)
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"expected a time-zone-aware date-time, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"expected a time-zone-aware date-time, got naive {value!r}")
    if isinstance(value, pendulum.DateTime):
        return value
    return pendulum.instance(value)


def format_date(value: pendulum.Date) -> str:
    """ISO text of a date: ``"2020-12-31"``."""
    return value.isoformat()


def format_datetime(value: pendulum.DateTime) -> str:
    """ISO text of an instant that keeps its zone.

    A named zone (``Asia/Shanghai``) is kept by name in brackets after the offset,
    ``"2020-06-01T21:00:00+08:00[Asia/Shanghai]"`` (RFC 9557), so a round trip returns the
    same zone, not only the same offset; :func:`parse_datetime` reads both forms.
    """
    text = value.isoformat()
    name = getattr(value.tzinfo, "name", None)
    if isinstance(name, str) and "/" in name:
        return f"{text}[{name}]"
    return text
