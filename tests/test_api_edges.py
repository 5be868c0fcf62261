"""The API's edges, probed as an attacker would: every refusal is one of the SqfwError tree.

Each call below raised a bare ``ValueError``, ``KeyError`` or ``TypeError`` before; each
now raises the error of the tree that names the argument, what it accepts and what came,
and stays an instance of the built-in it raised, so ``except ValueError`` keeps working.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pendulum
import pytest

from sqfw import errors, reports
from sqfw.analysis import Assessment, Baselines, assess, load_table, sample_region
from sqfw.calculators import norm
from sqfw.entities import SocialOrganization
from sqfw.entities.divisions import division_level
from sqfw.errors import (
    InvalidArgumentError,
    MissingFileError,
    NotFoundError,
    SqfwError,
    TrailBroken,
    TransitionRefused,
)
from sqfw.labels import LANGS, check_lang
from sqfw.reports import write_report
from sqfw.workflows import WorkflowRecord
from sqfw.workflows.filing import OrgFilingWorkflow, filing_data

T0 = pendulum.datetime(2020, 6, 1, 9, tz="Asia/Shanghai")


@pytest.fixture(scope="module")
def result() -> Assessment:
    return assess(sample_region(seed=7), on="2020-12-31")


def _table(tmp_path: Path) -> Path:
    path = tmp_path / "t.csv"
    path.write_text("社区代码,户数\n150102001001,3\n", encoding="utf-8")
    return path


class TestListedCalls:
    """Every call the issue lists raises an SqfwError naming the argument."""

    @pytest.mark.parametrize(
        ("call", "error", "builtin", "argument"),
        [
            (lambda a, p: division_level("abc"), InvalidArgumentError, ValueError, "code"),
            (lambda a, p: reports.text(a, lang="fr"), InvalidArgumentError, ValueError, "lang"),
            (lambda a, p: reports.text(a, top=0), InvalidArgumentError, ValueError, "top"),
            (
                lambda a, p: write_report(a, p / "x.pdf", format="pdf"),
                InvalidArgumentError,
                ValueError,
                "format",
            ),
            (
                lambda a, p: load_table(_table(p), on_error="x"),  # type: ignore[arg-type]
                InvalidArgumentError,
                ValueError,
                "on_error",
            ),
            (
                lambda a, p: sample_region(size="huge"),  # type: ignore[arg-type]
                InvalidArgumentError,
                ValueError,
                "size",
            ),
            (lambda a, p: a.target("nope"), NotFoundError, KeyError, "target"),
            (lambda a, p: a.place("nope"), NotFoundError, KeyError, "place"),
            (lambda a, p: a.explain("nope"), NotFoundError, KeyError, "community_code"),
            (lambda a, p: norm("nope"), NotFoundError, KeyError, "norm"),
            (
                lambda a, p: Baselines(previous_direct_election_ratio="2"),
                InvalidArgumentError,
                ValueError,
                "Baselines.previous_direct_election_ratio",
            ),
        ],
        ids=[
            "division_level",
            "to_text-lang",
            "to_text-top",
            "write_report-format",
            "load_table-on_error",
            "sample_region-size",
            "target",
            "place",
            "explain",
            "norm",
            "Baselines",
        ],
    )
    def test_refused(
        self,
        result: Assessment,
        tmp_path: Path,
        call: Callable[[Assessment, Path], Any],
        error: type[SqfwError],
        builtin: type[Exception],
        argument: str,
    ) -> None:
        with pytest.raises(error) as caught:
            call(result, tmp_path)
        assert isinstance(caught.value, builtin)
        assert str(caught.value).startswith(f"{argument}: expected ")

    def test_a_target_at_an_unknown_place_names_the_place(self, result: Assessment) -> None:
        with pytest.raises(NotFoundError, match=r"^place: .*got '159999000000'"):
            result.target("facility_area", "159999000000")
        assert result.target("facility_area", result.region.code).target.id == "facility_area"

    def test_not_found_lists_the_keys(self) -> None:
        """A NotFoundError reads as a sentence, not as the repr a KeyError shows."""
        with pytest.raises(NotFoundError) as caught:
            norm("nope")
        assert str(caught.value).startswith("norm: expected the id of a per-community norm")
        assert "facility_area" in str(caught.value)
        assert norm("facility_area").id == "facility_area"

    def test_a_missing_file_is_a_file_not_found(self, tmp_path: Path) -> None:
        with pytest.raises(MissingFileError) as caught:
            load_table(tmp_path / "none.csv")
        assert isinstance(caught.value, FileNotFoundError)
        assert str(caught.value).endswith("none.csv")

    def test_a_wrong_type_is_an_argument_error_and_a_type_error(self) -> None:
        with pytest.raises(InvalidArgumentError, match=r"^data: expected a RegionDataset") as e:
            assess(None)  # type: ignore[arg-type]
        assert isinstance(e.value, TypeError)


class TestRecords:
    """A record that does not hold is refused by the tree."""

    def test_blank_id(self) -> None:
        with pytest.raises(errors.InvalidEntityError, match=r"^WorkflowRecord\.record_id"):
            WorkflowRecord(workflow="org_filing", record_id=" ", state="draft")

    def test_a_trail_that_lost_an_entry(self) -> None:
        """Dropping an entry from a stored trail breaks the record: its version says more."""
        wf = OrgFilingWorkflow()
        organization = SocialOrganization(
            id="o1",
            name="幸福里邻里互助会",
            kind="mutual_aid",
            community_code="150102001001",
            responsible_person="张三",
            meets_registration_conditions=False,
        )
        r = wf.apply(wf.new("O1"), "submit", actor="a", at=T0, data=filing_data(organization))
        r = wf.apply(r, "start_review", actor="clerk", at=T0)
        with pytest.raises(TrailBroken) as caught:
            WorkflowRecord(
                workflow=r.workflow,
                record_id=r.record_id,
                state=r.state,
                trail=r.trail[1:],
                version=r.version,
                head=r.head,
            )
        assert caught.value.index == 1
        assert isinstance(caught.value, ValueError)
        assert (
            WorkflowRecord(  # the whole trail holds
                workflow=r.workflow,
                record_id=r.record_id,
                state=r.state,
                trail=r.trail,
                version=r.version,
                head=r.head,
            ).version
            == 2
        )

    def test_an_empty_reason(self) -> None:
        """``reason=""`` is refused like every other bad reason, not by the entry's check."""
        wf = OrgFilingWorkflow()
        organization = SocialOrganization(
            id="o1",
            name="幸福里邻里互助会",
            kind="mutual_aid",
            community_code="150102001001",
            responsible_person="张三",
            meets_registration_conditions=False,
        )
        r = wf.apply(wf.new("O1"), "submit", actor="a", at=T0, data=filing_data(organization))
        for blank in ("", "  "):
            with pytest.raises(TransitionRefused, match="non-blank text"):
                wf.apply(r, "start_review", actor="clerk", at=T0, reason=blank)
        assert wf.apply(r, "start_review", actor="clerk", at=T0, reason="x").state


