"""The responsibility matrix: checklist steps and lead stages (rows) against roles (columns).

A playbook of up to `COLUMNS` roles gets one matrix. A larger one gets a matrix per group of at
most `COLUMNS` roles (by function, then alphabetically), each with only the rows in which one of its
roles is named: no page grows as roles times rows, and together they hold every cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..content.schema import ChecklistStep, LeadStage, Playbook, Role
from .relations import Relations

COLUMNS = 40
PAGE = "responsibilities.md"


@dataclass(frozen=True)
class Part:
    path: str  # docs-relative page
    title: str  # "" for the one matrix of a small playbook
    roles: tuple[Role, ...]
    steps: tuple[ChecklistStep, ...]
    leads: tuple[LeadStage, ...]


def cell(row: ChecklistStep | LeadStage, role: Role) -> str:
    """ "A" (accountable), "R" (responsible) or "R 24 h" (receives the hand-off within 24 hours, with
    no-break spaces), or ""."""
    if row.owner == role.id:
        return "A"
    if isinstance(row, ChecklistStep):
        return "R" if role.id in row.participants else ""
    if row.handoff is not None and row.handoff.to == role.id:
        from ..text import format_number

        return f"R\u00a0{format_number(row.handoff.sla_hours)}\u00a0h"  # kept on one line
    return ""


def parts(playbook: Playbook, relations: Relations) -> list[Part]:
    """The matrices of a playbook, in the navigation's order of functions."""
    roles = relations.roles_by_function()
    steps, leads = tuple(playbook.checklist.steps), tuple(playbook.leads.values())
    if len(roles) <= COLUMNS:
        return [Part(PAGE, "", tuple(roles), steps, leads)]
    found: list[Part] = []
    for function in playbook.functions().values():
        members = [role for role in roles if role.function == function.id]
        chunks = [members[start : start + COLUMNS] for start in range(0, len(members), COLUMNS)]
        for number, chunk in enumerate(chunks, start=1):
            ids = {role.id for role in chunk}
            suffix = f"-{number}" if len(chunks) > 1 else ""
            title = function.name if len(chunks) == 1 else f"{function.name}: {chunk[0].name} – {chunk[-1].name}"
            found.append(
                Part(
                    f"responsibilities/{function.id}{suffix}.md",
                    title,
                    tuple(chunk),
                    tuple(step for step in steps if step.owner in ids or ids.intersection(step.participants)),
                    tuple(lead for lead in leads if lead.owner in ids or (lead.handoff is not None and lead.handoff.to in ids)),
                )
            )
    return found
