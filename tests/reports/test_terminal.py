"""The terminal report as people see it: every bundled plan fits 80 and 100 columns.

Width is counted in terminal cells (a wide or full-width character, East Asian width
"W" or "F", takes two), independently of the code under test. Words are never split: every
run of narrow characters the terminal shows is a run of the unwrapped report (a wrap may
fall between two Chinese characters, at a space, or after "/" or "-").
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqfw import reports
from sqfw._terminal import fit_table
from sqfw.analysis import Assessment, assess, choose_plan, sample_region
from sqfw.cli import main
from sqfw.reports import write_report
from sqfw.reports._html import html_page
from sqfw.standards import bundled_plans

PLANS = ("im-13th", "cn-14th", "cn-laws")
RULE = re.compile(r"^[─ ]+$")


def cells(text: str) -> int:
    """Terminal cells of ``text``: two for East Asian wide and full-width characters."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def narrow_runs(text: str) -> list[str]:
    """The maximal runs of narrow, non-space characters (ASCII words, numbers …)."""
    runs, current = [], ""
    for ch in text:
        if ch.isspace() or unicodedata.east_asian_width(ch) in "WF" or ch == "─":
            if current:
                runs.append(current)
            current = ""
        else:
            current += ch
    if current:
        runs.append(current)
    return runs


def pieces(word: str) -> set[str]:
    """A word and every part of it a line may end or start with (breaks after / and -)."""
    parts = re.findall(r"[^/-]*[/-]|[^/-]+$", word) or [word]
    return {"".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}


def unsplit(shown: str, whole: str) -> list[str]:
    """The runs of ``shown`` that are no word (or /- part of one) of ``whole``."""
    allowed: set[str] = set()
    for word in set(narrow_runs(whole)):
        allowed |= pieces(word)
    return [run for run in narrow_runs(shown) if run not in allowed]


def header_heights(text: str) -> list[int]:
    """For each table, the lines between the blank line before it and its rule."""
    heights, since_blank = [], 0
    for line in text.splitlines():
        if not line.strip():
            since_blank = 0
        elif RULE.match(line):
            heights.append(since_blank)
            since_blank = 0
        else:
            since_blank += 1
    return heights


@pytest.fixture(scope="module", params=PLANS)
def planned(request: pytest.FixtureRequest) -> Assessment:
    """The bundled sample region assessed under each bundled plan."""
    region = sample_region()
    plan, day = choose_plan(request.param, None, region.root.code)
    return assess(region, on=day, plan=plan)


def test_every_bundled_plan_is_tested() -> None:
    assert {p.id for p in bundled_plans()} == set(PLANS)


