"""Machine-readable exports of a Playbook (pure: no I/O).

`playbook_to_dict` is the stable JSON shape published as `playbook.json`;
`playbook_from_dict` reads it back (publishing diffs a new version against the
previous version's export).
"""

from __future__ import annotations

import re
from typing import Any, get_args, get_origin

from pydantic import BaseModel

from .health import meets_target
from .periods import Result, parse_period
from .refs import value_at
from .schema import ActivityEntry, Alignment, Checklist, Glossary, Kpi, LeadStage, Playbook, PlaybookMeta, Role, meta_of
from .survey_numbers import public_rounds, view_dict, view_from_dict

EXPORT_FORMAT = 1
# `notes` at every level where an entity can carry it: the entity itself and the items of lists.
_NOTES: Any = {
    "notes": True,
    "steps": {"__all__": {"notes"}},
    "stages": {"__all__": {"notes"}},
    "questions": {"__all__": {"notes"}},
    "terms": {"__all__": {"notes"}},
}


def playbook_to_dict(playbook: Playbook, *, include_notes: bool = True) -> dict[str, Any]:
    """Every entity with all its fields. `include_notes=False` leaves out the editors' `notes`
    (what the site publishes: notes are for editors, never for readers)."""
    exclude = None if include_notes else _NOTES

    def dump(model: Any) -> dict[str, Any]:
        dumped: dict[str, Any] = model.model_dump(mode="json", exclude=exclude)
        return dumped

    exported = {
        "format": EXPORT_FORMAT,
        "version": playbook.meta.version,
        "playbook": dump(playbook.meta),
        "roles": [dump(role) for role in playbook.roles.values()],
        "leads": [dump(lead) for lead in playbook.leads.values()],
        "kpis": [dump(kpi) for kpi in playbook.kpis.values()],
        "checklist": dump(playbook.checklist),
        "alignment": dump(playbook.alignment),
        "glossary": dump(playbook.glossary),
        "results": {kpi_id: [_result_dict(result) for result in results] for kpi_id, results in playbook.results.items()},
        "activity": [entry.model_dump(mode="json") for entry in playbook.activity],
        "sources": [
            {"kind": kind, "id": entity_id, "path": path} for (kind, entity_id), path in sorted(playbook.sources.items())
        ],
    }
    views = public_rounds(playbook)
    if views:  # the team survey: each round's aggregates with the privacy threshold applied, never a row
        exported["survey"] = [view_dict(view) for view in views]
    return exported


def playbook_from_dict(data: dict[str, Any]) -> Playbook:
    """The inverse of `playbook_to_dict` (no cross-reference checks: it was valid when exported)."""
    if data.get("format") != EXPORT_FORMAT:
        raise ValueError(f"unsupported playbook export format {data.get('format')!r}")
    roles = [Role.model_validate(item) for item in data["roles"]]
    leads = [LeadStage.model_validate(item) for item in data["leads"]]
    kpis = [Kpi.model_validate(item) for item in data["kpis"]]
    return Playbook(
        meta=PlaybookMeta.model_validate(data["playbook"]),
        roles={role.id: role for role in roles},
        leads={lead.id: lead for lead in leads},
        kpis={kpi.id: kpi for kpi in kpis},
        checklist=Checklist.model_validate(data["checklist"]),
        alignment=Alignment.model_validate(data["alignment"]),
        glossary=Glossary.model_validate(data["glossary"]),
        sources={(item["kind"], item["id"]): item["path"] for item in data.get("sources", [])},
        # An export written before results and activity existed has neither.
        results={
            kpi_id: tuple(Result(parse_period(row["period"]), float(row["value"]), row.get("note")) for row in rows)
            for kpi_id, rows in data.get("results", {}).items()
        },
        activity=tuple(ActivityEntry.model_validate(item) for item in data.get("activity", [])),
        survey_views=tuple(view_from_dict(item) for item in data.get("survey", [])),
    )


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def _result_dict(result: Result) -> dict[str, Any]:
    return {"period": result.period.text, "value": _number(result.value), "note": result.note}


# --- CSV for a CRM or BI tool ------------------------------------------------------------------

# A spreadsheet runs a cell as a formula when it starts with one of = + - @ (OWASP, "CSV Injection"),
# also after leading spaces or double quotes. The same may follow any `,`, `;`, tab or line break
# inside a text: a spreadsheet that splits there (`;` is the separator in many locales; some split
# inside quotes once a line's quoting no longer matches their separator) starts a cell with it. So an
# apostrophe goes right before every such start, and before a leading tab or carriage return.
_FORMULA_START = re.compile(r"(?:\A|[,;\t\r\n])[\s\"]*(?=[=+\-@])")


