"""Reading the tables people edit by hand: CSV and XLSX, forgivingly.

The community assessment and the resource inventory are both one header row
and one row per item. People open them in Excel, LibreOffice or a text editor
and save them back in many shapes: with a byte-order mark, with semicolons or
tabs instead of commas, in a Windows encoding, with a ``sep=;`` line, with
extra sheets or with formulas. This module reads all of those into
``(row number, {column: value})`` pairs, and when a file cannot be read it
raises the caller's :class:`~endtrafficking.errors.CourseInputError` subclass
naming the file, the row or field, the problem and the fix.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from endtrafficking.errors import CourseInputError

#: Row numbers as a spreadsheet shows them, and each row's cells by column name.
Rows = list[tuple[int, dict[str, Any]]]
#: The key under which each row records its place ("row 5", "sheet 'X', row 5").
PLACE_KEY = "_place"
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class TableSpec:
    """What a kind of table looks like, and which error to raise about it."""

    columns: tuple[str, ...]
    """The template's header, in order."""
    required: tuple[str, ...]
    """Columns a file must have to be read at all."""
    aliases: Mapping[str, str]
    """Header spellings people use (lower case, single spaces) -> column name."""
    sheet: str
    """The template's sheet name in XLSX files."""
    error: type[CourseInputError]
    """The error class raised for this kind of file."""


def cell_text(value: Any) -> str:
    """A cell as clean text: blank for None/NaN, ``2`` for ``2.0``, stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def canonical_header(header: str, aliases: Mapping[str, str]) -> str:
    """The column name a header cell stands for (``"Focus areas"`` -> ``focus_areas``)."""
    key = " ".join(header.replace("_", " ").strip().lower().split())
    return aliases.get(key, key)


def decode_text(path: Path, raw: bytes, error: type[CourseInputError]) -> str:
    """Decode a text file saved as UTF-8 (with or without BOM) or Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise error(  # pragma: no cover - cp1252 fails only on a few bytes
        "the file is not text in a known encoding.",
        fix="in your spreadsheet program choose 'Save as' > 'CSV UTF-8'.",
        file=path,
    )


def readable_suffix(path: Path, suffix: str, error: type[CourseInputError], what: str) -> str:
    """Check that ``path`` exists and is a .csv, .xlsx or .json file; return ``suffix``.

    Raises:
        error: naming the file, the problem and the fix (``what``: "assessment", ...).
    """
    if suffix not in (".json", ".csv", ".xlsx"):
        raise error(
            f"the file type {suffix or '(none)'!r} is not one the course reads.",
            fix=f"save the {what} as .csv, .xlsx or .json.",
            file=path,
        )
    if not path.exists():
        raise error(
            "the file does not exist.", fix="check the file name and the folder.", file=path
        )
    return suffix


def read_table(path: Path, spec: TableSpec) -> Rows:
    """Read a ``.csv`` or ``.xlsx`` file's rows, by the file's suffix."""
    return read_table_with_header(path, spec)[1]


def read_table_with_header(path: Path, spec: TableSpec) -> tuple[list[str], Rows]:
    """The header cells exactly as written (case kept), and the rows of :func:`read_table`."""
    if path.suffix.lower() == ".xlsx":
        grid = xlsx_grid(path, spec)
    else:
        grid = csv_grid(path, spec)
    return grid.header, rows_with_header(
        path, grid.header, grid.body, spec, sheet=grid.sheet, first_row=grid.first_row
    )


@dataclass(frozen=True)
class Grid:
    """A table's cells as read: the header row, then the numbered body rows."""

    header: list[str]
    body: list[tuple[int, list[Any]]]
    sheet: str | None = None
    first_row: int = 1


def csv_rows(path: Path, spec: TableSpec) -> Rows:
    """Rows of a CSV file, whatever its delimiter, BOM, line endings or encoding."""
    grid = csv_grid(path, spec)
    return rows_with_header(path, grid.header, grid.body, spec, first_row=grid.first_row)


