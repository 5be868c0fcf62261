"""Text that fits a terminal: display widths, wrapped tables, progress drawn only on a tty.

A Chinese character takes two columns of a terminal (East Asian width "W" or "F"); a
table is laid out on those widths. A table wider than the terminal is made to fit on
purpose, in this order: headings wrap onto up to three lines, then the widest text
columns wrap their cells, then the headings of figures take a fourth line. Lines break at
spaces, after "/" or "-" and between two Chinese characters: no word or figure is ever
split. A table whose columns still do not fit side by side is shown in parts, each
repeating the first column. Tables longer than a screen are cut by the report with a
note saying how many rows were left out and where to find them all.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
import os
import shutil
import sys
import time
import unicodedata
from collections.abc import Sequence
from typing import TextIO

from sqfw._args import expect_items
from sqfw.errors import InvalidArgumentError

__all__ = [
    "Progress",
    "fit_table",
    "terminal_progress",
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
    characters; only a word longer than a whole line is split.
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
        while width(line.rstrip()) > size:  # a token longer than a line: split it
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


def _header_width(header: str, least: int, lines: int = _HEADER_LINES) -> int:
    """The narrowest width, at least ``least``, at which ``header`` wraps to ≤ ``lines`` lines.

    Short headings and words are not broken: a heading keeps at least 8 columns (or its
    own width) and its longest word.
    """
    own = width(header)
    least = max(least, min(own, 8), _longest_word(header))
    size = max(least, math.ceil(own / lines), 1)
    while len(wrap(header, size)) > lines:
        size += 1
    return min(size, max(least, own))


def _floors(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int]
) -> tuple[list[int], list[int], list[int]]:
    """Each column's natural width, its width with a three-line heading, and its floor.

    The floor is as narrow as the column may go: a figure's cells are never wrapped and
    its heading takes at most four lines; a text column keeps its longest word (words are
    never split) and at least ``_MIN_TEXT`` columns.
    """
    natural, snug, floor = [], [], []
    for i, head in enumerate(header):
        cells = [str(r[i]) for r in rows]
        widest = max((width(c) for c in cells), default=0)
        natural.append(max(widest, width(head)))
        snug.append(_header_width(head, widest))
        if i in right:
            floor.append(_header_width(head, widest, _HEADER_LINES + 1))
        else:
            words = max([_longest_word(head), *(_longest_word(c) for c in cells)])
            floor.append(max(words, min(natural[i], _MIN_TEXT)))
    return natural, snug, floor


def _span(widths: Sequence[int]) -> int:
    return sum(widths) + _GAP * (len(widths) - 1)


def _fit_widths(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int], limit: int
) -> list[int] | None:
    """The columns' widths that fit ``limit``, or ``None`` when even their floors do not."""
    natural, snug, floor = _floors(header, rows, right)
    if _span(natural) <= limit:
        return natural
    if _span(floor) > limit:
        return None
    widths = [max(s, f) for s, f in zip(snug, floor, strict=True)]
    texts = [i for i in range(len(header)) if i not in right]
    figures = [i for i in range(len(header)) if i in right]
    # first the widest text column wraps its cells (down to the next widest, so text
    # columns end up alike), then the figures' headings take a fourth line; each column
    # gives up only what is needed, down to its floor
    while _span(widths) > limit:
        over = _span(widths) - limit
        shrinkable = sorted((i for i in texts if widths[i] > floor[i]), key=lambda i: -widths[i])
        if shrinkable:
            pick = shrinkable[0]
            level = widths[shrinkable[1]] if len(shrinkable) > 1 else 0
            if level >= widths[pick]:  # two alike: narrow one by a column, then the other
                level = widths[pick] - 1
            widths[pick] = max(floor[pick], level, widths[pick] - over)
        else:  # the floors fit, so some figure's heading can still give
            pick = next(i for i in figures if widths[i] > floor[i])
            widths[pick] = max(floor[pick], widths[pick] - over)
    spare = limit - _span(widths)  # room left: give it back to the text columns
    for i in sorted(texts, key=lambda i: -natural[i]):
        more = min(spare, natural[i] - widths[i])
        if more > 0:
            widths[i] += more
            spare -= more
    return widths


