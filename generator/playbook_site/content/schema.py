"""The content format as typed models: the schema, declared once.

Each field carries a `Meta` beside its type: the label people read, what it
refers to, whether changing it alters an agreed definition, whether readers see
it. Validation (the loader), the editors' JSON Schemas, the format reference,
the change report, the CSV columns, the reference checks and the release
checks all read these declarations. No I/O here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, overload

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from .kinds import KIND_NAMES, KINDS
from .markup import ENTITY_LINK_RE, check_text
from .periods import FIRST_DAY, HORIZON, LAST_DAY, Result, SurveyRound
from .repository import HostKind, Proposals, check_branch, check_parts, check_url, recognised
from .units import Unit

ID_PATTERN = r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"

DEFINITION, MINOR = "definition", "minor"  # what a change to a field does: alters an agreed definition, or wording


@dataclass(frozen=True)
class Meta:
    """What a field is, for everything derived from the schema.

    `shape` says how a value reads in a report: name | text (prose, shown as a word diff) | short |
    enum | ref | refs | texts | handles | number | target | band | date | mapping (compared key by
    key). `ref` is the kind a
    reference points to ("*": any kind, as in `see_also`). `noun` names one and several list
    items; `gains`/`loses` phrase a reference list's change ("now measured on {items}").
    """

    label: str
    shape: str = "short"
    impact: str = DEFINITION
    reader: bool = True  # shown to readers (site, "What changed"); False for approvers, notes, review dates
    ref: str = ""
    noun: tuple[str, str] = ("item", "items")
    gains: str = ""
    loses: str = ""
    unit: tuple[str, str] = ("", "")  # numbers: singular, plural
    values: Mapping[str, str] = field(default_factory=dict)  # enums: value -> label
    used_by: str = ""  # a reference, named from the side of what it points to: "roles reporting to it"


def meta_of(model: type[BaseModel], name: str) -> Meta | None:
    """The `Meta` declared with a field, None for a field without one."""
    info = model.model_fields.get(name)
    if info is None:
        return None
    return next((item for item in info.metadata if isinstance(item, Meta)), None)


# --- value types and their labels -----------------------------------------------------------------

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(check_text)]
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Handle = Annotated[
    str,
    StringConstraints(
        pattern=r"^(@[A-Za-z0-9][A-Za-z0-9_.-]*(/[A-Za-z0-9][A-Za-z0-9_.-]*)?|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+)$"
    ),
]
# A label shown as it is (a version, a CRM system's name): no Markdown, and no HTML either.
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(check_text)]
Status = Literal["draft", "proposed", "agreed", "retired"]
Direction = Literal["higher", "lower"]
Period = Literal["week", "month", "quarter", "year"]
Cadence = Literal["weekly", "monthly", "quarterly", "yearly"]
StepCadence = Literal["weekly", "monthly", "quarterly", "yearly", "ongoing"]
PositiveNumber = Annotated[float, Field(gt=0)]


def within_horizon(value: date) -> date:
    """A date between FIRST_DAY and LAST_DAY (periods.py); refused otherwise, before anything is computed from it."""
    if FIRST_DAY <= value <= LAST_DAY:
        return value
    side = "before" if value < FIRST_DAY else "beyond"
    raise PydanticCustomError(
        "date_horizon",
        "`{day}` is {side} the dates a playbook holds",
        {"day": value.isoformat(), "side": side, "hint": f"check the year: write a date between {HORIZON}, e.g. 2027-03-31"},
    )


Day = Annotated[date, AfterValidator(within_horizon)]  # (a field named `date` needs the type under another name)

# The functions a playbook has when playbook.yml names none, with the colours the funnel uses for them.
BUILTIN_FUNCTIONS = {
    "marketing": ("Marketing", "#1565c0"),
    "sales": ("Sales", "#e65100"),
    "customer-success": ("Customer Success", "#2e7d32"),
    "revenue-operations": ("Revenue Operations", "#6a1b9a"),
    "leadership": ("Leadership", "#37474f"),
}
DIRECTION_LABELS = {"higher": "higher is better", "lower": "lower is better"}
CADENCE_LABELS: dict[StepCadence, str] = {
    "weekly": "weekly",
    "monthly": "monthly",
    "quarterly": "quarterly",
    "yearly": "yearly",
    "ongoing": "ongoing",
}


class Model(BaseModel):
    # `.nan`, `.inf` are not numbers. A model's validator is built when it first validates (not at
    # import): a `validate` whose files all come from the cache builds none.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


class Governance(Model):
    """Fields every entity may carry."""

    status: Annotated[Status, Meta("status", "enum")] = Field("agreed", description="draft | proposed | agreed | retired")
    approvers: Annotated[list[Handle], Meta("approvers", "handles", reader=False, noun=("approver", "approvers"))] = Field(
        default_factory=list, description="code-owner handles (@org/team, @user) or emails who approve a change"
    )
    review_by: Annotated[Day | None, Meta("review date", "date", MINOR, reader=False)] = Field(
        None, description="date (YYYY-MM-DD) after which the definition is stale"
    )
    notes: Annotated[Annotated[str, AfterValidator(check_text)] | None, Meta("editor notes", "text", MINOR, reader=False)] = (
        Field(None, description="free text for editors; never shown to readers")
    )


GOVERNANCE_FIELDS = tuple(Governance.model_fields)


def _texts(label: str, singular: str, plural: str, impact: str = DEFINITION) -> Meta:
    return Meta(label, "texts", impact, noun=(singular, plural))


# --- playbook.yml ---------------------------------------------------------------


class AlignmentPosition(Model):
    current: Annotated[Id | None, Meta("current alignment stage", "ref", ref="stage")] = Field(
        None, description="alignment stage id: where the teams stand today"
    )
    target: Annotated[Id | None, Meta("target alignment stage", "ref", ref="stage")] = Field(
        None, description="alignment stage id: where they aim to be"
    )


class FunctionDef(Model):
    """One of the organization's functions (teams): roles are grouped and coloured by it."""

    id: Id = Field(description="the function's id, used in a role's `function`")
    name: Text = Field(description="e.g. Partnerships")
    colour: Annotated[str, StringConstraints(pattern=r"^#[0-9a-fA-F]{6}$")] | None = Field(
        None, description="a colour as #rrggbb, for the funnel (a readable one is chosen when left out)"
    )


