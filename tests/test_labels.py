"""Every enumeration value in sqfw carries a Chinese and an English label."""

from __future__ import annotations

import enum
import importlib
import pkgutil

import pytest

import sqfw
from sqfw import CommunityKind
from sqfw.labels import LabeledEnum


def all_enums() -> list[type[enum.Enum]]:
    """Every Enum class defined in any sqfw module (the package walked, not a list)."""
    found: dict[str, type[enum.Enum]] = {}
    for info in pkgutil.walk_packages(sqfw.__path__, prefix="sqfw."):
        if info.name == "sqfw.testing" or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, enum.Enum)
                and value.__module__.startswith("sqfw.")
                and len(value) > 0
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


ENUMS = all_enums()


class TestLabels:
    """Labels are bilingual, non-empty, and a class missing one fails at import time."""

    def test_enums_discovered(self) -> None:
        assert CommunityKind in ENUMS
        assert len(ENUMS) >= 15

    @pytest.mark.parametrize("cls", ENUMS, ids=lambda c: c.__qualname__)
    def test_every_member_labelled(self, cls: type[enum.Enum]) -> None:
        for member in cls:
            zh = getattr(member, "label_zh", None)
            en = getattr(member, "label_en", None)
            assert isinstance(zh, str), f"{member!r} has no Chinese label"
            assert isinstance(en, str), f"{member!r} has no English label"
            assert zh.strip(), f"{member!r} has an empty Chinese label"
            assert en.strip(), f"{member!r} has an empty English label"
            assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{member!r}: {zh!r}"

    def test_label_by_language(self) -> None:
        assert CommunityKind.PASTORAL.label("zh") == "牧区"
        assert CommunityKind.PASTORAL.label("en") == "pastoral area"
        with pytest.raises(ValueError, match="'zh' or 'en'"):
            CommunityKind.PASTORAL.label("fr")

    def test_missing_label_fails_at_class_creation(self) -> None:
        with pytest.raises(TypeError, match=r"missing \['b'\]"):

            class Broken(LabeledEnum):
                A = "a"
                B = "b"
                __labels__ = {"a": ("甲", "a")}

    def test_stray_label_fails_at_class_creation(self) -> None:
        with pytest.raises(TypeError, match=r"stray \['c'\]"):

            class Broken(LabeledEnum):
                A = "a"
                __labels__ = {"a": ("甲", "a"), "c": ("丙", "c")}
