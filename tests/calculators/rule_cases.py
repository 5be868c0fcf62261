"""Load the rule cases of ``tests/cases/**`` and run them through the calculators.

A case file holds ``[[cases]]`` tables; each names its clause and has a sentence for a
name, the calculator, the subject (a community, a worker, or lists of counties, streets,
committees, workers, communities), optional keyword arguments, an evaluation date,
overrides, and the expected status and figures.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs

from sqfw import calculators
from sqfw.calculators import Result
from sqfw.entities import (
    Committee,
    Community,
    CommunityWorker,
    Division,
    Facility,
    SmartCommunity,
    TrainingRecord,
)
from sqfw.standards import default_standards

CASES = Path(__file__).resolve().parent.parent / "cases"
_ANSWER = {"yes": True, "no": False, "unknown": None}
_CASE_KEYS = {"name", "clause", "calculator", "on", "args", "overrides", "expect"}
_SUBJECT_KEYS = {
    "community",
    "worker",
    "workers",
    "counties",
    "streets",
    "committees",
    "communities",
}


@attrs.frozen
class Case:
    """One rule case read from a file."""

    file: str
    name: str
    clause: str
    calculator: str
    subject_key: str
    subject: Any
    args: dict[str, Any]
    on: str | None
    overrides: dict[str, Any]
    expect: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.clause} {self.name}"


def load_cases() -> Iterator[Case]:
    """Every case of every file under ``tests/cases``, in file order."""
    for path in sorted(CASES.rglob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        for raw in data["cases"]:
            keys = set(raw)
            subject_keys = keys & _SUBJECT_KEYS
            unknown = keys - _CASE_KEYS - _SUBJECT_KEYS
            assert not unknown, f"{path}: unknown keys {unknown}"
            assert len(subject_keys) == 1, f"{path}: {raw['name']}: one subject expected"
            (key,) = subject_keys
            yield Case(
                file=str(path.relative_to(CASES)),
                name=raw["name"],
                clause=raw["clause"],
                calculator=raw["calculator"],
                subject_key=key,
                subject=raw[key],
                args={k: None if v == "unknown" else v for k, v in raw.get("args", {}).items()},
                on=raw.get("on"),
                overrides=dict(raw.get("overrides", {})),
                expect=dict(raw["expect"]),
            )


def facility(raw: dict[str, Any], index: int) -> Facility:
    fields = {"id": f"f{index}", "kind": "comprehensive", **raw}
    return Facility(**fields)


def community(raw: dict[str, Any], index: int = 1) -> Community:
    fields = {"code": f"150102001{index:03d}", "name": f"测试社区{index}", "kind": "urban", **raw}
    fields["facilities"] = [facility(f, i) for i, f in enumerate(raw.get("facilities", []))]
    if "smart" in raw:
        fields["smart"] = SmartCommunity(**{k: _ANSWER[v] for k, v in raw["smart"].items()})
    return Community(**fields)


def worker(raw: dict[str, Any], index: int = 1) -> CommunityWorker:
    fields = {
        "id": f"w{index}",
        "name": "张三",
        "community_code": "150102001001",
        "education": "senior_secondary",
        "term_start": "2018-01-01",
        **raw,
    }
    fields["trainings"] = [
        TrainingRecord(id=f"t{i}", on=day, title="培训")
        for i, day in enumerate(raw.get("trainings", []))
    ]
    return CommunityWorker(**fields)


def county(answer: str, index: int) -> Division:
    return Division(
        code=f"1501{index:02d}000000",
        name=f"旗{index}",
        kind="banner",
        meets_pay_requirements=_ANSWER[answer],
    )


def street(answer: str, index: int) -> Division:
    return Division(
        code=f"150102{index:03d}000",
        name=f"街道{index}",
        kind="street",
        public_service_hall=_ANSWER[answer],
    )


def committee(raw: str | dict[str, Any], index: int) -> Committee:
    fields: dict[str, Any] = {"term": 10, "kind": "residents"}
    fields.update({"method": raw} if isinstance(raw, str) else raw)
    return Committee(**fields)


_BUILD: dict[str, Callable[[Any], Any]] = {
    "community": community,
    "worker": worker,
    "workers": lambda xs: [worker(x, i) for i, x in enumerate(xs, 1)],
    "communities": lambda xs: [community(x, i) for i, x in enumerate(xs, 1)],
    "counties": lambda xs: [county(x, i) for i, x in enumerate(xs, 1)],
    "streets": lambda xs: [street(x, i) for i, x in enumerate(xs, 1)],
    "committees": lambda xs: [committee(x, i) for i, x in enumerate(xs, 1)],
}


def run(case: Case) -> Result:
    """Build the subject, apply the overrides, call the calculator."""
    standards = default_standards()
    if case.overrides:
        standards = standards.with_overrides(case.overrides, source=f"case: {case.name}")
    function = getattr(calculators, case.calculator)
    subject = _BUILD[case.subject_key](case.subject)
    result: Result = function(subject, on=case.on, standards=standards, **case.args)
    return result


def exact(value: object) -> Fraction:
    """A figure from a case file (int, Decimal, '1/5') as an exact Fraction."""
    if isinstance(value, str):
        return Fraction(value)
    assert isinstance(value, int | Decimal | Fraction)
    return Fraction(value)


ALL_CASES: list[Case] = list(load_cases())
"""Every case of every file, loaded once."""
