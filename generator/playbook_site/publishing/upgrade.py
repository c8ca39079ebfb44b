"""`playbook upgrade`: point a playbook repository's automation at the tool that runs it.

Moving to a newer playbook-site is one line where a person types it (the version in their own install
command); what the repository's automation installs is then rewritten to match the running tool:

- `PLAYBOOK_VERSION` and `PLAYBOOK_TOOL` in each workflow `playbook init` wrote;
- the hooks' `additional_dependencies` in `.pre-commit-config.yaml`;
- `.github/playbook-requirements.txt`, the dependencies locked with hashes, replaced whole by the
  running release's copy (its dependencies change with it);
- the old tool's requirement where the playbook repository's README.md names it.

Only those lines change: a workflow the company has edited keeps its edits. A workflow that no longer
has one of the lines is named, with what to set by hand, and nothing is written. Nothing here writes:
`plan_upgrade` returns the new bytes and the changed lines; the command writes them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..version import DISTRIBUTION
from .starter import LOCK_PATH, REPOSITORY_FILES, dependency_lock, yaml_string

PRE_COMMIT_PATH = ".pre-commit-config.yaml"
README_PATH = "README.md"
# `  PLAYBOOK_TOOL: "playbook-site==0.3.0" # comment`: the key, the double-quoted value, the rest.
_ENV_LINE = re.compile(r'^(?P<head>\s*(?P<key>PLAYBOOK_VERSION|PLAYBOOK_TOOL):\s*)"(?P<value>(?:[^"\\]|\\.)*)"(?P<tail>.*)$')
_HOOK_DEPENDENCIES = re.compile(r"^(?P<head>\s*additional_dependencies:\s*)\[(?P<value>.*)\](?P<tail>\s*(#.*)?)$")
_TOOL_NAME = re.compile(r"playbook[-_.]site", re.IGNORECASE)


@dataclass(frozen=True)
class LineChange:
    """One line the upgrade rewrites: where, and what it said before and says after."""

    path: str
    line: int
    old: str
    new: str


@dataclass
class Upgrade:
    """What `playbook upgrade` would write: the new bytes of each file that changes, and the lines."""

    tool: str
    version: str
    files: dict[str, bytes] = field(default_factory=dict)
    lines: list[LineChange] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)  # files replaced whole (the lock)
    old_tools: list[str] = field(default_factory=list)  # what the automation installed before
    old_versions: list[str] = field(default_factory=list)  # the releases it named


def _workflow_names() -> list[str]:
    return sorted(path.name for path in (REPOSITORY_FILES / "github" / "workflows").glob("*.yml"))


def _rewrite_workflow(rel: str, text: str, plan: Upgrade) -> str:
    values = {"PLAYBOOK_VERSION": plan.version, "PLAYBOOK_TOOL": plan.tool}
    seen: set[str] = set()
    out: list[str] = []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        match = _ENV_LINE.match(body)
        if match and match.group("key") not in seen:
            key = match.group("key")
            seen.add(key)
            old = match.group("value").replace('\\"', '"').replace("\\\\", "\\")
            (plan.old_tools if key == "PLAYBOOK_TOOL" else plan.old_versions).append(old)
            new = f"{match.group('head')}{yaml_string(values[key])}{match.group('tail')}"
            if new != body:
                plan.lines.append(LineChange(rel, number, body.strip(), new.strip()))
                line = new + line[len(body) :]
        out.append(line)
    missing = sorted(set(values) - seen)
    if missing:
        raise UsageError(
            f"{rel} has no {' and no '.join(missing)} line, so `playbook upgrade` cannot tell what it installs and"
            f" wrote nothing. Set the tool there by hand ({'; '.join(f'{key}: {yaml_string(values[key])}' for key in missing)}"
            "), or move the file away to leave it out."
        )
    return "".join(out)


def _rewrite_pre_commit(text: str, plan: Upgrade) -> str:
    out: list[str] = []
    found = False
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        body = line.rstrip("\r\n")
        match = _HOOK_DEPENDENCIES.match(body)
        if match and _TOOL_NAME.search(match.group("value")):
            found = True
            new = f"{match.group('head')}[{yaml_string(plan.tool)}]{match.group('tail')}"
            if new != body:
                plan.lines.append(LineChange(PRE_COMMIT_PATH, number, body.strip(), new.strip()))
                line = new + line[len(body) :]
        out.append(line)
    if not found:
        raise UsageError(
            f"{PRE_COMMIT_PATH} has no `additional_dependencies: [...]` line naming {DISTRIBUTION}, so `playbook upgrade`"
            f" wrote nothing. Set it by hand in each playbook hook: additional_dependencies: [{yaml_string(plan.tool)}]"
        )
    return _replace_old_tools(PRE_COMMIT_PATH, "".join(out), plan)


def _replace_old_tools(rel: str, text: str, plan: Upgrade) -> str:
    """Where a file names the old tool's requirement in its prose (the README, a comment), the new one."""
    lines = text.splitlines(keepends=True)
    for old in dict.fromkeys(plan.old_tools):
        if not old or old == plan.tool:
            continue
        for index, line in enumerate(lines):
            if old in line:
                new = line.replace(old, plan.tool)
                plan.lines.append(LineChange(rel, index + 1, line.strip(), new.strip()))
                lines[index] = new
    return "".join(lines)


