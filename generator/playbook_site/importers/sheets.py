"""A spreadsheet or CSV file read as tables of cells, with every cell's place, within limits.

CSV is read with the csv module (UTF-8, with or without a byte-order mark; the separator found among
`,`, `;` and tab); XLSX, XLS and ODS with python-calamine, which returns the values a spreadsheet
stored and never evaluates a formula. Before calamine expands anything, the file's size and (for the
zipped formats) the size its parts expand to are checked, so a "zip bomb" is refused in bounded
memory. Merged cells are filled from their first cell (a merged header names every column it spans).
Every text cell is checked against the one list of refused characters (`text.HIDDEN_RE`), and what no content
file may hold (U+FFFE, a line separator: `yaml_reader.UNWRITABLE_RE`), so each is refused at its cell.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from ..content.yaml_reader import UNWRITABLE_RE
from ..errors import ContentError, Problem, UsageError, capped, printable
from ..text import HIDDEN_RE, char_name, undecodable

MAX_FILE_BYTES = 20 * 1024 * 1024  # an export of a few hundred thousand rows
MAX_EXPANDED_BYTES = 200 * 1024 * 1024  # what the parts of an XLSX or ODS file may expand to
MAX_CELLS = 2_000_000  # in all the tables of one file
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
FORMATS = (".csv", ".txt", *SPREADSHEETS)

Cell = str | float | int | bool | date | datetime | None


def column_letter(index: int) -> str:
    """A, B, ..., Z, AA, ... for a 0-based column index."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Table:
    """One sheet (or a CSV file): its rows of cells and where each row is in the file."""

    name: str  # the sheet's name, or the CSV file's stem
    display: str  # how problems name it: the CSV file's path, or `book.xlsx[Sheet]`
    rows: list[list[Cell]]
    lines: list[int]  # the file's line (CSV) or the sheet's row number of each row
    csv: bool = False
    clean: bool = False  # known to hold no refused character (a CSV file's text was searched whole)
    merged_above: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, column) -> columns its merge spans

    def at(self, row: int, column: int) -> tuple[int, int]:
        """(line, column) of a cell, for a Problem."""
        return self.lines[row] if row < len(self.lines) else 0, column + 1

    def cell_name(self, row: int, column: int) -> str:
        """How a person finds a cell: `B7` in a sheet, `line 7, column 2` in a CSV file."""
        line = self.lines[row] if row < len(self.lines) else 0
        if self.csv:
            return f"line {line}, column {column + 1}"
        return f"sheet `{printable(self.name)}`, cell {column_letter(column)}{line}"

    def cell(self, row: int, column: int) -> Cell:
        cells = self.rows[row]
        return cells[column] if column < len(cells) else None