def _groups(
    header: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int], limit: int
) -> list[list[int]]:
    """The columns in groups that each fit ``limit`` side by side, the first column (the
    rows' names) repeated in every group."""
    _, _, floor = _floors(header, rows, right)
    key = [0] if 0 not in right else []
    groups: list[list[int]] = []
    current = list(key)
    for i in range(len(key), len(header)):
        if len(current) > len(key) and _span([floor[j] for j in [*current, i]]) > limit:
            groups.append(current)
            current = list(key)
        current.append(i)
    groups.append(current)
    return groups


def expect_rows(rows: object) -> tuple[object, ...]:
    """The rows of a table: an iterable (not text) of rows."""
    if isinstance(rows, str | bytes) or not hasattr(rows, "__iter__"):
        raise InvalidArgumentError("rows", rows, "an iterable of rows of text cells")
    return tuple(rows)  # an iterable, checked above


def fit_table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Sequence[int] = (),
    limit: int | None = None,
) -> str:
    """A table as aligned text that fits in ``limit`` columns.

    Wide tables are fitted in this order: headings wrap onto up to three lines, the
    widest text columns wrap their cells (at word boundaries, or between two Chinese
    characters), the headings of figures take a fourth line. Figures are never cut nor
    wrapped, and no word is split. A table whose columns still do not fit side by side
    is shown in parts, each repeating the first column (the rows' names).

    Args:
        header: the column headings.
        rows: the cells, as text.
        right: the columns aligned right (figures).
        limit: the width to fit (default: the terminal's).

    Returns:
        The heading lines, a rule and one or more lines per row (parts separated by a
        blank line).
    """
    header = expect_items("header", header, str)
    if not header:
        raise InvalidArgumentError("header", header, "at least one column heading")
    rows = [expect_items(f"rows[{i}]", row, str) for i, row in enumerate(expect_rows(rows))]
    for i, row in enumerate(rows):
        if len(row) != len(header):
            raise InvalidArgumentError(f"rows[{i}]", row, f"{len(header)} cells, one per heading")
    right = expect_items("right", right, int)
    if any(not 0 <= j < len(header) for j in right):
        raise InvalidArgumentError("right", right, f"column positions from 0 to {len(header) - 1}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise InvalidArgumentError("limit", limit, "a width of at least 1, or None")
    limit = terminal_width() if limit is None else limit
    rows = [[str(c) for c in r] for r in rows]
    widths = _fit_widths(header, rows, right, limit)
    if widths is not None:
        return _lay_out(header, rows, right, widths)
    groups = _groups(header, rows, right, limit)
    if len(groups) == 1:  # too narrow a terminal even for one column: words are cut
        _, _, widths = _floors(header, rows, right)
        texts = [i for i in range(len(header)) if i not in right]
        while texts and _span(widths) > limit:
            widest = max(texts, key=lambda i: widths[i])
            if widths[widest] <= 2:
                break
            widths[widest] -= 1
        return _lay_out(header, rows, right, widths)
    parts = []
    for group in groups:
        parts.append(
            fit_table(
                [header[i] for i in group],
                [[r[i] for i in group] for r in rows],
                right=[k for k, i in enumerate(group) if i in right],
                limit=limit,
            )
        )
    return "\n\n".join(parts)


def _lay_out(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[int],
    widths: Sequence[int],
) -> str:
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
            wrap(c, w) if i not in right else [c]
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
    ``notes`` is on. With ``after``, nothing is drawn until the work has taken that long:
    a write that is over within a second shows nothing.

    Args:
        stream: where to draw (usually standard error).
        enabled: whether the work is big enough to show progress at all.
        notes: write one plain line per finished stage when not on a terminal.
        after: seconds of work before the bar is first drawn.
    """

    def __init__(
        self, stream: TextIO, *, enabled: bool = True, notes: bool = False, after: float = 0.0
    ) -> None:
        self.stream = stream
        self.enabled = enabled
        self.notes = notes
        self.after = after
        self.drawn = False
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
        if not self.drawn and elapsed < self.after:
            return  # short work: nothing drawn, not even its end
        self.drawn = True
        size = 30
        filled = min(size, int(size * done / total))
        bar = "█" * filled + "·" * (size - filled)
        self.stream.write(f"\r{stage:<10} [{bar}] {done:,}/{total:,} {elapsed:5.1f}s")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def terminal_progress(*, after: float = 1.0) -> Progress:
    """The progress of a long load or write on standard error, drawn only on a terminal
    and only once the work has taken ``after`` seconds (the default of sqfw's writers).

    .. versionadded:: 0.1.0
    """
    return Progress(sys.stderr, after=after)