class Repository(Model):
    """Where the playbook's files are kept: each entity's page links to its file in the host's web
    editor and to a new issue that names it. The addresses are built from this; nothing asks the host."""

    url: Annotated[str, AfterValidator(check_url), Meta("repository address", "short", MINOR, reader=False)] = Field(
        description="the repository's web address: https://github.com/ORG/REPO or https://gitlab.com/GROUP/PROJECT"
        " (https only, no user name or token)"
    )
    branch: Annotated[str, AfterValidator(check_branch), Meta("repository branch", "short", MINOR, reader=False)] = Field(
        "main", description="the branch that holds the agreed playbook (default main)"
    )
    host: Annotated[HostKind | None, Meta("kind of host", "enum", MINOR, reader=False)] = Field(
        None,
        description="github | gitlab: needed only when the address does not say (GitHub Enterprise, a self-hosted GitLab)",
    )

    @model_validator(mode="after")
    def _kind_known(self) -> Repository:
        kind = self.host or recognised(self.url)
        if kind is None:
            raise PydanticCustomError(
                "bad_repository",
                "the address `{address}` does not say whether the host is GitHub or GitLab",
                {"address": self.url, "hint": "add `host: github` or `host: gitlab` under `repository:`"},
            )
        check_parts(self.url, kind)
        return self

    @property
    def proposals(self) -> Proposals:
        return Proposals(self.url, self.branch, self.host or recognised(self.url) or "")


