"""Typed models of the content format: the schema, declared once.

Validation (`load.py`), the JSON Schemas for editors (`export.py`) and the
format reference in the README all derive from these classes. No I/O here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"
ID_RE = re.compile(ID_PATTERN)

# The kinds of entity, the prefix used to link to one from text (`[AE](role:account-executive)`),
# and the file or folder each lives in.
KINDS: dict[str, str] = {
    "role": "roles",
    "lead": "leads",
    "kpi": "kpis",
    "step": "checklist",
    "stage": "alignment",
    "question": "alignment",
    "term": "glossary",
}
KIND_LABELS = {
    "role": "role",
    "lead": "lead stage",
    "kpi": "KPI",
    "step": "checklist step",
    "stage": "alignment stage",
    "question": "diagnostic statement",
    "term": "glossary term",
}

# --- text fields -------------------------------------------------------------

_HTML_RE = re.compile(r"<(?:/?[A-Za-z]|[!?])")  # what a browser would read as markup; `< 5` is text
# Possessive quantifiers and a target that stops at `[`/`]` keep this linear: a pull request cannot
# stall validation or the build with text such as "[](" repeated (catastrophic backtracking).
_LINK_RE = re.compile(r"\[((?:[^\[\]]++|\[[^\[\]]*+\])*+)\]\(\s*+([^)\s\[\]]*+)(?:\s++\"[^\"]*+\")?+\s*+\)")
_DANGEROUS_SCHEME_RE = re.compile(r"(?i)\b(?:javascript|vbscript)\s*:|\bdata:\S")
ENTITY_LINK_RE = re.compile(r"^(" + "|".join(KINDS) + r"):([^\s#]+)$")
# No quotes, angle brackets, backticks, braces, pipes or backslashes in a URL: each could end the link
# early in Markdown, open a code span or split a table cell. Percent-encode them instead.
_URL_CHARS = r"[^\s<>\"`{}|\\^\[\]\x00-\x1f\x7f]+"
_ALLOWED_URL_RE = re.compile(r"(?i)^(https?://" + _URL_CHARS + r"|mailto:" + _URL_CHARS + r")$")


def _excerpt(value: str, start: int) -> str:
    end = value.find(">", start)
    return value[start : end + 1] if 0 <= end - start < 40 else value[start : start + 20]


def check_text(value: str) -> str:
    """Refuse what a text field may never carry: raw HTML and unsafe links."""
    html = _HTML_RE.search(value)
    if html:
        raise PydanticCustomError(
            "raw_html",
            "raw HTML is not allowed in text (found `{found}`)",
            {
                "found": _excerpt(value, html.start()),
                "hint": "write plain text or Markdown: **bold**, *italics*, [text](https://...);"
                " for a link write [text](https://...) instead of <https://...>;"
                " to show a less-than sign put a space after it (`< 5 days`)",
            },
        )
    scheme = _DANGEROUS_SCHEME_RE.search(value)
    if scheme:
        raise PydanticCustomError(
            "unsafe_url",
            "`javascript:`, `vbscript:` and `data:` URLs are not allowed",
            {"found": scheme.group(), "hint": "link only to https://, http://, mailto: or another entity (`[text](role:id)`)"},
        )
    for match in _LINK_RE.finditer(value):
        target = match.group(2)
        if not (_ALLOWED_URL_RE.match(target) or ENTITY_LINK_RE.match(target)):
            hint = (
                'percent-encode the characters a URL may not hold as they are: ` as %60, " as %22,'
                " < as %3C, > as %3E, { as %7B, } as %7D, | as %7C, \\ as %5C, ^ as %5E"
                if re.match(r"(?i)(https?://|mailto:)", target)
                else "use https://..., http://..., mailto:... or a link to an entity such as"
                " [Account Executive](role:account-executive); kinds: " + ", ".join(KINDS)
            )
            raise PydanticCustomError("bad_link", "link target `{target}` is not allowed", {"target": target, "hint": hint})
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(check_text)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Handle = Annotated[
    str,
    StringConstraints(pattern=r"^(@[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?|[^@\s]+@[^@\s]+\.[^@\s]+)$"),
]
Status = Literal["draft", "proposed", "agreed", "retired"]
Function = Literal["marketing", "sales", "customer-success", "revenue-operations", "leadership"]
Unit = Literal["percent", "count", "currency", "hours", "days", "ratio", "score"]
Direction = Literal["higher", "lower"]
Period = Literal["week", "month", "quarter", "year"]
Cadence = Literal["weekly", "monthly", "quarterly", "yearly"]
StepCadence = Literal["weekly", "monthly", "quarterly", "yearly", "ongoing"]
PositiveNumber = Annotated[float, Field(gt=0)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # `.nan`, `.inf` are not numbers


class Governance(Model):
    """Fields every entity may carry."""

    status: Status = Field("agreed", description="draft | proposed | agreed | retired")
    approvers: list[Handle] = Field(
        default_factory=list, description="code-owner handles (@org/team, @user) or emails who approve a change"
    )
    review_by: date | None = Field(None, description="date (YYYY-MM-DD) after which the definition is stale")
    notes: str | None = Field(None, description="free text for editors; never shown to readers")


# --- playbook.yml ---------------------------------------------------------------


class AlignmentPosition(Model):
    current: Id | None = Field(None, description="alignment stage id: where the teams stand today")
    target: Id | None = Field(None, description="alignment stage id: where they aim to be")


class PlaybookMeta(Governance):
    """playbook.yml: the playbook itself."""

    title: Text = Field(description="site title")
    organization: Text = Field(description="whose playbook this is")
    summary: Text = Field(description="what the playbook is for, shown on the home page")
    alignment: AlignmentPosition = Field(default_factory=AlignmentPosition)
    version: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | None = Field(
        None, description="optional: the version label shown on the site and in exports (e.g. 2026-Q4)"
    )


# --- roles/<id>.yml ------------------------------------------------------------


class Role(Governance):
    """roles/<id>.yml: one role, who does what."""

    id: Id
    name: Text = Field(description="e.g. Sales Development Representative")
    abbreviation: Text | None = Field(None, description="e.g. SDR (unique across all abbreviations)")
    function: Function
    summary: Text = Field(description="one or two sentences")
    owns: Text | None = Field(None, description='the one thing this role owns ("the message")')
    responsibilities: list[Text] = Field(min_length=1, description="what the role does")
    not_responsible_for: list[Text] = Field(default_factory=list, description="explicit boundaries")
    reports_to: Id | None = Field(None, description="role id; no cycles")
    kpis: list[Id] = Field(default_factory=list, description="KPI ids this role is measured on")
    onboarding: list[Text] = Field(default_factory=list, description="first steps for a new hire")


# --- leads/<id>.yml ------------------------------------------------------------


class Handoff(Model):
    to: Id = Field(description="role id that receives the lead next")
    sla_hours: PositiveNumber = Field(description="hours the receiver has to act")


class LeadStage(Governance):
    """leads/<id>.yml: one lead-lifecycle stage."""

    id: Id
    name: Text = Field(description="e.g. Marketing Qualified Lead")
    abbreviation: Text | None = Field(None, description="e.g. MQL")
    order: Annotated[int, Field(ge=1, strict=True)] = Field(description="position in the funnel; unique")
    definition: Text
    owner: Id = Field(description="role id that works leads at this stage")
    entry_criteria: list[Text] = Field(min_length=1)
    exit_criteria: list[Text] = Field(default_factory=list)
    handoff: Handoff | None = None
    recycle_to: Id | None = Field(None, description="lead stage id rejected leads go back to")
    reason_codes: list[Text] = Field(default_factory=list, description="allowed reasons to reject or recycle")
    crm: dict[Annotated[str, StringConstraints(min_length=1)], Text] = Field(
        default_factory=dict, description="CRM field values, e.g. salesforce: MQL"
    )


# --- kpis/<id>.yml -------------------------------------------------------------


class Target(Model):
    value: float
    period: Period


class Kpi(Governance):
    """kpis/<id>.yml: one shared, unambiguous metric."""

    id: Id
    name: Text
    abbreviation: Text | None = None
    definition: Text = Field(description="what it measures, in words")
    formula: Text = Field(description="how it is computed")
    unit: Unit
    direction: Direction = Field(description="which way is better")
    owner: Id = Field(description="accountable role id")
    shared_with: list[Id] = Field(default_factory=list, description="role ids that share the number")
    target: Target | None = None
    cadence: Cadence | None = Field(None, description="how often it is reviewed together")
    stages: list[Id] = Field(default_factory=list, description="lead stage ids it measures")
    source: Text | None = Field(None, description="system of record")


# --- checklist.yml -------------------------------------------------------------


class ChecklistStep(Governance):
    id: Id
    title: Text
    description: Text
    owner: Id
    participants: list[Id] = Field(default_factory=list)
    cadence: StepCadence | None = None
    evidence: Text | None = None
    kpis: list[Id] = Field(default_factory=list)


class Checklist(Model):
    """checklist.yml: the alignment checklist."""

    steps: list[ChecklistStep] = Field(default_factory=list)


# --- alignment.yml -------------------------------------------------------------


class AlignmentStage(Governance):
    id: Id
    name: Text
    score: Annotated[list[Annotated[int, Field(strict=True)]], Field(min_length=2, max_length=2)] = Field(
        description="inclusive total-score band [low, high]"
    )
    description: Text
    signals: list[Text] = Field(default_factory=list)
    next_steps: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _band_in_order(self) -> AlignmentStage:
        if self.score[0] > self.score[1]:
            raise PydanticCustomError(
                "band_order",
                "score band [{low}, {high}] runs backwards",
                {"low": self.score[0], "high": self.score[1], "hint": "write the lower total first: [low, high]"},
            )
        return self


class Question(Governance):
    id: Id
    text: Text
    theme: Text | None = None


class Alignment(Model):
    """alignment.yml: the four relationship stages and the diagnostic."""

    stages: list[AlignmentStage] = Field(default_factory=list, description="lowest to highest")
    questions: list[Question] = Field(default_factory=list)


# --- glossary.yml --------------------------------------------------------------


class GlossaryTerm(Governance):
    id: Id
    term: Text
    abbreviation: Text | None = None
    definition: Text
    see_also: list[Annotated[str, StringConstraints(min_length=1)]] = Field(
        default_factory=list, description="ids of any entity (or kind:id when ambiguous)"
    )


class Glossary(Model):
    """glossary.yml: terms that are not roles, stages or KPIs."""

    terms: list[GlossaryTerm] = Field(default_factory=list)


# --- the whole playbook ----------------------------------------------------------

Entity = Role | LeadStage | Kpi | ChecklistStep | AlignmentStage | Question | GlossaryTerm


@dataclass
class Playbook:
    """The whole validated playbook. Collections keep the content's order
    (roles and KPIs by id, lead stages by `order`)."""

    meta: PlaybookMeta
    roles: dict[str, Role] = field(default_factory=dict)
    leads: dict[str, LeadStage] = field(default_factory=dict)
    kpis: dict[str, Kpi] = field(default_factory=dict)
    checklist: Checklist = field(default_factory=Checklist)
    alignment: Alignment = field(default_factory=Alignment)
    glossary: Glossary = field(default_factory=Glossary)
    # (kind, id) -> content-relative file path, for reports and CODEOWNERS
    sources: dict[tuple[str, str], str] = field(default_factory=dict)

    # The list kinds indexed by id, built once: a lookup per reference must not scan the list.
    _indexes: dict[str, tuple[list[Any], int, dict[str, Any]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def collection(self, kind: str) -> dict[str, Any]:
        """The entities of a kind by id (read-only: the list kinds' dictionaries are shared)."""
        if kind == "role":
            return self.roles
        if kind == "lead":
            return self.leads
        if kind == "kpi":
            return self.kpis
        if kind == "step":
            items: list[Any] = self.checklist.steps
        elif kind == "stage":
            items = self.alignment.stages
        elif kind == "question":
            items = self.alignment.questions
        elif kind == "term":
            items = self.glossary.terms
        else:
            raise KeyError(kind)
        cached = self._indexes.get(kind)
        if cached is None or cached[0] is not items or cached[1] != len(items):
            cached = (items, len(items), {item.id: item for item in items})
            self._indexes[kind] = cached
        return cached[2]

    def entities(self) -> list[tuple[str, Any]]:
        """Every entity as (kind, entity), in a stable order."""
        return [(kind, entity) for kind in KINDS for entity in self.collection(kind).values()]

    def find(self, ref: str) -> list[tuple[str, Any]]:
        """Resolve a `see_also` style reference: `id` in any kind, or `kind:id`."""
        match = ENTITY_LINK_RE.match(ref)
        if match:
            entity = self.collection(match.group(1)).get(match.group(2))
            return [(match.group(1), entity)] if entity is not None else []
        return [(kind, c[ref]) for kind in KINDS if ref in (c := self.collection(kind))]


def display_name(entity: Any) -> str:
    for attr in ("name", "title", "term"):
        value = getattr(entity, attr, None)
        if value:
            return str(value)
    return str(getattr(entity, "text", entity.id))


# The file kinds and their root model, in the order a reader meets them.
FILE_MODELS: dict[str, type[BaseModel]] = {
    "playbook": PlaybookMeta,
    "role": Role,
    "lead": LeadStage,
    "kpi": Kpi,
    "checklist": Checklist,
    "alignment": Alignment,
    "glossary": Glossary,
}
