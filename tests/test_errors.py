"""One error tree: every sqfw error is a SqfwError and also the closest built-in."""

from __future__ import annotations

import importlib
import pkgutil
import re
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import sqfw
from sqfw import errors
from sqfw.errors import (
    DataLoadError,
    DocumentError,
    InvalidArgumentError,
    InvalidEntityError,
    OutputError,
    Problem,
    ProblemsError,
    SqfwError,
    TransitionRefused,
    WorkflowError,
    shorten,
    show_value,
)

# Grouping bases: catch-alls for a family of errors, not raised themselves.
GROUPING = {SqfwError, WorkflowError}
# What errors.py exports besides its exception classes.
HELPERS = {"Problem", "SqfwWarning", "TrailProblem", "shorten", "show_value"}  # not exceptions


def sqfw_exceptions() -> list[type[BaseException]]:
    """Every public exception class defined anywhere in the sqfw package.

    A private class (``_Name``) is an implementation detail caught inside its module and
    never reaches a caller, so it is not part of the tree.
    """
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(sqfw.__path__, prefix="sqfw."):
        if info.name == "sqfw.testing" or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, BaseException)
                and not issubclass(value, Warning)  # a warning is advice, not a refusal
                and value.__module__.startswith("sqfw.")
                and not value.__name__.startswith("_")
            ):
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return [found[name] for name in sorted(found)]


EXCEPTIONS = sqfw_exceptions()

DOCS_PAGE = (Path(__file__).parents[1] / "docs" / "errors.md").read_text(encoding="utf-8")

_DRAWN = re.compile(r"^[\s│]*(?:[├└]── )?(\w+)(?:\s+\(([^)]*)\))?")


def drawn_tree(text: str) -> dict[str, tuple[str | None, str]]:
    """Each class of the drawn tree (from ``SqfwError`` on): its drawn parent and the
    built-ins drawn beside it."""
    lines = text.split("SqfwError\n", 1)[1].split("\n\n", 1)[0].splitlines()
    found: dict[str, tuple[str | None, str]] = {"SqfwError": (None, "")}
    stack: list[tuple[int, str]] = [(-1, "SqfwError")]
    for line in lines:
        match = _DRAWN.match(line)
        if not match or "── " not in line:
            continue
        depth = line.index("── ")
        while stack and stack[-1][0] >= depth:
            stack.pop()
        found[match.group(1)] = (stack[-1][1], match.group(2) or "")
        stack.append((depth, match.group(1)))
    return found


def sqfw_parent(cls: type[BaseException]) -> type[BaseException]:
    return next(b for b in cls.__bases__ if issubclass(b, SqfwError))


def own_builtins(cls: type[BaseException]) -> list[type[BaseException]]:
    """The built-in exceptions a class adds itself (not through an sqfw parent)."""
    return [b for b in cls.__bases__ if b.__module__ == "builtins"]


class TestTree:
    """The tree drawn in sqfw.errors is the tree the code has."""

    def test_found_the_documented_errors(self) -> None:
        names = {cls.__name__ for cls in EXCEPTIONS}
        assert set(errors.__all__) - HELPERS <= names

    @pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda c: c.__qualname__)
    def test_is_sqfw_error(self, cls: type[BaseException]) -> None:
        assert issubclass(cls, SqfwError)

    @pytest.mark.parametrize(
        "cls", [c for c in EXCEPTIONS if c not in GROUPING], ids=lambda c: c.__qualname__
    )
    def test_also_a_builtin(self, cls: type[BaseException]) -> None:
        builtins = [
            base
            for base in cls.__mro__
            if base.__module__ == "builtins" and base not in (Exception, BaseException, object)
        ]
        assert builtins, f"{cls.__name__} derives from no built-in exception but Exception"

    @pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda c: c.__qualname__)
    def test_lives_in_errors(self, cls: type[BaseException]) -> None:
        """Every error class found anywhere in sqfw is defined in sqfw.errors."""
        assert cls.__module__ == "sqfw.errors"
        assert cls.__name__ in errors.__all__

    @pytest.mark.parametrize("cls", EXCEPTIONS, ids=lambda c: c.__qualname__)
    def test_drawn_under_its_parent(self, cls: type[BaseException]) -> None:
        """The drawing in the docstring and in docs/errors.md puts each class found under
        its own parent in the tree, with its built-in bases."""
        for text in (errors.__doc__ or "", DOCS_PAGE):
            drawn = drawn_tree(text)
            assert cls.__name__ in drawn, f"{cls.__name__} is not drawn"
            parent, builtins_drawn = drawn[cls.__name__]
            if cls is SqfwError:
                continue  # the root: an Exception
            assert parent == sqfw_parent(cls).__name__
            for base in own_builtins(cls):
                assert base.__name__ in builtins_drawn

    def test_drawing_holds_no_class_that_is_not_there(self) -> None:
        names = {cls.__name__ for cls in EXCEPTIONS}
        for text in (errors.__doc__ or "", DOCS_PAGE):
            assert set(drawn_tree(text)) == names


