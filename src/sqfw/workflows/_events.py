"""What an event takes, and what can happen next: the workflow API a host's UI is built on.

Each workflow declares, for every event, the keys its ``data`` may hold
(:class:`DataKey`: a name, a JSON kind, whether it is required, a bilingual label); a key
it does not declare is refused with the allowed names, so a misspelt key never lands
silently in the trail. :meth:`~sqfw.workflows.Workflow.allowed_events` answers with one
:class:`EventOption` per event out of the record's state: allowed or not, the data and
reason it needs, and, when refused, every reason that no data could change.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from sqfw.labels import LabeledEnum

__all__ = ["DataKey", "DataKind", "EventOption", "TracedData", "key"]


class DataKind(LabeledEnum):
    """The JSON kind of an event data value."""

    TEXT = "text"
    INTEGER = "integer"
    BOOLEAN = "boolean"
    DATE = "date"
    LIST = "list"
    MAPPING = "mapping"

    __labels__ = {
        "text": ("文本", "text"),
        "integer": ("整数", "integer"),
        "boolean": ("是/否", "true or false"),
        "date": ("日期（YYYY-MM-DD）", "date (YYYY-MM-DD text)"),
        "list": ("列表", "list"),
        "mapping": ("键值表", "mapping"),
    }


@attrs.frozen(kw_only=True)
class DataKey:
    """One key an event's ``data`` may hold.

    Attributes:
        name: the key, e.g. ``"offices"``.
        kind: its JSON kind (a date is ISO text).
        required: the event is refused without it.
        label_zh: what it is, in Chinese.
        label_en: what it is, in English.

    .. versionadded:: 0.1.0
    """

    name: str
    kind: DataKind
    required: bool
    label_zh: str
    label_en: str

    def label(self, lang: str = "zh") -> str:
        """The label in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.label_en if lang == "en" else self.label_zh

    def as_data(self) -> dict[str, Any]:
        """JSON-plain form, for a form built from it."""
        return {
            "name": self.name,
            "kind": self.kind.value,
            "required": self.required,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
        }


def key(name: str, kind: str, zh: str, en: str, *, required: bool = True) -> DataKey:
    """A :class:`DataKey`, written compactly in a workflow's declaration.

    .. versionadded:: 0.1.0
    """
    return DataKey(name=name, kind=DataKind(kind), required=required, label_zh=zh, label_en=en)


@attrs.frozen(kw_only=True)
class EventOption:
    """One event out of a record's state, as :meth:`Workflow.allowed_events` sees it now.

    Attributes:
        event: the event's id.
        label_zh: its label in Chinese.
        label_en: its label in English.
        allowed: nothing but its data and reason stands in the way: sent now by this
            actor with the data and reason it needs, it is accepted. The workflow's own
            checks of the data values (a known office, a count that adds up) still apply.
        data: the keys its data may hold (the required ones first).
        needs_reason: a reason (or note) must be given.
        reasons: why it is refused now whatever the data (empty when ``allowed``), each
            ``"中文 / English"``; sending it gives a refusal with at least these reasons.

    .. versionadded:: 0.1.0
    """

    event: str
    label_zh: str
    label_en: str
    allowed: bool
    data: tuple[DataKey, ...]
    needs_reason: bool
    reasons: tuple[str, ...] = ()

    def label(self, lang: str = "zh") -> str:
        """The label in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.label_en if lang == "en" else self.label_zh

    @property
    def required_data(self) -> tuple[str, ...]:
        """The names of the data keys the event is refused without."""
        return tuple(k.name for k in self.data if k.required)

    def as_data(self) -> dict[str, Any]:
        """JSON-plain form, for a host's API."""
        return {
            "event": self.event,
            "label_zh": self.label_zh,
            "label_en": self.label_en,
            "allowed": self.allowed,
            "data": [k.as_data() for k in self.data],
            "needs_reason": self.needs_reason,
            "reasons": list(self.reasons),
        }


class TracedData(Mapping[str, Any]):
    """Empty event data that remembers whether a check looked at it.

    :meth:`Workflow.allowed_events` runs each validator and guard with it: a check that
    refuses without reading the data refuses whatever the data, so the event is refused
    now; a check that read it may pass with the right data.
    """

    def __init__(self) -> None:
        self.read = False

    def __getitem__(self, name: str) -> Any:
        self.read = True
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        self.read = True
        return iter(())

    def __len__(self) -> int:
        self.read = True
        return 0

    def __contains__(self, name: object) -> bool:
        self.read = True
        return False