class PlaybookMeta(Governance):
    """playbook.yml: the playbook itself."""

    title: Annotated[Text, Meta("title", "short", MINOR)] = Field(description="site title")
    organization: Annotated[Text, Meta("organization", "short", MINOR)] = Field(description="whose playbook this is")
    summary: Annotated[Text, Meta("summary", "text", MINOR)] = Field(
        description="what the playbook is for, shown on the home page"
    )
    alignment: AlignmentPosition = Field(default_factory=AlignmentPosition)
    version: Annotated[Label | None, Meta("version", "short", MINOR)] = Field(
        None, description="optional: the version label shown on the site and in exports (e.g. 2026-Q4)"
    )
    approvers: Annotated[
        list[Handle],
        Meta("default approvers", "handles", reader=False, noun=("default approver", "default approvers")),
    ] = Field(default_factory=list, description="code-owner handles (@org/team, @user) or emails who approve a change")
    survey_min_group: Annotated[int, Field(ge=2, le=1000, strict=True), Meta("fewest respondents shown", "number", MINOR)] = (
        Field(
            5,
            description="the fewest respondents (or answers to a statement) a group of the team survey needs before its numbers are shown",
        )
    )
    functions: Annotated[list[FunctionDef], Meta("functions", "functions", noun=("function", "functions"))] = Field(
        default_factory=list,
        description="the organization's functions (id, name, optional colour); replaces the five built-in ones when present",
    )
    repository: Annotated[Repository | None, Meta("repository", "repository", MINOR, reader=False)] = Field(
        None,
        description='optional: where the files are kept (`url`, `branch`, `host`), for the pages\' "Edit this definition"'
        ' and "Suggest a change" links',
    )


# --- roles/<id>.yml ------------------------------------------------------------


class Role(Governance):
    """roles/<id>.yml: one role, who does what."""

    id: Id
    name: Annotated[Text, Meta("name", "name", MINOR)] = Field(description="e.g. Sales Development Representative")
    abbreviation: Annotated[Text | None, Meta("abbreviation")] = Field(
        None, description="e.g. SDR (unique across all abbreviations)"
    )
    function: Annotated[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)], Meta("function", "function")] = (
        Field(
            description="a function id: marketing, sales, customer-success, revenue-operations, leadership, or one of playbook.yml's `functions`"
        )
    )
    summary: Annotated[Text, Meta("summary", "text", MINOR)] = Field(description="one or two sentences")
    owns: Annotated[Text | None, Meta("what it owns")] = Field(None, description='the one thing this role owns ("the message")')
    responsibilities: Annotated[list[Text], _texts("responsibilities", "responsibility", "responsibilities")] = Field(
        min_length=1, description="what the role does"
    )
    not_responsible_for: Annotated[list[Text], _texts("not responsible for", "boundary", "boundaries")] = Field(
        default_factory=list, description="explicit boundaries"
    )
    reports_to: Annotated[Id | None, Meta("reports to", "ref", ref="role", used_by="roles reporting to it")] = Field(
        None, description="role id; no cycles"
    )
    kpis: Annotated[
        list[Id],
        Meta(
            "KPIs it is measured on",
            "refs",
            ref="kpi",
            used_by="roles measured on it",
            noun=("KPI", "KPIs"),
            gains="now measured on {items}",
            loses="no longer measured on {items}",
        ),
    ] = Field(default_factory=list, description="KPI ids this role is measured on")
    onboarding: Annotated[list[Text], _texts("onboarding steps", "onboarding step", "onboarding steps", MINOR)] = Field(
        default_factory=list, description="first steps for a new hire"
    )
    channel: Annotated[Text | None, Meta("where to ask", "short", MINOR)] = Field(
        None, description="where a new colleague asks this role's questions, e.g. #sales-emea in Slack"
    )


# --- leads/<id>.yml ------------------------------------------------------------


class Handoff(Model):
    to: Annotated[Id, Meta("hand-off to", "ref", ref="role", used_by="lead stages handed off to it")] = Field(
        description="role id that receives the lead next"
    )
    sla_hours: Annotated[PositiveNumber, Meta("hand-off SLA", "number", unit=("hour", "hours"))] = Field(
        description="hours the receiver has to act"
    )