def text_of(value: Cell) -> str:
    """A cell as text, as a person reads it in the spreadsheet (1.0 as 1)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).strip()


def read_tables(path: Path, display: str | None = None) -> list[Table]:
    """Every table of the file at `path`: ContentError for a file that cannot be read safely, with where and why."""
    shown = display or str(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(
            f"{printable(shown)}: cannot read a `{printable(suffix or path.name)}` file:"
            f" export it as CSV (UTF-8) or save it as XLSX or ODS ({', '.join(FORMATS)})"
        )
    raw = _read(path, shown)
    tables = _csv_tables(raw, path, shown) if suffix in (".csv", ".txt") else _sheet_tables(raw, path, shown)
    problems = [problem for table in tables if not table.clean for problem in _hidden(table)]
    if problems:
        raise ContentError(capped(problems))
    return tables


def _fail(shown: str, code: str, message: str, hint: str, line: int = 0, column: int = 0) -> ContentError:
    return ContentError([Problem(shown, line, column, code, message, hint)])


def _read(path: Path, shown: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _fail(
                shown,
                "file-too-large",
                f"the file is {size:,} bytes; an import reads at most {MAX_FILE_BYTES:,}",
                "export a shorter period (the weeks since the last import), or fewer columns",
            )
        with path.open("rb") as stream:
            return stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {printable(shown)}: {exc.strerror or exc}") from None


# --- CSV ---------------------------------------------------------------------------------------------


def _decode(raw: bytes, shown: str) -> str:
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line, column, byte = undecodable(raw, exc)
        raise _fail(
            shown,
            "not-utf8",
            f"the file is not UTF-8 (byte 0x{byte:02x} cannot be decoded)",
            "export it as UTF-8 (in Excel: Save As > CSV UTF-8 (comma delimited))",
            line,
            column,
        ) from None


def _separator(text: str) -> str:
    """`,`, `;` or a tab: the one the header line holds most of (outside quotes, roughly)."""
    first = text.split("\n", 1)[0]
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _csv_tables(raw: bytes, path: Path, shown: str) -> list[Table]:
    text = _decode(raw, shown)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text), strict=True)
    rows: list[list[Cell]] = []
    lines: list[int] = []
    done, cells_read = 0, 0
    try:
        for cells in reader:
            first, done = done + 1, reader.line_num
            cells_read += len(cells)
            if cells_read > MAX_CELLS:
                raise _too_many(shown)
            rows.append([cell.strip() or None for cell in cells])
            lines.append(first)
    except csv.Error as exc:
        raise _fail(
            shown,
            "csv-syntax",
            f"CSV syntax error: {exc}",
            "a double quote opens a cell and is never closed, or text follows a closing quote: export the file again",
            done + 1,
            1,
        ) from None
    if not any(any(cell is not None for cell in row) for row in rows):
        raise _fail(shown, "empty-file", "the file holds no cells", "export the report with its rows", 1, 1)
    return [Table(path.stem, shown, rows, lines, csv=True, clean=not UNWRITABLE_RE.search(text))]


def _too_many(shown: str) -> ContentError:
    return _fail(
        shown,
        "file-too-large",
        f"the file holds more than {MAX_CELLS:,} cells",
        "export a shorter period, or only the columns the import needs",
    )


# --- XLSX, XLS, ODS ---------------------------------------------------------------------------------------


def _unreadable(shown: str) -> ContentError:
    return _fail(
        shown,
        "unreadable",
        "the file is not a spreadsheet that can be read (it is damaged, or not what its name says)",
        "open it in the spreadsheet program and save it again as XLSX or ODS, or export it as CSV",
    )


_WORKSHEET_RE = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
# A worksheet's <row> and <c>, any prefix; their attributes end at the first `<` or `>` (no attribute holds
# either), so an unclosed `<c` costs the text up to the next `<`, never a rescan to the end of the part.
_ELEMENT_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)\b([^<>]*)>")
_REF_RE = re.compile(rb"""\sr\s*=\s*["']([^"']*)["']""")
_CELL_REF_RE = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")


def _extent(part: bytes) -> int:
    """How many cells a worksheet's range spans from A1 to its last cell, as calamine places its cells (each
    `<c>` at its `r`, or after the one before it in its `<row>`, itself at its `r` or after the one before it):
    calamine allocates that range whole, however few cells hold a value. -1 for a reference that is not a
    plain row number or cell name."""
    row = column = rows = columns = 0
    for match in _ELEMENT_RE.finditer(part):
        found = _REF_RE.search(match.group(2))
        ref = found.group(1) if found else None
        if match.group(1) == b"row":
            if ref is not None and not (ref.isdigit() and len(ref) <= 7):
                return -1
            row, column = (int(ref) if ref is not None else row + 1), 0
            continue
        cell = _CELL_REF_RE.fullmatch(ref) if ref is not None else None
        if ref is not None and cell is None:
            return -1
        if cell is None:
            column += 1
        else:
            column = 0
            for letter in cell.group(1).upper():
                column = column * 26 + letter - 64
            row = int(cell.group(2))
        rows, columns = max(rows, row, 1), max(columns, column)
    return rows * columns


def _span(name: str, part: bytes, shown: str) -> int:
    """The cells a worksheet part spans (0 for any other part); a damaged reference is an unreadable file."""
    extent = _extent(part) if _WORKSHEET_RE.fullmatch(name) else 0
    if extent < 0:
        raise _unreadable(shown)
    return extent


def _bounded_zip(raw: bytes, shown: str) -> bytes:
    """The zipped spreadsheet rebuilt from its parts as they declare themselves, refused when they would expand
    beyond MAX_EXPANDED_BYTES. Each part is read by the zipfile module, which stops at the size the archive
    declares (and checks its CRC), so a part that lies about its size cannot make calamine expand more."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
            expanded = sum(info.file_size for info in parts)
            if expanded > MAX_EXPANDED_BYTES:
                raise _fail(
                    shown,
                    "file-too-large",
                    f"the spreadsheet expands to {expanded:,} bytes; an import reads at most {MAX_EXPANDED_BYTES:,}",
                    "export a shorter period, or only the sheets and columns the import needs",
                )
            rebuilt, spanned = io.BytesIO(), 0
            with zipfile.ZipFile(rebuilt, "w") as copy:
                for info in parts:
                    part = archive.read(info)
                    spanned += _span(info.filename, part, shown)  # calamine allocates a sheet's whole range
                    stored = info.filename == "mimetype"  # an ODS file's first part stays uncompressed
                    kind = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
                    copy.writestr(info.filename, part, compress_type=kind, compresslevel=None if stored else 1)
            if spanned > MAX_CELLS:
                raise _too_many(shown)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError, EOFError, RuntimeError):
        raise _unreadable(shown) from None
    return rebuilt.getvalue()


