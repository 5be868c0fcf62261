"""The public facade: ``import sqfw`` gives a sorted, complete, importable ``__all__``."""

from __future__ import annotations

import importlib
import types

import pytest

import sqfw


class TestFacade:
    """``sqfw.__all__`` is the curated public API, in sorted order."""

    def test_sorted(self) -> None:
        assert sqfw.__all__ == sorted(sqfw.__all__)

    def test_no_duplicates(self) -> None:
        assert len(sqfw.__all__) == len(set(sqfw.__all__))

    def test_complete(self) -> None:
        """Every public, non-module name in the package namespace is listed."""
        public = {
            name
            for name, value in vars(sqfw).items()
            if not name.startswith("_") and not isinstance(value, types.ModuleType)
        }
        assert public - set(sqfw.__all__) == set()

    @pytest.mark.parametrize("name", sqfw.__all__)
    def test_importable(self, name: str) -> None:
        namespace: dict[str, object] = {}
        exec(f"from sqfw import {name}", namespace)
        assert namespace[name] is getattr(sqfw, name)

    def test_version(self) -> None:
        assert isinstance(sqfw.__version__, str)
        assert sqfw.__version__[0].isdigit()

    def test_star_import(self) -> None:
        module = importlib.import_module("sqfw")
        namespace: dict[str, object] = {}
        exec("from sqfw import *", namespace)
        assert set(module.__all__) <= set(namespace)