class LeadStage(Governance):
    """leads/<id>.yml: one lead-lifecycle stage."""

    id: Id
    name: Annotated[Text, Meta("name", "name", MINOR)] = Field(description="e.g. Marketing Qualified Lead")
    abbreviation: Annotated[Text | None, Meta("abbreviation")] = Field(None, description="e.g. MQL")
    order: Annotated[int, Field(ge=1, strict=True), Meta("funnel position", "number")] = Field(
        description="position in the funnel; unique"
    )
    definition: Annotated[Text, Meta("definition", "text", MINOR)] = Field(description="what a lead at this stage is")
    owner: Annotated[Id, Meta("owner", "ref", ref="role", used_by="lead stages it owns")] = Field(
        description="role id that works leads at this stage"
    )
    entry_criteria: Annotated[list[Text], _texts("entry criteria", "entry criterion", "entry criteria")] = Field(
        min_length=1, description="what must be true for a lead to enter this stage"
    )
    exit_criteria: Annotated[list[Text], _texts("exit criteria", "exit criterion", "exit criteria")] = Field(
        default_factory=list, description="what must be true for it to leave"
    )
    handoff: Handoff | None = None
    recycle_to: Annotated[Id | None, Meta("recycled to", "ref", ref="lead", used_by="lead stages recycled to it")] = Field(
        None, description="lead stage id rejected leads go back to"
    )
    reason_codes: Annotated[list[Text], _texts("reason codes", "reason code", "reason codes")] = Field(
        default_factory=list, description="allowed reasons to reject or recycle"
    )
    crm: Annotated[dict[Label, Text], Meta("CRM value", "mapping")] = Field(
        default_factory=dict, description="CRM field values, e.g. salesforce: MQL"
    )

    csv_columns: ClassVar[tuple[str, ...]] = (
        "order",
        "id",
        "name",
        "abbreviation",
        "status",
        "definition",
        "owner",
        "handoff.to",
        "handoff.sla_hours",
        "recycle_to",
        "entry_criteria",
        "exit_criteria",
        "reason_codes",
    )


# --- kpis/<id>.yml -------------------------------------------------------------


class Target(Model):
    value: float = Field(description="the agreed target, in the KPI's unit (a percent as 18.5)")
    period: Period | None = Field(
        None, description="the period a cumulative target counts over; leave out for rates, medians and ratios"
    )


class Kpi(Governance):
    """kpis/<id>.yml: one shared, unambiguous metric."""

    id: Id
    name: Annotated[Text, Meta("name", "name", MINOR)] = Field(description="e.g. Win rate")
    abbreviation: Annotated[Text | None, Meta("abbreviation")] = Field(
        None, description="e.g. CAC (unique across all abbreviations)"
    )
    definition: Annotated[Text, Meta("definition", "text", MINOR)] = Field(description="what it measures, in words")
    formula: Annotated[Text, Meta("formula", "text")] = Field(description="how it is computed")
    unit: Annotated[Unit, Meta("unit", "enum")] = Field(description="what the number counts; a percent is written 18.5")
    currency: Annotated[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] | None, Meta("currency")] = Field(
        None, description="with `unit: currency`: the ISO 4217 code shown with the value (EUR, USD)"
    )
    direction: Annotated[Direction, Meta("direction", "enum", values=DIRECTION_LABELS)] = Field(description="which way is better")
    owner: Annotated[Id, Meta("owner", "ref", ref="role", used_by="KPIs it owns")] = Field(description="accountable role id")
    shared_with: Annotated[
        list[Id],
        Meta(
            "shared with",
            "refs",
            ref="role",
            used_by="KPIs it shares",
            noun=("role", "roles"),
            gains="now shared with {items}",
            loses="no longer shared with {items}",
        ),
    ] = Field(default_factory=list, description="role ids that share the number")
    target: Annotated[Target | None, Meta("target", "target")] = None
    cadence: Annotated[Cadence | None, Meta("review cadence", "enum", values=CADENCE_LABELS)] = Field(
        None, description="how often it is reviewed together"
    )
    stages: Annotated[
        list[Id],
        Meta(
            "funnel stages it measures",
            "refs",
            ref="lead",
            used_by="KPIs that measure it",
            noun=("lead stage", "lead stages"),
            gains="now measures {items}",
            loses="no longer measures {items}",
        ),
    ] = Field(default_factory=list, description="lead stage ids it measures")
    source: Annotated[Text | None, Meta("system of record")] = Field(None, description="system of record")

    csv_columns: ClassVar[tuple[str, ...]] = (
        "id",
        "name",
        "abbreviation",
        "status",
        "definition",
        "formula",
        "unit",
        "currency",
        "direction",
        "owner",
        "shared_with",
        "target.value",
        "target.period",
        "cadence",
        "stages",
        "source",
    )


