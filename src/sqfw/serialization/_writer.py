"""Writing a document as JSON without holding all of it: one item of a list at a time.

A national region document has 600,000 communities. Unstructured into one dict and
encoded into one string it would take several gigabytes; written here, each field is
unstructured and encoded on its own, and a list field is written item by item, so what
is in memory is the entity (or an iterator standing for a list field) and one item.

:func:`entity_fields` and :func:`field_data` are the one way an entity becomes document
data, field by field (a list field item by item): :func:`~sqfw.serialization.dump_document`
(the whole document as a dict) and :func:`write_document` (the document as JSON text to a
stream, which :func:`~sqfw.serialization.dumps` and the region writers use) both go
through them, so the two never disagree. The text is exactly ``json.dumps(dump_document(obj),
indent=indent, ensure_ascii=False)``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

import attrs
import cattrs

__all__ = ["entity_fields", "field_data", "write_document"]


def entity_fields(obj: Any) -> Iterator[tuple[str, Any]]:
    """Each field of an entity as ``(name, value)``, in the class's order."""
    for field in attrs.fields(type(obj)):
        yield field.name, getattr(obj, field.name)


def field_data(value: Any, converter: cattrs.Converter) -> Any:
    """A field's value as document data; a tuple (or list) item by item, as it is written."""
    if isinstance(value, tuple | list):
        return [converter.unstructure(item) for item in value]
    return converter.unstructure(value)


def write_document(
    stream: IO[str],
    header: Mapping[str, Any],
    fields: Iterable[tuple[str, Any]],
    converter: cattrs.Converter,
    *,
    indent: int | None = 2,
) -> None:
    """Write a document: ``header`` (schema version and kind), then each field.

    Args:
        stream: where the text goes.
        header: the document's first keys, already plain data.
        fields: ``(name, value)`` pairs in order; a value that is a tuple, a list or an
            iterator is written as a JSON array, item by item (each unstructured by
            ``converter``); any other value is unstructured whole.
        converter: the converter of the items.
        indent: as for :func:`json.dumps`.
    """
    encoder = json.JSONEncoder(ensure_ascii=False, indent=indent)
    pad = "" if indent is None else "\n" + " " * indent
    deeper = "" if indent is None else "\n" + " " * (2 * indent)
    between = ", " if indent is None else ","
    stream.write("{")
    first = True
    for name, value in [*header.items(), *fields]:
        stream.write(("" if first else between) + pad + encoder.encode(name) + ": ")
        first = False
        if isinstance(value, tuple | list | Iterator):
            _write_array(stream, value, converter, encoder, pad, deeper, between)
        else:  # a nested value's lines are indented one level deeper (none without indent)
            stream.write(encoder.encode(field_data(value, converter)).replace("\n", pad))
    stream.write(("" if indent is None else "\n") + "}")


def _write_array(
    stream: IO[str],
    items: Iterable[Any],
    converter: cattrs.Converter,
    encoder: json.JSONEncoder,
    pad: str,
    deeper: str,
    between: str,
) -> None:
    stream.write("[")
    empty = True
    for item in items:
        text = encoder.encode(converter.unstructure(item))
        stream.write(("" if empty else between) + deeper + text.replace("\n", deeper))
        empty = False
    stream.write("]" if empty else pad + "]")
