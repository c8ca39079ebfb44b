"""The slips of editors who write in a word processor or a web editor, then paste: each gets one problem,
at the line where the fix goes, with a message and a hint for someone who has never heard of YAML.

Each case is a real file written over the minimal playbook; the expected problem is the only one
reported for that file, with its exact line, column, code, severity, message and hint.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli, write_content

ROLE = "name: Sales Manager\nfunction: sales\nsummary: Leads the team.\nresponsibilities:\n  - Coaches the reps.\n"
KPI = "name: Win rate\ndefinition: Share of deals won.\nformula: won / (won + lost)\nunit: percent\ndirection: higher\nowner: sales-manager\n"
LEAD = "name: Sales Qualified Lead\nabbreviation: SQL\norder: 2\ndefinition: A lead sales has qualified.\nowner: account-executive\nentry_criteria:\n  - Budget confirmed.\n"
HANDOFF = "handoff:\n  to: sales-manager\n"
META = "title: T\norganization: O\nsummary: S\n"
R, K, L = "roles/sales-manager.yml", "kpis/win-rate.yml", "leads/sales-qualified-lead.yml"
STEP = "steps:\n  - id: joint-meetings\n    title: Joint meetings\n    owner: sales-manager\n"


# (case, files written over the minimal playbook, (file, line, column, code, severity, message, hint))
Slip = tuple[str, dict[str, str | None], tuple[str, int, int, str, str, str, str]]
SLIPS: list[Slip] = [
    (
        "colon-in-a-list-item",
        {R: ROLE + "  - Note: runs the weekly review\n"},
        (
            "roles/sales-manager.yml",
            6,
            5,
            "wrong-type",
            "error",
            "the colon in `Note: runs the weekly review` makes this item of `responsibilities` read as a field, not as text",
            'put the whole item in straight double quotes: - "Note: runs the weekly review"',
        ),
    ),
    (
        "colon-in-an-onboarding-step",
        {R: ROLE + "onboarding:\n  - Day one: meet the team\n"},
        (
            "roles/sales-manager.yml",
            7,
            5,
            "wrong-type",
            "error",
            "the colon in `Day one: meet the team` makes this item of `onboarding` read as a field, not as text",
            'put the whole item in straight double quotes: - "Day one: meet the team"',
        ),
    ),
    (
        "colon-in-a-value",
        {R: ROLE.replace("summary: Leads the team.", "summary: Owns: the team")},
        (
            "roles/sales-manager.yml",
            3,
            14,
            "yaml-syntax",
            "error",
            "the colon in `Owns: the team` makes `summary` look like it holds another field",
            'put the whole text in straight double quotes: summary: "Owns: the team"',
        ),
    ),
    (
        "colon-on-a-continued-line",
        {R: ROLE.replace("summary: Leads the team.", "summary: Leads the team\n  Owns: the forecast")},
        (
            "roles/sales-manager.yml",
            4,
            7,
            "yaml-syntax",
            "error",
            "the colon in `Owns: the forecast` makes the text of `summary` look like it holds another field",
            "put the whole text of `summary` in straight double quotes, from line 3 to line 4",
        ),
    ),
    (
        "two-colons-in-a-list-item",
        {R: ROLE + "  - Note: runs: the weekly review\n"},
        (
            "roles/sales-manager.yml",
            6,
            15,
            "yaml-syntax",
            "error",
            "the colon in `Note: runs: the weekly review` makes this item of `responsibilities` look like it holds another field",
            'put the whole text in straight double quotes: - "Note: runs: the weekly review"',
        ),
    ),
    (
        "hash-inside-a-value",
        {R: ROLE.replace("summary: Leads the team.", "summary: Calls back within 24h #1 priority")},
        (
            "roles/sales-manager.yml",
            3,
            32,
            "trailing-comment",
            "warning",
            "the text after ` #` is a comment and is not part of `summary`",
            'to keep it, put the whole text in straight double quotes: summary: "Calls back within 24h #1 priority"; to keep a comment, put it on its own line',
        ),
    ),
    (
        "hash-inside-a-list-item",
        {R: ROLE + "  - Calls back within 24h #priority\n"},
        (
            "roles/sales-manager.yml",
            6,
            27,
            "trailing-comment",
            "warning",
            "the text after ` #` is a comment and is not part of `responsibilities`",
            'to keep it, put the whole text in straight double quotes: - "Calls back within 24h #priority"; to keep a comment, put it on its own line',
        ),
    ),
    (
        "hash-starts-a-value",
        {R: ROLE + "owns: #1 priority\n"},
        (
            "roles/sales-manager.yml",
            6,
            7,
            "trailing-comment",
            "warning",
            "`owns` is empty: the text after `#` is read as a comment",
            'to keep the text, put it in straight double quotes: owns: "#1 priority"',
        ),
    ),
    (
        "hash-starts-a-list-item",
        {R: ROLE + "onboarding:\n  - #1 read the playbook\n"},
        (
            "roles/sales-manager.yml",
            7,
            5,
            "wrong-type",
            "error",
            "this item of `onboarding` is empty: the text after `#` is read as a comment",
            'to keep the text, put it in straight double quotes: - "#1 read the playbook"',
        ),
    ),
    (
        "en-dash-bullets",
        {R: ROLE.replace("  - Coaches the reps.", "  – Coaches the reps.\n  – Runs the weekly review.")},
        (
            "roles/sales-manager.yml",
            5,
            3,
            "wrong-type",
            "error",
            "the items of `responsibilities` start with `–`, a dash pasted from a document, so they are read as one text, not as a list",
            "start each item with a hyphen and a space in place of `–`: - Coaches the reps.",
        ),
    ),
    (
        "en-dash-after-an-item",
        {R: ROLE + "  – Runs the weekly review.\n"},
        (
            "roles/sales-manager.yml",
            6,
            3,
            "yaml-syntax",
            "error",
            "this item of `responsibilities` starts with `–`, a dash pasted from a document, not with the hyphen a list item needs",
            "type a hyphen and a space in place of `–`: - Runs the weekly review.",
        ),
    ),
    (
        "em-dash-after-an-item",
        {R: ROLE + "  — Runs the weekly review.\n"},
        (
            "roles/sales-manager.yml",
            6,
            3,
            "yaml-syntax",
            "error",
            "this item of `responsibilities` starts with `—`, a dash pasted from a document, not with the hyphen a list item needs",
            "type a hyphen and a space in place of `—`: - Runs the weekly review.",
        ),
    ),
    (
        "round-bullet",
        {R: ROLE + "  • Runs the weekly review.\n"},
        (
            "roles/sales-manager.yml",
            6,
            3,
            "yaml-syntax",
            "error",
            "this item of `responsibilities` starts with `•`, a bullet pasted from a document, not with the hyphen a list item needs",
            "type a hyphen and a space in place of `•`: - Runs the weekly review.",
        ),
    ),
    (
        "star-bullet",
        {R: ROLE + "  * Runs the weekly review.\n"},
        (
            "roles/sales-manager.yml",
            6,
            3,
            "yaml-syntax",
            "error",
            "this item of `responsibilities` starts with `*`, a bullet from a document or an email, not with the hyphen a list item needs",
            "type a hyphen and a space in place of `*`: - Runs the weekly review.",
        ),
    ),
    (
        "numbered-list",
        {R: ROLE.replace("  - Coaches the reps.", "  1. Coaches the reps.\n  2. Runs the weekly review.")},
        (
            "roles/sales-manager.yml",
            5,
            3,
            "wrong-type",
            "error",
            "the items of `responsibilities` start with `1.`, a number from a numbered list, so they are read as one text, not as a list",
            "start each item with a hyphen and a space in place of `1.`: - Coaches the reps.",
        ),
    ),
    (
        "number-after-an-item",
        {R: ROLE + "  2. Runs the weekly review.\n"},
        (
            "roles/sales-manager.yml",
            6,
            3,
            "yaml-syntax",
            "error",
            "this item of `responsibilities` starts with `2.`, a number from a numbered list, not with the hyphen a list item needs",
            "type a hyphen and a space in place of `2.`: - Runs the weekly review.",
        ),
    ),
    (
        "missing-dash-after-an-item",
        {R: ROLE + "  Runs the weekly review.\n"},
        (
            "roles/sales-manager.yml",
            6,
            3,
            "yaml-syntax",
            "error",
            "this line is among the items of `responsibilities` but does not start with `- `",
            "if it is an item of its own, start it with a hyphen and a space: - Runs the weekly review.",
        ),
    ),
    (
        "missing-dash-on-the-only-item",
        {R: ROLE.replace("  - Coaches the reps.", "  Coaches the reps.")},
        (
            "roles/sales-manager.yml",
            5,
            3,
            "wrong-type",
            "error",
            "`responsibilities` must be a list, and this line does not start with `- `",
            "start each item on its own line with a hyphen and a space: - Coaches the reps.",
        ),
    ),
    (
        "no-space-after-the-dash",
        {R: ROLE + "  -Runs the weekly review.\n"},
        (
            "roles/sales-manager.yml",
            6,
            3,
            "yaml-syntax",
            "error",
            "this item of `responsibilities` has no space after its `-`",
            "type a space after the hyphen: - Runs the weekly review.",
        ),
    ),
    (
        "item-indented-into-the-one-above",
        {R: ROLE + "   - Runs the weekly review.\n"},
        (
            "roles/sales-manager.yml",
            6,
            4,
            "yaml-syntax",
            "error",
            "this line is indented more than the item of `responsibilities` above it, so it became part of that item's text",
            "if it is an item of its own, line its `-` up with the `-` on line 5 (remove 1 space)",
        ),
    ),
    (
        "curly-double-quotes",
        {R: ROLE + "owns: \u201cthe deal: from first call to signature\u201d\n"},
        (
            "roles/sales-manager.yml",
            6,
            7,
            "yaml-syntax",
            "error",
            "the curly quotes around this text do not count as quotes (a word processor typed them), so the colon inside it breaks the line",
            'type straight quotes instead: owns: "the deal: from first call to signature"',
        ),
    ),
    (
        "curly-single-quotes",
        {R: ROLE + "owns: \u2018the deal: from first call to signature\u2019\n"},
        (
            "roles/sales-manager.yml",
            6,
            7,
            "yaml-syntax",
            "error",
            "the curly quotes around this text do not count as quotes (a word processor typed them), so the colon inside it breaks the line",
            'type straight quotes instead: owns: "the deal: from first call to signature"',
        ),
    ),
    (
        "straight-quote-closed-curly",
        {R: ROLE + 'owns: "the deal: from first call to signature\u201d\n'},
        (
            "roles/sales-manager.yml",
            6,
            46,
            "yaml-syntax",
            "error",
            "the quote that opens this text is closed with a curly `”`, which does not count as a quote",
            'type a straight `"` in place of the closing `”`: owns: "the deal: from first call to signature"',
        ),
    ),
    (
        "curly-quotes-around-a-hash",
        {R: ROLE.replace("summary: Leads the team.", "summary: \u201cCalls back within 24h #1\u201d")},
        (
            "roles/sales-manager.yml",
            3,
            33,
            "trailing-comment",
            "warning",
            "the text after ` #` is a comment and is not part of `summary`",
            'the curly quotes around it do not count as quotes: type straight double quotes instead: summary: "Calls back within 24h #1"; to keep a comment, put it on its own line',
        ),
    ),
    (
        "apostrophe-in-single-quotes",
        {R: ROLE.replace("summary: Leads the team.", "summary: 'Leads the team's forecast'")},
        (
            "roles/sales-manager.yml",
            3,
            25,
            "yaml-syntax",
            "error",
            "the apostrophe in `team's` ends the quoted text too early",
            "inside single quotes, type the apostrophe twice (''), or use double quotes: summary: \"Leads the team's forecast\"",
        ),
    ),
    (
        "text-starting-with-a-star",
        {R: ROLE.replace("summary: Leads the team.", "summary: *Leads* the team.")},
        (
            "roles/sales-manager.yml",
            3,
            10,
            "yaml-syntax",
            "error",
            "a text that starts with `*` must be in quotes",
            'put the whole text in straight double quotes: summary: "*Leads* the team."',
        ),
    ),
    (
        "no-space-after-a-colon",
        {R: ROLE.replace("function: sales", "function:sales")},
        (
            "roles/sales-manager.yml",
            2,
            10,
            "yaml-syntax",
            "error",
            "`function:` needs a space after the colon to be read as a field",
            "type a space after the colon: function: sales",
        ),
    ),
    (
        "text-wrapped-without-indentation",
        {R: ROLE.replace("summary: Leads the team.", "summary: Leads the team and\nowns the forecast.")},
        (
            "roles/sales-manager.yml",
            4,
            1,
            "yaml-syntax",
            "error",
            "this line starts no field and is not indented, so it is not read as part of `summary` above",
            "if it is the text of `summary`, indent it by 2 spaces (or join it to line 3)",
        ),
    ),
    (
        "non-breaking-space-in-indentation",
        {R: ROLE.replace("  - Coaches the reps.", "\u00a0\u00a0- Coaches the reps.")},
        (
            "roles/sales-manager.yml",
            5,
            1,
            "tab-indent",
            "error",
            "the indentation holds a non-breaking space, which only looks like a space",
            "indent with ordinary spaces: delete the spaces at the start of the line and type them again (2 for each level)",
        ),
    ),
    (
        "non-breaking-space-after-a-colon",
        {R: ROLE.replace("function: sales", "function:\u00a0sales")},
        (
            "roles/sales-manager.yml",
            2,
            10,
            "yaml-syntax",
            "error",
            "a non-breaking space follows `function:`, so the line is not read as it looks",
            "delete the space after `function:` and type an ordinary space",
        ),
    ),
    (
        "zero-width-space-before-a-field",
        {R: ROLE.replace("function: sales", "\u200bfunction: sales")},
        (
            "roles/sales-manager.yml",
            2,
            1,
            "control-character",
            "error",
            "the line holds the invisible character U+200B (ZERO WIDTH SPACE)",
            "delete it: it sits just before `function`; it cannot be seen, but it makes the text differ from what it looks like (it often comes with text copied from a web page or a chat)",
        ),
    ),
    (
        "tabs-for-indentation",
        {R: ROLE.replace("  - Coaches the reps.", "\t- Coaches the reps.\n\t- Runs the weekly review.")},
        (
            "roles/sales-manager.yml",
            5,
            1,
            "tab-indent",
            "error",
            "a tab is used for indentation (also on line 6)",
            "indent with spaces only (2 for each level): replace each tab at the start of a line with spaces; many editors can convert tabs to spaces for the whole file",
        ),
    ),
    (
        "sla-hours-outdented",
        {L: LEAD + HANDOFF + "sla_hours: 4\n"},
        (
            "leads/sales-qualified-lead.yml",
            10,
            1,
            "unknown-field",
            "error",
            "`sla_hours` belongs under `handoff:` (line 8), but it is not indented under it",
            "indent it by 2 spaces so it lines up with `to:` on line 9",
        ),
    ),
    (
        "period-outdented-next-to-cadence",
        {K: KPI + "target:\n  value: 30\nperiod: quarter\ncadence: quarterly\n"},
        (
            "kpis/win-rate.yml",
            9,
            1,
            "unknown-field",
            "error",
            "`period` belongs under `target:` (line 7), but it is not indented under it",
            "indent it by 2 spaces so it lines up with `value:` on line 8",
        ),
    ),
    (
        "period-without-its-block",
        {K: KPI + "period: quarter\n"},
        (
            "kpis/win-rate.yml",
            7,
            1,
            "unknown-field",
            "error",
            "`period` is a field of `target`, not of the file itself",
            "write a line `target:` above it and indent `period` under it by 2 spaces",
        ),
    ),
    (
        "recycle-to-indented-into-handoff",
        {L: LEAD + HANDOFF + "  sla_hours: 4\n  recycle_to: marketing-qualified-lead\n"},
        (
            "leads/sales-qualified-lead.yml",
            11,
            3,
            "unknown-field",
            "error",
            "`recycle_to` is a field of its own, not part of `handoff`",
            "remove 2 spaces before `recycle_to` so it lines up with `handoff:` (line 8)",
        ),
    ),
    (
        "step-field-outdented",
        {"checklist.yml": STEP + "description: Meet every week.\n"},
        (
            "checklist.yml",
            5,
            1,
            "unknown-field",
            "error",
            "`description` belongs under the item of `steps` on line 2, but it is not indented under it",
            "indent it by 4 spaces so it lines up with `owner:` on line 4",
        ),
    ),
    (
        "step-field-half-outdented",
        {"checklist.yml": STEP.replace("    owner:", "  description: Meet every week.\n    owner:")},
        (
            "checklist.yml",
            4,
            3,
            "yaml-syntax",
            "error",
            "`description:` is not lined up with the fields of the item above it",
            "if it belongs to that item, indent it by 2 spaces more so it lines up with `title:` on line 3",
        ),
    ),
    (
        "field-indented-like-list-items",
        {R: ROLE + "  kpis: [win-rate]\n"},
        (
            "roles/sales-manager.yml",
            6,
            3,
            "yaml-syntax",
            "error",
            "`kpis:` is indented like the items of `responsibilities` above",
            "if `kpis` is a field of its own, remove 2 spaces before it so it lines up with `responsibilities:` (line 4)",
        ),
    ),
    (
        "field-indented-under-another",
        {R: ROLE.replace("function: sales", "  function: sales")},
        (
            "roles/sales-manager.yml",
            2,
            3,
            "yaml-syntax",
            "error",
            "`function:` is indented more than `name:` on line 1, so it is read as part of the text of `name`",
            "if `function` is a field of its own, remove 2 spaces before it so it lines up with `name:`",
        ),
    ),
    (
        "period-quarterly",
        {K: KPI + "target:\n  value: 30\n  period: quarterly\n"},
        (
            "kpis/win-rate.yml",
            9,
            11,
            "bad-value",
            "error",
            "`quarterly` is not an allowed value for `period`",
            "write `period: quarter` (a target's `period` is a week, month, quarter or year; the review `cadence` is weekly, monthly, quarterly or yearly)",
        ),
    ),
    (
        "cadence-quarter",
        {K: KPI + "cadence: quarter\n"},
        (
            "kpis/win-rate.yml",
            7,
            10,
            "bad-value",
            "error",
            "`quarter` is not an allowed value for `cadence`",
            "write `cadence: quarterly` (a target's `period` is a week, month, quarter or year; the review `cadence` is weekly, monthly, quarterly or yearly)",
        ),
    ),
    (
        "thousands-separator",
        {K: KPI + "target:\n  value: 400,000\n"},
        (
            "kpis/win-rate.yml",
            8,
            10,
            "wrong-type",
            "error",
            "`value` must be a plain number; `400,000` has a thousands separator",
            "write it with no separator: `value: 400000`",
        ),
    ),
    (
        "thousands-or-decimal-comma",
        {K: KPI + "target:\n  value: 2,500\n"},
        (
            "kpis/win-rate.yml",
            8,
            10,
            "wrong-type",
            "error",
            "`value` must be a plain number; `2,500` has a thousands separator",
            "write it with no separator: `value: 2500` (or `value: 2.5` if the comma is a decimal comma)",
        ),
    ),
    (
        "decimal-comma",
        {K: KPI + "target:\n  value: 2,5\n"},
        (
            "kpis/win-rate.yml",
            8,
            10,
            "wrong-type",
            "error",
            "`value` must be a plain number; `2,5` has a decimal comma",
            "write it with a decimal point: `value: 2.5`",
        ),
    ),
    (
        "european-thousands-and-decimals",
        {K: KPI + "target:\n  value: 1.234,5\n"},
        (
            "kpis/win-rate.yml",
            8,
            10,
            "wrong-type",
            "error",
            "`value` must be a plain number; `1.234,5` has a thousands separator and a decimal comma",
            "write it with no separator: `value: 1234.5`",
        ),
    ),
    (
        "percent-sign",
        {K: KPI + "target:\n  value: 18%\n"},
        (
            "kpis/win-rate.yml",
            8,
            10,
            "wrong-type",
            "error",
            "`value` must be a plain number; `18%` has a % sign",
            "write `value: 18` (`unit: percent` already makes it a percentage)",
        ),
    ),
    (
        "hours-unit",
        {L: LEAD + HANDOFF + "  sla_hours: 4h\n"},
        (
            "leads/sales-qualified-lead.yml",
            10,
            14,
            "wrong-type",
            "error",
            "`sla_hours` must be a plain number; `4h` has a unit",
            "write `sla_hours: 4` (the field counts hours)",
        ),
    ),
    (
        "days-for-hours",
        {L: LEAD + HANDOFF + "  sla_hours: 2 days\n"},
        (
            "leads/sales-qualified-lead.yml",
            10,
            14,
            "wrong-type",
            "error",
            "`sla_hours` must be a plain number of hours; `2 days` counts days",
            "write the time in hours, without a unit: `sla_hours: 48`",
        ),
    ),
    (
        "currency-in-the-number",
        {K: KPI.replace("unit: percent", "unit: currency\ncurrency: USD") + "target:\n  value: USD 50,000\n"},
        (
            "kpis/win-rate.yml",
            9,
            10,
            "wrong-type",
            "error",
            "`value` must be a plain number; `USD 50,000` has a currency",
            "write `value: 50000`, and the currency as a field of its own: `currency: USD`",
        ),
    ),
    (
        "thousands-as-k",
        {K: KPI.replace("unit: percent", "unit: count") + "target:\n  value: 50k\n"},
        (
            "kpis/win-rate.yml",
            8,
            10,
            "wrong-type",
            "error",
            "`value` must be a plain number; `50k` is short for 50000",
            "write the number in full: `value: 50000`",
        ),
    ),
    (
        "order-as-ordinal",
        {L: LEAD.replace("order: 2", "order: 2nd")},
        (
            "leads/sales-qualified-lead.yml",
            3,
            8,
            "wrong-type",
            "error",
            "`order` must be a whole number, written in digits only, not `2nd`",
            "write `order: 2`",
        ),
    ),
    (
        "date-day-month-year",
        {K: KPI + "review_by: 31/12/2026\n"},
        (
            "kpis/win-rate.yml",
            7,
            12,
            "bad-date",
            "error",
            "`review_by` must be a date written year-month-day (YYYY-MM-DD), not `31/12/2026`",
            "write `review_by: 2026-12-31` (31 December 2026)",
        ),
    ),
    (
        "date-month-day-year",
        {K: KPI + "review_by: 12/31/2026\n"},
        (
            "kpis/win-rate.yml",
            7,
            12,
            "bad-date",
            "error",
            "`review_by` must be a date written year-month-day (YYYY-MM-DD), not `12/31/2026`",
            "write `review_by: 2026-12-31` (31 December 2026)",
        ),
    ),
    (
        "date-with-dots",
        {K: KPI + "review_by: 31.12.2026\n"},
        (
            "kpis/win-rate.yml",
            7,
            12,
            "bad-date",
            "error",
            "`review_by` must be a date written year-month-day (YYYY-MM-DD), not `31.12.2026`",
            "write `review_by: 2026-12-31` (31 December 2026)",
        ),
    ),
    (
        "date-in-words",
        {K: KPI + "review_by: Dec 31 2026\n"},
        (
            "kpis/win-rate.yml",
            7,
            12,
            "bad-date",
            "error",
            "`review_by` must be a date written year-month-day (YYYY-MM-DD), not `Dec 31 2026`",
            "write `review_by: 2026-12-31` (31 December 2026)",
        ),
    ),
    (
        "date-either-way",
        {K: KPI + "review_by: 05/06/2027\n"},
        (
            "kpis/win-rate.yml",
            7,
            12,
            "bad-date",
            "error",
            "`review_by` must be a date written year-month-day (YYYY-MM-DD); `05/06/2027` could be either of two days",
            "write `review_by: 2027-06-05` (5 June 2027) or `review_by: 2027-05-06` (6 May 2027)",
        ),
    ),
    (
        "yes-read-as-true",
        {R: ROLE + "owns: yes\n"},
        (
            "roles/sales-manager.yml",
            6,
            7,
            "wrong-type",
            "error",
            "`owns` must be text, but `yes` on its own is read as true/false",
            'put it in straight double quotes so it stays as typed: owns: "yes"',
        ),
    ),
    (
        "no-read-as-false",
        {R: ROLE + "abbreviation: NO\n"},
        (
            "roles/sales-manager.yml",
            6,
            15,
            "wrong-type",
            "error",
            "`abbreviation` must be text, but `NO` on its own is read as true/false",
            'put it in straight double quotes so it stays as typed: abbreviation: "NO"',
        ),
    ),
    (
        "no-in-a-list",
        {R: ROLE + "not_responsible_for:\n  - No\n"},
        (
            "roles/sales-manager.yml",
            7,
            5,
            "wrong-type",
            "error",
            "this item of `not_responsible_for` must be text, but `No` on its own is read as true/false",
            'put it in straight double quotes so it stays as typed: - "No"',
        ),
    ),
    (
        "status-yes",
        {K: KPI + "status: yes\n"},
        (
            "kpis/win-rate.yml",
            7,
            9,
            "bad-value",
            "error",
            "`yes` on its own is read as true/false, which is not an allowed value for `status`",
            "use one of: `draft`, `proposed`, `agreed` or `retired`",
        ),
    ),
    (
        "version-read-as-a-number",
        {"playbook.yml": META + "version: 1.10\n"},
        (
            "playbook.yml",
            4,
            10,
            "wrong-type",
            "error",
            "`version` must be text, but `1.10` on its own is read as the number 1.1",
            'put it in straight double quotes so it stays as typed: version: "1.10"',
        ),
    ),
    (
        "name-read-as-a-number",
        {R: ROLE.replace("name: Sales Manager", "name: 2026")},
        (
            "roles/sales-manager.yml",
            1,
            7,
            "wrong-type",
            "error",
            "`name` must be text, but `2026` on its own is read as a number",
            'put it in straight double quotes so it stays as typed: name: "2026"',
        ),
    ),
    (
        "text-read-as-a-date",
        {R: ROLE.replace("summary: Leads the team.", "summary: 2026-01-01")},
        (
            "roles/sales-manager.yml",
            3,
            10,
            "wrong-type",
            "error",
            "`summary` must be text, but `2026-01-01` on its own is read as a date",
            'put it in straight double quotes so it stays as typed: summary: "2026-01-01"',
        ),
    ),
    (
        "number-in-a-list-of-text",
        {R: ROLE + "  - 2026\n"},
        (
            "roles/sales-manager.yml",
            6,
            5,
            "wrong-type",
            "error",
            "this item of `responsibilities` must be text, but `2026` on its own is read as a number",
            'put it in straight double quotes so it stays as typed: - "2026"',
        ),
    ),
    (
        "garbled-apostrophe",
        {R: ROLE.replace("Leads the team.", "Leads the teamâ€™s forecast.")},
        (
            "roles/sales-manager.yml",
            3,
            24,
            "not-utf8",
            "error",
            "`â€™` is garbled text: it is how `’` looks after it was copied with the wrong encoding",
            "type `’` in place of `â€™`; if there are many, copy the text again from where it came from, or save it there as UTF-8",
        ),
    ),
    (
        "garbled-accent",
        {R: ROLE.replace("Leads the team.", "Leads the cafÃ© team.")},
        (
            "roles/sales-manager.yml",
            3,
            23,
            "not-utf8",
            "error",
            "`Ã©` is garbled text: it is how `é` looks after it was copied with the wrong encoding",
            "type `é` in place of `Ã©`; if there are many, copy the text again from where it came from, or save it there as UTF-8",
        ),
    ),
    (
        "file-pasted-twice",
        {R: ROLE + "\n" + ROLE},
        (
            "roles/sales-manager.yml",
            7,
            1,
            "duplicate-key",
            "error",
            "the file holds its text twice: from line 7 on, its fields start again (`name`, `function`, `summary`, `responsibilities`; first on lines 1 to 5)",
            "keep one copy: delete lines 7 to 11, or lines 1 to 5 if the second copy has the changes you want",
        ),
    ),
]

COVERED = {
    "colons": {"colon-in-a-list-item", "colon-in-an-onboarding-step", "colon-in-a-value"},
    "hashes": {"hash-inside-a-value", "hash-inside-a-list-item", "hash-starts-a-value", "hash-starts-a-list-item"},
    "bullets": {"en-dash-bullets", "em-dash-after-an-item", "round-bullet", "star-bullet", "numbered-list"},
    "missing dashes": {"missing-dash-after-an-item", "missing-dash-on-the-only-item", "no-space-after-the-dash"},
    "curly quotes": {"curly-double-quotes", "curly-single-quotes", "straight-quote-closed-curly"},
    "invisible spaces": {"non-breaking-space-in-indentation", "zero-width-space-before-a-field", "tabs-for-indentation"},
    "blocks": {"sla-hours-outdented", "period-outdented-next-to-cadence", "recycle-to-indented-into-handoff"},
    "numbers": {"thousands-separator", "decimal-comma", "percent-sign", "hours-unit", "currency-in-the-number"},
    "dates": {"date-day-month-year", "date-month-day-year", "date-with-dots", "date-in-words"},
    "read as another type": {"yes-read-as-true", "no-read-as-false", "version-read-as-a-number", "text-read-as-a-date"},
    "encodings and copies": {"garbled-apostrophe", "file-pasted-twice"},
}


def test_the_corpus_holds_every_slip_of_the_issue() -> None:
    names = [case[0] for case in SLIPS]
    assert len(names) >= 30 and len(set(names)) == len(names)
    missing = {group: sorted(cases - set(names)) for group, cases in COVERED.items() if cases - set(names)}
    assert not missing


@pytest.mark.parametrize(("case", "files", "expected"), SLIPS, ids=[case[0] for case in SLIPS])
def test_a_slip_gets_one_problem_where_the_fix_goes(
    tmp_path: Path, case: str, files: dict[str, str | None], expected: tuple[str, int, int, str, str, str, str]
) -> None:
    root = write_content(tmp_path / "content", files)
    result = run_cli("validate", "--content", str(root), "--format", "json")
    report = json.loads(result.stdout)
    path = f"{root}/{expected[0]}"
    found = [
        (p["path"][len(str(root)) + 1 :], p["line"], p["column"], p["code"], p["severity"], p["message"], p["hint"])
        for p in report["problems"]
        if p["path"] == path
    ]
    assert found == [expected]
    assert result.exit_code == (1 if expected[4] == "error" else 0)
    others = [p for p in report["problems"] if p["path"] != path]
    assert not others, "the slip is not reported again in another file"


def text_report(tmp_path: Path, files: dict[str, str | None]) -> list[str]:
    root = write_content(tmp_path / "content", files)
    result = run_cli("validate", "--content", str(root))
    return [line.replace(f"{root}/", "") for line in result.stderr.splitlines()]


def slip(name: str) -> dict[str, str | None]:
    return next(files for case, files, _ in SLIPS if case == name)


def test_how_a_colon_in_a_list_item_reads(tmp_path: Path) -> None:
    assert text_report(tmp_path, slip("colon-in-a-list-item"))[:4] == [
        "roles/sales-manager.yml:6:5: error: the colon in `Note: runs the weekly review` makes this item of"
        " `responsibilities` read as a field, not as text [wrong-type]",
        "  6 |   - Note: runs the weekly review",
        "    |     ^",
        '  hint: put the whole item in straight double quotes: - "Note: runs the weekly review"',
    ]


def test_how_a_pasted_dash_reads_at_its_own_line(tmp_path: Path) -> None:
    assert text_report(tmp_path, slip("en-dash-after-an-item"))[:4] == [
        "roles/sales-manager.yml:6:3: error: this item of `responsibilities` starts with `–`, a dash pasted from a"
        " document, not with the hyphen a list item needs [yaml-syntax]",
        "  6 |   – Runs the weekly review.",
        "    |   ^",
        "  hint: type a hyphen and a space in place of `–`: - Runs the weekly review.",
    ]


def test_how_curly_quotes_read(tmp_path: Path) -> None:
    assert text_report(tmp_path, slip("curly-double-quotes"))[:4] == [
        "roles/sales-manager.yml:6:7: error: the curly quotes around this text do not count as quotes (a word processor"
        " typed them), so the colon inside it breaks the line [yaml-syntax]",
        "  6 | owns: “the deal: from first call to signature”",
        "    |       ^",
        '  hint: type straight quotes instead: owns: "the deal: from first call to signature"',
    ]


def test_a_zero_width_space_is_shown_where_it_hides(tmp_path: Path) -> None:
    lines = text_report(tmp_path, slip("zero-width-space-before-a-field"))
    assert lines[1:3] == ["  2 | \\u200bfunction: sales", "    | ^"]


def test_the_validate_output_ends_with_the_fix_command_when_it_repairs_a_problem(tmp_path: Path) -> None:
    lines = text_report(tmp_path, slip("en-dash-after-an-item"))
    assert lines[-1] == (
        "hint: `playbook fix --content "
        f"{tmp_path}/content` repairs this problem (pasted bullets) without changing any value: run it, look at the"
        " change, then validate again"
    )
    assert not any("playbook fix" in line for line in text_report(tmp_path / "other", slip("thousands-separator")))
