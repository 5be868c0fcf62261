"""No package reaches into another package's private modules, and no import goes in a circle.

Walks every module under ``src/sqfw`` with :mod:`ast` (nothing is imported). A module of
package ``sqfw.X`` may import ``sqfw.X._anything``; an import of ``sqfw.Y._private`` from
any other package (the top-level modules of ``sqfw`` form their own package) fails the
test, unless the pair is listed in :data:`ALLOWED` with the reason it cannot go through a
public name yet. The top-level private helpers (``sqfw._args``, ``sqfw._files`` …) are the
library's shared internals and are not a package's private modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

ALLOWED: dict[tuple[str, str], str] = {
    # The store keeps the workflows' trails: it hashes, signs and re-checks entries with
    # the very functions that define a trail's canonical form (one truth for the chain).
    ("sqfw.store._checkpoint", "sqfw.workflows._chain"): "the trail's canonical time",
    ("sqfw.store._rows", "sqfw.workflows._chain"): "the trail's canonical JSON",
    ("sqfw.store._rows", "sqfw.workflows._records"): "the record's text limits",
    ("sqfw.store._sql", "sqfw.workflows._chain"): "hashes and signatures of the chain",
    ("sqfw.store._sql", "sqfw.workflows._definition"): "a trail's end and stored rows",
    ("sqfw.store._sql", "sqfw.workflows._memo"): "marks a trail checked on read",
    # The store conformance suite (served by sqfw.testing) forges entries to check that a
    # store refuses them: it needs the chain's own hashing and sealing.
    ("sqfw._store_conformance", "sqfw.store._protocol"): "the RecordStore protocol",
    ("sqfw._store_conformance", "sqfw.workflows._chain"): "forged entries' hashes",
    ("sqfw._store_conformance", "sqfw.workflows._records"): "sealing a forged record",
    # Shared rules that have one definition in their own package and no public name yet.
    ("sqfw.population", "sqfw.workflows._records"): "read_only: facts handed out read-only",
    ("sqfw.calculators._inputs", "sqfw.standards._coerce"): "the one rule for ratios",
    # JSON Schema keywords are looked up by the validator functions the records run, so
    # a schema says what the validator checks (one truth per rule).
    ("sqfw.serialization._schema", "sqfw.workflows._records"): "the records' validators",
    ("sqfw.cli", "sqfw.analysis._loading.companion"): "the baselines companion file",
}
"""(importing module, private module) pairs still allowed, each with what it needs."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _package(module: str, path: Path) -> str:
    """``sqfw.X`` for a module inside package ``X``; ``sqfw`` for a top-level module."""
    parts = module.split(".")
    if len(parts) > 2 or (path.name == "__init__.py" and len(parts) == 2):
        return ".".join(parts[:2])
    return "sqfw"


def _imports(tree: ast.AST) -> Iterator[tuple[int, str]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # ``from sqfw.calculators import _arrays``
                if alias.name.startswith("_"):
                    yield node.lineno, f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name


def private_imports() -> list[tuple[str, str, int]]:
    """Every (module, private module of another package, line) under ``src/sqfw``."""
    found = []
    for path in sorted((SRC / "sqfw").rglob("*.py")):
        module = _module_name(path)
        package = _package(module, path)
        for line, imported in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            parts = imported.split(".")
            if parts[0] != "sqfw" or len(parts) < 3 or parts[1].startswith("_"):
                continue  # not sqfw, a package itself, or a top-level shared helper
            if not any(p.startswith("_") and not p.startswith("__") for p in parts[2:]):
                continue
            if ".".join(parts[:2]) != package:
                found.append((module, imported, line))
    return found


class TestNoPrivateImportsAcrossPackages:
    """§ design: packages meet through public names (issue 22, item 5)."""

    def test_none_outside_the_allowed_list(self) -> None:
        """Every cross-package private import is one of the documented exceptions."""
        bad = [
            f"{module} (line {line}) imports {private}"
            for module, private, line in private_imports()
            if (module, private) not in ALLOWED
        ]
        assert not bad, "\n".join(bad)

    def test_the_list_only_shrinks(self) -> None:
        """An exception no longer needed leaves the list."""
        used = {(module, private) for module, private, _ in private_imports()}
        assert set(ALLOWED) <= used, sorted(set(ALLOWED) - used)

    def test_analysis_and_reports_use_the_calculators_public_names(self) -> None:
        """The analysis and the views import no private module of the calculators."""
        offending = [
            (module, private)
            for module, private, _ in private_imports()
            if private.startswith("sqfw.calculators.")
        ]
        assert offending == []

    @pytest.mark.parametrize(
        ("source", "expected"),
        [
            ("from sqfw.calculators._model import FIELDS", ["sqfw.calculators._model"]),
            ("from sqfw.calculators import _arrays", ["sqfw.calculators._arrays"]),
            ("import sqfw.calculators._norm", ["sqfw.calculators._norm"]),
            ("from sqfw.calculators.model import FIELDS", []),
            ("from sqfw._args import expect", []),
            ("from sqfw.analysis._engine import x", []),  # its own package
        ],
    )
    def test_the_walk_sees_each_form(
        self, source: str, expected: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The walk finds ``from … import``, ``import …`` and a private module by name."""
        tree = tmp_path / "src"
        module = tree / "sqfw" / "analysis" / "_probe.py"
        module.parent.mkdir(parents=True)
        module.write_text(source + "\n", encoding="utf-8")
        monkeypatch.setattr(__import__(__name__, fromlist=["SRC"]), "SRC", tree)
        assert [private for _, private, _ in private_imports()] == expected


class TestNoImportCircle:
    """No module imports, even for type checking only, a module that imports it back."""

    def test_share_and_kinds(self) -> None:
        """``_share`` (the share arithmetic) and ``_kinds`` (the target kinds) both take
        ``Count`` from ``_count``; ``_share`` no longer imports ``_kinds``."""
        calculators = SRC / "sqfw" / "calculators"
        share = [m for _, m in _imports(ast.parse((calculators / "_share.py").read_text()))]
        assert "sqfw.calculators._kinds" not in share
        assert "sqfw.calculators._count" in share
        counted = [m for _, m in _imports(ast.parse((calculators / "_count.py").read_text()))]
        assert not [m for m in counted if m.startswith("sqfw.")]

    def test_no_circle_among_a_package_modules(self) -> None:
        """The import graph of the calculators' modules (type-checking imports included)
        has no cycle."""
        graph: dict[str, set[str]] = {}
        for path in sorted((SRC / "sqfw" / "calculators").glob("*.py")):
            name = _module_name(path)
            if path.name == "__init__.py":
                continue  # the facade imports every module, and none imports it back
            targets = {m for _, m in _imports(ast.parse(path.read_text(encoding="utf-8")))}
            graph[name] = {m for m in targets if m.startswith("sqfw.calculators.")}
        seen: dict[str, int] = {}

        def visit(node: str, trail: list[str]) -> None:
            state = seen.get(node)
            if state == 1:
                raise AssertionError(" -> ".join([*trail, node]))
            if state == 2 or node not in graph:
                return
            seen[node] = 1
            for nxt in sorted(graph[node]):
                visit(nxt, [*trail, node])
            seen[node] = 2

        for node in sorted(graph):
            visit(node, [])
