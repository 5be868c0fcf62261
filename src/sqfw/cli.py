"""The ``sqfw`` command: a thin view that parses arguments, calls the library and prints.

``sqfw assess [PATH]`` assesses a region (the bundled sample without PATH) and prints a
report; ``sqfw sample`` writes a synthetic region. The exit status is 0 whenever the
command ran, whatever the findings; 2 for bad arguments or unreadable input.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqfw._terminal import Progress
from sqfw._version import __version__

__all__ = ["main"]

EXIT_OK = 0
EXIT_INPUT = 2
_BIG = 50_000


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``sqfw`` command."""
    parser = argparse.ArgumentParser(
        prog="sqfw",
        description="sqfw — community service system toolkit (社区服务体系工具包).",
    )
    parser.add_argument("--version", action="version", version=f"sqfw {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    assess = commands.add_parser(
        "assess",
        help="assess a region against the plan's norms and targets (评估)",
        description="Assess a region (JSON, CSV or .xlsx; the bundled sample without PATH).",
    )
    assess.add_argument("path", nargs="?", metavar="PATH", help="region file; omit for the sample")
    assess.add_argument(
        "--date",
        metavar="D",
        help="evaluation date, ISO (default: 2020-12-31, or the end of --plan's period)",
    )
    assess.add_argument(
        "--plan",
        metavar="ID",
        help="the plan to follow: a bundled id (see 'sqfw plans') or a plan folder; "
        "default: the plan in force on --date for the region",
    )
    assess.add_argument(
        "--strict-plan",
        action="store_true",
        help="refuse a date whose Five-Year period has no bundled plan, instead of carrying "
        "the latest plan forward (沿用)",
    )
    assess.add_argument("--standards", metavar="FILE", help="standards folder or TOML file")
    assess.add_argument(
        "--override",
        metavar="K=V",
        action="append",
        default=[],
        help="override a parameter, e.g. facility.area.per_100_households=40 (repeatable)",
    )
    assess.add_argument(
        "--format",
        choices=("table", "markdown", "html", "json", "xlsx", "ndjson", "parquet"),
        default="table",
        help="table (terminal), markdown, html (a standalone page), json, xlsx (a workbook), "
        "ndjson or parquet (findings, indicators and targets; needs --output)",
    )
    assess.add_argument("--lang", choices=("zh", "en"), default="zh")
    assess.add_argument("--output", metavar="FILE", help="write the report here (default stdout)")
    assess.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="leave out bad table rows (listed in the report) instead of stopping",
    )
    assess.add_argument(
        "--findings",
        choices=("all", "failing", "none"),
        default="all",
        help="which per-community findings JSON output includes (default all)",
    )
    assess.add_argument(
        "--top", type=_at_least_one, default=10, help="places listed per gap (N ≥ 1, default 10)"
    )
    assess.add_argument(
        "--charts",
        metavar="DIR",
        help="also write the charts to DIR as PNG and SVG (needs sqfw[analysis])",
    )
    assess.add_argument(
        "--baselines",
        metavar="FILE",
        help="earlier-period figures (previous term, 12th plan …) and county worker figures: "
        "a .csv, .xlsx or .json file as 'sqfw sample' writes beside a table",
    )
    assess.add_argument(
        "--header",
        metavar="H=FIELD",
        action="append",
        default=[],
        help="read the column headed H as FIELD, e.g. 综合楼面积=area (repeatable)",
    )
    assess.add_argument(
        "--tickets",
        metavar="STORE",
        help="add the one-window service's ratings (好差评) from the ticket records of a store: "
        "a SQLite file or a database URL (needs sqfw[store])",
    )
    assess.add_argument(
        "--catalogue",
        metavar="FILE",
        help="the dispatch catalogue (TOML) the stored tickets follow (default: the bundled "
        "example)",
    )
    assess.add_argument(
        "--keys",
        metavar="FILE",
        help="the host keys (TOML, see docs/store.md) whose signatures every stored ticket "
        "entry must carry; without it the store's signatures are not checked",
    )
    assess.add_argument(
        "--sample-size", choices=("region", "national"), default="region", help=argparse.SUPPRESS
    )

    plans = commands.add_parser(
        "plans",
        help="list the bundled plans (规划)",
        description="List the bundled plans: id, document, issuer, period, jurisdiction, "
        "parameters, and how many the user must supply.",
    )
    plans.add_argument("--lang", choices=("zh", "en"), default="zh")
    plans.add_argument(
        "action", nargs="?", choices=("new",), help="new: write a plan skeleton to fill"
    )
    plans.add_argument("id", nargs="?", metavar="ID", help="the new plan's id")
    plans.add_argument("--from", dest="base", metavar="PLAN", help="the plan to start from")
    plans.add_argument("--period", metavar="YYYY-YYYY", help="the new plan's years")
    plans.add_argument("--output", metavar="DIR", help="the folder to write it to")

    sample = commands.add_parser(
        "sample",
        help="write a synthetic region (样例数据)",
        description="Write a deterministic synthetic region as CSV, .xlsx or JSON.",
    )
    sample.add_argument("--size", choices=("region", "national"), default="region")
    sample.add_argument("--seed", type=int, default=2016)
    sample.add_argument("--output", metavar="FILE", required=True, help=".csv, .xlsx or .json")
    sample.add_argument("--lang", choices=("zh", "en"), default="zh", help="table headers")
    return parser


