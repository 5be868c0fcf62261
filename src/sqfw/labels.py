"""Enumerations whose every value carries a Chinese and an English label.

Each enumeration in sqfw is a :class:`LabeledEnum`: a :class:`enum.StrEnum` whose values
are stable lower-case identifiers (what documents store), and whose members expose
``label_zh`` and ``label_en`` for people to read::

    >>> from sqfw import CommunityKind
    >>> CommunityKind.PASTORAL_AREA.value
    'pastoral_area'
    >>> CommunityKind.PASTORAL_AREA.label_zh
    '牧区'

Labels are declared once per class in ``__labels__``; a class whose labels are missing or
stray fails at import time, so a value without labels can never ship.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import ClassVar

__all__ = ["LabeledEnum"]


class LabeledEnum(enum.StrEnum):
    """A string enumeration with bilingual labels (``label_zh``, ``label_en``)."""

    _value_: str
    __labels__: ClassVar[Mapping[str, tuple[str, str]]] = {}

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        values = {m._value_ for m in cls.__members__.values()}
        labelled = set(cls.__labels__)
        if values != labelled:
            raise TypeError(
                f"{cls.__name__}.__labels__ must label every value exactly once: "
                f"missing {sorted(values - labelled)}, stray {sorted(labelled - values)}"
            )

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
        if lang == "zh":
            return self.label_zh
        if lang == "en":
            return self.label_en
        raise ValueError(f"lang: expected 'zh' or 'en', got {lang!r}")
