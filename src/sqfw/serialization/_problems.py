"""Problems with ``$.paths``: cattrs' structuring errors turned into one list.

.. versionadded:: 0.1.0
   Split out of the former ``sqfw.serialization`` module.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from sqfw.errors import InvalidArgumentError, InvalidEntityError, Problem, shorten, show_value

__all__ = ["describe", "problems_from", "step"]


def describe(value: object) -> str:
    """How a rejected value is shown in a message, in JSON's words (cut short, masked)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "an array"
    return show_value(value)


def problems_from(error: BaseException, path: str = "$") -> list[Problem]:
    """Turn a structuring error of a sqfw converter into ``$.path`` problems.

    Walks cattrs' exception groups (one per object and per array), so every problem found
    anywhere in the data is listed, in document order.

    Args:
        error: the exception raised by ``converter.structure``.
        path: the path of the structured value in its document (``"$"`` for the root).

    Returns:
        One :class:`~sqfw.errors.Problem` per problem.
    """
    if isinstance(error, BaseValidationError):
        found: list[Problem] = []
        for sub in error.exceptions:
            found.extend(problems_from(sub, path + step(sub)))
        return found
    if isinstance(error, ForbiddenExtraKeysError):
        known = ", ".join(f.name for f in attrs.fields(error.cl)) if attrs.has(error.cl) else ""
        return [
            Problem(f"{path}.{shorten(str(key))}", f"unknown key; expected one of: {known}")
            for key in sorted(error.extra_fields)
        ]
    return [Problem(path, _message(error))]


def step(error: BaseException) -> str:
    """The path step a cattrs note puts on ``error``: ``.field``, ``[index]`` or nothing."""
    for note in reversed(getattr(error, "__notes__", ())):
        if isinstance(note, AttributeValidationNote):
            return f".{note.name}"
        if isinstance(note, IterableValidationNote):
            return f"[{note.index}]"
    return ""


def _message(error: BaseException) -> str:
    if isinstance(error, InvalidEntityError | InvalidArgumentError):
        return f"expected {error.expected}, got {show_value(error.value)}"
    if type(error) is KeyError:
        return "required key is missing"
    text = str(error)
    return shorten(text, 300) if text else type(error).__name__