def _service_ratings(
    store_target: str, catalogue_file: str | None, keys_file: str | None
) -> list[Any]:
    """The 好差评 indicators (by office, service and month) of every ticket in a store,
    each entry's signature checked with the keys of ``keys_file`` when given."""
    from sqfw.workflows.indicators import service_indicators
    from sqfw.workflows.ticket import TicketWorkflow, example_catalogue, load_catalogue

    try:
        from sqfw.store import SqlStore, load_host_keys
    except ImportError:
        raise ImportError(
            "reading a store needs sqfw's store extra: pip install 'sqfw[store]'"
        ) from None
    catalogue = example_catalogue() if catalogue_file is None else load_catalogue(catalogue_file)
    keys = None if keys_file is None else load_host_keys(keys_file)
    workflow = TicketWorkflow(catalogue=catalogue)
    store = SqlStore(store_target, workflows=[workflow], create=False, keys=keys)
    try:
        records = list(store.records(workflow.name))  # one pass, each trail verified
    finally:
        store.dispose()
    return list(service_indicators(workflow, records))


def _at_least_one(text: str) -> int:
    """``--top``: a whole number of at least 1."""
    digits = text.strip().removeprefix("-")
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 18):
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value}")
    return value


def _fail(message: str) -> int:
    """One error line on stderr (cut short, masked, printable in any encoding)."""
    from sqfw.errors import shorten

    _say(f"sqfw: error: {shorten(message, _LONGEST_MESSAGE)}")
    return EXIT_INPUT


_LONGEST_MESSAGE = 10_000
"""The longest error message printed; a table's errors list their first problems only."""


def _say(line: str) -> None:
    """Write a line to stderr, escaping what its encoding cannot write."""
    stream = sys.stderr
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        stream.write(line.encode(encoding, "backslashreplace").decode(encoding) + "\n")
        stream.flush()
    except (OSError, LookupError, ValueError):  # stderr closed or unusable: nothing to do
        pass


def _plan_arg(value: str | None) -> object:
    """``--plan``: a bundled plan's id, or a folder holding a user's plan."""
    if value is None:
        return None
    from sqfw.standards import load_plan

    return load_plan(value) if Path(value).is_dir() else value


def _standards(args: argparse.Namespace, plan: object = None) -> object:
    from sqfw.errors import InvalidArgumentError
    from sqfw.standards import Plan, default_standards, load_standards, plan_standards

    if args.standards:
        std = load_standards(args.standards)
    elif isinstance(plan, Plan):
        std = plan_standards(plan)
    else:
        std = default_standards()
    if args.override:
        overrides: dict[str, object] = {}
        for item in args.override:
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise InvalidArgumentError("--override", item, "K=V")
            text = value.strip()
            parsed: object = text
            if text.lower() in ("true", "false"):
                parsed = text.lower() == "true"
            overrides[key.strip()] = parsed
        std = std.with_overrides(overrides, source="command line (--override)")
    return std


