"""Problems found in a playbook, and the exception tree.

A `Problem` is data: where (file, line, column), what rule was broken (`code`),
what is wrong (`message`) and how to fix it (`hint`). Loading collects every
problem it can find, then fails once with `ContentError` carrying all of them.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace

from .codes import CODES, PER_FILE
from .text import plural

# Line breaks, terminal control characters and bidirectional overrides, from file names or values
# quoted in a message: shown as \x1b or \u202e, never obeyed (a newline could forge a second problem or
# a GitHub Actions command; an escape sequence could rewrite the terminal; an override reorders text;
# a zero-width space, a mark or a tag character would hide in the line it is reported in): every
# character of text.HIDDEN_RE, and the line separators.
_CONTROL = re.compile(
    r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u180e\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\U000e0000-\U000e007f]"
)


def printable(text: str) -> str:
    """`text` with control characters shown as escapes, safe to print on one line."""
    return _CONTROL.sub(lambda m: _escape(ord(m.group())), text)


def _escape(code: int) -> str:
    """\\x1b, \\u202e, \\U000e0041: as Python writes the character in a string."""
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


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


# How many comparisons the "did you mean" suggestions of one check of the content may make in all.
# Each suggestion compares a word with every choice: thousands of mistyped references among thousands
# of entities would cost the square of the content's size. Within the budget (a few seconds at worst)
# every ordinary playbook gets all its suggestions (a thousand entities, fifty mistyped references); beyond it the hints list the known ids instead.
SUGGESTION_BUDGET = 50_000
_budget: ContextVar[list[int] | None] = ContextVar("suggestion_budget", default=None)


@contextmanager
def suggestion_budget(comparisons: int = SUGGESTION_BUDGET) -> Iterator[None]:
    """Within this block, `did_you_mean` makes at most `comparisons` comparisons in all."""
    token = _budget.set([comparisons])
    try:
        yield
    finally:
        _budget.reset(token)


def close_matches(word: str, choices: Iterable[str], n: int = 1) -> list[str]:
    """difflib's closest `n` of `choices` to `word`; none when the budget is spent."""
    options = choices if isinstance(choices, Collection) else list(choices)
    budget = _budget.get()
    if budget is not None:
        if len(options) > budget[0]:
            return []  # checked before anything is copied: a spent budget costs nothing per call
        budget[0] -= len(options)
    return difflib.get_close_matches(word, list(options), n=n, cutoff=0.6)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A "did you mean ..." phrase for the closest of `choices`, or "" (also when the budget is spent)."""
    matches = close_matches(word, choices)
    return f"did you mean `{matches[0]}`?" if matches else ""


# At most PER_FILE problems of one kind are listed for one file; the rest are counted in one more
# problem (`more-problems`). A file of 50,000 unknown fields is one mistake made 50,000 times: its
# first hundred say what is wrong and how to fix it, and listing the rest would only bury the others.


def more_problems(first: Problem, count: int, kind: str) -> Problem:
    """The problem that stands for `count` more problems of `kind` in `first`'s file, from `first` on."""
    return Problem(
        first.path,
        first.line,
        first.column,
        "more-problems",
        f"and {count:,} more {kind} problems like the ones above in this file (only the first {PER_FILE} are listed)",
        "fix the ones listed (they are all the same kind of mistake), then validate again",
        first.severity,
    )


def capped(problems: Iterable[Problem]) -> list[Problem]:
    """`problems` sorted, with at most PER_FILE of one code and severity in one file (then one `more-problems`)."""
    kept: list[Problem] = []
    seen: dict[tuple[str, str, str], int] = {}
    extra: dict[tuple[str, str, str], list[Problem]] = {}
    for problem in sorted(problems):
        group = (problem.path, problem.code, problem.severity)
        seen[group] = seen.get(group, 0) + 1
        if problem.code == "more-problems" or seen[group] <= PER_FILE:
            kept.append(problem)
        else:
            extra.setdefault(group, []).append(problem)
    for (_path, code, _severity), rest in extra.items():
        kept.append(more_problems(rest[0], len(rest), f"`{code}`"))
    return sorted(kept)
