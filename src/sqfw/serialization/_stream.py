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
import stat
import typing
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Final, TypeVar

import attrs
import cattrs

from sqfw._bulk import collector_paused
from sqfw._json import BOM, DECODER, limit_problems, size_problem
from sqfw.errors import DocumentError, InvalidArgumentError, Problem
from sqfw.serialization._converter import (
    _default,
    _is_attrs_class,
    is_homogeneous_tuple,
    structured_here,
)
from sqfw.serialization._documents import document_kind, load_document, loads

__all__ = ["CHUNK_BYTES", "load_file"]

T = TypeVar("T")

CHUNK_BYTES: Final = 1 << 20
"""How much of the file is read at a time."""

_SPACE: Final = re.compile(r"[ \t\n\r]*")  # JSON's white space (RFC 8259 §2)


class _Refused(Exception):
    """Something the ordinary reading reports better: read the file that way."""


class _TooLarge(Exception):
    """More text than a document may hold came from a file that has no size (a pipe)."""


class _Text:
    """The file's text, decoded a chunk at a time; ``buffer[pos:]`` is what is left.

    ``kept`` holds every byte read when the file cannot be read again from its start (a
    pipe), so that the ordinary reading can be given the whole text.
    """

    def __init__(
        self,
        handle: IO[bytes],
        chunk: int,
        progress: Callable[[int], None] | None = None,
        *,
        keep: bool = False,
    ) -> None:
        self.handle = handle
        self.chunk = chunk
        self.progress = progress
        self.kept: bytearray | None = bytearray() if keep else None
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
        if self.kept is not None:
            self.kept += data
        if (too_large := size_problem(self.read)) is not None:
            raise _TooLarge(too_large)  # not read on: a pipe may never end
        if self.progress is not None:
            self.progress(self.read)
        try:
            text = self.decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise _Refused from None
        if self.first and text:
            text = text.removeprefix(BOM)
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
        """Parse the value at the current place, reading more text until it is whole.

        A value cut by the end of what is read fails to parse or (a number) may go on:
        either way more is read and the value parsed again. A value that does not parse
        with the whole text read is refused.
        """
        self.space()
        while True:
            try:
                found, end = DECODER.raw_decode(self.buffer, self.pos)
            except (ValueError, RecursionError):  # JSONDecodeError, or nesting too deep
                if self.more():
                    continue
                raise _Refused from None
            if end < len(self.buffer) or not self.more():
                self.pos = end
                return found


def _arrays(cls: type[Any], converter: cattrs.Converter) -> dict[str, type[Any]] | None:
    """The fields read item by item (typed ``tuple[Entity, ...]``), with their items' class;
    ``None`` when the converter structures the entity or one of those arrays with a hook
    of a caller's (then the text is read whole, so that hook is used)."""
    if not structured_here(converter, cls):  # its hook resolved the fields' types
        return None
    fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(cls)
    hints = {
        f.name: f.type
        for f in fields
        if is_homogeneous_tuple(f.type) and _is_attrs_class(typing.get_args(f.type)[0])
    }
    if not all(structured_here(converter, hint) for hint in hints.values()):
        return None
    return {name: typing.get_args(hint)[0] for name, hint in hints.items()}


def _stream(
    cls: type[T],
    text: _Text,
    converter: cattrs.Converter,
    arrays: dict[str, type[Any]],
    *,
    source: str,
) -> T:
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
    except Exception as exc:  # any refusal by the entity's own rules: loads reports it
        raise _Refused from exc


def _items(text: _Text, field: str, item: type[Any], converter: cattrs.Converter) -> list[Any]:
    found: list[Any] = []
    structure: Callable[[Any, type[Any]], Any] = converter.get_structure_hook(item)
    if text.space() == "]":
        text.pos += 1
        return found
    while True:
        value = text.value()
        if limit_problems(value, (field, len(found))):
            raise _Refused
        try:
            found.append(structure(value, item))
        except Exception:  # any refusal, as the array's hook catches: loads reports it
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
        converter: the converter to use. When it structures the entity or one of its
            arrays with a hook a caller registered, the text is read whole (as
            :func:`~sqfw.serialization.loads` reads it), so that hook is used.
        chunk: how many bytes are read at a time (at least 1).
        progress: called with (bytes read, bytes in the file) as the file is read.

    Returns:
        The entity, equal to what :func:`~sqfw.serialization.loads` makes of the text.

    Raises:
        TypeError: ``cls`` has no document kind.
        FileNotFoundError: no such file.
        DocumentError: exactly the problems :func:`~sqfw.serialization.loads` reports.
    """
    document_kind(cls)  # a class that is no document is refused as loads refuses it
    if isinstance(chunk, bool) or not isinstance(chunk, int) or chunk < 1:
        raise InvalidArgumentError("chunk", chunk, "a whole number of bytes, at least 1")
    file = Path(path)
    where = source if source is not None else str(file)
    conv = converter or _default()
    with file.open("rb") as handle:
        regular = stat.S_ISREG(os.fstat(handle.fileno()).st_mode)
        size = os.fstat(handle.fileno()).st_size if regular else 0
        if regular and (too_large := size_problem(size)) is not None:
            raise DocumentError([Problem("$", too_large)], source=where)
        arrays = _arrays(cls, conv)
        seen = None if progress is None else (lambda done: progress(done, max(size, done)))
        with collector_paused():  # millions of objects, none in a cycle
            if arrays is not None:
                text = _Text(handle, chunk, seen, keep=not regular)
                try:
                    return _stream(cls, text, conv, arrays, source=where)
                except (_Refused, DocumentError):
                    pass
                except _TooLarge as exc:
                    raise DocumentError([Problem("$", str(exc))], source=where) from None
                kept = text.kept
                del text  # its buffer may hold much of the file: gone before it is read again
            else:
                kept = bytearray() if not regular else None
            # the ordinary reading, for its report of every problem
            if kept is None:
                handle.seek(0)
                whole = handle.read()
            else:
                kept += handle.read()
                whole = bytes(kept)
                del kept
            return loads(cls, whole, source=where, converter=converter)