# --- checklist.yml -------------------------------------------------------------


class ChecklistStep(Governance):
    id: Id = Field(description="the step's id (kebab case, unique in the checklist)")
    title: Annotated[Text, Meta("title", "name", MINOR)] = Field(description="e.g. Joint meetings")
    description: Annotated[Text, Meta("description", "text", MINOR)] = Field(description="what the practice is")
    owner: Annotated[Id, Meta("owner", "ref", ref="role", used_by="checklist steps it owns")] = Field(
        description="role id accountable for the practice"
    )
    participants: Annotated[
        list[Id],
        Meta(
            "participants", "refs", ref="role", noun=("participant", "participants"), used_by="checklist steps it takes part in"
        ),
    ] = Field(default_factory=list, description="role ids that take part")
    cadence: Annotated[StepCadence | None, Meta("cadence", "enum", values=CADENCE_LABELS)] = Field(
        None, description="how often it happens; a step with a cadence is overdue when activity.yml has no entry in time"
    )
    evidence: Annotated[Text | None, Meta("evidence", "text")] = Field(None, description="how anyone can see that it happened")
    kpis: Annotated[list[Id], Meta("KPIs", "refs", ref="kpi", noun=("KPI", "KPIs"), used_by="checklist steps it appears in")] = (
        Field(default_factory=list, description="KPI ids the practice serves")
    )


class Checklist(Model):
    """checklist.yml: the alignment checklist."""

    steps: list[ChecklistStep] = Field(default_factory=list, description="the practices, in the order they are shown")


# --- alignment.yml -------------------------------------------------------------


class AlignmentStage(Governance):
    id: Id = Field(description="the stage's id, used in playbook.yml's `alignment`")
    name: Annotated[Text, Meta("name", "name", MINOR)] = Field(description="e.g. Aligned")
    score: Annotated[list[Annotated[int, Field(strict=True)]], Field(min_length=2, max_length=2), Meta("score band", "band")] = (
        Field(description="inclusive total-score band [low, high]")
    )
    description: Annotated[Text, Meta("description", "text", MINOR)] = Field(
        description="what the relationship is like at this stage"
    )
    signals: Annotated[list[Text], _texts("signals", "signal", "signals")] = Field(
        default_factory=list, description="how teams recognise they are at this stage"
    )
    next_steps: Annotated[list[Text], _texts("next steps", "next step", "next steps", MINOR)] = Field(
        default_factory=list, description="what moves them to the next stage"
    )

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
    id: Id = Field(description="the statement's id")
    text: Annotated[Text, Meta("statement", "text", MINOR)] = Field(
        description="a statement answered from 1 (strongly disagree) to 5 (strongly agree) in the self-assessment"
    )
    theme: Annotated[Text | None, Meta("theme", "short", MINOR)] = Field(None, description="what the statement is about")
    see_also: Annotated[
        list[Annotated[str, StringConstraints(min_length=1)]],
        Meta(
            "see also",
            "refs",
            MINOR,
            ref="*",
            noun=("see-also link", "see-also links"),
            used_by="statements about it",
        ),
    ] = Field(
        default_factory=list,
        description="ids of what the statement is about: checklist steps, KPIs, lead stages (kind:id when ambiguous)",
    )


class Alignment(Model):
    """alignment.yml: the four relationship stages and the diagnostic."""

    stages: list[AlignmentStage] = Field(default_factory=list, description="lowest to highest")
    questions: list[Question] = Field(default_factory=list, description="the diagnostic's statements")