def _assess(args: argparse.Namespace) -> int:
    from sqfw.analysis import assess, load_region, sample_region
    from sqfw.errors import SqfwError

    big_stream = sys.stderr
    try:
        _standards(args)  # bad standards or overrides are refused before any data is read
        plan_arg = _plan_arg(args.plan)
    except (SqfwError, OSError) as exc:
        return _fail(f"standards: {exc}")
    progress = Progress(big_stream, enabled=False)
    try:
        if args.path is None:
            dataset = sample_region(args.sample_size)
        else:
            path = Path(args.path)
            if path.is_dir():
                return _fail(f"cannot read {path}: a folder, not a file")
            if not path.is_file():
                return _fail(f"cannot read {path}: no such file")
            progress.enabled = path.stat().st_size > 5_000_000
            dataset = load_region(
                path,
                on_error="skip" if args.skip_bad_rows else "raise",
                **_table_options(args, path),
                progress=lambda done, total: progress("reading", done, total),
                show_progress=False,  # (the command draws its own bar)
            )
    except ImportError as exc:
        return _fail(str(exc))
    except (SqfwError, OSError) as exc:
        return _fail(f"cannot read {args.path}: {exc}")
    if args.baselines:
        from sqfw.analysis._loading.companion import apply_companion, read_companion

        try:
            dataset = apply_companion(dataset, read_companion(args.baselines))
        except ImportError as exc:
            return _fail(str(exc))
        except (SqfwError, OSError) as exc:
            return _fail(f"cannot read {args.baselines}: {exc}")
    ratings: list[Any] = []  # read before the assessment: a bad store fails at once
    if args.tickets:
        try:
            ratings = _service_ratings(args.tickets, args.catalogue, args.keys)
        except ImportError as exc:
            return _fail(str(exc))
        except (SqfwError, OSError) as exc:
            return _fail(f"cannot read the tickets of {args.tickets}: {exc}")
    elif args.catalogue or args.keys:
        option = "--catalogue" if args.catalogue else "--keys"
        return _fail(f"{option} applies to the tickets of --tickets STORE")
    if args.tickets and not args.keys:
        _say(
            "sqfw: note: the tickets' host signatures were not checked (no --keys): a "
            "correctly hashed entry written into the store by anyone is not found"
        )
    progress.enabled = progress.enabled or len(dataset) >= _BIG
    try:
        from sqfw.analysis import choose_plan

        plan, day = choose_plan(
            plan_arg,  # type: ignore[arg-type]
            args.date,
            dataset.root.code,
            strict=args.strict_plan,
        )
        standards = _standards(args, plan)
        result = assess(
            dataset,
            on=day,
            plan=plan,
            standards=standards,  # type: ignore[arg-type]
            progress=progress,
            strict=args.strict_plan,
        )
        if result.carried_forward is not None:
            sys.stderr.write(f"sqfw: {result.carried_forward.note(args.lang)}\n")
        elif args.plan is None:
            sys.stderr.write(f"sqfw: plan {plan.id} ({plan.period_text}) is in force on {day}\n")
    except SqfwError as exc:
        return _fail(str(exc))
    _warn_about_columns(result, args.lang)
    if ratings:
        result = result.with_processes(service=ratings)
    if args.charts:
        try:
            from sqfw.reports import write_charts

            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", UserWarning)
                written = write_charts(result, args.charts, lang=args.lang)
            for warning in caught:  # one line each, without a source line
                sys.stderr.write(f"sqfw: warning: {warning.message}\n")
        except ImportError as exc:
            return _fail(str(exc))
        except OSError as exc:
            return _fail(f"cannot write the charts to {args.charts}: {exc}")
        if written:
            sys.stderr.write(f"sqfw: wrote {len(written)} chart files to {args.charts}\n")
        else:  # a plan without targets to chart (the laws): said, not "wrote 0"
            sys.stderr.write(
                f"sqfw: this assessment has no charts; none written to {args.charts}\n"
            )
    if args.output and args.format != "table":
        from sqfw.reports import write_report

        try:
            write_report(
                result,
                args.output,
                format=args.format,
                lang=args.lang,
                top=args.top,
                findings=args.findings,
                progress=progress,
            )
        except ImportError as exc:
            return _fail(str(exc))
        except OSError as exc:
            return _fail(f"cannot write {args.output}: {exc}")
        return EXIT_OK
    if args.format in ("xlsx", "parquet"):
        return _fail(f"--format {args.format} writes a file: give it with --output FILE")
    if args.format in ("json", "ndjson"):  # streamed: findings never all in memory at once
        from sqfw.reports import write_json

        try:
            if args.format == "json":
                write_json(result, sys.stdout, findings=args.findings)
            else:
                from sqfw.reports import write_ndjson

                write_ndjson(result, sys.stdout, findings=args.findings)
        except OSError as exc:
            return _fail(f"cannot write standard output: {exc}")
        return EXIT_OK
    if args.format == "html":
        from sqfw.reports import html_page

        text = html_page(result, lang=args.lang, top=args.top)
    else:
        from sqfw.reports import text as report_text

        text = report_text(result, lang=args.lang, format=args.format, top=args.top)
    if args.output:
        from sqfw._files import atomic_write

        try:
            with atomic_write(args.output, "w", encoding="utf-8") as stream:
                stream.write(text)
        except OSError as exc:
            return _fail(f"cannot write {args.output}: {exc}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def _warn_about_columns(result: object, lang: str) -> None:
    """Name on stderr every column left unused and each target a missing column left open."""
    from sqfw.reports import column_warnings

    for line in column_warnings(result, lang):  # type: ignore[arg-type]
        sys.stderr.write(f"sqfw: warning: {line}\n")


def _table_options(args: argparse.Namespace, path: Path) -> dict[str, Any]:
    """``--header H=FIELD`` for tables (a JSON document has no headers)."""
    from sqfw.errors import InvalidArgumentError

    headers: dict[str, str] = {}
    for item in args.header:
        header, sep, field = item.rpartition("=")
        if not sep or not header.strip() or not field.strip():
            raise InvalidArgumentError("--header", item, "H=FIELD")
        headers[header.strip()] = field.strip()
    if headers and path.suffix.lower() == ".json":
        raise InvalidArgumentError(
            "--header", ", ".join(args.header), "no --header for a JSON document (.csv, .xlsx)"
        )
    return {"headers": headers} if headers else {}


def _sample(args: argparse.Namespace) -> int:
    from sqfw.analysis import sample_region, save_table

    output = Path(args.output)
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".json"):
        return _fail(f"--output must end in .csv, .xlsx or .json, got {output.name!r}")
    progress = Progress(sys.stderr, enabled=args.size == "national")
    dataset = sample_region(
        args.size, seed=args.seed, progress=lambda d, t: progress("generating", d, t)
    )
    try:
        save_table(  # a .json document is written community by community
            dataset, output, lang=args.lang, progress=lambda d, t: progress("writing", d, t)
        )
    except ImportError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"cannot write {output}: {exc}")
    sys.stderr.write(f"wrote {len(dataset):,} communities to {output}\n")
    return EXIT_OK


