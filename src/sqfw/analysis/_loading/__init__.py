"""Loading and saving regions as tables and documents.

The pieces, each small enough to read at once:

- :mod:`~sqfw.analysis._loading.columns`: the catalogue of columns and header matching;
- :mod:`~sqfw.analysis._loading.cells`: the strict reader of each kind of cell, in bulk;
- :mod:`~sqfw.analysis._loading.sources`: CSV (csv module or pandas) and XLSX as columns;
- :mod:`~sqfw.analysis._loading.checks`: the rules rows keep beyond their cells;
- :mod:`~sqfw.analysis._loading.tree`: the division tables the rows' codes name;
- :mod:`~sqfw.analysis._loading.tables`: :func:`load_table` and :func:`load_region`;
- :mod:`~sqfw.analysis._loading.writer`: :func:`save_table`, the same layout written.
"""

from sqfw.analysis._loading.columns import COLUMNS, Column
from sqfw.analysis._loading.tables import OnError, load_region, load_table
from sqfw.analysis._loading.writer import save_table, table_rows

__all__ = [
    "COLUMNS",
    "Column",
    "OnError",
    "load_region",
    "load_table",
    "save_table",
    "table_rows",
]