class TestLang:
    """One Lang type, checked once."""

    @pytest.mark.parametrize("lang", LANGS)
    def test_accepted(self, lang: str) -> None:
        assert check_lang(lang) == lang

    @pytest.mark.parametrize("lang", ["fr", "ZH", "zh ", "", None, 1, b"zh"])
    def test_refused(self, lang: object) -> None:
        with pytest.raises(InvalidArgumentError, match=r"^lang: expected 'zh' or 'en'"):
            check_lang(lang)


class TestMovedClasses:
    """The four classes that moved into sqfw.errors are importable where they were."""

    def test_same_class_at_the_old_place(self) -> None:
        from sqfw.analysis import UnknownProject
        from sqfw.population import RegisterError
        from sqfw.workflows import WorkflowInputError
        from sqfw.workflows.ticket import CatalogueError

        assert WorkflowInputError is errors.WorkflowInputError
        assert RegisterError is errors.RegisterError
        assert CatalogueError is errors.CatalogueError
        assert UnknownProject is errors.UnknownProject


class TestCommandLine:
    """The command line catches the tree, not the built-ins beside it."""

    ALLOWED = {"SqfwError", "OSError", "ImportError", "KeyboardInterrupt", "UnicodeEncodeError"}

    def test_catches_only_the_tree(self) -> None:
        import sqfw.cli

        tree = ast.parse(Path(sqfw.cli.__file__).read_text(encoding="utf-8"))
        caught: set[str] = set()
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef) or function.name == "_say":
                continue  # _say: a closed stderr is nothing to report
            for node in ast.walk(function):
                if isinstance(node, ast.ExceptHandler) and node.type is not None:
                    names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
                    caught |= {n.id for n in names if isinstance(n, ast.Name)}
        assert "SqfwError" in caught
        assert caught <= self.ALLOWED, caught - self.ALLOWED


class TestScenarioOptions:
    """A scenario's interventions refuse what they cannot apply, on both sides of 0."""

    def test_area_and_counts(self) -> None:
        from sqfw.analysis import BuildFacilityArea, ConvertToDirectElection, EquipStreetHalls

        assert BuildFacilityArea(m2=0).m2 == 0
        assert ConvertToDirectElection(count=0).count == 0
        assert EquipStreetHalls(count=0).count == 0
        for make in (
            lambda: BuildFacilityArea(m2=-1),
            lambda: BuildFacilityArea(m2="lots"),
            lambda: ConvertToDirectElection(count=-1),
            lambda: ConvertToDirectElection(count=1, order="random"),  # type: ignore[arg-type]
            lambda: EquipStreetHalls(count=-1),
            lambda: EquipStreetHalls(places=[150102]),  # type: ignore[list-item]
        ):
            with pytest.raises(InvalidArgumentError):
                make()


