"""A corpus of bad inputs: every category of mistake gets file, line, column, message and exit code 1."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, REPO, golden_file, make_site_project, record_codes, run_cli, write_content
from playbook_site.codes import CODES
from playbook_site.content import load_all
from playbook_site.content.release import release_problems, source_locate
from playbook_site.content.schema import Role
from playbook_site.content.translate import validate_source
from playbook_site.content.yaml_reader import Reader
from playbook_site.errors import Problem
from playbook_site.site.project import Options, build_project

ROLE = "name: Sales Manager\nfunction: sales\nsummary: Leads the team.\nresponsibilities:\n  - Coaches.\n"
KPI = "name: Win rate\ndefinition: d\nformula: f\nunit: percent\ndirection: higher\nowner: sales-manager\n"
LEAD = "name: SQL\nabbreviation: SQL\norder: 2\ndefinition: d\nowner: account-executive\nentry_criteria: [x]\n"
META = "title: T\norganization: O\nsummary: S\n"

ALIGNMENT_2Q = "questions:\n  - id: a\n    text: t\n  - id: b\n    text: t\n"


def bands(*pairs: tuple[int, int]) -> str:
    """alignment.yml with one stage per band and two statements (totals 2 to 10)."""
    stages = "".join(
        f"  - id: s{i}\n    name: S{i}\n    score: [{low}, {high}]\n    description: d\n" for i, (low, high) in enumerate(pairs)
    )
    return "stages:\n" + stages + ALIGNMENT_2Q


@dataclass(frozen=True)
class Raw:
    """A file written as these bytes (not UTF-8 text)."""

    data: bytes


@dataclass(frozen=True)
class Folder:
    """A folder where a file is expected."""


@dataclass(frozen=True)
class Link:
    """A symbolic link to `target` (relative to the link's folder), with `text` written there."""

    target: str
    text: str


# (case id, files to write over the minimal playbook, (file, line, column, code, message contains, hint contains))
# A column of None means "any column" (file-level problems); a hint of "" means "any non-empty hint".
# A file of None is removed ("." the content directory itself); a path may lead out of the content directory
# ("../.github/CODEOWNERS"), "" is the content directory.
Case = tuple[str, dict[str, str | Raw | Folder | Link | None], tuple[str, int, int | None, str, str, str]]
CASES: list[Case] = [
    # YAML syntax
    (
        "unclosed-flow-list",
        {"roles/sales-manager.yml": "name: [Sales\n"},
        ("roles/sales-manager.yml", 1, 7, "yaml-syntax", "YAML syntax error", "a `[` list is not closed"),
    ),
    (
        "colon-in-plain-text",
        {"roles/sales-manager.yml": ROLE.replace("summary: Leads the team.", "summary: Owns: the team")},
        (
            "roles/sales-manager.yml",
            3,
            14,
            "yaml-syntax",
            "the colon in `Owns: the team` makes `summary` look like it holds another field",
            'put the whole text in straight double quotes: summary: "Owns: the team"',
        ),
    ),
    (
        "unclosed-quote",
        {"playbook.yml": 'title: "T\norganization: O\nsummary: S\n'},
        ("playbook.yml", 1, 8, "yaml-syntax", "found unexpected end of stream", "the quote that opens here is never closed"),
    ),
    (
        "bad-indentation",
        {"roles/sales-manager.yml": "name: SM\n  function: sales\n"},
        (
            "roles/sales-manager.yml",
            2,
            3,
            "yaml-syntax",
            "`function:` is indented more than `name:` on line 1",
            "remove 2 spaces before it so it lines up with `name:`",
        ),
    ),
    (
        "two-documents",
        {"playbook.yml": META + "---\ntitle: again\n"},
        ("playbook.yml", 4, 1, "yaml-syntax", "expected a single document", "remove this `---` line"),
    ),
    (
        "undefined-alias",
        {"playbook.yml": META + "approvers: *people\n"},
        ("playbook.yml", 4, 12, "yaml-syntax", "found undefined alias", "define the anchor (&name)"),
    ),
    (
        "value-starts-with-star",
        {"roles/sales-manager.yml": ROLE.replace("summary: Leads the team.", "summary: *Leads* the team.")},
        (
            "roles/sales-manager.yml",
            3,
            10,
            "yaml-syntax",
            "a text that starts with `*` must be in quotes",
            'put the whole text in straight double quotes: summary: "*Leads* the team."',
        ),
    ),
    (
        "value-starts-with-at",
        {"kpis/win-rate.yml": KPI + "source: @crm\n"},
        ("kpis/win-rate.yml", 7, 9, "yaml-syntax", "a text that starts with `@` must be in quotes", 'source: "@crm"'),
    ),
    (
        "bad-escape-in-double-quotes",
        {"kpis/win-rate.yml": KPI + 'source: "C:\\xreports"\n'},
        ("kpis/win-rate.yml", 7, 14, "yaml-syntax", "quoted scalar", "write \\\\ for a backslash, or use single quotes"),
    ),
    (
        "field-after-list-items",
        {"roles/sales-manager.yml": ROLE + "  kpis: [win-rate]\n"},
        (
            "roles/sales-manager.yml",
            6,
            3,
            "yaml-syntax",
            "`kpis:` is indented like the items of `responsibilities` above",
            "remove 2 spaces before it so it lines up with `responsibilities:` (line 4)",
        ),
    ),
    (
        "text-after-closing-quote",
        {"roles/sales-manager.yml": ROLE.replace("name: Sales Manager", 'name: "Sales" Manager')},
        ("roles/sales-manager.yml", 1, 15, "yaml-syntax", "did not find expected key", "text follows a closing quote"),
    ),
    # duplicate keys
    (
        "duplicate-key",
        {"roles/sales-manager.yml": ROLE + "summary: Again.\n"},
        (
            "roles/sales-manager.yml",
            6,
            1,
            "duplicate-key",
            "duplicate field `summary` (first written on line 3)",
            "merge the two into one field",
        ),
    ),
    (
        "duplicate-nested-key",
        {
            "leads/marketing-qualified-lead.yml": "name: MQL\nabbreviation: MQL\norder: 1\ndefinition: d\nowner: marketing-manager\nentry_criteria: [x]\nhandoff:\n  to: account-executive\n  to: sales-manager\n  sla_hours: 4\n"
        },
        ("leads/marketing-qualified-lead.yml", 9, 3, "duplicate-key", "duplicate field `to` (first written on line 8)", ""),
    ),
    # unknown fields
    (
        "typo-responsibilites",
        {"roles/sales-manager.yml": ROLE.replace("responsibilities:", "responsibilites:")},
        ("roles/sales-manager.yml", 4, 1, "unknown-field", "unknown field `responsibilites`", "did you mean `responsibilities`?"),
    ),
    (
        "unknown-nested-field",
        {"kpis/win-rate.yml": KPI + "target:\n  value: 3\n  period: month\n  stretch: 5\n"},
        ("kpis/win-rate.yml", 10, 3, "unknown-field", "unknown field `stretch`", "allowed fields: period, value"),
    ),
    (
        "unknown-field-in-list-item",
        {"checklist.yml": "steps:\n  - id: a\n    title: A\n    description: d\n    owner: sales-manager\n    ower: x\n"},
        ("checklist.yml", 6, 5, "unknown-field", "unknown field `ower`", "did you mean `owner`?"),
    ),
    (
        "id-field-in-role-file",
        {"roles/sales-manager.yml": "id: boss\n" + ROLE},
        (
            "roles/sales-manager.yml",
            1,
            1,
            "unknown-field",
            "takes its id from its file name",
            "rename the file (now `sales-manager`)",
        ),
    ),
    # missing required fields
    (
        "missing-name",
        {"roles/sales-manager.yml": ROLE.replace("name: Sales Manager\n", "")},
        (
            "roles/sales-manager.yml",
            1,
            1,
            "missing-field",
            "missing required field `name`",
            "add `name: ...` (e.g. Sales Development Representative)",
        ),
    ),
    (
        "missing-formula",
        {"kpis/win-rate.yml": KPI.replace("formula: f\n", "")},
        ("kpis/win-rate.yml", 1, 1, "missing-field", "missing required field `formula`", "how it is computed"),
    ),
    (
        "missing-sla",
        {"leads/sales-qualified-lead.yml": LEAD + "handoff:\n  to: sales-manager\n"},
        ("leads/sales-qualified-lead.yml", 7, 1, "missing-field", "missing required field `sla_hours`", "add `sla_hours: ...`"),
    ),
    (
        "missing-term-definition",
        {"glossary.yml": "terms:\n  - id: icp\n    term: ICP\n"},
        ("glossary.yml", 2, 5, "missing-field", "missing required field `definition`", "add `definition: ...`"),
    ),
    (
        "empty-responsibilities",
        {"roles/sales-manager.yml": ROLE.replace("responsibilities:\n  - Coaches.\n", "responsibilities: []\n")},
        (
            "roles/sales-manager.yml",
            4,
            19,
            "too-short",
            "`responsibilities` needs at least 1 item",
            "add an item under `responsibilities:`",
        ),
    ),
    (
        "empty-name",
        {"roles/sales-manager.yml": ROLE.replace("name: Sales Manager", "name: ''")},
        ("roles/sales-manager.yml", 1, 7, "empty-value", "`name` is empty", "write a value for `name`"),
    ),
    (
        "name-left-blank",
        {"roles/sales-manager.yml": ROLE.replace("name: Sales Manager", "name:")},
        ("roles/sales-manager.yml", 1, 6, "wrong-type", "`name` must be text, not nothing", "write a value after `name:`"),
    ),
    (
        "empty-crm-name",
        {"leads/sales-qualified-lead.yml": LEAD + "crm:\n  '': SQL\n"},
        ("leads/sales-qualified-lead.yml", 8, 7, "empty-value", "a name under `crm` is empty", "salesforce: MQL"),
    ),
    # wrong types and enums (the allowed values are listed)
    (
        "function-not-in-enum",
        {"roles/sales-manager.yml": ROLE.replace("function: sales", "function: finance")},
        (
            "roles/sales-manager.yml",
            2,
            11,
            "bad-value",
            "`finance` is not an allowed value for `function`",
            "use one of: `marketing`, `sales`, `customer-success`, `revenue-operations` or `leadership`;"
            " to use other functions, list them under `functions:` in playbook.yml",
        ),
    ),
    (
        "unit-not-in-enum",
        {"kpis/win-rate.yml": KPI.replace("unit: percent", "unit: percentage")},
        (
            "kpis/win-rate.yml",
            4,
            7,
            "bad-value",
            "`percentage` is not an allowed value for `unit`",
            "`percent`, `count`, `currency`",
        ),
    ),
    (
        "status-not-in-enum",
        {"kpis/win-rate.yml": KPI + "status: approved\n"},
        (
            "kpis/win-rate.yml",
            7,
            9,
            "bad-value",
            "`approved` is not an allowed value for `status`",
            "`draft`, `proposed`, `agreed` or `retired`",
        ),
    ),
    (
        "status-yes-read-as-boolean",
        {"kpis/win-rate.yml": KPI + "status: yes\n"},
        (
            "kpis/win-rate.yml",
            7,
            9,
            "bad-value",
            "`yes` on its own is read as true/false, which is not an allowed value for `status`",
            "use one of: `draft`, `proposed`, `agreed` or `retired`",
        ),
    ),
    (
        "order-is-text",
        {"leads/sales-qualified-lead.yml": LEAD.replace("order: 2", "order: second")},
        ("leads/sales-qualified-lead.yml", 3, 8, "wrong-type", "`order` must be a whole number, in digits", "write `order: 2`"),
    ),
    (
        "order-is-a-fraction",
        {"leads/sales-qualified-lead.yml": LEAD.replace("order: 2", "order: 2.5")},
        ("leads/sales-qualified-lead.yml", 3, 8, "wrong-type", "`order` must be a whole number, not a number", ""),
    ),
    (
        "order-zero",
        {"leads/sales-qualified-lead.yml": LEAD.replace("order: 2", "order: 0")},
        ("leads/sales-qualified-lead.yml", 3, 8, "bad-value", "`order` must be at least 1", "use a number at least 1"),
    ),
    (
        "order-with-5000-digits",
        {"leads/sales-qualified-lead.yml": LEAD.replace("order: 2", "order: 1" + "0" * 5000)},
        ("leads/sales-qualified-lead.yml", 3, 8, "bad-value", "this number has 5,001 digits", "write a realistic number"),
    ),
    (
        "sla-negative",
        {"leads/sales-qualified-lead.yml": LEAD + "handoff:\n  to: sales-manager\n  sla_hours: -4\n"},
        ("leads/sales-qualified-lead.yml", 9, 14, "bad-value", "`sla_hours` must be greater than 0", ""),
    ),
    (
        "sla-infinite",
        {"leads/sales-qualified-lead.yml": LEAD + "handoff:\n  to: sales-manager\n  sla_hours: .inf\n"},
        (
            "leads/sales-qualified-lead.yml",
            9,
            14,
            "bad-value",
            "`sla_hours` must be an ordinary number, not inf",
            "sla_hours: 24",
        ),
    ),
    (
        "target-not-a-number",
        {"kpis/win-rate.yml": KPI + "target:\n  value: .nan\n  period: month\n"},
        ("kpis/win-rate.yml", 8, 10, "bad-value", "`value` must be an ordinary number, not nan", ""),
    ),
    (
        "responsibilities-not-a-list",
        {"roles/sales-manager.yml": ROLE.replace("responsibilities:\n  - Coaches.\n", "responsibilities: Coaches.\n")},
        ("roles/sales-manager.yml", 4, 19, "wrong-type", "`responsibilities` must be a list", "starting with `- `"),
    ),
    (
        "list-item-is-a-mapping",
        {"roles/sales-manager.yml": ROLE.replace("  - Coaches.", "  - Coaches: the team")},
        (
            "roles/sales-manager.yml",
            5,
            5,
            "wrong-type",
            "the colon in `Coaches: the team` makes this item of `responsibilities` read as a field, not as text",
            'put the whole item in straight double quotes: - "Coaches: the team"',
        ),
    ),
    (
        "name-is-a-number",
        {"roles/sales-manager.yml": ROLE.replace("name: Sales Manager", "name: 2026")},
        (
            "roles/sales-manager.yml",
            1,
            7,
            "wrong-type",
            "`name` must be text, but `2026` on its own is read as a number",
            'name: "2026"',
        ),
    ),
    (
        "target-not-mapping",
        {"kpis/win-rate.yml": KPI + "target: 30\n"},
        ("kpis/win-rate.yml", 7, 9, "wrong-type", "`target` must be a mapping", "indented by two spaces"),
    ),
    (
        "score-band-of-three",
        {
            "alignment.yml": "stages:\n  - id: low\n    name: L\n    score: [2, 5, 10]\n    description: d\n" + ALIGNMENT_2Q,
            "playbook.yml": META,
        },
        ("alignment.yml", 4, 12, "too-long", "`score` takes at most 2 items", "write the band as [low, high]"),
    ),
    (
        "field-name-is-a-list",
        {"roles/sales-manager.yml": ROLE + "? [a, b]\n: c\n"},
        ("roles/sales-manager.yml", 6, 3, "bad-key", "a field name must be plain text", "write `name: value`"),
    ),
    # ids and file names
    (
        "file-name-not-an-id",
        {"roles/Sales Manager.yml": ROLE},
        (
            "roles/Sales Manager.yml",
            1,
            1,
            "bad-id",
            "the file name `Sales Manager.yml` is not a valid id",
            "rename the file: ids are lower-case words",
        ),
    ),
    (
        "list-id-upper-case",
        {"checklist.yml": "steps:\n  - id: Joint_Meetings\n    title: A\n    description: d\n    owner: sales-manager\n"},
        ("checklist.yml", 2, 9, "bad-id", "`Joint_Meetings` is not a valid id", "e.g. `joint-meetings`"),
    ),
    (
        "reference-not-an-id",
        {"roles/account-executive.yml": ROLE.replace("name: Sales Manager", "name: AE") + "reports_to: Sales Manager\n"},
        ("roles/account-executive.yml", 6, 13, "bad-id", "`Sales Manager` is not a valid id", "e.g. `sales-manager`"),
    ),
    (
        "duplicate-step-id",
        {
            "checklist.yml": "steps:\n  - id: a\n    title: A\n    description: d\n    owner: sales-manager\n  - id: a\n    title: B\n    description: d\n    owner: sales-manager\n"
        },
        ("checklist.yml", 6, 9, "duplicate-id", "checklist step id `a` is used twice (first on line 2)", "rename one of them"),
    ),
    (
        "same-id-yml-and-yaml",
        {"roles/sales-manager.yaml": ROLE},
        ("roles/sales-manager.yml", 1, 1, "duplicate-id", "role `sales-manager` is defined twice", "delete or rename one"),
    ),
    (
        "playbook-yml-and-yaml",
        {"playbook.yaml": META},
        ("playbook.yaml", 1, 1, "duplicate-file", "both playbook.yml and playbook.yaml exist", "keep one of them"),
    ),
    # dangling references, cycles, orders, abbreviations, bands, retired
    (
        "dangling-owner",
        {"kpis/win-rate.yml": KPI.replace("owner: sales-manager", "owner: sales-manger")},
        ("kpis/win-rate.yml", 6, 8, "dangling-reference", "`sales-manger` is not a known role", "did you mean `sales-manager`?"),
    ),
    (
        "dangling-kpi-in-list",
        {"roles/sales-manager.yml": ROLE + "kpis: [win-rat]\n"},
        ("roles/sales-manager.yml", 6, 8, "dangling-reference", "`win-rat` is not a known KPI", "did you mean `win-rate`?"),
    ),
    (
        "dangling-without-a-close-match",
        {"roles/sales-manager.yml": ROLE + "kpis: [pipeline-coverage]\n"},
        ("roles/sales-manager.yml", 6, 8, "dangling-reference", "`pipeline-coverage` is not a known KPI", "known KPIs: win-rate"),
    ),
    (
        "dangling-recycle-to",
        {"leads/sales-qualified-lead.yml": LEAD + "recycle_to: marketing-qualified\n"},
        (
            "leads/sales-qualified-lead.yml",
            7,
            13,
            "dangling-reference",
            "is not a known lead stage",
            "did you mean `marketing-qualified-lead`?",
        ),
    ),
    (
        "dangling-alignment-position",
        {"playbook.yml": META + "alignment:\n  current: definde\n"},
        ("playbook.yml", 5, 12, "dangling-reference", "`definde` is not a known alignment stage", "did you mean `defined`?"),
    ),
    (
        "dangling-see-also",
        {"glossary.yml": "terms:\n  - id: icp\n    term: ICP\n    definition: d\n    see_also: [wn-rate]\n"},
        ("glossary.yml", 5, 16, "dangling-reference", "`wn-rate` is not a known entity", "did you mean `win-rate`?"),
    ),
    (
        "ambiguous-see-also",
        {
            "glossary.yml": "terms:\n  - id: sales-manager\n    term: SM\n    definition: d\n  - id: icp\n    term: ICP\n    definition: d\n    see_also: [sales-manager]\n"
        },
        (
            "glossary.yml",
            8,
            16,
            "ambiguous-reference",
            "`sales-manager` names more than one entity",
            "`role:sales-manager`, `term:sales-manager`",
        ),
    ),
    (
        "reports-to-self",
        {"roles/sales-manager.yml": ROLE + "reports_to: sales-manager\n"},
        ("roles/sales-manager.yml", 6, 13, "reports-to-cycle", "sales-manager -> sales-manager", "report to a role outside it"),
    ),
    (
        "reports-to-circle-of-two",
        {"roles/sales-manager.yml": ROLE + "reports_to: account-executive\n"},
        ("roles/account-executive.yml", 7, 13, "reports-to-cycle", "account-executive -> sales-manager -> account-executive", ""),
    ),
    (
        "duplicate-order",
        {"leads/sales-qualified-lead.yml": LEAD.replace("order: 2", "order: 1")},
        ("leads/sales-qualified-lead.yml", 3, 8, "duplicate-order", "order 1 is used by both", "its own position in the funnel"),
    ),
    (
        "duplicate-abbreviation",
        {"roles/sales-manager.yml": ROLE + "abbreviation: icp\n"},
        (
            "glossary.yml",
            4,
            19,
            "duplicate-abbreviation",
            "abbreviation `ICP` is already used by role `sales-manager`",
            "ignoring case",
        ),
    ),
    (
        "bands-overlap",
        {"alignment.yml": bands((2, 6), (6, 10)), "playbook.yml": META},
        ("alignment.yml", 8, 12, "score-bands", "stage `s1` band [6, 10] overlaps the band below it", "start `s1` at 7"),
    ),
    (
        "bands-gap",
        {"alignment.yml": bands((2, 4), (6, 10)), "playbook.yml": META},
        ("alignment.yml", 8, 12, "score-bands", "no stage covers totals 5 to 5", "start `s1` at 5"),
    ),
    (
        "bands-short-of-top",
        {"alignment.yml": bands((2, 9)), "playbook.yml": META},
        ("alignment.yml", 4, 12, "score-bands", "no stage covers totals 10 to 10", "end the top band there"),
    ),
    (
        "bands-above-top",
        {"alignment.yml": bands((2, 5), (6, 12)), "playbook.yml": META},
        ("alignment.yml", 8, 12, "score-bands", "band ends at 12, above the highest possible total 10", "end the top band at 10"),
    ),
    (
        "band-backwards",
        {"alignment.yml": "stages:\n  - id: low\n    name: L\n    score: [10, 2]\n    description: d\n", "playbook.yml": META},
        ("alignment.yml", 4, 12, "band-order", "score band [10, 2] runs backwards", "write the lower total first"),
    ),
    (
        "refers-to-retired-role",
        {"roles/marketing-manager.yml": "name: MM\nfunction: marketing\nsummary: s\nresponsibilities: [x]\nstatus: retired\n"},
        (
            "kpis/win-rate.yml",
            7,
            15,
            "retired-reference",
            "refers to role `marketing-manager`, which is retired",
            "or retire `win-rate` too",
        ),
    ),
    (
        "see-also-retired",
        {
            "leads/marketing-qualified-lead.yml": "name: MQL\nabbreviation: MQL\norder: 1\ndefinition: d\nowner: marketing-manager\nentry_criteria: [x]\nstatus: retired\n"
        },
        (
            "glossary.yml",
            6,
            16,
            "retired-reference",
            "refers to `marketing-qualified-lead`, which is retired",
            "point to its replacement",
        ),
    ),
    # dates
    (
        "impossible-date",
        {"kpis/win-rate.yml": KPI + "review_by: 2027-02-30\n"},
        ("kpis/win-rate.yml", 7, 12, "bad-date", "`2027-02-30` is not a valid date for `review_by`", "YYYY-MM-DD"),
    ),
    # at most 100 problems of one kind are listed for a file; one more counts the rest (issue 21, finding 5)
    (
        "more-problems-of-one-kind",
        {"roles/sales-manager.yml": ROLE + "".join(f"extra_{i:03d}: x\n" for i in range(105))},
        ("roles/sales-manager.yml", 106, 1, "more-problems", "and 5 more `unknown-field` problems", "fix the ones listed"),
    ),
    (
        "more-problems-across-the-playbook",
        {"roles/sales-manager.yml": ROLE + "kpis:\n" + "".join(f"  - missing-{i:03d}\n" for i in range(105))},
        ("roles/sales-manager.yml", 107, 5, "more-problems", "and 5 more `dangling-reference` problems", "validate again"),
    ),
    # dates beyond the horizon (1900-01-01 to 2999-12-31): refused where they are written, before the
    # reviews, cadences and periods are computed from them (9999-12-31 crashed `validate` and `build`)
    (
        "activity-date-beyond-the-horizon",
        {"activity.yml": "entries:\n  - step: joint-meetings\n    date: 9999-12-31\n"},
        ("activity.yml", 3, 11, "bad-date", "`9999-12-31` is beyond the dates a playbook holds", "1900-01-01 and 2999-12-31"),
    ),
    (
        "activity-date-before-the-horizon",
        {"activity.yml": "entries:\n  - step: joint-meetings\n    date: 0001-01-01\n"},
        ("activity.yml", 3, 11, "bad-date", "`0001-01-01` is before the dates a playbook holds", "check the year"),
    ),
    (
        "review-date-beyond-the-horizon",
        {"kpis/win-rate.yml": KPI + "review_by: 9999-12-31\n"},
        ("kpis/win-rate.yml", 7, 12, "bad-date", "`9999-12-31` is beyond the dates a playbook holds", "2999-12-31"),
    ),
    (
        "review-date-before-the-horizon",
        {"roles/sales-manager.yml": ROLE + "review_by: 1899-12-31\n"},
        ("roles/sales-manager.yml", 6, 12, "bad-date", "`1899-12-31` is before the dates a playbook holds", "1900-01-01"),
    ),
    (
        "date-in-words",
        {"kpis/win-rate.yml": KPI + "review_by: next spring\n"},
        ("kpis/win-rate.yml", 7, 12, "bad-date", "`next spring` is not a valid date", "e.g. 2027-03-31"),
    ),
    (
        "date-with-a-time",
        {"kpis/win-rate.yml": KPI + "review_by: 2027-01-01 10:00:00\n"},
        ("kpis/win-rate.yml", 7, 12, "bad-date", "is not a valid date for `review_by`", "YYYY-MM-DD"),
    ),
    # file-level problems
    (
        "empty-file",
        {"roles/sales-manager.yml": "# nothing yet\n"},
        ("roles/sales-manager.yml", 1, 1, "empty-file", "the file is empty", "or delete the file"),
    ),
    ("only-a-document-marker", {"playbook.yml": "---\n"}, ("playbook.yml", 1, 1, "empty-file", "the file is empty", "")),
    (
        "top-level-list",
        {"roles/sales-manager.yml": "- name: SM\n"},
        ("roles/sales-manager.yml", 1, 1, "not-a-mapping", "must be a mapping of fields, not a list", "`field: value` lines"),
    ),
    (
        "top-level-scalar",
        {"glossary.yml": "just some words\n"},
        ("glossary.yml", 1, 1, "not-a-mapping", "not a single value", ""),
    ),
    (
        "tab-indentation",
        {"kpis/win-rate.yml": KPI + "target:\n\tvalue: 3\n"},
        (
            "kpis/win-rate.yml",
            8,
            1,
            "tab-indent",
            "a tab is used for indentation",
            "replace each tab at the start of a line with spaces",
        ),
    ),
    (
        "tabs-on-many-lines",
        {"roles/sales-manager.yml": ROLE.replace("  - Coaches.", "\t- Coaches.\n\t- Hires.\n\t- Plans.")},
        (
            "roles/sales-manager.yml",
            5,
            1,
            "tab-indent",
            "a tab is used for indentation (also on lines 6, 7)",
            "for the whole file",
        ),
    ),
    (
        "missing-playbook",
        {"playbook.yml": None},
        ("playbook.yml", 0, None, "missing-playbook", "there is no playbook.yml", "`title:`, `organization:` and `summary:`"),
    ),
    (
        "control-character-in-file",
        {"roles/sales-manager.yml": ROLE + "owns: the\x07message\n"},
        ("roles/sales-manager.yml", 6, 10, "control-character", "invisible control character U+0007 (BELL)", "delete it"),
    ),
    (
        "escape-sequence-in-quotes",
        {"roles/sales-manager.yml": ROLE + 'owns: "\\e[2Jthe message"\n'},
        ("roles/sales-manager.yml", 6, 7, "control-character", "U+001B", "written as an escape"),
    ),
    (
        "right-to-left-override",
        {"roles/sales-manager.yml": ROLE.replace("Leads the team.", "Leads \u202ethe team.")},
        (
            "roles/sales-manager.yml",
            3,
            10,
            "control-character",
            "U+202E (RIGHT-TO-LEFT OVERRIDE)",
            "look different from what it is",
        ),
    ),
    # unsafe YAML
    (
        "unsafe-python-tag",
        {"roles/sales-manager.yml": ROLE + "owns: !!python/object/apply:os.system ['touch /tmp/pwned']\n"},
        (
            "roles/sales-manager.yml",
            6,
            7,
            "unsafe-tag",
            "the YAML tag `tag:yaml.org,2002:python/object/apply:os.system` is not allowed",
            "remove the tag",
        ),
    ),
    (
        "custom-tag",
        {"roles/sales-manager.yml": ROLE + "owns: !secret the message\n"},
        ("roles/sales-manager.yml", 6, 7, "unsafe-tag", "the YAML tag `!secret` is not allowed (nothing was run)", ""),
    ),
    (
        "binary-tag-on-a-required-field",
        {"roles/sales-manager.yml": ROLE.replace("name: Sales Manager", "name: !!binary aGVsbG8=")},
        ("roles/sales-manager.yml", 1, 7, "unsafe-tag", "is not allowed", ""),
    ),
    (
        "merge-key",
        {"roles/sales-manager.yml": "base: &b\n  function: sales\n" + ROLE.replace("function: sales\n", "<<: *b\n")},
        ("roles/sales-manager.yml", 4, 1, "merge-key", "merge keys (`<<`) are not supported", "write the fields out in full"),
    ),
    (
        "alias-loop",
        {"roles/sales-manager.yml": ROLE + "not_responsible_for: &loop [*loop]\n"},
        ("roles/sales-manager.yml", 6, 22, "alias-loop", "refers back to it", "sits inside its own anchor"),
    ),
    # HTML and links in text
    (
        "script-tag",
        {"roles/sales-manager.yml": ROLE.replace("Leads the team.", "Leads <script>alert(1)</script> the team.")},
        (
            "roles/sales-manager.yml",
            3,
            16,
            "raw-html",
            "raw HTML is not allowed in text (found `<script>`)",
            "write plain text or Markdown",
        ),
    ),
    (
        "img-onerror",
        {"glossary.yml": "terms:\n  - id: icp\n    term: ICP\n    definition: <img src=x onerror=alert(1)>\n"},
        ("glossary.yml", 4, 17, "raw-html", "raw HTML is not allowed", ""),
    ),
    (
        "iframe-in-list",
        {"roles/sales-manager.yml": ROLE.replace("- Coaches.", "- Coaches <iframe src=//evil>.")},
        ("roles/sales-manager.yml", 5, 13, "raw-html", "found `<iframe src=//evil>`", ""),
    ),
    (
        "html-on-a-later-line",
        {"kpis/win-rate.yml": KPI.replace("definition: d", "definition: >\n  Share of deals\n  won <b>fast</b>")},
        ("kpis/win-rate.yml", 4, 7, "raw-html", "found `<b>`", ""),
    ),
    (
        "javascript-link",
        {"kpis/win-rate.yml": KPI.replace("definition: d", "definition: '[click](javascript:alert(1))'")},
        (
            "kpis/win-rate.yml",
            2,
            22,
            "unsafe-url",
            "`javascript:`, `vbscript:` and `data:` URLs are not allowed",
            "link only to https://",
        ),
    ),
    (
        "vbscript-link",
        {"roles/sales-manager.yml": ROLE.replace("Leads the team.", "'[x](VBScript:msgbox)'")},
        ("roles/sales-manager.yml", 3, 15, "unsafe-url", "URLs are not allowed", ""),
    ),
    (
        "data-url",
        {"kpis/win-rate.yml": KPI.replace("formula: f", "formula: see data:text/html;base64,PHNjcmlwdD4")},
        ("kpis/win-rate.yml", 3, 14, "unsafe-url", "URLs are not allowed", ""),
    ),
    (
        "repository-with-a-token",
        {"playbook.yml": META + "repository:\n  url: https://bot:ghp_token@github.com/org/repo\n"},
        ("playbook.yml", 5, 8, "bad-repository", "holds a user name or a password", "https://github.com/ORG/REPO"),
    ),
    (
        "repository-host-unknown",
        {"playbook.yml": META + "repository:\n  url: https://code.example.com/org/repo\n"},
        ("playbook.yml", 5, 3, "bad-repository", "does not say whether the host is GitHub or GitLab", "host: gitlab"),
    ),
    (
        "relative-link",
        {"kpis/win-rate.yml": KPI.replace("definition: d", "definition: '[x](../secrets.md)'")},
        ("kpis/win-rate.yml", 2, 18, "bad-link", "link target `../secrets.md` is not allowed", "use https://"),
    ),
    (
        "relative-url",
        {"kpis/win-rate.yml": KPI.replace("definition: d", "definition: '[x](//evil.example/page)'")},
        ("kpis/win-rate.yml", 2, 18, "bad-link", "link target `//evil.example/page` is not allowed", "use https://"),
    ),
    (
        "misleading-link",
        {"kpis/win-rate.yml": KPI.replace("definition: d", "definition: '[https://wiki.example.com/x](https://evil.example/x)'")},
        (
            "kpis/win-rate.yml",
            2,
            43,
            "misleading-link",
            "the link's text names `wiki.example.com` but the link goes to `evil.example`",
            "a link goes where its text says",
        ),
    ),
    (
        "misleading-link-domain-in-words",
        {
            "kpis/win-rate.yml": KPI.replace(
                "definition: d", "definition: '[pay at northwind.bank today](https://evil.example/x)'"
            )
        },
        (
            "kpis/win-rate.yml",
            2,
            44,
            "misleading-link",
            "the link's text names `northwind.bank` but the link goes to `evil.example`",
            "a link goes where its text says",
        ),
    ),
    (
        "misleading-link-userinfo",
        {"kpis/win-rate.yml": KPI.replace("definition: d", "definition: '[the wiki](https://wiki.example.com@evil.example/x)'")},
        (
            "kpis/win-rate.yml",
            2,
            25,
            "misleading-link",
            "a link address with a user name before `@` is not allowed",
            "without `name@`",
        ),
    ),
    (
        "misleading-link-mail-bcc",
        {
            "kpis/win-rate.yml": KPI.replace(
                "definition: d", "definition: '[a@example.com](mailto:a@example.com?bcc=m@evil.example)'"
            )
        },
        (
            "kpis/win-rate.yml",
            2,
            30,
            "misleading-link",
            "the link's text names `a@example.com` but the link goes to `mailto:a@example.com?bcc=m@evil.example`",
            "a link goes where its text says",
        ),
    ),
    (
        "dangling-entity-link",
        {"kpis/win-rate.yml": KPI.replace("definition: d", "definition: '[AE](role:acount-executive)'")},
        ("kpis/win-rate.yml", 2, 13, "dangling-link", "points to no role", "did you mean `account-executive`?"),
    ),
    (
        "html-in-playbook-title",
        {"playbook.yml": META.replace("title: T", "title: T <b>bold</b>")},
        ("playbook.yml", 1, 10, "raw-html", "raw HTML is not allowed", ""),
    ),
    (
        "html-in-crm-value",
        {"leads/sales-qualified-lead.yml": LEAD + "crm:\n  salesforce: <u>SQL</u>\n"},
        ("leads/sales-qualified-lead.yml", 8, 15, "raw-html", "found `<u>`", ""),
    ),
    (
        "bad-approver",
        {"kpis/win-rate.yml": KPI + "approvers: [sales team]\n"},
        ("kpis/win-rate.yml", 7, 13, "bad-approver", "`sales team` is not a valid approver", "`@org/team` or `@user`"),
    ),
    # warnings (an error with --strict)
    (
        "review-date-passed",
        {"kpis/win-rate.yml": KPI + "review_by: 2026-01-31\n"},
        (
            "kpis/win-rate.yml",
            7,
            12,
            "stale",
            "KPI `win-rate` (Win rate) was due for review on 2026-01-31",
            "move `review_by` forward",
        ),
    ),
    (
        "comment-swallows-text",
        {"roles/sales-manager.yml": ROLE.replace("Leads the team.", "Leads the team #1 priority")},
        (
            "roles/sales-manager.yml",
            3,
            25,
            "trailing-comment",
            "is a comment and is not part of `summary`",
            "put the whole text in straight double quotes",
        ),
    ),
    # The schema line names what an editor fetches and shows: only the project's own schema, by its relative path.
    (
        "schema-line-names-a-url",
        {"roles/sales-manager.yml": "# yaml-language-server: $schema=https://evil.example/role.json\n" + ROLE},
        (
            "roles/sales-manager.yml",
            1,
            33,
            "schema-line",
            "the schema line names `https://evil.example/role.json`",
            "write `# yaml-language-server: $schema=../../schema/role.schema.json`",
        ),
    ),
    (
        "schema-line-leaves-the-project",
        {"checklist.yml": "steps: []\n# yaml-language-server:   $schema=../../../home/me/x.json\n"},
        (
            "checklist.yml",
            2,
            35,
            "schema-line",
            "`../../../home/me/x.json`",
            "$schema=../schema/checklist.schema.json`",
        ),
    ),
    (
        "schema-comment-for-jetbrains",
        {"playbook.yml": "# $schema: //evil.example/p.json\n" + META},
        ("playbook.yml", 1, 12, "schema-line", "`//evil.example/p.json`", "$schema=../schema/playbook.schema.json`"),
    ),
    # Every comment the YAML language server (`\$schema[=:]`, with or without its modeline) or JetBrains reads.
    (
        "schema-line-with-a-colon",
        {"roles/sales-manager.yml": "# yaml-language-server: $schema: https://evil.example/role.json\n" + ROLE},
        (
            "roles/sales-manager.yml",
            1,
            34,
            "schema-line",
            "`https://evil.example/role.json`",
            "$schema=../../schema/role.schema.json`",
        ),
    ),
    (
        "schema-line-without-the-modeline",
        {"roles/sales-manager.yml": "# $schema=https://evil.example/role.json\n" + ROLE},
        (
            "roles/sales-manager.yml",
            1,
            11,
            "schema-line",
            "`https://evil.example/role.json`",
            "$schema=../../schema/role.schema.json`",
        ),
    ),
    (
        "schema-line-in-a-trailing-comment",
        {
            "roles/sales-manager.yml": ROLE.replace(
                "Sales Manager", "Sales Manager # yaml-language-server: $schema=https://evil.example/r.json"
            )
        },
        (
            "roles/sales-manager.yml",
            1,
            53,
            "schema-line",
            "`https://evil.example/r.json`",
            "$schema=../../schema/role.schema.json`",
        ),
    ),
    (
        "schema-line-in-a-list-items-comment",
        {"roles/sales-manager.yml": ROLE.replace("  - Coaches.", "  - Coaches. #  $schema:  //evil.example/r.json")},
        ("roles/sales-manager.yml", 5, 27, "schema-line", "`//evil.example/r.json`", "$schema=../../schema/role.schema.json`"),
    ),
    (
        "file-not-in-the-format",
        {"kpi.yml": KPI},
        (
            "kpi.yml",
            0,
            None,
            "unknown-file",
            "this file is not part of the content format and is ignored",
            "did you mean `kpis`?",
        ),
    ),
    (
        "codeowners-out-of-date",
        {"../.github/CODEOWNERS": "* @acme/everyone\n"},
        (
            "../.github/CODEOWNERS",
            1,
            1,
            "codeowners-outdated",
            "CODEOWNERS has no block generated from the `approvers`",
            "run `playbook codeowners`",
        ),
    ),
    # what the reader refuses before YAML
    (
        "latin-1-file",
        {"roles/sales-manager.yml": Raw(ROLE.replace("Leads", "L\xe9ads").encode("latin-1"))},
        (
            "roles/sales-manager.yml",
            3,
            11,
            "not-utf8",
            "the file is not UTF-8 (byte 0xe9 cannot be decoded)",
            "save the file as UTF-8",
        ),
    ),
    (
        "file-over-2-mib",
        {"glossary.yml": "terms:\n" + "  # padding\n" * 200_000},
        ("glossary.yml", 1, 1, "file-too-large", "the file is 2,400,007 bytes; the limit is 2,097,152", "split the content"),
    ),
    (
        "alias-bomb",
        {
            "roles/sales-manager.yml": ROLE
            + 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
            + "".join(f"{level}: &{level} [" + ",".join([f"*{chr(ord(level) - 1)}"] * 9) + "]\n" for level in "bcdef")
        },
        ("roles/sales-manager.yml", 1, 1, "alias-limit", "expands to more than 100,000 values", "write the values out"),
    ),
    (
        "runaway-brackets",
        {"roles/sales-manager.yml": ROLE + "owns: " + "[" * 100 + "]" * 100 + "\n"},
        ("roles/sales-manager.yml", 6, 71, "too-deep", "nested more than 64 levels deep", "check for runaway brackets"),
    ),
    # the folder
    (
        "no-content-directory",
        {".": None},
        ("", 0, None, "no-content", "the content directory does not exist", "pass --content DIR"),
    ),
    (
        "file-where-a-folder-belongs",
        {"kpis/win-rate.yml": None, "kpis": KPI},
        ("kpis", 0, None, "not-a-folder", "`kpis` must be a folder inside the content directory", ""),
    ),
    (
        "link-out-of-the-content",
        {"roles/sales-manager.yml": Link("../../secret.yml", ROLE)},
        (
            "roles/sales-manager.yml",
            0,
            None,
            "symlink-outside",
            "symbolic link to a place outside the content directory",
            "replace the link",
        ),
    ),
    (
        "folder-named-like-a-file",
        {"roles/folder.yml": Folder()},
        ("roles/folder.yml", 0, None, "unreadable", "cannot read the file: Is a directory", "make it a regular file"),
    ),
    # results/<kpi-id>.csv and activity.yml (issue 16)
    (
        "results-separated-by-semicolons",
        {"results/win-rate.csv": "Period;value\n2026-Q1;20\n"},
        ("results/win-rate.csv", 1, 1, "results-header", "is one cell: the file separates cells with `;`", "use commas"),
    ),
    (
        "results-decimal-comma",
        {"results/win-rate.csv": "period,value\n2026-Q1,18,5\n"},
        ("results/win-rate.csv", 2, 9, "results-row", "this row has 3 cells but the header has 2", "write 18.5"),
    ),
    (
        "results-quote-never-closed",
        {"results/win-rate.csv": 'period,value,note\n2026-Q1,18,"never closed\n'},
        ("results/win-rate.csv", 2, 12, "csv-syntax", "CSV syntax error", "add the closing quote"),
    ),
    (
        "results-percent-sign",
        {"results/win-rate.csv": "period,value\n2026-Q1,18.5%\n"},
        ("results/win-rate.csv", 2, 9, "bad-number", "`18.5%` is not a number", "write the percent without the sign"),
    ),
    (
        "results-quarter-written-backwards",
        {"results/win-rate.csv": "period,value\nQ3 2026,18\n"},
        ("results/win-rate.csv", 2, 1, "bad-period", "`Q3 2026` is not a period", "`2026-Q3`"),
    ),
    (
        "results-period-twice",
        {"results/win-rate.csv": "period,value\n2026-Q1,18\n2026-Q1,19\n"},
        ("results/win-rate.csv", 3, 1, "duplicate-period", "written twice (first on line 2)", "keep one row per period"),
    ),
    (
        "results-month-for-a-quarterly-target",
        {"results/win-rate.csv": "period,value\n2026-07,18\n"},
        (
            "results/win-rate.csv",
            2,
            1,
            "period-form",
            "is a month, but the target of Win rate counts per quarter",
            "write quarters",
        ),
    ),
    (
        "results-percent-out-of-range",
        {"results/win-rate.csv": "period,value\n2026-Q1,1850\n"},
        ("results/win-rate.csv", 2, 9, "implausible-value", "1,850% is not a plausible value for Win rate", "decimal point"),
    ),
    (
        "results-for-next-year",
        {"results/win-rate.csv": "period,value\n2027-Q1,18\n"},
        ("results/win-rate.csv", 2, 1, "future-period", "period 2027-Q1 has not begun yet", "check the year"),
    ),
    (
        "activity-in-the-future",
        {"activity.yml": "entries:\n  - step: joint-meetings\n    date: 2027-01-05\n"},
        ("activity.yml", 3, 11, "future-date", "2027-01-05 is in the future", "once it has happened"),
    ),
    (
        "results-for-a-misspelt-kpi",
        {"results/win-rat.csv": "period,value\n2026-Q1,18\n"},
        ("results/win-rat.csv", 1, 1, "unknown-kpi", "there is no KPI `win-rat`", "did you mean `win-rate`?"),
    ),
    (
        "survey-misspelt-statement",
        {"survey/2026-Q3.csv": "function,shared-definiton,shared-target\nsales,3,4\n"},
        ("survey/2026-Q3.csv", 1, 10, "survey-header", "unknown column `shared-definiton`", "did you mean `shared-definition`?"),
    ),
    (
        "survey-without-function-column",
        {"survey/2026-Q3.csv": "team,shared-definition\nEMEA,3\n"},
        ("survey/2026-Q3.csv", 1, 1, "survey-header", "the header has no `function` column", "function id"),
    ),
    (
        "survey-misspelt-function",
        {"survey/2026-Q3.csv": "function,team,shared-definition,shared-target\nsales,EMEA,3,4\nmarketting,,2,5\n"},
        ("survey/2026-Q3.csv", 3, 1, "survey-row", "unknown function `marketting`", "did you mean `marketing`?"),
    ),
    (
        "survey-answer-off-the-scale",
        {"survey/2026-Q3.csv": "function,team,shared-definition,shared-target\nsales,EMEA,3,6\n"},
        (
            "survey/2026-Q3.csv",
            2,
            14,
            "survey-answer",
            "`6` is not an answer on the diagnostic's scale",
            "from 1 (strongly disagree) to 5",
        ),
    ),
    (
        "survey-answer-as-a-label",
        {"survey/2026-Q3.csv": "function,team,shared-definition,shared-target\nsales,EMEA,Agree,4\n"},
        ("survey/2026-Q3.csv", 2, 12, "survey-answer", "`Agree` is not an answer", "write 4 for `Agree`"),
    ),
    (
        "survey-row-with-a-cell-too-many",
        {"survey/2026-Q3.csv": "function,team,shared-definition,shared-target\nsales,EMEA,3,4,5\n"},
        ("survey/2026-Q3.csv", 2, 16, "survey-row", "this row has 5 cells but the header has 4", "one cell per column"),
    ),
    (
        "survey-team-as-a-formula",
        {"survey/2026-Q3.csv": 'function,team,shared-definition,shared-target\nsales,=HYPERLINK("x"),3,4\n'},
        ("survey/2026-Q3.csv", 2, 7, "survey-row", "which a spreadsheet reads as a formula", "without the leading sign"),
    ),
    (
        "survey-team-with-a-hidden-character",
        {"survey/2026-Q3.csv": "function,team,shared-definition,shared-target\nsales,EM\u200bEA,3,4\n"},
        ("survey/2026-Q3.csv", 2, 9, "control-character", "ZERO WIDTH SPACE", "delete it"),
    ),
    (
        "survey-round-too-large",
        {"survey/2026-Q3.csv": Raw(b"function,shared-definition\n" + b"sales,3\n" * 300_000)},
        (
            "survey/2026-Q3.csv",
            0,
            0,
            "file-too-large",
            "survey rounds are limited to 2,097,152 bytes",
            "one short row per respondent",
        ),
    ),
    (
        "survey-round-in-the-future",
        {"survey/2027-Q1.csv": "function,team,shared-definition,shared-target\nsales,EMEA,3,4\n"},
        ("survey/2027-Q1.csv", 1, 1, "survey-round", "round 2027-Q1 has not begun yet", "check the year"),
    ),
    (
        "survey-round-not-a-period",
        {"survey/Q3-2026.csv": "function,team,shared-definition,shared-target\nsales,EMEA,3,4\n"},
        ("survey/Q3-2026.csv", 1, 1, "survey-round", "the file name `Q3-2026` is not a period", "`2026-Q3`"),
    ),
    (
        "survey-stage-typed-by-hand-differs",
        {"survey/2026-Q3.csv": "function,team,shared-definition,shared-target\n" + "sales,EMEA,5,5\n" * 5},
        (
            "playbook.yml",
            5,
            12,
            "survey-stage-differs",
            "`alignment.current` is `defined`, but the 2026-Q3 survey places the teams at `integrated`",
            "leave `current` out",
        ),
    ),
    (
        "kpi-without-results",
        {"results/win-rate.csv": "period,value\n2026-Q3,18\n", "kpis/pipeline.yml": KPI.replace("Win rate", "Pipeline")},
        ("kpis/pipeline.yml", 0, None, "no-results", "KPI `pipeline` (Pipeline) has no results yet", "results/pipeline.csv"),
    ),
    (
        "results-a-year-old",
        {"results/win-rate.csv": "period,value\n2025-Q3,18\n"},
        (
            "results/win-rate.csv",
            2,
            1,
            "stale-results",
            "has no result for 2026-Q3 (its latest is 2025-Q3)",
            "add the row for 2026-Q3",
        ),
    ),
    (
        "practice-not-held-this-quarter",
        {
            "checklist.yml": "steps:\n  - id: joint-meetings\n    title: Joint meetings\n    description: Meet.\n"
            "    owner: sales-manager\n    cadence: quarterly\n",
            "activity.yml": "entries:\n  - step: joint-meetings\n    date: 2026-01-05\n",
        },
        ("activity.yml", 3, 11, "overdue-step", "is quarterly and last happened on 2026-01-05", "record it in activity.yml"),
    ),
]


def release_check(root: Path) -> list[Problem]:
    """What `playbook publish` refuses: the content is valid, its drafts are not all left out cleanly."""
    loaded = load_all(root)
    return release_problems(loaded.playbook, source_locate(loaded.playbook, loaded.sources, lambda rel: f"{root}/{rel}"))


class _WithFlag(Role):
    urgent: bool = False  # true/false: a kind of field the content format does not have


def safety_net(root: Path) -> list[Problem]:
    """How the loader words a refusal it has no words of its own for (`invalid`): validated against a role with
    a true/false field, since no field of the content format can be refused that way (the fuzz tests check)."""
    problems: list[Problem] = []
    source = Reader(problems).parse((root / "roles" / "sales-manager.yml").read_bytes(), f"{root}/roles/sales-manager.yml")
    assert source is not None
    validate_source(source, _WithFlag, problems, {"id": "sales-manager"})
    return problems


def template_check(root: Path) -> list[Problem]:
    """What the build refuses that no content can cause: a template (an override in the repository's
    templates/) that links to a page the site does not have."""
    templates = root.parent / "templates"
    shutil.copytree(REPO / "templates", templates)
    home = templates / "home.html.j2"
    home.write_text(home.read_text(encoding="utf-8") + '<p><a href="roles/nobody/">Nobody</a></p>\n', encoding="utf-8")
    project = build_project(load_all(root).playbook, Options(templates_dir=templates))
    return [dataclasses.replace(p, path=str(root / p.path)) for p in project.problems]


def survey_import_check(root: Path) -> list[Problem]:
    """What `playbook survey import` refuses before it writes: a header close to a statement, not confirmed."""
    from playbook_site.content.survey_import import import_rows

    rows = [["Timestamp", "Function", "We share one lead definiton", "We share one revenue target."], ["x", "Sales", "4", "5"]]
    return import_rows(
        rows, str(root / "export.csv"), "2026-Q3", load_all(root).playbook, today=date(2026, 11, 23), confirmed=False
    ).problems


# Codes `playbook validate` does not report, each reached by the function that reports it: the release checks
# of `playbook publish` (on content that is valid), and the safety net for refusals without words of their own.
BEYOND_VALIDATE: list[
    tuple[str, dict[str, str | None], Callable[[Path], list[Problem]], tuple[str, int, int | None, str, str, str]]
] = [
    (
        "survey-import-close-match-not-confirmed",
        {},
        survey_import_check,
        (
            "export.csv",
            1,
            3,
            "survey-import",
            "the column `We share one lead definiton` is close to statement `shared-definition`",
            "--yes",
        ),
    ),
    (
        "published-role-reports-to-a-draft",
        {"roles/sales-manager.yml": ROLE + "status: draft\n"},
        release_check,
        (
            "roles/account-executive.yml",
            7,
            13,
            "draft-reference",
            "agreed role `account-executive` (Account Executive) refers to draft role `sales-manager` (Sales Manager) in `reports_to`",
            "agree the role first (`status: proposed` or `agreed`",
        ),
    ),
    (
        "draft-playbook",
        {"playbook.yml": META + "status: draft\n"},
        release_check,
        ("playbook.yml", 4, 9, "draft-playbook", "the playbook itself is a draft", "set `status: proposed` or `agreed`"),
    ),
    (
        "draft-statement-breaks-the-bands",
        {
            "alignment.yml": bands((2, 6), (7, 10)).replace(
                "  - id: b\n    text: t\n", "  - id: b\n    text: t\n    status: draft\n"
            ),
            "playbook.yml": META,
        },
        release_check,
        (
            "alignment.yml",
            15,
            13,
            "draft-diagnostic",
            "without its drafts (diagnostic statement `b`) the published self-assessment's score bands would not cover every total from 1 to 5",
            "agree the draft stages and statements",
        ),
    ),
    (
        "refusal-without-words-of-its-own",
        {"roles/sales-manager.yml": ROLE + "urgent: maybe\n"},
        safety_net,
        (
            "roles/sales-manager.yml",
            6,
            9,
            "invalid",
            "`urgent`: Input should be a valid boolean",
            "see `urgent` in the format reference",
        ),
    ),
    (
        "template-links-to-no-page",
        {},
        template_check,
        ("site/index.md", 0, 0, "broken-link", "the link `roles/nobody/` on index.md leads to no page", "fix the template"),
    ),
]


@pytest.mark.parametrize(("case", "files", "how", "expected"), BEYOND_VALIDATE, ids=[c[0] for c in BEYOND_VALIDATE])
def test_what_validate_does_not_report_is_reported_where_it_is_checked(
    tmp_path: Path,
    case: str,
    files: dict[str, str | None],
    how: Callable[[Path], list[Problem]],
    expected: tuple[str, int, int | None, str, str, str],
) -> None:
    root = write_content(tmp_path / "content", files)
    problems = how(root)
    record_codes("corpus", {p.code for p in problems})
    found = [(p.path, p.line, p.column, p.code, p.message, p.hint) for p in problems]
    matches = matching(found, root, expected)
    assert matches, f"expected {expected} among:\n" + "\n".join(map(str, found))
    assert expected[5] and expected[5] in matches[0][5], f"{case}: hint {matches[0][5]!r}"
    assert run_cli("validate", "--content", str(root)).exit_code == 0 or how is safety_net  # valid content


def test_the_corpus_covers_every_problem_code() -> None:
    """Every code in generator/playbook_site/codes.py has a case: in CASES when `playbook validate` reports it, else in BEYOND_VALIDATE."""
    assert len(CASES) >= 40
    assert len({c[0] for c in CASES + BEYOND_VALIDATE}) == len(CASES) + len(BEYOND_VALIDATE)
    validated = {case[2][3] for case in CASES}
    beyond = {case[3][3] for case in BEYOND_VALIDATE}
    assert not set(CODES) - validated - beyond, (
        f"add a case to tests/test_errors.py for: {sorted(set(CODES) - validated - beyond)}"
    )
    assert validated | beyond <= set(CODES)
    publishing = {code for code, check in CODES.items() if check.kind == "publishing"}
    assert beyond == publishing | {"invalid", "broken-link", "survey-import"}, (
        "only what `playbook validate` cannot report is left to BEYOND_VALIDATE"
    )


def write_case(root: Path, files: dict[str, str | Raw | Folder | Link | None]) -> Path:
    """The minimal playbook with a case's files: text, bytes, folders, links; "." None: no content directory."""
    write_content(root, {rel: value if isinstance(value, str) else None for rel, value in files.items()})
    for rel, value in files.items():
        target = root / rel
        if isinstance(value, (Raw, Folder, Link)):
            target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(value, Raw):
            target.write_bytes(value.data)
        elif isinstance(value, Folder):
            target.mkdir()
        elif isinstance(value, Link):
            (target.parent / value.target).write_text(value.text, encoding="utf-8")
            target.symlink_to(value.target)
    if files.get(".", "") is None:
        shutil.rmtree(root)
    return root


def matching(
    found: list[tuple[str, int, int, str, str, str]], root: Path, expected: tuple[str, int, int | None, str, str, str]
) -> list[tuple[str, int, int, str, str, str]]:
    path, line, column, code, message, _hint = expected
    where = os.path.realpath(root / path)  # CODEOWNERS is shown relative to the working directory
    return [
        f
        for f in found
        if os.path.realpath(f[0]) == where
        and f[1] == line
        and (column is None or f[2] == column)
        and f[3] == code
        and message in f[4]
    ]


WITHOUT_HINT: set[str] = set()  # every problem says how to fix it


@pytest.mark.parametrize(("case", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported(
    tmp_path: Path,
    case: str,
    files: dict[str, str | Raw | Folder | Link | None],
    expected: tuple[str, int, int | None, str, str, str],
) -> None:
    root = write_case(tmp_path / "content", files)
    path, line, column, code, message, hint = expected
    strict = ["--strict"] if CODES[code].kind == "warning" else []  # a warning fails the check with --strict
    result = run_cli("validate", "--content", str(root), "--format", "json", *strict)
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["errors"] >= 1
    record_codes("corpus", {p["code"] for p in report["problems"]})
    found = [(p["path"], p["line"], p["column"], p["code"], p["message"], p["hint"]) for p in report["problems"]]
    matches = matching(found, root, expected)
    assert matches, f"expected {expected} among:\n" + "\n".join(map(str, found))
    assert matches[0][5] or code in WITHOUT_HINT, f"{case}: every problem says how to fix it"
    assert hint in matches[0][5], f"{case}: hint {matches[0][5]!r}"
    assert len(found) == len(set(found)), "no problem is reported twice"
    text = run_cli("validate", "--content", str(root), *strict)
    assert text.exit_code == 1 and "Traceback" not in text.output
    shown = matches[0][0]
    assert f"{shown}:{line}:" in text.stderr if line else f"{shown}: error:" in text.stderr


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    root = write_content(
        tmp_path / "content", {"roles/sales-manager.yml": ROLE + f"owns: !!python/object/apply:os.system ['touch {marker}']\n"}
    )
    assert run_cli("validate", "--content", str(root)).exit_code == 1
    assert not marker.exists()


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"kpis/win-rate.yml": KPI + "review_by: 2026-01-31\n"})
    relaxed = run_cli("validate", "--content", str(root))
    assert relaxed.exit_code == 0
    assert "warning: KPI `win-rate` (Win rate) was due for review on 2026-01-31 [stale]" in relaxed.stderr
    strict = run_cli("validate", "--content", str(root), "--strict")
    assert strict.exit_code == 1
    assert "error: KPI `win-rate` (Win rate) was due for review on 2026-01-31 [stale]" in strict.stderr


def test_unknown_files_are_warnings(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"kpi.yml": KPI, "roles/notes.txt": "scratch"})
    result = run_cli("validate", "--content", str(root), "--format", "json")
    assert result.exit_code == 0
    codes = {(Path(p["path"]).name, p["code"], p["severity"]) for p in json.loads(result.stdout)["problems"]}
    assert codes == {("kpi.yml", "unknown-file", "warning"), ("notes.txt", "unknown-file", "warning")}


