"""Optional dependencies: imported when a feature needs them, or an error naming the extra.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["require"]


def require(module: str, *, extra: str = "analysis") -> Any:
    """Import an optional dependency, or say which extra provides it.

    Args:
        module: the module to import.
        extra: the extra of sqfw that installs it (``"arrays"`` for Dask and JAX).

    Raises:
        ImportError: the module is not installed; the message names ``sqfw[<extra>]``.
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"this needs {module}, part of sqfw's {extra} extra: pip install 'sqfw[{extra}]'"
        ) from None
