"""Region assessment, scenarios and reports: the main job for notebooks and the command line.

Load a region (:func:`load_region` for JSON, CSV and Excel; :func:`sample_region` for a
synthetic one), assess it against every norm and target of the plan (:func:`assess`), and
try what-if scenarios (:class:`Scenario`, :func:`compare`, :func:`project`)::

    >>> from sqfw.analysis import assess, sample_region
    >>> result = assess(sample_region(seed=7), on="2020-12-31")
    >>> print(result.to_text(lang="en"))                 # doctest: +SKIP

The core works without pandas; with the ``sqfw[analysis]`` extra every table converts to
a DataFrame (:meth:`Assessment.to_frame`) and the charts draw with matplotlib.

.. versionadded:: 0.1.0
"""

from sqfw.analysis import _charts, _frames, _text, _views  # noqa: F401 - they register the views
from sqfw.analysis._assessment import assess, choose_plan
from sqfw.analysis._dataset import Baselines, CommunityColumns, RegionDataset, SkippedRow
from sqfw.analysis._loading import COLUMNS, Column, load_region, load_table, save_table
from sqfw.analysis._output import FORMATS, write_report
from sqfw.analysis._processes import (
    ProcessIndicator,
    commendation_indicators,
    consultation_indicators,
    facility_project_indicators,
    floating_indicators,
    owners_indicators,
    three_society_indicators,
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
    register_view,
)
from sqfw.analysis._sample import sample_region
from sqfw.analysis._scenario import (
    BuildFacilityArea,
    CommunityChange,
    Comparison,
    ConvertToDirectElection,
    Effect,
    EquipStreetHalls,
    Intervention,
    PlanComparison,
    Projection,
    RegisterVolunteers,
    Scenario,
    ScenarioRun,
    TargetChange,
    compare,
    compare_plans,
    project,
)
from sqfw.analysis._targets import INDICATORS, TARGETS, IndicatorDef, TargetDef

__all__ = [
    "COLUMNS",
    "FORMATS",
    "INDICATORS",
    "TARGETS",
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
    "Effect",
    "EquipStreetHalls",
    "FindingSelection",
    "IndicatorDef",
    "IndicatorValue",
    "Intervention",
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
    "UnknownProject",
    "assess",
    "choose_plan",
    "commendation_indicators",
    "compare",
    "compare_plans",
    "consultation_indicators",
    "facility_project_indicators",
    "floating_indicators",
    "load_region",
    "load_table",
    "owners_indicators",
    "pipeline_outlook",
    "project",
    "register_view",
    "sample_region",
    "save_table",
    "slippage",
    "three_society_indicators",
    "write_report",
]
