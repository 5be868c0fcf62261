"""The catalogue of the columns a table may have, and how headers find their column.

The catalogue is data: ``sqfw/analysis/data/columns.toml``, read by a strict loader. An
unknown key, a missing label or header list, a value of the wrong type, a kind no reader
reads, a field or a header used twice: each is a :class:`~sqfw.errors.StandardsError`
naming the file and the key path (``columns[3].headers_en[0]``).

A header names a column when it equals one of the column's headers once case, spaces,
underscores, brackets, ``m`` and ``²`` are left out: ``Facility Area (m²)`` is
``facility_area``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

import attrs

from sqfw.analysis._loading.cells import READERS
from sqfw.errors import StandardsError

__all__ = ["COLUMNS", "Column", "column_named", "read_columns"]


@attrs.frozen(kw_only=True)
class Column:
    """One field a table can fill, and the headers that name it.

    Attributes:
        field: the field's name (a :class:`CommunityColumns` column or a division fact).
        kind: how a cell is read: ``code``, ``text``, ``kind``, ``count``, ``area``,
            ``flag``.
        headers: accepted headers, Chinese first (matched ignoring case and spaces).
        description: what the column holds.
        label_zh: what the column is called, in Chinese.
        label_en: what the column is called, in English.

    .. versionchanged:: 0.2.0
       Read from ``data/columns.toml``; ``label_zh`` and ``label_en`` added.
    """

    field: str
    kind: str
    headers: tuple[str, ...]
    description: str
    label_zh: str = ""
    label_en: str = ""


def _norm(header: str) -> str:
    return re.sub(r"[\s_()()²m]+", "", header.strip().lower()) or header.strip().lower()


_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = ("field", "kind", "label_zh", "label_en", "headers_zh", "headers_en", "description")


def read_columns(text: str, *, source: str) -> tuple[Column, ...]:
    """The columns a catalogue file defines, in file order.

    Args:
        text: the TOML text.
        source: the file, for messages.

    Raises:
        StandardsError: the text is not valid TOML or breaks a rule of the catalogue; the
            error names the key path.

    .. versionadded:: 0.2.0
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StandardsError(source, "", f"not valid TOML: {exc}") from None
    for key in data:
        if key != "columns":
            raise StandardsError(source, key, f"unknown key {key!r}; allowed: columns")
    entries = data.get("columns")
    if not isinstance(entries, list) or not entries:
        raise StandardsError(
            source, "columns", f"expected a non-empty array of tables, got {_shown(entries)}"
        )
    columns: list[Column] = []
    fields: dict[str, int] = {}  # field → its position
    headers: dict[str, str] = {}
    for index, raw in enumerate(entries):
        where = f"columns[{index}]"
        column, paths = _column(raw, source=source, where=where)
        if column.field in fields:
            raise StandardsError(
                source,
                f"{where}.field",
                f"field {column.field!r} is already the field of columns[{fields[column.field]}]",
            )
        fields[column.field] = index
        for header, path in zip(column.headers, paths, strict=True):
            seen = headers.setdefault(_norm(header), where)
            if seen != where:
                raise StandardsError(
                    source, path, f"header {header!r} already names the column {seen}"
                )
        columns.append(column)
    code = fields.get("code")
    if code is None or columns[code].kind != "code":
        raise StandardsError(
            source, "columns", "expected a column whose field and kind are both 'code'"
        )
    return tuple(columns)


def _column(raw: object, *, source: str, where: str) -> tuple[Column, list[str]]:
    """One entry, and the key path of each of its headers."""
    if not isinstance(raw, dict):
        raise StandardsError(source, where, f"expected a table, got {_shown(raw)}")
    for key in raw:
        if key not in _KEYS:
            raise StandardsError(
                source, f"{where}.{key}", f"unknown key {key!r}; allowed: {', '.join(_KEYS)}"
            )
    for key in _KEYS:
        if key not in raw:
            raise StandardsError(source, f"{where}.{key}", f"missing {key!r}")
    text = {key: _text(raw, key, source=source, where=where) for key in _KEYS[:4]}
    if not _ID.fullmatch(text["field"]):
        raise StandardsError(
            source, f"{where}.field", f"expected a lower-case id, got {text['field']!r}"
        )
    if text["kind"] not in READERS:
        allowed = ", ".join(sorted(READERS))
        raise StandardsError(
            source, f"{where}.kind", f"expected one of {allowed}, got {text['kind']!r}"
        )
    zh = _headers(raw, "headers_zh", source=source, where=where)
    en = _headers(raw, "headers_en", source=source, where=where)
    paths = [f"{where}.headers_zh[{i}]" for i in range(len(zh))]
    paths += [f"{where}.headers_en[{i}]" for i in range(len(en))]
    column = Column(
        field=text["field"],
        kind=text["kind"],
        headers=(*zh, *en),
        description=_text(raw, "description", source=source, where=where),
        label_zh=text["label_zh"],
        label_en=text["label_en"],
    )
    return column, paths


def _text(raw: Mapping[str, Any], key: str, *, source: str, where: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise StandardsError(
            source, f"{where}.{key}", f"expected non-blank text, got {_shown(value)}"
        )
    return value


def _headers(raw: Mapping[str, Any], key: str, *, source: str, where: str) -> list[str]:
    """A non-empty list of headers: Chinese ones (not all ASCII), or English ones (ASCII)."""
    value = raw[key]
    if not isinstance(value, list) or not value:
        raise StandardsError(
            source, f"{where}.{key}", f"expected a non-empty array of headers, got {_shown(value)}"
        )
    chinese = key == "headers_zh"
    expected = "a Chinese header" if chinese else "an English header (ASCII)"
    for index, header in enumerate(value):
        if not isinstance(header, str) or not header.strip() or header.isascii() == chinese:
            raise StandardsError(
                source, f"{where}.{key}[{index}]", f"expected {expected}, got {_shown(header)}"
            )
    return value


def _shown(value: object) -> str:
    """A value for a message, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _read_catalogue() -> tuple[Column, ...]:
    catalogue = files("sqfw.analysis").joinpath("data", "columns.toml")
    return read_columns(catalogue.read_text(encoding="utf-8"), source=str(catalogue))


COLUMNS: tuple[Column, ...] = _read_catalogue()
"""Every column a table may have, with its Chinese and English headers."""

_BY_HEADER = {_norm(h): column for column in COLUMNS for h in column.headers}


def column_named(header: str) -> Column | None:
    """The column a header names, or ``None`` for a header sqfw does not know."""
    return _BY_HEADER.get(_norm(header))
