"""The assessment as plain data (the JSON output of ``sqfw assess --format json``).

Numbers keep their exactness as text: ratios as ``"1/5"`` plus a float ``"…_value"`` for
convenience, areas as decimal strings. The shape is described in ``docs/analysis.md``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from fractions import Fraction
from typing import IO, TYPE_CHECKING, Any, TextIO

from sqfw._files import atomic_write
from sqfw._terminal import terminal_progress
from sqfw._version import __version__
from sqfw.reports._lines import Written, check_findings, exact, finding_lines, write_lines
from sqfw.standards import ParameterValue

if TYPE_CHECKING:
    from collections.abc import Callable

    from sqfw.analysis import Assessment, Place, TargetResult

__all__ = ["assessment_dict", "write_assessment_json"]


def _float(value: Fraction | Decimal | int | None) -> float | None:
    return None if value is None else float(value)


def _place(place: Place) -> dict[str, Any]:
    return {
        "level": place.level.name.lower(),
        "code": place.code,
        "name": place.name,
        "parent": place.parent_code,
    }


def _parameter(p: ParameterValue) -> dict[str, Any]:
    value = p.value
    return {
        "id": p.id,
        "value": value if isinstance(value, bool | int) else exact(value),
        "period": p.period_text,
        "clause": p.citation.clause,
        "citation": str(p.citation),
        "assumption": p.assumption,
        "override": str(p.override) if p.override is not None else None,
    }


def _target(t: TargetResult) -> dict[str, Any]:
    return {
        "target": t.target.id,
        "clauses": list(t.target.clauses),
        "level": t.place.level.name.lower(),
        "place": t.place.code,
        "attainment": t.attainment.value,
        "measured": exact(t.measured),
        "measured_value": _float(t.measured),
        "required": exact(t.required),
        "gap": exact(t.gap),
        "gap_unit": t.target.gap_unit.value,
        "parameters": [p.id for p in t.parameters],
        "explanation_zh": t.explanation_zh,
        "explanation_en": t.explanation_en,
        "carried_forward": None if t.carried_forward is None else t.carried_forward.as_dict(),
    }


def assessment_dict(a: Assessment, *, findings: str) -> dict[str, Any]:
    """Everything an assessment says, as JSON-ready data."""
    found = [json.loads(line) for line in finding_lines(a, findings)]
    parameters: dict[str, ParameterValue] = dict(a.parameters.lookups)
    for t in a.targets_at():
        for p in t.parameters:
            parameters.setdefault(p.id, p)
    return {
        "sqfw_version": __version__,
        "kind": "assessment",
        "on": str(a.on),
        "plan_in_force": None if a.in_force is None else a.in_force.as_dict(),
        "region": _place(a.region),
        "source": a.dataset.source,
        "communities": len(a.dataset),
        "standards": {
            "name": a.standards.name,
            "overrides": [str(o) for o in a.standards.overrides_in_force(a.on)],
            "rounding": a.parameters.rounding.value,
        },
        "parameters": [_parameter(p) for p in parameters.values()],
        "places": [_place(p) for p in a.places],
        "sets_region_targets": a.sets_region_targets,
        "targets": [_target(t) for t in a.targets],
        "indicators": [
            {
                "indicator": v.indicator.id,
                "clauses": list(v.indicator.clauses),
                "level": v.place.level.name.lower(),
                "place": v.place.code,
                "numerator": exact(v.numerator),
                "denominator": v.denominator,
                "unknown": v.unknown,
                "value": exact(v.value),
                "value_float": _float(v.value),
            }
            for v in a.indicators
        ],
        "norms": {norm: {s.value: n for s, n in a.status_counts(norm).items()} for norm in a.runs},
        "process_indicators": [
            {
                "indicator": i.id,
                "clauses": list(i.clauses),
                "level": i.level,
                "place": i.place,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "value": exact(i.value),
                "value_float": _float(i.value),
            }
            for i in a.process_indicators
        ],
        "service_indicators": [
            {
                key: exact(value) if isinstance(value, Fraction) else value
                for key, value in r.as_dict().items()
            }
            for r in a.service_indicators
        ],
        "findings_included": findings,
        "findings": found,
        "skipped_rows": [
            {"source": s.source, "row": s.row, "column": s.column, "reason": s.reason}
            for s in a.skipped
        ],
    }


def write_assessment_json(
    a: Assessment,
    stream: IO[str],
    *,
    findings: str,
    indent: int | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    workers: int | None = None,
    verbatim: bool = False,
) -> Written:
    """Write :func:`assessment_dict` as JSON, the findings one per line as they are built.

    A national assessment has millions of findings: they are never all in memory.
    ``progress`` is called with ("writing", findings written, findings in all);
    ``workers`` and ``verbatim`` are as for :func:`sqfw.reports._lines.write_lines`.
    """
    check_findings(findings)  # before anything is written
    gap = "\n" + " " * indent if indent is not None else " "
    skipped: list[Any] = []

    def head() -> None:  # made while other processes write their shares of the findings
        said = assessment_dict(a, findings="none")
        said["findings_included"] = findings
        del said["findings"]
        skipped.extend(said.pop("skipped_rows"))
        text = json.dumps(said, ensure_ascii=False, indent=indent)
        stream.write(text[: text.rindex("}")].rstrip() + f',{gap}"findings": [\n')

    written = write_lines(
        a,
        stream,
        findings,
        sep=",\n",
        end="",
        stage="writing",
        progress=progress,
        workers=workers,
        verbatim=verbatim,
        before=head,
    )
    skipped_text = json.dumps(skipped, ensure_ascii=False)
    stream.write(f'\n],{gap}"skipped_rows": {skipped_text}\n}}\n')
    return written


def assessment_json(a: Assessment, *, findings: str, indent: int | None = 2) -> str:
    """:func:`assessment_dict` as JSON text (UTF-8, Chinese kept as is)."""
    return json.dumps(assessment_dict(a, findings=findings), ensure_ascii=False, indent=indent)


def write_json_to(
    a: Assessment,
    target: str | os.PathLike[str] | TextIO,
    *,
    findings: str,
    indent: int | None = 2,
) -> None:
    """:func:`write_assessment_json` to a path (UTF-8, atomically) or an open text stream."""
    progress = terminal_progress()  # a bar on a terminal, once writing takes a second
    if isinstance(target, str | os.PathLike):
        with atomic_write(target, "w", encoding="utf-8") as stream:
            write_assessment_json(
                a, stream, findings=findings, indent=indent, verbatim=True, progress=progress
            )
    else:
        write_assessment_json(a, target, findings=findings, indent=indent, progress=progress)
