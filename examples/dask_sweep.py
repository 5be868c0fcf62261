"""A sweep of scenarios × years × regions on a Dask cluster, and one region chunk by chunk.

Run it as a script (``python examples/dask_sweep.py``); it needs the ``sqfw[arrays]``
extra (Dask). It starts a small LocalCluster on this machine; on a real cluster, connect
the ``Client`` to the scheduler's address instead and nothing else changes.

Two ways Dask helps:

* a **sweep** — many independent assessments (each scenario, each year, each province)
  — runs one assessment per task, spread over the workers; each task sends back only the
  few figures the sweep compares;
* **one large region** as a Dask-backed dataset (``to_dask``): ``assess`` runs every
  norm's kernel chunk by chunk on the workers and gives the same assessment.
"""

import itertools

from dask.distributed import Client, LocalCluster

from sqfw.analysis import (
    Attainment,
    RegionDataset,
    RegisterVolunteers,
    Scenario,
    assess,
    sample_region,
    to_dask,
)
from sqfw.entities import DivisionLevel

# %% The grid: synthetic regions stand in for provinces; scenarios; evaluation dates
regions = {f"region {seed}": sample_region(seed=seed) for seed in (1, 2)}
scenarios = {
    "as is": Scenario(name="as is"),
    "volunteers +25%": Scenario(
        name="volunteers +25%", interventions=[RegisterVolunteers(rate="25%")]
    ),
}
years = ["2019-12-31", "2020-12-31"]  # within the 13th plan (2016-2020)
grid = list(itertools.product(regions, scenarios, years))


def summary(data: RegionDataset, scenario: Scenario, on: str) -> dict[str, str]:
    """One cell of the sweep: the region-level targets' attainments (small to send back)."""
    run = scenario.run(data, on=on)
    targets = run.assessment.targets_at(DivisionLevel.REGION)
    return {t.target.id: t.attainment.value for t in targets}


# %% The sweep on a cluster: two workers in this process (on a real cluster, give Client
# the scheduler's address instead); each region is sent to the workers once
with (
    LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster,
    Client(cluster) as client,
):
    on_cluster = {name: client.scatter(data, broadcast=True) for name, data in regions.items()}
    futures = [
        client.submit(summary, on_cluster[name], scenarios[s], on, pure=False)
        for name, s, on in grid
    ]
    results = dict(zip(grid, client.gather(futures), strict=True))

    # %% One region chunk by chunk: its columns as Dask arrays, the kernels on the workers
    data = regions["region 1"]
    chunked = assess(to_dask(data, chunks=4_000))

for (name, s, on), attained in results.items():
    met = sum(value == Attainment.MET.value for value in attained.values())
    print(f"{name:9}  {on}  {s:16}  {met:2} of {len(attained)} targets met")

# a cell of the sweep is the assessment it stands for, computed here without the cluster
name, s, on = grid[-1]
assert results[grid[-1]] == summary(regions[name], scenarios[s], on)
# registering more volunteers never makes the volunteers target worse
for name, on in itertools.product(regions, years):
    before = results[name, "as is", on].get("volunteers")
    after = results[name, "volunteers +25%", on].get("volunteers")
    assert before != Attainment.MET.value or after == Attainment.MET.value, (name, on)

# the chunked assessment is the one in memory
here = assess(data)
assert chunked.targets == here.targets
for norm in here.runs:
    assert chunked.status_counts(norm) == here.status_counts(norm)
print(f"{len(data):,} communities in chunks of 4,000: the same assessment as in memory")
