"""The converter factory: every sqfw entity to JSON-ready data and back, strictly.

There is no module-level converter to configure: :func:`make_converter` builds a new one
each time, and the functions of :mod:`sqfw.serialization` use a private default made once
(personal data masked), which no caller can change. A caller who wants another hook
registers it on a converter of their own and passes that converter.

.. versionadded:: 0.1.0
   Split out of the former ``sqfw.serialization`` module; the exported mutable
   ``converter`` is gone (use :func:`make_converter`).
"""

from __future__ import annotations

import enum
import functools
import re
import typing
import weakref
from collections.abc import Callable, Mapping
from collections.abc import Set as AbstractSet
from decimal import Decimal, InvalidOperation
from typing import Any, Final, TypeVar

import attrs
import cattrs
import pendulum
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from sqfw.errors import InvalidEntityError
from sqfw.labels import LabeledEnum
from sqfw.periods import format_date, format_datetime, parse_date, parse_datetime
from sqfw.privacy import PersonalData
from sqfw.serialization._problems import describe as _describe
from sqfw.serialization._problems import step as _step

__all__ = ["DATETIME_TEXT", "DATE_TEXT", "DECIMAL_TEXT", "make_converter"]

T = TypeVar("T")

# A float's shortest repr carries at most 17 significant digits, but only 15 are
# guaranteed to survive text → float → text; past that an amount is written as a string.
_FLOAT_DIGITS: Final = 15
DECIMAL_TEXT: Final = r"^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$"
"""An amount written as a string, as the converter reads it (and the JSON Schema says)."""
DATE_TEXT: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_TEXT: Final = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
    r"(Z|[+-][0-9]{2}(:?[0-9]{2})?)(\[[A-Za-z0-9_+/-]+\])?$"
)


def make_converter(*, reveal_personal_data: bool = False) -> cattrs.Converter:
    """Build a converter that round-trips every sqfw entity to JSON-ready data.

    Args:
        reveal_personal_data: write personal data (names, identity numbers, phones) in
            full. The default writes the masked form, which cannot be read back; pass
            ``True`` only where the full value is needed, e.g. to store records.

    Returns:
        A new :class:`cattrs.Converter` with detailed validation and unknown keys
        refused. Its structuring errors can be turned into ``$.path`` problems with
        :func:`problems_from`.
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)

    # Dispatched on the class, most specific first: a StrEnum is also a str, a DateTime
    # also a Date, a bool also an int; each gets its own strict hook.
    hooks: list[tuple[type[Any], Callable[[Any, Any], Any]]] = [
        (str, _structure_str),
        (bool, _structure_bool),
        (int, _structure_int),
        (Decimal, _structure_decimal),
        (pendulum.Date, _structure_date),
        (pendulum.DateTime, _structure_datetime),
        (enum.Enum, _structure_enum),
        (enum.StrEnum, _structure_enum),
        (enum.IntEnum, _structure_enum),
    ]
    for cls, hook in hooks:
        conv.register_structure_hook(cls, hook)
    conv.register_structure_hook_func(_is_personal, _structure_personal)
    conv.register_structure_hook_factory(is_homogeneous_tuple, _tuple_structure_factory)
    conv.register_structure_hook_factory(_is_attrs_class, _entity_structure_factory)

    conv.register_unstructure_hook(Decimal, _unstructure_decimal)
    conv.register_unstructure_hook(pendulum.Date, format_date)
    conv.register_unstructure_hook(pendulum.DateTime, format_datetime)
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        conv.register_unstructure_hook(base, _unstructure_enum)
    conv.register_unstructure_hook_func(_is_personal, _reveal if reveal_personal_data else _mask)
    conv.register_unstructure_hook_factory(is_homogeneous_tuple, _tuple_unstructure_factory)
    return conv


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {_describe(value)}")
    return value


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"expected true or false, got {_describe(value)}")
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, got {_describe(value)}")
    return value


def _structure_decimal(value: object, _: type) -> Decimal:
    amount: Decimal | None = None
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int) and not isinstance(value, bool):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    elif isinstance(value, str) and re.match(DECIMAL_TEXT, value.strip()):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            amount = None
    if amount is None or not amount.is_finite():
        raise TypeError(f"expected a number, got {_describe(value)}")
    return amount


def _unstructure_decimal(value: Decimal) -> int | float | str:
    if not value.is_finite():
        return str(value)
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    digits = len(value.normalize().as_tuple().digits)
    if digits <= _FLOAT_DIGITS and Decimal(repr(as_float)) == value:
        return as_float
    return str(value)


def _structure_date(value: object, _: type) -> pendulum.Date:
    if not isinstance(value, str):
        raise TypeError(f"expected an ISO date like '2020-12-31', got {_describe(value)}")
    return parse_date(value)


def _structure_datetime(value: object, _: type) -> pendulum.DateTime:
    if not isinstance(value, str):
        raise TypeError(
            "expected an ISO date-time with offset like '2020-06-01T21:00:00+08:00', "
            f"got {_describe(value)}"
        )
    return parse_datetime(value)


def _is_enum(type_: Any) -> bool:
    return isinstance(type_, type) and issubclass(type_, enum.Enum)


@functools.cache
def _members(type_: type[enum.Enum]) -> dict[tuple[type, object], enum.Enum]:
    """An enumeration's members by (type, value): a value of another type never matches."""
    return {(type(m.value), m.value): m for m in type_}


