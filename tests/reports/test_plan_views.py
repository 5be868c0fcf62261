"""Every view lists the targets of the plan that was assessed, not those of another plan."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from sqfw.analysis import Assessment, assess, sample_region
from sqfw.reports import write_report
from sqfw.standards import get_plan

PLANS = ("im-13th", "cn-14th")


@pytest.fixture(scope="module", params=PLANS)
def assessed(request: pytest.FixtureRequest) -> Assessment:
    return assess(sample_region(seed=5), plan=request.param)


class TestTargetsOfThePlan:
    """The HTML page's methods and gaps, the workbook's gap sheet and the charts follow the
    assessment's own plan."""

    def test_definitions_are_the_plans(self, assessed: Assessment) -> None:
        """The definitions listed are exactly the plan's targets.toml ids, in its order."""
        text = get_plan(assessed.plan.id).targets_text()
        assert text is not None
        ids = re.findall(r'^id = "([^"]+)"', text.split("[[targets]]", 1)[1], re.M)
        assert [d.id for d in assessed.target_definitions] == ids

    def test_html_methods_and_gaps(self, assessed: Assessment, tmp_path: Path) -> None:
        """The page's methods section names every target of the plan and no other plan's;
        the gaps section ranks every target that has places with a gap."""
        path = tmp_path / "r.html"
        write_report(assessed, path, format="html", lang="en")
        page = html.unescape(path.read_text(encoding="utf-8"))
        methods = page.split('id="methods"', 1)[1]
        for d in assessed.target_definitions:
            assert f"{d.label_en} ({'/'.join(d.clauses)})" in methods
        other = next(p for p in PLANS if p != assessed.plan.id)
        for d in assess(sample_region(seed=5), plan=other).target_definitions:
            if d.id not in {t.id for t in assessed.target_definitions}:
                assert f"{d.label_en} ({'/'.join(d.clauses)})" not in methods
        gaps = page.split('id="gaps"', 1)[1].split("</section>", 1)[0]
        ranked = [d for d in assessed.target_definitions if assessed.gaps(d.id)]
        assert ranked
        assert gaps.count("<table") >= len(
            [d for d in ranked if any(t.gap for t in assessed.gaps(d.id))]
        )

    def test_workbook_gaps_sheet(self, assessed: Assessment, tmp_path: Path) -> None:
        """The workbook's gap sheet holds rows of the plan's own targets only."""
        openpyxl = pytest.importorskip("openpyxl")
        path = tmp_path / "r.xlsx"
        write_report(assessed, path, format="xlsx", lang="en")
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            sheet = next(name for name in book.sheetnames if "gap" in name.lower())
            rows = list(book[sheet].iter_rows(values_only=True))
        finally:
            book.close()
        header = [str(c) for c in rows[0]]
        labels = {str(r[header.index("target")]) for r in rows[1:] if r and r[0] is not None}
        own = {d.label_en for d in assessed.target_definitions}
        assert labels
        assert labels <= own
