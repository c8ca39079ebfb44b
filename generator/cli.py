"""The `playbook` command: the only module that prints and exits.

Exit codes: 0 success; 1 the content has problems (or the build failed);
2 the command was used wrongly (unknown option, missing directory).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click

from .errors import ContentError, PlaybookError, Problem, UsageError, printable

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner is not for our users


# --- printing problems ---------------------------------------------------------------------


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


def format_text(problems: Iterable[Problem], *, color: bool = False) -> str:
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


def _summary(errors: int, warnings: int) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    return f"{plural(errors, 'error')}, {plural(warnings, 'warning')}"


# --- the command group ---------------------------------------------------------------------


def _handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the tool's own exceptions into a message and an exit code; no traceback unless --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(click.get_current_context().obj and click.get_current_context().obj.get("debug"))
        try:
            return func(*args, **kwargs)
        except ContentError as error:
            if debug:
                raise
            click.echo(format_text(error.problems, color=_color()), err=True)
            errors = sum(p.severity == "error" for p in error.problems)
            click.echo(f"\n{_summary(errors, len(error.problems) - errors)}: nothing was written.", err=True)
            sys.exit(EXIT_PROBLEMS)
        except UsageError as error:
            if debug:
                raise
            click.echo(f"Error: {error}", err=True)
            sys.exit(EXIT_USAGE)
        except PlaybookError as error:
            if debug:
                raise
            click.echo(f"Error: {error}", err=True)
            sys.exit(EXIT_PROBLEMS)

    return wrapper


def _color() -> bool:
    return sys.stderr.isatty() and "NO_COLOR" not in os.environ


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="playbook-site", prog_name="playbook")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors (for bug reports).")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn a sales and marketing alignment playbook, kept as YAML in git, into a
    versioned, searchable website.

    Run the commands from the playbook repository (the folder with mkdocs.yml and
    content/). Exit codes: 0 success, 1 problems in the content or a failed build,
    2 wrong usage.
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


content_option = click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The content directory to read.",
)


@cli.command()
@content_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "github", "json"]),
    default="text",
    show_default=True,
    help="text for people; github for GitHub Actions annotations on the pull request; json for other tools.",
)
@click.option("--strict", is_flag=True, help="Treat warnings (such as a passed review date) as errors.")
@_handle_errors
def validate(content_dir: Path, output_format: str, strict: bool) -> None:
    """Check the content against the format and every cross-reference rule.

    Reports every problem at once as path:line:column with a hint, then exits 1
    if there was an error (or a warning, with --strict). MkDocs is not involved.
    """
    from .clock import today
    from .load import load_all

    started = time.perf_counter()
    try:
        loaded = load_all(content_dir, today=today())
        problems, playbook = list(loaded.warnings), loaded.playbook
    except ContentError as error:
        problems, playbook = error.problems, None
    if playbook is not None:
        from .codeowners import codeowners_file, outdated_problem

        outdated = outdated_problem(playbook, content_dir, os.path.relpath(codeowners_file(content_dir)))
        if outdated is not None:
            problems.append(outdated)
    if strict:
        problems = [Problem(p.path, p.line, p.column, p.code, p.message, p.hint, "error") for p in problems]
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if output_format == "json":
        click.echo(
            json.dumps(
                {"ok": errors == 0, "errors": errors, "warnings": warnings, "problems": [problem_dict(p) for p in problems]},
                indent=2,
            )
        )
    elif output_format == "github":
        if problems:
            click.echo(format_github(problems))
        click.echo(f"{content_dir}: {_summary(errors, warnings)}")
    else:
        if problems:
            click.echo(format_text(problems, color=_color()), err=True)
            click.echo("", err=True)
        if playbook is not None and errors == 0:
            counts = ", ".join(
                f"{len(playbook.collection(k))} {label}"
                for k, label in (
                    ("role", "roles"),
                    ("lead", "lead stages"),
                    ("kpi", "KPIs"),
                    ("step", "checklist steps"),
                    ("stage", "alignment stages"),
                    ("question", "diagnostic statements"),
                    ("term", "glossary terms"),
                )
            )
            click.echo(f"{content_dir}: valid ({counts}); {_summary(errors, warnings)} in {time.perf_counter() - started:.2f} s")
        else:
            click.echo(f"{content_dir}: {_summary(errors, warnings)}", err=True)
    sys.exit(EXIT_PROBLEMS if errors else EXIT_OK)


def _setup_mkdocs_logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_playbook", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._playbook = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False


def _prevalidate(config_file: Path) -> None:
    """Validate the content named by mkdocs.yml before MkDocs starts, with our own error format."""
    from .clock import today
    from .load import load_all
    from .site import content_dir_of

    if not config_file.is_file():
        raise UsageError(f"{config_file} does not exist; run the command in the playbook repository or pass -f mkdocs.yml")
    load_all(content_dir_of(config_file), today=today())


config_option = click.option(
    "-f",
    "--config-file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The MkDocs configuration of the playbook site.",
)


@cli.command()
@config_option
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: site_dir in mkdocs.yml).",
)
@click.option(
    "--strict/--no-strict", default=True, show_default=True, help="Fail on any MkDocs warning (broken link, missing anchor)."
)
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs debug output.")
@_handle_errors
def build(config_file: Path, site_dir: Path | None, strict: bool, verbose: bool) -> None:
    """Build the site (a strict MkDocs build).

    The content is validated first. The site is built into a temporary directory
    next to the target and swapped in only when the build succeeded, so a failed
    build leaves the previous site exactly as it was.
    """
    from .site import build_site

    _prevalidate(config_file)
    _setup_mkdocs_logging(verbose)
    started = time.perf_counter()
    target = build_site(config_file, site_dir=site_dir, strict=strict)
    click.echo(f"Built the playbook site in {time.perf_counter() - started:.1f} s: {target}/index.html")


@cli.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="IP address and port to serve on.")
@_handle_errors
def serve(config_file: Path, dev_addr: str) -> None:
    """Serve the site locally and rebuild it when content/ or templates/ change."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    from .errors import BuildError

    _prevalidate(config_file)
    _setup_mkdocs_logging(False)
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    except MkDocsException as error:
        raise BuildError(str(error)) from None


