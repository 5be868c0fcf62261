"""Optional dependencies: imported when a feature needs them, or an error naming the extra.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["require"]


def require(module: str) -> Any:
    """Import an optional dependency, or say which extra provides it.

    Raises:
        ImportError: the module is not installed; the message names ``sqfw[analysis]``.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"this needs {module}, part of sqfw's analysis extra: pip install 'sqfw[analysis]'"
        ) from None