def csv_grid(path: Path, spec: TableSpec) -> Grid:
    """The cells of a CSV file (see :func:`csv_rows`)."""
    raw = path.read_bytes()
    if raw[:4] == b"PK\x03\x04":
        raise spec.error(
            "the file ends in .csv but is really an Excel workbook.",
            fix="rename it to end in .xlsx, or save it again as CSV.",
            file=path,
        )
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Excel's "Unicode Text": UTF-16 with a BOM
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            pass  # not really UTF-16: refused just below
    if b"\x00" in raw[:2048]:
        raise spec.error(
            "the file looks like UTF-16 text or a binary file, not CSV.",
            fix="in your spreadsheet program choose 'Save as' > 'CSV UTF-8'.",
            file=path,
        )
    text = decode_text(path, raw, spec.error)
    if not text.strip():
        raise spec.error(
            "the file is empty.", fix="start again from the blank template.", file=path
        )
    lines = text.splitlines()
    first_number = 1
    # Excel honours (and some people add) a first line such as "sep=;".
    if lines[0].strip().lower().startswith("sep=") and len(lines[0].strip()) == 5:
        delimiter = lines[0].strip()[4]
        text = text.split("\n", 1)[1] if "\n" in text else ""
        first_number = 2
    else:
        delimiter = max(_DELIMITERS, key=lines[0].count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        raise spec.error(
            "the file is empty.", fix="start again from the blank template.", file=path
        )
    header, body = rows[0], rows[1:]
    numbered: list[tuple[int, list[Any]]] = [
        (i + first_number + 1, list(r)) for i, r in enumerate(body)
    ]
    return Grid(header, numbered, None, first_number)


def xlsx_rows(path: Path, spec: TableSpec) -> Rows:
    """Rows of the table's sheet of an XLSX workbook, using formulas' saved results."""
    grid = xlsx_grid(path, spec)
    return rows_with_header(path, grid.header, grid.body, spec, sheet=grid.sheet)


def _unreadable(path: Path, spec: TableSpec, exc: Exception) -> CourseInputError:
    return spec.error(
        f"the file cannot be opened as an Excel workbook ({exc.__class__.__name__}).",
        fix="open it in Excel or LibreOffice and save it again as .xlsx, or use the CSV template.",
        file=path,
    )


def xlsx_grid(path: Path, spec: TableSpec) -> Grid:
    """The cells of the table's sheet of an XLSX workbook (see :func:`xlsx_rows`).

    Read with calamine (about thirty times faster than openpyxl, which matters
    when a coalition combines hundreds of partners' files); openpyxl is used
    only when the workbook holds formulas, to name a formula saved without its result.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    damaged = (CalamineError, OSError, ValueError, KeyError, EOFError)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except damaged as exc:
        raise _unreadable(path, spec, exc) from None
    try:
        sheet_name = pick_sheet(path, book, spec)
        values = book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
    except CourseInputError:
        raise
    except damaged as exc:
        raise _unreadable(path, spec, exc) from None
    finally:
        book.close()
    if not any(str(v).strip() for row in values for v in row):
        raise spec.error(
            "the sheet is empty.",
            fix="start again from the blank template.",
            file=path,
            where=f"sheet {sheet_name!r}",
        )
    body = [(i + 2, [None if v == "" else v for v in row]) for i, row in enumerate(values[1:])]
    if _holds_formulas(path):
        _refuse_formulas_without_results(path, spec, sheet_name, body)
    header = ["" if v is None else str(v) for v in values[0]]
    return Grid(header, body, sheet_name, 1)


_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _holds_formulas(path: Path) -> bool:
    """Whether any worksheet of the workbook holds a formula (a quick look at its XML)."""
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(path) as archive:
            return any(
                _FORMULA_TAG.search(archive.read(name))
                for name in archive.namelist()
                if name.startswith("xl/worksheets/") and name.endswith(".xml")
            )
    except (BadZipFile, OSError, KeyError, EOFError):
        return True  # let openpyxl say what is wrong


def _refuse_formulas_without_results(
    path: Path, spec: TableSpec, sheet_name: str, body: list[tuple[int, list[Any]]]
) -> None:
    """Refuse a formula cell whose result was never saved (a file written by a program)."""
    from xml.etree.ElementTree import ParseError
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    damaged = (BadZipFile, OSError, KeyError, ValueError, ParseError, EOFError)
    try:
        book = load_workbook(path, data_only=False, read_only=True)
    except damaged as exc:
        raise _unreadable(path, spec, exc) from None
    try:
        formulas = list(book[sheet_name].iter_rows(min_row=2, values_only=True))
    except damaged as exc:
        raise _unreadable(path, spec, exc) from None
    finally:
        book.close()
    for (number, cells), frow in zip(body, formulas, strict=False):
        for col, formula in enumerate(frow):
            value = cells[col] if col < len(cells) else None
            if value is None and isinstance(formula, str) and formula.startswith("="):
                raise spec.error(
                    f"a cell holds the formula {formula!r} but no saved result.",
                    fix="open the file in Excel or LibreOffice and save it (that stores the "
                    "result), or type the value instead of a formula.",
                    file=path,
                    where=f"sheet {sheet_name!r}, row {number}, column {col + 1}",
                )


def pick_sheet(path: Path, book: Any, spec: TableSpec) -> str:
    """The template's sheet, or else the first sheet whose header has the required columns."""
    names = list(book.sheet_names)
    if spec.sheet in names:
        return spec.sheet
    for name in names:
        first = book.get_sheet_by_name(name).to_python(skip_empty_area=False, nrows=1)
        cols = {canonical_header(str(v), spec.aliases) for v in (first[0] if first else [])}
        if set(spec.required) <= cols:
            return name
    raise spec.error(
        f"no sheet has the {', '.join(spec.required)} columns (sheets: {', '.join(names)}).",
        fix=f"keep the template's sheet named {spec.sheet!r}, with its header row.",
        file=path,
    )


def rows_with_header(
    path: Path,
    header: list[str],
    body: Iterable[tuple[int, list[Any]]],
    spec: TableSpec,
    sheet: str | None = None,
    first_row: int = 1,
) -> Rows:
    """Map each non-empty row's cells to column names; check the required columns exist."""
    names = [canonical_header(h or "", spec.aliases) for h in header]
    place = f"sheet {sheet!r}, " if sheet else ""
    for required in spec.required:
        if required not in names:
            shown = ", ".join(h for h in header if h) or "(none)"
            raise spec.error(
                f"the header row has no {required!r} column (it has: {shown}).",
                fix="keep the template's first row: " + ", ".join(spec.columns) + ".",
                file=path,
                where=f"{place}row {first_row}",
            )
    rows: Rows = []
    for number, cells in body:
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        record = {
            name: cells[i] if i < len(cells) else None for i, name in enumerate(names) if name
        }
        record[PLACE_KEY] = f"{place}row {number}"
        rows.append((number, record))
    return rows
