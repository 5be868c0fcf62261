"""Files sqfw writes are whole or absent: atomic_write."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sqfw._files import atomic_write


class TestAtomicWrite:
    """A target is replaced only by a complete file."""

    def test_writes_text_and_bytes(self, tmp_path: Path) -> None:
        """Text is written in the encoding; bytes as given; no temporary file remains."""
        text, data = tmp_path / "a.txt", tmp_path / "b.bin"
        with atomic_write(text) as stream:
            stream.write("社区\n")
        with atomic_write(data, "wb") as stream:
            stream.write(b"\x00\x01")
        assert text.read_text(encoding="utf-8") == "社区\n"
        assert data.read_bytes() == b"\x00\x01"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.bin"]

    @pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
    def test_failure_keeps_the_old_file(self, tmp_path: Path, error: type[BaseException]) -> None:
        """An error or an interrupt mid-write leaves the old file and no temporary one."""
        target = tmp_path / "report.csv"
        target.write_text("old", encoding="utf-8")

        def write() -> None:
            with atomic_write(target) as stream:
                stream.write("half a")
                raise error

        with pytest.raises(error):
            write()
        assert target.read_text(encoding="utf-8") == "old"
        assert [p.name for p in tmp_path.iterdir()] == ["report.csv"]

    def test_new_file_absent_after_failure(self, tmp_path: Path) -> None:
        """A failed first write leaves nothing at all."""

        def write() -> None:
            with atomic_write(tmp_path / "x.json") as stream:
                stream.write("{")
                raise ValueError("boom")

        with pytest.raises(ValueError, match="boom"):
            write()
        assert list(tmp_path.iterdir()) == []

    def test_permissions_follow_the_umask(self, tmp_path: Path) -> None:
        """The file is readable as an ordinary new file would be (not 0600)."""
        target = tmp_path / "x.txt"
        with atomic_write(target) as stream:
            stream.write("x")
        current = os.umask(0)
        os.umask(current)
        assert target.stat().st_mode & 0o777 == 0o666 & ~current

    def test_bad_mode(self, tmp_path: Path) -> None:
        """Only text and binary writing are offered."""
        with pytest.raises(ValueError, match="mode"):
            atomic_write(tmp_path / "x", "a")  # type: ignore[call-overload]