def _readme_version(text: str, plan: Upgrade) -> str:
    """The README's opening names the release (`...[playbook-site](URL)` then `0.3.0. Every change...`)."""
    lines = text.splitlines(keepends=True)
    for index in range(1, len(lines)):
        if not lines[index - 1].rstrip().endswith("playbook-site/)"):
            continue
        for old in dict.fromkeys(plan.old_versions):
            if old and old != plan.version and lines[index].startswith(f"{old}. "):
                new = plan.version + lines[index][len(old) :]
                plan.lines.append(LineChange(README_PATH, index + 1, lines[index].strip(), new.strip()))
                lines[index] = new
    return "".join(lines)


def _read(root: Path, rel: str) -> str | None:
    path = root / rel
    if path.is_symlink():
        raise UsageError(f"{rel} is a link: `playbook upgrade` writes no file through a link, so it wrote nothing")
    if not path.is_file():
        return None
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"{rel} is not UTF-8 text, so `playbook upgrade` wrote nothing; save it as UTF-8") from None


def plan_upgrade(root: Path, *, tool: str, version: str) -> Upgrade:
    """What moving `root`'s automation to `tool` (a pip requirement of release `version`) changes.

    UsageError when `root` holds none of the automation `playbook init` writes, or when a file of it
    has lost a line the upgrade rewrites (nothing is planned then)."""
    plan = Upgrade(tool=tool, version=version)
    texts: dict[str, str] = {}
    for name in _workflow_names():
        rel = f".github/workflows/{name}"
        text = _read(root, rel)
        if text is not None:
            texts[rel] = _rewrite_workflow(rel, text, plan)
    if not texts:
        raise UsageError(
            f"{root} has none of the workflows `playbook init` writes ({', '.join(_workflow_names())} in .github/workflows/):"
            " run `playbook upgrade` at the root of a playbook repository"
        )
    pre_commit = _read(root, PRE_COMMIT_PATH)
    if pre_commit is not None:
        texts[PRE_COMMIT_PATH] = _rewrite_pre_commit(pre_commit, plan)
    readme = _read(root, README_PATH)
    if readme is not None:
        texts[README_PATH] = _readme_version(_replace_old_tools(README_PATH, readme, plan), plan)
    if _read(root, LOCK_PATH) != (lock := dependency_lock()):
        texts[LOCK_PATH] = lock
        plan.replaced.append(LOCK_PATH)
    for rel, text in texts.items():
        if text != _read(root, rel):
            plan.files[rel] = text.encode("utf-8")
    return plan


__all__ = ["LineChange", "PRE_COMMIT_PATH", "Upgrade", "plan_upgrade"]
