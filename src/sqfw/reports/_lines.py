"""The findings as JSON lines: the one encoding of a finding, written by one process or several.

A finding's line holds, in order: code, name, county, norm, clauses, status, measured,
required, shortfall, unit and shortfall_unit, the figures exact (ratios as ``"p/q"``,
areas as decimal text). The JSON report's ``findings``, the NDJSON output and
:meth:`~sqfw.analysis.Assessment.to_dict` are made of these lines.

A national assessment has millions of findings, and each finding's figures are its
norm's own (nothing is restated for speed): a norm that declares them
(:class:`~sqfw.calculators.kernels.FigureReading`) is read a window of rows at a time,
each figure worked out once per distinct input it reads, remembered from one window to
the next, and the clauses once per distinct row its ``applied`` reads; any other norm is
worked out row by row (:meth:`~sqfw.analysis.NormRun.said_many`), once per distinct row
where its rows repeat the values it reads
(:func:`~sqfw.reports._rows.per_distinct_row`). And :func:`write_lines` hands
the rows past the first share to other processes: the inputs are pickled once to a
temporary folder, and each worker (the same interpreter, started isolated with this
process's import path, running :mod:`sqfw.reports._worker`) writes its share of lines to
a file there and then a done file with its count, while this process makes what goes
before the lines and writes the first share (a little smaller for it). The shares are
then copied to the output in row order — the text one process writes. A share whose
process cannot be started, fails, leaves no done file or takes far longer than this
process's own share (a norm that cannot be pickled, an interpreter that cannot import
sqfw, a full temporary folder) is written by this process instead. Nothing
a worker prints reaches the output.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import functools
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, NamedTuple

import attrs

from sqfw.calculators import Status
from sqfw.calculators.kernels import STATUSES, FigureReading
from sqfw.errors import InvalidArgumentError
from sqfw.reports._rows import GROUPED_FROM, applied_groups, per_distinct_row

if TYPE_CHECKING:
    from sqfw.analysis import Assessment, FindingSelection, NormRun

__all__ = [
    "FAILING",
    "PARALLEL_FROM",
    "FindingLines",
    "Written",
    "check_findings",
    "exact",
    "finding_lines",
    "findings_count",
    "write_lines",
]

PARALLEL_FROM = 200_000
"""From this many findings, :func:`write_lines` uses other processes unless told not to."""

_MAX_WORKERS = 4  # each process holds a copy of the norms' columns
_BATCH = 20_000
_WINDOW = 20_000  # rows read at a time: their values as Python numbers
_GROUPED_FROM = GROUPED_FROM  # rows from which repeating rows are looked for
_GROUPS = 0.2  # at most this share of distinct rows, or each row is worked out
Progress = Callable[[str, int, int], None]


def exact(value: Fraction | Decimal | int | None) -> str | int | None:
    """An exact figure as JSON: ints as numbers, ratios as ``"p/q"``, areas as text."""
    if type(value) is Fraction:  # a share (a type's identity is quick to ask)
        return str(value)
    if isinstance(value, Decimal):  # before Fraction: isinstance(…, Fraction) is slow
        return format(value.normalize(), "f")  # "f" never writes an exponent
    if value is None or isinstance(value, int):
        return value
    return str(value)


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


_DECIMALS: dict[Decimal, str] = {}  # areas repeat (minimums, round figures): written once


def _figure_json(value: Fraction | Decimal | int | None) -> str:
    """A figure as JSON, as :func:`exact` writes it (the common types looked at first)."""
    kind = type(value)
    if kind is int:
        return str(value)
    if isinstance(value, Decimal) and kind is Decimal:
        cached = _DECIMALS.get(value)
        if cached is None:
            if len(_DECIMALS) > 100_000:
                _DECIMALS.clear()
            cached = _DECIMALS[value] = '"' + str(exact(value)) + '"'
        return cached
    if value is None:
        return "null"
    text = exact(value)
    if isinstance(text, str):
        return '"' + text + '"'  # digits, "/", "." and "-": nothing to escape
    return str(text) if type(text) is int else _ENCODE(text)


FAILING: Final = (Status.FAIL, Status.UNKNOWN)
"""The statuses ``findings="failing"`` keeps: not passing, and not decided."""


def check_findings(findings: object) -> None:
    """Refuse a ``findings`` other than "all", "failing" or "none"."""
    if findings not in ("all", "failing", "none"):
        raise InvalidArgumentError("findings", findings, "'all', 'failing' or 'none'")


def _selection(a: Assessment, findings: str) -> FindingSelection | None:
    check_findings(findings)
    if findings == "none":
        return None
    return a.finding_selection(status=None if findings == "all" else FAILING)


def findings_count(a: Assessment, findings: str) -> int:
    """How many findings ``findings`` selects (from the status counts)."""
    check_findings(findings)
    if findings == "none":
        return 0
    total = 0
    for norm in a.runs:
        counts = a.status_counts(norm)
        total += sum(n for s, n in counts.items() if findings == "all" or s in FAILING)
    return total


@attrs.frozen(kw_only=True, eq=False)
class FindingLines:
    """What the selected findings' lines are made of: plain columns and the norms' runs.

    It pickles (the norms by reference), so another process can write a share of the rows.

    Attributes:
        selection: which findings.
        names: the communities' names.
        county: each community's county (an index into ``counties``).
        counties: the counties' codes, JSON-encoded.
        runs: the norms' runs.
    """

    selection: FindingSelection
    names: Sequence[str]
    county: Sequence[int]
    counties: tuple[str, ...]
    runs: Mapping[str, NormRun]

    @classmethod
    def of(cls, a: Assessment, findings: str) -> FindingLines | None:
        """The lines of the findings ``findings`` selects (``None`` for ``"none"``)."""
        selection = _selection(a, findings)
        if selection is None:
            return None
        d = a.dataset
        return cls(
            selection=selection,
            names=d.communities.name,
            county=d.community_county,
            counties=tuple(_ENCODE(c.code) for c in d.counties),
            # a finding reads its norm's inputs and outputs: the other processes get those
            runs={norm: _reading(run) for norm, run in a.runs.items()},
        )

    def lines(self, rows: range) -> Iterator[str]:
        """Each selected finding among ``rows`` as one line of JSON, in row order."""
        for window in self.windows(rows):
            yield from window

    def windows(self, rows: range) -> Iterator[list[str]]:
        """The lines of :meth:`lines`, a window of rows at a time (a list per window).

        The rows are read a window at a time, a norm at a time, and the lines joined in
        row order; a figure worked out for one window is not worked out again for the
        next (:meth:`~sqfw.calculators.kernels.FigureReading.window`'s memo).
        """
        step = _WINDOW * rows.step
        memos: dict[str, dict[str, dict[Any, str]]] = {norm: {} for norm in self.runs}
        for start in range(rows.start, rows.stop, step):
            yield self._window(rows[start - rows.start : start - rows.start + step], memos)

    def _window(self, rows: range, memos: dict[str, dict[str, dict[Any, str]]]) -> list[str]:
        selection = self.selection
        codes, names, county, counties = selection.codes, self.names, self.county, self.counties
        prefix, wanted = selection.prefix, selection.wanted
        kept = rows if prefix is None else [i for i in rows if codes[i].startswith(prefix)]
        if not kept:
            return []
        first = kept[0]
        # each norm's part of the line (from "norm" on), by row; None: not selected
        parts: list[list[str | None]] = []
        for norm, column in selection.statuses.items():
            run = self.runs[norm]
            statuses = _listed(column, first, kept[-1] + 1)
            if wanted is None:
                chosen: Sequence[int] = kept
            else:
                chosen = [i for i in kept if statuses[i - first] in wanted]
            tail = (
                f', "unit": {_ENCODE(run.norm.unit.value)}, '
                f'"shortfall_unit": {_ENCODE(run.norm.shortfall_unit.value)}}}'
            )
            found = iter(_parts(run, norm, chosen, statuses, first, tail, memos[norm]))
            picked = None if wanted is None else set(chosen)
            parts.append(
                [next(found) if picked is None or index in picked else None for index in kept]
            )
        out: list[str] = []
        for at, index in enumerate(kept):
            place = None
            for texts in parts:
                text = texts[at]
                if text is None:
                    continue
                if place is None:  # a row's place is written once for its norms
                    place = (
                        f'{{"code": {_ENCODE(codes[index])}, "name": {_ENCODE(names[index])}, '
                        f'"county": {counties[county[index]]}, "norm": '
                    )
                out.append(place + text)
        return out


def _parts(
    run: NormRun,
    norm: str,
    rows: Sequence[int],
    statuses: list[int],
    first: int,
    tail: str,
    memo: dict[str, dict[Any, str]],
) -> list[str]:
    """Each of ``rows``' findings of a norm as the part of its line from ``"norm"`` on.

    A norm whose figures are declared (a :class:`~sqfw.calculators.kernels.FigureReading`)
    is read a window at a time, each figure once per distinct input; any other norm's
    figures are worked out row by row. The clauses come once per distinct row ``applied``
    reads (:func:`~sqfw.reports._rows.applied_groups`).
    """
    if not rows:
        return []
    places = range(len(statuses)) if len(rows) == len(statuses) else [at - first for at in rows]
    reading = run.norm.figures
    figures: list[list[str]]
    if isinstance(reading, FigureReading):
        stop = rows[-1] + 1
        columns = run.columns
        values = {name: _values(columns[name], first, stop) for name in reading.reads}
        boundary = {  # rows decided again at a boundary, by their place in the window
            at - first: outputs
            for at, outputs in run.evaluated.exact_rows.items()
            if first <= at < stop
        }
        found = reading.window(values, boundary, run.params, _figure_json, memo)
        # the window's figures of the rows wanted
        figures = [
            figure if isinstance(places, range) else [figure[p] for p in places] for figure in found
        ]
    else:  # measured, required and shortfall of each row, worked out on its own
        said = list(zip(*_said(run, rows), strict=True))[2:]
        figures = [[_figure_json(value) for value in figure] for figure in said]
    groups, clauses = applied_groups(run, rows)
    if hasattr(groups, "tolist"):
        groups = groups.tolist()
    # a line's head, by its clauses' group and status (a status code is below 8)
    keys = [group * 8 + statuses[place] for group, place in zip(groups, places, strict=True)]
    heads = {
        key: f'{_ENCODE(norm)}, "clauses": {_ENCODE(list(clauses[key // 8]))}, '
        f'"status": {_ENCODE(STATUSES[key % 8].value)}, "measured": '
        for key in set(keys)
    }
    return [
        f'{heads[key]}{m}, "required": {r}, "shortfall": {s}{tail}'
        for key, m, r, s in zip(keys, *figures, strict=True)
    ]


def _reading(run: NormRun) -> NormRun:
    """``run`` with the input columns its norm reads only (the dataset has many more)."""
    wanted = set(run.norm.reads)
    if wanted >= set(run.inputs):
        return run
    return attrs.evolve(run, inputs={k: v for k, v in run.inputs.items() if k in wanted})


Says = tuple[tuple[str, ...], Status, Any, Any, Any]
"""What a finding says: clauses, status, measured, required, shortfall."""


def _says(run: NormRun, row: Any) -> Says:
    _, clauses, status, measured, required, shortfall = run.said_of(row)
    return clauses, status, measured, required, shortfall


def _said(run: NormRun, rows: Sequence[int]) -> list[Says]:
    """What the findings of ``rows`` say: once per distinct combination of the values the
    norm reads where such rows repeat (a few counts), else row by row."""
    if len(rows) >= _GROUPED_FROM:
        grouped = per_distinct_row(run, functools.partial(_says, run), rows, most=_GROUPS)
        if grouped is not None:
            groups, results = grouped
            return [results[g] for g in groups.tolist()]
    return [said[1:] for said in run.said_many(rows)]


def _values(column: Any, start: int, stop: int) -> list[Any]:
    """Rows ``start`` up to ``stop`` of a column, as Python numbers."""
    if hasattr(column, "tolist"):
        return list(column[start:stop].tolist())
    return [column.item(index) for index in range(start, stop)]


def _listed(column: Any, start: int, stop: int) -> list[int]:
    """Rows ``start`` up to ``stop`` of a status column, as ints."""
    values = _values(column, start, stop)
    return values if hasattr(column, "tolist") else [int(value) for value in values]


def finding_lines(a: Assessment, findings: str) -> Iterator[str]:
    """Each finding ``findings`` selects as one line of JSON, in row order."""
    source = FindingLines.of(a, findings)  # a bad ``findings`` is refused here
    return iter(()) if source is None else source.lines(range(len(a.dataset)))


# -- writing ------------------------------------------------------------------------------


def _write(
    stream: IO[str],
    windows: Iterator[list[str]],
    sep: str,
    *,
    after: bool,
    report: Callable[[int], None] | None = None,
) -> int:
    """Write the lines of ``windows`` with ``sep`` between them (and before the first if
    ``after``)."""
    written = 0
    for window in windows:
        for start in range(0, len(window), _BATCH):  # text a batch at a time
            batch = window[start : start + _BATCH]
            joined = sep.join(batch)
            stream.write(sep + joined if after or written else joined)
            written += len(batch)
            if report is not None:
                report(len(batch))
    return written


def write_part(source: FindingLines, rows: range, sep: str, out: IO[bytes]) -> int:
    """Write the lines of ``rows`` to ``out`` as UTF-8, ``sep`` between them (a worker's
    share); how many lines were written."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    count = _write(text, source.windows(rows), sep, after=False)
    text.flush()
    text.detach()
    return count


DONE = "sqfw-lines"
"""How a worker's done file begins: ``"sqfw-lines <count>"``, written once its share is."""


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def _workers(workers: object, total: int) -> int:
    if workers is not None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise InvalidArgumentError("workers", workers, "a whole number of at least 1")
        return workers
    if total < PARALLEL_FROM or not sys.executable or getattr(sys, "frozen", False):
        return 1
    return max(1, min(_cpus(), _MAX_WORKERS))


_OWN_SHARE = 0.9
"""This process's share against another's: it also makes what goes before the lines."""


def _split(n: int, parts: int) -> list[range]:
    """``n`` rows in ``parts`` shares in order, the first (this process's) a little less."""
    own = _OWN_SHARE if parts > 1 else 1.0
    total = own + parts - 1
    # each bound from the weights before it (never a sum of rounded shares): in order, <= n
    bounds = [0] + [round(n * (own + k) / total) for k in range(parts - 1)] + [n]
    return [range(bounds[k], bounds[k + 1]) for k in range(parts)]


# the worker is started isolated (-I: no environment variables, no user site, no current
# folder on the path) with this process's import path, so it imports what this one does
_BOOT = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from sqfw.reports._worker import main; main(sys.argv[2:])"
)


