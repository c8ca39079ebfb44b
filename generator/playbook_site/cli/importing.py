"""`playbook import results` and `playbook import definitions`: start from what the company already has."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..clock import today
from ..content.periods import CADENCE_KINDS
from ..errors import printable
from ..importers import AGGREGATES, SUMMED_UNITS
from ..text import format_number, plural
from .base import EXIT_OK, EXIT_PROBLEMS, cli, color, content_option, handle_errors
from .output import format_problems

if TYPE_CHECKING:
    from ..importers.results import ResultsPlan

EXISTING_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@cli.group(name="import")
def import_group() -> None:
    """Write content from a spreadsheet or a CRM or BI export.

    `import results` turns an export of dated rows into a KPI's results;
    `import definitions` turns a spreadsheet of roles, lead stages, KPIs,
    checklist steps and glossary terms (and a RACI matrix) into content. No cell is evaluated, and
    nothing is written that does not validate.
    """


@import_group.command(name="results")
@click.argument("file", type=EXISTING_FILE)
@click.option("--kpi", "kpi_id", required=True, help="The id of the KPI whose results/<kpi>.csv is written.")
@click.option("--date", "date_column", help="The export's column of dates, as its header writes it.")
@click.option(
    "--value", "value_column", help="The export's column of numbers, as its header writes it (not needed with --aggregate count)."
)
@click.option(
    "--aggregate",
    type=click.Choice(AGGREGATES),
    help=f"How the rows of a period make its value. Default: sum for a KPI in {' or '.join(SUMMED_UNITS)},"
    " mean for a KPI in any other unit.",
)
@click.option("--day-first", "dates", flag_value="day-first", help="Read 03/04/2026 as 3 April 2026.")
@click.option("--month-first", "dates", flag_value="month-first", help="Read 03/04/2026 as 4 March 2026.")
@click.option("--sheet", help="The sheet to read in a workbook (default: the first that holds cells).")
@click.option(
    "--period",
    type=click.Choice(tuple(CADENCE_KINDS.values())),
    help="The periods to write, for a KPI that has no target period, no results yet and no cadence.",
)
@click.option("--include-partial", is_flag=True, help="Also write the current period, which is not over yet.")
@click.option("--update", is_flag=True, help="Change periods the results file already has when the export says otherwise.")
@click.option(
    "--yes", is_flag=True, help="Import with the guessed columns (without it, a guess is shown and nothing is written)."
)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@content_option
@handle_errors
def import_results(
    file: Path,
    kpi_id: str,
    date_column: str | None,
    value_column: str | None,
    aggregate: str | None,
    dates: str | None,
    sheet: str | None,
    period: str | None,
    include_partial: bool,
    update: bool,
    yes: bool,
    dry_run: bool,
    content_dir: Path,
) -> None:
    """Write or update a KPI's results from a CRM or BI export (CSV, XLSX, XLS, ODS).

    The rows' dates are read in the forms these tools write (2026-12-31, 12/31/2026
    with --month-first or --day-first when the column does not show which, Excel
    day numbers, date cells), their numbers with thousands separators, currency
    symbols and percent signs; the rows are aggregated to the KPI's periods (its
    target's period, else those of its results, else its cadence). A period already
    in the file is changed only with --update, and each change is listed. The
    columns and the aggregation are remembered in results/sources.yml, so the next
    import of the same export is `playbook import results FILE --kpi ID`.
    Exit codes: 0 imported (or nothing to change), 1 refused or a problem in the
    file, 2 wrong usage.

    \b
    Examples:
      playbook import results pipeline.csv --kpi new-pipeline --date "Created Date" --value Amount
      playbook import results deals.xlsx --kpi win-rate --yes --dry-run
    """
    from ..importers.results import ImportOptions, plan_results

    options = ImportOptions(kpi_id, date_column, value_column, aggregate, dates, sheet, period, include_partial, update)
    plan = plan_results(content_dir, file, options, today())
    sys.exit(_apply(plan, content_dir, yes=yes, update=update, dry_run=dry_run))


def _apply(plan: ResultsPlan, content_dir: Path, *, yes: bool, update: bool, dry_run: bool) -> int:
    """Say what the import reads and changes, and write it unless refused: the exit code."""
    from ..importers.results import write_results

    for note in plan.notes:
        click.echo(note)
    if plan.guessed and not yes:
        click.echo(f"Guessed the {plan.guessed}.")
        click.echo(
            "Nothing was written: run again with --yes to import with these columns, or name them with --date and --value."
        )
        return EXIT_PROBLEMS
    if plan.guessed:
        click.echo(f"Used the guessed {plan.guessed}.")
    for change in plan.changes:
        old = "new" if change.old is None else format_number(change.old)
        click.echo(f"  {change.period}: {old} -> {format_number(change.new)}")
    if plan.refused and not update:
        click.echo(
            f"Refused: {plural(len(plan.refused), 'period')} already in {printable(plan.display)} would change"
            " (listed above with their old and new values). Nothing was written: run again with --update to change them.",
            err=True,
        )
        return EXIT_PROBLEMS
    added = len(plan.changes) - len(plan.refused)
    summary = f"{plural(added, 'new period')}, {plural(len(plan.refused), 'changed period')}, {plan.unchanged} unchanged"
    if dry_run:
        click.echo(f"Dry run: {printable(plan.display)} would get {summary}; nothing was written.")
    elif write_results(content_dir, plan):
        click.echo(f"Wrote {printable(plan.display)}: {summary}.")
    else:
        click.echo(f"{printable(plan.display)} is up to date: {summary}.")
    return EXIT_OK


@import_group.command(name="definitions")
@click.argument("files", nargs=-1, required=True, type=EXISTING_FILE)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar='"COLUMN=FIELD"',
    help='Read a column the importer does not recognise as a field, e.g. --map "Job title=name" (repeatable).',
)
@click.option("--dry-run", is_flag=True, help="Say which files would be written; write nothing.")
@content_option
@handle_errors
def import_definitions(files: tuple[Path, ...], maps: tuple[str, ...], dry_run: bool, content_dir: Path) -> None:
    """Write roles, lead stages, KPIs, checklist steps and glossary terms from a spreadsheet.

    FILES are XLSX, XLS or ODS workbooks with a sheet per kind, or CSV files with a
    file per kind, named after it (Roles, Lead stages, KPIs, Checklist, Glossary;
    a sheet named RACI holds a RACI matrix). Columns are matched to fields by the
    field's name or label (case and spacing ignored), ids are made from names,
    references between sheets are resolved by name, abbreviation or id, and
    lists are split at line breaks and semicolons. A RACI matrix (roles as
    columns, activities as rows, R/A/C/I) adds responsibilities, and owners and
    participants of the checklist steps its activities name. Columns that name no
    field are listed. Nothing is written while a problem is left (each is located
    in the spreadsheet), and an existing file is never replaced.
    Exit codes: 0 written (or nothing to write), 1 problems to fix, 2 wrong usage.

    \b
    Examples:
      playbook import definitions playbook.xlsx --dry-run
      playbook import definitions roles.csv kpis.csv --map "Job title=name"
    """
    from ..errors import ContentError
    from ..importers.definitions import plan_definitions, write_definitions

    plan, problems = plan_definitions(list(files), content_dir, maps)
    for note in plan.notes:
        click.echo(printable(note))
    if problems:
        raise ContentError(problems)
    for rel in plan.existing:
        click.echo(f"{printable(rel)} exists: left as it is")
    counts = ", ".join(f"{count} {kind}" for kind, count in plan.counts.items())
    if dry_run:
        for rel in plan.files:
            click.echo(f"would write {content_dir.as_posix()}/{rel}")
        click.echo(f"Dry run: {plural(len(plan.files), 'file')} would be written ({counts}); nothing was written.")
        sys.exit(EXIT_OK)
    write_definitions(content_dir, plan)
    for rel in plan.files:
        click.echo(f"wrote {content_dir.as_posix()}/{rel}")
    click.echo(f"Wrote {plural(len(plan.files), 'file')} ({counts}).")
    sys.exit(_validated(content_dir))


def _validated(content_dir: Path) -> int:
    """The whole playbook validated after an import: what is left to fix is listed (exit 1)."""
    from ..content import load_all
    from ..errors import ContentError

    try:
        load_all(content_dir, today=today())
    except ContentError as error:
        click.echo(format_problems(error.problems, color=color()), err=True)
        click.echo(
            f"{content_dir}: {plural(len(error.problems), 'problem')} left to fix before the playbook validates.", err=True
        )
        return EXIT_PROBLEMS
    click.echo(f"{content_dir}: valid.")
    return EXIT_OK
