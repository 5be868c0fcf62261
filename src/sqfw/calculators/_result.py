"""The explained result every calculator returns, and the helpers that build it.

A :class:`Result` says whether a norm is met (:class:`Status`), what was measured and what
was required, the shortfall in the norm's unit, every parameter read (with its period and
citation), the overrides in force among them, the assumptions made, and one line each in
Chinese and English. Sub-checks (each rule of a combined norm, each facility, each worker)
are :class:`Finding` objects in ``findings``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum

from sqfw.errors import InvalidArgumentError
from sqfw.labels import LabeledEnum, Lang, check_lang
from sqfw.periods import as_date
from sqfw.standards import Override, ParameterValue, Standards, Unit, default_standards

__all__ = [
    "PLAN_TARGET_DATE",
    "Finding",
    "Measure",
    "Reader",
    "Result",
    "Status",
    "combine",
    "every",
    "fmt",
]

Measure = Fraction | Decimal | int | bool
"""A measured, required or shortfall figure: always exact."""

PLAN_TARGET_DATE = pendulum.Date(2020, 12, 31)
""""到2020年" read as 2020-12-31 (Asia/Shanghai): the default evaluation date."""


class Status(LabeledEnum):
    """The outcome of a check."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"

    __labels__ = {
        "pass": ("达标", "pass"),
        "fail": ("未达标", "fail"),
        "unknown": ("无法判断", "unknown"),
        "not_applicable": ("不适用", "not applicable"),
    }


def every(passed: int, failed: int, unknown: int) -> Status:
    """ "Every member meets its norm": any failure fails, then any unknown is unknown.

    Without a member that the norm applies to, it does not apply.
    """
    if failed:
        return Status.FAIL
    if unknown:
        return Status.UNKNOWN
    return Status.PASS if passed else Status.NOT_APPLICABLE


def combine(statuses: Iterable[Status]) -> Status:
    """The overall status of several checks: any fail fails, then any unknown is unknown.

    Decided from the counts by :func:`every`, which the region targets use too.
    """
    counts = Counter(statuses)
    return every(counts[Status.PASS], counts[Status.FAIL], counts[Status.UNKNOWN])


@attrs.frozen(kw_only=True)
class Finding:
    """One sub-check of a result: a rule of a combined norm, a facility, a worker.

    Attributes:
        subject: what was checked (a rule's name, a facility id, a worker id).
        clause: the clause id the check serves.
        status: its :class:`Status`.
        measured: the figure found, if any.
        required: the figure required, if any.
        shortfall: how far short (or over a maximum), in ``unit``.
        unit: the unit of the figures.
        explanation_zh: one line in Chinese.
        explanation_en: one line in English.
    """

    subject: str
    clause: str
    status: Status
    explanation_zh: str
    explanation_en: str
    measured: Measure | None = None
    required: Measure | None = None
    shortfall: Measure | None = None
    unit: Unit | None = None


@attrs.frozen(kw_only=True)
class Result:
    """The explained outcome of one norm for one subject.

    Attributes:
        norm: the calculator's name, e.g. ``"facility_area"``.
        clauses: the clause ids applied, e.g. ``("§2.1", "§2.12")``.
        subject: what was assessed (a community code, ``"region"``, a worker id).
        on: the evaluation date.
        status: :class:`Status`.
        measured: the measured figure (``None`` when unknown).
        required: the required figure.
        shortfall: how far short of the norm (or over a maximum), in ``shortfall_unit``.
        unit: the unit of ``measured`` and ``required``.
        shortfall_unit: the unit of ``shortfall`` (persons for a share of people …).
        parameters: every parameter read, with value, period and citation.
        overrides: the overrides that supplied any of those values.
        assumptions: the assumptions the result rests on, in words.
        findings: the sub-checks.
        explanation_zh: one line in Chinese.
        explanation_en: one line in English.
    """

    norm: str
    clauses: tuple[str, ...]
    subject: str
    on: pendulum.Date
    status: Status
    explanation_zh: str
    explanation_en: str
    measured: Measure | None = None
    required: Measure | None = None
    shortfall: Measure | None = None
    unit: Unit | None = None
    shortfall_unit: Unit | None = None
    parameters: tuple[ParameterValue, ...] = ()
    overrides: tuple[Override, ...] = ()
    assumptions: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()

    @property
    def clause(self) -> str:
        """The first (main) clause id."""
        return self.clauses[0]

    @property
    def passed(self) -> bool:
        """``True`` only for :attr:`Status.PASS`."""
        return self.status is Status.PASS

    def explanation(self, lang: Lang = "zh") -> str:
        """The one-line explanation in ``lang`` (``"zh"`` or ``"en"``).

        Raises:
            InvalidArgumentError: ``lang`` is neither ``"zh"`` nor ``"en"``.
        """
        return self.explanation_zh if check_lang(lang) == "zh" else self.explanation_en

    def trace(self) -> str:
        """Every parameter read, override and assumption, one per line."""
        lines = [f"{self.norm} {'/'.join(self.clauses)} [{self.status.value}] {self.subject}"]
        lines += [f"  parameter: {p.describe()}" for p in self.parameters]
        lines += [f"  override: {o}" for o in self.overrides]
        lines += [f"  assumption: {a}" for a in self.assumptions]
        return "\n".join(lines)


