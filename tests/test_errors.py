"""One error tree: every sqfw error is a SqfwError and also the closest built-in."""

from __future__ import annotations

import importlib
import pkgutil
from decimal import Decimal

import attrs
import pytest

import sqfw
from sqfw import errors
from sqfw.errors import (
    DataLoadError,
    DocumentError,
    InvalidEntityError,
    Problem,
    SqfwError,
    TransitionRefused,
    WorkflowError,
)

# Grouping bases: catch-alls for a family of errors, not raised themselves.
GROUPING = {SqfwError, WorkflowError}
# What errors.py exports besides its exception classes.
HELPERS = {"Problem", "shorten", "show_value"}


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

    @pytest.mark.parametrize("name", sorted(set(errors.__all__) - HELPERS))
    def test_drawn_in_docstring(self, name: str) -> None:
        assert name in (errors.__doc__ or "")


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
