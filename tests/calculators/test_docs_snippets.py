"""The Python snippets of the standards and norm pages run as written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"
PAGES = [DOCS / "standards.md", *sorted((DOCS / "norms").glob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


class TestDocsSnippets:
    """Every ``python`` block of docs/standards.md and docs/norms/*.md executes."""

    def test_there_is_a_page_per_norm(self) -> None:
        """Ten norm pages, one per calculator family."""
        assert len(PAGES) == 11

    @pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
    def test_snippets_run(self, page: Path) -> None:
        """Each block runs without error; its asserts are the test."""
        blocks = BLOCK.findall(page.read_text(encoding="utf-8"))
        assert blocks, page.name
        for code in blocks:
            exec(compile(code, str(page), "exec"), {})
