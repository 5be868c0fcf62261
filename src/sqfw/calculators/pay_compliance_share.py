"""§5.2: by 2020 at least 50% of banners/counties meet the community workers' pay documents.

Counted over banner/county-level divisions; a county whose compliance is unknown is
counted both ways, so the result is a pass or a fail only when the unknowns cannot
change it. Counted by the region rule ``pay``, as in the plan's assessment.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from sqfw.calculators._kinds import AtLeast
from sqfw.calculators._region import county_columns, region_rule, row_findings
from sqfw.calculators._regions import counties_of
from sqfw.calculators._result import Reader, Result
from sqfw.calculators._share import share_result
from sqfw.entities import Division, Region
from sqfw.standards import Standards

__all__ = ["pay_compliance_share"]


def pay_compliance_share(
    counties: Sequence[Division] | Region,
    *,
    on: pendulum.Date | str | None = None,
    standards: Standards | None = None,
) -> Result:
    """Share of banners/counties meeting 内政办字[2012]263号/264号 against the minimum.

    Args:
        counties: banner/county-level divisions (others are ignored), or a region.
        on: the evaluation date (default 2020-12-31).
        standards: the standards set (default: the bundled one).

    Returns:
        A :class:`Result` with the share (ratio) and the shortfall in counties.
    """
    read = Reader(standards, on)
    threshold = read.ratio("workforce.pay.county_share.at_least")
    members = counties_of(counties)
    rule = region_rule("pay")
    tally = rule.run(county_columns(members), {})
    count = tally.summed()
    return share_result(
        read,
        norm="pay_compliance_share",
        clause="§5.2",
        subject=counties.root.code if isinstance(counties, Region) else "counties",
        findings=row_findings([d.code for d in members], tally, clause="§5.2"),
        count=count,
        decided=AtLeast().decide(count, unknowns=rule.unknowns, threshold=threshold),
        what_zh="达到报酬待遇文件要求的旗县市区占比",
        what_en="share of banners/counties meeting the pay documents",
        noun_zh="旗县市区",
        noun_en="banners/counties",
    )
