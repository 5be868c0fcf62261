"""Text that names something is only text: one rule, applied wherever a name enters.

The attacker's characters: NUL and the other controls (one database keeps them, another
refuses them), bidi overrides and isolates (text that reads differently from how it is
stored), zero-width characters and the byte order mark (two names that look identical).
The rule (sqfw._text) is checked here against Unicode's own character database, then at
each door: the entities, person names, the table loaders, the workflows, the trail and
the store.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from pathlib import Path

import attrs
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw import PersonName, UnsafeTextError
from sqfw import testing as sqst
from sqfw._text import clean_column, clean_text, unsafe_character
from sqfw.analysis import load_table
from sqfw.entities import Community, Division, ServiceTicket
from sqfw.errors import DataLoadError, InvalidEntityError, TrailBroken
from sqfw.store import SqlStore
from sqfw.workflows import GENESIS, AuditEntry, WorkflowInputError
from sqfw.workflows.filing import OrgFilingWorkflow

T0 = pendulum.datetime(2020, 6, 1, 9, tz="Asia/Shanghai")
ORG = {"id": "o1", "name": "互助会", "kind": "mutual_aid", "community_code": "150102001001"}


def spliced(text: str, char: str, at: int) -> tuple[str, int]:
    """``text`` with ``char`` put at position ``at`` (cut to its length); the 1-based index."""
    at = min(at, len(text))
    return text[:at] + char + text[at:], at + 1


class TestTheRule:
    """The rule refuses exactly the categories it names, checked against unicodedata."""

    @pytest.mark.parametrize(
        ("char", "refused"),
        [
            ("\x1f", True),  # the last C0 control
            (" ", False),  # the first character after them
            ("~", False),
            ("\x7f", True),  # DEL
            ("\x9f", True),  # the last C1 control
            ("\xa0", False),  # NO-BREAK SPACE: a space, shown as one
            ("\u200a", False),  # HAIR SPACE (Zs)
            ("\u200b", True),  # ZERO WIDTH SPACE
            ("\u200f", True),  # RIGHT-TO-LEFT MARK
            ("\u2010", False),  # HYPHEN
            ("\u2027", False),  # HYPHENATION POINT
            ("\u2028", True),  # LINE SEPARATOR
            ("\u202a", True),  # LEFT-TO-RIGHT EMBEDDING
            ("\u202e", True),  # RIGHT-TO-LEFT OVERRIDE
            ("\u202f", False),  # NARROW NO-BREAK SPACE
            ("\u2066", True),  # LEFT-TO-RIGHT ISOLATE
            ("\u2069", True),  # POP DIRECTIONAL ISOLATE
            ("\ufeff", True),  # BOM / ZERO WIDTH NO-BREAK SPACE
            ("\ufefc", False),  # an Arabic ligature just before it
            ("\ue000", True),  # private use
            ("社", False),
        ],
    )
    def test_boundaries(self, char: str, refused: bool) -> None:
        assert (unsafe_character(f"a{char}b") is not None) is refused

    @given(st.characters())
    def test_refused_exactly_the_named_categories(self, char: str) -> None:
        """Against Unicode's database: Cc, Cf, Cs, Co, Zl and Zp, nothing else."""
        category = unicodedata.category(char)
        expected = category in {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}
        assert (unsafe_character(char) is not None) is expected

    @pytest.mark.parametrize("char", ["\n", "\r", "\t"])
    def test_line_breaks_only_in_multi_line_text(self, char: str) -> None:
        assert unsafe_character(f"一{char}二", multiline=True) is None
        assert unsafe_character(f"一{char}二") is not None

    @given(sqst.unsafe_characters().filter(lambda c: c not in "\n\r\t"))
    def test_multi_line_text_still_refuses_the_rest(self, char: str) -> None:
        assert unsafe_character(f"一{char}二", multiline=True) is not None

    def test_names_the_position_and_code_point_not_the_text(self) -> None:
        with pytest.raises(UnsafeTextError) as refused:
            clean_text("张三\u202e丰", field="actor", where="store")
        error = refused.value
        assert (error.entity, error.field, error.index, error.code_point) == (
            "store",
            "actor",
            3,
            "U+202E",
        )
        assert "RIGHT-TO-LEFT OVERRIDE" in str(error)
        assert "张三" not in str(error)

    def test_nfc(self) -> None:
        """The same name typed decomposed (macOS) and composed is the same text."""
        decomposed = "Cafe\u0301"
        assert clean_text(decomposed, field="name") == "Café"
        assert unicodedata.is_normalized("NFC", clean_text(decomposed, field="name"))

    def test_a_column_in_bulk_says_what_each_cell_says(self) -> None:
        values = ["新华社区", "新华\u200b社区", "Cafe\u0301", "plain"]
        out, problems = clean_column(values)
        assert out == ["新华社区", "新华\u200b社区", "Café", "plain"]
        assert [i for i, _ in problems] == [1]
        assert "character 3 is U+200B ZERO WIDTH SPACE" in problems[0][1]


