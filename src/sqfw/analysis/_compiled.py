"""A region document read by a compiled parser: columns, not 595,663 entities.

:func:`read_region_document` is what :func:`~sqfw.analysis.load_region` tries first for a
``.json`` file when ``msgspec`` (the ``analysis`` extra) is installed. It decides nothing
a document may hold; it asks the same rules, in bulk:

* **Parsing.** ``msgspec`` parses the whole file at C speed into small typed records (one
  per community and facility, their fields named and refused as the entities' fields are:
  an unknown key is refused). Every value is kept as JSON gave it; a number with a
  fraction goes through the bounded reader's own number parser (exact
  :class:`~decimal.Decimal`, at most :data:`~sqfw.limits.MAX_NUMBER_DIGITS` digits).
* **Everything but the communities** (the root, the divisions, the workers, the
  organisations and volunteers, the document's kind and version, and every key of the
  top-level object) is read by :func:`~sqfw.serialization.loads` itself, from the file's
  text with the communities' array left empty.
* **Each community field** is checked by the entity's own chain — the converter's
  structure hook for the field's type, the entity's converter, the entity's validators —
  once per distinct value (a count, an area, a kind) or per distinct pair where a
  validator reads a sibling (households with residents, an office area with its total).
  The region's own rules on communities (codes unique, inside the root) are the region
  field's validators, run on the codes.
* **Duplicate keys**, which a parser keeps silently (the last one wins), are found by
  counting: every key in the text is followed by a ``:`` outside strings, so the colons
  of the communities' text must equal the keys the records received plus the colons in
  their strings (an escaped colon, ``\\u003a``, sends the file to the ordinary reading).
* **The columns** are the community model's one reading
  (:func:`~sqfw.calculators._model.read_values`) of each checked record.

Whenever anything is refused, the function returns ``None`` and the caller reads the file
the ordinary way (:func:`~sqfw.serialization.load_file`), so a bad document gets exactly
the :class:`~sqfw.errors.DocumentError` and ``$.path`` problems it always got.

Why msgspec rather than orjson: msgspec gives the text of every number with a fraction to a
hook (``float_hook``), so decimals stay exact at the boundaries (orjson has only binary
floats); it decodes into typed records with unknown fields refused, which is both faster
and smaller than dictionaries; and it refuses lone surrogates and invalid UTF-8 as the
bounded reader does. Neither detects duplicate keys, hence the count above.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from operator import attrgetter
from pathlib import Path
from typing import Any, Final

import attrs
import cattrs

from sqfw._json import DECODER, limit_problems, size_problem
from sqfw.analysis._dataset import Baselines, RegionDataset, read_columns
from sqfw.entities import Community, Facility, Region
from sqfw.errors import DocumentError
from sqfw.serialization import loads, make_converter

__all__ = ["BATCH", "SMALLEST", "read_region_document"]

BATCH: Final = 50_000
"""Communities parsed and checked at a time (their records are dropped after each)."""

SMALLEST: Final = 1 << 20
"""Documents below 1 MiB are read the ordinary way (the pure-Python reader is quick there)."""

_BOM: Final = b"\xef\xbb\xbf"
_ESCAPED_COLON: Final = (b"\\u003a", b"\\u003A")

_SIBLINGS: Final[dict[type, dict[str, tuple[str, ...]]]] = {
    Community: {"households": ("resident_population",)},
    Facility: {"office_area_m2": ("total_area_m2",), "activity_area_m2": ("total_area_m2",)},
}
"""The fields whose validators read a sibling, and which (checked per distinct tuple).

