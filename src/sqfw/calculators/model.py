"""The community data model, public for the packages built on the calculators.

One declaration of each fact a community has (:data:`COMMUNITY_FIELDS`) gives the columns
the norm kernels read, the reading of an entity, the building of an entity from a row and
a table's columns and cells. The analysis (datasets, table loaders and writers, the sample)
reads the model through this module; the declarations themselves live in the calculators'
private modules, which no other package imports.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from sqfw.calculators._columns import ABSENT_MEANS, COMMUNITY_COLUMNS
from sqfw.calculators._inputs import as_ratio
from sqfw.calculators._model import (
    BARRIER_FREE,
    COMMUNITY_FIELDS,
    COMMUNITY_KINDS,
    FIELDS,
    NAN,
    UNKNOWN_FLAG,
    NumberRule,
    Of,
    barrier_free_column,
    community_entity,
    community_values,
    from_table,
    read_columns,
    table_fields,
    table_values,
)

__all__ = [
    "ABSENT_MEANS",
    "BARRIER_FREE",
    "COMMUNITY_COLUMNS",
    "COMMUNITY_FIELDS",
    "COMMUNITY_KINDS",
    "FIELDS",
    "NAN",
    "UNKNOWN_FLAG",
    "NumberRule",
    "Of",
    "as_ratio",
    "barrier_free_column",
    "community_entity",
    "community_values",
    "from_table",
    "read_columns",
    "table_fields",
    "table_values",
]
