"""A document file read item by item (load_file) is what the whole text reads as (loads)."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sqfw import testing as sqst
from sqfw.entities import Community, Region
from sqfw.errors import DocumentError, InvalidArgumentError
from sqfw.serialization import dumps, load_file, loads, make_converter

FULL = make_converter(reveal_personal_data=True)
SLOW = settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def _outcome(read: Any) -> tuple[str, Any]:
    try:
        return "entity", read()
    except DocumentError as exc:
        return "error", (exc.source, [(p.path, p.message) for p in exc.problems])


def _both(path: Path, chunk: int) -> tuple[tuple[str, Any], tuple[str, Any]]:
    streamed = _outcome(lambda: load_file(Region, path, chunk=chunk, converter=FULL))
    whole = _outcome(lambda: loads(Region, path.read_bytes(), source=str(path), converter=FULL))
    return streamed, whole


def _counting() -> tuple[Any, list[int]]:
    """A converter that notes each community it structures."""
    converter = make_converter(reveal_personal_data=True)
    structure = converter.get_structure_hook(Community)
    calls: list[int] = []

    def community(value: Any, cls: type[Any]) -> Any:
        calls.append(1)
        return structure(value, cls)

    converter.register_structure_hook(Community, community)
    return converter, calls


class TestSameAsTheWholeText:
    @SLOW
    @given(region=sqst.regions(max_items=4), chunk=st.sampled_from([1, 2, 7, 64, 1 << 20]))
    def test_a_valid_document_reads_the_same_whatever_the_chunks(
        self, tmp_path: Path, region: Region, chunk: int
    ) -> None:
        """The same region, each community structured once: read item by item, never
        read again from the whole text."""
        path = tmp_path / "r.json"
        text = dumps(region, converter=FULL)
        path.write_text(("\ufeff" if chunk < 3 else "") + text, encoding="utf-8")
        counting, calls = _counting()
        assert load_file(Region, path, chunk=chunk, converter=counting) == region
        assert calls == [1] * len(region.communities)
        streamed, whole = _both(path, chunk)
        assert streamed == whole == ("entity", region)

    @SLOW
    @given(
        region=sqst.regions(max_items=3),
        chunk=st.sampled_from([1, 5, 64, 1 << 20]),
        edits=st.lists(
            st.tuples(
                st.floats(0, 1),
                st.sampled_from(["delete", "insert", "replace"]),
                st.sampled_from(
                    [
                        b"",
                        b",",
                        b"]",
                        b"}",
                        b"{",
                        b'"',
                        b":",
                        b"1",
                        b"-",
                        b"\xff",
                        b"\xe4",
                        b" ",
                        b"\n",
                        b"\xef\xbb\xbf",
                        b'"communities": [],',
                        b"NaN",
                        b"1e999",
                        b'"x"',
                        b"[]",
                        b"null",
                        b'"\\ud800"',
                    ]
                ),
            ),
            min_size=1,
            max_size=3,
        ),
    )
    def test_a_changed_document_gets_the_same_answer(
        self, tmp_path: Path, region: Region, chunk: int, edits: list[tuple[float, str, bytes]]
    ) -> None:
        """Cut, broken or padded text — not JSON, not UTF-8, duplicate keys, limits, bad
        values — gets the same entity or the same problems, in the same order."""
        data = bytearray(dumps(region, converter=FULL).encode())
        for where, how, piece in edits:
            at = int(where * len(data))
            if how == "delete":
                del data[at : at + max(1, len(piece))]
            elif how == "insert":
                data[at:at] = piece
            else:
                data[at : at + len(piece)] = piece
        path = tmp_path / "r.json"
        path.write_bytes(bytes(data))
        streamed, whole = _both(path, chunk)
        assert streamed == whole

    @pytest.mark.parametrize(
        "text",
        [
            '{"schema_version": 1, "document": "region", "communities": [], "communities": []}',
            '{"schema_version": 1, "document": "region", "root": {}, "communities": {}}',
            '{"schema_version": 1, "document": "region"}',
            '{"schema_version": 1, "document": "region", "communities": [1, 2]}',
            "[]",
            "",
            '{"schema_version": 1} {}',
            '\ufeff{"schema_version": 1, "document": "community"}',
        ],
    )
    def test_documents_that_are_refused(self, tmp_path: Path, text: str) -> None:
        path = tmp_path / "r.json"
        path.write_text(text, encoding="utf-8")
        for chunk in (1, 3, 1 << 20):
            streamed, whole = _both(path, chunk)
            assert streamed[0] == "error"
            assert streamed == whole

    @SLOW
    @given(region=sqst.regions(max_items=3).filter(lambda r: len(r.communities) == 1))
    def test_the_entitys_own_rules_see_every_item(self, tmp_path: Path, region: Region) -> None:
        """Two communities with one code: the region's rule refuses them, as it does when
        the whole text is read."""
        text = dumps(region, converter=FULL)
        start = text.index('"communities": [') + len('"communities": [')
        one = text[start : text.index("\n  ]", start)].strip()
        path = tmp_path / "r.json"
        path.write_text(text.replace(one, f"{one}, {one}"), encoding="utf-8")
        streamed, whole = _both(path, 1 << 20)
        assert streamed[0] == "error"
        assert "community code" in str(streamed[1])
        assert streamed == whole


@settings(max_examples=3, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(region=sqst.regions(max_items=4).filter(lambda r: len(r.communities) >= 2))
def test_items_are_read_as_the_file_comes_in(tmp_path: Path, region: Region) -> None:
    """The communities are structured while the file is still being written to a pipe:
    the text is never read whole before the items are made."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    text = dumps(region, converter=FULL)
    end = text.rindex("\n  ]")  # the end of the communities: white space past a pipe's buffer
    data = (text[:end] + " " * 300_000 + text[end:]).encode()
    pipe = tmp_path / f"r{threading.get_ident()}-{len(data)}.json"
    if pipe.exists():
        pipe.unlink()
    os.mkfifo(pipe)
    written = [0]
    seen: list[int] = []
    converter = make_converter(reveal_personal_data=True)
    structure = converter.get_structure_hook(Community)

    def community(value: Any, cls: type[Any]) -> Any:
        seen.append(written[0])
        return structure(value, cls)

    converter.register_structure_hook(Community, community)
    result: list[Any] = []

    def read() -> None:
        result.append(_outcome(lambda: load_file(Region, pipe, chunk=16, converter=converter)))

    reader = threading.Thread(target=read)
    reader.start()
    with pipe.open("wb") as handle:
        for start in range(0, len(data), 4096):
            handle.write(data[start : start + 4096])
            handle.flush()
            written[0] = start + 4096
    reader.join(timeout=60)
    if reader.is_alive():  # read again from the start: the pipe has no more to give
        with pipe.open("wb"):
            pass
        reader.join()
        pytest.fail("the file was read again: the items were not read as they came")
    assert result == [("entity", region)]
    assert len(seen) == len(region.communities)
    assert seen[0] < len(data)  # the first community was made before the text was all there
    pipe.unlink()


