"""Validators and converters shared by the entities.

Each validator raises :class:`~sqfw.errors.InvalidEntityError` naming the entity, the
field, the value and what was expected. They are attrs validators, so they run at
construction and again on ``attrs.evolve``.

Converters run before validators and do not know their field; every entity class is made
with ``field_transformer=explained``, which wraps each converter so that its refusal is
an :class:`~sqfw.errors.InvalidEntityError` naming the entity and the field too. Numbers
keep the limits of :mod:`sqfw.limits`, each per unit (areas, counts, hours, ordinals).
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
import typing
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypeVar

import attrs
import pendulum

from sqfw._text import clean_text
from sqfw.errors import InvalidArgumentError, InvalidEntityError, UnsafeTextError
from sqfw.limits import MAX_AREA_M2, MAX_COUNT, MAX_HOURS, MAX_NUMBER_DIGITS, MAX_ORDINAL
from sqfw.periods import as_date, as_datetime
from sqfw.privacy import IdentityNumber, PersonName, PhoneNumber

T = TypeVar("T")

_IDENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
_NUMBER_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


class _Unconvertible(ValueError):
    """A converter's refusal: what was expected (the field is added by :func:`explained`)."""

    def __init__(self, expected: str, value: object) -> None:
        self.expected = expected
        self.value = value
        super().__init__(f"expected {expected}")


def fail(instance: object, attribute: attrs.Attribute[Any], value: object, expected: str) -> None:
    raise InvalidEntityError(type(instance).__name__, attribute.name, value, expected)


