"""The rule cases of ``tests/cases/**``: one per boundary of each clause, run as data."""

from __future__ import annotations

import re

import pytest

from sqfw.calculators import Status

from .rule_cases import CASES, Case, exact, load_cases, run

ALL = list(load_cases())


class TestRuleCases:
    """Each case gives the status and figures its file expects."""

    @pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
    def test_case(self, case: Case) -> None:
        """The calculator's status, measured, required and shortfall match the case."""
        result = run(case)
        assert case.clause in result.clauses
        assert result.status is Status(case.expect["status"]), result.explanation_en
        for key in ("measured", "required", "shortfall"):
            if key in case.expect:
                got = getattr(result, key)
                assert got is not None, key
                assert exact(got) == exact(case.expect[key]), (key, got)
        if "explanation_zh" in case.expect:
            assert case.expect["explanation_zh"] in result.explanation_zh
        if "explanation_en" in case.expect:
            assert case.expect["explanation_en"] in result.explanation_en
        if case.overrides:
            assert result.overrides, "an override used must appear in the trace"


class TestCaseCatalogue:
    """The catalogue covers every quantitative clause on both sides of its boundary."""

    CLAUSES = ("§1.1", "§1.2", "§1.4", "§2.1", "§2.4", "§2.11", "§2.12", "§2.13", "§2.14", "§3.11")
    CLAUSES += ("§5.2", "§5.3", "§5.4", "§5.11")

    @pytest.mark.parametrize("clause", CLAUSES)
    def test_both_sides(self, clause: str) -> None:
        """Each clause has at least one passing and one failing case."""
        statuses = {c.expect["status"] for c in ALL if c.clause == clause}
        assert {"pass", "fail"} <= statuses, clause

    def test_cases_are_well_named(self) -> None:
        """Every case names a §n.n clause and has a sentence for a name; names are unique."""
        assert CASES.is_dir()
        names = [c.name for c in ALL]
        assert len(names) == len(set(names))
        for case in ALL:
            assert re.match(r"^§\d+\.\d+$", case.clause)
            assert len(case.name.split()) >= 4, case.name
