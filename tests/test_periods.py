"""Dates and instants: parsed and formatted in one place, zones kept, naive times refused."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest
from hypothesis import given

from sqfw import testing as sqst
from sqfw.errors import InvalidArgumentError
from sqfw.periods import (
    DEFAULT_TZ,
    as_date,
    as_datetime,
    format_date,
    format_datetime,
    parse_date,
    parse_datetime,
)


class TestDates:
    """Calendar dates are ISO ``YYYY-MM-DD``; date-times are not dates."""

    def test_parse_and_format(self) -> None:
        d = parse_date("2020-12-31")
        assert d == pendulum.Date(2020, 12, 31)
        assert format_date(d) == "2020-12-31"

    @pytest.mark.parametrize("text", ["2020-13-01", "2020-12-31T00:00:00+08:00", "31/12/2020", ""])
    def test_bad_dates_refused(self, text: str) -> None:
        with pytest.raises(ValueError, match="expected an ISO date"):
            parse_date(text)

    def test_not_text_refused(self) -> None:
        with pytest.raises(InvalidArgumentError, match="date: expected an ISO date"):
            parse_date(20201231)  # type: ignore[arg-type]

    def test_as_date(self) -> None:
        assert as_date(dt.date(2020, 1, 2)) == pendulum.Date(2020, 1, 2)
        assert isinstance(as_date(dt.date(2020, 1, 2)), pendulum.Date)
        assert as_date("2020-01-02") == pendulum.Date(2020, 1, 2)
        with pytest.raises(InvalidArgumentError, match="not a date-time"):
            as_date(dt.datetime(2020, 1, 2, tzinfo=dt.UTC))

    @given(sqst.dates())
    def test_round_trip(self, d: pendulum.Date) -> None:
        assert parse_date(format_date(d)) == d


class TestDateTimes:
    """Instants carry an offset or zone; a named zone survives a round trip by name."""

    def test_default_zone_is_shanghai(self) -> None:
        assert DEFAULT_TZ == "Asia/Shanghai"

    def test_named_zone_kept(self) -> None:
        t = pendulum.datetime(2020, 6, 1, 21, tz="Asia/Shanghai")
        text = format_datetime(t)
        assert text == "2020-06-01T21:00:00+08:00[Asia/Shanghai]"
        back = parse_datetime(text)
        assert back == t
        assert back.timezone_name == "Asia/Shanghai"

    def test_offset_only(self) -> None:
        t = parse_datetime("2020-06-01T21:00:00+08:00")
        assert t.utcoffset() == dt.timedelta(hours=8)
        assert parse_datetime("2020-06-01T13:00:00Z") == t

    @pytest.mark.parametrize("text", ["2020-06-01T21:00:00", "2020-06-01", "21:00"])
    def test_naive_refused(self, text: str) -> None:
        with pytest.raises(ValueError, match="with offset"):
            parse_datetime(text)

    def test_zone_must_match_offset(self) -> None:
        with pytest.raises(InvalidArgumentError, match="an offset that matches the zone"):
            parse_datetime("2020-06-01T21:00:00+09:00[Asia/Shanghai]")

    def test_unknown_zone(self) -> None:
        with pytest.raises(InvalidArgumentError, match="a known time zone"):
            parse_datetime("2020-06-01T21:00:00+08:00[Mars/Olympus]")

    def test_as_datetime(self) -> None:
        aware = dt.datetime(2020, 6, 1, 13, tzinfo=dt.UTC)
        assert as_datetime(aware) == pendulum.datetime(2020, 6, 1, 13)
        with pytest.raises(ValueError, match="naive"):
            as_datetime(dt.datetime(2020, 6, 1, 13))
        with pytest.raises(InvalidArgumentError, match="a time-zone-aware date-time"):
            as_datetime(dt.date(2020, 6, 1))  # type: ignore[arg-type]

    @given(sqst.datetimes())
    def test_round_trip_keeps_instant_and_offset(self, t: pendulum.DateTime) -> None:
        back = parse_datetime(format_datetime(t))
        assert back == t
        assert back.utcoffset() == t.utcoffset()
        assert format_datetime(back) == format_datetime(t)
