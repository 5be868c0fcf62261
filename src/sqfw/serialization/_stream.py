"""Reading a document file item by item: neither its whole text nor its parsed tree is held.

A national region document is hundreds of megabytes; its text alone takes twice that as a
Python string, and the parsed tree as much again. :func:`load_file` reads the file in
chunks, and the items of each top-level array of entities (a region's communities,
divisions, workers …) one at a time: each item is checked against the limits of
:mod:`sqfw.limits` at its place and structured by the converter into its entity as soon as
it is read, and its parsed data is dropped. The rest of the document is read as
:func:`~sqfw.serialization.load_document` reads it, with those arrays empty, and the
entity is then made again with the items (so its own validators, such as unique codes,
see all of them).

Nothing here decides what a document may hold. Values are parsed by the bounded reader's
own decoder, items structured by the same converter, limits checked by the same walk.
When anything is refused — text that is not UTF-8 or not JSON, a limit, a duplicate key,
an item or a field the entities refuse — the file is read again the ordinary way
(:func:`~sqfw.serialization.loads`), so the :class:`~sqfw.errors.DocumentError` and its
problems are exactly the ones that reading reports.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import codecs
import os
import re
import typing
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Final, TypeVar

import attrs
import cattrs
from cattrs.errors import BaseValidationError

from sqfw._bulk import collector_paused
from sqfw.errors import DocumentError, Problem
from sqfw.limits import MAX_DOCUMENT_BYTES
from sqfw.serialization._converter import _default
from sqfw.serialization._documents import load_document, loads
from sqfw.serialization._json import DECODER, limit_problems

__all__ = ["CHUNK_BYTES", "load_file"]

T = TypeVar("T")

CHUNK_BYTES: Final = 1 << 20
"""How much of the file is read at a time."""

_SPACE: Final = re.compile(r"[ \t\n\r]*")
_BOM: Final = "\ufeff"


class _Refused(Exception):
    """Something the ordinary reading reports better: read the file that way."""


class _Text:
    """The file's text, decoded a chunk at a time; ``buffer[pos:]`` is what is left."""

    def __init__(
        self, handle: IO[bytes], chunk: int, progress: Callable[[int], None] | None = None
    ) -> None:
        self.handle = handle
        self.chunk = chunk
        self.progress = progress
        self.read = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self.first = True

    def more(self) -> bool:
        """Read another chunk (at least as much as is held); ``False`` at the end."""
        if self.eof:
            return False
        if self.pos > len(self.buffer) // 2:
            self.buffer = self.buffer[self.pos :]
            self.pos = 0
        data = self.handle.read(max(self.chunk, len(self.buffer)))
        self.read += len(data)
        if self.progress is not None:
            self.progress(self.read)
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise _Refused from None
        if self.first:
            text = text.removeprefix(_BOM)
            self.first = False
        self.buffer += text
        self.eof = not data
        return True

    def space(self) -> str:
        """Skip white space; the next character (``""`` at the end of the text)."""
        while True:
            self.pos = _SPACE.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buffer) or not self.more():
                return self.buffer[self.pos : self.pos + 1]

    def expect(self, allowed: str) -> str:
        """The next character past white space, which must be one of ``allowed``."""
        found = self.space()
        if not found or found not in allowed:
            raise _Refused
        self.pos += 1
        return found

    def value(self) -> object:
        """Parse the value at the current place, reading more text until it is whole."""
        self.space()
        while True:
            try:
                found, end = DECODER.raw_decode(self.buffer, self.pos)
            except (ValueError, RecursionError):  # JSONDecodeError, or the text ran out
                if self.more():
                    continue
                raise _Refused from None
            # a number at the end of what is read may go on in the next chunk
            if end < len(self.buffer) or not self.more():
                self.pos = end
                return found


def _item_type(cls: type[Any], field: attrs.Attribute[Any]) -> type[Any] | None:
    """The entity class of a field typed ``tuple[Entity, ...]`` (``None`` otherwise)."""
    try:
        hint = typing.get_type_hints(cls).get(field.name)
    except (NameError, TypeError):  # annotations that cannot be resolved: not streamed
        return None
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = args[0]
        if isinstance(item, type) and attrs.has(item):
            return item
    return None


def _stream(cls: type[T], text: _Text, converter: cattrs.Converter, *, source: str | None) -> T:
    fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(cls)  # type: ignore[arg-type]
    arrays = {f.name: item for f in fields if (item := _item_type(cls, f)) is not None}
    data: dict[str, object] = {}
    streamed: dict[str, list[Any]] = {}
    text.expect("{")
    if text.space() == "}":
        text.pos += 1
    else:
        while True:
            if text.space() != '"':
                raise _Refused
            key = text.value()
            assert isinstance(key, str)
            if key in data:
                raise _Refused  # a duplicate key
            text.expect(":")
            if key in arrays and text.space() == "[":
                text.pos += 1
                streamed[key] = _items(text, key, arrays[key], converter)
                data[key] = []
            else:
                data[key] = text.value()
            if text.expect(",}") == "}":
                break
    if text.space():
        raise _Refused  # text after the document
    shell = load_document(cls, data, source=source, converter=converter)
    if not streamed:
        return shell
    try:
        return attrs.evolve(shell, **streamed)  # type: ignore[misc]
    except (TypeError, ValueError) as exc:
        raise _Refused from exc


def _items(text: _Text, field: str, item: type[Any], converter: cattrs.Converter) -> list[Any]:
    found: list[Any] = []
    structure: Callable[[Any, type[Any]], Any] = converter.structure
    if text.space() == "]":
        text.pos += 1
        return found
    while True:
        value = text.value()
        if limit_problems(value, (field, len(found))):
            raise _Refused
        try:
            found.append(structure(value, item))
        except (BaseValidationError, TypeError, ValueError):
            raise _Refused from None
        if text.expect(",]") == "]":
            return found


def load_file(
    cls: type[T],
    path: str | os.PathLike[str],
    *,
    source: str | None = None,
    converter: cattrs.Converter | None = None,
    chunk: int = CHUNK_BYTES,
    progress: Callable[[int, int], None] | None = None,
) -> T:
    """Read an entity from a JSON document file, item by item (see the module's text).

    Args:
        cls: the entity class expected, e.g. :class:`~sqfw.entities.Region`.
        path: the file.
        source: where the document came from, for the error message (default: the path).
        converter: the converter to use.
        chunk: how many bytes are read at a time.
        progress: called with (bytes read, bytes in the file) as the file is read.

    Returns:
        The entity, equal to what :func:`~sqfw.serialization.loads` makes of the text.

    Raises:
        FileNotFoundError: no such file.
        DocumentError: exactly the problems :func:`~sqfw.serialization.loads` reports.
    """
    file = Path(path)
    where = source if source is not None else str(file)
    size = file.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError(
            [Problem("$", f"a document of at most {MAX_DOCUMENT_BYTES:,} bytes, got {size:,}")],
            source=where,
        )
    seen = None if progress is None else (lambda done: progress(done, max(size, done)))
    with collector_paused():  # millions of objects, none in a cycle
        try:
            with file.open("rb") as handle:
                text = _Text(handle, chunk, seen)
                return _stream(cls, text, converter or _default(), source=where)
        except (_Refused, DocumentError):
            pass
        # the ordinary reading, for its report of every problem
        return loads(cls, file.read_bytes(), source=where, converter=converter)
