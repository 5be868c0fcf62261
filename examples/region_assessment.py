"""Region assessment walk-through: load → assess → chart → scenario → compare.

Run it as a script (``python examples/region_assessment.py``) or cell by cell in an
editor that understands ``# %%`` cells. Charts need the ``sqfw[analysis]`` extra.
"""

# %% Load: the bundled sample region, written to CSV and read back as an office would
import tempfile
from pathlib import Path

from sqfw import reports
from sqfw.analysis import (
    Attainment,
    BuildFacilityArea,
    ConvertToDirectElection,
    RegisterVolunteers,
    Scenario,
    assess,
    compare,
    load_table,
    project,
    sample_region,
    save_table,
)

workdir = Path(tempfile.mkdtemp())
table = save_table(sample_region(seed=2016), workdir / "内蒙古样例.csv")
region = load_table(table, baselines=sample_region(seed=2016).baselines)
print(f"{len(region):,} communities in {len(region.counties)} banners/counties")

# %% Assess on the plan's target date (到2020年 = 2020-12-31)
baseline = assess(region, on="2020-12-31")
print(reports.text(baseline, lang="en", top=5))
area = baseline.target("facility_area")
print(area.explanation("en"))
print(area.citation.splitlines()[0])

# %% Chart: attainment by league, area per household against the norm, gap by banner
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

fig, axes = plt.subplots(1, 3, figsize=(18, 5))
reports.plot_attainment(baseline, axes[0])
reports.plot_area_per_household(baseline, axes[1])
reports.plot_gap(baseline, "facility_area", axes[2], top=12)
fig.tight_layout()
fig.savefig(workdir / "assessment.png")
plt.close(fig)

# %% Every chart of an assessment, as files: they follow its plan's own targets
charts = reports.write_charts(baseline, workdir / "charts-13th", lang="en", formats=("svg",))
assert {"gap_facility_area.svg", "gap_volunteers.svg"} <= {p.name for p in charts}
fourteenth = assess(region, plan="cn-14th")
names = reports.chart_names(fourteenth)  # one gap chart per target with a gap ranking
print(names)
assert "gap_urban_facility_coverage" in names
assert "gap_volunteers" not in names  # a target of the 13th plan only
written = reports.write_charts(fourteenth, workdir / "charts-14th", lang="en", formats=("svg",))
assert [p.stem for p in written] == list(names)

# %% Scenario: build what is missing in one league, more volunteers, more direct elections
hohhot = region.prefectures[0].code
scenario = Scenario(
    name="呼和浩特 2020 push",
    interventions=[
        BuildFacilityArea(places=[hohhot]),
        RegisterVolunteers(rate="8%"),
        ConvertToDirectElection(count=200),
    ],
)
run = scenario.run(region, on="2020-12-31")

# %% Compare: what changes, for which places, at what cost
diff = compare(baseline, run)
print(diff.to_text(lang="en", top=5))
built = run.effects[0]
print(f"built {built.total} m² in {len(built.changed)} communities")

# %% Projection 2016→2020: the year the volunteer target is first met at 8% a year
projection = project(
    region, Scenario(name="8% a year", interventions=[RegisterVolunteers(rate="8%")])
)
print({target: projection.year_met(target) for target in ("volunteers", "facility_area")})
print(projection)  # a short repr: the years, the plans, the targets met each year
years = projection.table(lang="en")  # a DataFrame: a row per target, a column per year
print(years)
print(diff.to_text(lang="zh", top=2))  # the same comparison in Chinese

# %% Export: the whole report as JSON (streamed: findings one per line), the failing ones
import json

reports.write_json(baseline, workdir / "report.json", findings="failing")
report = json.loads((workdir / "report.json").read_text(encoding="utf-8"))
print(f"{len(report['findings']):,} failing or undecided findings written")

# %% Checks
assert baseline.target("facility_area").attainment is Attainment.NOT_MET
assert all(code.startswith(hohhot[:4]) for code in built.changed)
assert diff.changed_codes("facility_area") <= set(built.changed)
after = run.assessment.target("facility_area", hohhot)
assert after.attainment is not Attainment.NOT_MET  # none is short any more
assert after.gap == (0 if after.attainment is Attainment.MET else None)  # unknown: not said
assert projection.year_met("volunteers") == 2017
assert years.loc["volunteers", 2017] == "met"
assert len(repr(baseline.gaps("facility_area"))) < 1000
assert (workdir / "assessment.png").stat().st_size > 0
assert {f["status"] for f in report["findings"]} <= {"fail", "unknown"}