def _plans(args: argparse.Namespace) -> int:
    from sqfw.errors import SqfwError
    from sqfw.reports import fit_table, terminal_width
    from sqfw.standards import bundled_plans, write_plan_skeleton

    if args.action == "new":
        if not (args.id and args.base and args.period and args.output):
            return _fail("plans new needs ID, --from PLAN, --period YYYY-YYYY and --output DIR")
        try:
            written = write_plan_skeleton(
                args.id, base=args.base, period=args.period, output=args.output
            )
        except (SqfwError, OSError) as exc:
            return _fail(str(exc))
        sys.stdout.write(f"{written}\n")
        return EXIT_OK

    zh = args.lang == "zh"
    header = (
        ["编号", "文件", "发文机关", "期限", "适用范围", "层级", "参数", "须由用户提供"]
        if zh
        else [
            "id",
            "document",
            "issuer",
            "period",
            "jurisdiction",
            "layer",
            "parameters",
            "to supply",
        ]
    )
    rows = [
        [
            p.id,
            p.document,
            p.issuer.split(" / ")[0 if zh else -1],
            p.period_text,
            p.jurisdiction.name_zh if zh else p.jurisdiction.name_en,
            p.layer,
            str(len(p.parameters)),
            str(len(p.must_supply)),
        ]
        for p in bundled_plans()
    ]
    limit = terminal_width() if sys.stdout.isatty() else None
    sys.stdout.write(fit_table(header, rows, right=(6, 7), limit=limit) + "\n")
    return EXIT_OK


EXIT_INTERRUPTED = 130
"""The status after SIGINT (Ctrl-C), as shells report 128 + the signal's number."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the process exit status.

    SIGINT (Ctrl-C) ends the command with one line and status 130; a file being written
    is left out (every output is written atomically). Output that the stream's encoding
    cannot write (``PYTHONIOENCODING=ascii``) is one clear error, status 2.
    """
    try:
        return _run(argv)
    except KeyboardInterrupt:
        _say("sqfw: interrupted")
        return EXIT_INTERRUPTED
    except UnicodeEncodeError as exc:
        encoding = getattr(sys.stdout, "encoding", None) or exc.encoding
        return _fail(
            f"cannot write standard output: its encoding {encoding!r} cannot write "
            f"{exc.object[exc.start : exc.end]!r}; set PYTHONIOENCODING=utf-8 or use --output"
        )


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stdout)
        return EXIT_OK
    if args.command == "assess":
        return _assess(args)
    if args.command == "sample":
        return _sample(args)
    if args.command == "plans":
        return _plans(args)
    return EXIT_OK  # pragma: no cover - argparse rejects unknown commands
