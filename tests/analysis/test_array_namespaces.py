"""The kernels run on Dask and on JAX (CPU) with NumPy's verdicts and figures.

Every norm's one kernel and every community-level region kernel is run on the same
columns with NumPy, with ``dask.array`` (cut into several chunks) and with ``jax.numpy``
(64-bit mode): the sample region, every per-community rule case of ``tests/cases`` (each
checked against the status its case file states), and generated rows drawn at the
boundaries (exactly at a minimum or a share, a hair either side). The statuses, the rows
decided on exact figures and the figures a finding reports must be the same. Dask runs
NumPy on each chunk: its outputs are identical to the last bit. XLA's vectorised division
is not correctly rounded, so JAX's float outputs may differ from NumPy's by an ulp; such a
difference never decides a verdict (a row within 10⁻⁶ of a boundary is decided on exact
figures) nor changes a reported figure.

``assess`` takes a Dask-backed dataset (:func:`sqfw.analysis.to_dask`) and runs it on a
``dask.distributed`` LocalCluster, giving the in-memory assessment's findings and targets.
"""

from __future__ import annotations

import functools
from array import array
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calculators.rule_cases import ALL_CASES, Case, community
from sqfw.analysis import RegionDataset, assess, sample_region, to_dask
from sqfw.analysis._engine import columns_of, namespace
from sqfw.calculators import NORMS, REGION_RULES, Norm, Rounding, Status
from sqfw.calculators import norm as norm_named
from sqfw.calculators._model import COMMUNITY_KINDS
from sqfw.calculators._norm import Evaluated
from sqfw.calculators._region import Level
from sqfw.entities import Division, Region
from sqfw.errors import InvalidArgumentError
from sqfw.periods import as_date
from sqfw.standards import Standards, default_standards

NP = namespace(True)
ON = as_date("2020-12-31")
ROOT = Division(code="150000000000", name="内蒙古自治区", kind="autonomous_region")
PER_COMMUNITY = [c for c in ALL_CASES if c.calculator in {n.id for n in NORMS}]


@functools.cache
def data() -> RegionDataset:
    """The sample region the tests share (built once, when a test first needs it)."""
    return sample_region(seed=3)


@functools.cache
def sample() -> dict[str, np.ndarray]:
    """The sample's community columns, as NumPy arrays."""
    return columns_of(data(), NP)


RUNS = [(n, r) for n in NORMS for r in Rounding if n.id == "facility_area" or r is r.PRO_RATA]
COMMUNITY_RULES = [r for r in REGION_RULES if r.level is Level.COMMUNITY]
# shares whose denominators XLA's division rounds wrongly for some whole-number quotients
ODD_SHARES = default_standards().with_overrides(
    {
        "workforce.volunteers.registered_share.at_least": Fraction(3, 49),
        "facility.office.max_share": Fraction(2, 7),
    },
    source="test: shares with odd denominators",
)


@attrs.frozen
class Other:
    """A namespace to compare with NumPy: its module and how a NumPy column becomes one."""

    name: str
    xp: Any
    convert: Callable[[np.ndarray], Any]
    bitwise: bool  # float outputs identical to NumPy's (Dask) or within an ulp (JAX)


