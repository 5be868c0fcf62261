"""A host's keys in a TOML file (:func:`sqfw.store.load_host_keys`), and ``sqfw assess
--tickets STORE --keys FILE``, which verifies every stored ticket entry's signature with
them: a forged, correctly hashed entry INSERTed into the store stops the report."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest
from tests.tickets import handled_legal_aid

pytest.importorskip("sqlalchemy")

from tampering_helpers import write_entry

from sqfw.cli import main
from sqfw.errors import DocumentError, MissingFileError
from sqfw.store import SqlStore, load_host_keys
from sqfw.testing import forged_entry
from sqfw.workflows import HostKey, WorkflowRecord
from sqfw.workflows.ticket import TicketWorkflow, example_catalogue

SECRET = "county a's secret, 32 bytes long"  # 32 ASCII bytes
KEY = HostKey(key_id="county-a", secret=SECRET)
WHEN = pendulum.datetime(2019, 9, 27, 11, tz="Asia/Shanghai")


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "keys.toml"
    path.write_text(text, encoding="utf-8")
    return path


class TestTheFile:
    def test_hex_and_text_secrets(self, tmp_path: Path) -> None:
        path = write(
            tmp_path,
            f'[[keys]]\nkey_id = "county-a"\nsecret_hex = "{SECRET.encode().hex()}"\n\n'
            '[[keys]]\nkey_id = "county-a-2023"\nsecret = "sixteen bytes!!!"\n',
        )
        first, second = load_host_keys(path)
        assert first == KEY  # the same bytes, read from hexadecimal
        assert first.mac("a" * 64) == KEY.mac("a" * 64)
        assert (second.key_id, second.secret) == ("county-a-2023", b"sixteen bytes!!!")

    def test_sixteen_bytes_is_the_least(self, tmp_path: Path) -> None:
        """16 bytes pass (above); 15 bytes, in either form, are refused."""
        short = write(tmp_path, '[[keys]]\nkey_id = "k"\nsecret = "fifteen bytes!!"\n')
        with pytest.raises(DocumentError, match=r"\$\.keys\[0\]\.secret: .*got '15 bytes'"):
            load_host_keys(short)
        short_hex = write(tmp_path, f'[[keys]]\nkey_id = "k"\nsecret_hex = "{"ab" * 15}"\n')
        with pytest.raises(DocumentError, match=r"\$\.keys\[0\]\.secret_hex: .*16 bytes"):
            load_host_keys(short_hex)

    @pytest.mark.parametrize(
        ("text", "path"),
        [
            ("", r"\$\.keys: expected one or more"),
            ('key_id = "k"\n', r"\$: expected only \[\[keys\]\]"),
            ('[[keys]]\nkey_id = "k"\n', "exactly one of secret and secret_hex"),
            (f'[[keys]]\nkey_id = "k"\nsecret = "{SECRET}"\nsecret_hex = "00"\n', "exactly one"),
            ('[[keys]]\nkey_id = "k"\nsecret_hex = "not hex at all, no"\n', "hexadecimal"),
            (f'[[keys]]\nkey_id = "a:b"\nsecret = "{SECRET}"\n', r"key_id: .*without ':'"),
            (f'[[keys]]\nkey_id = "k"\nsecret = "{SECRET}"\nnote = "x"\n', "unknown fields"),
            (
                f'[[keys]]\nkey_id = "k"\nsecret = "{SECRET}"\n' * 2,
                r"\$\.keys\[1\]\.key_id: 'k' given twice",
            ),
            ("keys = [1]\n", r"\$\.keys\[0\]: expected a table"),
            ("[[keys]\n", "cannot be read as UTF-8 TOML"),
        ],
    )
    def test_refused_with_the_place(self, tmp_path: Path, text: str, path: str) -> None:
        with pytest.raises(DocumentError, match=path) as info:
            load_host_keys(write(tmp_path, text))
        assert SECRET not in str(info.value)  # a secret is never shown

    def test_not_utf8(self, tmp_path: Path) -> None:
        path = tmp_path / "keys.toml"
        path.write_bytes(b'[[keys]]\nkey_id = "\xff"\n')
        with pytest.raises(DocumentError, match="UTF-8"):
            load_host_keys(path)

    def test_missing(self, tmp_path: Path) -> None:
        with pytest.raises(MissingFileError):
            load_host_keys(tmp_path / "none.toml")


@pytest.fixture
def signed_store(tmp_path: Path) -> tuple[Path, WorkflowRecord]:
    """A store of one answered ticket, every entry signed with KEY."""
    path = tmp_path / "tickets.db"
    wf = TicketWorkflow(catalogue=example_catalogue(), key=KEY)
    store = SqlStore(str(path), workflows=[wf], keys=[KEY])
    record = handled_legal_aid(wf, "T1", at=WHEN)
    store.save(record)
    store.dispose()
    return path, record


def forge_rating(path: Path, record: WorkflowRecord) -> None:
    """INSERT a correctly hashed, unsigned 'very satisfied' rating and move the record to it,
    as anyone who can connect to the database can."""
    store = SqlStore(str(path), workflows=[TicketWorkflow(catalogue=example_catalogue())])
    columns = forged_entry(
        record,
        event="rate",
        target="rated",
        at=WHEN.add(days=1),
        data={"satisfaction": "very_satisfied"},
        actor="resident",
    )
    write_entry(store, workflow=record.workflow, record_id=record.record_id, columns=columns)
    store.dispose()


def keys_file(tmp_path: Path) -> Path:
    return write(tmp_path, f'[[keys]]\nkey_id = "county-a"\nsecret = "{SECRET}"\n')


class TestAssessWithKeys:
    def test_a_signed_store_is_verified(
        self,
        signed_store: tuple[Path, WorkflowRecord],
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        path, _ = signed_store
        args = ["assess", "--tickets", str(path), "--keys", str(keys_file(tmp_path))]
        assert main([*args, "--format", "json", "--findings", "none"]) == 0
        assert "not checked" not in capsys.readouterr().err

    def test_a_forged_entry_stops_the_report(
        self,
        signed_store: tuple[Path, WorkflowRecord],
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        path, record = signed_store
        forge_rating(path, record)
        args = ["assess", "--tickets", str(path), "--findings", "none", "--format", "json"]
        assert main([*args, "--keys", str(keys_file(tmp_path))]) == 2
        err = capsys.readouterr().err
        assert err.startswith("sqfw: error: cannot read the tickets of")
        assert "'T1'" in err
        assert "host key" in err
        assert "Traceback" not in err
        # without the keys the forged rating is read, and the command says what it did not check
        out = tmp_path / "r.json"
        assert main([*args, "--output", str(out)]) == 0
        assert "host signatures were not checked (no --keys)" in capsys.readouterr().err

    def test_the_wrong_keys_refuse_the_genuine_entries(
        self,
        signed_store: tuple[Path, WorkflowRecord],
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        path, _ = signed_store
        other = write(tmp_path, '[[keys]]\nkey_id = "county-b"\nsecret = "another host key!"\n')
        assert main(["assess", "--tickets", str(path), "--keys", str(other)]) == 2
        assert "host key" in capsys.readouterr().err

    def test_a_bad_keys_file_is_one_line_without_the_secret(
        self,
        signed_store: tuple[Path, WorkflowRecord],
        tmp_path: Path,
        capsys: pytest.CaptureFixture[str],
    ) -> None:
        path, _ = signed_store
        bad = write(tmp_path, f'[[keys]]\nkey_id = "a:b"\nsecret = "{SECRET}"\n')
        assert main(["assess", "--tickets", str(path), "--keys", str(bad)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("sqfw: error:")
        assert "$.keys[0].key_id" in err
        assert SECRET not in err
        assert "Traceback" not in err

    def test_keys_need_tickets(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["assess", "--keys", str(keys_file(tmp_path))]) == 2
        assert "--keys applies to the tickets of --tickets STORE" in capsys.readouterr().err
