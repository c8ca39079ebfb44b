"""The schema line of a content file: only the project's own JSON Schema, by its relative path.

Editors that read `# yaml-language-server: $schema=<address>` (the YAML extension of VS Code and of
the GitHub web editor, which also reads `$schema:`, a bare `# $schema=<address>` and a comment at the
end of any value line) or `# $schema: <address>` (JetBrains IDEs) fetch that address when the file is
opened and show its text (titles, descriptions) on hover. The line is content, so a pull request could
point a reviewer's editor at any host, or at a file outside the project. Only the schema `playbook
schema` writes is accepted: `schema/<kind>.schema.json` at the repository root (the content
directory's parent), written relative to the file, e.g. `../../schema/role.schema.json` in
`roles/`; a file may also have none. Every such comment of a file is checked, wherever it stands,
and `playbook fix` writes the right path in each wrong one.
"""

from __future__ import annotations

import re

from ..errors import Problem

# Where an editor finds a schema: the YAML language server reads every comment the YAML parser keeps,
# a comment at the end of a value line too, that matches `^#\s+(?:yaml-language-server\s*:|\$schema[=:])`,
# and takes the address from `\$schema[=:]\s*(\S+)` (modelineUtil.ts); JetBrains reads `# $schema: <address>`.
# Read more loosely still, so that no variant an editor might read slips by: every `$schema` followed by
# `=` or `:` after a `#` on any line, in any case, with or without the modeline, with any spacing.
_COMMENT_SCHEMA = re.compile(r"\$schema[ \t]*[=:][ \t]*(?P<value>\S*)", re.IGNORECASE)

# The file kinds with a schema: one per file in roles/, leads/, kpis/; the others by their file name.
_FOLDERS = {"roles": "role", "leads": "lead", "kpis": "kpi"}
_FILES = ("playbook", "checklist", "alignment", "glossary", "activity")


def kind_of(rel: str) -> str | None:
    """The schema kind of a content-relative path (`roles/x.yml` -> role), None for other files."""
    parts = rel.split("/")
    stem, dot, suffix = parts[-1].rpartition(".")
    if not dot or suffix not in ("yml", "yaml"):
        return None
    if len(parts) == 2 and parts[0] in _FOLDERS:
        return _FOLDERS[parts[0]]
    return stem if len(parts) == 1 and stem in _FILES else None


def expected(rel: str, kind: str) -> str:
    """The schema path for a file at `rel` (content-relative): `playbook schema`'s file, from the file's folder."""
    return "../" * (rel.count("/") + 1) + f"schema/{kind}.schema.json"


def schema_values(line: str) -> list[tuple[int, str]]:
    """(0-based column, address) of every schema an editor could read from this line: each `$schema=` or
    `$schema:` after a `#`, whether the comment fills the line or ends a value."""
    hash_at = line.find("#")
    if hash_at < 0:
        return []
    return [(match.start("value"), match["value"]) for match in _COMMENT_SCHEMA.finditer(line, hash_at + 1)]


def check(text: str, display: str, rel: str, kind: str) -> list[Problem]:
    """An error at every schema line that names anything but the project's own schema for this file."""
    if "schema" not in text.lower():
        return []
    right = expected(rel, kind)
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for column, value in schema_values(line):
            if value != right:
                problems.append(
                    Problem(
                        display,
                        number,
                        column + 1,
                        "schema-line",
                        f"the schema line names `{value}`, which an editor would fetch and show: only the project's"
                        " own schema is allowed here",
                        f"write `# yaml-language-server: $schema={right}` (or remove the line); `playbook fix` writes it",
                    )
                )
    return problems


def repair(line: str, rel: str) -> list[tuple[int, str, str]]:
    """(0-based column, before, after) for each wrong address on this line of the file at `rel`."""
    kind = kind_of(rel)
    if kind is None:
        return []
    right = expected(rel, kind)
    return [(column, value, right) for column, value in schema_values(line) if value != right]


__all__ = ["check", "expected", "kind_of", "repair", "schema_values"]