def test_not_utf8(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    (root / "roles" / "sales-manager.yml").write_bytes(ROLE.replace("Leads", "L\xe9ads").encode("latin-1"))
    report = json.loads(run_cli("validate", "--content", str(root), "--format", "json").stdout)
    assert [(p["line"], p["column"], p["code"]) for p in report["problems"]] == [(3, 11, "not-utf8")]
    assert "save the file as UTF-8" in report["problems"][0]["hint"]


def test_symlink_outside_content_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.yml"
    outside.write_text(ROLE, encoding="utf-8")
    root = write_content(tmp_path / "content", {"roles/sales-manager.yml": None})
    (root / "roles" / "sales-manager.yml").symlink_to(outside)
    report = json.loads(run_cli("validate", "--content", str(root), "--format", "json").stdout)
    assert ("symlink-outside", f"{root}/roles/sales-manager.yml") in {(p["code"], p["path"]) for p in report["problems"]}


def test_github_annotations_cannot_be_injected(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {"kpis/win-rate.yml": KPI.replace("unit: percent", 'unit: "x\\n::error file=evil::owned\\u001b[31m"')},
    )
    result = run_cli("validate", "--content", str(root), "--format", "github")
    lines = result.stdout.splitlines()
    assert all(line.startswith("::error file=") and "evil" not in line.split("::")[1] for line in lines[:-1])
    assert not any(line.startswith("::error file=evil") for line in lines)
    assert "\x1b" not in result.stdout


def test_a_refused_value_is_reported_once(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {
            "roles/sales-manager.yml": ROLE.replace("name: Sales Manager", "name: !!binary aGVsbG8="),
            "leads/sales-qualified-lead.yml": LEAD.replace("order: 2", "order: " + "9" * 4500),
        },
    )
    report = json.loads(run_cli("validate", "--content", str(root), "--format", "json").stdout)
    # Not also "`name` must be text, not nothing" or "`order` must be a whole number".
    assert sorted((Path(p["path"]).name, p["code"]) for p in report["problems"]) == [
        ("sales-manager.yml", "unsafe-tag"),
        ("sales-qualified-lead.yml", "bad-value"),
    ]


def test_every_problem_in_every_file_is_reported_at_once(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content",
        {
            "roles/sales-manager.yml": ROLE.replace("responsibilities:", "responsibilites:"),
            "kpis/win-rate.yml": KPI.replace("unit: percent", "unit: percentage"),
            "leads/sales-qualified-lead.yml": LEAD + "review_by: 2026-01-31\n",
            "glossary.yml": "terms: [\n",
            "checklist.yml": "steps:\n  - id: a\n    title: A\n    description: <b>x</b>\n    owner: sales-manager\n",
        },
    )
    result = run_cli("validate", "--content", str(root))
    assert result.exit_code == 1
    located = [line.split(": ")[0] for line in result.stderr.splitlines() if line.startswith(str(root) + "/")]
    assert located == [
        f"{root}/checklist.yml:4:18",
        f"{root}/glossary.yml:2:1",
        f"{root}/kpis/win-rate.yml:4:7",
        f"{root}/leads/sales-qualified-lead.yml:7:12",  # the passed review date is shown too, as a warning
        f"{root}/roles/sales-manager.yml:4:1",  # once: the misspelt field is not also "missing"
    ]
    assert result.stderr.rstrip().endswith(f"{root}: 4 errors, 1 warning")


def test_how_an_error_reads(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content", {"roles/sales-manager.yml": ROLE.replace("function: sales", "function: 営業 sales")}
    )
    lines = run_cli("validate", "--content", str(root)).stderr.splitlines()
    assert lines[:4] == [
        f"{root}/roles/sales-manager.yml:2:11: error: `営業 sales` is not an allowed value for `function` [bad-value]",
        "  2 | function: 営業 sales",
        "    |           ^",
        "  hint: did you mean `sales`? use one of: `marketing`, `sales`, `customer-success`, `revenue-operations` or"
        " `leadership`; to use other functions, list them under `functions:` in playbook.yml",
    ]


# The slips README.md's "How to read an error" shows: (file, the line as written, the line with the slip, the line fixed).
README_SLIPS = {
    "colon-in-a-list-item": (
        "roles/account-executive.yml",
        "  - Generating top-of-funnel demand or running campaigns.\n",
        "  - Note: Marketing runs campaigns.\n",
        '  - "Note: Marketing runs campaigns."\n',
    ),
    "curly-quotes": (
        "roles/sales-manager.yml",
        "owns: the sales forecast\n",
        "owns: \u201cthe forecast: every week, every rep\u201d\n",
        'owns: "the forecast: every week, every rep"\n',
    ),
    "thousands-separator": ("kpis/customer-acquisition-cost.yml", "  value: 42000\n", "  value: 42,000\n", "  value: 42000\n"),
}


def readme_block(readme: str, name: str) -> tuple[int, int]:
    """Where the text of README.md's example `name` starts and ends (inside its fence)."""
    marker = f"<!-- error-example:{name} -->\n```text\n"
    assert readme.count(marker) == 1, f"README.md has no example {name!r}"
    start = readme.index(marker) + len(marker)
    return start, readme.index("```\n", start)


@pytest.mark.parametrize("name", README_SLIPS)
def test_the_readme_shows_what_validate_prints_for_each_slip(tmp_path: Path, request: pytest.FixtureRequest, name: str) -> None:
    """Each slip made in a copy of the bundled playbook is its one error, printed as README.md shows it (the
    located line, the line itself, the caret and the hint); the line as the hint writes it makes the copy valid."""
    rel, written, slip, fixed = README_SLIPS[name]
    shutil.copytree(DEFAULT_CONTENT, tmp_path / "content")
    path = tmp_path / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(written) == 1
    path.write_text(text.replace(written, slip), encoding="utf-8")
    result = run_cli("validate", cwd=tmp_path)
    lines = result.stderr.splitlines()
    errors = [i for i, line in enumerate(lines) if ": error: " in line]
    assert result.exit_code == 1 and len(errors) == 1, result.stderr
    assert lines[errors[0]].startswith(f"content/{rel}:")
    shown = "\n".join(lines[errors[0] : errors[0] + 4]) + "\n"
    assert lines[errors[0] + 3].startswith("  hint: ")
    readme_path = REPO / "README.md"
    readme = readme_path.read_text(encoding="utf-8")
    start, end = readme_block(readme, name)
    if request.config.getoption("--update-golden"):
        golden_file(request.config, readme_path, readme[:start] + shown + readme[end:])
        readme = readme_path.read_text(encoding="utf-8")
        start, end = readme_block(readme, name)
    assert readme[start:end] == shown, "README.md's example is not what `playbook validate` prints: run `make golden`"
    assert fixed.strip() in lines[errors[0] + 3], "the hint writes the line fixed"
    path.write_text(text.replace(written, fixed), encoding="utf-8")
    assert run_cli("validate", cwd=tmp_path).exit_code == 0


def test_the_caret_stays_under_the_mistake_after_wide_characters_and_in_long_lines(tmp_path: Path) -> None:
    long_text = "営業 " + "word " * 60 + "<script>"
    root = write_content(tmp_path / "content", {"kpis/win-rate.yml": KPI.replace("definition: d", f"definition: {long_text}")})
    lines = run_cli("validate", "--content", str(root)).stderr.splitlines()
    excerpt, caret = lines[1], lines[2]
    assert excerpt.startswith("  2 | ...") and excerpt.endswith("word <script>") and len(excerpt) < 120
    assert caret.index("^") == excerpt.index("<script>")


def test_trailing_comment_that_swallows_text_is_a_warning(tmp_path: Path) -> None:
    root = write_content(
        tmp_path / "content", {"roles/sales-manager.yml": ROLE.replace("Leads the team.", "Leads the team #1 priority")}
    )
    relaxed = run_cli("validate", "--content", str(root))
    assert relaxed.exit_code == 0
    assert (
        f"{root}/roles/sales-manager.yml:3:25: warning: the text after ` #` is a comment and is not part of `summary`"
        in relaxed.stderr
    )
    assert 'put the whole text in straight double quotes: summary: "Leads the team #1 priority"' in relaxed.stderr
    assert run_cli("validate", "--content", str(root), "--strict").exit_code == 1


def test_a_folder_named_like_a_file_is_reported(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    (root / "roles" / "folder.yml").mkdir()
    result = run_cli("validate", "--content", str(root))
    assert result.exit_code == 1
    assert f"{root}/roles/folder.yml: error: cannot read the file: Is a directory [unreadable]" in result.stderr


def test_file_names_cannot_forge_output_lines(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"roles/x\n::error file=evil::forged\x1b[2J.yml": ROLE})
    for output_format in ("text", "github"):
        result = run_cli("validate", "--content", str(root), "--format", output_format)
        assert result.exit_code == 1
        output = result.output
        assert "\x1b" not in output
        assert not any(line.startswith("::error file=evil") for line in output.splitlines())
    assert "roles/x\\x0a::error file=evil::forged\\x1b[2J.yml:1:1: error:" in run_cli("validate", "--content", str(root)).stderr


@pytest.mark.parametrize("command", ["build", "generate", "export"])
def test_bad_content_never_shows_a_traceback_unless_debug(tmp_path: Path, command: str) -> None:
    project = make_site_project(tmp_path / "repo")
    write_content(project / "content", {"roles/sales-manager.yml": ROLE + "owns: [unclosed\n"})
    args = {"build": ["build"], "generate": ["generate", "--out", "pages"], "export": ["export", "--out", "exports"]}[command]
    quiet = subprocess.run(
        [sys.executable, "-m", "playbook_site.cli", *args], cwd=project, capture_output=True, text=True, timeout=120
    )
    assert quiet.returncode == 1, quiet.stderr
    assert "Traceback" not in quiet.stdout + quiet.stderr
    assert "content/roles/sales-manager.yml:6:7: error: YAML syntax error" in quiet.stderr
    assert "nothing was written" in quiet.stderr
    assert not (project / "site").exists() and not (project / "pages").exists() and not (project / "exports").exists()
    loud = subprocess.run(
        [sys.executable, "-m", "playbook_site.cli", "--debug", *args], cwd=project, capture_output=True, text=True, timeout=120
    )
    assert loud.returncode == 1
    assert "Traceback (most recent call last)" in loud.stderr and "playbook_site.errors.ContentError" in loud.stderr


# --- every date the validator accepts builds -----------------------------------------


@pytest.mark.parametrize("command", ["validate", "build"])
@pytest.mark.parametrize(
    ("rel", "old", "new"),
    [
        ("activity.yml", "date: 2026-02-10", "date: 9999-12-31"),
        ("activity.yml", "date: 2026-02-10", "date: 0001-01-01"),
        ("roles/account-executive.yml", "kpis:", "review_by: 9999-12-31\nkpis:"),
        ("kpis/win-rate.yml", "cadence:", "review_by: 0001-01-01\ncadence:"),
    ],
    ids=["activity-9999", "activity-0001", "review-9999", "review-0001"],
)
def test_a_date_beyond_the_horizon_is_refused_not_a_crash(tmp_path: Path, command: str, rel: str, old: str, new: str) -> None:
    """Issue 21, finding 7: an activity date of 9999-12-31 raised `year 10000 is out of range` in validate and build."""
    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    path = project / "content" / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("playbook")), command], cwd=project, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "[bad-date]" in result.stderr, result.stderr[-3000:]
    assert f"{rel}:" in result.stderr


# --- every check is documented ------------------------------------------------------


def test_every_check_is_documented_where_the_readme_points() -> None:
    """The README sends readers to reference/checks.md, generated from generator/playbook_site/codes.py (which
    tests/test_reference.py keeps up to date): every code is there with its trigger and its fix."""
    from playbook_site.codes import CODES

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "(reference/checks.md)" in readme
    table = (REPO / "reference" / "checks.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in table]
    assert not missing, f"run `playbook reference`: {missing}"
