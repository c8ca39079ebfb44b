"""A RACI matrix (roles as columns, activities as rows, cells R, A, C, I) read into who does what.

Each activity a role is Responsible or Accountable for becomes one of the role's responsibilities.
An activity that names a checklist step (by its title or id) gives the step its owner (the
Accountable role, else the one Responsible role) and its participants (the other Responsible and
the Consulted roles); the Informed take no part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import Problem, close_matches, did_you_mean, printable
from .fields import key
from .sheets import Table, text_of

LETTERS = "RACI"
_LETTER_RE = re.compile(r"[A-Za-z]+")


@dataclass
class Activity:
    name: str
    row: int
    roles: dict[str, set[str]] = field(default_factory=dict)  # role id -> letters

    def with_letter(self, letter: str) -> list[str]:
        return [role for role, letters in self.roles.items() if letter in letters]


@dataclass
class Raci:
    table: Table
    activities: list[Activity] = field(default_factory=list)

    def responsibilities(self) -> dict[str, list[str]]:
        """Role id -> the activities it is Responsible or Accountable for, in the sheet's order."""
        found: dict[str, list[str]] = {}
        for activity in self.activities:
            for role, letters in activity.roles.items():
                if letters & {"R", "A"}:
                    found.setdefault(role, []).append(activity.name)
        return found


def _roles_in(table: Table, row: int, resolve: dict[str, str], shown: list[str]) -> int:
    """How many cells of a row name a role, or nearly do (a misspelt role is still a column of roles); 0 without one that does."""
    texts = [text_of(cell) for cell in table.rows[row] if cell is not None]
    if not any(key(text) in resolve for text in texts):
        return 0
    return sum(1 for text in texts if key(text) in resolve or close_matches(text, shown))


def read_raci(table: Table, resolve: dict[str, str], shown: list[str], problems: list[Problem], notes: list[str]) -> Raci | None:
    """The matrix: the header is the first row that names two roles; the activities are in the first column before them."""
    header = next((row for row in range(min(10, len(table.rows))) if _roles_in(table, row, resolve, shown) >= 2), None)
    if header is None:
        problems.append(
            Problem(
                table.display,
                1,
                1,
                "missing-field",
                f"sheet `{printable(table.name)}` is read as a RACI matrix, but no row among its first ten names two roles",
                "put the roles' names (or abbreviations, or ids) in the header row, one a column, and the activities in the first column",
            )
        )
        return None
    cells = table.rows[header]
    first_role = next(
        column
        for column, cell in enumerate(cells)
        if cell is not None and (key(text_of(cell)) in resolve or close_matches(text_of(cell), shown))
    )
    activity_column = next(
        (column for column in range(first_role) if any(table.cell(r, column) for r in range(header + 1, len(table.rows)))), 0
    )
    columns = _role_columns(table, header, first_role, resolve, shown, problems, notes)
    raci = Raci(table)
    for row in range(header + 1, len(table.rows)):
        name = text_of(table.cell(row, activity_column))
        if name:
            raci.activities.append(_activity(table, row, name, columns, problems))
    return raci


def _role_columns(
    table: Table, header: int, first: int, resolve: dict[str, str], shown: list[str], problems: list[Problem], notes: list[str]
) -> dict[int, str]:
    """{column: role id} of the header; a name that is close to a role's is a misspelling, any other column is left out."""
    columns: dict[int, str] = {}
    for column in range(first, len(table.rows[header])):
        text = text_of(table.cell(header, column))
        if not text:
            continue
        role = resolve.get(key(text))
        if role is not None:
            columns[column] = role
            continue
        close = did_you_mean(text, shown)
        if close:
            problems.append(
                Problem(
                    table.display,
                    *table.at(header, column),
                    "dangling-reference",
                    f"{table.cell_name(header, column)}: there is no role `{printable(text)}`",
                    f"{close} write the name, abbreviation or id of a role of the spreadsheet or the content",
                )
            )
        else:
            notes.append(f"{table.cell_name(header, column)}: column `{printable(text)}` is not a role: left out")
    return columns


def _activity(table: Table, row: int, name: str, columns: dict[int, str], problems: list[Problem]) -> Activity:
    activity = Activity(name, row)
    for column, role in columns.items():
        text = text_of(table.cell(row, column)).upper()
        letters = set("".join(_LETTER_RE.findall(text)))
        wrong = letters - set(LETTERS)
        if wrong:
            problems.append(
                Problem(
                    table.display,
                    *table.at(row, column),
                    "bad-value",
                    f"{table.cell_name(row, column)}: `{printable(text)}` is not R, A, C or I",
                    "write R (responsible), A (accountable), C (consulted), I (informed), or several as A/R",
                )
            )
            continue
        if letters:
            activity.roles[role] = activity.roles.get(role, set()) | letters
    return activity


def step_roles(activity: Activity) -> tuple[str | None, list[str], str]:
    """(owner, participants, why there is no owner) of the step an activity names."""
    accountable = activity.with_letter("A")
    responsible = activity.with_letter("R")
    if len(accountable) > 1:
        return None, [], f"{len(accountable)} roles are accountable (A); a step has one owner"
    owner = accountable[0] if accountable else (responsible[0] if len(responsible) == 1 else None)
    if owner is None:
        return None, [], "no role is accountable (A), and not exactly one is responsible (R)"
    participants = [role for role in activity.roles if role != owner and activity.roles[role] & {"R", "C"}]
    return owner, participants, ""