@cli.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the Markdown pages into.",
)
@content_option
@click.option(
    "--templates",
    "templates_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Use these templates instead of the bundled ones.",
)
@_handle_errors
def generate(out_dir: Path, content_dir: Path, templates_dir: Path | None) -> None:
    """Write the pages as Markdown files, for any other site engine.

    Every page is rendered in memory first; nothing is written if the content has problems.
    """
    from .clock import today
    from .load import load
    from .render import render

    pages = render(load(content_dir), templates_dir, today=today())
    for path, markdown in pages.items():
        target = out_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(markdown, encoding="utf-8", newline="\n")
    click.echo(f"Wrote {len(pages)} pages to {out_dir}")


@cli.command()
@click.option(
    "--out",
    "out_dir",
    default="schema",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the JSON Schemas into.",
)
@_handle_errors
def schema(out_dir: Path) -> None:
    """Write a JSON Schema per content file kind, for editors.

    Start a content file with `# yaml-language-server: $schema=../schema/role.schema.json`
    (the path relative to the file) and editors autocomplete and check it as you type.
    """
    from .schema import schema_files

    out_dir.mkdir(parents=True, exist_ok=True)
    files = schema_files()
    for name, text in files.items():
        (out_dir / name).write_text(text, encoding="utf-8", newline="\n")
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
@_handle_errors
def export(output_format: str, out_dir: Path, content_dir: Path) -> None:
    """Write the machine-readable exports the site publishes (JSON, CSV, JSON Schemas)."""
    from .export import export_files
    from .load import load

    files = export_files(load(content_dir))
    wanted = {
        "json": lambda path: path.endswith(".json"),
        "csv": lambda path: path.endswith(".csv"),
        "all": lambda path: True,
    }[output_format]
    written = []
    for path, text in files.items():
        if wanted(path):
            target = out_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    click.echo(f"Wrote {', '.join(written)} to {out_dir}")


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
@_handle_errors
def diff_command(base: str, head: str | None, content_dir: Path, output_format: str) -> None:
    """Report what a change does to the playbook, in plain language.

    BASE and HEAD are each a git revision (branch, tag, commit) or a content
    directory; HEAD defaults to the working tree. Shows entities added, removed and
    renamed, every field that changed with old and new values, what refers to each
    changed entity, whether a change alters an agreed definition or is wording
    only, and who must approve it. Exits 0 whether or not anything changed.

    \b
    Examples:
      playbook diff main                      # the working tree against main
      playbook diff origin/main HEAD --format markdown
      playbook diff old-content/ content/     # two content directories
    """
    from .diff import compare, format_markdown, to_json
    from .diff import format_text as format_report
    from .gitio import RevisionContentError, load_side

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
            click.echo(format_text(error.problems, color=_color()), err=True)
            errors = sum(p.severity == "error" for p in error.problems)
            click.echo(f"\n{_summary(errors, len(error.problems) - errors)} at {where}.", err=True)
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


