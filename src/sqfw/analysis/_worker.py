"""A process writing a share of the findings' JSON lines (see :mod:`sqfw.analysis._lines`).

Run as ``python -m sqfw.analysis._worker`` with the pickled share on standard input; the
lines go to standard output as UTF-8. Nothing imports this module.
"""

from __future__ import annotations

import pickle
import sys

from sqfw.analysis._lines import write_part


def main() -> None:
    """Read the share from standard input and write its lines to standard output."""
    source, rows, sep = pickle.load(sys.stdin.buffer)  # written by this process's parent
    write_part(source, rows, sep, sys.stdout.buffer)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main()
