"""The strict loader of standards files (TOML, read with :mod:`tomllib`).

A data folder holds TOML files; the folder path and file name form the prefix of the
dotted ids of the parameters inside (``facility/area.toml`` → ``facility.area.*``). A
table with any of the keys ``label_zh``, ``label_en``, ``unit``, ``values``,
``description`` is a parameter; any other table is a namespace whose keys extend the id::

    [per_100_households]
    label_zh = "每百户社区综合服务设施面积下限"
    label_en = "minimum facility area per 100 households"
    unit = "m2_per_100_households"

    [[per_100_households.values]]
    start = 2016-01-01
    end = 2020-12-31
    value = 30
    citation = { document = "…", clause = "§2.1", quote = "按照每百户不低于30平方米" }

Everything else is an error naming the file, the key path and the problem: an unknown
key, a missing citation, a unit outside :class:`~sqfw.standards.Unit`, a value that does not
fit the unit, dates out of order or overlapping, a clause id not of the form ``§n.n``.
Floats are read as exact decimals.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
import tomllib
from collections.abc import Iterator, Mapping
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import pendulum

from sqfw._args import expect, expect_items
from sqfw._text import require_text
from sqfw.errors import StandardsError
from sqfw.limits import MAX_DEPTH
from sqfw.periods import as_date
from sqfw.standards._coerce import coerce
from sqfw.standards._model import CLAUSE_PATTERN, Citation, DatedValue, Parameter, Unit

__all__ = ["iter_files", "parse_parameters", "read_date", "read_text", "require_text"]

_SEGMENT = re.compile(r"^[a-z][a-z0-9_]*$")
_PARAMETER_KEYS = frozenset(
    {"label_zh", "label_en", "unit", "values", "description", "must_supply", "citation"}
)
_REQUIRED_PARAMETER_KEYS = ("label_zh", "label_en", "unit", "values")
_REQUIRED_SUPPLIED_KEYS = ("label_zh", "label_en", "unit", "citation")
_VALUE_KEYS = frozenset(
    {"start", "end", "value", "citation", "note", "assumption", "carried_forward", "user_supplied"}
)
_FILL = (
    "a value the user must fill (user_supplied = true, as `sqfw plans new` writes it): "
    "write the new value and its citation and remove user_supplied, or keep the old "
    "plan's value with carried_forward = true and a note saying so"
)
_CITATION_KEYS = frozenset({"document", "clause", "quote", "article"})


def read_text(entry: Traversable | Path, source: str) -> str:
    """A data file's text as UTF-8; a missing, unreadable or wrongly encoded file is named.

    Raises:
        StandardsError: the file cannot be read, or is not UTF-8 (with the byte offset).
    """
    try:
        data = entry.read_bytes()
    except FileNotFoundError:
        raise StandardsError(source, "", "no such file") from None
    except OSError as exc:
        raise StandardsError(source, "", f"cannot be read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StandardsError(
            source, "", f"not UTF-8 text: byte {exc.start} cannot be read (save it as UTF-8)"
        ) from None


def iter_files(
    root: Traversable, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[Traversable, tuple[str, ...]]]:
    """Every ``*.toml`` file under ``root`` in name order, with its id prefix."""
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            if entry.name.startswith(("_", ".")):
                continue
            yield from iter_files(entry, (*prefix, entry.name))
        elif entry.name.endswith(".toml"):
            yield entry, (*prefix, entry.name.removesuffix(".toml"))


def parse_parameters(text: str, *, source: str, prefix: tuple[str, ...]) -> list[Parameter]:
    """Parse one file's text into parameters whose ids start with ``prefix``.

    Raises:
        StandardsError: the file is not valid TOML or breaks a rule of the format.
        InvalidArgumentError: an argument of the wrong type.
    """
    expect("parse_parameters(text)", text, str)
    expect("parse_parameters(source)", source, str)
    for segment in expect_items("parse_parameters(prefix)", prefix, str):
        if not _SEGMENT.fullmatch(segment):
            raise StandardsError(
                source, ".".join(prefix), f"path segment {segment!r} is not a lower-case id"
            )
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise StandardsError(source, "", f"not valid TOML: {exc}") from None
    found: list[Parameter] = []
    _walk(data, source=source, prefix=prefix, path=(), out=found)
    if not found:
        raise StandardsError(source, "", "the file defines no parameter")
    return found


def _walk(
    table: Mapping[str, Any],
    *,
    source: str,
    prefix: tuple[str, ...],
    path: tuple[str, ...],
    out: list[Parameter],
) -> None:
    if len(path) >= MAX_DEPTH:
        shown = ".".join(path[:3]) + ".…"
        raise StandardsError(source, shown, f"tables nested more than {MAX_DEPTH} deep")
    for key, node in table.items():
        here = (*path, key)
        where = ".".join(here)
        if not _SEGMENT.fullmatch(key):
            raise StandardsError(source, where, f"key {key!r} is not a lower-case id")
        if not isinstance(node, dict):
            raise StandardsError(
                source, where, f"unknown key {key!r}: expected a parameter or a table of them"
            )
        if not node:
            raise StandardsError(source, where, "empty table")
        if _PARAMETER_KEYS & node.keys():
            out.append(_parameter(node, source=source, id=".".join((*prefix, *here)), where=where))
        else:
            _walk(node, source=source, prefix=prefix, path=here, out=out)


def _parameter(node: Mapping[str, Any], *, source: str, id: str, where: str) -> Parameter:
    must_supply = node.get("must_supply", False)
    if not isinstance(must_supply, bool):
        raise StandardsError(
            source, f"{where}.must_supply", f"expected true or false, got {must_supply!r}"
        )
    required = _REQUIRED_SUPPLIED_KEYS if must_supply else _REQUIRED_PARAMETER_KEYS
    _check_keys(node, _PARAMETER_KEYS, required, source=source, where=where)
    if "citation" in node and not must_supply:
        raise StandardsError(
            source,
            f"{where}.citation",
            "a parameter's citation belongs to each of its values (a citation of the "
            "parameter itself is for one the user must supply: must_supply = true)",
        )
    label_zh = require_text(node["label_zh"], source=source, where=f"{where}.label_zh")
    label_en = require_text(node["label_en"], source=source, where=f"{where}.label_en")
    description = node.get("description")
    if description is not None:
        description = require_text(description, source=source, where=f"{where}.description")
    raw_unit = node["unit"]
    try:
        unit = Unit(raw_unit)
    except ValueError:
        allowed = ", ".join(u.value for u in Unit)
        raise StandardsError(
            source, f"{where}.unit", f"unit {raw_unit!r} is not one of: {allowed}"
        ) from None
    raw_values = node.get("values", [])
    if not isinstance(raw_values, list) or not (raw_values or must_supply):
        raise StandardsError(source, f"{where}.values", "expected a non-empty array of tables")
    values = tuple(
        _dated_value(raw, unit, source=source, where=f"{where}.values[{i}]")
        for i, raw in enumerate(raw_values)
    )
    _check_order(values, source=source, where=f"{where}.values")
    citation = (
        _citation(node["citation"], source=source, where=f"{where}.citation")
        if must_supply
        else None
    )
    return Parameter(
        id=id,
        label_zh=label_zh,
        label_en=label_en,
        unit=unit,
        values=values,
        description=description,
        must_supply=must_supply,
        citation=citation,
    )


def _dated_value(raw: object, unit: Unit, *, source: str, where: str) -> DatedValue:
    if not isinstance(raw, dict):
        raise StandardsError(source, where, "expected a table with start, value and citation")
    _check_keys(raw, _VALUE_KEYS, ("start", "value", "citation"), source=source, where=where)
    if raw.get("user_supplied", False) is not False:
        raise StandardsError(source, f"{where}.user_supplied", _FILL)
    start = read_date(raw["start"], source=source, where=f"{where}.start")
    end = None
    if "end" in raw:
        end = read_date(raw["end"], source=source, where=f"{where}.end")
        if end < start:
            raise StandardsError(source, f"{where}.end", f"end {end} is before start {start}")
    try:
        value = coerce(unit, raw["value"])
    except ValueError as exc:
        raise StandardsError(source, f"{where}.value", str(exc)) from None
    note = raw.get("note")
    if note is not None:
        note = require_text(note, source=source, where=f"{where}.note")
    flags = {}
    for key in ("assumption", "carried_forward"):
        flag = raw.get(key, False)
        if not isinstance(flag, bool):
            raise StandardsError(source, f"{where}.{key}", f"expected true or false, got {flag!r}")
        flags[key] = flag
    if flags["carried_forward"] and note is None:
        raise StandardsError(
            source, f"{where}.note", "a value carried forward says from which text, in a note"
        )
    return DatedValue(
        start=start,
        end=end,
        value=value,
        citation=_citation(raw["citation"], source=source, where=f"{where}.citation"),
        note=note,
        assumption=flags["assumption"],
        carried_forward=flags["carried_forward"],
    )


def _citation(raw: object, *, source: str, where: str) -> Citation:
    if not isinstance(raw, dict):
        raise StandardsError(source, where, "expected a table with document, clause and quote")
    _check_keys(raw, _CITATION_KEYS, ("document", "clause", "quote"), source=source, where=where)
    clause = require_text(raw["clause"], source=source, where=f"{where}.clause")
    if not CLAUSE_PATTERN.fullmatch(clause):
        raise StandardsError(
            source,
            f"{where}.clause",
            f"clause id {clause!r} is not of the form '§n.n' (e.g. '§2.1')",
        )
    article = raw.get("article")
    if article is not None:
        article = require_text(article, source=source, where=f"{where}.article")
    return Citation(
        document=require_text(raw["document"], source=source, where=f"{where}.document"),
        clause=clause,
        quote=require_text(raw["quote"], source=source, where=f"{where}.quote"),
        article=article,
    )


def _check_order(values: tuple[DatedValue, ...], *, source: str, where: str) -> None:
    for i, (before, after) in enumerate(itertools.pairwise(values), start=1):
        if after.start <= before.start:
            raise StandardsError(
                source,
                f"{where}[{i}].start",
                f"dates out of order: {after.start} does not come after {before.start}",
            )
        if before.end is None or before.end >= after.start:
            raise StandardsError(
                source,
                f"{where}[{i}].start",
                f"overlapping dates: [{before.period_text}] overlaps [{after.period_text}]",
            )


def _check_keys(
    node: Mapping[str, Any],
    allowed: frozenset[str],
    required: tuple[str, ...],
    *,
    source: str,
    where: str,
) -> None:
    for key in node:
        if key not in allowed:
            raise StandardsError(
                source,
                f"{where}.{key}",
                f"unknown key {key!r}; allowed: {', '.join(sorted(allowed))}",
            )
    for key in required:
        if key not in node:
            raise StandardsError(source, f"{where}.{key}", f"missing {key!r}")


def read_date(raw: object, *, source: str, where: str) -> pendulum.Date:
    """A TOML date (``2016-01-01``) or ISO text as a :class:`pendulum.Date`.

    Raises:
        StandardsError: not a calendar date (date-times are refused).
    """
    if isinstance(raw, _dt.date | str) and not isinstance(raw, _dt.datetime):
        try:
            return as_date(raw)
        except (TypeError, ValueError):
            pass
    raise StandardsError(source, where, f"expected a calendar date like 2016-01-01, got {raw!r}")


def source_name(entry: Traversable) -> str:
    """A readable name of a data file for messages."""
    return str(entry) if isinstance(entry, Path) else entry.name