A validator that reads a sibling not listed here finds no such attribute on the draft it
is given: the document is then read the ordinary way, never accepted unchecked."""

_SIBLINGS[Community]["commercial_service_area_m2"] = ("floor_area_m2",)


class _Refused(Exception):
    """Something the ordinary reading decides (and reports): read the file that way."""


class _Draft:
    """What a validator is given as its instance: the checked siblings, nothing else."""


@functools.cache
def _kit() -> Any:
    """msgspec, the records' types and their decoders (made once, on first use)."""
    try:
        import msgspec
    except ImportError:
        return None
    unset = msgspec.UNSET
    for cls in (Community, Facility, Region):
        attrs.resolve_types(cls)

    def record(name: str, cls: type, **typed: Any) -> Any:
        fields = [(f.name, typed.get(f.name, Any), unset) for f in attrs.fields(cls)]
        return msgspec.defstruct(name, fields, forbid_unknown_fields=True)

    facility: Any = record("FacilityRecord", Facility)
    community = record("CommunityRecord", Community, facilities=list[facility] | msgspec.UnsetType)
    return _Kit(
        msgspec=msgspec,
        unset=unset,
        top=msgspec.json.Decoder(dict[str, msgspec.Raw]),
        items=msgspec.json.Decoder(list[msgspec.Raw]),
        community=msgspec.json.Decoder(community, float_hook=DECODER.parse_float),
        key=msgspec.json.Encoder(decimal_format="number").encode,
    )


@attrs.frozen
class _Kit:
    msgspec: Any
    unset: Any
    top: Any
    items: Any
    community: Any
    key: Callable[[Any], bytes]


def _tally(value: object) -> int:
    """Keys in ``value`` plus the colons in its strings (see the module's text)."""
    if isinstance(value, str):
        return value.count(":")
    if isinstance(value, dict):
        return sum(1 + k.count(":") + _tally(v) for k, v in value.items())
    if isinstance(value, list):
        return sum(_tally(v) for v in value)
    return 0


_SIMPLE: Final = frozenset({int, str, bool, Decimal, type(None)})


_CODE: Final = re.compile(r"[1-9][0-9](?!00)[0-9]{2}(?!00)[0-9]{2}(?!000)[0-9]{3}(?!000)[0-9]{3}")
"""A code every group of which is set: a community's or village's (a gate, not the rule)."""

_NAME: Final = re.compile(r"[\u4e00-\u9fff0-9A-Za-z()·-]{1,100}")
"""A name of CJK ideographs, ASCII letters and digits: unchanged by NFC, nothing to refuse."""


@attrs.frozen
class _Gate:
    """Which rows surely pass a field's rules, judged over the whole column at C speed.

    ``whole``: a value the gate passes is one the field's chain accepts as it is (no rule
    is run for it). Otherwise the gate judges only the rule that reads a sibling (a row it
    passes keeps that rule), and each distinct value still goes through the chain once.
    Either way, the rows it does not pass go through the chain; the tests hold each gate
    to its rules (``tests/analysis/test_compiled_document.py``).
    """

    kinds: frozenset[type]
    suspects: Callable[..., list[int]]
    whole: bool


def _unmatched(pattern: re.Pattern[str]) -> Callable[[list[str]], list[int]]:
    def suspects(values: list[str]) -> list[int]:
        return [at for at, found in enumerate(map(pattern.fullmatch, values)) if found is None]

    return suspects


def _within(part: object, whole: object) -> bool:
    """A part that surely keeps "at most its whole" (``None``: not recorded, nothing to compare)."""
    if part is None or whole is None:
        return True
    if type(part) not in (int, Decimal) or type(whole) is not Decimal:
        return False
    return bool(0 <= part <= whole)  # type: ignore[operator]  # int or Decimal, checked


def _households(households: object, residents: object) -> bool:
    """Households that surely agree with the residents (or one of them is unknown)."""
    if households is None or residents is None:
        return True
    return type(households) is int and type(residents) is int and 0 < households <= residents


def _rows(check: Callable[[Any, Any], bool]) -> Callable[[list[Any], list[Any]], list[int]]:
    def suspects(values: list[Any], siblings: list[Any]) -> list[int]:
        return [at for at, ok in enumerate(map(check, values, siblings)) if not ok]

    return suspects


