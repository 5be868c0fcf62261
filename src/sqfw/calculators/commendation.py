"""§5.5: long-serving community workers, publicly commended.

The plan names no length of service; a league, city or county sets it. The threshold is
the parameter ``workforce.commendation.service_years`` of the standards passed in (sqfw's
own value is an example: :func:`~sqfw.workflows.local_examples.example_local_standards`).

Service is counted from a worker's periods of community work up to the day asked about:
overlapping periods count once; a period's last day is served in full. Years are whole
calendar years from the first day of a stretch (2010-06-01 to 2020-05-31 is ten years);
the days left over in separate stretches are added up and every 366 of them count as a
further year (so no stretch gains a year before its anniversary).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs
import pendulum

from sqfw.entities.service import ServicePeriod
from sqfw.entities.worker import CommunityWorker
from sqfw.periods import as_date
from sqfw.standards import ParameterValue, Standards

__all__ = [
    "COMMENDATION_PARAMETER",
    "Commendation",
    "Service",
    "commendation_list",
    "service_years",
]

COMMENDATION_PARAMETER = "workforce.commendation.service_years"
"""The parameter that says how many years of service qualify (§5.5)."""


_LEFTOVER_YEAR = 366
"""Days of leftovers that make a further year: a stretch's own leftover is at most 365
days (a year with 29 February less one day), so it never gains a year before its
anniversary; separate stretches' leftovers are added up."""


def _stretches(
    periods: Iterable[ServicePeriod], on: pendulum.Date
) -> list[tuple[pendulum.Date, pendulum.Date]]:
    """Merged ``[start, end)`` stretches served before ``on`` (end exclusive)."""
    spans = sorted(
        (p.start, min(on, (p.end.add(days=1) if p.end is not None else on)))
        for p in periods
        if p.start < on
    )
    merged: list[tuple[pendulum.Date, pendulum.Date]] = []
    for start, end in spans:
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@attrs.frozen(kw_only=True)
class Service:
    """A worker's length of service on a day.

    Attributes:
        worker_id: the worker.
        years: whole years served.
        days: days served in all.
        first_day: the first day of service.
    """

    worker_id: str
    years: int
    days: int
    first_day: pendulum.Date | None


def service_years(
    worker_id: str, periods: Iterable[ServicePeriod], on: pendulum.Date | str
) -> Service:
    """The worker's service up to (not including) ``on``, from their periods.

    Periods of other workers are ignored.
    """
    day = as_date(on)
    own = [p for p in periods if p.worker_id == worker_id]
    stretches = _stretches(own, day)
    years = 0
    rest = 0
    total = 0
    for start, end in stretches:
        whole = (end - start).in_years()
        years += whole
        rest += (end - start.add(years=whole)).in_days()
        total += (end - start).in_days()
    years += rest // _LEFTOVER_YEAR
    return Service(
        worker_id=worker_id,
        years=years,
        days=total,
        first_day=stretches[0][0] if stretches else None,
    )


@attrs.frozen(kw_only=True)
class Commendation:
    """The workers who qualify for commendation on a day (§5.5).

    Attributes:
        on: the day.
        threshold: the parameter read (value, period, citation).
        qualifying: the workers who reach it, longest-serving first.
        others: everyone else, with their service.
        explanation_zh: one line in Chinese.
        explanation_en: one line in English.
    """

    on: pendulum.Date
    threshold: ParameterValue
    qualifying: tuple[Service, ...]
    others: tuple[Service, ...]
    explanation_zh: str
    explanation_en: str

    @property
    def clause(self) -> str:
        """The clause the threshold cites (``§5.5``)."""
        return self.threshold.citation.clause


def commendation_list(
    workers: Iterable[CommunityWorker | str],
    periods: Iterable[ServicePeriod],
    *,
    on: pendulum.Date | str,
    standards: Standards,
) -> Commendation:
    """Which workers reach the local length of service for commendation by ``on`` (§5.5).

    Args:
        workers: the workers (or their ids).
        periods: their periods of community work.
        on: the day of the commendation.
        standards: a set with ``workforce.commendation.service_years``.

    Raises:
        ParameterNotFoundError: the standards do not set the threshold.
        NotInForceError: no value on ``on``.
    """
    day = as_date(on)
    threshold = standards.lookup(COMMENDATION_PARAMETER, day)
    need = int(threshold.value)
    chosen = list(periods)
    ids = [w.id if isinstance(w, CommunityWorker) else str(w) for w in workers]
    services = [service_years(i, chosen, day) for i in dict.fromkeys(ids)]
    ranked = sorted(services, key=lambda s: (-s.days, s.worker_id))
    qualifying = tuple(s for s in ranked if s.years >= need)
    others = tuple(s for s in ranked if s.years < need)
    note = "(示例值)" if threshold.assumption else ""
    return Commendation(
        on=day,
        threshold=threshold,
        qualifying=qualifying,
        others=others,
        explanation_zh=(
            f"截至 {day},{len(qualifying)} 名社区工作者从事社区工作满 {need} 年{note},"
            f"可予宣传表彰({threshold.citation.clause})"
        ),
        explanation_en=(
            f"by {day}, {len(qualifying)} community worker(s) have served at least {need} "
            f"years{' (example value)' if threshold.assumption else ''} and qualify for "
            f"commendation ({threshold.citation.clause})"
        ),
    )


def by_community(commendation: Commendation, periods: Iterable[ServicePeriod]) -> Mapping[str, int]:
    """How many qualifying workers each community has (their latest period's community)."""
    latest: dict[str, ServicePeriod] = {}
    for p in periods:
        if p.worker_id not in latest or p.start > latest[p.worker_id].start:
            latest[p.worker_id] = p
    found: dict[str, int] = {}
    for s in commendation.qualifying:
        period = latest.get(s.worker_id)
        if period is not None:
            found[period.community_code] = found.get(period.community_code, 0) + 1
    return found
