"""How problems are printed: for people (with the line and a caret), for GitHub Actions, as JSON."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from ..errors import Problem, printable
from ..text import plural


class _Lines:
    """Source lines for excerpts, read once per file."""

    def __init__(self) -> None:
        self.cache: dict[str, list[str]] = {}

    def get(self, path: str, line: int) -> str | None:
        if path not in self.cache:
            try:
                text = Path(path).read_bytes().decode("utf-8-sig", errors="replace")
                self.cache[path] = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            except OSError:
                self.cache[path] = []
        lines = self.cache[path]
        return lines[line - 1] if 0 < line <= len(lines) else None


EXCERPT_WIDTH = 100  # longer source lines are shown as a window around the column


def excerpt(source_line: str, column: int) -> tuple[str, int]:
    """The part of a source line to show, and the caret's column in it (both 1-based)."""
    shown = printable(source_line.replace("\t", " "))
    caret = len(printable(source_line[: max(column - 1, 0)].replace("\t", " "))) + 1
    if len(shown) <= EXCERPT_WIDTH:
        return shown, _width(shown[: caret - 1]) + 1
    start = max(0, min(caret - 1 - EXCERPT_WIDTH // 3, len(shown) - EXCERPT_WIDTH))
    window = shown[start : start + EXCERPT_WIDTH]
    prefix = "..." if start else ""
    suffix = "..." if start + EXCERPT_WIDTH < len(shown) else ""
    return prefix + window + suffix, _width(prefix + shown[start : caret - 1]) + 1


def _width(text: str) -> int:
    """Columns `text` takes in a terminal: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def format_problems(problems: Iterable[Problem], *, color: bool = False) -> str:
    lines = _Lines()
    out: list[str] = []
    for problem in problems:
        severity = problem.severity
        label = click.style(severity, fg="red" if severity == "error" else "yellow", bold=True) if color else severity
        out.append(printable(f"{problem.location()}: ") + f"{label}: " + printable(f"{problem.message} [{problem.code}]"))
        source_line = lines.get(problem.path, problem.line) if problem.line else None
        if source_line is not None:
            gutter = str(problem.line)
            shown, caret_column = excerpt(source_line, problem.column)
            out.append(f"  {gutter} | {shown}")
            caret = click.style("^", fg="red", bold=True) if color else "^"
            out.append(f"  {' ' * len(gutter)} | {' ' * (caret_column - 1)}{caret}")
        if problem.hint:
            out.append(printable(f"  hint: {problem.hint}"))
    return "\n".join(out)


def _github_escape(value: str, *, prop: bool = False) -> str:
    value = printable(value)
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def format_github(problems: Iterable[Problem]) -> str:
    out = []
    for problem in problems:
        props = [f"file={_github_escape(problem.path, prop=True)}"]
        if problem.line:
            props += [f"line={problem.line}", f"col={problem.column}"]
        props.append(f"title={_github_escape(problem.code, prop=True)}")
        message = problem.message + (f" (hint: {problem.hint})" if problem.hint else "")
        out.append(f"::{problem.severity} {','.join(props)}::{_github_escape(message)}")
    return "\n".join(out)


def problem_dict(problem: Problem) -> dict[str, Any]:
    return {
        "path": problem.path,
        "line": problem.line,
        "column": problem.column,
        "severity": problem.severity,
        "code": problem.code,
        "message": problem.message,
        "hint": problem.hint,
    }


def summary(errors: int, warnings: int) -> str:
    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"
