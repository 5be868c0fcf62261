"""Validators and converters shared by the entities.

Each validator raises :class:`~sqfw.errors.InvalidEntityError` naming the entity, the
field, the value and what was expected. They are attrs validators, so they run at
construction and again on ``attrs.evolve``.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs
import pendulum

from sqfw.errors import InvalidEntityError
from sqfw.periods import as_date, as_datetime
from sqfw.privacy import IdentityNumber, PersonName, PhoneNumber

T = TypeVar("T")

_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def fail(instance: object, attribute: attrs.Attribute[Any], value: object, expected: str) -> None:
    raise InvalidEntityError(type(instance).__name__, attribute.name, value, expected)


def to_decimal(value: Decimal | int | float | str) -> Decimal:
    """Convert an amount to :class:`~decimal.Decimal` exactly (floats through their repr)."""
    if isinstance(value, bool):
        raise TypeError("expected a number, got bool")
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"expected a number, got {value!r}") from None
    raise TypeError(f"expected a number, got {type(value).__name__}")


def to_optional_decimal(value: Decimal | int | float | str | None) -> Decimal | None:
    return None if value is None else to_decimal(value)


def to_date(value: pendulum.Date | _dt.date | str) -> pendulum.Date:
    return as_date(value)


def to_optional_date(value: pendulum.Date | _dt.date | str | None) -> pendulum.Date | None:
    return None if value is None else as_date(value)


def to_datetime(value: pendulum.DateTime | _dt.datetime | str) -> pendulum.DateTime:
    return as_datetime(value)


def to_optional_datetime(
    value: pendulum.DateTime | _dt.datetime | str | None,
) -> pendulum.DateTime | None:
    return None if value is None else as_datetime(value)


def to_tuple(value: Iterable[T]) -> tuple[T, ...]:
    if isinstance(value, str | bytes):
        raise TypeError("expected a sequence of items, got a string")
    return tuple(value)


def non_negative_amount(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not value.is_finite() or value < 0:
        fail(instance, attribute, value, "a number ≥ 0")


def positive_amount(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    if not value.is_finite() or value <= 0:
        fail(instance, attribute, value, "a number > 0")


def non_negative_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        fail(instance, attribute, value, "an integer ≥ 0")


def positive_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        fail(instance, attribute, value, "an integer ≥ 1")


def identifier(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _IDENT.fullmatch(value):
        fail(
            instance,
            attribute,
            value,
            "an identifier of 1–64 letters, digits, '.', '_', ':' or '-'",
        )


def text(max_len: int = 200) -> Callable[[object, attrs.Attribute[Any], object], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or not value.strip() or len(value) > max_len:
            fail(instance, attribute, value, f"non-blank text of at most {max_len} characters")

    return check


def optional_text(max_len: int = 2000) -> Callable[[object, attrs.Attribute[Any], object], None]:
    check = text(max_len)

    def optional(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            check(instance, attribute, value)

    return optional


def unique_by(
    key: Callable[[Any], object], what: str
) -> Callable[[object, attrs.Attribute[Any], tuple[Any, ...]], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
        seen: set[object] = set()
        for item in value:
            k = key(item)
            if k in seen:
                fail(instance, attribute, k, f"unique {what}s (duplicate {k!r})")
            seen.add(k)

    return check


def _personal(kind: type[Any]) -> Any:
    """Converter for a :mod:`sqfw.privacy` field: wraps plain text, passes wrappers and None."""

    def convert(value: object) -> object:
        if value is None or isinstance(value, kind):
            return value
        if isinstance(value, str):
            return kind(value)
        raise TypeError(f"expected {kind.__name__} or str, got {type(value).__name__}")

    return convert


# Named converters: the attrs mypy plugin only understands named functions as converters.
_to_name = _personal(PersonName)
_to_identity = _personal(IdentityNumber)
_to_phone = _personal(PhoneNumber)


def to_name(value: PersonName | str) -> PersonName:
    result: PersonName = _to_name(value)
    return result


def to_optional_identity(value: IdentityNumber | str | None) -> IdentityNumber | None:
    result: IdentityNumber | None = _to_identity(value)
    return result


def to_optional_phone(value: PhoneNumber | str | None) -> PhoneNumber | None:
    result: PhoneNumber | None = _to_phone(value)
    return result