class TestEntities:
    """Names and texts of the entities, and person names, are refused at construction."""

    @given(
        community=sqst.communities(),
        char=sqst.unsafe_characters(),
        at=st.integers(0, 20),
    )
    def test_community_name(self, community: Community, char: str, at: int) -> None:
        name, index = spliced(community.name, char, at)
        with pytest.raises(UnsafeTextError) as refused:
            attrs.evolve(community, name=name)
        assert (refused.value.entity, refused.value.field) == ("Community", "name")
        assert refused.value.index == index
        assert refused.value.code_point == f"U+{ord(char):04X}"

    @pytest.mark.parametrize(
        ("strategy", "entity", "field", "multiline"),
        [
            (sqst.divisions(), "Division", "name", False),
            (sqst.facilities(), "Facility", "name", False),
            (sqst.organizations(), "SocialOrganization", "name", False),
            (sqst.organizations(), "SocialOrganization", "purpose", True),
            (sqst.owners_committees(), "OwnersCommittee", "estate", False),
            (sqst.facility_projects(), "FacilityProject", "name", False),
            (sqst.service_projects(), "ServiceProject", "title", False),
            (sqst.incubation_records(), "IncubationRecord", "platform", False),
            (sqst.community_foundations(), "CommunityFoundation", "name", False),
            (sqst.community_foundations(), "CommunityFoundation", "note", True),
            (sqst.floating_registrations(), "FloatingRegistration", "origin", False),
            (sqst.service_periods(), "ServicePeriod", "title", False),
            (sqst.training_records(), "TrainingRecord", "title", False),
            (sqst.service_tickets(), "ServiceTicket", "summary", True),
            (sqst.service_records(), "ServiceRecord", "activity", False),
        ],
        ids=lambda v: v if isinstance(v, str) else "",
    )
    @given(data=st.data(), char=sqst.unsafe_characters(), at=st.integers(0, 30))
    def test_every_name_and_text(
        self,
        strategy: st.SearchStrategy[object],
        entity: str,
        field: str,
        multiline: bool,
        data: st.DataObject,
        char: str,
        at: int,
    ) -> None:
        """Each text field of the entities, one rule: the field, position and code point."""
        if multiline and char in "\n\r\t":
            char = "\x00"
        item = data.draw(strategy)
        text, index = spliced(getattr(item, field) or "文本", char, at)
        with pytest.raises(UnsafeTextError) as refused:
            attrs.evolve(item, **{field: text})
        assert (refused.value.entity, refused.value.field) == (entity, field)
        assert (refused.value.index, refused.value.code_point) == (index, f"U+{ord(char):04X}")

    @pytest.mark.parametrize("strategy", [sqst.organizations(), sqst.volunteers()])
    @given(data=st.data(), char=sqst.unsafe_characters())
    def test_identifiers(
        self, strategy: st.SearchStrategy[object], data: st.DataObject, char: str
    ) -> None:
        item = data.draw(strategy)
        with pytest.raises(InvalidEntityError, match=r"\.id: expected an identifier"):
            attrs.evolve(item, id=f"a{char}b")

    def test_two_communities_cannot_look_identical(self) -> None:
        plain = Division(code="150102001001", name="新华社区", kind="community")
        assert plain.name == "新华社区"
        with pytest.raises(InvalidEntityError, match=r"Division\.name.*U\+200B"):
            Division(code="150102001002", name="新华\u200b社区", kind="community")

    @given(name=sqst.person_names(), char=sqst.unsafe_characters(), at=st.integers(0, 3))
    def test_person_name_refused_and_never_echoed(
        self, name: PersonName, char: str, at: int
    ) -> None:
        text, index = spliced(name.reveal(), char, at)
        with pytest.raises(UnsafeTextError) as refused:
            PersonName(text)
        assert refused.value.index == index
        assert name.reveal() not in str(refused.value)

    def test_free_text_keeps_its_lines_but_not_a_nul(self) -> None:
        fields = {
            "id": "t1",
            "service_code": "civil_affairs.allowance",
            "kind": "handling",
            "community_code": "150102001001",
            "received_at": T0,
            "applicant": "王芳",
        }
        ticket = ServiceTicket(**fields, summary="第一行\n第二行")
        assert ticket.summary == "第一行\n第二行"
        with pytest.raises(UnsafeTextError, match=r"ServiceTicket\.summary.*U\+0000"):
            ServiceTicket(**fields, summary="第一行\x00")

    def test_a_ticket_applicant_is_a_person_name(self) -> None:
        with pytest.raises(UnsafeTextError, match=r"ServiceTicket\.applicant.*U\+FEFF"):
            ServiceTicket(
                id="t1",
                service_code="civil_affairs.allowance",
                kind="consultation",
                community_code="150102001001",
                received_at=T0,
                applicant="\ufeff王芳",
            )


