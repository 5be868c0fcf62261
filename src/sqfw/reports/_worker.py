"""A process writing a share of the findings' JSON lines (see :mod:`sqfw.reports._lines`).

Started by :func:`sqfw.reports._lines.write_lines` with the pickled inputs' file, the rows
of the share and two files: the lines go to the first as UTF-8; once they are all there
the second says ``"sqfw-lines <count>"``, which is how the parent knows the share is whole.
Nothing imports this module but that start.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from pathlib import Path

from sqfw._files import atomic_write
from sqfw.reports._lines import DONE, write_part


def main(args: Sequence[str]) -> None:
    """Write the share ``args`` names: payload, first row, row past the last, lines, done."""
    payload, start, stop, lines, done = args
    with Path(payload).open("rb") as handle:
        source, sep = pickle.load(handle)  # written by this process's parent
    with Path(lines).open("wb") as out:
        count = write_part(source, range(int(start), int(stop)), sep, out)
    with atomic_write(done, "w") as said:
        said.write(f"{DONE} {count}\n")
