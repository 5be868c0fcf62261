"""The findings as JSON lines: the one encoding of a finding, written by one process or several.

A finding's line holds, in order: code, name, county, norm, clauses, status, measured,
required, shortfall, unit and shortfall_unit, the figures exact (ratios as ``"p/q"``,
areas as decimal text). The JSON report's ``findings``, the NDJSON output and
:meth:`~sqfw.analysis.Assessment.to_dict` are made of these lines.

A national assessment has millions of findings, and each is worked out from its row by
the norm's own ``figures`` (nothing is restated for speed). So :func:`write_lines` hands
the rows past the first share to other processes (``python -m sqfw.analysis._worker``,
given the assessment's columns through a temporary file): each writes its share of lines
to a temporary file while this process writes the first share, and the shares are then
copied to the output in row order — the bytes are those one process writes. A share whose
process cannot be started or fails (an interpreter that cannot import sqfw, a norm that
cannot be pickled, a full temporary folder) is written by this process instead.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import codecs
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from itertools import islice
from pathlib import Path
from typing import IO, TYPE_CHECKING, NamedTuple

import attrs

from sqfw.calculators import Status
from sqfw.errors import InvalidArgumentError

if TYPE_CHECKING:
    from sqfw.analysis._engine import NormRun
    from sqfw.analysis._result import Assessment, FindingSelection

__all__ = [
    "PARALLEL_FROM",
    "FindingLines",
    "Written",
    "check_findings",
    "exact",
    "finding_keys",
    "finding_lines",
    "findings_count",
    "write_lines",
]

PARALLEL_FROM = 200_000
"""From this many findings, :func:`write_lines` uses other processes unless told not to."""

_MAX_WORKERS = 4  # each process holds a copy of the norms' columns
_BATCH = 2_000
Progress = Callable[[str, int, int], None]


def exact(value: Fraction | Decimal | int | None) -> str | int | None:
    """An exact figure as JSON: ints as numbers, ratios as ``"p/q"``, areas as text."""
    if isinstance(value, Decimal):  # before Fraction: isinstance(…, Fraction) is slow
        return format(value.normalize(), "f")  # "f" never writes an exponent
    if value is None or isinstance(value, int):
        return value
    return str(value)


_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def _figure_json(value: Fraction | Decimal | int | None) -> str:
    if value is None:
        return "null"
    text = exact(value)
    if isinstance(text, str):
        return '"' + text + '"'  # digits, "/", "." and "-": nothing to escape
    return str(text) if type(text) is int else _ENCODE(text)


def check_findings(findings: str) -> None:
    """Refuse a ``findings`` other than "all", "failing" or "none"."""
    if findings not in ("all", "failing", "none"):
        raise ValueError(f"findings: expected 'all', 'failing' or 'none', got {findings!r}")


def _selection(a: Assessment, findings: str) -> FindingSelection | None:
    check_findings(findings)
    if findings == "none":
        return None
    return a.finding_selection(status=None if findings == "all" else ["fail", "unknown"])


def finding_keys(a: Assessment, findings: str) -> Iterator[tuple[int, str]]:
    """The (row, norm) of each finding ``findings`` ("all", "failing", "none") selects."""
    selection = _selection(a, findings)
    return iter(()) if selection is None else selection.keys(range(len(a.dataset)))


def findings_count(a: Assessment, findings: str) -> int:
    """How many findings ``findings`` selects (from the status counts)."""
    check_findings(findings)
    if findings == "none":
        return 0
    total = 0
    for norm in a.runs:
        counts = a.status_counts(norm)
        total += (
            sum(counts.values())
            if findings == "all"
            else counts[Status.FAIL] + counts[Status.UNKNOWN]
        )
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
            runs=a.runs,
        )

    def lines(self, rows: range) -> Iterator[str]:
        """Each selected finding among ``rows`` as one line of JSON, in row order."""
        codes, names, county, counties = (
            self.selection.codes,
            self.names,
            self.county,
            self.counties,
        )
        runs = self.runs
        tails = {
            norm: f', "unit": {_ENCODE(run.norm.unit.value)}, '
            f'"shortfall_unit": {_ENCODE(run.norm.shortfall_unit.value)}}}'
            for norm, run in runs.items()
        }
        heads: dict[tuple[str, tuple[str, ...], Status], str] = {}
        last, place = -1, ""
        for index, norm in self.selection.keys(rows):
            if index != last:  # a row's place is written once for its norms
                last = index
                place = (
                    f'{{"code": {_ENCODE(codes[index])}, "name": {_ENCODE(names[index])}, '
                    f'"county": {counties[county[index]]}, "norm": '
                )
            said = runs[norm].said(index)
            key = (norm, said.clauses, said.status)
            head = heads.get(key)
            if head is None:
                head = heads[key] = (
                    f'{_ENCODE(norm)}, "clauses": {_ENCODE(list(said.clauses))}, '
                    f'"status": {_ENCODE(said.status.value)}, "measured": '
                )
            measured = _figure_json(said.measured)
            required = _figure_json(said.required)
            shortfall = _figure_json(said.shortfall)
            yield (
                f'{place}{head}{measured}, "required": {required}, '
                f'"shortfall": {shortfall}{tails[norm]}'
            )


def finding_lines(a: Assessment, findings: str) -> Iterator[str]:
    """Each finding ``findings`` selects as one line of JSON, in row order."""
    source = FindingLines.of(a, findings)  # a bad ``findings`` is refused here
    return iter(()) if source is None else source.lines(range(len(a.dataset)))


# -- writing ------------------------------------------------------------------------------


def _write(
    stream: IO[str],
    lines: Iterator[str],
    sep: str,
    *,
    after: bool,
    report: Callable[[int], None] | None = None,
) -> int:
    """Write ``lines`` with ``sep`` between them (and before the first if ``after``)."""
    written = 0
    while batch := list(islice(lines, _BATCH)):
        joined = sep.join(batch)
        stream.write(sep + joined if after or written else joined)
        written += len(batch)
        if report is not None:
            report(len(batch))
    return written


def write_part(source: FindingLines, rows: range, sep: str, out: IO[bytes]) -> None:
    """Write the lines of ``rows`` to ``out`` as UTF-8, ``sep`` between them (a worker's share)."""
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    _write(text, source.lines(rows), sep, after=False)
    text.flush()
    text.detach()


def _workers(workers: int | None, total: int) -> int:
    if workers is not None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise InvalidArgumentError("workers", workers, "a whole number of at least 1")
        return workers
    if total < PARALLEL_FROM or not sys.executable:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, _MAX_WORKERS))


