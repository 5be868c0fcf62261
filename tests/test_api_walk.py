"""The public API, called with wrong arguments, raises an SqfwError or succeeds.

Every callable name in the ``__all__`` of every public module of sqfw is called with
arguments hypothesis draws from wrong types and out-of-range values (``None``, ``-1``,
``10**30``, ``NaN``, blank or very long text, bytes, lists, mappings, a bare object).
What comes back is either a result or one error of the ``SqfwError`` tree: never a bare
``TypeError``, ``AttributeError``, ``KeyError`` or ``ValueError`` from deep inside.
"""

from __future__ import annotations

import enum
import importlib
import inspect
import math
import pkgutil
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sqfw
from sqfw.errors import SqfwError

# Modules whose callables are not the library's API to data.
NOT_WALKED = {
    "sqfw.cli",  # the command line: argparse answers a bad argv with SystemExit(2)
    "sqfw.testing",  # hypothesis strategies and conformance suites for tests
}

# Callables that legitimately take arbitrary objects (each with the reason).
ANY_OBJECT = {
    "sqfw.errors.show_value": "renders any value for a message",
    "sqfw.errors.shorten": "renders a message's text; called only by the error classes",
    "sqfw.workflows.guard": "a decorator factory: labels any function",
    "sqfw.workflows.reason": "joins two texts a machine's author writes into a refusal",
    "sqfw.entities.divisions.division_code": "an attrs validator: (instance, attribute, value)",
    "sqfw.labels.LabeledEnum": "the base to subclass: it has no members to look up",
}

# Result and value classes: built by the library from data it has already checked; their
# constructors keep what they are given (like attrs classes without validators).
RESULTS = {
    "sqfw.analysis.Assessment",
    "sqfw.analysis.CommunityChange",
    "sqfw.analysis.CommunityFinding",
    "sqfw.analysis.Comparison",
    "sqfw.analysis.Effect",
    "sqfw.analysis.FindingSelection",
    "sqfw.analysis.IndicatorValue",
    "sqfw.analysis.Place",
    "sqfw.analysis.PlanComparison",
    "sqfw.analysis.ProcessIndicator",
    "sqfw.analysis.Projection",
    "sqfw.analysis.PipelineOutlook",
    "sqfw.analysis.ScenarioRun",
    "sqfw.analysis.Slip",
    "sqfw.analysis.Slippage",
    "sqfw.analysis.TargetChange",
    "sqfw.analysis.TargetResult",
    "sqfw.calculators.Commendation",
    "sqfw.calculators.Finding",
    "sqfw.calculators.NormParameters",
    "sqfw.calculators.Result",
    "sqfw.calculators.Service",
    "sqfw.workflows.EventContext",
    "sqfw.workflows.ticket.TicketClock",
    "sqfw.workflows.election.CandidateResult",
    "sqfw.workflows.election.TallyResult",
    "sqfw.workflows.demand.DemandRow",
    "sqfw.workflows.duplicates.DuplicateSuggestion",
    "sqfw.workflows.indicators.IndicatorRow",
}


def _is_machine(value: object) -> bool:
    """A workflow's state machine: python-statemachine's ``model`` is any object."""
    from sqfw.workflows import WorkflowMachine

    return isinstance(value, type) and issubclass(value, WorkflowMachine)


def public_callables() -> Iterator[tuple[str, Callable[..., Any]]]:
    """Every callable named in a public module's ``__all__``, once, by its first name."""
    found = pkgutil.walk_packages(sqfw.__path__, prefix="sqfw.")
    names = ["sqfw", *sorted(i.name for i in found if "._" not in i.name)]
    seen: set[int] = set()
    for module_name in names:
        if module_name in NOT_WALKED:
            continue
        module = importlib.import_module(module_name)
        for name in getattr(module, "__all__", ()):
            value = getattr(module, name)
            if id(value) in seen or not callable(value):
                continue
            seen.add(id(value))
            if isinstance(value, type) and issubclass(value, BaseException):
                continue  # the errors themselves
            if typing.get_origin(value) is not None or isinstance(value, typing._SpecialForm):
                continue  # a type alias such as Lang
            if getattr(value, "_is_protocol", False):
                continue  # a Protocol: a shape to implement, not something to call
            yield f"{module_name}.{name}", value


CALLABLES = [(name, value) for name, value in public_callables() if name not in ANY_OBJECT]
CALLABLES = [
    (name, value) for name, value in CALLABLES if name not in RESULTS and not _is_machine(value)
]

BAD = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from([-1, 0, 10**30, -(10**30), 1.5, math.nan, math.inf, Decimal("NaN")]),
    st.integers(),
    st.floats(),
    st.sampled_from(["", " ", "nope", "\x00", "=1+1", "x" * 300, "2020-13-45", "zh-TW"]),
    st.text(max_size=12),
    st.binary(max_size=6),
    st.lists(st.integers(), max_size=3),
    st.lists(st.text(max_size=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.builds(object),
)


def _parameters(value: Callable[..., Any]) -> list[inspect.Parameter]:
    try:
        signature = inspect.signature(value)
    except (TypeError, ValueError):
        return []
    return [
        p
        for p in signature.parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and not p.name.startswith("_")
    ]


@st.composite
def bad_call(draw: st.DrawFn, value: Callable[..., Any]) -> tuple[list[Any], dict[str, Any]]:
    """Arguments for ``value``: each required one wrong, each optional one maybe wrong."""
    if isinstance(value, enum.EnumMeta):  # an enumeration is called with one value
        return [draw(BAD)], {}
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for p in _parameters(value):
        if p.default is p.empty and p.kind is not p.KEYWORD_ONLY:
            args.append(draw(BAD))
        elif p.kind is not p.POSITIONAL_ONLY and (p.default is p.empty or draw(st.booleans())):
            kwargs[p.name] = draw(BAD)
    return args, kwargs


@pytest.fixture(autouse=True)
def _in_a_scratch_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A call that succeeds may write a file (a report, a database): never in the tree."""
    monkeypatch.chdir(tmp_path)


def test_found_the_api() -> None:
    """The walk sees the entry points the issue named, across the sub-packages."""
    names = {name for name, _ in CALLABLES}
    for expected in (
        "sqfw.entities.division_level",
        "sqfw.reports.write_report",
        "sqfw.analysis.load_table",
        "sqfw.analysis.sample_region",
        "sqfw.analysis.Baselines",
        "sqfw.calculators.norm",
        "sqfw.workflows.WorkflowRecord",
        "sqfw.CommunityKind",
    ):
        assert expected in names
    assert len(names) > 150


@pytest.mark.parametrize(
    ("name", "value"), [pytest.param(name, value, id=name) for name, value in CALLABLES]
)
def test_wrong_arguments_raise_sqfw_errors(name: str, value: Callable[..., Any]) -> None:
    @settings(
        max_examples=8,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(bad_call(value))
    def call(arguments: tuple[list[Any], dict[str, Any]]) -> None:
        args, kwargs = arguments
        try:
            value(*args, **kwargs)
        except SqfwError:
            pass
        except ImportError:  # an optional extra that is not installed names itself
            pass

    call()
