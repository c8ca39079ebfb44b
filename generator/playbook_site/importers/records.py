"""The rows of a definitions sheet as records: which column is which field, and each row's cells.

The header is the row (among the first ten) whose cells name the most fields; a cell merged over
several columns above it (a group header such as `Hand-off` over `To` and `SLA hours`) is read with
each column's own name. Columns that name no field are listed, never dropped in silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import Problem, printable
from .fields import Path, field_keys, key, name_field
from .sheets import Cell, Table, text_of

HEADER_SCAN = 10


@dataclass
class Record:
    """One row of a sheet: the kind it defines and its cells by field path, with their columns."""

    kind: str
    table: Table
    row: int
    cells: dict[Path, tuple[Cell, int]]
    id: str = ""
    name: str = ""

    def at(self, path: Path | None = None) -> tuple[int, int]:
        """(line, column) of a field's cell, or of the row."""
        found = self.cells.get(path) if path is not None else None
        return self.table.at(self.row, found[1] if found else 0)

    def text(self, path: Path) -> str:
        found = self.cells.get(path)
        return text_of(found[0]) if found else ""


@dataclass
class Sheet:
    """A definitions sheet read: its kind, header row, columns and records; what it left out."""

    kind: str
    table: Table
    header: int
    columns: dict[int, Path]
    first: int  # the first row of data (after a second header row of names under merged group headers)
    records: list[Record] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # the columns that name no field, as notes


def _column_key(table: Table, row: int, column: int, keys: dict[str, Path], mapped: dict[str, str]) -> Path | None:
    """The field a header cell names: with its merged group header above it first, then on its own."""
    own = key(text_of(table.cell(row, column)))
    candidates = [own]
    if row > 0 and table.merged_above.get((row - 1, column), 1) > 1:
        candidates.insert(0, key(text_of(table.cell(row - 1, column))) + own)
    for candidate in candidates:
        target = mapped.get(candidate, candidate)
        if target in keys:
            return keys[target]
    return None


def _sub_header(table: Table, header: int, keys: dict[str, Path], mapped: dict[str, str], columns: dict[int, Path]) -> int:
    """The row after `header` when it names the columns under merged group headers (`Hand-off` over `To`, `SLA`):
    those columns are read as the two names together; the first row of data otherwise."""
    below = header + 1
    if below >= len(table.rows):
        return below
    filled = [column for column, cell in enumerate(table.rows[below]) if cell is not None]
    if not filled or not all(table.merged_above.get((header, column), 1) > 1 for column in filled):
        return below
    for column in filled:
        path = _column_key(table, below, column, keys, mapped)
        if path is not None:
            columns.pop(column, None)
            if path not in columns.values():
                columns[column] = path
    return below + 1


def header_of(table: Table, kind: str, mapped: dict[str, str]) -> tuple[int, dict[int, Path]]:
    """The header row and {column: field path}: the row among the first ten that names the most fields."""
    keys = field_keys(kind)
    best: tuple[int, dict[int, Path]] = (-1, {})
    for row in range(min(HEADER_SCAN, len(table.rows))):
        columns: dict[int, Path] = {}
        for column in range(len(table.rows[row])):
            path = _column_key(table, row, column, keys, mapped)
            if path is not None and path not in columns.values():
                columns[column] = path
        if len(columns) > len(best[1]):
            best = (row, columns)
    return best


def read_sheet(table: Table, kind: str, mapped: dict[str, str], problems: list[Problem]) -> Sheet | None:
    """The sheet's records; a sheet without a header naming the entity's name field is reported."""
    header, columns = header_of(table, kind, mapped)
    name = name_field(kind)
    if header < 0 or (name,) not in columns.values():
        problems.append(
            Problem(
                table.display,
                *table.at(max(header, 0), 0),
                "missing-field",
                f"{table.cell_name(max(header, 0), 0)}: no header row names the `{name}` column of a {kind} sheet",
                f'name the column `{name}`, or map it: --map "Your column={name}"',
            )
        )
        return None
    first = _sub_header(table, header, field_keys(kind), mapped, columns)
    sheet = Sheet(kind, table, header, columns, first)
    for column, cell in enumerate(table.rows[header]):
        merged = table.merged_above.get((header, column), 1) > 1  # a merged header names its first column only
        if column not in columns and cell is not None and not (merged and column > 0 and table.cell(header, column - 1) == cell):
            sheet.unknown.append(
                f"{table.cell_name(header, column)}: column `{printable(text_of(cell))}` names no field of a {kind}: left out"
                f' (--map "{printable(text_of(cell))}=FIELD" imports it)'
            )
    for row in range(first, len(table.rows)):
        cells = {path: (table.cell(row, column), column) for column, path in columns.items()}
        if any(value is not None for value, _ in cells.values()):
            sheet.records.append(Record(kind, table, row, cells))
    return sheet
