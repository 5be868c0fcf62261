"""§3.11: smart-community coverage on three indicators.

Infrastructure: "力争达到100%". Platform sharing and online convenience services:
"基本达到全覆盖", read like §2.11 as a documented, overridable default of 95%. Each
indicator is a finding; the result fails if any indicator fails. Each is counted by its
region rule (``smart_infrastructure``, ``smart_sharing``, ``smart_online``), as in the
plan's assessment.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from sqfw.calculators._columns import community_columns
from sqfw.calculators._kinds import AtLeast
from sqfw.calculators._region import region_rule, row_findings
from sqfw.calculators._regions import communities_of
from sqfw.calculators._result import Finding, Reader, Result, combine
from sqfw.calculators._share import share_result
from sqfw.entities import Community, Region
from sqfw.standards import Standards, Unit

__all__ = ["smart_community_coverage"]

_INDICATORS = (
    (
        "infrastructure",
        "smart_infrastructure",
        "智慧社区基础设施建设比例",
        "share with smart-community infrastructure",
    ),
    (
        "platform_sharing",
        "smart_sharing",
        "通过平台资源共享和业务协同的社区比例",
        "share sharing through the platform",
    ),
    (
        "online_convenience",
        "smart_online",
        "网上享受便民服务的社区比例",
        "share with online convenience services",
    ),
)


def smart_community_coverage(
    communities: Sequence[Community] | Region,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Check the three §3.11 indicators over the communities.

    Args:
        communities: the communities (their ``smart`` indicators are read), or a region.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).

    Returns:
        A :class:`Result` with one finding per indicator; measured/required/shortfall are
        those of the weakest indicator (lowest share).
    """
    read = Reader(standards, on)
    items = communities_of(communities)
    subject = communities.root.code if isinstance(communities, Region) else "communities"
    columns = community_columns(items)
    codes = [c.code for c in items]
    parts: list[Result] = []
    for key, rule_id, zh, en in _INDICATORS:
        threshold = read.ratio(f"informatization.smart.{key}.at_least")
        rule = region_rule(rule_id)
        tally = rule.run(columns, {})
        count = tally.summed()
        parts.append(
            share_result(
                read,
                norm=key,
                clause="§3.11",
                subject=key,
                findings=row_findings(codes, tally, clause="§3.11"),
                count=count,
                decided=AtLeast().decide(count, unknowns=rule.unknowns, threshold=threshold),
                what_zh=zh,
                what_en=en,
                noun_zh="社区",
                noun_en="communities",
            )
        )
    findings = tuple(
        Finding(
            subject=p.subject,
            clause="§3.11",
            status=p.status,
            measured=p.measured,
            required=p.required,
            shortfall=p.shortfall,
            unit=Unit.RATIO,
            explanation_zh=p.explanation_zh,
            explanation_en=p.explanation_en,
        )
        for p in parts
    )
    status = combine(p.status for p in parts)
    measured_parts = [p for p in parts if p.measured is not None]
    weakest = min(measured_parts, key=lambda p: p.measured or 0) if measured_parts else parts[0]
    return read.result(
        norm="smart_community_coverage",
        clauses=("§3.11",),
        subject=subject,
        status=status,
        measured=weakest.measured,
        required=weakest.required,
        shortfall=weakest.shortfall,
        unit=Unit.RATIO,
        shortfall_unit=Unit.COUNT,
        findings=findings,
        explanation_zh=";".join(p.explanation_zh for p in parts),
        explanation_en="; ".join(p.explanation_en for p in parts),
    )
