"""`playbook diff`: what a change does to the playbook, in plain language."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ContentError
from .base import EXIT_PROBLEMS, cli, color, handle_errors
from .output import format_problems, summary


@cli.command(name="diff")
@click.argument("base")
@click.argument("head", required=False)
@click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the content lives inside the repository (and in the working tree).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="text for terminals; markdown for a pull-request comment; json for other tools.",
)
@handle_errors
def diff_command(base: str, head: str | None, content_dir: Path, output_format: str) -> None:
    """Report what a change does to the playbook, in plain language.

    BASE and HEAD are each a git revision (branch, tag, commit), read from git's
    object database, never from a folder of the same name. A content directory
    is written as a path: ./old-content, ../other/content or an absolute path.
    A bare name that is both a revision and a folder here is refused (exit 2).
    HEAD defaults to the working tree. Shows entities added, removed and
    renamed, every field that changed with old and new values, what refers to each
    changed entity, whether a change alters an agreed definition or is wording
    only, and who must approve it. Exits 0 whether or not anything changed, 1 when
    a side's content is not valid, 2 when the command is used wrongly.

    \b
    Examples:
      playbook diff main                      # the working tree against main
      playbook diff origin/main HEAD --format markdown
      playbook diff ./old-content ./content   # two content directories
    """
    from ..publishing.revision import RevisionContentError, load_side
    from ..review import compare, format_markdown, to_json
    from ..review import format_text as format_report

    sides = []
    for spec in (base, head):
        try:
            sides.append(load_side(spec, content_dir))
        except ContentError as error:
            if isinstance(error, RevisionContentError):
                where = f"revision `{spec}`"
            elif spec is None:
                where = f"the working tree ({content_dir})"
            else:
                where = f"`{spec}`"
            click.echo(f"Error: the playbook at {where} is not valid, so it cannot be compared:\n", err=True)
            click.echo(format_problems(error.problems, color=color()), err=True)
            errors = sum(p.severity == "error" for p in error.problems)
            click.echo(f"\n{summary(errors, len(error.problems) - errors)} at {where}.", err=True)
            sys.exit(EXIT_PROBLEMS)
    changes = compare(sides[0].playbook, sides[1].playbook)
    options = {"base": sides[0].label, "head": sides[1].label, "content_dir": content_dir.as_posix()}
    if output_format == "json":
        report = to_json(changes, **options)
    elif output_format == "markdown":
        report = format_markdown(changes, **options)
    else:
        report = format_report(changes, **options)
    click.echo(report, nl=False)
