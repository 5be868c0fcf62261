"""Whole columns checked at once: a table's text cells as Arrow arrays, read in bulk.

The rules are the strict cell readers' (:data:`~sqfw.analysis._loading.cells.READERS`,
whose ranges are the community model's and the entities' own): this module only decides
*which cells need reading*, never what a cell means. A column is read as

- **numbers, yes/no answers and kinds**: each distinct text once, by the strict reader of
  the column's kind; the answers are spread over the rows by the dictionary's indices
  (a national column of 600,000 counts holds a few thousand distinct texts);
- **community codes**: matched in bulk by the pattern of community codes
  (:func:`~sqfw.entities.divisions.code_pattern`); the few cells it does not match go to
  the strict reader, which says what is wrong;
- **names**: a cell made only of characters the text rule (:mod:`sqfw._text`) never
  refuses and NFC never changes (printable ASCII, CJK ideographs, CJK and full-width
  punctuation), with no space at either end and no leading apostrophe, is taken as it
  is; every other cell goes through the one text rule, as on the pure-Python path.

So a cell gets the same value and the same message here as from
:func:`~sqfw.analysis._loading.cells.parse_column` (a property test holds the two
together), and a bad cell is kept as the column's unknown (``NaN``, ``-1``) or ``None``
with its row's problem, never dropped silently.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from typing import Any

from sqfw._extras import require
from sqfw.analysis._loading.cells import NAME_LIMIT, READERS, BadCell, parse_column
from sqfw.analysis._texts import TextColumn, arrow_of
from sqfw.entities import DivisionLevel
from sqfw.entities.divisions import code_pattern

__all__ = ["SAFE_NAME", "arrow_column", "arrow_texts", "is_arrow"]

_SAFE = r"\x21-\x26\x28-\x7E\x{3001}-\x{3029}\x{3030}-\x{303F}\x{4E00}-\x{9FFF}\x{FF01}-\x{FF5E}"
"""Characters the text rule never refuses and NFC never changes, bar the space and the
apostrophe: printable ASCII, CJK punctuation (without the combining tone marks
U+302A–U+302F), CJK unified ideographs and the full-width forms."""

SAFE_NAME = rf"^(?:[{_SAFE}](?:[{_SAFE} ']*[{_SAFE}'])?)?$"
"""A name taken as written: safe characters, inner spaces, no apostrophe in front."""

_TYPECODE = {"count": "d", "area": "d", "term": "d", "flag": "b", "kind": "b"}
_BAD = {"count": float("nan"), "area": float("nan"), "term": float("nan"), "flag": -1, "kind": 0}
"""What a refused cell holds (its row is reported, and left out or refused)."""


def is_arrow(values: object) -> bool:
    """Whether ``values`` is an Arrow array (the columnar readers' columns)."""
    return type(values).__module__.startswith("pyarrow")


def arrow_texts(values: Any) -> list[str]:
    """An Arrow column of text as Python strings."""
    return values.to_pylist()  # type: ignore[no-any-return]


def arrow_column(values: Any, kind: str) -> tuple[Any, list[tuple[int, str]]]:
    """Read one Arrow column of text cells: the values, and (row index, message) of each
    refused cell, as :func:`~sqfw.analysis._loading.cells.parse_column` gives them.

    Numbers come as ``array("d")``, yes/no answers and kinds as ``array("b")`` (a refused
    cell holds the unknown). Codes and names come as a :class:`~sqfw.analysis._texts.TextColumn`
    of the checked Arrow text when every cell is accepted, else as a list of ``str`` with
    ``None`` where refused (the rows are then reported, and left out or refused).
    """
    pc = require("pyarrow.compute")
    if kind == "code":
        matched = pc.match_substring_regex(values, _CODE)
        if pc.all(matched).as_py() in (True, None):
            return TextColumn(values), []
        codes: list[Any] = values.to_pylist()
        bad: list[tuple[int, str]] = []
        read = READERS["code"]
        for index in _false_rows(matched):
            try:
                codes[index] = read(codes[index].strip())
            except BadCell as exc:
                codes[index] = None
                bad.append((index, str(exc)))
        return codes, bad
    if kind == "text":
        return _names(values)
    return _by_distinct(values, kind)


def _names(values: Any) -> tuple[Sequence[Any], list[tuple[int, str]]]:
    """Names: a column of few distinct names (a township's, on each of its rows) is checked
    one distinct name at a time; a column of many is matched in bulk."""
    pa = require("pyarrow")
    pc = require("pyarrow.compute")
    np = require("numpy")
    if hasattr(values, "combine_chunks"):
        values = values.combine_chunks()
    sample = values.slice(0, _SAMPLE)
    if len(sample) and 2 * len(sample.dictionary_encode().dictionary) <= len(sample):
        encoded = values.dictionary_encode()
        distinct, bad_distinct = _names(encoded.dictionary)
        if not bad_distinct:  # each distinct name as read, on the rows that hold it
            read = arrow_of(distinct)
            if read is None:
                read = pa.array(list(distinct), pa.string())
            return TextColumn(pa.DictionaryArray.from_arrays(encoded.indices, read)), []
        indices = encoded.indices.to_numpy(zero_copy_only=False)
        spread = list(map(distinct.__getitem__, indices.tolist()))
        problems = dict(bad_distinct)
        refused = np.isin(indices, np.fromiter(problems, dtype=indices.dtype))
        return spread, [(int(i), problems[int(indices[i])]) for i in np.flatnonzero(refused)]
    safe = pc.and_(
        pc.match_substring_regex(values, SAFE_NAME),
        pc.less_equal(pc.utf8_length(values), NAME_LIMIT),
    )
    if pc.all(safe).as_py() in (True, None):
        return TextColumn(values), []
    rows = _false_rows(safe)
    read_names, refused_names = parse_column(values.take(rows).to_pylist(), "text")
    if not refused_names:  # a few names the text rule rewrote (NFC, spaces): put back
        unsafe = pc.invert(safe.fill_null(True))
        return TextColumn(pc.replace_with_mask(values, unsafe, pa.array(read_names))), []
    names: list[Any] = values.to_pylist()
    for index, name in zip(rows, read_names, strict=True):
        names[index] = name
    return names, [(rows[i], message) for i, message in refused_names]


_CODE = code_pattern(DivisionLevel.VILLAGE)
_SAMPLE = 10_000
"""Cells looked at to tell a column of repeated names from a column of distinct ones."""


def _false_rows(flags: Any) -> list[int]:
    np = require("numpy")
    mask = flags.to_numpy(zero_copy_only=False)
    return [int(i) for i in np.flatnonzero(~mask)]


def _by_distinct(values: Any, kind: str) -> tuple[array[Any], list[tuple[int, str]]]:
    """Each distinct text read once by the strict reader; the answers spread by index."""
    np = require("numpy")
    if hasattr(values, "combine_chunks"):
        values = values.combine_chunks()
    encoded = values.dictionary_encode()
    texts = encoded.dictionary.to_pylist()
    read = READERS[kind]
    answers: list[Any] = []
    problems: dict[int, str] = {}
    for position, text in enumerate(texts):
        try:
            answers.append(read(text.strip()))
        except BadCell as exc:
            answers.append(_BAD[kind])
            problems[position] = str(exc)
    typecode = _TYPECODE[kind]
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    spread = np.asarray(answers, dtype=np.float64 if typecode == "d" else np.int8)[indices]
    out = array(typecode)
    out.frombytes(spread.tobytes())
    if not problems:
        return out, []
    refused = np.isin(indices, np.fromiter(problems, dtype=indices.dtype))
    return out, [(int(i), problems[int(indices[i])]) for i in np.flatnonzero(refused)]