class TestTables:
    """A table's names follow the same rule: the row is refused with its place."""

    @given(char=sqst.unsafe_characters().filter(lambda c: c not in "\r\n"))
    def test_community_name_cell(self, tmp_path_factory: pytest.TempPathFactory, char: str) -> None:
        path = tmp_path_factory.mktemp("t") / "t.csv"
        path.write_text(
            f"社区代码,社区名称\n150102001001,新华{char}社区\n150102001002,光明社区\n",
            encoding="utf-8",
            newline="",
        )
        with pytest.raises(DataLoadError) as refused:
            load_table(path)
        (problem,) = refused.value.problems
        assert problem.path == "t.csv:row 2:column 社区名称"
        assert f"character 3 is U+{ord(char):04X}" in problem.message
        kept = load_table(path, on_error="skip")
        assert kept.communities.name == ["光明社区"]

    def test_names_are_read_in_nfc(self, tmp_path: Path) -> None:
        path = tmp_path / "t.csv"
        path.write_text("社区代码,社区名称\n150102001001,Cafe\u0301\n", encoding="utf-8")
        assert load_table(path).communities.name == ["Café"]


class TestWorkflows:
    """An actor, a reason or event data with such a character is refused, nothing applied."""

    @given(actor=sqst.texts(max_size=10), char=sqst.unsafe_characters(), at=st.integers(0, 9))
    def test_actor(self, actor: str, char: str, at: int) -> None:
        wf = OrgFilingWorkflow()
        record = wf.new("o1")
        bad, index = spliced(actor, char, at)
        reasons = wf.check(record, "submit", actor=bad, at=T0, data=ORG)
        assert any(f"character {index} is U+{ord(char):04X}" in r for r in reasons)
        options = wf.allowed_events(record, actor=bad, at=T0)
        assert options
        assert not any(o.allowed for o in options)

    def test_a_record_id(self) -> None:
        with pytest.raises(UnsafeTextError, match=r"WorkflowRecord\.record_id.*U\+202E"):
            OrgFilingWorkflow().new("o\u202e1")
        assert OrgFilingWorkflow().new("o1").record_id == "o1"

    def test_an_actor_is_kept_in_nfc(self) -> None:
        wf = OrgFilingWorkflow()
        record = wf.apply(wf.new("o1"), "submit", actor="Jose\u0301", at=T0, data=ORG)
        assert record.trail[0].actor == "José"

    def test_reason_keeps_lines_refuses_bidi(self) -> None:
        wf = OrgFilingWorkflow()
        record = wf.apply(wf.new("o1"), "submit", actor="clerk", at=T0, data=ORG)
        record = wf.apply(record, "start_review", actor="clerk", at=T0.add(hours=1))
        reasons = wf.check(record, "refuse", actor="c", at=T0.add(hours=2), reason="不符\u202e")
        assert any("U+202E" in r for r in reasons)
        assert wf.check(record, "refuse", actor="c", at=T0.add(hours=2), reason="一\n二") == ()

    @given(char=sqst.unsafe_characters().filter(lambda c: c not in "\r\n\t"))
    def test_event_data_values_and_keys(self, char: str) -> None:
        wf = OrgFilingWorkflow()
        record = wf.new("o1")
        with pytest.raises(WorkflowInputError, match=r"\$\.name: .*character 2 is U\+"):
            wf.apply(record, "submit", actor="c", at=T0, data={**ORG, "name": f"互{char}助会"})
        with pytest.raises(WorkflowInputError, match=r"\(a key\).*character 1 is U\+"):
            wf.apply(record, "submit", actor="c", at=T0, data={**ORG, f"{char}name": "x"})

    def test_an_entry_cannot_hold_it(self) -> None:
        """The trail itself refuses it, so nothing can bring it to a store."""
        with pytest.raises(UnsafeTextError, match=r"AuditEntry\.actor.*U\+0000"):
            AuditEntry(
                seq=1,
                event="submit",
                source="draft",
                target="submitted",
                actor="clerk\x00",
                at=T0,
                prev=GENESIS,
                hash="0" * 64,
            )


class TestStore:
    """A row changed behind the store's back to hold a NUL is refused when read."""

    def test_stored_nul_actor(self, tmp_path: Path) -> None:
        wf = OrgFilingWorkflow()
        path = tmp_path / "s.db"
        store = SqlStore(str(path), workflows=[wf])
        store.save(wf.apply(wf.new("o1"), "submit", actor="clerk", at=T0, data=ORG))
        store.dispose()
        with sqlite3.connect(path) as conn:
            conn.execute("DROP TRIGGER sqfw_entries_no_update")
            conn.execute("UPDATE sqfw_entries SET actor = 'cl' || char(0) || 'erk'")
        store = SqlStore(str(path), workflows=[wf])
        with pytest.raises(TrailBroken, match=r"actor.*character 3 is U\+0000"):
            store.load("org_filing", "o1")
        store.dispose()