@cli.command()
@content_option
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the file is missing or out of date.")
@click.option(
    "--out",
    "out_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write (default: .github/CODEOWNERS in the repository root, the content directory's parent).",
)
@_handle_errors
def codeowners(content_dir: Path, check: bool, out_file: Path | None) -> None:
    """Write .github/CODEOWNERS from the `approvers` fields.

    The playbook's approvers own the whole content directory; an entity with its
    own approvers owns its file (a file of many entities: the union of theirs).
    GitHub then asks the right people to review a pull request.
    """
    from .codeowners import codeowners_file, codeowners_text, unified_diff
    from .load import load

    playbook = load(content_dir)
    expected = codeowners_text(playbook, content_dir.resolve().name)
    target = out_file or codeowners_file(content_dir)
    shown = os.path.relpath(target)
    current = target.read_text(encoding="utf-8").replace("\r\n", "\n") if target.is_file() else None
    if check:
        if current is None:
            click.echo(f"{shown} does not exist; run `playbook codeowners` and commit it.", err=True)
            sys.exit(EXIT_PROBLEMS)
        if current != expected:
            click.echo(unified_diff(expected, current, shown), err=True, nl=False)
            click.echo(f"{shown} is out of date; run `playbook codeowners` and commit it.", err=True)
            sys.exit(EXIT_PROBLEMS)
        click.echo(f"{shown} is up to date.")
        return
    if current == expected:
        click.echo(f"{shown} is already up to date.")
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(expected, encoding="utf-8", newline="\n")
    rules = sum(1 for line in expected.splitlines() if line and not line.startswith("#"))
    click.echo(f"Wrote {shown} ({rules} rules).")


# --- publishing versions (generator/publish.py) --------------------------------------------------

branch_option = click.option(
    "--branch", default="gh-pages", show_default=True, help="The branch the published versions live on (GitHub Pages serves it)."
)
remote_option = click.option("--remote", default="origin", show_default=True, help="The remote to push to (with --push).")
push_option = click.option(
    "--push", is_flag=True, help="Push the branch to the remote afterwards (nothing is pushed without it)."
)


def _pushed_note(pushed: bool, remote: str, branch: str) -> str:
    return f"Pushed {branch} to {remote}." if pushed else f"Not pushed: run `git push {remote} {branch}`, or use --push."


@cli.command(name="publish")
@click.argument("version")
@click.option("--title", help="The name readers see in the version selector (default: VERSION).")
@click.option(
    "--alias",
    "aliases",
    multiple=True,
    help="Another name for this version, moved here from an older one; repeatable. Default: latest (none with --force).",
)
@push_option
@click.option("--force", is_flag=True, help="Replace VERSION if it is published already (only that version changes).")
@remote_option
@branch_option
@click.option("--revision", default="HEAD", show_default=True, help="The commit, branch or tag to publish.")
@config_option
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs debug output.")
@_handle_errors
def publish_command(
    version: str,
    title: str | None,
    aliases: tuple[str, ...],
    push: bool,
    force: bool,
    remote: str,
    branch: str,
    revision: str,
    config_file: Path,
    verbose: bool,
) -> None:
    """Publish the committed playbook as VERSION on the gh-pages branch.

    Builds what is committed at --revision (uncommitted edits are not published)
    without its drafts, with a "What changed" page against the previous published
    version, and commits it with mike as VERSION/ with versions.json, the aliases
    (as redirects) and the default version. The working tree and the current branch
    are not touched; if anything fails, the branch is left exactly as it was.

    \b
    Examples:
      playbook publish 2026-Q4 --title "Q4 2026 (agreed 20 Nov)"
      playbook publish 1.2 --push
      playbook publish 1.2 --force --revision v1.2   # rebuild 1.2 only
    """
    from .clock import today
    from .publish import publish

    _setup_mkdocs_logging(verbose)
    if not verbose:
        logging.getLogger("mkdocs").setLevel(logging.WARNING)  # the build's temporary folder is no news
    started = time.perf_counter()
    result = publish(
        version,
        repo=Path("."),
        config_file=config_file,
        title=title,
        aliases=list(aliases) if aliases else None,
        push=push,
        force=force,
        remote=remote,
        branch=branch,
        revision=revision,
        today=today(),
        progress=lambda step: click.echo(step, err=True),
    )
    verb = "Replaced" if result.replaced else "Published"
    aliases_text = f", aliases {', '.join(result.aliases)}" if result.aliases else ""
    click.echo(
        f"{verb} version {result.version}{f' ({result.title})' if result.title != result.version else ''} from commit {result.commit[:12]} on {result.branch}"
        f"{aliases_text} in {time.perf_counter() - started:.1f} s."
    )
    click.echo(f"Readers start at: {result.default}." if result.default else "No default version is set.")
    if result.previous:
        click.echo(f'Its "What changed" page compares it with version {result.previous}.')
    else:
        click.echo('Its "What changed" page says it is the first version.')
    if result.drafts_left_out:
        shown = ", ".join(f"{kind} `{entity_id}`" for kind, entity_id in result.drafts_left_out)
        click.echo(f"Left out {len(result.drafts_left_out)} draft(s): {shown}.")
    click.echo(_pushed_note(result.pushed, remote, result.branch))
    if not result.site_url:
        click.echo(
            "Note: mkdocs.yml has no site_url, so the version selector opens the other version's home page"
            " instead of the same page; set site_url to the site's address (e.g. https://ORG.github.io/REPOSITORY/).",
            err=True,
        )
    if result.unpublished_changes:
        listed = ", ".join(result.unpublished_changes[:5]) + (", ..." if len(result.unpublished_changes) > 5 else "")
        click.echo(
            f"Note: {len(result.unpublished_changes)} uncommitted change(s) were not published ({listed});"
            " commit them and publish again to include them.",
            err=True,
        )