class TestFits:
    """§ report: every plan's report in zh and en fits 80 and 100 columns, words whole."""

    @pytest.mark.parametrize("columns", [80, 100])
    @pytest.mark.parametrize("lang", ["zh", "en"])
    def test_fits_and_never_splits_a_word(
        self, planned: Assessment, lang: str, columns: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("COLUMNS", str(columns))  # as `sqfw assess` finds the width
        shown = reports.text(planned, lang=lang)
        monkeypatch.setenv("COLUMNS", "100000")
        whole = reports.text(planned, lang=lang)
        assert shown != whole or max(cells(line) for line in whole.splitlines()) <= columns
        too_wide = [line for line in shown.splitlines() if cells(line) > columns]
        assert too_wide == []
        assert unsplit(shown, whole) == []
        heights = header_heights(shown)
        assert heights or not planned.sets_region_targets  # tables were found
        assert max(heights, default=0) <= 5, heights  # a title and at most four heading lines
        if lang == "zh":  # the Chinese report holds no English phrase
            assert re.findall(r"[A-Za-z][A-Za-z'-]+(?: [A-Za-z][A-Za-z'-]+)+", shown) == []

    @pytest.mark.parametrize("lang", ["zh", "en"])
    def test_the_command_fits_an_80_column_terminal(
        self, lang: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        monkeypatch.setenv("COLUMNS", "80")
        assert main(["assess", "--plan", "cn-14th", "--lang", lang]) == 0
        out = capsys.readouterr().out
        assert max(cells(line) for line in out.splitlines()) <= 80
        assert max(header_heights(out)) <= 5

    def test_the_checks_can_fail(self) -> None:
        """An 81-cell line is too wide for 80; a word cut in two is seen."""
        assert cells("社" * 40) == 80
        assert cells("社" * 40 + "x") == 81
        assert unsplit("compre\nhensive", "comprehensive") == ["compre", "hensive"]
        assert unsplit("league/\ncity 17.03", "league/city 17.03") == []
        assert header_heights("t\na\nb\nc\nd\ne\n── ──\n") == [6]


@pytest.fixture(scope="module")
def laws() -> Assessment:
    """The sample region under the laws, which set no region target."""
    region = sample_region()
    plan, day = choose_plan("cn-laws", None, region.root.code)
    return assess(region, on=day, plan=plan)


class TestNoTargets:
    """A plan that sets no region targets (the laws) says so in every view and language."""

    @pytest.mark.parametrize(
        ("lang", "words"),
        [("zh", "该规划没有区域指标目标"), ("en", "This plan sets no region targets")],
    )
    def test_every_view_says_so(
        self, laws: Assessment, lang: str, words: str, tmp_path: Path
    ) -> None:
        assert laws.sets_region_targets is False
        views = [
            reports.text(laws, lang=lang),
            reports.markdown(laws, lang=lang),
            reports.html(laws, lang=lang),
            html_page(laws, lang=lang, charts=False),
        ]
        for text in views:
            assert words in text
            assert "0/0" not in text
        assert "<table" not in views[3].split('id="targets"')[1].split("</section>")[0]
        assert json.loads(reports.to_json(laws, findings="none"))["sets_region_targets"] is False
        book = tmp_path / "laws.xlsx"
        write_report(laws, book, lang=lang)
        about = openpyxl.load_workbook(book).worksheets[-1]
        assert any(words in (c.value or "") for c in about["A"])
        assert "plan sets no region targets" in repr(laws)
        assert "0/0" not in repr(laws)

    def test_a_plan_with_targets_shows_them(self, sample_assessment: Assessment) -> None:
        assert sample_assessment.sets_region_targets is True
        text = reports.text(sample_assessment, lang="en")
        assert "This plan sets no region targets" not in text
        assert "Targets of the plan" in text
        data = json.loads(reports.to_json(sample_assessment, findings="none"))
        assert data["sets_region_targets"]


# -- the table layout itself ----------------------------------------------------------------

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
_HAN = st.text(alphabet="社区服务设施覆盖率呼和浩特市", min_size=1, max_size=12)
_NUMBER = st.integers(0, 10**9).map(lambda n: f"{n:,}")
_TEXT = st.lists(st.one_of(_WORD, _HAN), min_size=1, max_size=6).map(" ".join)


@given(
    data=st.data(),
    columns=st.integers(2, 9),
    limit=st.integers(60, 120),
)
def test_any_table_fits_and_keeps_its_words(data: st.DataObject, columns: int, limit: int) -> None:
    """Random headings and cells: every line fits, no word or figure is split."""
    right = [i for i in range(1, columns) if data.draw(st.booleans())]
    header = [data.draw(_TEXT) for _ in range(columns)]
    rows = [
        [data.draw(_NUMBER if i in right else _TEXT) for i in range(columns)]
        for _ in range(data.draw(st.integers(1, 4)))
    ]
    shown = fit_table(header, rows, right=right, limit=limit)
    assert max(cells(line) for line in shown.splitlines()) <= limit
    whole = fit_table(header, rows, right=right, limit=10**6)
    assert unsplit(shown, whole) == []
    for row in rows:  # figures whole, on one line
        for i in right:
            assert row[i] in shown


def test_a_table_at_exactly_its_width_is_not_wrapped() -> None:
    header, rows = ["place of the community", "coverage"], [["呼和浩特市 城区", "97.57%"]]
    whole = fit_table(header, rows, right=[1], limit=1000)
    size = max(cells(line) for line in whole.splitlines())
    assert fit_table(header, rows, right=[1], limit=size) == whole
    narrower = fit_table(header, rows, right=[1], limit=size - 1)
    assert narrower != whole
    assert max(cells(line) for line in narrower.splitlines()) <= size - 1
    assert "97.57%" in narrower
    assert "community" in narrower
