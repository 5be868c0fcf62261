"""The catalogue of the columns a table may have, and how headers find their column.

The catalogue is data: ``sqfw/analysis/data/columns.toml``, read by a strict loader. An
unknown key, a missing label or header list, a value of the wrong type, a kind no reader
reads, a field or a header used twice: each is a :class:`~sqfw.errors.StandardsError`
naming the file and the key path (``columns[3].headers_en[0]``).

A header names a column when it equals one of the column's headers once both are put in
one form (:func:`header_key`): full-width letters, digits and brackets made half-width
(NFKC), case, spaces, underscores and hyphens left out, and a unit in brackets at the end
dropped when it is one of the catalogue's ``units`` (``(平方米)``, ``（㎡）``, ``(m2)``,
``(人)``, ``(户)`` …). So ``Facility Area (m²)`` is ``facility_area``, ``办公面积（㎡）`` is
``office`` and ``注册志愿者人数(人)`` is ``volunteers``. Other bracketed words are kept
(``面积(含办公)`` is not ``面积``). A host adds its own headers with a mapping of header to
field (:func:`header_map`); they are matched the same way.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import difflib
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from importlib.resources import files
from typing import Any

import attrs

from sqfw._text import clean_text
from sqfw.analysis._loading.cells import READERS
from sqfw.calculators.model import table_fields
from sqfw.errors import InvalidArgumentError, StandardsError, UnsafeTextError

__all__ = [
    "COLUMNS",
    "UNITS",
    "Column",
    "check_model",
    "closest_column",
    "column_named",
    "header_key",
    "header_map",
    "read_columns",
    "read_units",
]


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
    """

    field: str
    kind: str
    headers: tuple[str, ...]
    description: str
    label_zh: str = ""
    label_en: str = ""
    needed_by: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        """The column's name in ``lang``."""
        return self.label_zh if lang == "zh" else self.label_en


_BRACKETS = {"【": "(", "】": ")", "〔": "(", "〕": ")", "[": "(", "]": ")"}
_UNIT_AT_END = re.compile(r"\(([^()]*)\)$")
_SEPARATORS = re.compile(r"[\s_\-·.:]+")

UNITS: tuple[str, ...] = ()
"""The units a header may end with in brackets (read from the catalogue)."""


def header_key(header: str, units: tuple[str, ...] | None = None) -> str:
    """The form headers are compared in (see the module's docstring).

    Args:
        header: a header as written.
        units: the units dropped at the end (default: the catalogue's).

    .. versionadded:: 0.1.0
    """
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", header).lower()).strip()
    text = "".join(_BRACKETS.get(ch, ch) for ch in text)
    dropped = {_plain(u) for u in (UNITS if units is None else units)}
    while found := _UNIT_AT_END.search(text.rstrip()):
        if _plain(found.group(1)) not in dropped:
            break
        text = text[: found.start()].rstrip()
    plain = _plain(text.replace("(", "").replace(")", ""))
    return plain or text


def _plain(text: str) -> str:
    lowered = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).lower())
    return unicodedata.normalize("NFKC", _SEPARATORS.sub("", lowered))


_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = ("field", "kind", "label_zh", "label_en", "headers_zh", "headers_en", "description")
_OPTIONAL = ("needed_by",)


def read_columns(text: str, *, source: str) -> tuple[Column, ...]:
    """The columns a catalogue file defines, in file order.

    Args:
        text: the TOML text.
        source: the file, for messages.

    Raises:
        StandardsError: the text is not valid TOML or breaks a rule of the catalogue; the
            error names the key path.

    .. versionadded:: 0.1.0
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StandardsError(source, "", f"not valid TOML: {exc}") from None
    for key in data:
        if key not in ("columns", "units"):
            raise StandardsError(source, key, f"unknown key {key!r}; allowed: columns, units")
    units = _units(data.get("units", []), source=source)
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
            seen = headers.setdefault(header_key(header, units), where)
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


def read_units(text: str, *, source: str) -> tuple[str, ...]:
    """The ``units`` a catalogue file lists (checked as :func:`read_columns` checks them)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise StandardsError(source, "", f"not valid TOML: {exc}") from None
    return _units(data.get("units", []), source=source)


