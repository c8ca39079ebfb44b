"""`content/results/sources.yml`: how each KPI's export is read, remembered so the weekly import is one command.

    new-pipeline:
      date: Created Date
      value: Amount
      aggregate: sum
      dates: month-first

The file is optional, read with the content's YAML reader (its limits, its refused characters) and
written by the yaml library (every string quoted where it must be), never by joining text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from ..content.results import SOURCES_NAME
from ..content.translate import ID_RE
from ..content.yaml_reader import Reader
from ..errors import ContentError, Problem
from ..files import Folder
from . import Aggregate

SOURCES_REL = f"results/{SOURCES_NAME}"
DateOrder = Literal["day-first", "month-first"]
ColumnName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class SourceEntry(BaseModel):
    """How one KPI's export is read."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date: ColumnName | None = None
    value: ColumnName | None = None
    aggregate: Aggregate | None = None
    dates: DateOrder | None = None
    sheet: ColumnName | None = None


def read_sources(content_dir: Path) -> dict[str, SourceEntry]:
    """The remembered sources by KPI id ({} without the file); ContentError with located problems."""
    display = f"{str(content_dir).rstrip('/') or '.'}/{SOURCES_REL}"
    with Folder.at(content_dir) as folder:
        raw = folder.read(SOURCES_REL)
    if raw is None:
        return {}
    problems: list[Problem] = []
    source = Reader(problems).parse(raw, display)
    if source is None or problems:
        raise ContentError(problems)
    data: Any = source.data
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ContentError([Problem(display, 1, 1, "not-a-mapping", "sources.yml maps KPI ids to how their export is read", "")])
    found: dict[str, SourceEntry] = {}
    for kpi_id, entry in data.items():
        where = source.at((kpi_id,), key=True)
        if not isinstance(kpi_id, str) or not ID_RE.match(kpi_id):
            problems.append(Problem(display, *where, "bad-id", f"`{kpi_id}` is not a KPI id", "write the KPI's id as the key"))
            continue
        try:
            found[kpi_id] = SourceEntry.model_validate(entry if isinstance(entry, dict) else {"date": entry})
        except ValidationError as exc:
            problems.append(
                Problem(
                    display,
                    *where,
                    "bad-value",
                    f"`{kpi_id}`: {exc.errors()[0]['msg']}",
                    "each KPI names `date`, `value`, `aggregate` (sum, mean, median, last, count), `dates` and `sheet`",
                )
            )
    if problems:
        raise ContentError(problems)
    return found


def sources_text(sources: dict[str, SourceEntry]) -> bytes:
    """The file's text, written by the yaml library (KPIs sorted, fields in their order)."""
    data = {kpi_id: entry.model_dump(exclude_none=True) for kpi_id, entry in sorted(sources.items())}
    header = "# How `playbook import results` reads each KPI's export (written by the command; edit freely).\n"
    return (header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)).encode("utf-8")
