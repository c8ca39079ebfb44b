"""Who relates to whom, computed once per render so that no page scans the whole playbook."""

from __future__ import annotations

from typing import Any

from ..content.refs import Backlinks
from ..content.schema import ChecklistStep, Playbook


class Relations:
    """The back-links the pages show: a role's direct reports, the KPIs it owns or shares, the lead
    stages it owns or receives, its checklist duties; a KPI's roles and steps; a stage's KPIs."""

    def __init__(self, playbook: Playbook) -> None:
        self.playbook = playbook
        links = Backlinks(playbook)
        self.reports = links.of("role", "reports_to")
        self.kpi_roles = links.of("role", "kpis")
        self.kpis_owned = links.of("kpi", "owner")
        self.kpis_shared = links.of("kpi", "shared_with")
        self.stage_kpis = links.of("kpi", "stages")
        self.stages_owned = links.of("lead", "owner")
        self.handoffs_in = links.of("lead", "handoff.to")
        self.steps_owned = links.of("step", "owner")
        self.steps_joined = links.of("step", "participants")
        self.kpi_steps = links.of("step", "kpis")
        self.handing_off = {lead.id for lead in playbook.leads.values() if lead.handoff is not None}
        self._step_order: dict[str, int] | None = None

    def roles_by_function(self) -> list[Any]:
        """Roles grouped by function in the navigation's order (Marketing, Sales, ...), then by name."""
        order = {function: index for index, function in enumerate(self.playbook.functions())}
        return sorted(self.playbook.roles.values(), key=lambda role: (order.get(role.function, len(order)), role.name.lower()))

    def role_steps(self, role_id: str) -> list[ChecklistStep]:
        """The checklist steps a role owns or takes part in, in checklist order (no scan of every step)."""
        ids = set(self.steps_owned[role_id]) | set(self.steps_joined[role_id])
        if not ids:
            return []
        order = self.step_order()
        return [self.playbook.checklist.steps[order[step_id]] for step_id in sorted(ids, key=order.__getitem__)]

    def step_order(self) -> dict[str, int]:
        """Each checklist step's place in the checklist, by id (found once)."""
        if self._step_order is None:
            self._step_order = {step.id: index for index, step in enumerate(self.playbook.checklist.steps)}
        return self._step_order

    def role_kpis(self, role_id: str) -> list[tuple[str, str]]:
        """(kpi id, relation) for a role: measured on, owns, shares; each KPI once."""
        role = self.playbook.roles[role_id]
        relation: dict[str, str] = {}
        for kpi_id in role.kpis:
            relation[kpi_id] = "measured on"
        for kpi_id in self.kpis_owned[role_id]:
            relation[kpi_id] = "owns" if kpi_id not in relation else "owns, measured on"
        for kpi_id in self.kpis_shared[role_id]:
            relation.setdefault(kpi_id, "shares")
        return sorted(relation.items(), key=lambda item: self.playbook.kpis[item[0]].name.lower())
