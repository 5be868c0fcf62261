"""The columnar evaluation of the per-community norms, with NumPy or without it.

The rules are those of :mod:`sqfw.calculators` (``facility_area``, ``office_share``,
``barrier_free``, ``volunteer_ratio``) applied to whole columns at once. Every figure of
the plan is read from the standards in force (:class:`RuleParameters`); none is written
here. Both paths give the same answer, and the tests check both against the calculators.

Floating point decides no boundary: rows whose area lies within a hair of a minimum (or
whose office area lies within a hair of the maximum share) are decided again with exact
:class:`~decimal.Decimal` arithmetic, from the figure as it was written. Counts (volunteers,
residents) are whole numbers compared by cross-multiplication, which is exact in float64.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable, Iterable
from decimal import Decimal
from fractions import Fraction
from functools import partial
from typing import Any

import attrs
import pendulum

from sqfw.analysis._dataset import COMMUNITY_KINDS, RegionDataset
from sqfw.calculators import Rounding, Status
from sqfw.entities import CommunityKind
from sqfw.standards import ParameterValue, Standards

__all__ = [
    "RULES",
    "STATUSES",
    "RuleColumns",
    "RuleParameters",
    "evaluate",
    "have_numpy",
]

STATUSES: tuple[Status, ...] = (
    Status.PASS,
    Status.FAIL,
    Status.UNKNOWN,
    Status.NOT_APPLICABLE,
)
"""Status codes of the ``status`` columns: an index into this tuple."""
PASS, FAIL, UNKNOWN, NA = range(4)

RULES: tuple[str, ...] = ("facility_area", "office_share", "barrier_free", "volunteer_ratio")
"""The per-community norms, named as their calculators."""

_TOWNSHIP_KINDS = frozenset(
    COMMUNITY_KINDS.index(k)
    for k in (
        CommunityKind.TOWNSHIP_SEAT,
        CommunityKind.URBAN_VILLAGE,
        CommunityKind.SUBURBAN_VILLAGE,
    )
)
_URBAN = COMMUNITY_KINDS.index(CommunityKind.URBAN)
_REL = 1e-9


def have_numpy() -> bool:
    """Whether NumPy can be imported (the fast path)."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        return False
    return True


