"""Text that fits a terminal: display widths, wrapped tables, progress drawn only on a tty.

A Chinese character takes two columns of a terminal (East Asian width "W" or "F"); a
table is laid out on those widths. A table wider than the terminal is made to fit on
purpose, in this order: headers wrap onto up to three lines, then the widest text
columns wrap their cells, then the headings of figures take as many lines as they need;
figures are never cut. Tables longer than a screen are cut by
the report with a note saying how many rows were left out and where to find them all.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
import os
import shutil
import time
import unicodedata
from collections.abc import Sequence
from typing import TextIO

__all__ = [
    "Progress",
    "fit_table",
    "terminal_width",
    "width",
    "wrap",
]

_GAP = 2
"""Spaces between two columns."""
_MIN_TEXT = 10
"""A text column is never wrapped narrower than this."""
_HEADER_LINES = 3


def width(text: str) -> int:
    """The columns ``text`` takes on a terminal (wide and full-width characters count 2)."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return total


def terminal_width(default: int = 100) -> int:
    """The width of the terminal (``COLUMNS`` first), ``default`` when there is none."""
    return shutil.get_terminal_size((default, 24)).columns


def _pad(text: str, size: int, right: bool) -> str:
    space = " " * max(0, size - width(text))
    return space + text if right else text + space


def wrap(text: str, size: int) -> list[str]:
    """``text`` in lines of at most ``size`` columns.

    Breaks at spaces and after ``/`` or ``-`` where it can, and anywhere between two Chinese
    characters; a word longer than a line is split.
    """
    if width(text) <= size:
        return [text]
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        candidate = line + token
        if width(candidate.rstrip()) <= size:
            line = candidate
            continue
        if line.strip():
            lines.append(line.rstrip())
        line = token.lstrip()
        while width(line) > size:  # a token longer than a line: split it
            cut = _cut(line, size)
            lines.append(line[:cut])
            line = line[cut:]
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def _tokens(text: str) -> list[str]:
    """Pieces a line may break after: words with their space, single wide characters."""
    tokens: list[str] = []
    current = ""
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in "WF"
        if wide:
            if current:
                tokens.append(current)
                current = ""
            tokens.append(ch)
        elif ch in " /-":
            tokens.append(current + ch)
            current = ""
        else:
            current += ch
    if current:
        tokens.append(current)
    return tokens


def _cut(text: str, size: int) -> int:
    used = 0
    for index, ch in enumerate(text):
        used += width(ch)
        if used > size:
            return max(1, index)
    return len(text)


def _header_width(header: str, least: int) -> int:
    """The narrowest width, at least ``least``, at which ``header`` wraps to ≤ 3 lines.

    Short headings and English words are not broken: a heading keeps at least 8
    columns (or its own width) and its longest word (up to 14 columns).
    """
    own = width(header)
    least = max(least, min(own, 8), min(_longest_word(header), 14))
    size = max(least, math.ceil(own / _HEADER_LINES), 1)
    while len(wrap(header, size)) > _HEADER_LINES:
        size += 1
    return min(size, max(least, own))


def fit_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[int] = (),
    limit: int | None = None,
) -> str:
    """A table as aligned text that fits in ``limit`` columns where it can.

    Args:
        header: the column headings.
        rows: the cells, as text.
        right: the columns aligned right (figures).
        limit: the width to fit (default: the terminal's).

    Returns:
        The heading lines, a rule and one or more lines per row.
    """
    limit = terminal_width() if limit is None else limit
    count = len(header)
    cells = [max((width(str(r[i])) for r in rows), default=0) for i in range(count)]
    natural = [max(c, width(h)) for c, h in zip(cells, header, strict=True)]
    widths = list(natural)

    def total() -> int:
        return sum(widths) + _GAP * (count - 1)

    if total() > limit:  # first the headings wrap
        widths = [_header_width(h, c) for h, c in zip(header, cells, strict=True)]
    flexible = [i for i in range(count) if i not in right]
    while total() > limit:  # then the widest text column wraps its cells
        widest = max(flexible, key=lambda i: widths[i], default=None)
        if widest is None or widths[widest] <= _MIN_TEXT:
            break
        over = total() - limit
        floor = max(_MIN_TEXT, min(_longest_word(header[widest]), 14))
        widths[widest] = max(floor, widths[widest] - over)
        if widths[widest] == floor and total() > limit:
            flexible.remove(widest)
    if total() > limit:  # last, headings may take more lines, down to their cells' width
        widths = [
            w if i not in right else max(cells[i], min(_longest_word(header[i]), 10))
            for i, w in enumerate(widths)
        ]
    heads = [wrap(h, w) for h, w in zip(header, widths, strict=True)]
    height = max(len(h) for h in heads)
    lines = []
    for k in range(height):
        parts = [
            _pad(h[k - (height - len(h))] if k >= height - len(h) else "", w, i in right)
            for i, (h, w) in enumerate(zip(heads, widths, strict=True))
        ]
        lines.append("  ".join(parts).rstrip())
    lines.append("  ".join("─" * w for w in widths))
    for row in rows:
        wrapped = [
            wrap(str(c), w) if i not in right else [str(c)]
            for i, (c, w) in enumerate(zip(row, widths, strict=True))
        ]
        for k in range(max(len(c) for c in wrapped)):
            parts = [
                _pad(c[k] if k < len(c) else "", w, i in right)
                for i, (c, w) in enumerate(zip(wrapped, widths, strict=True))
            ]
            lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _longest_word(text: str) -> int:
    return max((width(t.strip()) for t in _tokens(text)), default=1)


class Progress:
    """A one-line progress bar, drawn only when the stream is a terminal.

    On anything else (a log file, a pipe, a CI job) nothing is drawn, so no line of
    carriage returns reaches a log; :meth:`note` still writes plain lines there when
    ``notes`` is on.

    Args:
        stream: where to draw (usually standard error).
        enabled: whether the work is big enough to show progress at all.
        notes: write one plain line per finished stage when not on a terminal.
    """

    def __init__(self, stream: TextIO, *, enabled: bool = True, notes: bool = False) -> None:
        self.stream = stream
        self.enabled = enabled
        self.notes = notes
        self.started = time.monotonic()
        isatty = getattr(stream, "isatty", None)
        self.tty = bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"

    def __call__(self, stage: str, done: int, total: int) -> None:
        """Report that ``done`` of ``total`` steps of ``stage`` are done."""
        if not self.enabled or total <= 0:
            return
        elapsed = time.monotonic() - self.started
        if not self.tty:
            if self.notes and done >= total:
                self.stream.write(f"{stage}: {total:,} done in {elapsed:.1f}s\n")
                self.stream.flush()
            return
        size = 30
        filled = min(size, int(size * done / total))
        bar = "█" * filled + "·" * (size - filled)
        self.stream.write(f"\r{stage:<10} [{bar}] {done:,}/{total:,} {elapsed:5.1f}s")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()