_NUMBERS: Final[frozenset[type]] = frozenset({int, Decimal, type(None)})
_GATES: Final[dict[tuple[type, str], _Gate]] = {
    (Community, "code"): _Gate(frozenset([str]), _unmatched(_CODE), whole=True),
    (Community, "name"): _Gate(frozenset([str]), _unmatched(_NAME), whole=True),
    (Community, "households"): _Gate(_NUMBERS, _rows(_households), whole=False),
    (Community, "commercial_service_area_m2"): _Gate(_NUMBERS, _rows(_within), whole=False),
    (Facility, "office_area_m2"): _Gate(_NUMBERS, _rows(_within), whole=False),
    (Facility, "activity_area_m2"): _Gate(_NUMBERS, _rows(_within), whole=False),
}
"""The fields with many distinct values or pairs (a national region has 595,663 codes)."""


class _Checker:
    """The entities' own chain for one field's column, per distinct value."""

    def __init__(self, converter: cattrs.Converter, kit: _Kit) -> None:
        self.converter = converter
        self.unset = kit.unset
        self.key = kit.key
        self.colons = 0  # keys received plus colons in strings: see the module's text
        self.plans: dict[tuple[type, str], Callable[[Any, dict[str, Any]], Any]] = {}

    def column(
        self, cls: type, name: str, raw: list[Any], siblings: dict[str, list[Any]]
    ) -> list[Any]:
        """``raw`` checked and converted as ``cls``'s field ``name`` would be."""
        unset = self.unset
        plan = self.plans.get((cls, name))
        if plan is None:
            plan = self.plans[cls, name] = self.plan(attrs.fields_dict(cls)[name])
        self.colons += len(raw) - raw.count(unset)
        kinds = set(map(type, raw))
        keys: list[Any]
        if not kinds <= _SIMPLE | {type(unset)}:
            # objects and arrays (a committee): their text, numbers as numbers, is the key
            try:
                keys = list(map(self.key, raw))
            except (TypeError, ValueError) as exc:
                raise _Refused from exc  # a value the parser marked as refused
            some = dict(zip(keys, raw, strict=True))
            self.colons += sum(_tally(some[k]) * n for k, n in Counter(keys).items())
        else:
            if str in kinds:
                self.colons += "\0".join([v for v in raw if type(v) is str]).count(":")
            if len(kinds - {type(None), type(unset)}) > 1:
                keys = list(zip(map(type, raw), raw, strict=True))  # 1, true and 1.0 differ
            else:
                keys = raw
        names = _SIBLINGS.get(cls, {}).get(name, ())
        columns = [siblings[n] for n in names]
        gate = _GATES.get((cls, name))
        suspects = None if gate is None or kinds - gate.kinds else gate.suspects(raw, *columns)
        converted: dict[Any, Any] = {}
        try:
            if suspects is not None and gate is not None and gate.whole:
                # a value the gate passes is one the chain accepts as it is
                for at in suspects:
                    converted[keys[at]] = plan(raw[at], {})
                if all(keys[at] is raw[at] is converted[keys[at]] for at in suspects):
                    return raw
                return [converted.get(k, v) for k, v in zip(keys, raw, strict=True)]
            if suspects is not None:
                # a value on a row the gate passes: its own rules, once, on one such row
                for key, at in dict(zip(keys, range(len(raw)), strict=True)).items():
                    others = {n: c[at] for n, c in zip(names, columns, strict=True)}
                    converted[key] = plan(raw[at], others)
                for at in suspects:  # the rows the gate does not pass: every rule there
                    others = {n: c[at] for n, c in zip(names, columns, strict=True)}
                    plan(raw[at], others)
            elif names:
                firsts = dict(zip(zip(keys, *columns, strict=True), range(len(raw)), strict=True))
                for whole, at in firsts.items():
                    item = plan(raw[at], dict(zip(names, whole[1:], strict=True)))
                    converted[whole[0]] = item
            elif keys is raw:  # the values are their own keys
                for value in dict.fromkeys(raw):
                    converted[value] = plan(value, {})
            else:
                firsts = dict(zip(keys, range(len(raw)), strict=True))
                for key, at in firsts.items():
                    converted[key] = plan(raw[at], {})
        except Exception as exc:
            raise _Refused from exc
        if keys is raw and all(k is v for k, v in converted.items()):
            return raw  # nothing changed (counts, areas as parsed): the same list
        return list(map(converted.__getitem__, keys))

    def plan(self, field: attrs.Attribute[Any]) -> Callable[[Any, dict[str, Any]], Any]:
        """The chain of ``field`` as one function of (value, checked siblings)."""
        unset = self.unset
        hook = self.converter.get_structure_hook(field.type)
        kind = field.type
        convert = field.converter
        validate = field.validator
        default = field.default
        required = default is attrs.NOTHING
        factory = default.factory if isinstance(default, attrs.Factory) else None  # type: ignore[arg-type, union-attr]

        def check(value: Any, siblings: dict[str, Any]) -> Any:
            if value is unset:
                if required:
                    raise _Refused  # a required field missing
                item = factory() if factory is not None else default
            else:
                if isinstance(value, dict | list) and limit_problems(value):
                    raise _Refused
                item = hook(value, kind)
            if convert is not None:
                item = convert(item)  # type: ignore[operator]
            if validate is not None:
                draft = _Draft()
                if siblings:
                    draft.__dict__.update(siblings)
                validate(draft, field, item)
            return item

        return check