@attrs.frozen(kw_only=True)
class RuleParameters:
    """The parameters the per-community rules read, looked up once for a date.

    Attributes:
        on: the evaluation date.
        lookups: every parameter read, by id (value, period, citation, override).
        rounding: how households become an area under §2.1.
    """

    on: pendulum.Date
    lookups: dict[str, ParameterValue]
    rounding: Rounding = Rounding.PRO_RATA

    @classmethod
    def read(
        cls, standards: Standards, on: pendulum.Date, rounding: Rounding = Rounding.PRO_RATA
    ) -> RuleParameters:
        """Look up every parameter the rules need on ``on``."""
        ids = (
            "facility.area.per_100_households",
            "facility.area.total_min",
            "facility.area.new_or_renovated_min",
            "facility.area.township_min",
            "facility.area.village_min",
            "facility.office.max_share",
            "facility.barrier_free.required",
            "workforce.volunteers.registered_share.at_least",
        )
        return cls(
            on=on, lookups={i: standards.lookup(i, on) for i in ids}, rounding=Rounding(rounding)
        )

    def decimal(self, parameter_id: str) -> Decimal:
        value = self.lookups[parameter_id].value
        assert isinstance(value, Decimal), parameter_id
        return value

    def ratio(self, parameter_id: str) -> Fraction:
        value = self.lookups[parameter_id].value
        assert isinstance(value, Fraction), parameter_id
        return value

    @property
    def per_100(self) -> Decimal:
        return self.decimal("facility.area.per_100_households")

    def base_minimum(self, kind: int) -> Decimal:
        """The total-area minimum of a community kind (§2.1 urban, §2.12, §2.13)."""
        if kind == _URBAN:
            return self.decimal("facility.area.total_min")
        if kind in _TOWNSHIP_KINDS:
            return self.decimal("facility.area.township_min")
        return self.decimal("facility.area.village_min")

    @property
    def new_minimum(self) -> Decimal:
        return self.decimal("facility.area.new_or_renovated_min")

    @property
    def office_max(self) -> Fraction:
        return self.ratio("facility.office.max_share")

    @property
    def barrier_free_required(self) -> bool:
        return bool(self.lookups["facility.barrier_free.required"].value)

    @property
    def volunteer_share(self) -> Fraction:
        return self.ratio("workforce.volunteers.registered_share.at_least")

    def per_household_area(self, households: float) -> Decimal:
        """§2.1 minimum for ``households`` (exact)."""
        count = int(households)
        if self.rounding is Rounding.PER_STARTED_HUNDRED:
            return self.per_100 * -(-count // 100)
        return self.per_100 * count / 100


@attrs.frozen(kw_only=True, eq=False)
class RuleColumns:
    """One rule's outcome for every community.

    Attributes:
        status: status codes (index into :data:`STATUSES`).
        measured: the measured figure (m², a share, a count); ``NaN`` when unknown.
        required: the required figure; ``NaN`` when unknown.
        shortfall: the shortfall in the rule's shortfall unit; ``NaN`` when unknown.
    """

    status: array[int]
    measured: array[float]
    required: array[float]
    shortfall: array[float]


def _exact(value: float) -> Decimal:
    return Decimal(repr(value))


# -- pure Python ------------------------------------------------------------------------


def _python(dataset: RegionDataset, params: RuleParameters) -> dict[str, RuleColumns]:
    c = dataset.communities
    n = len(c)
    out = {
        rule: RuleColumns(
            status=array("b", bytes(n)),
            measured=array("d", [math.nan]) * n,
            required=array("d", [math.nan]) * n,
            shortfall=array("d", [math.nan]) * n,
        )
        for rule in RULES
    }
    base = {k: float(params.base_minimum(k)) for k in range(len(COMMUNITY_KINDS))}
    new_min = float(params.new_minimum)
    per_100 = float(params.per_100)
    started = params.rounding is Rounding.PER_STARTED_HUNDRED
    office_max = params.office_max
    om_f = float(office_max)
    vol = params.volunteer_share
    vp, vq = vol.numerator, vol.denominator
    bf_required = params.barrier_free_required
    fa, os_, bf, vr = (out[r] for r in RULES)
    for i in range(n):
        area = c.area[i]
        households = c.households[i]
        minimum = base[c.kind[i]]
        if c.new_or_renovated[i]:
            minimum = max(minimum, new_min)
        known_h = not math.isnan(households)
        if known_h:
            per_h = per_100 * math.ceil(households / 100) if started else per_100 * households / 100
            minimum = max(minimum, per_h)
        fa.measured[i] = area
        fa.required[i] = minimum
        if math.isnan(area):
            fa.status[i] = UNKNOWN
        else:
            short = _short(area, minimum, partial(exact_area_shortfall, c, params, i))
            if short > 0:
                fa.status[i] = FAIL
                fa.shortfall[i] = short
            elif known_h:
                fa.status[i] = PASS
                fa.shortfall[i] = 0.0
            else:
                fa.status[i] = UNKNOWN
        # §2.14
        office = c.office[i]
        if math.isnan(area) or (area > 0 and math.isnan(office)):
            os_.status[i] = UNKNOWN
        elif area <= 0:
            os_.status[i] = NA
        else:
            os_.measured[i] = office / area
            os_.required[i] = om_f
            excess = _over(office, om_f * area, partial(_exact_office_limit, c, params, i))
            os_.status[i] = FAIL if excess > 0 else PASS
            os_.shortfall[i] = max(excess, 0.0)
        # §2.4
        count = c.facilities[i]
        if not bf_required or count == 0:
            bf.status[i] = NA
        else:
            yes, no = c.barrier_free_yes[i], c.barrier_free_no[i]
            bf.measured[i] = yes
            bf.required[i] = count
            if no:
                bf.status[i] = FAIL
                bf.shortfall[i] = no
            elif yes < count:
                bf.status[i] = UNKNOWN
            else:
                bf.status[i] = PASS
                bf.shortfall[i] = 0.0
        # §5.11
        v, r = c.volunteers[i], c.residents[i]
        vr.required[i] = float(vol)
        if math.isnan(v) or math.isnan(r):
            vr.status[i] = UNKNOWN
        elif r == 0:
            vr.status[i] = NA
        else:
            vr.measured[i] = v / r
            need = -((-vp * int(r)) // vq)
            vr.status[i] = PASS if v * vq >= vp * r else FAIL
            vr.shortfall[i] = max(need - v, 0.0)
    return out


def _short(area: float, minimum: float, exact: Callable[[], Decimal]) -> float:
    """How far ``area`` is below ``minimum``; decided exactly near the boundary."""
    if abs(area - minimum) <= _REL * max(1.0, minimum):
        return float(max(exact(), Decimal(0)))
    return max(minimum - area, 0.0)


def _over(office: float, limit: float, exact: Callable[[], Decimal]) -> float:
    if abs(office - limit) <= _REL * max(1.0, limit):
        return float(exact())
    return office - limit


def exact_area_shortfall(c: Any, params: RuleParameters, i: int) -> Decimal:
    """Exact facility-area shortfall of row ``i`` in m² (≤ 0 when the area suffices)."""
    minimum = params.base_minimum(c.kind[i])
    if c.new_or_renovated[i]:
        minimum = max(minimum, params.new_minimum)
    if not math.isnan(c.households[i]):
        minimum = max(minimum, params.per_household_area(c.households[i]))
    return minimum - _exact(c.area[i])


def _exact_office_limit(c: Any, params: RuleParameters, i: int) -> Decimal:
    """Exact office area above the limit for row ``i`` (≤ 0 when within it)."""
    limit = params.office_max
    allowed = _exact(c.area[i]) * Decimal(limit.numerator) / Decimal(limit.denominator)
    return _exact(c.office[i]) - allowed


# -- NumPy ------------------------------------------------------------------------------


def np_view(values: array[Any]) -> Any:
    """A NumPy view of an ``array.array`` (no copy)."""
    import numpy as np

    kind = {"d": "f8", "b": "i1", "l": f"i{values.itemsize}", "q": "i8"}[values.typecode]
    return np.frombuffer(values, dtype=np.dtype(kind)) if len(values) else np.empty(0, kind)


def _to_array(values: Any, typecode: str) -> array[Any]:
    import numpy as np

    out = array(typecode)
    contiguous: Any = np.ascontiguousarray(values, dtype={"d": "f8", "b": "i1"}[typecode])
    out.frombytes(memoryview(contiguous).cast("B"))
    return out


def _numpy(
    dataset: RegionDataset, params: RuleParameters, norms: frozenset[str] = frozenset(RULES)
) -> dict[str, RuleColumns]:
    import numpy as np

    c = dataset.communities
    kind = np_view(c.kind)
    area = np_view(c.area)
    households = np_view(c.households)
    new = np_view(c.new_or_renovated).astype(bool)
    base_table = np.array([float(params.base_minimum(k)) for k in range(len(COMMUNITY_KINDS))])
    minimum = base_table[kind]
    minimum = np.where(new, np.maximum(minimum, float(params.new_minimum)), minimum)
    known_h = ~np.isnan(households)
    per_100 = float(params.per_100)
    if params.rounding is Rounding.PER_STARTED_HUNDRED:
        per_h = per_100 * np.ceil(households / 100)
    else:
        per_h = per_100 * households / 100
    minimum = np.where(known_h, np.fmax(minimum, per_h), minimum)
    known_a = ~np.isnan(area)
    with np.errstate(invalid="ignore"):
        short = np.where(known_a, np.maximum(minimum - area, 0.0), np.nan)
        near = known_a & (np.abs(area - minimum) <= _REL * np.maximum(1.0, minimum))
    for i in np.flatnonzero(near).tolist():
        short[i] = float(max(exact_area_shortfall(c, params, i), Decimal(0)))
    status = np.full(len(c), UNKNOWN, dtype=np.int8)
    status[known_a & (short > 0)] = FAIL
    status[known_a & (short <= 0) & known_h] = PASS
    shortfall = np.where(status == UNKNOWN, np.nan, short)
    out = {
        "facility_area": RuleColumns(
            status=_to_array(status, "b"),
            measured=array("d", c.area),
            required=_to_array(minimum, "d"),
            shortfall=_to_array(shortfall, "d"),
        )
    }
    if "office_share" in norms:
        out["office_share"] = _numpy_office(c, params, area, known_a)
    if "barrier_free" in norms:
        out["barrier_free"] = _numpy_barrier_free(c, params)
    if "volunteer_ratio" in norms:
        out["volunteer_ratio"] = _numpy_volunteers(c, params)
    return out


def _numpy_office(c: Any, params: RuleParameters, area: Any, known_a: Any) -> RuleColumns:
    import numpy as np

    office = np_view(c.office)
    om = float(params.office_max)
    with np.errstate(invalid="ignore", divide="ignore"):
        has = known_a & (area > 0)
        known_o = has & ~np.isnan(office)
        limit = om * area
        excess = office - limit
        near = known_o & (np.abs(office - limit) <= _REL * np.maximum(1.0, limit))
        for i in np.flatnonzero(near).tolist():
            excess[i] = float(_exact_office_limit(c, params, i))
        status = np.full(len(c), NA, dtype=np.int8)
        status[~known_a | (has & ~known_o)] = UNKNOWN
        status[known_o & (excess > 0)] = FAIL
        status[known_o & (excess <= 0)] = PASS
        return RuleColumns(
            status=_to_array(status, "b"),
            measured=_to_array(np.where(known_o, office / np.where(has, area, 1.0), np.nan), "d"),
            required=_to_array(np.where(known_o, om, np.nan), "d"),
            shortfall=_to_array(np.where(known_o, np.maximum(excess, 0.0), np.nan), "d"),
        )


def _numpy_barrier_free(c: Any, params: RuleParameters) -> RuleColumns:
    import numpy as np

    count = np_view(c.facilities)
    yes = np_view(c.barrier_free_yes)
    no = np_view(c.barrier_free_no)
    applies = count > 0 if params.barrier_free_required else np.zeros(len(c), dtype=bool)
    status = np.full(len(c), NA, dtype=np.int8)
    status[applies & (no > 0)] = FAIL
    status[applies & (no == 0) & (yes < count)] = UNKNOWN
    status[applies & (no == 0) & (yes >= count)] = PASS
    return RuleColumns(
        status=_to_array(status, "b"),
        measured=_to_array(np.where(applies, yes, np.nan), "d"),
        required=_to_array(np.where(applies, count, np.nan), "d"),
        shortfall=_to_array(
            np.where(status == FAIL, no, np.where(status == PASS, 0.0, np.nan)), "d"
        ),
    )


def _numpy_volunteers(c: Any, params: RuleParameters) -> RuleColumns:
    import numpy as np

    v = np_view(c.volunteers)
    r = np_view(c.residents)
    vol = params.volunteer_share
    vp, vq = vol.numerator, vol.denominator
    known = ~np.isnan(v) & ~np.isnan(r)
    positive = known & (r > 0)
    status = np.full(len(c), UNKNOWN, dtype=np.int8)
    status[known & (r == 0)] = NA
    with np.errstate(invalid="ignore", divide="ignore"):
        ok = v * vq >= vp * r
        status[positive & ok] = PASS
        status[positive & ~ok] = FAIL
        whole = np.where(positive, r, 0).astype(np.int64)
        need = ((whole * vp + vq - 1) // vq).astype(np.float64)
        return RuleColumns(
            status=_to_array(status, "b"),
            measured=_to_array(np.where(positive, v / np.where(positive, r, 1.0), np.nan), "d"),
            required=_to_array(np.full(len(c), float(vol)), "d"),
            shortfall=_to_array(np.where(positive, np.maximum(need - v, 0.0), np.nan), "d"),
        )


def evaluate(
    dataset: RegionDataset,
    params: RuleParameters,
    *,
    use_numpy: bool | None = None,
    norms: Iterable[str] | None = None,
) -> dict[str, RuleColumns]:
    """Evaluate every per-community rule over the dataset's columns.

    Args:
        dataset: the region.
        params: the parameters in force.
        use_numpy: force the NumPy path (``True``) or the pure-Python one (``False``);
            by default NumPy when it is installed.
        norms: only these norms (NumPy path; the facility area is always evaluated).

    Returns:
        One :class:`RuleColumns` per rule of :data:`RULES`.
    """
    if use_numpy is None:
        use_numpy = have_numpy()
    if use_numpy:
        chosen = frozenset(RULES if norms is None else norms)
        return _numpy(dataset, params, chosen)
    return _python(dataset, params)
