"""The one check every view makes of what it is given.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Any

from sqfw._args import expect
from sqfw.analysis import Assessment

__all__ = ["assessment"]


def assessment(a: Any) -> Assessment:
    """``a``, an :class:`~sqfw.analysis.Assessment`.

    Raises:
        InvalidArgumentError: anything else.
    """
    return expect("a", a, Assessment)
