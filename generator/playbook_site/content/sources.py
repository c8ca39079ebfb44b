"""Where the content is written: each file as read, and the file and place of each entity, for
problems with a file, line and column after the files were read (`rules`, `health`, `release`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .results import ResultsFile
from .schema import ActivityEntry
from .yaml_reader import Loc, Source


@dataclass(frozen=True)
class TextLink:
    """An entity link written in a file's text: where it is, what it names, as written."""

    path: str  # the file as shown in problems
    line: int
    column: int
    kind: str
    id: str
    written: str


@dataclass
class Where:
    """Where the content is written, for problems with a line and column."""

    sources: dict[str, Source] = field(default_factory=dict)  # content-relative path -> file as read
    owners: dict[tuple[str, str], tuple[Source, Loc]] = field(default_factory=dict)  # (kind, id) -> file, prefix
    meta: Source | None = None  # playbook.yml
    # Entities that exist but failed validation ((kind, "*"): a whole file of them): references to
    # them are not reported again as dangling.
    invalid: set[tuple[str, str]] = field(default_factory=set)
    activity: tuple[Source, dict[int, ActivityEntry]] | None = None  # activity.yml: its valid entries by position
    # activity.yml's entries that failed validation, by position: what each still says, the step it
    # names (None when none can be read) and its date (None when the date is what failed), so that
    # the overdue check does not take a step's failed entry for a practice that never happened.
    # Position -1 stands for `entries` that are missing or not a list (a file that failed).
    failed_activity: dict[int, tuple[str | None, date | None]] = field(default_factory=dict)
    # content-relative path -> the entity links written in the file's text (rules.file_links), in file order
    links: dict[str, list[TextLink]] = field(default_factory=dict)
    results: dict[str, ResultsFile] = field(default_factory=dict)  # every results file read, by the KPI it names

    def is_invalid(self, kind: str, entity_id: str) -> bool:
        return (kind, entity_id) in self.invalid or (kind, "*") in self.invalid
