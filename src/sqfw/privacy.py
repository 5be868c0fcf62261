"""Personal information that never shows unmasked by accident (§3.10).

The plan asks for protection of "个人隐私信息" (personal-privacy information). sqfw keeps
each piece of personal data in a small wrapper whose ``repr``, ``str`` and ``format`` are
masked, so a log line, a traceback, a notebook cell or the default export can never leak
it. The real value is reached only by calling :meth:`~PersonalData.reveal`, or by
exporting with ``make_converter(reveal_personal_data=True)``::

    >>> from sqfw import IdentityNumber
    >>> n = IdentityNumber("11010519491231002X")
    >>> n
    IdentityNumber('1101**********002X')
    >>> n.reveal()
    '11010519491231002X'

Identity numbers are validated against GB 11643 by python-stdnum (``stdnum.cn.ric``), not
by a checksum of our own. Masked text (containing ``*``) is refused everywhere, so a masked
export loaded back fails loudly instead of storing stars as data.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from typing import ClassVar, NoReturn, Self

from stdnum import exceptions as _stdnum_errors
from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc

from sqfw._masks import MASK as _MASK
from sqfw._masks import mask_middle as _mask_middle
from sqfw._masks import mask_phone as _mask_phone
from sqfw._text import clean_text
from sqfw.errors import InvalidEntityError

__all__ = [
    "IdentityNumber",
    "PersonName",
    "PersonalData",
    "PhoneNumber",
    "validate_credit_code",
]


class PersonalData:
    """Base of the masked personal-data wrappers.

    Equality and hashing use the real value, so two records of the same person compare
    equal; nothing else exposes it.
    """

    __slots__ = ("_value",)
    kind: ClassVar[str] = "personal data"

    def __init__(self, value: str) -> None:
        if not isinstance(value, str):
            self._refuse(f"<{type(value).__name__}>", "text")
        if _MASK in value:
            self._refuse(
                "a masked value (with '*')",
                "the full value; to load personal data, export it with "
                "make_converter(reveal_personal_data=True)",
            )
        self._value = self._normalise(value)

    @classmethod
    def _normalise(cls, value: str) -> str:
        return value

    @classmethod
    def _refuse(cls, shown: str, expected: str) -> NoReturn:
        """Refuse a value; ``shown`` is what the message may say of it (never the value)."""
        raise InvalidEntityError(cls.__name__, "value", _Shown(shown), expected)

    def reveal(self) -> str:
        """The real value. Call it only where the value is needed, never to log it."""
        return self._value

    def masked(self) -> str:
        """The masked form shown in ``repr``, ``str`` and the default export."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.masked()!r})"

    def __str__(self) -> str:
        return self.masked()

    def __format__(self, spec: str) -> str:
        return format(self.masked(), spec)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, PersonalData)
        return self._value == other._value

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._value))

    def __reduce__(self) -> tuple[type[Self], tuple[str]]:
        return (type(self), (self._value,))


class _Shown(str):
    """What a refusal may say of a personal value: shown as is, never quoted back."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


class PersonName(PersonalData):
    """A person's name; masked to its first character: ``张**``."""

    __slots__ = ()
    kind = "person name"

    @classmethod
    def _normalise(cls, value: str) -> str:
        value = clean_text(value, field="value", where=cls.__name__).strip()
        if not value or len(value) > 64:
            cls._refuse(f"{len(value):,} characters", "a name of 1–64 characters")
        return value

    def masked(self) -> str:
        if len(self._value) < 2:
            return _MASK
        return self._value[0] + _MASK * (len(self._value) - 1)


class IdentityNumber(PersonalData):
    """A resident identity number (居民身份证号码, GB 11643), checked by python-stdnum.

    Stored in compact upper-case form; masked to the first four and last four characters:
    ``1501**********123X``.
    """

    __slots__ = ()
    kind = "identity number"

    @classmethod
    def _normalise(cls, value: str) -> str:
        try:
            return str(_ric.validate(value))
        except _stdnum_errors.ValidationError as exc:
            cls._refuse(_described(value), f"a valid GB 11643 identity number ({exc})")

    def masked(self) -> str:
        return _mask_middle(self._value)


_PHONE = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")


class PhoneNumber(PersonalData):
    """A telephone number (mobile ``13800138000`` or landline ``0471-1234567``).

    Spaces and dashes are kept as written. Masked to the first three and last four digits
    of an 11-digit or longer number (``138****8000``); a shorter number keeps only its last
    three or four digits, so at least four digits are always hidden (``****4567``).
    """

    __slots__ = ()
    kind = "phone number"

    @classmethod
    def _normalise(cls, value: str) -> str:
        value = value.strip()
        digits = re.sub(r"\D", "", value)
        if not _PHONE.fullmatch(value) or not 7 <= len(digits) <= 15:
            cls._refuse(_described(value), "a phone number of 7–15 digits")
        return value

    def masked(self) -> str:
        return _mask_phone(self._value)


def _described(value: str) -> str:
    """What a refusal says of a personal value that is not valid: its length only."""
    return f"text of {len(value):,} characters"


def validate_credit_code(value: str) -> str:
    """Validate a unified social credit code (统一社会信用代码, GB 32100) and return it compact.

    Organisations' codes are public, so they are plain strings, not :class:`PersonalData`.

    Raises:
        InvalidEntityError: the code fails GB 32100's format or check character (a
            ``ValueError``; the message masks the code).
    """
    if not isinstance(value, str):
        raise InvalidEntityError("credit code", "value", value, "text")
    try:
        return str(_uscc.validate(value))
    except _stdnum_errors.ValidationError as exc:
        raise InvalidEntityError(
            "credit code",
            "value",
            _Shown(_described(value)),
            f"a valid GB 32100 unified social credit code ({exc})",
        ) from None
