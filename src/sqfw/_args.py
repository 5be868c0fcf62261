"""Checks of a public function's arguments at its entry: a wrong type is an SqfwError.

A function that is handed ``None`` where a dataset belongs, or a number where a path
belongs, says so in one :class:`~sqfw.errors.InvalidArgumentError` naming the argument,
instead of failing later with an ``AttributeError`` from deep inside.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
import types
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs

from sqfw.errors import InvalidArgumentError, MissingFileError

__all__ = [
    "existing_file",
    "expect",
    "expect_callable",
    "expect_items",
    "expect_mapping",
    "instance_validator",
    "named_fields",
    "path_argument",
    "read_only_mapping",
]

T = TypeVar("T")


def expect(argument: str, value: Any, kind: type[T] | tuple[type[T], ...]) -> T:
    """``value`` itself when it is a ``kind``; otherwise an InvalidArgumentError."""
    if isinstance(value, kind):
        return value
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = " or ".join(f"a {k.__name__}" for k in kinds)
    raise InvalidArgumentError(argument, value, names)


def expect_items(
    argument: str, value: Any, kind: Any, *, expected: str | None = None
) -> tuple[Any, ...]:
    """The items of ``value`` when it is an iterable (not text, bytes or a mapping) of
    ``kind``; otherwise an InvalidArgumentError naming the first item that is not (and
    saying ``expected``, by default "an iterable of KIND")."""
    expected = expected or f"an iterable of {getattr(kind, '__name__', str(kind))}"
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise InvalidArgumentError(argument, value, expected)
    items = tuple(value)
    # each distinct type once (a column of a million codes is of one type): C-speed
    if not all(issubclass(found, kind) for found in set(map(type, items))):
        wrong = [item for item in items if not isinstance(item, kind)][:1]
        if wrong:  # (an object may claim a class it is not a subclass of)
            raise InvalidArgumentError(argument, wrong[0], expected)
    return items


def expect_mapping(argument: str, value: Any) -> dict[Any, Any]:
    """A plain copy of ``value`` when it is a mapping; otherwise an InvalidArgumentError."""
    if isinstance(value, Mapping):
        return dict(value)
    raise InvalidArgumentError(argument, value, "a mapping")


def expect_callable(argument: str, value: Any, *, optional: bool = False) -> Any:
    """``value`` when it can be called (or is ``None`` and ``optional``)."""
    if callable(value) or (optional and value is None):
        return value
    raise InvalidArgumentError(argument, value, "a callable" + (" or None" if optional else ""))


def read_only_mapping(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    """An attrs converter: a read-only copy of a mapping, or an InvalidArgumentError (named
    after the class and the field by :func:`named_fields`)."""
    return types.MappingProxyType(expect_mapping("mapping", value))


def named_fields(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """An attrs ``field_transformer``: an InvalidArgumentError raised by a field's converter
    names the class and the field (``TicketFacts.offices: expected a mapping, got 3``)."""
    return [
        field if field.converter is None else field.evolve(converter=_named(cls, field))
        for field in fields
    ]


def _named(cls: type, field: attrs.Attribute[Any]) -> Callable[[Any], Any]:
    convert: Callable[[Any], Any] = field.converter  # type: ignore[assignment]
    where = f"{cls.__name__}.{field.name}"

    def converter(value: Any) -> Any:
        try:
            return convert(value)
        except InvalidArgumentError as exc:
            raise InvalidArgumentError(where, exc.value, exc.expected) from None

    return converter


def instance_validator(kind: Any) -> Any:
    """An attrs validator: the field's value is a ``kind``, or an InvalidArgumentError
    naming the class and the field."""

    def check(instance: object, field: attrs.Attribute[Any], value: Any) -> None:
        expect(f"{type(instance).__name__}.{field.name}", value, kind)

    return check


def path_argument(argument: str, value: Any) -> Path:
    """``value`` as a :class:`~pathlib.Path` when it is text or path-like."""
    expected = "a path (text or a path-like object) the file system can hold"
    if isinstance(value, str | os.PathLike) and not isinstance(value, bytes):
        path = Path(value)
        if "\x00" in str(path):  # no file system holds it (pathlib's exists() says False)
            raise InvalidArgumentError(argument, value, expected)
        try:
            path.exists()  # a name too long, or one no file name can hold, is refused here
        except (OSError, ValueError, TypeError):
            raise InvalidArgumentError(argument, value, expected) from None
        if str(path):
            return path
    raise InvalidArgumentError(argument, value, expected)


def existing_file(argument: str, value: Any) -> Path:
    """``value`` as the path of a file that is there, or MissingFileError."""
    path = path_argument(argument, value)
    if not path.is_file():
        raise MissingFileError(str(path))
    return path