def read_region_document(
    file: Path,
    *,
    baselines: Baselines | None = None,
    source: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    smallest: int | None = None,
) -> RegionDataset | None:
    """A region document's dataset by the compiled parser, or ``None`` (see the module).

    Args:
        file: the ``.json`` file.
        baselines: as :meth:`RegionDataset.from_region` takes them.
        source: the dataset's source (the file's name).
        progress: called with (bytes done, bytes in all).
        smallest: the size in bytes from which the compiled parser is used (a smaller
            document, or a file that is not a regular one, is left to the ordinary reading;
            default :data:`SMALLEST`).

    Returns:
        The dataset :meth:`RegionDataset.from_region` makes of the document's region, or
        ``None`` when msgspec (or NumPy) is not installed or anything is refused.
    """
    kit = _kit()
    if kit is None:
        return None
    status = file.stat()
    least = SMALLEST if smallest is None else smallest
    if not stat.S_ISREG(status.st_mode) or status.st_size < least:
        return None
    if size_problem(status.st_size) is not None:
        return None
    data = file.read_bytes()
    try:
        return _read(kit, data, baselines=baselines, source=source or file.name, progress=progress)
    except (_Refused, DocumentError, kit.msgspec.DecodeError, RecursionError, ImportError):
        return None


def _span(kit: Any, data: bytes, raw: Any) -> tuple[int, int]:
    """Where a :class:`msgspec.Raw` (a view into ``data``) lies in ``data``."""
    import numpy as np

    whole = np.frombuffer(data, dtype=np.uint8)
    part = np.frombuffer(raw, dtype=np.uint8)
    start = int(part.ctypes.data - whole.ctypes.data)
    end = start + len(part)
    if not 0 <= start < end <= len(data) or data[start : start + 1] != b"[":
        raise _Refused  # not a view into the file's bytes, or not an array
    return start, end


