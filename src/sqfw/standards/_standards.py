"""The :class:`Standards` set: dated lookups, copy-on-write overrides, loading.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import difflib
import os
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs
import pendulum

from sqfw._args import expect_items, expect_mapping, instance_validator, named_fields, path_argument
from sqfw.errors import (
    InvalidArgumentError,
    NotInForceError,
    ParameterNotFoundError,
    StandardsError,
    ValueNotSupplied,
)
from sqfw.limits import MAX_DEPTH
from sqfw.periods import as_date, format_date
from sqfw.standards._coerce import coerce
from sqfw.standards._loader import (
    iter_files,
    parse_parameters,
    read_date,
    read_text,
    source_name,
)
from sqfw.standards._model import Citation, Override, Parameter, ParameterValue, Value, show

__all__ = ["OverridesInput", "Standards", "load_standards"]

OverridesInput = Mapping[str, object] | str | os.PathLike[str]
"""A mapping of dotted id to value (or to a table with ``value``, ``start``, ``end``,
``note``), or the path of a TOML file holding such a mapping."""

_OVERRIDE_KEYS = frozenset({"value", "start", "end", "note"})


def _freeze(parameters: Mapping[str, Parameter]) -> Mapping[str, Parameter]:
    found = expect_mapping("Standards.parameters", parameters)
    for key, parameter in found.items():
        if not isinstance(key, str) or not isinstance(parameter, Parameter):
            raise InvalidArgumentError(
                "Standards.parameters", key, "Parameter objects by their dotted id"
            )
    return MappingProxyType(found)


def _overrides(value: Iterable[Override]) -> tuple[Override, ...]:
    return expect_items("items", value, Override)  # named after the field by named_fields


@attrs.frozen(kw_only=True, field_transformer=named_fields)
class Standards:
    """A set of parameters, plus the overrides applied to it, looked up by date.

    A :class:`Standards` never changes: :meth:`with_overrides` returns a new set that shares
    the parameters and adds overrides, so the baseline a user started from stays intact.

    Attributes:
        name: what the set is (``"内蒙古十三五社区服务体系规划 (bundled)"``).
        parameters: the parameters by dotted id.
        overrides: the overrides in force, oldest first; a later one wins.
    """

    name: str = attrs.field(validator=instance_validator(str))
    parameters: Mapping[str, Parameter] = attrs.field(converter=_freeze, repr=False)
    overrides: tuple[Override, ...] = attrs.field(default=(), converter=_overrides)

    def __contains__(self, parameter_id: object) -> bool:
        return parameter_id in self.parameters

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self.parameters))

    def __len__(self) -> int:
        return len(self.parameters)

    def parameter(self, parameter_id: str) -> Parameter:
        """The parameter with this dotted id.

        Raises:
            ParameterNotFoundError: no such parameter (the message suggests close ids).
        """
        try:
            return self.parameters[parameter_id]
        except KeyError:
            close = difflib.get_close_matches(parameter_id, list(self.parameters), n=3)
            hint = f"did you mean {', '.join(map(repr, close))}?" if close else ""
            raise ParameterNotFoundError(parameter_id, hint) from None

    def lookup(self, parameter_id: str, on: pendulum.Date | str) -> ParameterValue:
        """The value of a parameter in force on a date, with its period and citation.

        An override that covers the date wins over the parameter's own value, and is
        named in the answer (``.override``, and the citation names its source).

        Args:
            parameter_id: the dotted id, e.g. ``"facility.area.per_100_households"``.
            on: the date (a ``pendulum.Date``, ``datetime.date`` or ISO text).

        Raises:
            ParameterNotFoundError: no such parameter.
            NotInForceError: the parameter has no value (and no override) on that date.
        """
        day = as_date(on)
        parameter = self.parameter(parameter_id)
        own = next((v for v in parameter.values if v.covers(day)), None)
        for override in reversed(self.overrides):
            if override.parameter_id == parameter_id and override.covers(day):
                replaced = f"replaces {show(own.value)}" if own is not None else "no own value"
                return ParameterValue(
                    parameter=parameter,
                    on=day,
                    value=override.value,
                    start=override.start,
                    end=override.end,
                    citation=Citation(
                        document=override.source,
                        clause=own.citation.clause if own is not None else parameter.clause,
                        quote=override.note or f"{parameter_id} = {show(override.value)}",
                    ),
                    note=f"override ({replaced}) / 覆盖值(原值 {show(own.value) if own else '无'})",
                    override=override,
                )
        if own is None:
            if parameter.must_supply:
                raise ValueNotSupplied(parameter_id, format_date(day), parameter.periods_text)
            raise NotInForceError(parameter_id, format_date(day), parameter.periods_text)
        return ParameterValue(
            parameter=parameter,
            on=day,
            value=own.value,
            start=own.start,
            end=own.end,
            citation=own.citation,
            note=own.note,
            assumption=own.assumption,
            carried_forward=own.carried_forward,
        )

    def value(self, parameter_id: str, on: pendulum.Date | str) -> Value:
        """Only the value of :meth:`lookup` (Fraction, Decimal, int or bool)."""
        return self.lookup(parameter_id, on).value

    def with_overrides(self, overrides: OverridesInput, *, source: str | None = None) -> Standards:
        """A new set with ``overrides`` applied on top of this one's (this one is unchanged).

        Args:
            overrides: ``{"facility.area.per_100_households": 40}``; a value may also be a
                table ``{"value": 40, "start": "2019-01-01", "end": ..., "note": ...}``;
                or the path of a TOML file with the same shape (dotted keys or tables).
            source: who sets them, recorded in every result; defaults to the file's path
                or ``"<overrides>"``.

        Raises:
            StandardsError: an unknown parameter id, a value that does not fit the
                parameter's unit, an unknown key or a bad date.
        """
        if isinstance(overrides, str | os.PathLike):
            path = Path(overrides)
            origin = str(path)
            try:
                mapping: Mapping[str, object] = tomllib.loads(
                    read_text(path, origin), parse_float=Decimal
                )
            except tomllib.TOMLDecodeError as exc:
                raise StandardsError(origin, "", f"not valid TOML: {exc}") from None
            source = source or origin
        else:
            mapping = overrides
            origin = source or "<overrides>"
            source = origin
        added = tuple(
            self._override(pid, spec, source, origin) for pid, spec in _flatten(mapping, origin)
        )
        return attrs.evolve(self, overrides=(*self.overrides, *added))

    def _override(self, parameter_id: str, spec: object, source: str, origin: str) -> Override:
        if parameter_id not in self.parameters:
            close = difflib.get_close_matches(parameter_id, list(self.parameters), n=3)
            hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
            raise StandardsError(origin, parameter_id, f"no parameter with this id{hint}")
        unit = self.parameters[parameter_id].unit
        table: Mapping[str, Any] = spec if isinstance(spec, Mapping) else {"value": spec}
        for key in table:
            if key not in _OVERRIDE_KEYS:
                raise StandardsError(
                    origin,
                    f"{parameter_id}.{key}",
                    f"unknown key {key!r}; allowed: end, note, start, value",
                )
        try:
            value = coerce(unit, table["value"])
        except ValueError as exc:
            raise StandardsError(origin, parameter_id, str(exc)) from None
        start = (
            read_date(table["start"], source=origin, where=f"{parameter_id}.start")
            if "start" in table
            else None
        )
        end = (
            read_date(table["end"], source=origin, where=f"{parameter_id}.end")
            if "end" in table
            else None
        )
        if start is not None and end is not None and end < start:
            raise StandardsError(
                origin, f"{parameter_id}.end", f"end {end} is before start {start}"
            )
        note = table.get("note")
        if note is not None and not isinstance(note, str):
            raise StandardsError(origin, f"{parameter_id}.note", f"expected text, got {note!r}")
        return Override(
            parameter_id=parameter_id, value=value, source=source, start=start, end=end, note=note
        )

    def extended(self, other: Standards, *, name: str | None = None) -> Standards:
        """A new set whose parameters are this set's, replaced or extended by ``other``'s.

        Use it to layer another province's or a later plan's standards over the bundled
        ones; overrides of both are kept (``other``'s win).
        """
        return Standards(
            name=name or f"{self.name} + {other.name}",
            parameters={**self.parameters, **other.parameters},
            overrides=(*self.overrides, *other.overrides),
        )

    def overrides_in_force(self, on: pendulum.Date | str) -> tuple[Override, ...]:
        """The overrides that apply on ``on``."""
        day = as_date(on)
        return tuple(o for o in self.overrides if o.covers(day))


def _flatten(
    mapping: Mapping[str, object], origin: str, prefix: str = ""
) -> Iterator[tuple[str, object]]:
    if prefix.count(".") >= MAX_DEPTH:
        shown = ".".join(prefix.split(".")[:3]) + ".…"
        raise StandardsError(origin, shown, f"keys nested more than {MAX_DEPTH} deep")
    if not isinstance(mapping, Mapping):
        raise StandardsError(origin, prefix, "expected a mapping of parameter id to value")
    for key, spec in mapping.items():
        if not isinstance(key, str):
            raise StandardsError(origin, prefix, f"expected text keys, got {key!r}")
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(spec, Mapping) and "value" not in spec:
            if not spec:
                raise StandardsError(origin, full, "empty table")
            yield from _flatten(spec, origin, full)
        else:
            yield full, spec


def load_standards(
    path_or_dir: str | os.PathLike[str] | Traversable,
    *,
    name: str | None = None,
    prefix: str | None = None,
) -> Standards:
    """Load a standards set from a data folder or a single TOML file, strictly.

    Args:
        path_or_dir: a folder (every ``*.toml`` below it; folder path = id prefix) or one
            file (id prefix = ``prefix`` or the file's stem).
        name: a name for the set (default: the path).
        prefix: for a single file, the dotted id prefix of its parameters.

    Raises:
        StandardsError: a malformed file (naming file, key path and problem), a duplicate
            parameter id, or a path that does not exist.
    """
    if not isinstance(path_or_dir, str | os.PathLike | Traversable):
        raise InvalidArgumentError(
            "path_or_dir", path_or_dir, "a folder or a TOML file (text or a path)"
        )
    root: Traversable = (
        path_argument("path_or_dir", path_or_dir)
        if isinstance(path_or_dir, str | os.PathLike)
        else path_or_dir
    )
    label = name or str(path_or_dir)
    if root.is_dir():
        files = list(iter_files(root))
    elif root.is_file():
        stem = root.name.removesuffix(".toml")
        files = [(root, tuple(prefix.split(".")) if prefix else (stem,))]
    else:
        raise StandardsError(str(path_or_dir), "", "no such file or folder")
    parameters: dict[str, Parameter] = {}
    origins: dict[str, str] = {}
    for entry, id_prefix in files:
        origin = source_name(entry)
        for parameter in parse_parameters(
            read_text(entry, origin), source=origin, prefix=id_prefix
        ):
            if parameter.id in parameters:
                raise StandardsError(
                    origin,
                    parameter.id,
                    f"duplicate parameter id (also in {origins[parameter.id]})",
                )
            parameters[parameter.id] = parameter
            origins[parameter.id] = origin
    if not parameters:
        raise StandardsError(str(path_or_dir), "", "no parameter files found")
    return Standards(name=label, parameters=parameters)