# --- glossary.yml --------------------------------------------------------------


class GlossaryTerm(Governance):
    id: Id = Field(description="the term's id")
    term: Annotated[Text, Meta("term", "name", MINOR)] = Field(description="e.g. Ideal customer profile")
    abbreviation: Annotated[Text | None, Meta("abbreviation")] = Field(
        None, description="e.g. ICP (unique across all abbreviations)"
    )
    definition: Annotated[Text, Meta("definition", "text", MINOR)] = Field(description="what the term means here")
    see_also: Annotated[
        list[Annotated[str, StringConstraints(min_length=1)]],
        Meta(
            "see also",
            "refs",
            MINOR,
            ref="*",
            noun=("see-also link", "see-also links"),
            used_by="glossary terms that link to it",
        ),
    ] = Field(default_factory=list, description="ids of any entity (or kind:id when ambiguous)")


class Glossary(Model):
    """glossary.yml: terms that are not roles, stages or KPIs."""

    terms: list[GlossaryTerm] = Field(default_factory=list, description="the terms, in any order (the site sorts them)")


# --- activity.yml ----------------------------------------------------------------

_HTTPS_RE = re.compile(r"^https://[A-Za-z0-9.-]+(?::[0-9]+)?(?:[/?#][^\s<>\"'`{}|\\^\[\]\x00-\x1f\x7f]*)?$")


def check_https(value: str) -> str:
    """An activity's `link`: an https:// address (the record others can open), nothing else."""
    if not _HTTPS_RE.match(value):
        hint = "write the full address starting with https://, e.g. https://wiki.example.com/joint-meeting-2026-11"
        if value.lower().startswith("http://"):
            hint = "use the https:// address of the page (an http:// link can be read and changed on the way)"
        elif value.lower().startswith("https://"):
            hint = "percent-encode spaces, quotes, angle brackets, braces, pipes and backslashes (a space as %20)"
        raise PydanticCustomError("bad_link", "`{target}` is not an https:// link", {"target": value, "hint": hint})
    return value


HttpsUrl = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(check_https)]


class ActivityEntry(Model):
    """One time a checklist practice happened: a joint meeting, a planning session."""

    step: Annotated[Id, Meta("checklist step", "ref", ref="step")] = Field(description="the checklist step id that happened")
    date: Annotated[Day, Meta("date", "date")] = Field(description="when it happened (YYYY-MM-DD)")
    note: Annotated[Text | None, Meta("note", "text")] = Field(None, description="what happened, in a sentence")
    link: Annotated[HttpsUrl | None, Meta("link")] = Field(
        None, description="an https:// address of the record (minutes, slides)", json_schema_extra={"pattern": "^https://"}
    )


class ActivityLog(Model):
    """activity.yml: when the checklist's practices happened."""

    entries: list[ActivityEntry] = Field(default_factory=list)


# --- the whole playbook ----------------------------------------------------------

Entity = Role | LeadStage | Kpi | ChecklistStep | AlignmentStage | Question | GlossaryTerm

