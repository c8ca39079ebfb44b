"""JSON Schemas for editors, generated from the models, and the pre-commit hook."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import DEFAULT_CONTENT, REPO, run_cli
from playbook_site.cli import cli
from playbook_site.content.jsonschema import schema_files

SCHEMA_DIR = REPO / "schema"


def test_committed_schemas_are_up_to_date(tmp_path: Path) -> None:
    result = run_cli("schema", "--out", str(tmp_path))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Wrote 8 JSON Schemas to {tmp_path}")
    for name, text in schema_files().items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text
        assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == text, f"schema/{name} is stale: run `playbook schema`"


def schema_of(path: Path) -> dict[str, object]:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema="), path
    return json.loads((path.parent / first.split("=", 1)[1]).read_text(encoding="utf-8"))


@pytest.mark.parametrize("rel", sorted(p.relative_to(DEFAULT_CONTENT).as_posix() for p in DEFAULT_CONTENT.rglob("*.yml")))
def test_every_default_file_points_to_its_schema_and_validates(rel: str) -> None:
    path = DEFAULT_CONTENT / rel
    data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
    jsonschema.validate(data, schema_of(path))


def test_schema_catches_what_editors_should_flag() -> None:
    role_schema = json.loads((SCHEMA_DIR / "role.schema.json").read_text(encoding="utf-8"))
    bad = {"name": "AE", "function": "finance", "summary": "s", "responsibilites": ["x"]}
    errors = {e.message for e in jsonschema.Draft202012Validator(role_schema).iter_errors(bad)}
    assert "'responsibilities' is a required property" in errors
    assert any("'finance' is not one of" in e for e in errors)
    assert any("'responsibilites' was unexpected" in e for e in errors)


def test_pre_commit_hook_runs_an_existing_command() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["playbook-validate", "playbook-fix"]
    for hook in hooks:
        program, command, *options = hook["entry"].split()
        assert program == "playbook" and command in cli.commands
        assert all(option in {p.opts[0] for p in cli.commands[command].params if p.opts} for option in options)
        assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert hooks[1]["entry"] == "playbook fix --check"  # a pre-commit hook fails, and changes nothing


def test_the_built_in_functions_are_valid_functions() -> None:
    """`functions_of` makes the five built-in functions without validating them (issue 27: no validator is
    built for the tool's own constants); here they are validated, and are what validation would make."""
    from playbook_site.content.schema import BUILTIN_FUNCTIONS, FunctionDef, functions_of

    made = functions_of([])
    assert list(made) == list(BUILTIN_FUNCTIONS)
    for key, (name, colour) in BUILTIN_FUNCTIONS.items():
        assert made[key] == FunctionDef.model_validate({"id": key, "name": name, "colour": colour})
    made["sales"] = made["marketing"]
    assert functions_of([])["sales"].id == "sales"  # each caller gets its own dict
