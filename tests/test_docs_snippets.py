"""Every Python snippet of the README and the documentation runs as written.

The blocks of one page share a namespace and run in order, in a scratch directory (a
snippet may write files); their ``assert`` lines are the test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)
WITH_SNIPPETS = [p for p in PAGES if BLOCK.search(p.read_text(encoding="utf-8"))]


def test_pages_have_snippets() -> None:
    """The pages that teach the API carry runnable code (a page lost is a test lost)."""
    names = {p.relative_to(ROOT).as_posix() for p in WITH_SNIPPETS}
    assert {
        "README.md",
        "docs/analysis.md",
        "docs/privacy.md",
        "docs/serialization.md",
        "docs/standards.md",
        "docs/workflows/election.md",
        "docs/workflows/index.md",
    } <= names


@pytest.mark.parametrize("page", WITH_SNIPPETS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_snippets_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's blocks run in order without error."""
    pytest.importorskip("pandas")  # the analysis page uses the extra
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__snippet__"}
    for code in BLOCK.findall(page.read_text(encoding="utf-8")):
        exec(compile(code, str(page), "exec"), namespace)
