"""A corpus of bad inputs: every category of mistake gets file, line, column, message and exit code 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import run_cli, write_content

ROLE = "name: Sales Manager\nfunction: sales\nsummary: Leads the team.\nresponsibilities:\n  - Coaches.\n"
KPI = "name: Win rate\ndefinition: d\nformula: f\nunit: percent\ndirection: higher\nowner: sales-manager\n"
LEAD = "name: SQL\nabbreviation: SQL\norder: 2\ndefinition: d\nowner: account-executive\nentry_criteria: [x]\n"
META = "title: T\norganization: O\nsummary: S\n"

# (case id, files to write over the minimal playbook, (file, line, column, code, message contains))
CASES: list[tuple[str, dict[str, str | None], tuple[str, int, int | None, str, str]]] = [
    # YAML syntax
    ("unclosed-flow-list", {"roles/sales-manager.yml": "name: [Sales\n"}, ("roles/sales-manager.yml", 2, 1, "yaml-syntax", "YAML syntax error")),
    ("colon-in-plain-text", {"roles/sales-manager.yml": ROLE.replace("summary: Leads the team.", "summary: Owns: the team")},
     ("roles/sales-manager.yml", 3, 14, "yaml-syntax", "mapping values are not allowed")),
    ("unclosed-quote", {"playbook.yml": 'title: "T\norganization: O\nsummary: S\n'}, ("playbook.yml", 4, 1, "yaml-syntax", "YAML syntax error")),
    ("bad-indentation", {"roles/sales-manager.yml": "name: SM\n  function: sales\n"}, ("roles/sales-manager.yml", 2, 11, "yaml-syntax", "mapping values are not allowed")),
    ("two-documents", {"playbook.yml": META + "---\ntitle: again\n"}, ("playbook.yml", 4, 1, "yaml-syntax", "expected a single document")),
    ("undefined-alias", {"playbook.yml": META + "approvers: *people\n"}, ("playbook.yml", 4, 12, "yaml-syntax", "found undefined alias")),
    # duplicate keys
    ("duplicate-key", {"roles/sales-manager.yml": ROLE + "summary: Again.\n"}, ("roles/sales-manager.yml", 6, 1, "duplicate-key", "duplicate field `summary` (first written on line 3)")),
    ("duplicate-nested-key", {"leads/marketing-qualified-lead.yml": "name: MQL\nabbreviation: MQL\norder: 1\ndefinition: d\nowner: marketing-manager\nentry_criteria: [x]\nhandoff:\n  to: account-executive\n  to: sales-manager\n  sla_hours: 4\n"},
     ("leads/marketing-qualified-lead.yml", 9, 3, "duplicate-key", "duplicate field `to`")),
    # unknown fields
    ("typo-responsibilites", {"roles/sales-manager.yml": ROLE.replace("responsibilities:", "responsibilites:")},
     ("roles/sales-manager.yml", 4, 1, "unknown-field", "unknown field `responsibilites`")),
    ("unknown-nested-field", {"kpis/win-rate.yml": KPI + "target:\n  value: 3\n  period: month\n  stretch: 5\n"}, ("kpis/win-rate.yml", 10, 3, "unknown-field", "unknown field `stretch`")),
    ("unknown-field-in-list-item", {"checklist.yml": "steps:\n  - id: a\n    title: A\n    description: d\n    owner: sales-manager\n    ower: x\n"},
     ("checklist.yml", 6, 5, "unknown-field", "unknown field `ower`")),
    ("id-field-in-role-file", {"roles/sales-manager.yml": "id: boss\n" + ROLE}, ("roles/sales-manager.yml", 1, 1, "unknown-field", "takes its id from its file name")),
    # missing required fields
    ("missing-name", {"roles/sales-manager.yml": ROLE.replace("name: Sales Manager\n", "")}, ("roles/sales-manager.yml", 1, 1, "missing-field", "missing required field `name`")),
    ("missing-formula", {"kpis/win-rate.yml": KPI.replace("formula: f\n", "")}, ("kpis/win-rate.yml", 1, 1, "missing-field", "missing required field `formula`")),
    ("missing-sla", {"leads/sales-qualified-lead.yml": LEAD + "handoff:\n  to: sales-manager\n"}, ("leads/sales-qualified-lead.yml", 7, 1, "missing-field", "missing required field `sla_hours`")),
    ("missing-term-definition", {"glossary.yml": "terms:\n  - id: icp\n    term: ICP\n"}, ("glossary.yml", 2, 5, "missing-field", "missing required field `definition`")),
    ("empty-responsibilities", {"roles/sales-manager.yml": ROLE.replace("responsibilities:\n  - Coaches.\n", "responsibilities: []\n")},
     ("roles/sales-manager.yml", 4, 19, "too-short", "`responsibilities` needs at least 1 item")),
    ("empty-name", {"roles/sales-manager.yml": ROLE.replace("name: Sales Manager", "name: ''")}, ("roles/sales-manager.yml", 1, 7, "empty-value", "`name` is empty")),
    # wrong types and enums
    ("function-not-in-enum", {"roles/sales-manager.yml": ROLE.replace("function: sales", "function: finance")},
     ("roles/sales-manager.yml", 2, 11, "bad-value", "`finance` is not an allowed value for `function`")),
    ("unit-not-in-enum", {"kpis/win-rate.yml": KPI.replace("unit: percent", "unit: percentage")}, ("kpis/win-rate.yml", 4, 7, "bad-value", "`percentage` is not an allowed value for `unit`")),
    ("status-not-in-enum", {"kpis/win-rate.yml": KPI + "status: approved\n"}, ("kpis/win-rate.yml", 7, 9, "bad-value", "`approved` is not an allowed value for `status`")),
    ("order-is-text", {"leads/sales-qualified-lead.yml": LEAD.replace("order: 2", "order: second")}, ("leads/sales-qualified-lead.yml", 3, 8, "wrong-type", "`order` must be a whole number, not text")),
    ("order-zero", {"leads/sales-qualified-lead.yml": LEAD.replace("order: 2", "order: 0")}, ("leads/sales-qualified-lead.yml", 3, 8, "bad-value", "`order` must be at least 1")),
    ("sla-negative", {"leads/sales-qualified-lead.yml": LEAD + "handoff:\n  to: sales-manager\n  sla_hours: -4\n"},
     ("leads/sales-qualified-lead.yml", 9, 14, "bad-value", "`sla_hours` must be greater than 0")),
    ("responsibilities-not-a-list", {"roles/sales-manager.yml": ROLE.replace("responsibilities:\n  - Coaches.\n", "responsibilities: Coaches.\n")},
     ("roles/sales-manager.yml", 4, 19, "wrong-type", "`responsibilities` must be a list")),
    ("name-is-a-number", {"roles/sales-manager.yml": ROLE.replace("name: Sales Manager", "name: 2026")}, ("roles/sales-manager.yml", 1, 7, "wrong-type", "`name` must be text, not a number")),
    ("target-not-mapping", {"kpis/win-rate.yml": KPI + "target: 30\n"}, ("kpis/win-rate.yml", 7, 9, "wrong-type", "`target` must be a mapping")),
    # ids and file names
    ("file-name-not-an-id", {"roles/Sales Manager.yml": ROLE}, ("roles/Sales Manager.yml", 1, 1, "bad-id", "the file name `Sales Manager.yml` is not a valid id")),
    ("list-id-upper-case", {"checklist.yml": "steps:\n  - id: Joint_Meetings\n    title: A\n    description: d\n    owner: sales-manager\n"},
     ("checklist.yml", 2, 9, "bad-id", "`Joint_Meetings` is not a valid id")),
    ("reference-not-an-id", {"roles/account-executive.yml": ROLE.replace("name: Sales Manager", "name: AE") + "reports_to: Sales Manager\n"},
     ("roles/account-executive.yml", 6, 13, "bad-id", "`Sales Manager` is not a valid id")),
    ("duplicate-step-id", {"checklist.yml": "steps:\n  - id: a\n    title: A\n    description: d\n    owner: sales-manager\n  - id: a\n    title: B\n    description: d\n    owner: sales-manager\n"},
     ("checklist.yml", 6, 9, "duplicate-id", "checklist step id `a` is used twice (first on line 2)")),
    ("same-id-yml-and-yaml", {"roles/sales-manager.yaml": ROLE}, ("roles/sales-manager.yml", 1, 1, "duplicate-id", "role `sales-manager` is defined twice")),
    # dangling references, cycles, orders, abbreviations, bands, retired
    ("dangling-owner", {"kpis/win-rate.yml": KPI.replace("owner: sales-manager", "owner: sales-manger")}, ("kpis/win-rate.yml", 6, 8, "dangling-reference", "`sales-manger` is not a known role")),
    ("reports-to-self", {"roles/sales-manager.yml": ROLE + "reports_to: sales-manager\n"}, ("roles/sales-manager.yml", 6, 13, "reports-to-cycle", "sales-manager -> sales-manager")),
    ("duplicate-order", {"leads/sales-qualified-lead.yml": LEAD.replace("order: 2", "order: 1")}, ("leads/sales-qualified-lead.yml", 3, 8, "duplicate-order", "order 1 is used by both")),
    ("duplicate-abbreviation", {"roles/sales-manager.yml": ROLE + "abbreviation: icp\n"}, ("glossary.yml", 4, 19, "duplicate-abbreviation", "abbreviation `ICP` is already used by role `sales-manager`")),
    ("bands-overlap", {"alignment.yml": "stages:\n  - id: low\n    name: L\n    score: [2, 6]\n    description: d\n  - id: high\n    name: H\n    score: [6, 10]\n    description: d\nquestions:\n  - id: a\n    text: t\n  - id: b\n    text: t\n", "playbook.yml": META},
     ("alignment.yml", 8, 12, "score-bands", "stage `high` band [6, 10] overlaps the band below it")),
    ("bands-short-of-top", {"alignment.yml": "stages:\n  - id: low\n    name: L\n    score: [2, 9]\n    description: d\nquestions:\n  - id: a\n    text: t\n  - id: b\n    text: t\n", "playbook.yml": META},
     ("alignment.yml", 4, 12, "score-bands", "no stage covers totals 10 to 10")),
    ("band-backwards", {"alignment.yml": "stages:\n  - id: low\n    name: L\n    score: [10, 2]\n    description: d\n", "playbook.yml": META},
     ("alignment.yml", 4, 12, "band-order", "score band [10, 2] runs backwards")),
    ("refers-to-retired", {"roles/marketing-manager.yml": "name: MM\nfunction: marketing\nsummary: s\nresponsibilities: [x]\nstatus: retired\n"},
     ("kpis/win-rate.yml", 7, 15, "retired-reference", "refers to role `marketing-manager`, which is retired")),
    # dates
    ("impossible-date", {"kpis/win-rate.yml": KPI + "review_by: 2027-02-30\n"}, ("kpis/win-rate.yml", 7, 12, "bad-date", "`2027-02-30` is not a valid date for `review_by`")),
    ("date-in-words", {"kpis/win-rate.yml": KPI + "review_by: next spring\n"}, ("kpis/win-rate.yml", 7, 12, "bad-date", "`next spring` is not a valid date")),
    # file-level problems
    ("empty-file", {"roles/sales-manager.yml": "# nothing yet\n"}, ("roles/sales-manager.yml", 1, 1, "empty-file", "the file is empty")),
    ("top-level-list", {"roles/sales-manager.yml": "- name: SM\n"}, ("roles/sales-manager.yml", 1, 1, "not-a-mapping", "must be a mapping of fields, not a list")),
    ("top-level-scalar", {"glossary.yml": "just some words\n"}, ("glossary.yml", 1, 1, "not-a-mapping", "not a single value")),
    ("tab-indentation", {"kpis/win-rate.yml": KPI + "target:\n\tvalue: 3\n"}, ("kpis/win-rate.yml", 8, 1, "tab-indent", "a tab is used for indentation")),
    ("missing-playbook", {"playbook.yml": None}, ("playbook.yml", 0, None, "missing-playbook", "there is no playbook.yml")),
    ("unsafe-python-tag", {"roles/sales-manager.yml": ROLE + "owns: !!python/object/apply:os.system ['touch /tmp/pwned']\n"},
     ("roles/sales-manager.yml", 6, 7, "unsafe-tag", "the YAML tag `tag:yaml.org,2002:python/object/apply:os.system` is not allowed")),
    ("custom-tag", {"roles/sales-manager.yml": ROLE + "owns: !secret the message\n"}, ("roles/sales-manager.yml", 6, 7, "unsafe-tag", "the YAML tag `!secret` is not allowed")),
    ("merge-key", {"roles/sales-manager.yml": "base: &b\n  function: sales\n" + ROLE.replace("function: sales\n", "<<: *b\n")}, ("roles/sales-manager.yml", 4, 1, "merge-key", "merge keys (`<<`) are not supported")),
    # HTML and links in text
    ("script-tag", {"roles/sales-manager.yml": ROLE.replace("Leads the team.", "Leads <script>alert(1)</script> the team.")},
     ("roles/sales-manager.yml", 3, 10, "raw-html", "raw HTML is not allowed in text (found `<script>`)")),
    ("img-onerror", {"glossary.yml": "terms:\n  - id: icp\n    term: ICP\n    definition: <img src=x onerror=alert(1)>\n"}, ("glossary.yml", 4, 17, "raw-html", "raw HTML is not allowed")),
    ("iframe-in-list", {"roles/sales-manager.yml": ROLE.replace("- Coaches.", "- Coaches <iframe src=//evil>.")}, ("roles/sales-manager.yml", 5, 5, "raw-html", "found `<iframe src=//evil>`")),
    ("javascript-link", {"kpis/win-rate.yml": KPI.replace("definition: d", "definition: '[click](javascript:alert(1))'")}, ("kpis/win-rate.yml", 2, 13, "unsafe-url", "`javascript:`, `vbscript:` and `data:` URLs are not allowed")),
    ("data-url", {"kpis/win-rate.yml": KPI.replace("formula: f", "formula: see data:text/html;base64,PHNjcmlwdD4")}, ("kpis/win-rate.yml", 3, 10, "unsafe-url", "URLs are not allowed")),
    ("relative-link", {"kpis/win-rate.yml": KPI.replace("definition: d", "definition: '[x](../secrets.md)'")}, ("kpis/win-rate.yml", 2, 13, "bad-link", "link target `../secrets.md` is not allowed")),
    ("dangling-entity-link", {"kpis/win-rate.yml": KPI.replace("definition: d", "definition: '[AE](role:acount-executive)'")}, ("kpis/win-rate.yml", 2, 13, "dangling-link", "points to no role")),
    ("html-in-playbook-title", {"playbook.yml": META.replace("title: T", "title: T <b>bold</b>")}, ("playbook.yml", 1, 8, "raw-html", "raw HTML is not allowed")),
    ("bad-approver", {"kpis/win-rate.yml": KPI + "approvers: [sales team]\n"}, ("kpis/win-rate.yml", 7, 13, "bad-approver", "`sales team` is not a valid approver")),
]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize(("case", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported(tmp_path: Path, case: str, files: dict[str, str | None], expected: tuple[str, int, int | None, str, str]) -> None:
    root = write_content(tmp_path / "content", files)
    result = run_cli("validate", "--content", str(root), "--format", "json")
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    path, line, column, code, message = expected
    found = [(p["path"], p["line"], p["column"], p["code"], p["message"]) for p in report["problems"]]
    matches = [
        f for f in found
        if f[0] == f"{root}/{path}" and f[1] == line and (column is None or f[2] == column) and f[3] == code and message in f[4]
    ]
    assert matches, f"expected {expected} among:\n" + "\n".join(map(str, found))
    problem = next(p for p in report["problems"] if (p["path"], p["line"], p["code"]) == (f"{root}/{path}", line, code))
    if code not in ("yaml-syntax",):
        assert problem["hint"], f"{case}: every problem says how to fix it"
    text = run_cli("validate", "--content", str(root))
    assert text.exit_code == 1 and "Traceback" not in text.output


def test_python_tag_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    root = write_content(tmp_path / "content", {"roles/sales-manager.yml": ROLE + f"owns: !!python/object/apply:os.system ['touch {marker}']\n"})
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
    root = write_content(tmp_path / "content", {"kpis/win-rate.yml": KPI.replace("unit: percent", 'unit: "x\\n::error file=evil::owned\\u001b[31m"')})
    result = run_cli("validate", "--content", str(root), "--format", "github")
    lines = result.stdout.splitlines()
    assert all(line.startswith("::error file=") and "evil" not in line.split("::")[1] for line in lines[:-1])
    assert not any(line.startswith("::error file=evil") for line in lines)
    assert "\x1b" not in result.stdout