class TestEntryChecks:
    """What the entry points of the API walk's former exceptions say: where (the class and
    field, or the function and argument), what was expected and what came."""

    def test_a_field_names_its_class(self) -> None:
        from sqfw.calendar import WorkingDayCalendar
        from sqfw.workflows.ticket import TicketFacts

        with pytest.raises(
            InvalidArgumentError, match=r"^TicketFacts\.offices: expected a mapping, got 3$"
        ):
            TicketFacts(offices=3)  # type: ignore[arg-type]
        assert dict(TicketFacts(offices={"justice": "x"}).offices) == {"justice": "x"}
        with pytest.raises(
            InvalidArgumentError, match=r"WorkingDayCalendar\.extra_holidays: .*'x'"
        ):
            WorkingDayCalendar(extra_holidays=["x"])
        with pytest.raises(InvalidArgumentError, match="a list of dates, got 5"):
            WorkingDayCalendar(extra_holidays=5)  # type: ignore[arg-type]

    def test_a_host_key_never_shows_its_secret(self) -> None:
        from sqfw.workflows import HostKey

        secret = "fifteen bytes!!"
        with pytest.raises(InvalidArgumentError, match="got '15 bytes'") as info:
            HostKey(key_id="k", secret=secret)
        assert secret not in str(info.value)
        assert HostKey(key_id="k", secret=secret + "!").secret == b"fifteen bytes!!!"  # 16
        with pytest.raises(InvalidArgumentError, match=r"HostKey\.key_id: .*without ':'"):
            HostKey(key_id="a:b", secret=secret + "!")

    def test_the_bare_workflow_and_a_workflow_of_wrong_parts(self) -> None:
        from sqfw.errors import WorkflowInputError
        from sqfw.workflows import TrailValidator, Workflow
        from sqfw.workflows.election import ElectionWorkflow

        with pytest.raises(WorkflowInputError, match="a workflow class with a state machine"):
            Workflow()
        with pytest.raises(InvalidArgumentError, match=r"OrgFilingWorkflow\(clock\)"):
            OrgFilingWorkflow(clock="now")  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError, match=r"TrailValidator\(workflow\)"):
            TrailValidator(OrgFilingWorkflow())  # type: ignore[arg-type]
        assert TrailValidator(OrgFilingWorkflow).workflow == "org_filing"
        with pytest.raises(InvalidArgumentError, match="rules= or standards="):
            ElectionWorkflow()

    def test_has_facility_on_both_sides_of_zero(self) -> None:
        import numpy as np

        from sqfw.calculators.coverage import has_facility

        assert has_facility(0.01)
        assert not has_facility(0)
        assert not has_facility(float("nan"))
        assert has_facility(np.array([0.0, 1.0])).tolist() == [False, True]
        for wrong in (None, "12", [1.0], True):
            with pytest.raises(InvalidArgumentError, match=r"has_facility\(area\)"):
                has_facility(wrong)

    def test_division_levels_by_member_or_number(self) -> None:
        from sqfw.entities import DivisionLevel
        from sqfw.entities.divisions import ancestor_prefixes, code_pattern

        assert code_pattern(3) == code_pattern(DivisionLevel.COUNTY)
        for wrong in (0, 6, "3", [3], True):
            with pytest.raises(InvalidArgumentError):
                code_pattern(wrong)  # type: ignore[arg-type]
        assert ancestor_prefixes(["150102001001"], DivisionLevel.COUNTY) == ["150102"]
        with pytest.raises(InvalidArgumentError, match="codes"):
            ancestor_prefixes([150102001001], DivisionLevel.COUNTY)  # type: ignore[list-item]


@pytest.mark.parametrize(
    "wrong",
    [{"plans": None}, {"plans": " "}, {"plans": ["cn-14th"]}, {"base": 3}, {"output": 3}],
)
def test_a_plan_skeleton_refuses_wrong_arguments_before_it_reads_them(wrong, tmp_path):
    """A free id with a wrong ``plans``, ``base`` or ``output``: refused, nothing written."""
    from sqfw.standards import write_plan_skeleton

    args = {"base": "cn-14th", "period": "2026-2030", "output": tmp_path / "new", **wrong}
    with pytest.raises(InvalidArgumentError):
        write_plan_skeleton("nope", **args)
    assert not (tmp_path / "new").exists()
    assert write_plan_skeleton("nope", base="cn-14th", period="2026-2030", output=tmp_path / "ok")
