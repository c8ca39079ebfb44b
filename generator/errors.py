"""Problems found in a playbook, and the exception tree.

A `Problem` is data: where (file, line, column), what rule was broken (`code`),
what is wrong (`message`) and how to fix it (`hint`). Loading collects every
problem it can find, then fails once with `ContentError` carrying all of them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: str = field(default="error", compare=False)  # "error" | "warning"

    def location(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path

    def __str__(self) -> str:
        text = f"{self.location()}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


class PlaybookError(Exception):
    """Base of every error the tool raises on purpose (a user can act on it)."""


class ContentError(PlaybookError):
    """The content has problems; `problems` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        first = str(self.problems[0]) if self.problems else "no details"
        super().__init__(f"{count} problem(s) in the playbook content; first: {first}")


class UsageError(PlaybookError):
    """The command was called wrongly (missing directory, bad option value)."""


class GitError(PlaybookError):
    """A git command failed; carries git's own message."""

    def __init__(self, command: list[str], stderr: str, hint: str = ""):
        self.command = command
        self.stderr = stderr.strip()
        self.hint = hint
        text = f"git {' '.join(command)} failed: {self.stderr}"
        if hint:
            text += f"\n  hint: {hint}"
        super().__init__(text)


class BuildError(PlaybookError):
    """MkDocs (or another step of a build) failed."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean ..." phrase for the closest of `choices`, or ""."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{matches[0]}`?" if matches else ""
