"""Each norm has its page (the snippets themselves run in tests/test_docs_snippets.py)."""

from __future__ import annotations

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent.parent / "docs"
PAGES = [DOCS / "standards.md", *sorted((DOCS / "norms").glob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.S)


class TestNormPages:
    """docs/norms has a page per calculator family, each with runnable code."""

    def test_there_is_a_page_per_norm(self) -> None:
        """Ten norm pages, one per calculator family, and how a norm is defined."""
        assert len(PAGES) == 12
        assert DOCS / "norms" / "index.md" in PAGES
        for page in PAGES:
            assert BLOCK.search(page.read_text(encoding="utf-8")), page.name
