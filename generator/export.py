"""Machine-readable exports of a Playbook (pure: no I/O).

`playbook_to_dict` is the stable JSON shape published as `playbook.json`;
`playbook_from_dict` reads it back (publishing diffs a new version against the
previous version's export).
"""

from __future__ import annotations

from typing import Any

from .model import Alignment, Checklist, Glossary, Kpi, LeadStage, Playbook, PlaybookMeta, Role

EXPORT_FORMAT = 1


def playbook_to_dict(playbook: Playbook) -> dict[str, Any]:
    def dump(model: Any) -> dict[str, Any]:
        return model.model_dump(mode="json")

    return {
        "format": EXPORT_FORMAT,
        "version": playbook.meta.version,
        "playbook": dump(playbook.meta),
        "roles": [dump(role) for role in playbook.roles.values()],
        "leads": [dump(lead) for lead in playbook.leads.values()],
        "kpis": [dump(kpi) for kpi in playbook.kpis.values()],
        "checklist": dump(playbook.checklist),
        "alignment": dump(playbook.alignment),
        "glossary": dump(playbook.glossary),
        "sources": [
            {"kind": kind, "id": entity_id, "path": path} for (kind, entity_id), path in sorted(playbook.sources.items())
        ],
    }


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
    )
