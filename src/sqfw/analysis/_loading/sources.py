"""Where a table's cells come from: CSV (pyarrow, or the csv module) and workbooks.

Every source gives the same thing: the header row, the body as columns of text (each cell
with its spaces; the readers strip what they read) and the problems of rows and cells
that a source alone can see. Nothing is lost silently:

- **Encoding.** The header row decides: UTF-8 (with or without BOM) when the header is
  UTF-8, else GB18030 when the header is GB18030. A row of a UTF-8 file that is not UTF-8
  (one row typed in GBK) is a bad row, named; the rest is read. A file in neither is
  refused, naming the line of the first bad byte.
- **Quotes.** A quote left open is refused, naming the row it opened on (otherwise it
  would swallow the rest of the file into one cell).
- **Row lengths.** A row with fewer cells than the header (a file cut mid-row, a row typed
  short) is a bad row; so is a row with cells past the header that are not blank.
- **Formulas.** An Excel formula whose value was never calculated and saved (a file
  written by a program, not by Excel) is a bad cell, not a blank.

:func:`header_of_csv` reads only the first row, so a file whose header lacks what is
required is refused before its body is read.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Final

from sqfw.analysis._loading.cells import cell_text
from sqfw.errors import DataLoadError, Problem
from sqfw.limits import MAX_CELL_CHARS

__all__ = [
    "columnar",
    "columns_of_csv",
    "columns_of_sheet",
    "columns_of_xlsx",
    "header_of_csv",
    "missing_extra",
]

RowProblems = list[tuple[int, int | None, str]]
"""Problems a source found: (body row index, column position or ``None``, message)."""

Columns = tuple[list[str] | None, list[list[str]], RowProblems]
"""A table as (header row or ``None`` when empty, the body's columns, row problems)."""

_HEADER_BYTES: Final = 1_000_000
"""The most bytes read to find the header row (a header is a few hundred)."""
_UNDECODED: Final = re.compile("[\udc80-\udcff]")  # bytes kept by surrogateescape


def columns_of_csv(path: Path, encoding: str | None) -> Columns:
    """A CSV table's header, columns and row problems (see the module's rules)."""
    chosen = encoding or _encoding_of(path)
    fast = _csv_with_arrow(path, chosen) if columnar() else None
    return _to_columns(_rows_from_csv(path, chosen)) if fast is None else fast


def columnar() -> bool:
    """Whether the columnar readers (pyarrow, NumPy) are installed."""
    try:
        import numpy  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def header_of_csv(path: Path, encoding: str | None) -> list[str] | None:
    """The header row of a CSV, reading no more than its first line (``None`` if empty)."""
    chosen = encoding or _encoding_of(path)
    with path.open("rb") as handle:
        head = handle.read(_HEADER_BYTES)
    line = head.split(b"\n", 1)[0]
    text = _decoded(line, chosen, path, strict=False)
    # rows end where the body's reader ends them (a lone "\r" too)
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        row = next(reader, None)
    except csv.Error as exc:
        raise _fail(path, f"{path.name}:line 1", f"not readable as CSV: {exc}") from None
    return None if row is None else [cell_text(h).strip() for h in row]


def columns_of_xlsx(
    path: Path, sheet: str | None, check_header: Callable[[list[str] | None], object]
) -> Columns:
    """An Excel sheet's header, columns and row problems (default: the first sheet).

    ``check_header`` sees the header row before any row of the body is read (a workbook's
    rows are read one by one), so a sheet without what is required is refused at once.
    """
    problems: RowProblems = []
    header, cells, short = _to_columns(_rows_from_xlsx(path, sheet, problems), check_header)
    return header, cells, problems + short


def columns_of_sheet(
    path: Path, sheet: str | None, check_header: Callable[[list[str] | None], object]
) -> Columns:
    """A workbook sheet's header, columns and row problems, read by python-calamine.

    .xlsx, .xls and .ods are read by calamine (the ``sqfw[analysis]`` extra); without it an
    .xlsx is read by openpyxl (:func:`columns_of_xlsx`), as is an .xlsx with formulas
    (openpyxl sees a formula whose value was never saved; calamine reads it as a blank).
    """
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        if path.suffix.lower() == ".xlsx":
            return columns_of_xlsx(path, sheet, check_header)
        raise missing_extra("reading .xls and .ods workbooks") from None
    if path.suffix.lower() == ".xlsx" and _has_formulas(path):
        return columns_of_xlsx(path, sheet, check_header)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own kinds for a file that is not a workbook
        raise _fail(path, path.name, f"not a readable workbook: {exc}") from None
    try:
        names = book.sheet_names
        if sheet is not None and sheet not in names:
            raise _fail(
                path, path.name, f"no worksheet {sheet!r}; the workbook has " + ", ".join(names)
            )
        try:
            rows = book.get_sheet_by_name(sheet or names[0]).to_python(skip_empty_area=False)
        except Exception as exc:
            raise _fail(path, path.name, f"not a readable workbook: {exc}") from None
    finally:
        book.close()
    if not rows:
        check_header(None)
        return None, [], []
    header = [cell_text(h).strip().removeprefix("\ufeff") for h in rows[0]]
    check_header(header)
    width = len(header)
    body = rows[1:]
    del rows
    if any(len(row) != width for row in body):
        return _to_columns([header, *([cell_text(v) for v in row] for row in body)])
    cells: list[list[str]] = []
    for column in zip(*body, strict=True) if body else [()] * width:
        texts = list(column)
        if set(map(type, texts)) != {str}:
            texts = list(map(cell_text, texts))  # spaces kept, as on the CSV paths
        cells.append(texts)
    return header, cells, []


def _has_formulas(path: Path) -> bool:
    """Whether a worksheet of an .xlsx holds a formula (a cell's ``<f>`` element).

    One scan of each sheet's XML for ``<f`` or ``:f`` (a namespaced ``<x:f>``) followed
    by the end of an element name; a false alarm only sends the file to openpyxl.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    xml = archive.read(name)
                    if _element_f(xml, b"<f") or _element_f(xml, b":f"):
                        return True
    except (zipfile.BadZipFile, OSError, KeyError):
        return False  # calamine says what is wrong with the file
    return False


def _element_f(xml: bytes, mark: bytes) -> bool:
    """Whether ``mark`` occurs followed by ``>``, ``/`` or a space (an element named f)."""
    at = xml.find(mark)
    while at >= 0:
        if xml[at + 2 : at + 3] in (b">", b"/", b" "):
            return True
        at = xml.find(mark, at + 2)
    return False


def missing_extra(what: str) -> ImportError:
    return ImportError(
        f"{what} needs the optional dependencies of sqfw's analysis extra: "
        "pip install 'sqfw[analysis]'"
    )


def _fail(path: Path, where: str, message: str) -> DataLoadError:
    return DataLoadError([Problem(where or path.name, message)], source=str(path))


def _encoding_of(path: Path) -> str:
    """UTF-8 when the header row is UTF-8, else GB18030 when it is GB18030."""
    with path.open("rb") as handle:
        head = handle.read(_HEADER_BYTES)
    line = head.split(b"\n", 1)[0] if b"\n" in head else head
    for candidate in ("utf-8-sig", "gb18030"):
        try:
            line.decode(candidate)
        except UnicodeDecodeError as exc:
            if exc.end >= len(line) - 3 and len(head) == _HEADER_BYTES:
                return candidate  # cut inside a character at the read limit
            continue
        return candidate
    raise _fail(path, f"{path.name}:row 1", "the header row is neither UTF-8 nor GB18030 text")


def _decoded(raw: bytes, encoding: str, path: Path, *, strict: bool) -> str:
    """The text of ``raw``; undecodable bytes kept as escapes unless ``strict``."""
    try:
        return raw.decode(encoding, "strict" if strict else "surrogateescape")
    except LookupError:
        raise _fail(path, "", f"unknown text encoding {encoding!r}") from None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise _fail(
            path,
            f"{path.name}:line {line}",
            f"not {encoding} text (byte offset {exc.start:,}: {exc.reason})",
        ) from None


def _rows_from_csv(path: Path, encoding: str) -> Iterator[list[str] | _BadRow]:
    raw = path.read_bytes()
    # UTF-8 keeps undecodable bytes as escapes, for the row that holds them to be named;
    # GB18030 decodes (almost) any bytes, so it is the file's encoding or nothing
    lenient = encoding.replace("-", "").replace("_", "").lower().startswith("utf8")
    text = _decoded(raw, encoding, path, strict=not lenient)
    del raw
    undecoded = lenient and _UNDECODED.search(text) is not None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    opened = 1
    try:
        for row in reader:
            if undecoded and any(_UNDECODED.search(cell) for cell in row):
                yield _BadRow(row, f"not {encoding} text (a row in another encoding?)")
            else:
                yield row
            opened = reader.line_num + 1
    except csv.Error as exc:
        message = str(exc)
        if "unexpected end of data" in message or "EOF" in message:
            message = "a quote opened on this row is never closed"
        elif "field limit" in message:
            message = f"a cell longer than {csv.field_size_limit():,} characters (at most "
            message += f"{MAX_CELL_CHARS:,} are read; an unclosed quote?)"
        raise _fail(path, f"{path.name}:line {opened}", f"not readable as CSV: {message}") from None


class _BadRow(list[str]):
    """A row whose cells cannot be trusted (they are read as blanks), and why."""

    def __init__(self, cells: Sequence[str], reason: str) -> None:
        super().__init__([""] * len(cells))
        self.reason = reason


def _rows_from_xlsx(path: Path, sheet: str | None, problems: RowProblems) -> Iterator[list[str]]:
    try:
        import openpyxl
    except ImportError:
        raise missing_extra("reading Excel files") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise DataLoadError(
            [Problem(path.name, f"not a readable .xlsx workbook: {exc}")], source=str(path)
        ) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DataLoadError(
                [
                    Problem(
                        path.name,
                        f"no worksheet {sheet!r}; the workbook has " + ", ".join(book.sheetnames),
                    )
                ],
                source=str(path),
            )
        ws = book[sheet] if sheet else book.worksheets[0]
        fs = formulas[sheet] if sheet else formulas.worksheets[0]
        for index, (row, written) in enumerate(
            zip(ws.iter_rows(values_only=True), fs.iter_rows(values_only=True), strict=False)
        ):
            for position, (value, formula) in enumerate(zip(row, written, strict=False)):
                if index and value is None and isinstance(formula, str) and formula[:1] == "=":
                    problems.append(
                        (
                            index - 1,
                            position,
                            "a formula with no saved value (open the file in a spreadsheet "
                            "program and save it, or write the value)",
                        )
                    )
            yield [cell_text(v) for v in row]  # spaces kept, as on the CSV paths
    finally:
        book.close()
        formulas.close()


def _csv_with_arrow(path: Path, encoding: str) -> Columns | None:
    """Header and columns of a CSV read by pyarrow's CSV reader, or ``None`` without it.

    Every cell is read as text (no type guessing, no blank read as missing), so the same
    readers decide every cell as on the csv-module path. A file pyarrow cannot read
    exactly as the csv module reads it (another encoding in a row, an open quote, text
    after a closing quote, rows of other lengths, a blank line) is left to the csv module,
    which names each bad row.
    """
    try:
        import pyarrow as pa
        import pyarrow.csv as pa_csv
    except ImportError:
        return None
    width = len(header_of_csv(path, encoding) or ())
    utf8 = encoding.replace("-", "").replace("_", "").lower() in ("utf8", "utf8sig")
    raw = path.read_bytes()
    if not raw or raw.isspace():  # (stops at the first cell, unlike a strip of it all)
        return None
    if b'"' in raw and (_AFTER_QUOTE.search(raw) or _OPEN_QUOTE.search(raw)):
        return None  # the csv module refuses it, saying where
    if not utf8:
        try:
            raw = raw.decode(encoding, "strict").encode("utf-8")
        except (UnicodeDecodeError, LookupError):
            return None
    names = [f"c{i}" for i in range(width)]
    # only a quoted value may hold a line break: without a quote mark in the file, the
    # reader may cut the file at any line and parse the blocks in parallel
    quoted = b'"' in raw
    try:
        table = pa_csv.read_csv(
            pa.BufferReader(raw),
            read_options=pa_csv.ReadOptions(column_names=names),
            parse_options=pa_csv.ParseOptions(newlines_in_values=quoted, ignore_empty_lines=False),
            convert_options=pa_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None  # the csv path says what is wrong, row by row
    del raw
    if not table.num_rows:
        return None, [], []
    import pyarrow.compute as pc

    limit = csv.field_size_limit()
    if any((pc.max(pc.binary_length(c)).as_py() or 0) > limit for c in table.columns):
        return None  # the csv module refuses a cell this long (an unclosed quote?)
    header = [
        cell_text(column[0].as_py()).strip().removeprefix("\ufeff") for column in table.columns
    ]
    cells = [column.slice(1) for column in table.columns]
    return header, cells, []


_AFTER_QUOTE = re.compile(rb'(?:^|(?<=[,\r\n]))"(?:[^"]|"")*"(?![,\r\n"]|$)')
"""A quoted cell with more text after its closing quote (``"ab"c``), which the csv module
refuses and pyarrow would read as ``abc``."""
_OPEN_QUOTE = re.compile(rb'(?:^|(?<=[,\r\n]))"(?:[^"]|"")*\Z')
"""A quote opened at the start of a cell and never closed (it would take in the rest)."""


_BATCH = 500
"""Rows turned into columns at a time: few enough that the row lists are freed before the
cyclic garbage collector is triggered (it would otherwise walk every row kept so far)."""


def _to_columns(
    rows: Iterable[Sequence[str]],
    check_header: Callable[[list[str] | None], object] | None = None,
) -> Columns:
    """The header row, the body's columns and the problems of rows of the wrong length.

    A short row is padded with blank cells and reported (unless it is entirely blank); a
    long row keeps its cells past the header when they are blank, and is reported when
    they are not. Cells keep their spaces; every reader strips what it reads.
    """
    body = iter(rows)
    first = next(body, None)
    header = None if first is None else [cell_text(h).strip().removeprefix("\ufeff") for h in first]
    if check_header is not None:
        check_header(header)
    if header is None:
        return None, [], []
    width = len(header)
    cells: list[list[str]] = [[] for _ in range(width)]
    problems: RowProblems = []
    read = 0
    while batch := list(islice(body, _BATCH)):
        if any(len(row) != width or isinstance(row, _BadRow) for row in batch):
            batch = [_fitted(row, width, read + i, problems) for i, row in enumerate(batch)]
        for column, values in zip(cells, zip(*batch, strict=True), strict=True):
            column.extend(values)
        read += len(batch)
    return header, cells, problems


def _fitted(row: Sequence[str], width: int, index: int, problems: RowProblems) -> Sequence[str]:
    """``row`` cut or padded to ``width`` cells; a problem noted when cells do not fit."""
    if isinstance(row, _BadRow):
        problems.append((index, None, row.reason))
    elif len(row) < width and any(cell.strip() for cell in row):
        problems.append(
            (index, None, f"{len(row)} cells, the header has {width} (a row cut short?)")
        )
    elif len(row) > width and any(cell.strip() for cell in row[width:]):
        problems.append((index, None, f"{len(row)} cells, the header has {width}"))
    if len(row) == width:
        return row
    return [*row[:width], *[""] * (width - len(row))]
