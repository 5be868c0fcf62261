"""The numbers: the plan's norms as dated, cited parameters, and a strict loader.

Every number of the plan lives in a data file under ``sqfw/standards/data/`` (TOML), never
in code. Each value is dated and cites the plan's clause (``§2.1``) and quotes it::

    >>> from sqfw.standards import default_standards
    >>> std = default_standards()
    >>> std.value("facility.area.per_100_households", "2020-12-31")
    Decimal('30')
    >>> std.lookup("workforce.volunteers.registered_share.at_least", "2020-12-31").citation.clause
    '§5.11'

Overrides are copy-on-write: :meth:`Standards.with_overrides` returns a new set and the
baseline stays as it was; every lookup names the override that supplied its value.

.. versionadded:: 0.1.0
"""

from sqfw.standards._in_force import (
    FiveYearPeriod,
    PlanInForce,
    five_year_period,
    five_year_periods,
    resolve_plan,
)
from sqfw.standards._loader import parse_parameters
from sqfw.standards._model import (
    Citation,
    DatedValue,
    Override,
    Parameter,
    ParameterValue,
    Unit,
    Value,
)
from sqfw.standards._plans import (
    LAYERS,
    Jurisdiction,
    Plan,
    bundled_plans,
    default_standards,
    get_plan,
    load_plan,
    plan_in_force,
    plan_standards,
)
from sqfw.standards._skeleton import write_plan_skeleton
from sqfw.standards._standards import OverridesInput, Standards, load_standards

__all__ = [
    "LAYERS",
    "Citation",
    "DatedValue",
    "FiveYearPeriod",
    "Jurisdiction",
    "Override",
    "OverridesInput",
    "Parameter",
    "ParameterValue",
    "Plan",
    "PlanInForce",
    "Standards",
    "Unit",
    "Value",
    "bundled_plans",
    "default_standards",
    "five_year_period",
    "five_year_periods",
    "get_plan",
    "load_plan",
    "load_standards",
    "parse_parameters",
    "plan_in_force",
    "plan_standards",
    "resolve_plan",
    "write_plan_skeleton",
]
