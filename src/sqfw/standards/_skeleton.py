"""A user's plan for a new period, started from an existing one: ``sqfw plans new``.

:func:`write_plan_skeleton` writes a plan folder (``plan.toml``, ``parameters/``,
``targets.toml``) for a new period, layered like the plan it starts from: the same layer,
bases, jurisdiction, norms and targets, and each of that plan's parameters with one value
for the new period. Every field and value to be filled is marked ``user_supplied``: the
loader refuses the plan until each is filled (a value and its citation) or explicitly
carried (``carried_forward = true`` and a note), so a skeleton is never assessed as if it
were a plan.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
import os
import re
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from sqfw._args import expect_items, path_argument
from sqfw._files import atomic_write
from sqfw.errors import InvalidArgumentError
from sqfw.periods import format_date
from sqfw.standards._model import Citation, Parameter, Value
from sqfw.standards._plans import Plan, bundled_plans, get_plan

__all__ = ["write_plan_skeleton"]

_PERIOD = re.compile(r"^(\d{4})-(\d{4})$")
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_TO_FILL = ["label_zh", "label_en", "document", "issuer", "source"]


def _s(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string


def _value(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Fraction):
        return _s(f"{value.numerator}/{value.denominator}")
    if isinstance(value, Decimal):
        return _s(str(value))
    return str(value)


def _citation(c: Citation) -> str:
    parts = [f"document = {_s(c.document)}", f"clause = {_s(c.clause)}", f"quote = {_s(c.quote)}"]
    if c.article:
        parts.append(f"article = {_s(c.article)}")
    return "{ " + ", ".join(parts) + " }"


def _parameter(key: str, p: Parameter, start: str, end: str, base: Plan) -> list[str]:
    lines = [
        f"[{key}]",
        f"label_zh = {_s(p.label_zh)}",
        f"label_en = {_s(p.label_en)}",
        f"unit = {_s(p.unit.value)}",
    ]
    if p.description:
        lines.append(f"description = {_s(p.description)}")
    if p.must_supply:
        assert p.citation is not None
        lines += ["must_supply = true", f"citation = {_citation(p.citation)}"]
    if p.values:
        last = p.values[-1]
        lines += [
            "",
            f"# {base.id}: {_value(last.value)} until {format_date(base.end or last.start)}",
            f"[[{key}.values]]",
            f"start = {start}",
            f"end = {end}",
            f"value = {_value(last.value)}",
            f"citation = {_citation(last.citation)}",
            f"note = {_s(f'carried from {base.id}: fill in the new value, or keep it')}",
            "user_supplied = true",
        ]
    return [*lines, ""]


def write_plan_skeleton(
    plan_id: str,
    *,
    base: Plan | str,
    period: str,
    output: str | os.PathLike[str],
    plans: tuple[Plan, ...] = (),
) -> Path:
    """Write a plan skeleton for a new period, started from ``base``.

    Args:
        plan_id: the new plan's id (lower case letters, digits and ``-``).
        base: the plan to start from, by id or object (``"cn-14th"``).
        period: its years, ``"2026-2030"`` (1 January to 31 December).
        output: the folder to write; it must not exist or be empty.
        plans: a user's own plans, for ``base`` and to check the id is free.

    Returns:
        The folder written.

    Raises:
        InvalidArgumentError: a malformed id or period, an id that is taken, or an output
            folder that is not empty.
        PlanNotFound: an unknown ``base``.

    .. versionadded:: 0.1.0
    """
    if not isinstance(plan_id, str) or not _ID.match(plan_id):
        raise InvalidArgumentError("id", plan_id, "an id of lower case letters, digits and '-'")
    plans = expect_items("plans", plans, Plan)
    if not isinstance(base, Plan | str):
        raise InvalidArgumentError("base", base, "a Plan or a plan's id")
    if plan_id in {p.id for p in (*bundled_plans(), *plans)}:
        raise InvalidArgumentError("id", plan_id, "an id no other plan has")
    match = _PERIOD.match(period) if isinstance(period, str) else None
    if match is None or int(match[1]) > int(match[2]):
        raise InvalidArgumentError("--period", period, "years like 2026-2030")
    start, end = f"{match[1]}-01-01", f"{match[2]}-12-31"
    source = get_plan(base, plans=plans) if isinstance(base, str) else base
    folder = path_argument("output", output)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InvalidArgumentError("--output", str(folder), "a new or empty folder")
    jurisdiction = source.jurisdiction
    header = [
        f"# A plan of {match[1]}–{match[2]} started from {source.id} ({source.period_text}).",
        "# Fill every field listed in user_supplied, then remove it from the list; in",
        "# parameters/, fill or explicitly carry every value marked user_supplied = true.",
        f"id = {_s(plan_id)}",
        f"layer = {_s(source.layer)}",
        f"label_zh = {_s(source.label_zh + '(待填写)')}",
        f"label_en = {_s(source.label_en + ' (to fill)')}",
        f"document = {_s('待填写 / to fill')}",
        f"issuer = {_s(source.issuer)}",
        f"source = {_s('待填写 / to fill')}",
        f"base = [{', '.join(_s(b) for b in source.base)}]",
        f"norms = [{', '.join(_s(n) for n in source.norms)}]",
        f"user_supplied = [{', '.join(_s(k) for k in _TO_FILL)}]",
        "",
        "[period]",
        f"start = {start}",
        f"end = {end}",
        "",
        "[jurisdiction]",
        *([f"code = {_s(jurisdiction.code)}"] if jurisdiction.code else []),
        f"name_zh = {_s(jurisdiction.name_zh)}",
        f"name_en = {_s(jurisdiction.name_en)}",
    ]
    files: dict[str, list[str]] = defaultdict(list)
    for pid in source.parameters:
        prefix, _, key = pid.rpartition(".")
        files[prefix] += _parameter(key, source.parameters.parameter(pid), start, end, source)
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_write(folder / "plan.toml") as out:
        out.write("\n".join(header) + "\n")
    for prefix, lines in files.items():
        path = folder / "parameters" / Path(*prefix.split(".")).with_suffix(".toml")
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as out:
            out.write("\n".join(lines))
    targets = source.targets_text()
    if targets is not None:
        with atomic_write(folder / "targets.toml") as out:
            out.write(targets)
    return folder