def _split(n: int, parts: int) -> list[range]:
    bounds = [n * k // parts for k in range(parts + 1)]
    return [range(bounds[k], bounds[k + 1]) for k in range(parts)]


@attrs.define
class _Share:
    rows: range
    process: subprocess.Popen[bytes] | None = None
    out: IO[bytes] | None = None

    def finished(self) -> bool:
        """Whether its process wrote the share (waiting for it)."""
        return self.process is not None and self.out is not None and self.process.wait() == 0

    def has_lines(self) -> bool:
        """Whether the share holds any line."""
        return self.out is not None and self.out.seek(0, os.SEEK_END) > 0

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.out is not None:
            self.out.close()


def _environment() -> dict[str, str]:
    """This environment, with the folder sqfw was imported from first on the path."""
    env = dict(os.environ)
    here = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (here, env.get("PYTHONPATH")) if p)
    return env


def _start(source: FindingLines, rows: range, sep: str) -> _Share:
    share = _Share(rows)
    try:
        with tempfile.TemporaryFile() as payload:
            pickle.dump((source, rows, sep), payload, protocol=pickle.HIGHEST_PROTOCOL)
            payload.seek(0)
            share.out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by _Share.close)
            share.process = subprocess.Popen(
                [sys.executable, "-m", "sqfw.analysis._worker"],
                stdin=payload,
                stdout=share.out,
                stderr=subprocess.DEVNULL,
                env=_environment(),
            )
    except Exception:  # anything that stops the share being handed on: written here
        share.close()
        return _Share(rows)
    return share


def _copy(out: IO[bytes], stream: IO[str]) -> None:
    """Copy a share's UTF-8 text to ``stream`` (bytes to bytes where the stream allows)."""
    out.seek(0)
    buffer = getattr(stream, "buffer", None)
    encoding = getattr(stream, "encoding", None)
    if buffer is not None and encoding and codecs.lookup(encoding).name == "utf-8":
        stream.flush()
        shutil.copyfileobj(out, buffer, 1 << 24)
        return
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
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

    Returns:
        How many findings were written, and how many shares other processes wrote.
    """
    source = FindingLines.of(a, findings)
    total = findings_count(a, findings)
    if source is None:
        return Written(0, 0)
    count = _workers(workers, total)
    parts = _split(len(a.dataset), count)
    shares = [_start(source, rows, sep) for rows in parts[1:]]
    written = elsewhere = 0

    def report(batch: int) -> None:
        nonlocal written
        written += batch
        if progress is not None and written % 50_000 < batch:
            progress(stage, written, total)

    try:
        wrote = _write(stream, source.lines(parts[0]), sep, after=False, report=report) > 0
        for share in shares:
            if share.finished():
                elsewhere += 1
                if share.has_lines():
                    if wrote:
                        stream.write(sep)
                    assert share.out is not None
                    _copy(share.out, stream)
                    wrote = True
            else:  # the share could not be written elsewhere: it is written here
                wrote = _write(stream, source.lines(share.rows), sep, after=wrote) > 0 or wrote
    finally:
        for share in shares:
            share.close()
    if wrote:
        stream.write(end)
    if progress is not None:
        progress(stage, total, total)
    return Written(total, elsewhere)


class Written(NamedTuple):
    """What :func:`write_lines` wrote."""

    findings: int
    shares_elsewhere: int
