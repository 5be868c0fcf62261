"""Views of an assessment: terminal and Markdown text, the HTML page, the Excel workbook,
JSON, NDJSON and Parquet files, DataFrames and charts.

Every view reads an :class:`~sqfw.analysis.Assessment` and the plan it followed; it shows
what the assessment decided and never decides a figure, so every view of one assessment
shows the same numbers. The assessment never imports this package::

    >>> from sqfw import reports
    >>> from sqfw.analysis import assess, sample_region
    >>> result = assess(sample_region(seed=7))
    >>> print(reports.text(result, lang="en", width=80))      # doctest: +SKIP
    >>> reports.write_report(result, "report.html")           # doctest: +SKIP

DataFrames and charts need the ``sqfw[analysis]`` extra; the workbook and Parquet files
the ``sqfw[reports]`` extra.

.. versionadded:: 0.1.0
"""

from sqfw._terminal import fit_table, terminal_width
from sqfw.reports._charts import (
    FontWarning,
    chart_names,
    cjk_font,
    plot_area_per_household,
    plot_attainment,
    plot_gap,
    write_charts,
)
from sqfw.reports._columnar import FINDING_COLUMNS, file_metadata, write_ndjson, write_parquet
from sqfw.reports._frames import frame
from sqfw.reports._html import html_page, write_html
from sqfw.reports._output import FORMATS, format_of, write_report
from sqfw.reports._tables import column_warnings
from sqfw.reports._views import html, markdown, text, to_dict, to_json, write_json
from sqfw.reports._xlsx import SHEETS, write_workbook

__all__ = [
    "FINDING_COLUMNS",
    "FORMATS",
    "SHEETS",
    "FontWarning",
    "chart_names",
    "cjk_font",
    "column_warnings",
    "file_metadata",
    "fit_table",
    "format_of",
    "frame",
    "html",
    "html_page",
    "markdown",
    "plot_area_per_household",
    "plot_attainment",
    "plot_gap",
    "terminal_width",
    "text",
    "to_dict",
    "to_json",
    "write_charts",
    "write_html",
    "write_json",
    "write_ndjson",
    "write_parquet",
    "write_report",
    "write_workbook",
]
