"""Commands that read the content and write files from it: validate, generate, schema, export, codeowners."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..clock import today
from ..content import load, load_all
from ..errors import ContentError, Problem, UsageError
from ..files import Folder, content_folder, file_mode, repository_base
from ..review.codeowners import codeowners_file, codeowners_text, outdated_problem, unified_diff
from ..text import plural
from .base import EXIT_OK, EXIT_PROBLEMS, cli, color, content_option, handle_errors, leave_for_exit
from .output import format_github, format_problems, problem_dict, summary

if TYPE_CHECKING:
    from ..content.fix import FileFix


@cli.command()
@content_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="text for people; github for GitHub Actions annotations on the pull request; json for other tools"
    " (its `fix` says what `playbook fix` repairs, or is null).",
)
@click.option("--strict", is_flag=True, help="Treat warnings (such as a passed review date) as errors.")
@click.option(
    "--release",
    is_flag=True,
    help="Also report what `playbook publish` would refuse: a published definition that refers to a draft,"
    " a draft playbook, score bands that drafts would leave with gaps.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Check every file again instead of reusing what the last run found for files whose bytes are unchanged"
    " (the cache lives in $XDG_CACHE_HOME/playbook, or ~/.cache/playbook; deleting it is always safe).",
)
@handle_errors
def validate(content_dir: Path, output_format: str, strict: bool, release: bool, no_cache: bool) -> None:
    """Check the content against the format and every cross-reference rule.

    Reports every problem at once as path:line:column with a hint, then exits 1
    if there was an error (or a warning, with --strict). With --release it also
    checks the content as a published version (drafts left out), as `playbook
    publish` does. MkDocs is not involved.
    """
    from ..content.cache import FileCache

    started = time.perf_counter()
    left_out: list[tuple[str, str]] = []
    try:
        loaded = load_all(content_dir, today=today(), cache=None if no_cache else FileCache())
        problems, playbook = list(loaded.warnings), loaded.playbook
    except ContentError as error:
        problems, playbook = error.problems, None
    if playbook is not None:
        outdated = outdated_problem(playbook, content_dir, os.path.relpath(codeowners_file(content_dir)))
        if outdated is not None:
            problems.append(outdated)
    if playbook is not None and release:
        from ..content.release import drafts, release_problems, source_locate

        shown_root = str(content_dir).rstrip("/\\") or "."  # as the loader shows its paths
        problems = sorted(
            problems + release_problems(playbook, source_locate(playbook, loaded.sources, lambda rel: f"{shown_root}/{rel}"))
        )
        left_out = drafts(playbook)
    if strict:
        problems = [Problem(p.path, p.line, p.column, p.code, p.message, p.hint, "error") for p in problems]
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if output_format == "json":
        report = {
            "ok": errors == 0,
            "errors": errors,
            "warnings": warnings,
            "problems": [problem_dict(p) for p in problems],
            "fix": fix_suggestion(problems, content_dir) or None,  # what the text's last `hint:` says, or null
        }
        click.echo(json.dumps(report, indent=2))
    elif output_format == "github":
        if problems:
            click.echo(format_github(problems))
        click.echo(f"{content_dir}: {summary(errors, warnings)}")
        suggestion = fix_suggestion(problems, content_dir)
        if suggestion:
            click.echo(f"::notice title=playbook fix::{suggestion}")
    else:
        if problems:
            click.echo(format_problems(problems, color=color()), err=True)
            click.echo("", err=True)
        if playbook is not None and errors == 0:
            counts = ", ".join(
                f"{len(playbook.collection(k))} {one if len(playbook.collection(k)) == 1 else many}"
                for k, one, many in (
                    ("role", "role", "roles"),
                    ("lead", "lead stage", "lead stages"),
                    ("kpi", "KPI", "KPIs"),
                    ("step", "checklist step", "checklist steps"),
                    ("stage", "alignment stage", "alignment stages"),
                    ("question", "diagnostic statement", "diagnostic statements"),
                    ("term", "glossary term", "glossary terms"),
                )
            )
            ready = " and ready to publish" if release else ""
            click.echo(
                f"{content_dir}: valid{ready} ({counts}); {summary(errors, warnings)} in {time.perf_counter() - started:.2f} s"
            )
            if left_out:
                shown = ", ".join(f"{kind} `{entity_id}`" for kind, entity_id in left_out)
                click.echo(f"A published version would leave out {plural(len(left_out), 'draft')}: {shown}.")
        else:
            click.echo(f"{content_dir}: {summary(errors, warnings)}", err=True)
        suggestion = fix_suggestion(problems, content_dir)
        if suggestion:
            click.echo(f"hint: {suggestion}", err=True)
    leave_for_exit()
    sys.exit(EXIT_PROBLEMS if errors else EXIT_OK)


def fix_command(content_dir: Path) -> str:
    return "playbook fix" + ("" if str(content_dir) == "content" else f" --content {content_dir}")


def fix_suggestion(problems: list[Problem], content_dir: Path) -> str:
    """One line saying that `playbook fix` repairs some of `problems`, or "" when it repairs none."""
    if not problems:
        return ""
    from ..content.fix import fixable

    repairable, kinds = fixable(problems)
    if not repairable:
        return ""
    count, total = len(repairable), len(problems)
    these = "this problem" if total == 1 else "all these problems" if count == total else f"{count} of these {total} problems"
    return (
        f"`{fix_command(content_dir)}` repairs {these} ({', '.join(kinds)}) without changing any value:"
        " run it, look at the change, then validate again"
    )


@cli.command()
@content_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a file would change (for pre-commit and CI).")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print the changes as a unified diff.")
@handle_errors
def fix(content_dir: Path, check: bool, show_diff: bool) -> None:
    """Repair the mechanical slips of pasted text, and nothing else.

    Curly quotes used as the quotes around a value, bullets pasted from a document
    (– — • * 1.) at the start of a list item, tabs and non-breaking spaces in the
    indentation and spaces at the end of a line. Every other character stays as it
    was: comments, layout, Windows line endings and a byte-order mark are kept (the
    format allows them), and no value a person wrote is changed. A file that cannot be repaired safely
    is left as it was, with the reason. Then says what is left for you to fix.
    Exit codes: 0 nothing to do or fixed; 1 with --check, when a file would change.
    """
    from ..content.fix import plan_content, write  # only this command needs the fixer

    if not content_dir.is_dir():
        raise UsageError(
            f"the content directory {content_dir} does not exist: run the command in the playbook repository, or pass --content DIR"
        )
    with content_folder(content_dir):  # a content folder that is a link, or lies through one, is refused
        pass
    planned = plan_content(content_dir)
    changed = [item for item in planned if item.changed]
    dry = check or show_diff
    if show_diff:
        for item in changed:
            click.echo(item.diff(), nl=False)
    for item in changed:
        click.echo(f"{item.display}: {'would be fixed' if dry else 'fixed'}")
        for line in item.summary():
            click.echo(f"  {line}")
    for item in planned:
        if item.refused:
            click.echo(f"{item.display}: left as it was, because {item.refused}")
    if not dry:
        with content_folder(content_dir) as folder:
            for item in changed:
                write(item, folder, content_dir)
    files = plural(len(changed), "file")
    if not changed:
        click.echo(f"Nothing to fix in {content_dir}.")
    elif dry:
        click.echo(f"{files} would be fixed: run `{fix_command(content_dir)}` to fix {'it' if len(changed) == 1 else 'them'}.")
    else:
        click.echo(f"Fixed {files}.")
    left = _left_after(content_dir, changed if dry else [])
    if left:
        count = plural(len(left), "problem")
        click.echo(f"Left for you: {count} that `playbook fix` does not repair:")
        for problem in left:
            click.echo(str(problem))
    sys.exit(EXIT_PROBLEMS if check and changed else EXIT_OK)


def _left_after(content_dir: Path, pending: list[FileFix]) -> list[Problem]:
    """The problems `playbook validate` reports once the `pending` repairs are made (they are not written here)."""
    import shutil
    import tempfile

    def problems_in(root: Path) -> list[Problem]:
        try:
            return list(load_all(root, today=today()).warnings)
        except ContentError as error:
            return list(error.problems)

    if not pending:
        return problems_in(content_dir)
    with tempfile.TemporaryDirectory(prefix="playbook-fix-") as scratch:
        copy = Path(scratch) / "content"
        shutil.copytree(content_dir, copy, symlinks=True)
        for item in pending:
            (copy / item.path.relative_to(content_dir)).write_bytes(item.fixed or item.original)
        shown = str(content_dir).rstrip("/\\") or "."
        return [problem.moved(str(copy), shown) for problem in problems_in(copy)]


def write_files(out_dir: Path, files: dict[str, bytes]) -> None:
    """`files` (paths relative to `out_dir`) written, each whole; nothing through a link (files.Folder):
    every name is checked before the first file is written."""
    with Folder.at(out_dir) as folder:
        folder.check(file=False)
        for rel in files:
            folder.check(rel)
        mode = file_mode()
        for rel, data in files.items():
            folder.write(rel, data, mode=mode)


@cli.command()
@click.option(
    "--out",
    "out_dir",
    default="schema",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the JSON Schemas into.",
)
@content_option
@handle_errors
def schema(out_dir: Path, content_dir: Path) -> None:
    """Write a JSON Schema per content file kind, for editors.

    Start a content file with `# yaml-language-server: $schema=../schema/role.schema.json`
    (the path relative to the file) and editors autocomplete and check it as you type.
    A role's `function` lists the functions of the playbook in --content (the built-in
    ones when it names none); the content must be valid.
    """
    playbook = load(content_dir) if content_dir.is_dir() else None
    from ..content.jsonschema import schema_files

    files = schema_files(playbook)
    write_files(out_dir, {name: text.encode("utf-8") for name, text in files.items()})
    click.echo(f"Wrote {len(files)} JSON Schemas to {out_dir}: {', '.join(files)}")


@cli.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["json", "csv", "all"]),
    default="all",
    show_default=True,
    help="json: playbook.json and the JSON Schemas (schema/); csv: exports/kpis.csv and exports/leads.csv; all: both.",
)
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Directory to write into."
)
@content_option
@handle_errors
def export(output_format: str, out_dir: Path, content_dir: Path) -> None:
    """Write the machine-readable exports the site publishes (JSON, CSV, JSON Schemas)."""
    from ..content.exports import export_files

    files = export_files(load(content_dir))
    wanted: Callable[[str], bool] = {
        "json": lambda path: path.endswith(".json"),
        "csv": lambda path: path.endswith(".csv"),
        "all": lambda path: True,
    }[output_format]
    written = [path for path in files if wanted(path)]
    write_files(out_dir, {path: files[path].encode("utf-8") for path in written})
    click.echo(f"Wrote {', '.join(written)} to {out_dir}")


@cli.command()
@content_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the file is missing or its generated block out of date.")
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write (default: .github/CODEOWNERS in the repository root, the content directory's parent).",
)
@click.option(
    "--code-owner",
    "code_owners",
    multiple=True,
    metavar="HANDLE",
    help="Who owns everything but the content (the code, the site's settings, the workflows): @org/team, @user"
    " or an email; repeat for several. Remembered in the file for later runs. Default: the playbook's approvers.",
)
@handle_errors
def codeowners(content_dir: Path, check: bool, out_file: Path | None, code_owners: tuple[str, ...]) -> None:
    """Write the generated block of .github/CODEOWNERS from the `approvers` fields.

    The playbook's approvers own the whole content directory; an entity with its
    own approvers owns its file (a file of many entities: the union of theirs).
    Everything else (generator/, templates/, mkdocs.yml, pyproject.toml, docs/,
    .github/, .ci/, scripts/, any new file) is owned by the code owners: those of
    --code-owner, else the playbook's approvers. GitHub then asks the right people
    to review a pull request. The block lies between `# BEGIN playbook codeowners`
    and `# END playbook codeowners`; lines outside it are kept as they are, and a
    line below the block wins over it (GitHub uses the last line that matches).
    """
    from pydantic import TypeAdapter, ValidationError

    from ..content.schema import Handle
    from ..errors import UsageError
    from ..review.codeowners import BEGIN, END, codeowners_block, expected_block, split_codeowners

    for handle in code_owners:
        try:
            TypeAdapter(Handle).validate_python(handle)
        except ValidationError:
            raise UsageError(f"--code-owner {handle!r} is not a @org/team or @user handle or an email") from None
    if out_file is None:  # written beside the content: never beside where a linked content folder leads
        with content_folder(content_dir):
            pass
    playbook = load(content_dir)
    target = out_file or codeowners_file(content_dir)
    shown = os.path.relpath(target)
    # In the repository (beside the content) every folder on the way is checked; else beneath the folder named.
    folder = Folder.at(target.parent, None if out_file else repository_base(content_dir))
    with folder:
        found = folder.read(target.name)
    current = found.decode("utf-8").replace("\r\n", "\n") if found is not None else None
    content_name = Path(os.path.abspath(content_dir)).name
    if check:
        if current is None:
            click.echo(f"{shown} does not exist; run `playbook codeowners` and commit it.", err=True)
            sys.exit(EXIT_PROBLEMS)
        parts = split_codeowners(current)
        expected = (
            codeowners_block(playbook, content_name, code_owners)
            if code_owners
            else expected_block(playbook, content_name, current)
        )
        if parts.block != expected:
            if parts.block is None:
                click.echo(f"{shown} has no `{BEGIN}` ... `{END}` block.", err=True)
            else:
                click.echo(unified_diff(expected, parts.block, shown), err=True, nl=False)
            click.echo(f"{shown} is out of date; run `playbook codeowners` and commit it.", err=True)
            sys.exit(EXIT_PROBLEMS)
        click.echo(f"{shown} is up to date.")
        return
    text = codeowners_text(playbook, content_name, code_owners, current)
    if current == text:
        click.echo(f"{shown} is already up to date.")
        return
    with folder:
        folder.write(target.name, text.encode("utf-8"), mode=file_mode())
    parts = split_codeowners(text)
    rules = sum(1 for line in (parts.block or "").splitlines() if line and not line.startswith("#"))
    kept = ", the lines outside the block kept" if (parts.before + parts.after).strip() else ""
    click.echo(f"Wrote {shown} ({plural(rules, 'rule')}{kept}).")