@pytest.fixture(scope="module", params=["dask", "jax"])
def other(request: pytest.FixtureRequest) -> Other:
    """Dask (three chunks or more) or JAX on the CPU."""
    import array_api_compat

    if request.param == "dask":
        da = request.getfixturevalue("dask_array")

        def to_dask_array(values: np.ndarray) -> Any:
            return da.from_array(values, chunks=max(1, len(values) // 3))

        xp = array_api_compat.array_namespace(to_dask_array(np.zeros(3)))
        return Other("dask", xp, to_dask_array, bitwise=True)
    jnp = request.getfixturevalue("jax_numpy")
    return Other("jax", jnp, jnp.asarray, bitwise=False)


def _read(norm: Norm[Any], standards: Standards, **options: Any) -> Any:
    return norm.read(standards, ON, **options)


def agree(norm: Norm[Any], params: Any, columns: dict[str, np.ndarray], other: Other) -> Any:
    """Run ``norm`` on NumPy and on ``other``; assert they agree; NumPy's statuses."""
    ours = norm.evaluate(NP, columns, params)
    theirs = norm.evaluate(other.xp, {k: other.convert(v) for k, v in columns.items()}, params)
    got = {name: np.asarray(column) for name, column in theirs.outputs.items()}
    assert got.keys() == ours.outputs.keys()
    np.testing.assert_array_equal(got["status"], ours["status"])
    assert dict(theirs.exact_rows) == dict(ours.exact_rows)  # the same rows, decided alike
    for name, column in ours.outputs.items():
        assert got[name].dtype == column.dtype, name
        if other.bitwise or column.dtype.kind != "f":
            np.testing.assert_array_equal(got[name], column, err_msg=name)
        else:
            np.testing.assert_allclose(got[name], column, rtol=1e-14, atol=1e-9, err_msg=name)
    mine = ours.columns(columns)
    yours = Evaluated(outputs=got, exact_rows=theirs.exact_rows).columns(columns)
    for index in range(len(ours["status"])):
        a, b = ours.row_of(mine, index), theirs.row_of(yours, index)
        assert b.status() is a.status()
        assert norm.figures(b, params) == norm.figures(a, params), (norm.id, index)
    return ours["status"]


class TestTheSample:
    """On the sample region the kernels agree with NumPy, bit for bit on Dask."""

    @pytest.mark.parametrize(("norm", "rounding"), RUNS, ids=[f"{n.id}-{r}" for n, r in RUNS])
    def test_norm(self, norm: Norm[Any], rounding: Rounding, other: Other) -> None:
        """§2.1, §2.4, §2.12-§2.14, §5.11: statuses, exact rows and figures agree."""
        options = {"rounding": rounding} if norm.id == "facility_area" else {}
        columns = {name: sample()[name][:900] for name in norm.reads}
        for standards in (default_standards(), ODD_SHARES):
            agree(norm, _read(norm, standards, **options), columns, other)

    @pytest.mark.parametrize("rule", COMMUNITY_RULES, ids=lambda r: r.id)
    def test_region_rule(self, rule: Any, other: Other) -> None:
        """The community-level region kernels give NumPy's parts."""
        columns = {name: column[:900] for name, column in sample().items()}
        values = rule.values(default_standards(), ON)
        ours = rule.tally(NP, columns, values)
        theirs = rule.tally(other.xp, {k: other.convert(v) for k, v in columns.items()}, values)
        for mine, yours in zip(ours, theirs, strict=True):
            np.testing.assert_array_equal(np.asarray(yours), np.asarray(mine))


def _case_standards(case: Case) -> Standards:
    std = default_standards()
    if case.overrides:
        std = std.with_overrides(case.overrides, source=f"case: {case.name}")
    return std


class TestRuleCases:
    """Every per-community rule case, boundaries included, gives its stated status."""

    @pytest.mark.parametrize("case", PER_COMMUNITY, ids=[c.id for c in PER_COMMUNITY])
    def test_case(self, case: Case, other: Other) -> None:
        """The case file's status, on NumPy and on the other namespace alike."""
        norm = norm_named(case.calculator)
        params = norm.read(_case_standards(case), case.on, **case.args)
        dataset = RegionDataset.from_region(
            Region(root=ROOT, communities=(community(case.subject),))
        )
        columns = {name: c for name, c in columns_of(dataset, NP).items() if name in norm.reads}
        (status,) = agree(norm, params, columns, other)
        assert Status(case.expect["status"]) is STATUSES_[int(status)]


STATUSES_ = (Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE)
ROWS = 64  # one shape: JAX compiles each operation once per shape
_OFFSETS = [Decimal(0), Decimal("1e-7"), Decimal("-1e-7"), Decimal("0.01"), Decimal("-0.01")]


@st.composite
def boundary_rows(draw: st.DrawFn) -> dict[str, Any]:
    """One community's inputs, drawn at or a hair from a boundary of each norm."""
    kind = draw(st.integers(0, len(COMMUNITY_KINDS) - 1))
    households = draw(st.one_of(st.integers(0, 3000), st.sampled_from([99, 100, 700, 701])))
    offset = draw(st.sampled_from(_OFFSETS))
    per_households = Decimal(30) * households / 100
    started = Decimal(30) * -(-households // 100)
    anchor = draw(
        st.sampled_from([per_households, started, Decimal(150), Decimal(300), Decimal(500)])
    )
    area = float(max(anchor + offset, Decimal(0)))
    share = draw(st.sampled_from([Fraction(3, 10), Fraction(2, 7)]))
    office = float(Decimal(share.numerator) * Decimal(repr(area)) / share.denominator + offset)
    residents = draw(st.integers(0, 50_000))
    wanted = draw(st.sampled_from([Fraction(1, 5), Fraction(3, 49)])) * residents
    volunteers = -(-wanted.numerator // wanted.denominator) + draw(st.integers(-1, 1))
    facilities = draw(st.integers(0, 3))
    yes = draw(st.integers(0, facilities))
    no = draw(st.integers(0, facilities - yes))
    unknown = draw(st.sampled_from([None, "households", "area", "office", "volunteers"]))
    row = {
        "kind": kind,
        "households": float(households),
        "area": area,
        "office": max(office, 0.0),
        "residents": float(residents),
        "volunteers": float(max(volunteers, 0)),
        "facilities": facilities,
        "barrier_free_yes": yes,
        "barrier_free_no": no,
        "new_or_renovated": draw(st.integers(0, 1)),
        "set_up_as_needed": draw(st.integers(0, 1)),
    }
    if unknown is not None:
        row[unknown] = float("nan")
    return row


def _columns(rows: list[dict[str, Any]]) -> dict[str, np.ndarray]:
    return {
        name: np.asarray([row[name] for row in rows], dtype=sample()[name].dtype)
        for name in rows[0]
    }


class TestBoundaries:
    """Rows drawn at every boundary: Dask and JAX give NumPy's verdicts and figures."""

    @settings(max_examples=8, deadline=None)
    @given(
        rows=st.lists(boundary_rows(), min_size=ROWS, max_size=ROWS),
        rounding=st.sampled_from(list(Rounding)),
        odd=st.booleans(),
    )
    def test_generated_rows(
        self, rows: list[dict[str, Any]], rounding: Rounding, odd: bool, other: Other
    ) -> None:
        """§2.1, §2.4, §2.12-§2.14, §5.11, the households range: every norm agrees."""
        columns = _columns(rows)
        standards = ODD_SHARES if odd else default_standards()
        for norm in NORMS:
            options = {"rounding": rounding} if norm.id == "facility_area" else {}
            reads = {name: columns[name] for name in norm.reads}
            agree(norm, _read(norm, standards, **options), reads, other)

    @pytest.mark.parametrize(
        ("norm_id", "row", "expected"),
        [
            # §2.1 1501 households need 450.3 m² pro rata (a computed minimum)
            ("facility_area", {"households": 1501.0, "area": 450.3}, Status.PASS),
            ("facility_area", {"households": 1501.0, "area": 450.2999999}, Status.FAIL),
            # §2.14 the office may take 30% of 280.4 m²: 84.12 m²
            ("office_share", {"area": 280.4, "office": 84.12}, Status.PASS),
            ("office_share", {"area": 280.4, "office": 84.1200001}, Status.FAIL),
            # §5.11 registered volunteers at least 20% of residents: 19.99% fails
            ("volunteer_ratio", {"volunteers": 2000.0, "residents": 10000.0}, Status.PASS),
            ("volunteer_ratio", {"volunteers": 1999.0, "residents": 10000.0}, Status.FAIL),
        ],
        ids=["2.1-at", "2.1-below", "2.14-at", "2.14-over", "5.11-20%", "5.11-19.99%"],
    )
    def test_exactly_at_a_boundary_and_a_hair_beyond(
        self, norm_id: str, row: dict[str, float], expected: Status, other: Other
    ) -> None:
        """§2.1, §2.14, §5.11: exactly at the boundary passes, a hair beyond fails."""
        norm = norm_named(norm_id)
        given = {"kind": 0, "new_or_renovated": 0, **row}
        columns = {
            name: np.asarray([given[name]], dtype=sample()[name].dtype) for name in norm.reads
        }
        (status,) = agree(norm, _read(norm, default_standards()), columns, other)
        assert STATUSES_[int(status)] is expected


class TestRefusals:
    """Figures in fewer than 64 bits are refused: they cannot decide 20% against 19.99%."""

    def test_float32_columns(self) -> None:
        """A float32 column is an InvalidArgumentError naming the column and float64."""
        norm = norm_named("office_share")
        columns = {"area": np.asarray([100.0], dtype=np.float32), "office": np.asarray([30.0])}
        with pytest.raises(InvalidArgumentError, match=r"columns\['area'\].*float64"):
            norm.evaluate(NP, columns, _read(norm, default_standards()))

    def test_jax_without_64_bits(self, jax_numpy: Any) -> None:
        """JAX in its default 32-bit mode is refused, saying how to turn 64 bits on."""
        import jax

        norm = norm_named("volunteer_ratio")
        params = _read(norm, default_standards())
        jax.config.update("jax_enable_x64", False)
        try:
            columns = {
                "volunteers": jax_numpy.asarray([1.0]),
                "residents": jax_numpy.asarray([5.0]),
            }
            with pytest.raises(InvalidArgumentError, match="jax_enable_x64"):
                norm.evaluate(jax_numpy, columns, params)
        finally:
            jax.config.update("jax_enable_x64", True)

    def test_to_dask_arguments(self, dask_array: Any) -> None:
        """``chunks`` must be a whole number of rows; the pure-Python path cannot take Dask."""
        dataset = data()
        for chunks in (0, -5, 2.5, True):
            with pytest.raises(InvalidArgumentError, match="chunks"):
                to_dask(dataset, chunks=chunks)  # type: ignore[arg-type]
        with pytest.raises(InvalidArgumentError, match="use_numpy"):
            assess(to_dask(dataset), use_numpy=False)

    def test_dask_columns_of_unknown_length(self, dask_array: Any) -> None:
        """A Dask column must be one-dimensional, of a length Dask knows."""
        import dask.dataframe as dd
        import pandas as pd

        c = data().communities
        unsized = dd.from_pandas(pd.Series(np.zeros(len(c))), npartitions=2).to_dask_array()
        for column in (unsized, dask_array.zeros((len(c), 2))):
            with pytest.raises(InvalidArgumentError, match="known length"):
                c.copy(households=column)


class TestDaskColumnsFromElsewhere:
    """One Dask column put into a dataset in memory makes it Dask-backed."""

    def test_one_column(self, dask_array: Any) -> None:
        """§5.11: volunteers as a Dask column give the in-memory assessment."""
        dataset = data()
        volunteers = dask_array.from_array(sample()["volunteers"], chunks=4000)
        mixed = dataset.evolve(communities=dataset.communities.copy(volunteers=volunteers))
        there = assess(mixed, norms=["volunteer_ratio"])
        here = assess(dataset, norms=["volunteer_ratio"])
        assert there.status_counts("volunteer_ratio") == here.status_counts("volunteer_ratio")
        assert there.targets == here.targets


class TestAssessOnACluster:
    """A Dask-backed dataset is assessed on a dask.distributed LocalCluster."""

    def test_same_assessment(self, dask_array: Any) -> None:
        """The cluster ran the kernels; findings and targets equal the in-memory ones."""
        from dask.distributed import Client, LocalCluster, get_task_stream

        dataset = data()
        here = assess(dataset, norms=[n.id for n in NORMS])
        with (
            LocalCluster(
                processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None
            ) as cluster,
            Client(cluster, timeout="30s") as client,
            get_task_stream(client) as stream,
        ):
            there = assess(to_dask(dataset, chunks=5000), norms=[n.id for n in NORMS])
        assert stream.data, "no task ran on the cluster"
        assert isinstance(to_dask(dataset).communities.area, dask_array.Array)
        assert isinstance(there.dataset.communities.area, array)  # computed
        for norm in NORMS:
            np.testing.assert_array_equal(
                np.asarray(there.runs[norm.id].status), np.asarray(here.runs[norm.id].status)
            )
            assert there.status_counts(norm.id) == here.status_counts(norm.id)
        for index in range(0, len(dataset), 97):
            for norm in NORMS:
                assert (
                    there.finding(index, norm.id).result() == here.finding(index, norm.id).result()
                )
        assert there.targets == here.targets
