"""Region assessment, scenarios and reports: the main job for notebooks and the command line.

Load a region (:func:`load_region` for JSON, CSV and Excel; :func:`sample_region` for a
synthetic one), assess it against every norm and target of the plan (:func:`assess`), and
try what-if scenarios (:class:`Scenario`, :func:`compare`, :func:`project`)::

    >>> from sqfw.analysis import assess, sample_region
    >>> from sqfw import reports
    >>> result = assess(sample_region(seed=7), on="2020-12-31")
    >>> print(reports.text(result, lang="en"))           # doctest: +SKIP

The result is shown by the views of :mod:`sqfw.reports` (text, HTML, JSON, Parquet, the
workbook, DataFrames, charts); this package never imports them.

.. versionadded:: 0.1.0
"""

from sqfw.analysis._assessment import assess, choose_plan, township_indicators
from sqfw.analysis._dask import to_dask
from sqfw.analysis._dataset import (
    UNKNOWN,
    Baselines,
    CommunityColumns,
    Divisions,
    RegionDataset,
    SkippedRow,
)
from sqfw.analysis._engine import STATUSES, NormRun, numpy_view
from sqfw.analysis._grids import (
    GRID_INDICATORS,
    HouseholdsNorm,
    grid_households,
    grid_indicators,
)
from sqfw.analysis._interventions import (
    BuildFacilityArea,
    ConvertToDirectElection,
    Effect,
    EquipStreetHalls,
    Intervention,
    RegisterVolunteers,
)
from sqfw.analysis._loading import COLUMNS, Column, load_region, load_table, save_table
from sqfw.analysis._loading.columns import closest_column
from sqfw.analysis._processes import (
    PROCESS_LEVELS,
    ProcessIndicator,
    commendation_indicators,
    consultation_indicators,
    facility_project_indicators,
    floating_indicators,
    owners_indicators,
    three_society_indicators,
)
from sqfw.analysis._projection import (
    PlanComparison,
    Projection,
    compare_plans,
    project,
)
from sqfw.analysis._projects import (
    PipelineOutlook,
    ProjectPipeline,
    Slip,
    Slippage,
    UnknownProject,
    pipeline_outlook,
    slippage,
)
from sqfw.analysis._result import (
    Assessment,
    Attainment,
    CommunityFinding,
    FindingSelection,
    IndicatorValue,
    Place,
    Ranking,
    TargetResult,
)
from sqfw.analysis._sample import sample_region
from sqfw.analysis._scenario import (
    CommunityChange,
    Comparison,
    Scenario,
    ScenarioRun,
    TargetChange,
    compare,
)
from sqfw.analysis._targets import INDICATORS, TARGETS, IndicatorDef, TargetDef
from sqfw.analysis._texts import TextColumn

__all__ = [
    "COLUMNS",
    "GRID_INDICATORS",
    "INDICATORS",
    "PROCESS_LEVELS",
    "STATUSES",
    "TARGETS",
    "UNKNOWN",
    "Assessment",
    "Attainment",
    "Baselines",
    "BuildFacilityArea",
    "Column",
    "CommunityChange",
    "CommunityColumns",
    "CommunityFinding",
    "Comparison",
    "ConvertToDirectElection",
    "Divisions",
    "Effect",
    "EquipStreetHalls",
    "FindingSelection",
    "HouseholdsNorm",
    "IndicatorDef",
    "IndicatorValue",
    "Intervention",
    "NormRun",
    "PipelineOutlook",
    "Place",
    "PlanComparison",
    "ProcessIndicator",
    "ProjectPipeline",
    "Projection",
    "Ranking",
    "RegionDataset",
    "RegisterVolunteers",
    "Scenario",
    "ScenarioRun",
    "SkippedRow",
    "Slip",
    "Slippage",
    "TargetChange",
    "TargetDef",
    "TargetResult",
    "TextColumn",
    "UnknownProject",
    "assess",
    "choose_plan",
    "closest_column",
    "commendation_indicators",
    "compare",
    "compare_plans",
    "consultation_indicators",
    "facility_project_indicators",
    "floating_indicators",
    "grid_households",
    "grid_indicators",
    "load_region",
    "load_table",
    "numpy_view",
    "owners_indicators",
    "pipeline_outlook",
    "project",
    "sample_region",
    "save_table",
    "slippage",
    "three_society_indicators",
    "to_dask",
    "township_indicators",
]
