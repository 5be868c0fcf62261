"""Progress of a load on the terminal: a bar once the load has taken about a second.

A load that ends within a second draws nothing. A longer one draws one line on standard
error, when standard error is a terminal: never in a notebook's captured output (its
stream is not a terminal), a pipe, a log or a CI job. ``show=True`` draws even when
standard error is not a terminal; ``show=False`` never draws.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import sys
from typing import TextIO

from sqfw._terminal import Progress

__all__ = ["AFTER_SECONDS", "LoadProgress"]

AFTER_SECONDS = 1.0
"""How long a load runs before its progress is drawn."""


class LoadProgress:
    """The stages of one load (read, check, build) as one bar on the terminal.

    Args:
        show: ``None`` to draw on a terminal only, ``True`` to draw on ``stream`` whatever
            it is, ``False`` never to draw.
        stream: where to draw (default: standard error at the time of the load).
        after: seconds a load runs before anything is drawn (default:
            :data:`AFTER_SECONDS`).
    """

    def __init__(
        self, show: bool | None, *, stream: TextIO | None = None, after: float | None = None
    ) -> None:
        self.bar = Progress(
            sys.stderr if stream is None else stream,
            enabled=show is not False,
            after=AFTER_SECONDS if after is None else after,
        )
        if show is True:
            self.bar.tty = True
        self.open = False  # a bar line is drawn and not yet ended

    @property
    def active(self) -> bool:
        """Whether anything may be drawn at all."""
        return self.bar.enabled and self.bar.tty

    def __call__(self, stage: str, done: int, total: int) -> None:
        """``done`` of ``total`` steps of ``stage``; drawn once the load has run a second."""
        if not self.active:
            return
        self.bar(stage, done, total)
        self.open = self.bar.drawn and done < total

    def close(self) -> None:
        """End a bar line left open (a load that failed midway)."""
        if self.open:
            self.bar.stream.write("\n")
            self.bar.stream.flush()
            self.open = False