# The model of each kind of entity, and the root model of each kind of file (in the order a reader meets them).
ENTITY_MODELS: dict[str, type[Governance]] = {
    "role": Role,
    "lead": LeadStage,
    "kpi": Kpi,
    "step": ChecklistStep,
    "stage": AlignmentStage,
    "question": Question,
    "term": GlossaryTerm,
}
FILE_MODELS: dict[str, type[BaseModel]] = {
    "playbook": PlaybookMeta,
    "role": Role,
    "lead": LeadStage,
    "kpi": Kpi,
    "checklist": Checklist,
    "alignment": Alignment,
    "glossary": Glossary,
    "activity": ActivityLog,
}


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
    # (kind, id) -> content-relative file path, for reports and CODEOWNERS; ("results", KPI id) for a
    # results file, ("activity", "") for activity.yml
    sources: dict[tuple[str, str], str] = field(default_factory=dict)
    # KPI id -> its results, sorted by period (results/<kpi-id>.csv); the record of the checklist, by date
    results: dict[str, tuple[Result, ...]] = field(default_factory=dict)
    activity: tuple[ActivityEntry, ...] = ()
    survey: tuple[SurveyRound, ...] = ()  # the team survey's rounds, oldest first (survey/<round>.csv); rows never leave content/
    # The rounds' aggregates as exported (survey_numbers.RoundView), for a playbook read back from playbook.json
    survey_views: tuple[Any, ...] = ()

    # The list kinds indexed by id, built once: a lookup per reference must not scan the list.
    _indexes: dict[str, tuple[list[Any], int, dict[str, Any]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    @property
    def steps(self) -> Mapping[str, ChecklistStep]:
        return self.collection("step")

    @property
    def stages(self) -> Mapping[str, AlignmentStage]:
        return self.collection("stage")

    @property
    def questions(self) -> Mapping[str, Question]:
        return self.collection("question")

    @property
    def terms(self) -> Mapping[str, GlossaryTerm]:
        return self.collection("term")

    @overload
    def collection(self, kind: Literal["role"]) -> Mapping[str, Role]: ...
    @overload
    def collection(self, kind: Literal["lead"]) -> Mapping[str, LeadStage]: ...
    @overload
    def collection(self, kind: Literal["kpi"]) -> Mapping[str, Kpi]: ...
    @overload
    def collection(self, kind: Literal["step"]) -> Mapping[str, ChecklistStep]: ...
    @overload
    def collection(self, kind: Literal["stage"]) -> Mapping[str, AlignmentStage]: ...
    @overload
    def collection(self, kind: Literal["question"]) -> Mapping[str, Question]: ...
    @overload
    def collection(self, kind: Literal["term"]) -> Mapping[str, GlossaryTerm]: ...
    @overload
    def collection(self, kind: str) -> Mapping[str, Any]: ...

    def collection(self, kind: str) -> Mapping[str, Any]:
        """The entities of a kind by id (read-only: the list kinds' dictionaries are shared)."""
        if kind == "role":
            return self.roles
        if kind == "lead":
            return self.leads
        if kind == "kpi":
            return self.kpis
        items: list[Any]
        if kind == "step":
            items = self.checklist.steps
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

    def functions(self) -> dict[str, FunctionDef]:
        """The organization's functions in their order: playbook.yml's, or the five built-in ones."""
        return functions_of(self.meta.functions)

    def function_name(self, function_id: str) -> str:
        found = self.functions().get(function_id)
        return found.name if found is not None else function_id

    def entities(self) -> list[tuple[str, Any]]:
        """Every entity as (kind, entity), in a stable order."""
        return [(kind, entity) for kind in KIND_NAMES for entity in self.collection(kind).values()]

    def iter_entities(self) -> Iterator[tuple[str, Any]]:
        for kind in KIND_NAMES:
            for entity in self.collection(kind).values():
                yield kind, entity

    def find(self, ref: str) -> list[tuple[str, Any]]:
        """Resolve a `see_also` style reference: `id` in any kind, or `kind:id`."""
        match = ENTITY_LINK_RE.match(ref)
        if match:
            entity = self.collection(match.group(1)).get(match.group(2))
            return [(match.group(1), entity)] if entity is not None else []
        return [(kind, c[ref]) for kind in KINDS if ref in (c := self.collection(kind))]


def functions_of(declared: list[FunctionDef]) -> dict[str, FunctionDef]:
    """The functions of a playbook that declares `declared`: those, or the five built-in ones."""
    if declared:
        return {function.id: function for function in declared}
    if not _BUILTIN:  # the tool's own constants (tests/test_schema.py validates them): no validator is built for them
        _BUILTIN.update(
            {
                key: FunctionDef.model_construct(id=key, name=name, colour=colour)
                for key, (name, colour) in BUILTIN_FUNCTIONS.items()
            }
        )
    return dict(_BUILTIN)


_BUILTIN: dict[str, FunctionDef] = {}


def display_name(entity: Any) -> str:
    for attr in ("name", "title", "term"):
        value = getattr(entity, attr, None)
        if value:
            return str(value)
    return str(getattr(entity, "text", entity.id))