def _cell(value: Any) -> int | float | str | None:
    """A CSV cell: a number stays a number; in text, every place a spreadsheet could start a formula
    (the start, or after a separator inside it) gets an apostrophe (`_csv` quotes every text cell)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value  # a number, such as -5, is data, not a formula
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    text = _FORMULA_START.sub(lambda match: match.group() + "'", str(value))
    return "'" + text if text.startswith(("\t", "\r")) else text


def _csv(header: list[str], rows: list[list[Any]]) -> str:
    """RFC 4180 text, one line a row: every text cell in double quotes (a `"` doubled), so a `,`, `;`
    or tab inside it never splits it, whichever separator the spreadsheet uses; numbers bare, so they
    stay numbers; an empty cell empty."""

    def field(value: int | float | str | None) -> str:
        if value is None:
            return ""
        if isinstance(value, (int, float)):
            return repr(value) if isinstance(value, float) else str(value)
        return '"' + value.replace('"', '""') + '"'

    lines = [",".join(field(_cell(name)) for name in header)]
    lines += [",".join(field(_cell(value)) for value in row) for row in rows]
    return "\n".join(lines) + "\n"


def export_columns(model: type[Kpi] | type[LeadStage]) -> list[str]:
    """A kind's CSV columns, taken from its model: `csv_columns` first (the order the exports have
    always had), then every other field a reader sees, in the order declared, so a new optional field
    reaches the CSV with no list to update. A nested model gives a column per field (`handoff.to`);
    editors-only fields (`reader=False`: approvers, review dates, notes) and a mapping (`crm`, which
    has columns of its own) are left out."""
    columns = list(model.csv_columns)
    listed = {column.split(".")[0] for column in columns}
    for name, info in model.model_fields.items():
        meta = meta_of(model, name)
        if name in listed or (meta is not None and not meta.reader) or get_origin(info.annotation) is dict:
            continue
        nested = next((arg for arg in (info.annotation, *get_args(info.annotation)) if _is_model(arg)), None)
        columns += [f"{name}.{field}" for field in nested.model_fields] if nested is not None else [name]
    return columns


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _columns(model: type[Kpi] | type[LeadStage]) -> list[str]:
    """The CSV header of a kind: its columns, `handoff.to` written `handoff_to`."""
    return [column.replace(".", "_") for column in export_columns(model)]


def kpis_csv(playbook: Playbook) -> str:
    columns = export_columns(Kpi)
    rows = [[value_at(kpi, tuple(column.split("."))) for column in columns] for kpi in playbook.kpis.values()]
    return _csv(_columns(Kpi), rows)


def leads_csv(playbook: Playbook) -> str:
    """One row a lead stage in funnel order, and a `crm_<system>` column per CRM system named anywhere."""
    systems = sorted({system for lead in playbook.leads.values() for system in lead.crm})
    columns = export_columns(LeadStage)
    rows = [
        [value_at(lead, tuple(column.split("."))) for column in columns] + [lead.crm.get(system) for system in systems]
        for lead in playbook.leads.values()
    ]
    return _csv(_columns(LeadStage) + [f"crm_{system}" for system in systems], rows)


RESULTS_COLUMNS = (
    "kpi",
    "kpi_name",
    "period",
    "period_kind",
    "period_start",
    "period_end",
    "value",
    "unit",
    "currency",
    "direction",
    "target",
    "target_period",
    "health",
    "difference",
    "note",
)


def results_csv(playbook: Playbook) -> str:
    """One row per KPI per period: the value, its unit, the target and how the value stands against it
    (`health`: on target | off target, blank without a target; `difference`: value minus target)."""
    rows = []
    for kpi_id, results in playbook.results.items():
        kpi = playbook.kpis[kpi_id]
        target = kpi.target.value if kpi.target is not None else None
        for result in results:
            health, difference = "", None
            if target is not None:
                good = meets_target(kpi, result.value)
                health, difference = ("on target" if good else "off target"), round(result.value - target, 6)
            period = result.period
            rows.append(
                [
                    kpi.id,
                    kpi.name,
                    period.text,
                    period.kind,
                    period.start.isoformat(),
                    period.end.isoformat(),
                    result.value,
                    kpi.unit,
                    kpi.currency,
                    kpi.direction,
                    target,
                    kpi.target.period if kpi.target is not None else None,
                    health,
                    difference,
                    result.note,
                ]
            )
    return _csv(list(RESULTS_COLUMNS), rows)


def activity_csv(playbook: Playbook) -> str:
    """One row per activity entry, by date: the checklist step, its title, the date, the note and the link."""
    steps = playbook.steps
    rows = [
        [entry.step, steps[entry.step].title if entry.step in steps else None, entry.date.isoformat(), entry.note, entry.link]
        for entry in playbook.activity
    ]
    return _csv(["step", "step_title", "date", "note", "link"], rows)


SURVEY_COLUMNS = ("round", "group", "group_id", "respondents", "score", "stage", "statement", "mean")


def survey_csv(playbook: Playbook) -> str:
    """One row per round per group shown (everyone, each function, each team) with its score and stage,
    then a row per statement mean shown; never a row of answers, nothing of a group below the threshold."""
    rows: list[list[Any]] = []
    for view in public_rounds(playbook):
        groups = [("everyone", "", view.overall)] if view.overall is not None else []
        groups += [("function", key, found) for key, found in view.functions.items()]
        groups += [("team", name, found) for name, found in view.teams.items()]
        for kind, key, found in groups:
            score = round(float(found.score), 2) if found.score is not None else None
            rows.append([view.period.text, kind, key, found.respondents, score, found.stage, None, None])
            rows += [
                [view.period.text, kind, key, found.respondents, None, None, question, round(float(mean), 2)]
                for question, mean in found.means.items()
            ]
    return _csv(list(SURVEY_COLUMNS), rows)


def export_files(playbook: Playbook) -> dict[str, str]:
    """Every export as {site-relative path: text}: what the site publishes and `playbook export` writes."""
    import json

    from .jsonschema import schema_files

    files = {
        "playbook.json": json.dumps(playbook_to_dict(playbook, include_notes=False), indent=2, ensure_ascii=False) + "\n",
        "exports/kpis.csv": kpis_csv(playbook),
        "exports/leads.csv": leads_csv(playbook),
    }
    # The numbers' files only when the playbook has numbers: a playbook without them exports as before.
    if playbook.results:
        files["exports/results.csv"] = results_csv(playbook)
    if playbook.activity:
        files["exports/activity.csv"] = activity_csv(playbook)
    if playbook.survey or playbook.survey_views:
        files["exports/survey.csv"] = survey_csv(playbook)
    files.update({f"schema/{name}": text for name, text in schema_files(playbook).items()})
    return files
