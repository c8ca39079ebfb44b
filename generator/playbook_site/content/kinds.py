"""The kinds of entity in a playbook and the facts about each: declared once, read everywhere.

A kind's name is also the prefix of a link to one of its entities from text
(`[AE](role:account-executive)`). `PLAYBOOK` is playbook.yml itself, which the
change report and the release checks treat like an entity of its own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # "role": the link prefix and the key of everything kind-shaped
    label: str  # "lead stage": one entity, in running text
    plural: str  # "lead stages"
    heading: str  # "Lead stages": a report's section heading
    file: str  # the folder (`roles`) or the file stem (`checklist`) the entities live in
    list_key: str = ""  # inside a file of many entities: `steps`; "" when an entity is a file

    @property
    def one_per_file(self) -> bool:
        """The entity's id is its file name (roles/, leads/, kpis/)."""
        return not self.list_key


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("role", "role", "roles", "Roles", "roles"),
        Kind("lead", "lead stage", "lead stages", "Lead stages", "leads"),
        Kind("kpi", "KPI", "KPIs", "KPIs", "kpis"),
        Kind("step", "checklist step", "checklist steps", "Checklist steps", "checklist", "steps"),
        Kind("stage", "alignment stage", "alignment stages", "Alignment stages", "alignment", "stages"),
        Kind("question", "diagnostic statement", "diagnostic statements", "Diagnostic statements", "alignment", "questions"),
        Kind("term", "glossary term", "glossary terms", "Glossary terms", "glossary", "terms"),
    )
}
KIND_NAMES = tuple(KINDS)
KIND_LABELS = {name: kind.label for name, kind in KINDS.items()}

PLAYBOOK = "playbook"  # playbook.yml, in reports and release checks
PLAYBOOK_KIND = Kind(PLAYBOOK, "playbook", "playbook", "Playbook", "playbook")
REPORT_KINDS: dict[str, Kind] = {PLAYBOOK: PLAYBOOK_KIND, **KINDS}  # in the order of the site

# Kinds whose entities carry an `abbreviation`, unique across all of them.
ABBREVIATED = ("role", "lead", "kpi", "term")
# Folders of one entity a file, and files of many entities (by stem).
ENTITY_FOLDERS = {kind.file: name for name, kind in KINDS.items() if kind.one_per_file}
LIST_FILES = ("checklist", "alignment", "glossary")
