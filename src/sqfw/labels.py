"""Enumerations whose every value carries a Chinese and an English label.

Each enumeration in sqfw is a :class:`LabeledEnum`: a :class:`enum.StrEnum` whose values
are stable lower-case identifiers (what documents store), and whose members expose
``label_zh`` and ``label_en`` for people to read::

    >>> from sqfw import CommunityKind
    >>> CommunityKind.PASTORAL.value
    'pastoral'
    >>> CommunityKind.PASTORAL.label_zh
    '牧区'

Labels are declared once per class in ``__labels__``; a class whose labels are missing or
stray fails at import time, so a value without labels can never ship.

A member is found by its value, by either label (the English one in any case) or by an
alias a class declares in ``__aliases__`` (the short forms tables use); anything else is
refused with every allowed value::

    >>> CommunityKind("牧区") is CommunityKind("Pastoral Area") is CommunityKind.PASTORAL
    True

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import ClassVar, Literal, Self, TypeAlias

from sqfw.errors import InvalidArgumentError

__all__ = ["LANGS", "LabeledEnum", "Lang", "check_lang"]

Lang: TypeAlias = Literal["zh", "en"]
"""The language a view is written in: ``"zh"`` (Chinese) or ``"en"`` (English).

.. versionadded:: 0.1.0
"""

LANGS: tuple[Lang, ...] = ("zh", "en")
"""Every :data:`Lang`, in the order options list them.

.. versionadded:: 0.1.0
"""


def check_lang(lang: object, *, argument: str = "lang") -> Lang:
    """``lang`` itself if it is a :data:`Lang`; the one check of every view's language.

    Args:
        lang: what the caller gave.
        argument: the option's name, for the message (``"--lang"`` on the command line).

    Returns:
        ``lang``, typed as :data:`Lang`.

    Raises:
        InvalidArgumentError: ``lang`` is neither ``"zh"`` nor ``"en"``.

    .. versionadded:: 0.1.0
    """
    if lang == "zh" and type(lang) is str:
        return "zh"
    if lang == "en" and type(lang) is str:
        return "en"
    raise InvalidArgumentError(argument, lang, "'zh' or 'en'")


class LabeledEnum(enum.StrEnum):
    """A string enumeration with bilingual labels (``label_zh``, ``label_en``)."""

    _value_: str
    __labels__: ClassVar[Mapping[str, tuple[str, str]]] = {}
    __aliases__: ClassVar[Mapping[str, str]] = {}

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        values = {m._value_ for m in cls.__members__.values()}
        labelled = set(cls.__labels__)
        if values != labelled:
            raise TypeError(
                f"{cls.__name__}.__labels__ must label every value exactly once: "
                f"missing {sorted(values - labelled)}, stray {sorted(labelled - values)}"
            )
        stray = sorted(set(cls.__aliases__.values()) - values)
        if stray:
            raise TypeError(f"{cls.__name__}.__aliases__ name no value: {stray}")

    @classmethod
    def _missing_(cls, value: object) -> Self:
        if isinstance(value, str):
            member = cls.lookup().get(value.strip().lower())
            if member is not None:
                return member
        raise InvalidArgumentError(cls.__name__, value, cls.allowed())

    @classmethod
    def lookup(cls) -> Mapping[str, Self]:
        """Every accepted text (lower-cased) and its member: values, labels and aliases.

        .. versionadded:: 0.1.0
        """
        found: dict[str, Self] | None = cls.__dict__.get("_lookup")
        if found is None:
            found = {}
            for member in cls:
                found[member.value] = member
                found[member.label_zh] = member
                found[member.label_en.lower()] = member
            for alias, value in cls.__aliases__.items():
                found.setdefault(alias.lower(), cls(value))
            type.__setattr__(cls, "_lookup", found)
        return found

    @classmethod
    def allowed(cls) -> str:
        """The allowed values in words: ``"one of 'urban' (城镇社区), …"``.

        .. versionadded:: 0.1.0
        """
        return "one of " + ", ".join(f"{m.value!r} ({m.label_zh})" for m in cls)

    @property
    def label_zh(self) -> str:
        """The Chinese label, e.g. ``"牧区"``."""
        return type(self).__labels__[self._value_][0]

    @property
    def label_en(self) -> str:
        """The English label, e.g. ``"pastoral area"``."""
        return type(self).__labels__[self._value_][1]

    def label(self, lang: str = "zh") -> str:
        """The label in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.label_zh if check_lang(lang) == "zh" else self.label_en