@attrs.define
class _Share:
    """A share of the rows, and the process writing it (``None``: written here)."""

    rows: range
    lines: Path
    done: Path
    process: subprocess.Popen[bytes] | None = None

    def written(self, deadline: float) -> int | None:
        """How many lines its process wrote, once it has (``None``: it did not)."""
        if self.process is None:
            return None
        try:
            code = self.process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.stop()
            return None
        if code != 0:
            return None
        try:
            said = self.done.read_text(encoding="utf-8").split()
        except OSError:
            return None
        if len(said) != 2 or said[0] != DONE or not said[1].isdigit():
            return None
        return int(said[1])

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _start(payload: Path, folder: Path, index: int, rows: range) -> _Share:
    share = _Share(rows, folder / f"lines-{index}", folder / f"done-{index}")
    path = json.dumps(sys.path)
    command = [sys.executable, "-I", "-c", _BOOT, path, str(payload), str(rows.start)]
    command += [str(rows.stop), str(share.lines), str(share.done)]
    try:
        share.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,  # nothing a worker prints reaches the output
            stderr=subprocess.DEVNULL,
        )
    except Exception:  # no process (no interpreter, no resources): the share is written here
        share.process = None
    return share


def _payload(source: FindingLines, sep: str, folder: Path) -> Path | None:
    """The share's inputs, pickled once for every worker (``None``: they do not pickle)."""
    path = folder / "payload.pickle"
    try:
        with path.open("wb") as handle:
            pickle.dump((source, sep), handle, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # a norm that cannot be pickled, a full folder: written here
        return None
    return path


def _in_kernel(source: IO[bytes], target: IO[bytes]) -> bool:
    """Copy the whole of ``source`` to the end of ``target`` (a file, flushed) without
    reading it into this process, where the system can (Linux); whether it was."""
    copy = getattr(os, "copy_file_range", None)
    try:
        into = target.fileno()
        size = os.fstat(source.fileno()).st_size
    except (OSError, ValueError, io.UnsupportedOperation):
        return False
    if copy is None or size == 0 or not target.seekable():
        return False
    try:
        # the two files' own offsets move as the kernel copies
        while size and (done := copy(source.fileno(), into, size)):
            size -= done
    except (OSError, ValueError, io.UnsupportedOperation):
        pass  # what was not copied is copied by reading (both offsets moved as it went)
    target.seek(0, os.SEEK_END)  # the buffered writer learns where the file now ends
    return size == 0


def _copy(lines: Path, stream: IO[str], *, verbatim: bool) -> None:
    """Copy a share's UTF-8 text to ``stream``: as bytes when the stream writes text as
    given in UTF-8 (``verbatim``), else through its ``write`` (newline translation and
    encoding are the stream's)."""
    with lines.open("rb") as handle:
        buffer = getattr(stream, "buffer", None)
        if verbatim and buffer is not None:
            stream.flush()
            buffer.flush()
            if not _in_kernel(handle, buffer):
                shutil.copyfileobj(handle, buffer, 1 << 24)
            return
        text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
        while chunk := text.read(1 << 22):
            stream.write(chunk)
        text.detach()


def write_lines(
    a: Assessment,
    stream: IO[str],
    findings: str,
    *,
    sep: str,
    end: str,
    stage: str,
    progress: Progress | None = None,
    workers: int | None = None,
    verbatim: bool = False,
    before: Callable[[], None] | None = None,
) -> Written:
    """Write the findings' lines to ``stream``, ``sep`` between them, ``end`` after the last.

    Args:
        a: the assessment.
        stream: an open text stream.
        findings: ``"all"``, ``"failing"`` or ``"none"``.
        sep: written between two lines.
        end: written after the last line (nothing when no finding is selected).
        stage: the stage ``progress`` is called with.
        progress: called with (stage, findings written, findings in all).
        workers: processes writing lines (default: one up to :data:`PARALLEL_FROM`
            findings, then one per CPU, at most four); ``1`` writes everything here.
        verbatim: the stream writes text as given (no newline translation) in UTF-8, as
            sqfw's own files do: the other processes' shares are copied as bytes.
        before: called once the other processes are started, before the first line is
            written (what goes before the lines, made while they work).

    Returns:
        How many findings were written, and how many shares other processes wrote.
    """
    total = findings_count(a, findings)
    count = _workers(workers, total)
    source = FindingLines.of(a, findings)
    written = elsewhere = 0

    def report(batch: int) -> None:
        nonlocal written
        before, written = written, written + batch
        if progress is not None and written // 50_000 != before // 50_000:
            progress(stage, written, total)

    if source is None and before is not None:
        before()
    if source is not None:
        parts = _split(len(a.dataset), count)
        folder = Path(tempfile.mkdtemp(prefix="sqfw-lines-")) if count > 1 else None
        shares: list[_Share] = []
        try:
            payload = None if folder is None else _payload(source, sep, folder)
            if folder is not None and payload is not None:
                for index, rows in enumerate(parts[1:], start=1):
                    shares.append(_start(payload, folder, index, rows))
            if before is not None:
                before()
            started = time.monotonic()
            _write(stream, source.windows(parts[0]), sep, after=False, report=report)
            # a worker's share takes about as long as this one: wait well beyond that
            deadline = time.monotonic() + max(60.0, 4 * (time.monotonic() - started))
            handed: list[_Share | None] = [*shares] or [None] * (len(parts) - 1)
            for rows, share in zip(parts[1:], handed, strict=True):
                lines = None if share is None else share.written(deadline)
                if share is not None and lines is not None:
                    elsewhere += 1
                    if lines:
                        if written:
                            stream.write(sep)
                        _copy(share.lines, stream, verbatim=verbatim)
                        report(lines)
                else:  # the share could not be written elsewhere: it is written here
                    _write(stream, source.windows(rows), sep, after=written > 0, report=report)
        finally:
            for share in shares:
                share.stop()
            if folder is not None:
                shutil.rmtree(folder, ignore_errors=True)
        if written:
            stream.write(end)
    if progress is not None:
        progress(stage, total, total)
    return Written(total, elsewhere)


class Written(NamedTuple):
    """What :func:`write_lines` wrote."""

    findings: int
    shares_elsewhere: int
