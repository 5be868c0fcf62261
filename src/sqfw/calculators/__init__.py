"""The calculators: pure functions of (entity or region, date, standards) → explained result.

One module per norm of the plan; each returns a :class:`Result` with a :class:`Status`,
the measured and required figures, the shortfall in the norm's unit, every parameter read
(with period and citation), the overrides in force, the assumptions, and one line each in
Chinese and English::

    >>> from sqfw.calculators import volunteer_ratio
    >>> result = volunteer_ratio(community)          # doctest: +SKIP
    >>> result.status, result.explanation_en         # doctest: +SKIP

Per community: :func:`facility_area` (§2.1, §2.12, §2.13), :func:`office_share` (§2.14),
:func:`barrier_free` (§2.4), :func:`volunteer_ratio` (§5.11), and
:func:`assess_community` to run them all. Per worker: :func:`training_per_term` (§5.4).
Region level: :func:`training_coverage` (§5.4), :func:`associate_degree_share` (§5.3),
:func:`pay_compliance_share` (§5.2), :func:`direct_election_ratio` (§1.2, §1.4),
:func:`facility_coverage` and :func:`street_hall_coverage` (§2.11),
:func:`smart_community_coverage` (§3.11).

Each region indicator is one :class:`RegionRule` of :data:`REGION_RULES` (a kernel over the
rows of communities, townships or counties), which the region calculators above and the
region assessment (:func:`sqfw.analysis.assess`) both count with; a target's kind
(:class:`TargetKind`: :class:`Every`, :class:`AtLeast`, :class:`AboveBaseline`,
:class:`RateAtLeast`) decides it in both.

The evaluation date defaults to 2020-12-31 (Asia/Shanghai), the plan's target date.

.. versionadded:: 0.1.0
"""

from sqfw.calculators._kinds import AboveBaseline, AtLeast, Count, Every, RateAtLeast, TargetKind
from sqfw.calculators._model import NUMBER_RULES, NumberRule
from sqfw.calculators._norm import Norm, NormParameters
from sqfw.calculators._region import REGION_RULES, RegionRule, region_rule
from sqfw.calculators._result import PLAN_TARGET_DATE, Finding, Result, Status
from sqfw.calculators.assess import NORMS, PER_COMMUNITY_NORMS, assess_community, norm
from sqfw.calculators.associate_degree_share import associate_degree_share
from sqfw.calculators.barrier_free import BARRIER_FREE, barrier_free
from sqfw.calculators.commendation import Commendation, Service, commendation_list, service_years
from sqfw.calculators.committee_households import COMMITTEE_HOUSEHOLDS, committee_households
from sqfw.calculators.coverage import facility_coverage, street_hall_coverage
from sqfw.calculators.direct_election_ratio import direct_election_ratio
from sqfw.calculators.facility_area import FACILITY_AREA, Rounding, facility_area
from sqfw.calculators.office_share import OFFICE_SHARE, office_share
from sqfw.calculators.pay_compliance_share import pay_compliance_share
from sqfw.calculators.smart_community_coverage import smart_community_coverage
from sqfw.calculators.training import training_coverage, training_per_term
from sqfw.calculators.volunteer_ratio import VOLUNTEER_RATIO, volunteer_ratio
from sqfw.calculators.work_committees import elderly_women_children_committee

__all__ = [
    "BARRIER_FREE",
    "COMMITTEE_HOUSEHOLDS",
    "FACILITY_AREA",
    "NORMS",
    "NUMBER_RULES",
    "OFFICE_SHARE",
    "PER_COMMUNITY_NORMS",
    "PLAN_TARGET_DATE",
    "REGION_RULES",
    "VOLUNTEER_RATIO",
    "AboveBaseline",
    "AtLeast",
    "Commendation",
    "Count",
    "Every",
    "Finding",
    "Norm",
    "NormParameters",
    "NumberRule",
    "RateAtLeast",
    "RegionRule",
    "Result",
    "Rounding",
    "Service",
    "Status",
    "TargetKind",
    "assess_community",
    "associate_degree_share",
    "barrier_free",
    "commendation_list",
    "committee_households",
    "direct_election_ratio",
    "elderly_women_children_committee",
    "facility_area",
    "facility_coverage",
    "norm",
    "office_share",
    "pay_compliance_share",
    "region_rule",
    "service_years",
    "smart_community_coverage",
    "street_hall_coverage",
    "training_coverage",
    "training_per_term",
    "volunteer_ratio",
]
