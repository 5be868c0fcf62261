"""Mutated documents: only DocumentError escapes, nothing invalid is accepted, and every
accepted document writes back and reads back equal."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import attrs
import jsonschema
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.fuzz.budget import EXAMPLES, count

from sqfw import testing as sqst
from sqfw.errors import DocumentError, SqfwError
from sqfw.serialization import (
    DOCUMENT_KINDS,
    document_kind,
    dump_document,
    dumps,
    json_schema,
    load_document,
    loads,
    make_converter,
)

FULL = make_converter(reveal_personal_data=True)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ENTITIES = st.one_of(
    sqst.communities(),
    sqst.volunteers(),
    sqst.workers(),
    sqst.organizations(),
    sqst.service_tickets(),
    sqst.elections(),
    sqst.facilities(),
    sqst.divisions(),
)

EXTREMES: list[Any] = [
    None,
    True,
    False,
    0,
    -1,
    2**53 + 1,
    10**40,
    10**41,
    -(10**6),
    1.5,
    1e308,
    Decimal("1E+400"),
    Decimal("1E-400"),
    Decimal("-0"),
    "",
    " ",
    "x" * 300,
    "\u0000",
    "\ud800",
    "11010519491231002X",
    "13800138000",
    "1e9999999",
    "NaN",
    "2020-06-01T21:00:00",
    "２０２０-01-01",
    "150100000001",
    "441900003001",
    [],
    [None],
    {},
    {"id": "x"},
]


def _extreme(draw: st.DrawFn) -> Any:
    """One of :data:`EXTREMES`, copied: a mutation that adds inside it must not change the
    list the next example draws from (hypothesis replays examples and needs the same data)."""
    return copy.deepcopy(draw(st.sampled_from(EXTREMES)))


def _paths(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``data``."""
    found = [path]
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_paths(value, (*path, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_paths(value, (*path, index)))
    return found


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path[:-1]:
        data = data[step]
    return data


@st.composite
def mutated(draw: st.DrawFn) -> tuple[type[Any], Any]:
    """A valid document with one to three changes: drop, add, retype, extreme value."""
    entity = draw(ENTITIES)
    cls = type(entity)
    data = dump_document(entity, converter=FULL)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _paths(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(data, path)
        action = draw(st.sampled_from(["drop", "add", "retype", "extreme"]))
        if action == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "drop" and isinstance(parent, list):
            parent.pop(path[-1])
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=8))] = _extreme(draw)
        elif action == "add" and isinstance(parent, list):
            parent.append(_extreme(draw))
        elif action == "retype":
            parent[path[-1]] = draw(
                st.one_of(
                    st.none(),
                    st.booleans(),
                    st.integers(),
                    st.floats(allow_nan=False, allow_infinity=False),
                    st.text(max_size=20),
                    st.lists(st.integers(), max_size=2),
                )
            )
        else:
            parent[path[-1]] = _extreme(draw)
    return cls, data


def _check_accepted(entity: Any) -> None:
    """An accepted entity is valid, writes back and reads back equal."""
    attrs.evolve(entity)  # every validator again
    kind = document_kind(type(entity))
    data = dump_document(entity, converter=FULL)
    jsonschema.Draft202012Validator(json_schema(kind)).validate(json.loads(json.dumps(data)))
    text = dumps(entity, converter=FULL)
    text.encode("utf-8")  # no lone surrogate
    assert loads(type(entity), text, converter=FULL) == entity
    assert load_document(type(entity), data, converter=FULL) == entity


class TestMutatedDocuments:
    """Mutated documents are refused with DocumentError or accepted whole."""

    @FUZZ
    @given(case=mutated())
    def test_mutated_data(self, case: tuple[type[Any], Any]) -> None:
        count("documents.data")
        cls, data = case
        refused: DocumentError | None = None
        try:
            entity = load_document(cls, data, converter=FULL)
        except DocumentError as error:
            refused = error
        if refused is not None:
            assert refused.problems
            assert len(str(refused)) < 20_000  # bounded, however many problems
            return
        _check_accepted(entity)

    @FUZZ
    @given(case=mutated(), cut=st.integers(0, 2000), junk=st.binary(max_size=6))
    def test_mutated_bytes(self, case: tuple[type[Any], Any], cut: int, junk: bytes) -> None:
        count("documents.bytes")
        cls, data = case
        try:
            raw = json.dumps(data, ensure_ascii=False, default=str).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError):
            return
        at = cut % (len(raw) + 1)
        text = raw[:at] + junk + raw[at + len(junk) :]
        refused: SqfwError | None = None
        try:
            entity = loads(cls, text, converter=FULL)
        except SqfwError as error:
            refused = error
        if refused is not None:
            assert isinstance(refused, DocumentError)
            return
        _check_accepted(entity)

    @FUZZ
    @given(kind=st.sampled_from(sorted(DOCUMENT_KINDS)), text=st.text(max_size=200))
    def test_any_text(self, kind: str, text: str) -> None:
        count("documents.text")
        try:
            entity = loads(DOCUMENT_KINDS[kind], text, converter=FULL)
        except DocumentError:
            return
        _check_accepted(entity)
