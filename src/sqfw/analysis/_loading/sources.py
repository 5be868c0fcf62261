"""Where a table's cells come from: CSV (the csv module, or pandas for big files) and XLSX.

Every source gives the same thing: the header row and the body as columns of text, each
cell with its spaces (the readers strip what they read), short rows padded with blanks.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path

from sqfw.analysis._loading.cells import cell_text
from sqfw.errors import DataLoadError, Problem

__all__ = ["columns_of_csv", "columns_of_xlsx", "missing_extra"]

Columns = tuple[list[str] | None, list[list[str]]]
"""A table as (header row or ``None`` when empty, the body's columns)."""


def columns_of_csv(path: Path, encoding: str | None) -> Columns:
    """A CSV table's header and columns (UTF-8 with or without BOM, else GB18030)."""
    fast = _csv_with_pandas(path, encoding)
    return _to_columns(_rows_from_csv(path, encoding)) if fast is None else fast


def columns_of_xlsx(path: Path, sheet: str | None) -> Columns:
    """An Excel sheet's header and columns (default: the first sheet)."""
    return _to_columns(_rows_from_xlsx(path, sheet))


def missing_extra(what: str) -> ImportError:
    return ImportError(
        f"{what} needs the optional dependencies of sqfw's analysis extra: "
        "pip install 'sqfw[analysis]'"
    )


def _rows_from_csv(path: Path, encoding: str | None) -> Iterator[list[str]]:
    raw = path.read_bytes()
    for candidate in [encoding] if encoding else ["utf-8-sig", "gb18030"]:
        try:
            text = raw.decode(candidate)
        except UnicodeDecodeError:
            continue
        except LookupError:
            raise DataLoadError(
                [Problem(path.name, f"unknown text encoding {candidate!r}")], source=str(path)
            ) from None
        break
    else:
        message = (
            f"the file is not {encoding} text"
            if encoding
            else "the file is neither UTF-8 nor GB18030 text"
        )
        raise DataLoadError([Problem(path.name, message)], source=str(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:  # e.g. a cell above the csv module's size limit
        raise DataLoadError(
            [Problem(f"{path.name}:line {reader.line_num}", f"not readable as CSV: {exc}")],
            source=str(path),
        ) from None


def _rows_from_xlsx(path: Path, sheet: str | None) -> Iterator[list[str]]:
    try:
        import openpyxl
    except ImportError:
        raise missing_extra("reading Excel files") from None
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
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
        for row in ws.iter_rows(values_only=True):
            yield [cell_text(v) for v in row]  # spaces kept, as on the CSV paths
    finally:
        book.close()


_BULK_BYTES = 2_000_000
"""CSV files from this size on are parsed by pandas when it is installed."""


def _csv_with_pandas(path: Path, encoding: str | None) -> Columns | None:
    """Header and columns of a big CSV read by pandas' C parser, or ``None`` without pandas.

    Every cell is read as text (no type guessing, no NA guessing), so the same readers
    decide every cell as on the pure-Python path.
    """
    if path.stat().st_size < _BULK_BYTES:
        return None
    try:
        import pandas as pd
    except ImportError:
        return None
    for candidate in [encoding] if encoding else ["utf-8-sig", "gb18030"]:
        try:
            frame = pd.read_csv(
                path,
                dtype=object,  # plain str objects, cheaper to hand over than a string array
                header=None,
                keep_default_na=False,
                na_filter=False,
                encoding=candidate,
                skip_blank_lines=False,
            )
        except UnicodeDecodeError:
            continue
        except LookupError:
            return None  # an unknown encoding: the csv path reports it
        except (ValueError, pd.errors.ParserError):
            return None  # ragged rows and the like: the csv module reports them row by row
        if not len(frame):
            return None, []
        header = [str(v).strip() for v in frame.iloc[0].tolist()]
        # cells keep their spaces here; each reader strips what it reads
        cells = [frame.iloc[1:, i].tolist() for i in range(frame.shape[1])]
        return header, cells
    return None


_BATCH = 500
"""Rows turned into columns at a time: few enough that the row lists are freed before the
cyclic garbage collector is triggered (it would otherwise walk every row kept so far)."""


def _to_columns(rows: Iterable[Sequence[str]]) -> Columns:
    """The header row and the body's columns (short rows padded with blank cells).

    Cells keep their spaces, as on the pandas path; every reader strips what it reads.
    """
    body = iter(rows)
    first = next(body, None)
    if first is None:
        return None, []
    header = [cell_text(h).strip() for h in first]
    cells: list[list[str]] = [[] for _ in header]
    read = 0
    while batch := list(islice(body, _BATCH)):
        longest = max(map(len, batch))
        if longest > len(cells):  # cells past the header: kept as columns without a name
            header.extend([""] * (longest - len(header)))
            cells.extend([""] * read for _ in range(longest - len(cells)))
        width = len(cells)
        if any(len(row) < width for row in batch):
            batch = [r if len(r) >= width else [*r, *[""] * (width - len(r))] for r in batch]
        for column, values in zip(cells, zip(*batch, strict=True), strict=True):
            column.extend(values)
        read += len(batch)
    return header, cells