def _read(
    kit: Any,
    data: bytes,
    *,
    baselines: Baselines | None,
    source: str,
    progress: Callable[[int, int], None] | None,
) -> RegionDataset:
    offset = len(_BOM) if data.startswith(_BOM) else 0
    view = memoryview(data)[offset:]
    top = kit.top.decode(view)
    found = top.get("communities")
    if found is None:
        raise _Refused
    start, end = _span(kit, data, found)
    if any(data.find(escaped, start, end) != -1 for escaped in _ESCAPED_COLON):
        raise _Refused
    # everything else, by the ordinary reading (top-level keys, root, divisions, workers …)
    shell = loads(Region, data[offset:start] + b"[]" + data[end:], source=source)
    items = kit.items.decode(found)
    del top, found
    checker = _Checker(make_converter(), kit)
    code: list[str] = []
    name: list[str] = []
    values: dict[str, list[Any]] = {}
    for batch in _batches(items, BATCH):
        records = list(map(kit.community.decode, batch))
        c, n, v = _communities(checker, records)
        del records
        code += c
        name += n
        for field, column in v.items():
            values.setdefault(field, []).extend(column)
        if progress is not None:
            progress(start + len(code) * (end - start) // max(1, len(items)), len(data))
    if checker.colons != data.count(b":", start, end):
        raise _Refused  # a duplicate key (or a colon the count cannot place)
    region = attrs.fields(Region).communities
    if region.validator is not None:
        try:
            coded: Any = tuple(map(_Coded, code))  # what the region's rules read: codes
            region.validator(shell, region, coded)
        except Exception as exc:
            raise _Refused from exc
    dataset = RegionDataset._assemble(
        shell, code=code, name=name, values=values, baselines=baselines, source=source
    )
    if progress is not None:
        progress(len(data), len(data))
    return dataset


class _Coded:
    """A community as the region's validators read it: its code."""

    __slots__ = ("code",)

    def __init__(self, code: str) -> None:
        self.code = code


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for at in range(0, len(items), size):
        yield items[at : at + size]


_PLAIN: Final = (
    "code",
    "name",
    "kind",
    "resident_population",
    "households",
    "floating_population",
    "registered_volunteers",
    "new_or_renovated",
    "smart",
    "committee",
    "set_up_as_needed",
    "self_service_terminal",
    "floor_area_m2",
    "commercial_service_area_m2",
)
"""Community fields checked value by value, siblings before the fields that read them."""

_FACILITY: Final = (
    "id",
    "kind",
    "total_area_m2",
    "office_area_m2",
    "barrier_free",
    "multi_use_rooms",
    "residential_utility_pricing",
    "ownership",
    "co_located",
    "name",
    "activity_area_m2",
)


_SUMMED: Final = frozenset(
    {"kind", "total_area_m2", "office_area_m2", "barrier_free", "activity_area_m2"}
)
"""The facility fields the community model's facility sums read from the records."""


def _communities(
    checker: _Checker, records: list[Any]
) -> tuple[list[str], list[str], dict[str, list[Any]]]:
    """Check a batch of community records and read their model rows."""
    if set(attrs.fields_dict(Community)) != {*_PLAIN, "facilities"}:
        raise _Refused  # a field this reading does not know: the ordinary reading
    if set(attrs.fields_dict(Facility)) != set(_FACILITY):
        raise _Refused
    unset = checker.unset
    done: dict[str, list[Any]] = {}
    for field in _PLAIN:
        raw = list(map(attrgetter(field), records))
        done[field] = checker.column(Community, field, raw, done)
    facilities = list(map(attrgetter("facilities"), records))
    checker.colons += len(facilities) - facilities.count(unset)
    lists = [() if f is unset else f for f in facilities]
    flat = [f for group in lists for f in group]
    fdone: dict[str, list[Any]] = {}
    for field in _FACILITY:
        raw = list(map(attrgetter(field), flat))
        fdone[field] = checker.column(Facility, field, raw, fdone)
        if fdone[field] is not raw and field in _SUMMED:  # converted: the records get it
            for record, value in zip(flat, fdone[field], strict=True):
                setattr(record, field, value)
    unique = attrs.fields(Community).facilities.validator
    for record, group in zip(records, lists, strict=True):
        record.facilities = group
        if len(group) > 1 and unique is not None:
            try:
                unique(_Draft(), attrs.fields(Community).facilities, tuple(group))
            except Exception as exc:
                raise _Refused from exc
    return done["code"], done["name"], read_columns(records, done)