def explained(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """attrs ``field_transformer``: each converter's refusal names the entity and field.

    .. versionadded:: 0.1.0
    """
    return [
        field if field.converter is None else field.evolve(converter=_explain(cls, field))
        for field in fields
    ]


def _explain(cls: type, field: attrs.Attribute[Any]) -> Callable[[Any], Any]:
    convert: Callable[[Any], Any] = field.converter  # type: ignore[assignment]
    entity, name = cls.__name__, field.name
    is_enum = isinstance(convert, type) and issubclass(convert, enum.Enum)

    def converter(value: Any) -> Any:
        try:
            return convert(value)
        except UnsafeTextError as exc:
            raise UnsafeTextError(entity, name, exc.index, exc.code_point, exc.name) from None
        except (InvalidEntityError, InvalidArgumentError, _Unconvertible) as exc:
            raise InvalidEntityError(entity, name, exc.value, exc.expected) from None
        except (TypeError, ValueError, ArithmeticError) as exc:
            if is_enum:
                expected = _allowed(typing.cast(type[enum.Enum], convert))
            else:
                expected = str(exc).removeprefix("expected ").split(", got ")[0]
            raise InvalidEntityError(entity, name, value, expected) from None

    return converter


def _allowed(kind: type[enum.Enum]) -> str:
    allowed = getattr(kind, "allowed", None)
    if callable(allowed):
        return str(allowed())
    return "one of " + ", ".join(repr(m.value) for m in kind)


def to_decimal(value: Decimal | int | float | str) -> Decimal:
    """Convert an amount to :class:`~decimal.Decimal` exactly (floats through their repr).

    A finite number of at most :data:`~sqfw.limits.MAX_NUMBER_DIGITS` significant digits
    and below 10 to that power (each unit's own limit is its validator's); text is read
    only when written as a plain number.
    """
    expected = f"a finite number of at most {MAX_NUMBER_DIGITS} digits"
    if isinstance(value, bool):
        raise _Unconvertible(expected, value)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        if value.bit_length() > 4 * MAX_NUMBER_DIGITS:
            raise _Unconvertible(expected, value)
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip()
        if len(text) > 2 * MAX_NUMBER_DIGITS or not _NUMBER_TEXT.fullmatch(text):
            raise _Unconvertible(expected, value)
        number = Decimal(text)
    else:
        raise _Unconvertible(expected, value)
    if (
        not number.is_finite()
        or len(number.as_tuple().digits) > MAX_NUMBER_DIGITS
        or (number and number.adjusted() >= MAX_NUMBER_DIGITS)
    ):
        raise _Unconvertible(expected, value)
    return number


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


def to_tuple(value: Iterable[T], of: type | tuple[type, ...] | None = None) -> tuple[T, ...]:
    """A sequence as a tuple; with ``of``, every item must be an instance of it."""
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise _Unconvertible("a sequence of items", value)
    items = tuple(value)
    if of is not None:
        for index, item in enumerate(items):
            if not isinstance(item, of):
                names = " or ".join(k.__name__ for k in (of if isinstance(of, tuple) else (of,)))
                raise _Unconvertible(
                    f"a sequence of {names} (item {index} is a {type(item).__name__})", value
                )
    return items


def area_m2(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """attrs validator: a floor area from 0 to :data:`~sqfw.limits.MAX_AREA_M2` m²."""
    if not 0 <= value <= MAX_AREA_M2:
        fail(instance, attribute, value, f"an area in m² from 0 to {MAX_AREA_M2:,}")


def duration_hours(instance: object, attribute: attrs.Attribute[Any], value: Decimal) -> None:
    """attrs validator: a duration from 0 to :data:`~sqfw.limits.MAX_HOURS` hours."""
    if not 0 <= value <= MAX_HOURS:
        fail(instance, attribute, value, f"a number of hours from 0 to {MAX_HOURS:,}")


def non_negative_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a count from 0 to :data:`~sqfw.limits.MAX_COUNT` (``None`` passes)."""
    if value is None:
        return
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
        fail(instance, attribute, value, f"an integer from 0 to {MAX_COUNT:,}")


def positive_int(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a term, round or seat number from 1 to :data:`~sqfw.limits.MAX_ORDINAL`."""
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_ORDINAL:
        fail(instance, attribute, value, f"an integer from 1 to {MAX_ORDINAL:,}")


def identifier(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _IDENT.fullmatch(value):
        fail(
            instance,
            attribute,
            value,
            "an identifier of 1–64 letters, digits, '.', '_', ':' or '-'",
        )


def to_text(value: str) -> str:
    """Converter of a name or a one-line text: NFC, refused if it is not only text.

    The one rule is :func:`sqfw._text.clean_text`; anything but text passes on to the
    field's validator, which says what the field accepts.
    """
    if isinstance(value, str):
        return clean_text(value, field="value")
    return value  # type: ignore[unreachable]  # not text: the validator says what is expected


def to_optional_text(value: str | None) -> str | None:
    return to_text(value) if value is not None else None


def to_free_text(value: str | None) -> str | None:
    """Converter of multi-line free text (a purpose, a note, a summary): line breaks and
    tabs are allowed, every other control or format character is refused."""
    if isinstance(value, str):
        return clean_text(value, field="value", multiline=True)
    return value


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
                shown = k.value if isinstance(k, enum.Enum) else k
                fail(instance, attribute, k, f"unique {what}s (duplicate {shown!r})")
            seen.add(k)

    return check


def personal(kind: type[Any], *, optional: bool) -> Any:
    """Converter for a :mod:`sqfw.privacy` field: wraps plain text, passes wrappers (and
    ``None`` when the field is ``optional``); the refusal never shows the value.

    The one converter of personal data: every entity's personal fields use it, through
    the named converters (the attrs mypy plugin only understands named functions).
    """

    def convert(value: object) -> object:
        if value is None and optional:
            return None
        if isinstance(value, kind):
            return value
        if isinstance(value, str):
            return kind(value)
        raise _Unconvertible(f"{kind.__name__} or text", f"<{type(value).__name__}>")

    return convert


_to_name = personal(PersonName, optional=False)
_to_identity = personal(IdentityNumber, optional=True)
_to_required_identity = personal(IdentityNumber, optional=False)
_to_phone = personal(PhoneNumber, optional=True)


def to_name(value: PersonName | str) -> PersonName:
    result: PersonName = _to_name(value)
    return result


def to_identity(value: IdentityNumber | str) -> IdentityNumber:
    result: IdentityNumber = _to_required_identity(value)
    return result


def to_optional_identity(value: IdentityNumber | str | None) -> IdentityNumber | None:
    result: IdentityNumber | None = _to_identity(value)
    return result


def to_optional_phone(value: PhoneNumber | str | None) -> PhoneNumber | None:
    result: PhoneNumber | None = _to_phone(value)
    return result
