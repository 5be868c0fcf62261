"""Documents: entities to JSON-ready data and back, with every problem reported at once.

One factory, :func:`make_converter`, builds a :class:`cattrs.Converter` that knows every
sqfw entity. There is no global state to configure: pass the converter you want to each
function; without one they use a private default made once (personal data masked), which
no caller can change.

What the converter writes:

* dates as ISO text ``"2020-12-31"``; instants as ISO text with their offset and, for a
  named zone, the zone in brackets: ``"2020-06-01T21:00:00+08:00[Asia/Shanghai]"``
  (see :func:`sqfw.periods.format_datetime`);
* :class:`~decimal.Decimal` amounts as JSON numbers: an integer when the amount is whole,
  otherwise a number whose shortest text is the amount itself (``12.5``). An amount that
  a binary float cannot carry digit for digit (more than 15 significant digits) is
  written as a string instead, so no digit is ever lost. Both forms are read back; so are
  numbers parsed as ``Decimal`` (:func:`loads` does that, so JSON text is read exactly);
* enumerations by value (``"pastoral"``), tuples as lists, ``None`` as ``null``;
* personal data (:mod:`sqfw.privacy`) **masked** (``"1501**********123X"``), unless the
  converter was made with ``reveal_personal_data=True``.

Reading is strict: unknown keys, a string where a number belongs, a number where a string
belongs, a naive date-time are all refused. A masked value cannot be read back (the
privacy wrappers refuse ``*``), so a full round trip of personal data needs a converter
made with ``reveal_personal_data=True`` on the writing side. :func:`loads` also refuses
what JSON allows but a document may not hold: duplicate keys, ``NaN``, lone surrogates,
invalid UTF-8 (naming the byte offset), and the limits of :mod:`sqfw.limits` (nesting
depth, digits of a number, length of a string, size of the document).

A *document* is an entity's fields plus two header keys, ``"schema_version"`` (``1``) and
``"document"`` (its kind: ``"community"``, ``"region"`` …). The header key is not called
``kind`` because :class:`~sqfw.entities.Community` and :class:`~sqfw.entities.Facility`
already have a ``kind`` field. :func:`load_document` raises one
:class:`~sqfw.errors.DocumentError` listing every problem with its ``$.path``::

    $.communities[3].facilities[0].total_area_m2: expected an area in m² from 0 to
    10,000,000, got -5

:func:`json_schema` derives a JSON Schema (draft 2020-12) of each document kind from the
entity classes themselves, so it cannot drift from the code.

The package's modules: ``_converter`` (the factory and its hooks), ``_problems``
(``$.path`` problems), ``_documents`` (headers, :func:`write_fields`,
:func:`dump_document`, :func:`load_document`, :func:`dumps`, :func:`loads`), ``_stream``
(:func:`load_file`: a document file read item by item) and ``_schema``
(:func:`json_schema`).

.. versionadded:: 0.1.0
"""

from sqfw.serialization._converter import make_converter
from sqfw.serialization._documents import (
    DOCUMENT_KINDS,
    SCHEMA_VERSION,
    document_kind,
    dump_document,
    dumps,
    load_document,
    loads,
    write_fields,
)
from sqfw.serialization._problems import problems_from
from sqfw.serialization._schema import json_schema
from sqfw.serialization._stream import load_file

__all__ = [
    "DOCUMENT_KINDS",
    "SCHEMA_VERSION",
    "document_kind",
    "dump_document",
    "dumps",
    "json_schema",
    "load_document",
    "load_file",
    "loads",
    "make_converter",
    "problems_from",
    "write_fields",
]
