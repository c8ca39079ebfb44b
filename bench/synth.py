"""Synthetic playbooks in the content format, at any size, for the benchmark.

The shapes follow a large company's playbook: roles in five functions with
`reports_to` trees (one chief, a head per function, managers below), KPIs owned
and shared by roles and tied to lead stages, a funnel of lead stages with
hand-offs and recycling, a checklist whose steps name participants and KPIs, the
four alignment stages with a 20-statement diagnostic, and a glossary whose
`see_also` points at every kind. Text fields carry Markdown emphasis, entity links
and abbreviations as real content does. The same (size, seed) always gives the
same files, and every playbook is valid under `playbook validate`.
"""

from __future__ import annotations

import random
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

FUNCTIONS = {  # share of the roles, job titles (with their usual abbreviation, if any)
    "sales": (
        0.40,
        [
            ("Account Executive", "AE"),
            ("Sales Development Representative", "SDR"),
            ("Business Development Representative", "BDR"),
            ("Sales Engineer", "SE"),
            ("Sales Manager", ""),
            ("Channel Account Manager", "CAM"),
            ("Partner Sales Manager", ""),
        ],
    ),
    "marketing": (
        0.25,
        [
            ("Demand Generation Manager", ""),
            ("Product Marketing Manager", "PMM"),
            ("Field Marketing Manager", "FMM"),
            ("Content Marketing Manager", ""),
            ("Marketing Operations Specialist", ""),
            ("Event Marketing Manager", ""),
        ],
    ),
    "customer-success": (
        0.20,
        [
            ("Customer Success Manager", "CSM"),
            ("Onboarding Specialist", ""),
            ("Renewals Manager", ""),
            ("Technical Account Manager", "TAM"),
        ],
    ),
    "revenue-operations": (
        0.10,
        [
            ("Revenue Operations Analyst", ""),
            ("Sales Operations Manager", ""),
            ("CRM Administrator", ""),
            ("Deal Desk Specialist", ""),
        ],
    ),
    "leadership": (
        0.05,
        [
            ("Vice President", "VP"),
            ("Regional Director", "RD"),
            ("Head of Strategy", ""),
        ],
    ),
}
HEADS = {
    "sales": "Vice President of Sales",
    "marketing": "Vice President of Marketing",
    "customer-success": "Vice President of Customer Success",
    "revenue-operations": "Head of Revenue Operations",
}
REGIONS = [
    "Benelux", "Nordics", "DACH", "Iberia", "France", "Italy", "UK and Ireland", "Poland", "Baltics",
    "Canada", "US East", "US West", "US Central", "Brazil", "Mexico", "Andean", "Japan", "Korea",
    "India", "ANZ", "Singapore", "Gulf", "Israel", "South Africa", "Turkey", "Central Europe",
]  # fmt: skip
SEGMENTS = ["Enterprise", "Mid-Market", "Commercial", "Strategic", "Public Sector", "Startups"]
METRICS = [
    ("conversion rate", "percent", "higher"),
    ("pipeline created", "currency", "higher"),
    ("response time", "hours", "lower"),
    ("win rate", "percent", "higher"),
    ("sales cycle length", "days", "lower"),
    ("meetings booked", "count", "higher"),
    ("net revenue retention", "percent", "higher"),
    ("customer satisfaction", "score", "higher"),
    ("cost per opportunity", "currency", "lower"),
    ("pipeline coverage", "ratio", "higher"),
    ("churned accounts", "count", "lower"),
    ("time to first value", "days", "lower"),
]
STAGE_NAMES = [
    ("Inquiry", "INQ"), ("Marketing Qualified Lead", "MQL"), ("Sales Accepted Lead", "SAL"),
    ("Sales Qualified Lead", "SQL"), ("Opportunity", "OPP"), ("Customer", "CUS"),
]  # fmt: skip
CADENCES = ["weekly", "monthly", "quarterly", "yearly"]
PERIODS = ["week", "month", "quarter", "year"]
WORDS = (
    "pipeline account territory forecast campaign persona segment partner renewal expansion handoff "
    "qualification discovery proposal contract onboarding adoption churn health score playbook "
    "sequence cadence intent signal webinar event content nurture routing scoring attribution quota"
).split()


@dataclass
class Counts:
    roles: int
    leads: int
    kpis: int
    steps: int
    stages: int
    questions: int
    terms: int

    @property
    def total(self) -> int:
        return self.roles + self.leads + self.kpis + self.steps + self.stages + self.questions + self.terms


