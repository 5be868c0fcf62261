"""The ``sqfw`` command: a thin view that parses arguments, calls the library and prints."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sqfw._version import __version__

__all__ = ["main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sqfw",
        description="sqfw — community service system toolkit (社区服务体系工具包).",
    )
    parser.add_argument("--version", action="version", version=f"sqfw {__version__}")
    parser.add_subparsers(dest="command", metavar="COMMAND")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stdout)
        return 0
    return 0  # pragma: no cover - every sub-command returns from its own handler
