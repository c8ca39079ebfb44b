"""The reference pages (reference/*.md) are generated from the code and committed up to date."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pydantic import BaseModel

from conftest import REPO, run_cli
from playbook_site.cli import cli
from playbook_site.cli.reference import reference_files
from playbook_site.codes import CODES
from playbook_site.content.schema import FILE_MODELS

REFERENCE = REPO / "reference"


def test_the_committed_reference_is_what_the_code_generates() -> None:
    result = run_cli("reference", "--check", "--out", str(REFERENCE))
    assert result.exit_code == 0, result.output + "\nrun `playbook reference` and commit reference/"


def test_a_stale_page_is_found_and_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "reference"
    assert run_cli("reference", "--out", str(out)).exit_code == 0
    (out / "checks.md").write_text("# Every check\n\nhand-edited\n", encoding="utf-8")
    stale = run_cli("reference", "--check", "--out", str(out))
    assert stale.exit_code == 1 and "checks.md is out of date" in stale.stderr
    assert run_cli("reference", "--out", str(out)).exit_code == 0
    assert (out / "checks.md").read_text(encoding="utf-8") == reference_files()["checks.md"]


def fields_of(model: type[BaseModel], prefix: str = "") -> set[str]:
    found = set()
    for name, info in model.model_fields.items():
        found.add(prefix + name)
        for inner in _models_in(info.annotation):
            many = "list" in str(info.annotation)
            found |= fields_of(inner, f"{prefix}{name}{'[]' if many else ''}.")
    return found


def _models_in(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) or () for m in _models_in(arg)]


def test_every_field_of_every_file_is_in_the_format_reference() -> None:
    text = reference_files()["format.md"]
    governance = {"status", "approvers", "review_by", "notes"}
    missing = []
    for kind, model in FILE_MODELS.items():
        for name in sorted(fields_of(model)):
            leaf = name.rsplit(".", 1)[-1]
            if leaf in governance or (name == "id" and kind in ("role", "lead", "kpi")):
                continue  # the governance fields have their own table; a file's id is its name
            if f"| `{name}` |" not in text:
                missing.append(f"{kind}: {name}")
    assert missing == []
    assert all(f"| `{name}` |" in text for name in governance)


def test_every_check_and_every_command_is_in_the_reference() -> None:
    files = reference_files()
    assert [code for code in CODES if f"`{code}`" not in files["checks.md"]] == []
    assert all(CODES[code].trigger and CODES[code].fix for code in CODES)
    assert [name for name in cli.commands if f"## playbook {name}\n" not in files["commands.md"]] == []


def test_each_command_reads_as_its_own_help_prints_it() -> None:
    """The page shows what `playbook COMMAND --help` prints (in a wide terminal), usage line included."""
    page = (REFERENCE / "commands.md").read_text(encoding="utf-8")
    for name in ("build", "validate", "fix"):
        done = subprocess.run(
            [sys.executable, "-m", "playbook_site.cli", name, "--help"],
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "200"},
            check=True,
        )
        assert done.stdout.startswith(f"Usage: playbook {name} [OPTIONS]"), done.stdout[:80]
        assert f"```text\n{done.stdout}```" in page, name