@cli.command(name="versions")
@branch_option
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="text or json."
)
@_handle_errors
def versions_command(branch: str, output_format: str) -> None:
    """List the published versions, newest first (as the version selector shows them).

    Reads the local branch (or origin's, as fetched, when there is no local one); run
    `git fetch origin gh-pages:gh-pages` first to see the remote's latest.
    """
    from .publish import list_published

    site = list_published(repo=Path("."), branch=branch)
    if output_format == "json":
        data = {
            "branch": site.branch,
            "default": site.default,
            "versions": [
                {
                    "version": v.version,
                    "title": v.title,
                    "aliases": list(v.aliases),
                    "published": v.published,
                    "commit": v.commit,
                }
                for v in site.versions
            ],
        }
        click.echo(json.dumps(data, indent=2))
        return
    if not site.versions:
        click.echo(f"No version is published on {site.branch} yet: publish one with `playbook publish VERSION`.")
        return
    count = len(site.versions)
    start = site.find(site.default) if site.default else None
    where = f"; readers start at {site.default}" + (f" ({start.version})" if start and start.version != site.default else "")
    click.echo(f"{site.branch}: {count} published version{'s' if count != 1 else ''}{where if site.default else ''}")
    width = max(len(v.version) for v in site.versions)
    for v in site.versions:
        parts = [v.version.ljust(width)] + ([v.title] if v.title != v.version else [])
        if v.aliases:
            parts.append("aliases: " + ", ".join(v.aliases))
        if v.published:
            parts.append(f"published {v.published}" + (f" from {v.commit[:12]}" if v.commit else ""))
        click.echo("  " + "  ·  ".join(parts))


@cli.command(name="retract")
@click.argument("version")
@push_option
@remote_option
@branch_option
@config_option
@_handle_errors
def retract_command(version: str, push: bool, remote: str, branch: str, config_file: Path) -> None:
    """Remove a published version.

    Refused while an alias (such as `latest`) or the site's default points to it:
    point the alias at another version first with `playbook alias`.
    """
    from .publish import retract

    result = retract(version, repo=Path("."), config_file=config_file, push=push, remote=remote, branch=branch)
    click.echo(f"Retracted version {version} from {result.branch}.")
    click.echo(_pushed_note(result.pushed, remote, result.branch))


@cli.command(name="alias")
@click.argument("version")
@click.argument("names", nargs=-1, required=True)
@push_option
@remote_option
@branch_option
@config_option
@_handle_errors
def alias_command(version: str, names: tuple[str, ...], push: bool, remote: str, branch: str, config_file: Path) -> None:
    """Point NAMES (e.g. latest) at the published VERSION: how to roll back.

    \b
    Example: playbook alias 1.0 latest --push   # readers of `latest` see 1.0 again
    """
    from .publish import set_aliases

    result = set_aliases(version, list(names), repo=Path("."), config_file=config_file, push=push, remote=remote, branch=branch)
    click.echo(f"{', '.join(names)} now lead{'s' if len(names) == 1 else ''} to version {version} on {result.branch}.")
    click.echo(_pushed_note(result.pushed, remote, result.branch))


def main() -> None:
    cli(prog_name="playbook")


if __name__ == "__main__":  # pragma: no cover
    main()