def _units(value: object, *, source: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise StandardsError(source, "units", f"expected an array of units, got {_shown(value)}")
    for index, unit in enumerate(value):
        if not isinstance(unit, str) or not unit.strip():
            raise StandardsError(
                source, f"units[{index}]", f"expected non-blank text, got {_shown(unit)}"
            )
    return tuple(value)


def _column(raw: object, *, source: str, where: str) -> tuple[Column, list[str]]:
    """One entry, and the key path of each of its headers."""
    if not isinstance(raw, dict):
        raise StandardsError(source, where, f"expected a table, got {_shown(raw)}")
    for key in raw:
        if key not in _KEYS + _OPTIONAL:
            allowed = ", ".join(_KEYS + _OPTIONAL)
            raise StandardsError(
                source, f"{where}.{key}", f"unknown key {key!r}; allowed: {allowed}"
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
        needed_by=_ids(raw.get("needed_by", []), source=source, where=f"{where}.needed_by"),
    )
    return column, paths


def _ids(value: object, *, source: str, where: str) -> tuple[str, ...]:
    """The target ids a column's facts are read by."""
    if not isinstance(value, list):
        raise StandardsError(source, where, f"expected an array of target ids, got {_shown(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str) or not _ID.fullmatch(item):
            raise StandardsError(
                source, f"{where}[{index}]", f"expected a target id, got {_shown(item)}"
            )
    return tuple(value)


def _text(raw: Mapping[str, Any], key: str, *, source: str, where: str) -> str:
    value = raw[key]
    if not isinstance(value, str) or not value.strip():
        raise StandardsError(
            source, f"{where}.{key}", f"expected non-blank text, got {_shown(value)}"
        )
    return _clean(value, source=source, where=f"{where}.{key}", multiline=key == "description")


def _clean(value: str, *, source: str, where: str, multiline: bool = False) -> str:
    """The one text rule (:mod:`sqfw._text`), as a catalogue's error."""
    try:
        return clean_text(value, field=where, multiline=multiline)
    except UnsafeTextError as exc:
        raise StandardsError(
            source,
            where,
            f"expected text without control, bidi, zero-width or other "
            f"format characters, got character {exc.index} {exc.code_point} {exc.name}",
        ) from None


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
    return [_clean(h, source=source, where=f"{where}.{key}[{i}]") for i, h in enumerate(value)]


def _shown(value: object) -> str:
    """A value for a message, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def check_model(columns: tuple[Column, ...], *, source: str) -> None:
    """Every community fact a table carries has its column, of the community model's kind.

    Raises:
        StandardsError: a field of the community model
            (:func:`~sqfw.calculators._model.table_fields`) without a column, or with a
            column of another kind.

    .. versionadded:: 0.1.0
    """
    by_field = {c.field: (i, c) for i, c in enumerate(columns)}
    for field, kind in table_fields().items():
        found = by_field.get(field)
        if found is None:
            raise StandardsError(
                source, "columns", f"no column for the community model's field {field!r}"
            )
        index, column = found
        if column.kind != kind:
            raise StandardsError(
                source,
                f"columns[{index}].kind",
                f"expected {kind!r}, the community model's kind of {field!r}, got {column.kind!r}",
            )


def _read_catalogue() -> tuple[tuple[Column, ...], tuple[str, ...]]:
    catalogue = files("sqfw.analysis").joinpath("data", "columns.toml")
    text = catalogue.read_text(encoding="utf-8")
    columns = read_columns(text, source=str(catalogue))
    check_model(columns, source=str(catalogue))
    return columns, read_units(text, source=str(catalogue))


COLUMNS, UNITS = _read_catalogue()
"""Every column a table may have, with its Chinese and English headers."""

_BY_FIELD = {column.field: column for column in COLUMNS}
_BY_HEADER = {header_key(h): column for column in COLUMNS for h in column.headers}


def header_map(headers: Mapping[str, str] | None = None) -> dict[str, Column]:
    """The catalogue's headers and ``headers`` (header → field), by :func:`header_key`.

    A host's header wins over the catalogue's when both are put in the same form.

    Raises:
        InvalidArgumentError: a field the catalogue does not have.

    .. versionadded:: 0.1.0
    """
    if not headers:
        return _BY_HEADER
    found = dict(_BY_HEADER)
    for header, field in headers.items():
        column = _BY_FIELD.get(field)
        if column is None:
            raise InvalidArgumentError(
                f"headers[{header!r}]", field, "a field of the catalogue: " + ", ".join(_BY_FIELD)
            )
        found[header_key(header)] = column
    return found


def column_named(header: str, headers: Mapping[str, str] | None = None) -> Column | None:
    """The column a header names, or ``None`` for a header sqfw does not know.

    Args:
        header: the header as written.
        headers: a host's own headers (header → field), as for :func:`header_map`.
    """
    return header_map(headers).get(header_key(header))


def closest_column(header: str) -> Column | None:
    """The column whose header comes closest to an unknown ``header`` (for a hint)."""
    if not isinstance(header, str):
        raise InvalidArgumentError("header", header, "a column header (text)")
    key = header_key(header)
    near = difflib.get_close_matches(key, list(_BY_HEADER), n=1, cutoff=0.6)
    return _BY_HEADER[near[0]] if near else None