class TestContext:
    """Errors carry what was expected, what came and where."""

    def test_invalid_entity(self) -> None:
        e = InvalidEntityError("Facility", "total_area_m2", Decimal(-5), "a number ≥ 0")
        assert (e.entity, e.field, e.value, e.expected) == (
            "Facility",
            "total_area_m2",
            Decimal(-5),
            "a number ≥ 0",
        )
        assert str(e) == "Facility.total_area_m2: expected a number ≥ 0, got -5"
        assert isinstance(e, ValueError)

    def test_document_error_lists_problems(self) -> None:
        problems = [Problem("$.a", "expected x, got y"), Problem("$.b[0]", "required key")]
        e = DocumentError(problems, source="region.json")
        assert e.problems == tuple(problems)
        assert str(e) == (
            "2 problems in region.json:\n  $.a: expected x, got y\n  $.b[0]: required key"
        )
        assert str(DocumentError(problems[:1])).startswith("1 problem:")

    def test_data_load_error_counts_its_problems(self) -> None:
        one = DataLoadError([Problem("a.csv:row 2", "bad")], source="a.csv")
        assert str(one) == "1 problem in a.csv:\n  a.csv:row 2: bad"
        two = DataLoadError([Problem("r2", "x"), Problem("r3", "y")])
        assert str(two).startswith("2 problems:")

    def test_problem_value_semantics(self) -> None:
        assert Problem("$.a", "m") == Problem("$.a", "m")
        assert len({Problem("$.a", "m"), Problem("$.a", "m")}) == 1
        assert repr(Problem("$.a", "m")) == "Problem(path='$.a', message='m')"
        assert attrs.has(Problem)
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            Problem("$.a", "m").path = "$.b"  # type: ignore[misc]

    def test_transition_refused_lists_reasons(self) -> None:
        e = TransitionRefused("election", "certify", "polling", ["票数不足 / too few votes"])
        assert e.reasons == ("票数不足 / too few votes",)
        assert "too few votes" in str(e)
        assert isinstance(e, WorkflowError)
        assert isinstance(e, ValueError)


class TestShownValues:
    """What came is shown cut to MAX_SHOWN_CHARS and masked where it looks personal."""

    def test_cut_on_both_sides_of_the_limit(self) -> None:
        from sqfw.limits import MAX_SHOWN_CHARS

        assert show_value("x" * MAX_SHOWN_CHARS) == repr("x" * MAX_SHOWN_CHARS)
        longer = show_value("x" * (MAX_SHOWN_CHARS + 1))
        assert longer == "'" + "x" * MAX_SHOWN_CHARS + f"…' ({MAX_SHOWN_CHARS + 1} characters)"

    @pytest.mark.parametrize(
        ("value", "shown"),
        [
            ("11010519491231002X", "'1101**********002X'"),
            ("91350100M000100Y43", "'9135**********0Y43'"),
            ("13800138000", "'138****8000'"),
            ("0471-1234567", "'047****4567'"),
            ("150102001001", "'150102001001'"),  # a division code is not personal
        ],
    )
    def test_masked_whatever_the_field(self, value: str, shown: str) -> None:
        assert show_value(value) == shown

    def test_huge_integers_described_not_converted(self) -> None:
        assert show_value(10**5000) == "an integer of about 5,001 digits"
        assert show_value(10**50) == str(10**50)

    def test_lone_surrogates_printable(self) -> None:
        assert shorten("a\ud800b") == "a\\ud800b"
        shorten("a\ud800b").encode("utf-8")


class TestProblemsError:
    """Documents and tables share one base: several problems, each with its place."""

    def test_one_base(self) -> None:
        assert issubclass(DocumentError, ProblemsError)
        assert issubclass(DataLoadError, ProblemsError)
        assert issubclass(ProblemsError, ValueError)

    def test_message_lists_at_most_the_limit(self) -> None:
        from sqfw.limits import MAX_LISTED_PROBLEMS

        exact = DataLoadError([Problem(f"r{i}", "bad") for i in range(MAX_LISTED_PROBLEMS)])
        assert "more" not in str(exact)
        over = DataLoadError([Problem(f"r{i}", "bad") for i in range(MAX_LISTED_PROBLEMS + 1)])
        assert str(over).endswith("\n  … and 1 more")
        assert len(over.problems) == MAX_LISTED_PROBLEMS + 1


class TestNewErrors:
    def test_invalid_argument(self) -> None:
        e = InvalidArgumentError("on_error", "maybe", "'raise' or 'skip'")
        assert (e.argument, e.value, e.expected) == ("on_error", "maybe", "'raise' or 'skip'")
        assert str(e) == "on_error: expected 'raise' or 'skip', got 'maybe'"
        assert isinstance(e, ValueError)

    def test_output_error(self) -> None:
        e = OutputError("report.json", "no such folder")
        assert str(e) == "cannot write report.json: no such folder"
        assert isinstance(e, OSError)