def _sheet_tables(raw: bytes, path: Path, shown: str) -> list[Table]:
    from python_calamine import CalamineWorkbook

    if path.suffix.lower() in (".xlsx", ".xlsm", ".xlsb", ".ods"):
        raw = _bounded_zip(raw, shown)
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(raw))
        tables: list[Table] = []
        cells_read = 0
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            cells_read += sheet.height * sheet.width
            if cells_read > MAX_CELLS:
                raise _too_many(shown)
            tables.append(_table(name, sheet, f"{shown}[{name}]"))
    except ContentError:
        raise
    except Exception as exc:  # calamine's errors (zip, XML, password, unsupported) share no base class
        raise _fail(
            shown,
            "unreadable",
            f"the spreadsheet cannot be read: {printable(str(exc))[:200]}",
            "open it in the spreadsheet program and save it again (without a password) as XLSX or ODS, or export it as CSV",
        ) from None
    return tables


def _value(value: Any) -> Cell:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, (time, timedelta)):
        return str(value)
    if isinstance(value, (bool, int, float, date, datetime)):
        return value
    return None if value is None else str(value)


def _table(name: str, sheet: Any, display: str) -> Table:
    rows: list[list[Cell]] = [[_value(value) for value in row] for row in sheet.to_python(skip_empty_area=False)]
    table = Table(name, display, rows, list(range(1, len(rows) + 1)))
    for (top, left), (bottom, right) in sheet.merged_cell_ranges or []:
        _fill(table, top, left, bottom, right)
    return table


def _fill(table: Table, top: int, left: int, bottom: int, right: int) -> None:
    """A merged range: every cell holds the first one's value; a row's cells remember the merge's width."""
    if not 0 <= top < len(table.rows):
        return
    value = table.cell(top, left)
    for row in range(top, min(bottom, len(table.rows) - 1) + 1):
        cells = table.rows[row]
        cells.extend([None] * (right + 1 - len(cells)))
        for column in range(left, right + 1):
            cells[column] = value
            table.merged_above[(row, column)] = right - left + 1


def _hidden(table: Table) -> list[Problem]:
    problems: list[Problem] = []
    named = HIDDEN_RE.search(table.name) if not table.csv else None  # a CSV file's name is the user's path
    if named:
        problems.append(
            Problem(
                table.display,
                0,
                0,
                "control-character",
                f"the name of sheet `{printable(table.name)}` contains the invisible character {char_name(named.group())}",
                "rename the sheet in the spreadsheet (type its name again), then save it again",
            )
        )
    for row, cells in enumerate(table.rows):
        for column, value in enumerate(cells):
            found = UNWRITABLE_RE.search(value) if isinstance(value, str) else None
            if found:
                problems.append(
                    Problem(
                        table.display,
                        *table.at(row, column),
                        "control-character",
                        f"{table.cell_name(row, column)} contains the invisible character {char_name(found.group())}",
                        "delete it in the spreadsheet (it often comes with text pasted from another program), then export again",
                    )
                )
    return problems
