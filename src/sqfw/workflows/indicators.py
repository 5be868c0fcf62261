"""The 好差评 indicators of service tickets, by office, service and month (§4.7).

:func:`service_indicators` reads each ticket's facts (its trail, nothing else) and counts,
for each group:

- ``rated``: tickets with a counted rating (a voided one is not counted);
- ``satisfied``: counted ratings of basically satisfied or better (scores 5 to 3);
- ``bad``: first ratings that were bad (dissatisfied, very dissatisfied), not voided;
- ``rectified_in_time``: of those, rectified by the rectification deadline;
- ``called_back``: of those, called back by the call-back deadline;
- ``estimated``: of those, whose deadlines were estimated (counted over a year without an
  official holiday schedule, see :mod:`sqfw.calendar`): their "in time" is provisional;

and the shares ``satisfaction_rate`` (satisfied / rated), ``bad_share`` (bad / rated),
``rectified_in_time_share`` and ``callback_share`` (over bad), exact fractions, ``None``
when there is nothing to divide by. The rows are plain data (:meth:`IndicatorRow.as_dict`)
for a report to show; :data:`INDICATOR_LABELS` names each in Chinese and English.

The group of a ticket: its lead office (the last one; ``"-"`` when none), its service
code, and the month it was received (``YYYY-MM``, Asia/Shanghai).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from sqfw._args import expect, expect_items
from sqfw.errors import InvalidArgumentError
from sqfw.periods import DEFAULT_TZ
from sqfw.workflows._records import WorkflowRecord
from sqfw.workflows.ticket import Satisfaction, ServiceCatalogue, TicketFacts, TicketWorkflow

__all__ = ["COUNTS", "INDICATOR_LABELS", "SHARES", "IndicatorRow", "service_indicators"]

INDICATOR_LABELS: Mapping[str, tuple[str, str]] = {
    "office": ("承办部门", "office"),
    "service": ("服务事项", "service"),
    "month": ("月份", "month"),
    "tickets": ("工单数", "tickets"),
    "rated": ("有效评价数", "counted ratings"),
    "satisfied": ("满意评价数", "satisfied ratings"),
    "bad": ("差评数", "bad ratings"),
    "rectified_in_time": ("按时整改数", "rectified in time"),
    "called_back": ("按时回访数", "called back in time"),
    "estimated": ("期限为预估的差评数", "bad ratings with estimated deadlines"),
    "satisfaction_rate": ("满意率", "satisfaction rate"),
    "bad_share": ("差评率", "bad-rating share"),
    "rectified_in_time_share": ("差评按时整改率", "rectified-in-time share"),
    "callback_share": ("差评回访率", "call-back share"),
}
"""Labels of the group keys, counts and shares: key → (中文, English)."""

_KEYS = ("office", "service", "month")
COUNTS = (
    "tickets",
    "rated",
    "satisfied",
    "bad",
    "rectified_in_time",
    "called_back",
    "estimated",
)
"""The counts of an :class:`IndicatorRow`, in the order it gives them."""
SHARES = ("satisfaction_rate", "bad_share", "rectified_in_time_share", "callback_share")
"""The shares of an :class:`IndicatorRow` (exact fractions), in order."""


def _share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


@attrs.frozen(kw_only=True)
class IndicatorRow:
    """The counts and shares of one group (see the module docstring)."""

    group: Mapping[str, str]
    tickets: int
    rated: int
    satisfied: int
    bad: int
    rectified_in_time: int
    called_back: int
    estimated: int = 0
    labels: Mapping[str, tuple[str, str]] = attrs.field(factory=dict)
    """The office's and the service's names from the catalogue: key → (中文, English)."""

    def label(self, key: str, lang: str = "zh") -> str:
        """The group value of ``key`` by name in ``lang`` (its code when unnamed)."""
        named = self.labels.get(key)
        if named is None:
            return self.group.get(key, "-")
        return named[0] if lang == "zh" else named[1]

    @property
    def satisfaction_rate(self) -> Fraction | None:
        """Satisfied (scores 5 to 3) over counted ratings."""
        return _share(self.satisfied, self.rated)

    @property
    def bad_share(self) -> Fraction | None:
        """Bad first ratings over counted ratings."""
        return _share(self.bad, self.rated)

    @property
    def rectified_in_time_share(self) -> Fraction | None:
        """Bad ratings rectified by their deadline over bad ratings."""
        return _share(self.rectified_in_time, self.bad)

    @property
    def callback_share(self) -> Fraction | None:
        """Bad ratings called back by their deadline over bad ratings."""
        return _share(self.called_back, self.bad)

    def as_dict(self) -> dict[str, Any]:
        """Plain data: the group keys, the counts, and the shares as fractions."""
        return {**self.group, **{key: getattr(self, key) for key in (*COUNTS, *SHARES)}}


def _group(facts: TicketFacts, by: Sequence[str]) -> tuple[str, ...]:
    month = (
        "-"
        if facts.received_at is None
        else facts.received_at.in_timezone(DEFAULT_TZ).format("YYYY-MM")
    )
    values = {"office": facts.lead or "-", "service": facts.service_code or "-", "month": month}
    return tuple(values[k] for k in by)


def _labels(catalogue: ServiceCatalogue, group: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    labels = {}
    if "office" in group and group["office"] in catalogue.offices:
        office = group["office"]
        labels["office"] = (
            catalogue.office_label(office, "zh"),
            catalogue.office_label(office, "en"),
        )
    spec = catalogue.get(group["service"]) if "service" in group else None
    if spec is not None:
        labels["service"] = (spec.label_zh, spec.label_en)
    return labels


def service_indicators(
    workflow: TicketWorkflow,
    records: Iterable[WorkflowRecord],
    *,
    by: Sequence[str] = _KEYS,
) -> list[IndicatorRow]:
    """The 好差评 indicators of ``records``, one row per group, sorted by group.

    Args:
        workflow: the ticket workflow (it folds each record's facts).
        records: ticket records (verified once each, see :meth:`Workflow.trust`).
        by: the group keys, any of ``"office"``, ``"service"``, ``"month"``, in order;
            ``()`` for one row over all.

    Raises:
        InvalidArgumentError: an unknown group key.
    """
    if isinstance(by, str) or not isinstance(by, Sequence) or [k for k in by if k not in _KEYS]:
        raise InvalidArgumentError("by", by, f"a sequence of the keys {', '.join(_KEYS)}")
    expect("service_indicators(workflow)", workflow, TicketWorkflow)
    counts: dict[tuple[str, ...], list[int]] = {}
    for record in expect_items("service_indicators(records)", records, WorkflowRecord):
        facts = workflow.facts(workflow.trust(record))
        row = counts.setdefault(_group(facts, by), [0] * 7)
        row[0] += 1
        if facts.satisfaction is not None:
            row[1] += 1
            row[2] += Satisfaction(facts.satisfaction).score >= 3
        bad = facts.first_rating is not None and Satisfaction(facts.first_rating).bad
        if bad and not (facts.rating_voided and facts.ratings == 1):
            row[3] += 1
            due = facts.rectify_due
            row[4] += (
                facts.rectified_at is not None and due is not None and facts.rectified_at <= due
            )
            back = facts.callback_due
            row[5] += (
                facts.called_back_at is not None
                and back is not None
                and facts.called_back_at <= back
            )
            row[6] += facts.deadlines_estimated
    catalogue = workflow.catalogue
    return [
        IndicatorRow(
            group=(group := dict(zip(by, key, strict=True))),
            labels=_labels(catalogue, group),
            tickets=c[0],
            rated=c[1],
            satisfied=c[2],
            bad=c[3],
            rectified_in_time=c[4],
            called_back=c[5],
            estimated=c[6],
        )
        for key, c in sorted(counts.items())
    ]
