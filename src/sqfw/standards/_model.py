"""The typed model of the standards: units, citations, dated values, parameters.

A :class:`Parameter` is one number of the plan (or of a law the plan relies on): a dotted
id, bilingual labels, a :class:`Unit` and a sequence of :class:`DatedValue` ordered by
date, each with a :class:`Citation`. Looking a parameter up on a date gives a
:class:`ParameterValue`: the value in force, its period, its citation and any note, plus
the :class:`Override` that replaced it, if one did.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import attrs
import pendulum

from sqfw.labels import LabeledEnum
from sqfw.periods import format_date

__all__ = [
    "CLAUSE_PATTERN",
    "Citation",
    "DatedValue",
    "Override",
    "Parameter",
    "ParameterValue",
    "Unit",
    "Value",
]

Value = Fraction | Decimal | int | bool
"""A parameter's value: exact numbers only (ratios as Fraction, areas as Decimal)."""

CLAUSE_PATTERN = re.compile(r"^§[1-9][0-9]*\.[1-9][0-9]*$")
"""A clause id of ``REQUIREMENTS.md``: ``§`` section ``.`` item, e.g. ``§2.1``."""


class Unit(LabeledEnum):
    """The closed list of units a parameter may have; each fixes the value's Python type.

    ``m2`` and ``m2_per_100_households`` are :class:`~decimal.Decimal`; ``ratio`` is
    :class:`~fractions.Fraction`; ``count`` and ``years`` are ``int``; ``flag`` is ``bool``.
    """

    M2 = "m2"
    M2_PER_100_HOUSEHOLDS = "m2_per_100_households"
    RATIO = "ratio"
    COUNT = "count"
    YEARS = "years"
    FLAG = "flag"

    __labels__ = {
        "m2": ("平方米", "m²"),
        "m2_per_100_households": ("平方米/百户", "m² per 100 households"),
        "ratio": ("比例", "ratio"),
        "count": ("个(人、次)", "count"),
        "years": ("年", "years"),
        "flag": ("是/否", "yes/no"),
    }

    @property
    def symbol(self) -> str:
        """A short symbol to print after a number (``"m²"``, ``""`` for a ratio)."""
        return _SYMBOLS[self.value]


_SYMBOLS = {
    "m2": "m²",
    "m2_per_100_households": "m²/100户",
    "ratio": "",
    "count": "",
    "years": "年",
    "flag": "",
}


@attrs.frozen(kw_only=True)
class Citation:
    """Where a value comes from.

    Attributes:
        document: the document's title, e.g. the plan or a law with its revision.
        clause: the clause id of ``REQUIREMENTS.md`` the value serves (``§2.1``).
        quote: the short quote of the source text the value is read from.
        article: the article of a law (``"第十五条"``), when the document is a law.
    """

    document: str
    clause: str
    quote: str
    article: str | None = None

    def __str__(self) -> str:
        article = f" {self.article}" if self.article else ""
        return f"{self.document}{article} ({self.clause}): “{self.quote}”"


@attrs.frozen(kw_only=True)
class DatedValue:
    """One value of a parameter and the period it is in force (``end`` inclusive).

    Attributes:
        start: first day in force.
        end: last day in force; ``None`` while it has no end.
        value: the value, of the type the parameter's unit fixes.
        citation: where it comes from.
        note: a remark a reader must see with the value (e.g. which text was applied).
        assumption: the value is a documented default, not a figure of the source.
        carried_forward: the value of an earlier text carried forward into a later one
            that has not been checked against it ("carried forward, unverified").
    """

    start: pendulum.Date
    end: pendulum.Date | None
    value: Value
    citation: Citation
    note: str | None = None
    assumption: bool = False
    carried_forward: bool = False

    def covers(self, on: pendulum.Date) -> bool:
        """Whether the value is in force on ``on``."""
        return self.start <= on and (self.end is None or on <= self.end)

    @property
    def period_text(self) -> str:
        """``"2016-01-01–2020-12-31"`` or ``"2018-12-29–"``."""
        end = format_date(self.end) if self.end is not None else ""
        return f"{format_date(self.start)}–{end}"