def _structure_enum(value: object, type_: type[enum.Enum]) -> enum.Enum:
    if isinstance(value, type_):
        return value
    try:
        return _members(type_)[type(value), value]
    except (KeyError, TypeError):  # TypeError: an unhashable value (a list, an object)
        pass
    if issubclass(type_, LabeledEnum):
        allowed = type_.allowed()
    else:
        allowed = "one of " + ", ".join(repr(m.value) for m in type_)
    raise ValueError(f"expected {allowed}, got {_describe(value)}")


def _unstructure_enum(value: enum.Enum) -> object:
    return value.value


def _is_personal(type_: Any) -> bool:
    return isinstance(type_, type) and issubclass(type_, PersonalData)


def _structure_personal(value: object, type_: type[PersonalData]) -> PersonalData:
    if not isinstance(value, str):
        # never echo the value: it may be the personal data itself
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return type_(value)


def _mask(value: PersonalData) -> str:
    return value.masked()


def _reveal(value: PersonalData) -> str:
    return value.reveal()


def is_homogeneous_tuple(type_: Any) -> bool:
    """Whether ``type_`` is ``tuple[X, ...]``."""
    args = typing.get_args(type_)
    return typing.get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


_MADE_HERE: Final[weakref.WeakSet[Callable[..., Any]]] = weakref.WeakSet()
"""The structure hooks this module's factories made (what :func:`structured_here` asks)."""


def structured_here(conv: cattrs.Converter, type_: Any) -> bool:
    """Whether ``conv`` structures ``type_`` with a hook made by this module's factories
    (and not with one a caller registered): an array item by item, an entity field by field.
    """
    return conv.get_structure_hook(type_) in _MADE_HERE