class Reader:
    """Reads parameters for one calculation and remembers each lookup for the trace."""

    def __init__(self, standards: Standards | None, on: pendulum.Date | str | None) -> None:
        if standards is not None and not isinstance(standards, Standards):
            raise InvalidArgumentError("standards", standards, "a Standards or None")
        self.standards = standards if standards is not None else default_standards()
        self.on = PLAN_TARGET_DATE if on is None else as_date(on)
        self._used: dict[str, ParameterValue] = {}
        self._assumptions: list[str] = []

    def lookup(self, parameter_id: str) -> ParameterValue:
        """Look a parameter up on the evaluation date and record it."""
        found = self._used.get(parameter_id)
        if found is None:
            found = self.standards.lookup(parameter_id, self.on)
            self._used[parameter_id] = found
            if found.assumption:
                self.assume(found.note or f"{parameter_id} is a default assumption")
        return found

    def ratio(self, parameter_id: str) -> Fraction:
        """A ratio parameter."""
        value = self.lookup(parameter_id).value
        if not isinstance(value, Fraction):
            raise TypeError(f"{parameter_id}: expected a ratio, got {value!r}")
        return value

    def area(self, parameter_id: str) -> Decimal:
        """An area parameter (m² or m² per 100 households)."""
        value = self.lookup(parameter_id).value
        if not isinstance(value, Decimal):
            raise TypeError(f"{parameter_id}: expected an area, got {value!r}")
        return value

    def count(self, parameter_id: str) -> int:
        """A whole-number parameter."""
        value = self.lookup(parameter_id).value
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{parameter_id}: expected a count, got {value!r}")
        return value

    def flag(self, parameter_id: str) -> bool:
        """A yes/no parameter."""
        value = self.lookup(parameter_id).value
        if not isinstance(value, bool):
            raise TypeError(f"{parameter_id}: expected a flag, got {value!r}")
        return value

    def assume(self, text: str) -> None:
        """Record an assumption the result rests on."""
        if text not in self._assumptions:
            self._assumptions.append(text)

    def result(
        self,
        *,
        norm: str,
        clauses: tuple[str, ...],
        subject: str,
        status: Status,
        explanation_zh: str,
        explanation_en: str,
        measured: Measure | None = None,
        required: Measure | None = None,
        shortfall: Measure | None = None,
        unit: Unit | None = None,
        shortfall_unit: Unit | None = None,
        findings: tuple[Finding, ...] = (),
    ) -> Result:
        """Build the :class:`Result`, attaching every parameter read and override used."""
        used = tuple(self._used.values())
        return Result(
            norm=norm,
            clauses=clauses,
            subject=subject,
            on=self.on,
            status=status,
            explanation_zh=explanation_zh,
            explanation_en=explanation_en,
            measured=measured,
            required=required,
            shortfall=shortfall,
            unit=unit,
            shortfall_unit=shortfall_unit if shortfall_unit is not None else unit,
            parameters=used,
            overrides=tuple(p.override for p in used if p.override is not None),
            assumptions=tuple(self._assumptions),
            findings=findings,
        )


def fmt(value: Measure | None, unit: Unit | None = None) -> str:
    """Render a figure for an explanation: ``"300 m²"``, ``"20.00%"``, ``"3"``.

    Ratios are shown as percentages with two decimals, or with ``≈`` and four decimals when
    two would round; the exact figure stays in the result.
    """
    if value is None:
        return "?"
    kind = type(value)
    if kind is Fraction:
        return _percent(value)  # type: ignore[arg-type]
    if kind is bool:
        return "是/yes" if value else "否/no"
    if unit is Unit.RATIO or isinstance(value, Fraction):
        return _percent(Fraction(value))
    key = (value, unit)
    text = _FIGURES.get(key)
    if text is None:
        text = _plain(value)
        if unit in (Unit.M2, Unit.M2_PER_100_HOUSEHOLDS):
            text = f"{text} m²"
        if len(_FIGURES) < 1024:  # minimums and round figures repeat on many rows
            _FIGURES[key] = text
    return text


_FIGURES: dict[tuple[Decimal | int, Unit | None], str] = {}


_PERCENTS: dict[tuple[int, int], str] = {}


def _percent(value: Fraction) -> str:
    key = (value.numerator, value.denominator)
    text = _PERCENTS.get(key)
    if text is None:
        text = _percent_text(*key)
        if len(_PERCENTS) < 1024:  # required shares repeat on every row
            _PERCENTS[key] = text
    return text


def _percent_text(numerator: int, denominator: int) -> str:
    # whole numbers of hundredths of a percent: exact when the share has two decimals
    hundredths, rest = divmod(numerator * 100 * 100, denominator)
    if not rest:
        return f"{_decimals(hundredths, 2)}%"
    # four decimals, the half rounded to even, in whole numbers
    units, rest = divmod(numerator * 100 * 100 * 100, denominator)
    if 2 * rest > denominator or (2 * rest == denominator and units % 2):
        units += 1
    return f"≈{_decimals(units, 4)}%"


def _decimals(units: int, places: int) -> str:
    sign = "-" if units < 0 else ""
    whole, part = divmod(abs(units), 10**places)
    return f"{sign}{whole}.{part:0{places}d}"


def _plain(value: Decimal | int) -> str:
    if isinstance(value, Decimal):
        normal = value.normalize()
        return format(normal, "f")
    return str(value)
