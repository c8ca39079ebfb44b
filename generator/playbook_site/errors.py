"""Problems found in a playbook, and the exception tree.

A `Problem` is data: where (file, line, column), what rule was broken (`code`),
what is wrong (`message`) and how to fix it (`hint`). Loading collects every
problem it can find, then fails once with `ContentError` carrying all of them.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from .codes import CODES
from .text import plural

# Line breaks, terminal control characters and bidirectional overrides, from file names or values
# quoted in a message: shown as \x1b or \u202e, never obeyed (a newline could forge a second problem or
# a GitHub Actions command; an escape sequence could rewrite the terminal; an override reorders text;
# a zero-width space would hide in the line it is reported in).
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def printable(text: str) -> str:
    """`text` with control characters shown as escapes, safe to print on one line."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text)


def shown_path(path: str) -> str:
    """An absolute path below the working folder, relative to it; any other path as it is."""
    if not os.path.isabs(path):
        return path
    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive (Windows)
        return path
    return path if relative.startswith("..") else relative


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: str = field(default="error", compare=False)  # "error" | "warning"

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(
                f"problem code `{self.code}` is not in generator/playbook_site/codes.py: add it there, with what triggers it and the fix"
            )

    def moved(self, prefix: str, replacement: str) -> Problem:
        """The same problem with a path under `prefix` (a temporary copy) named as `replacement` + the rest."""
        if not self.path.startswith(prefix):
            return self
        return replace(self, path=replacement + self.path[len(prefix) :])

    def location(self) -> str:
        """path:line:column as people read it: a file below the working folder by its relative path
        (as `playbook validate` names them), whichever command found the problem."""
        path = shown_path(self.path)
        if self.line:
            return f"{path}:{self.line}:{self.column}"
        return path

    def __str__(self) -> str:
        text = printable(f"{self.location()}: {self.severity}: {self.message}")
        if self.hint:
            text += "\n  hint: " + printable(self.hint)
        return text


class PlaybookError(Exception):
    """Base of every error the tool raises on purpose (a user can act on it)."""


class ContentError(PlaybookError):
    """The content has problems; `problems` lists every one of them."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems)
        count = len(self.problems)
        first = str(self.problems[0]) if self.problems else "no details"
        super().__init__(f"{plural(count, 'problem')} in the playbook content; first: {first}")


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


class PublishError(PlaybookError):
    """Publishing refused or failed (a version that exists, a retraction an alias needs); says how to go on."""

    def __init__(self, message: str, hint: str = ""):
        self.message = message
        self.hint = hint
        super().__init__(message + (f"\n  hint: {hint}" if hint else ""))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean ..." phrase for the closest of `choices`, or ""."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean `{matches[0]}`?" if matches else ""