def counts_for(entities: int) -> Counts:
    """How `entities` split into kinds: mostly roles and KPIs, as in a large company."""
    stages, questions = 4, 20
    leads = max(5, round(entities * 0.01))
    steps = max(10, round(entities * 0.02))
    terms = max(5, round(entities * 0.08))
    rest = max(4, entities - stages - questions - leads - steps - terms)
    roles = max(len(HEADS) + 1, round(rest * 0.45))
    kpis = max(1, rest - roles)
    return Counts(roles, leads, kpis, steps, stages, questions, terms)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def q(text: str) -> str:
    """A YAML double-quoted scalar (the texts carry `:` and `#`)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class _Names:
    """Unique ids across every kind (so `see_also` needs no `kind:` prefix) and unique abbreviations."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.abbreviations: set[str] = set()

    def id_for(self, name: str) -> str:
        base = slug(name)
        candidate, n = base, 2
        while candidate in self.ids:
            candidate, n = f"{base}-{n}", n + 1
        self.ids.add(candidate)
        return candidate

    def abbreviation(self, stem: str) -> str:
        candidate, n = stem, 2
        while candidate.casefold() in self.abbreviations:
            candidate, n = f"{stem}{n}", n + 1
        self.abbreviations.add(candidate.casefold())
        return candidate


def _sentence(rng: random.Random, words: int = 8) -> str:
    chosen = rng.sample(WORDS, words)
    return chosen[0].capitalize() + " " + " ".join(chosen[1:]) + "."


def _block(lines: list[str]) -> str:
    return "\n".join(lines) + "\n"


def _list(name: str, items: list[str]) -> list[str]:
    return [f"{name}:"] + [f"  - {q(item)}" for item in items] if items else []


