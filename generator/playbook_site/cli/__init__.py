"""The `playbook` command: parses, calls, prints, exits. The only layer that prints.

Exit codes: 0 success; 1 the content has problems (or the build failed); 2 the command was used
wrongly (unknown option, missing directory).
"""

from __future__ import annotations

from . import content, importing, init, publishing, reference, review, site, survey  # noqa: F401  (each module adds its commands)
from .base import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, as_program, cli
from .output import excerpt, format_github, format_problems, problem_dict

__all__ = ["EXIT_OK", "EXIT_PROBLEMS", "EXIT_USAGE", "cli", "excerpt", "format_github", "format_problems", "main", "problem_dict"]


def main() -> None:
    as_program()
    cli(prog_name="playbook")


if __name__ == "__main__":  # pragma: no cover
    main()