@attrs.frozen(kw_only=True)
class Parameter:
    """A named number of the standards with its dated values.

    Attributes:
        id: the dotted id; its prefix is the data file's folder path.
        label_zh: Chinese label.
        label_en: English label.
        unit: a :class:`Unit`.
        values: the dated values, in date order, never overlapping.
        description: an optional longer explanation.
        must_supply: the source names the parameter but not its value: the user supplies
            it (an override or their own plan); until then a lookup raises
            :class:`~sqfw.errors.ValueNotSupplied`.
        citation: for a parameter the user must supply, where the source names it.
        origin: the id of the standards set (plan) it was loaded from.
        layer: that set's layer (``"law"``, ``"national"``, ``"regional"``, ``"local"``).
    """

    id: str
    label_zh: str
    label_en: str
    unit: Unit
    values: tuple[DatedValue, ...]
    description: str | None = None
    must_supply: bool = False
    citation: Citation | None = None
    origin: str | None = None
    layer: str | None = None

    @property
    def clause(self) -> str:
        """The clause id of the latest value (or of the citation naming the parameter)."""
        if self.values:
            return self.values[-1].citation.clause
        assert self.citation is not None
        return self.citation.clause

    @property
    def source_text(self) -> str:
        """``"set id (layer)"``, or ``""`` when loaded outside a plan."""
        if self.origin is None:
            return ""
        return f"{self.origin} ({self.layer})" if self.layer else self.origin

    @property
    def periods_text(self) -> str:
        """Every period with a value, for messages."""
        return ", ".join(v.period_text for v in self.values) or "none"


@attrs.frozen(kw_only=True)
class Override:
    """A value that replaces a parameter's own, recorded so every result can name it.

    Attributes:
        parameter_id: the parameter replaced.
        value: the new value (already of the unit's type).
        source: who or what set it (a file, a local measure).
        start: first day it applies; ``None`` for every day.
        end: last day it applies; ``None`` for no end.
        note: why, in the user's words.
    """

    parameter_id: str
    value: Value
    source: str
    start: pendulum.Date | None = None
    end: pendulum.Date | None = None
    note: str | None = None

    def covers(self, on: pendulum.Date) -> bool:
        """Whether the override applies on ``on``."""
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)

    def __str__(self) -> str:
        start = format_date(self.start) if self.start else ""
        end = format_date(self.end) if self.end else ""
        period = f" [{start}–{end}]" if self.start or self.end else ""
        return f"{self.parameter_id} = {show(self.value)}{period} ({self.source})"


@attrs.frozen(kw_only=True)
class ParameterValue:
    """The answer to a lookup: the value in force on a date and everything to trace it.

    Attributes:
        parameter: the :class:`Parameter` looked up.
        on: the date asked for.
        value: the value in force.
        start: first day of the period the value holds.
        end: last day of that period (``None``: no end).
        citation: where the value comes from (for an override: the override's source).
        note: a remark to show with the value, e.g. which legal text was applied.
        assumption: the value is a documented default rather than a figure of the source.
        override: the :class:`Override` that supplied the value, if any.
        carried_forward: an earlier text's value carried forward, unverified against the
            text in force.
    """

    parameter: Parameter
    on: pendulum.Date
    value: Value
    start: pendulum.Date | None
    end: pendulum.Date | None
    citation: Citation
    note: str | None = None
    assumption: bool = False
    override: Override | None = None
    carried_forward: bool = False

    @property
    def origin(self) -> str:
        """Where the value came from: the override's source, or the set and layer."""
        if self.override is not None:
            return f"override: {self.override.source}"
        return self.parameter.source_text

    @property
    def id(self) -> str:
        """The parameter's dotted id."""
        return self.parameter.id

    @property
    def period_text(self) -> str:
        """The period in force as text."""
        start = format_date(self.start) if self.start is not None else ""
        end = format_date(self.end) if self.end is not None else ""
        return f"{start}–{end}"

    def describe(self) -> str:
        """One line: id, value, period, citation, and any override or note."""
        parts = [
            f"{self.id} = {show(self.value)}{self.parameter.unit.symbol}",
            f"[{self.period_text}]",
            str(self.citation),
        ]
        if self.override is not None:
            parts.append(f"override by {self.override.source}")
        if self.override is None and self.parameter.origin is not None:
            parts.append(f"from {self.parameter.source_text}")
        if self.assumption:
            parts.append("assumption/默认假设")
        if self.carried_forward:
            parts.append("carried forward, unverified / 沿用旧文本数值,未经核对")
        if self.note:
            parts.append(self.note)
        return "; ".join(parts)


def show(value: Value) -> str:
    """Render a value exactly and plainly: ``1/2``, ``300``, ``true``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else str(value)
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)