def generate(root: Path, entities: int, *, seed: int = 8) -> Counts:
    """Write a content directory with about `entities` entities into `root` (created, must be empty)."""
    rng = random.Random(seed)
    counts = counts_for(entities)
    names = _Names()
    root.mkdir(parents=True, exist_ok=True)
    for folder in ("roles", "leads", "kpis"):
        (root / folder).mkdir(exist_ok=True)

    # --- roles: a chief, a head per function, then members reporting to someone earlier in their function
    role_ids: list[str] = []
    role_name: dict[str, str] = {}
    role_function: dict[str, str] = {}
    by_function: dict[str, list[str]] = {function: [] for function in FUNCTIONS}
    plan: list[tuple[str, str, str, str | None]] = []  # (name, abbreviation stem, function, reports_to)
    role_rows: list[tuple[str, str, str, str, str | None]] = []  # (id, name, abbreviation, function, reports_to)
    plan.append(("Chief Revenue Officer", "CRO", "leadership", None))
    for function, head in HEADS.items():
        plan.append((head, "", function, "chief-revenue-officer"))
    weights = [share for share, _titles in FUNCTIONS.values()]
    taken: dict[str, int] = {}  # names are unique, as in a real playbook: "Account Executive, Japan 2"
    for _ in range(counts.roles - len(plan)):
        function = rng.choices(list(FUNCTIONS), weights)[0]
        title, stem = rng.choice(FUNCTIONS[function][1])
        where = rng.choice(REGIONS) if rng.random() < 0.7 else rng.choice(SEGMENTS)
        name = f"{title}, {where}"
        taken[name] = taken.get(name, 0) + 1
        plan.append((name if taken[name] == 1 else f"{name} {taken[name]}", stem if rng.random() < 0.4 else "", function, ""))
    for name, stem, function, reports_to in plan:
        role_id = names.id_for(name)
        role_ids.append(role_id)
        role_name[role_id] = name
        role_function[role_id] = function
        members = by_function[function]
        if reports_to == "":  # a member: reports to someone already in the function (a random recursive tree)
            reports_to = rng.choice(members) if members else "chief-revenue-officer"
        members.append(role_id)
        role_rows.append((role_id, name, names.abbreviation(stem + str(len(role_ids))) if stem else "", function, reports_to))

    # --- lead stages: the funnel, repeated per region when there are many
    lead_ids: list[str] = []
    lead_rows = []
    for index in range(counts.leads):
        base, stem = STAGE_NAMES[index % len(STAGE_NAMES)]
        cycle = index // len(STAGE_NAMES)
        name = base if cycle == 0 else f"{base}, {REGIONS[(cycle - 1) % len(REGIONS)]} {cycle}"
        lead_id = names.id_for(name)
        lead_ids.append(lead_id)
        lead_rows.append((lead_id, name, names.abbreviation(stem if cycle == 0 else f"{stem}{cycle}"), index + 1))

    # --- KPIs
    kpi_ids: list[str] = []
    kpi_rows = []
    for index in range(counts.kpis):
        metric, unit, direction = METRICS[index % len(METRICS)]
        scope = rng.choice(REGIONS + SEGMENTS)
        name = f"{scope} {metric}" if index >= len(METRICS) else metric.capitalize()
        kpi_id = names.id_for(name)
        kpi_ids.append(kpi_id)
        short = (
            names.abbreviation("K" + "".join(w[0] for w in name.split()[:3]).upper() + str(index)) if rng.random() < 0.3 else ""
        )
        kpi_rows.append((kpi_id, name, short, unit, direction))

    step_ids = [names.id_for(f"{rng.choice(WORDS)} review {n + 1}") for n in range(counts.steps)]
    term_ids = [names.id_for(f"{rng.choice(WORDS)} term {n + 1}") for n in range(counts.terms)]
    stage_ids = ["undefined", "defined", "aligned", "integrated"]
    names.ids.update(stage_ids)

    def role_link() -> str:
        role_id = rng.choice(role_ids)
        return f"[{role_name[role_id]}](role:{role_id})"

    # --- write roles
    kpis_measuring: dict[str, list[str]] = {}
    for role_id, name, short, function, reports_to in role_rows:
        lines = [
            "# yaml-language-server: $schema=../../schema/role.schema.json",
            f"name: {q(name)}",
        ]
        if short:
            lines.append(f"abbreviation: {short}")
        lines += [
            f"function: {function}",
            "summary: >-",
            *textwrap.wrap(
                f"Owns the {rng.choice(WORDS)} and the {rng.choice(WORDS)} for this team. Works closely with the"
                f" {role_link()} and keeps the **{lead_rows[0][2]}** hand-off on time.",
                76,
                initial_indent="  ",
                subsequent_indent="  ",
                break_on_hyphens=False,  # a break inside `role:a-b` makes the target `role:a- b`: no link at all
                break_long_words=False,
            ),
            f"owns: {q('the ' + rng.choice(WORDS))}",
        ]
        lines += _list("responsibilities", [_sentence(rng, rng.randint(6, 12)) for _ in range(rng.randint(3, 7))])
        lines += _list("not_responsible_for", [_sentence(rng, 7) for _ in range(rng.randint(0, 3))])
        if reports_to:
            lines.append(f"reports_to: {reports_to}")
        measured = rng.sample(kpi_ids, min(len(kpi_ids), rng.randint(0, 4)))
        for kpi_id in measured:
            kpis_measuring.setdefault(kpi_id, []).append(role_id)
        lines += [f"kpis: [{', '.join(measured)}]"] if measured else []
        if rng.random() < 0.5:
            lines += _list("onboarding", [_sentence(rng, 9) for _ in range(rng.randint(3, 5))])
        if rng.random() < 0.2:
            lines += ["approvers:", f'  - "@acme/{function}-leads"']
        if rng.random() < 0.1:
            lines.append("status: proposed")
        if rng.random() < 0.2:
            lines.append("review_by: 2030-06-30")
        (root / "roles" / f"{role_id}.yml").write_text(_block(lines), encoding="utf-8")

    # --- write lead stages
    for position, (lead_id, name, short, order) in enumerate(lead_rows):
        lines = [
            f"name: {q(name)}",
            f"abbreviation: {short}",
            f"order: {order}",
            f"definition: {q(f'A lead that meets the {rng.choice(WORDS)} criteria; worked by the {role_link()}.')}",
            f"owner: {rng.choice(role_ids)}",
        ]
        lines += _list("entry_criteria", [_sentence(rng) for _ in range(rng.randint(2, 4))])
        lines += _list("exit_criteria", [_sentence(rng) for _ in range(rng.randint(0, 2))])
        if position + 1 < len(lead_rows):
            lines += ["handoff:", f"  to: {rng.choice(role_ids)}", f"  sla_hours: {rng.choice([4, 8, 24, 48])}"]
        if position > 0 and rng.random() < 0.5:
            lines.append(f"recycle_to: {lead_rows[rng.randrange(position)][0]}")
        lines += _list("reason_codes", [f"{w.capitalize()} not confirmed" for w in rng.sample(WORDS, rng.randint(0, 3))])
        lines += ["crm:", f"  salesforce: {q(name)}", f"  hubspot: {slug(name).replace('-', '')}"]
        (root / "leads" / f"{lead_id}.yml").write_text(_block(lines), encoding="utf-8")

    # --- write KPIs
    for kpi_id, name, short, unit, direction in kpi_rows:
        lines = [f"name: {q(name)}"]
        if short:
            lines.append(f"abbreviation: {short}")
        stage_refs = rng.sample(lead_ids, rng.randint(0, min(2, len(lead_ids))))
        lines += [
            f"definition: {q(f'How the {name.lower()} moves, per {rng.choice(PERIODS)}, for leads past {lead_rows[1][2]}.')}",
            f"formula: {q(f'({rng.choice(WORDS)} in the period) ÷ ({rng.choice(WORDS)} in the period) × 100')}",
            f"unit: {unit}",
            *(["currency: EUR"] if unit == "currency" else []),
            f"direction: {direction}",
            f"owner: {rng.choice(role_ids)}",
        ]
        shared = rng.sample(role_ids, rng.randint(0, 3))
        lines += [f"shared_with: [{', '.join(shared)}]"] if shared else []
        if rng.random() < 0.8:
            lines += ["target:", f"  value: {rng.randint(5, 95)}", f"  period: {rng.choice(PERIODS)}"]
        lines.append(f"cadence: {rng.choice(CADENCES)}")
        lines += [f"stages: [{', '.join(stage_refs)}]"] if stage_refs else []
        lines.append(f"source: {q('CRM ' + rng.choice(WORDS) + ' report')}")
        (root / "kpis" / f"{kpi_id}.yml").write_text(_block(lines), encoding="utf-8")

    # --- checklist
    lines = ["steps:"]
    for step_id in step_ids:
        lines += [
            f"  - id: {step_id}",
            f"    title: {q(step_id.replace('-', ' ').capitalize())}",
            f"    description: {q(f'Review the {rng.choice(WORDS)} together with the {role_link()} and agree actions.')}",
            f"    owner: {rng.choice(role_ids)}",
            f"    participants: [{', '.join(rng.sample(role_ids, min(len(role_ids), rng.randint(2, 6))))}]",
            f"    cadence: {rng.choice(CADENCES + ['ongoing'])}",
            f"    evidence: {q('A decision log in the shared ' + rng.choice(WORDS) + ' folder.')}",
            f"    kpis: [{', '.join(rng.sample(kpi_ids, min(len(kpi_ids), rng.randint(1, 3))))}]",
        ]
    (root / "checklist.yml").write_text(_block(lines), encoding="utf-8")

    # --- alignment: four stages, 20 statements (totals 20 to 100)
    bands = {"undefined": (20, 39), "defined": (40, 59), "aligned": (60, 79), "integrated": (80, 100)}
    lines = ["stages:"]
    for stage_id, (low, high) in bands.items():
        lines += [
            f"  - id: {stage_id}",
            f"    name: {stage_id.capitalize()}",
            f"    score: [{low}, {high}]",
            f"    description: {q(_sentence(rng, 10))}",
            "    signals:",
            *[f"      - {q(_sentence(rng))}" for _ in range(3)],
            "    next_steps:",
            *[f"      - {q(_sentence(rng))}" for _ in range(3)],
        ]
    lines.append("questions:")
    for n in range(counts.questions):
        lines += [f"  - id: statement-{n + 1}", f"    text: {q(_sentence(rng, 9))}", f"    theme: {rng.choice(WORDS)}"]
    (root / "alignment.yml").write_text(_block(lines), encoding="utf-8")

    # --- glossary
    every = role_ids + lead_ids + kpi_ids + step_ids + term_ids
    lines = ["terms:"]
    for term_id in term_ids:
        lines += [
            f"  - id: {term_id}",
            f"    term: {q(term_id.replace('-', ' ').capitalize())}",
        ]
        if rng.random() < 0.5:
            lines.append(f"    abbreviation: {names.abbreviation('T' + term_id[:3].upper())}")
        lines += [
            f"    definition: {q(f'What we mean by {term_id.split(chr(45))[0]}: ' + _sentence(rng, 10))}",
            f"    see_also: [{', '.join(rng.sample(every, 3))}]",
        ]
    (root / "glossary.yml").write_text(_block(lines), encoding="utf-8")

    (root / "playbook.yml").write_text(
        _block(
            [
                f"title: {q(f'Synthetic Playbook ({counts.total} entities)')}",
                "organization: Acme Benchmarks",
                f"summary: {q('A generated playbook for measuring build and validation times.')}",
                "alignment:",
                "  current: defined",
                "  target: aligned",
                "approvers:",
                '  - "@acme/revenue-leadership"',
            ]
        ),
        encoding="utf-8",
    )
    return counts