def _tuple_structure_factory(
    type_: Any, conv: cattrs.Converter
) -> Callable[[object, Any], tuple[Any, ...]]:
    item_type = typing.get_args(type_)[0]
    item_hook = conv.get_structure_hook(item_type)

    def structure(value: object, _: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise TypeError(f"expected an array, got {_describe(value)}")
        items: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(item_hook(item, item_type))
            except Exception as exc:
                exc.add_note(IterableValidationNote(f"@ index {index}", index, item_type))
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {type_!r}", errors, type_)
        return tuple(items)

    _MADE_HERE.add(structure)
    return structure


def _tuple_unstructure_factory(
    type_: Any, conv: cattrs.Converter
) -> Callable[[tuple[Any, ...]], list[Any]]:
    item_hook = conv.get_unstructure_hook(typing.get_args(type_)[0])

    def unstructure(value: tuple[Any, ...]) -> list[Any]:
        return [item_hook(item) for item in value]

    return unstructure


def _is_attrs_class(type_: Any) -> bool:
    return isinstance(type_, type) and attrs.has(type_)


def _entity_structure_factory(cls: type[T], conv: cattrs.Converter) -> Callable[[object, Any], T]:
    entity: type[Any] = cls
    attrs.resolve_types(entity)
    fields = attrs.fields(entity)
    names = frozenset(field.name for field in fields)
    order = {field.name: index for index, field in enumerate(fields)}

    def document_order(error: Exception) -> int:
        step = _step(error)
        return order.get(step.removeprefix("."), len(order))

    # what each field needs, looked up once: its name, hook, type, whether it is required
    plan = tuple(
        (f.name, conv.get_structure_hook(f.type), f.type, f.default is attrs.NOTHING, f)
        for f in fields
    )

    def structure(value: object, _: Any) -> T:
        if not isinstance(value, Mapping):
            raise TypeError(f"expected an object, got {_describe(value)}")
        values: dict[str, Any] = {}
        errors: list[Exception] = []
        failed: set[str] = set()
        for name, hook, type_, required, field in plan:
            if name in value:
                try:
                    values[name] = hook(value[name], type_)
                except Exception as exc:
                    exc.add_note(_attribute_note(field))
                    errors.append(exc)
                    failed.add(name)
            elif required:
                missing = KeyError(name)
                missing.add_note(_attribute_note(field))
                errors.append(missing)
        if not names.issuperset(value):
            errors.append(ForbiddenExtraKeysError("", cls, set(value) - names))
        if not errors:
            try:
                return cls(**values)
            except InvalidEntityError as exc:
                refused: Exception = exc
            except (TypeError, ValueError) as exc:
                raise ClassValidationError(
                    f"While structuring {cls.__qualname__}", [exc], cls
                ) from None
        # attrs validators stop at the first refusal; run each field's own to list them all,
        # also next to type errors elsewhere in the object.
        errors.extend(_every_invalid_field(cls, values, failed))
        if not errors:  # a rule across fields (checked after them): placed at its field
            named = {f.name: f for f in fields}
            if isinstance(refused, InvalidEntityError) and refused.field in named:
                refused.add_note(_attribute_note(named[refused.field]))
            errors.append(refused)
        errors.sort(key=document_order)
        raise ClassValidationError(f"While structuring {cls.__qualname__}", errors, cls)

    _MADE_HERE.add(structure)
    return structure


def _attribute_note(field: attrs.Attribute[Any]) -> AttributeValidationNote:
    return AttributeValidationNote(f"@ attribute {field.name}", field.name, field.type)


def _every_invalid_field(
    cls: type[Any],
    structured: Mapping[str, Any],
    failed: AbstractSet[str] = frozenset(),
) -> list[Exception]:
    """Run each attrs validator of ``cls`` on its own and collect every refusal.

    Fields that could not be structured (``failed``) are left out, not filled with their
    defaults; a validator that needs one of them fails with something other than
    :class:`InvalidEntityError` and is skipped, because the missing sibling is reported
    already (a longitude is not refused for "no latitude" when the latitude was bad).
    """
    values: dict[str, Any] = {}
    errors: list[Exception] = []
    for field in attrs.fields(cls):
        if field.name in failed:
            continue
        if field.name in structured:
            item = structured[field.name]
        elif field.default is attrs.NOTHING:
            continue
        elif isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            item = field.default.factory()
        else:
            item = field.default
        try:
            if field.converter is not None:
                item = typing.cast(Callable[[Any], Any], field.converter)(item)
        except InvalidEntityError as exc:  # a converter's limit (digits, an identity number)
            exc.add_note(_attribute_note(field))
            errors.append(exc)
            continue
        except Exception:  # the type was checked already; this refusal is not ours
            continue
        values[field.name] = item
    # An instance that skips validation, only so that each validator can read its siblings.
    draft = object.__new__(cls)
    for name, item in values.items():
        object.__setattr__(draft, name, item)
    for field in attrs.fields(cls):
        if field.validator is None or field.name not in values:
            continue
        try:
            field.validator(draft, field, values[field.name])
        except InvalidEntityError as exc:
            exc.add_note(_attribute_note(field))
            errors.append(exc)
        except Exception:  # a consequence of a sibling's problem, reported there
            continue
    return errors


@functools.cache
def _default() -> cattrs.Converter:
    """The converter used when none is passed (personal data masked), made once.

    Private: a caller who needs another hook registers it on a converter of their own
    (:func:`make_converter`), so no one else's documents change.
    """
    return make_converter()
