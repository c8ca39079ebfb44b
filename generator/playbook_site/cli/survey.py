"""`playbook survey import`: a form tool's export made into a survey round file."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ContentError, Problem, UsageError
from ..text import plural
from .base import cli, content_option, handle_errors


@cli.group()
def survey() -> None:
    """The team survey: the diagnostic answered by the teams, one round a file in survey/."""


@survey.command(name="import")
@click.argument("export_file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--round", "round_name", required=True, help="The round's period, as results periods are written: 2026-Q3, 2026-09."
)
@click.option("--yes", is_flag=True, help="Use the close matches of column headers to statements that the import shows.")
@click.option("--overwrite", is_flag=True, help="Replace the round's file when it exists (said when it does).")
@content_option
@handle_errors
def import_command(export_file: Path, round_name: str, yes: bool, overwrite: bool, content_dir: Path) -> None:
    """Write survey/ROUND.csv from a Google Forms, Microsoft Forms or Typeform export (CSV or XLSX).

    Each column headed by a statement's text becomes that statement's column
    (the exact text first; a close match is shown and used only with --yes);
    the column headed `Function` (or `Department`) gives each row's function, by
    its id or name, and a `Team` column its team. Answers are 1-5 or the labels
    Strongly disagree .. Strongly agree. Every other column (names, e-mail
    addresses, timestamps, response ids) is dropped and never reaches the
    content. The round is checked like any round file; nothing is written when
    anything is wrong, and an existing round is replaced only with --overwrite.

    \b
    Examples:
      playbook survey import responses.csv --round 2026-Q3
      playbook survey import "Diagnostic (1-20).xlsx" --round 2026-Q3 --yes
    """
    from ..clock import today
    from ..content import load
    from ..content.survey_import import import_rows, read_rows
    from ..files import content_folder, file_mode

    try:
        raw = export_file.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {export_file}: {exc.strerror or exc}") from None
    playbook = load(content_dir)
    problems: list[Problem] = []
    rows = read_rows(raw, export_file.name, str(export_file), problems)
    if problems:
        raise ContentError(problems)
    found = import_rows(rows, str(export_file), round_name, playbook, today=today(), confirmed=yes)
    for match in found.matches:
        if not match.exact:
            click.echo(
                f"close match: `{match.header[:100]}` -> {match.question}" + ("" if yes else " (not used without --yes)"),
                err=True,
            )
    if found.problems or found.text is None:
        raise ContentError(found.problems)
    rel = f"survey/{round_name}.csv"
    with content_folder(content_dir) as folder:
        exists = folder.check(rel) is not None
        if exists and not overwrite:
            raise UsageError(f"{folder.shown(rel)} exists: nothing was written; add --overwrite to replace it")
        folder.write(rel, found.text.encode("utf-8"), mode=file_mode())
        shown = folder.shown(rel)
    team = f", the team from `{found.team_header}`" if found.team_header else ""
    click.echo(
        f"{'Replaced' if exists else 'Wrote'} {shown}: {plural(found.respondents, 'respondent')} answering"
        f" {plural(len(found.matches), 'statement')}; the function from `{found.function_header}`{team}."
    )
    click.echo(f"Dropped {plural(len(found.dropped), 'column')}: {', '.join(found.dropped) or 'none'}.")