def test_a_file_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_file(Region, tmp_path / "none.json")


def test_what_is_not_a_document_or_a_chunk(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(TypeError, match="an entity class with a document kind"):
        load_file(int, path)
    for chunk in (0, -1, True, 1.5):
        with pytest.raises(InvalidArgumentError, match="chunk: expected a whole number"):
            load_file(Region, path, chunk=chunk)  # type: ignore[arg-type]


def test_a_converter_with_its_own_array_hook_is_used(tmp_path: Path) -> None:
    """A hook a caller registered for the communities array (here: reversing them) is
    used, as loads uses it: the text is then read whole."""
    converter = make_converter(reveal_personal_data=True)
    items = converter.get_structure_hook(tuple[Community, ...])
    converter.register_structure_hook_func(
        lambda t: t == tuple[Community, ...],
        lambda value, cls: tuple(reversed(items(value, cls))),
    )
    region = _two_communities()
    path = tmp_path / "r.json"
    path.write_text(dumps(region, converter=FULL), encoding="utf-8")
    read = load_file(Region, path, converter=converter)
    assert read == loads(Region, path.read_bytes(), converter=converter)
    assert read.communities == tuple(reversed(region.communities))


def test_a_refused_document_from_a_pipe_gets_the_same_problems(tmp_path: Path) -> None:
    """A pipe cannot be read again: what was read of it is kept for the report."""
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    text = '{"schema_version": 1, "document": "region", "colour": 1}'
    expected = _outcome(lambda: loads(Region, text.encode(), source="p"))
    pipe = tmp_path / "p.json"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_bytes(text.encode()))
    writer.start()
    try:
        got = _outcome(lambda: load_file(Region, pipe, chunk=8, source="p"))
    finally:
        writer.join()
    assert got == expected
    assert got[0] == "error"
    assert "$.colour" in str(got[1])


def _two_communities() -> Region:
    from sqfw.entities import Community, Division, DivisionKind

    root = Division(code="150000000000", name="内蒙古自治区", kind=DivisionKind.AUTONOMOUS_REGION)
    communities = tuple(
        Community(code=f"15010200100{n}", name=f"第{n}社区", kind="urban") for n in (1, 2)
    )
    return Region(root=root, communities=communities)


def test_progress_counts_the_bytes_read(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    text = '{"schema_version": 1, "document": "region", "root": {"code": "150000000000", '
    path.write_text(text + '"name": "内蒙古自治区", "kind": "autonomous_region"}}', "utf-8")
    seen: list[tuple[int, int]] = []
    read = load_file(Region, path, chunk=16, progress=lambda d, t: seen.append((d, t)))
    size = path.stat().st_size
    assert read.root.code == "150000000000"
    assert [t for _, t in seen] == [size] * len(seen)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert seen[-1] == (size, size)
    assert len(seen) > 2


def test_a_document_past_the_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file larger than a document may be is refused before it is read, as loads refuses
    it; a pipe is refused once that much came, without reading on."""
    import sqfw._json as bounded

    monkeypatch.setattr(bounded, "MAX_DOCUMENT_BYTES", 100)
    text = dumps(_two_communities(), converter=FULL).encode()
    path = tmp_path / "r.json"
    path.write_bytes(text)
    got = _outcome(lambda: load_file(Region, path, source="r"))
    assert got == _outcome(lambda: loads(Region, text, source="r"))
    assert got[1][1][0][1].startswith("a document of at most 100 bytes")
    if not hasattr(os, "mkfifo"):
        return
    pipe = tmp_path / "p.json"
    os.mkfifo(pipe)

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), pipe.open("wb") as handle:
            handle.write(text)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        with pytest.raises(DocumentError, match="a document of at most 100 bytes, got"):
            load_file(Region, pipe, chunk=64)
    finally:
        writer.join()
