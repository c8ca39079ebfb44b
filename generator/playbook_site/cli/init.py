"""`playbook init`: start a new playbook repository with one command, as `mkdocs new` starts a site."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from ..clock import today
from ..errors import GitError, UsageError
from ..files import Folder, file_mode
from ..version import __version__
from .base import cli, handle_errors

# publishing.starter is imported by the command: `playbook validate` imports no publishing code.
STARTERS = ("example", "blank")  # publishing.starter.STARTERS (checked by a test)
DEFAULT_STARTER = "example"

HELP = """Create a new playbook repository in DIRECTORY (default: the current folder).

\b
DIRECTORY/
  mkdocs.yml               the site's settings: its name and the playbook plugin
  README.md                for the playbook's editors: edit, preview, propose, publish
  content/                 the playbook: playbook.yml, roles/, leads/, kpis/,
                           checklist.yml, alignment.yml, glossary.yml
  docs/                    pages written by hand in Markdown (optional)
  schema/                  JSON Schemas, so that editors check the YAML as you type
  .github/workflows/       the pull-request review and publishing, which install
                           the tool from the source this one was installed from
                           (--tool-source to choose another)
  .github/playbook-requirements.txt
                           the tool's dependencies, locked with hashes
  .github/CODEOWNERS       who approves what, from the approvers
  .pre-commit-config.yaml  the same checks before every commit
  .gitignore               site/, preview/, .playbook/, .venv/

The example starter is the bundled playbook of a B2B software company, made
yours (its organization, title and approvers); the blank starter is a small
playbook to fill in (3 roles, 2 lead stages, 1 KPI). Either validates as it is.
Runs `git init` when DIRECTORY is not in a git repository yet. Writes nothing
when any of these files exists already, and lists them.

The workflows and the pre-commit hooks install playbook-site from where this
one came from, as its installation records it: a version from the package
index, a git URL at its commit, or a wheel URL with its hash. A tool installed
from a folder or a file on this machine cannot be installed from there on
GitHub: then init writes nothing and asks for --tool-source (or
PLAYBOOK_TOOL_SOURCE in the environment, the same for every init run there).

\b
Examples:
  playbook init northwind-playbook --organization "Northwind & Co"
  playbook init --organization Contoso --starter blank --approver @contoso/revenue-leads
  playbook init --organization Contoso --tool-source 0.3.0
"""


@cli.command(name="init", help=HELP, short_help="Create a new playbook repository.")
@click.argument("directory", default=".", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--organization", required=True, help='Whose playbook this is, as readers see it (e.g. "Northwind & Co").')
@click.option("--title", help="The site's title (default: the starter's, Revenue Alignment Playbook).")
@click.option(
    "--starter",
    type=click.Choice(STARTERS),
    default=DEFAULT_STARTER,
    show_default=True,
    help="example: the bundled playbook to adapt; blank: a small one to fill in.",
)
@click.option(
    "--approver",
    "approvers",
    multiple=True,
    metavar="HANDLE",
    help="Who approves changes: @org/team, @user or an email; repeat for several. Default: none yet.",
)
@click.option(
    "--tool-source",
    metavar="SOURCE",
    envvar="PLAYBOOK_TOOL_SOURCE",
    help="Where the workflows and hooks install playbook-site from: a version on the package index (0.3.0),"
    " a URL (git+https://HOST/ORG/playbook-site@v0.3.0, a wheel's https:// URL) or a requirement"
    " (playbook-site==0.3.0). Default: the environment variable PLAYBOOK_TOOL_SOURCE, else where this one"
    " was installed from.",
)
@handle_errors
def init_command(
    directory: Path, organization: str, title: str | None, starter: str, approvers: tuple[str, ...], tool_source: str | None
) -> None:
    from ..publishing.starter import repository_of, starter_files

    tool = _tool_requirement(tool_source)
    repository = repository_of(directory) if directory.is_dir() else None
    files = starter_files(
        starter, organization=organization, title=title, approvers=approvers, today=today(), tool=tool, repository=repository
    )
    taken = _taken(directory, files)
    if taken:
        listed = "\n".join(f"  {path}" for path in taken)
        raise UsageError(
            f"{_shown(directory)} already has {len(taken)} of the files `playbook init` writes, so it wrote nothing"
            f" (nothing of yours is replaced):\n{listed}\nMove them away, or start the playbook in another folder."
        )
    click.echo(f"Creating a playbook repository in {_shown(directory)} ({starter} starter, playbook-site {__version__}):")
    click.echo(f"The workflows and the pre-commit hooks install {tool}")
    _write(directory, files)
    for line in _tree(files):
        click.echo(f"  {line}")
    click.echo(_git_note(directory))
    if repository is not None:
        click.echo(
            f"Each page links to its files at {repository[0]} (branch {repository[1]}): see `repository:` in content/playbook.yml."
        )
    if not approvers:
        click.echo(
            "No approvers yet: name them under `approvers:` in content/playbook.yml, then run `playbook codeowners`"
            " and commit .github/CODEOWNERS."
        )
    go = "" if directory.resolve() == Path.cwd().resolve() else f"cd {shlex.quote(str(directory))} && "
    click.echo("\nNext steps:")
    click.echo(f"  {go}playbook validate && playbook serve")
    click.echo('  git add . && git commit -m "Start the playbook"')
    click.echo("  README.md says how to propose a change and publish a version, and what to set up on GitHub.")


def _tool_requirement(tool_source: str | None) -> str:
    """The pip requirement the written automation installs the tool with: --tool-source, else the
    running tool's own source; UsageError when that is only on this machine."""
    from ..version import installed_source, requirement_from_option

    if tool_source is not None:
        try:
            return requirement_from_option(tool_source)
        except ValueError as error:
            raise UsageError(str(error)) from None
    source = installed_source()
    if source.requirement is None:
        raise UsageError(
            f"this playbook-site was installed {source.described}, which the workflows on GitHub and the other"
            " editors' machines cannot install from, so init wrote nothing. Say where they should get it with"
            f" --tool-source: the release on the package index (--tool-source {__version__}), a tagged git source"
            f" (--tool-source git+https://github.com/ORG/playbook-site@v{__version__}) or a wheel's https:// URL."
        )
    return source.requirement


def _shown(directory: Path) -> str:
    return str(directory).rstrip("/") + "/" if str(directory) not in (".", "") else "the current folder"


def _taken(directory: Path, files: dict[str, bytes]) -> list[str]:
    """The paths `files` would write that exist already, or whose folder is a file or a link."""
    taken: list[str] = []
    for rel in files:
        target = directory / rel
        if target.exists() or target.is_symlink():
            taken.append(rel)
            continue
        parent = Path(rel).parent
        while str(parent) != ".":
            folder = directory / parent
            if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
                taken.append(
                    f"{parent.as_posix()} (not a folder)" if not folder.is_symlink() else f"{parent.as_posix()} (a link)"
                )
                break
            parent = parent.parent
    return list(dict.fromkeys(taken))


def _write(directory: Path, files: dict[str, bytes]) -> None:
    """Each file created new (never through a link, never over a file); on a failure, the ones written go again."""
    written: list[str] = []
    with Folder(directory) as folder:
        try:
            for rel, data in files.items():
                written.append(rel)
                folder.write(rel, data, mode=0o644 & file_mode(), exclusive=True)  # links on the way refused (files.Folder)
        except (OSError, UsageError) as error:
            for rel in written[:-1]:
                folder.remove(rel)
            if isinstance(error, UsageError):
                raise
            raise UsageError(
                f"could not write {error.filename or directory}: {error.strerror or error}; nothing was kept"
            ) from None


def _tree(files: dict[str, bytes]) -> list[str]:
    """What was written, as `mkdocs new` tells it: top-level files, and each folder with its count."""
    lines: list[str] = []
    folders: dict[str, int] = {}
    for rel in files:
        top, _, rest = rel.partition("/")
        if not rest:
            lines.append(top)
        elif top == ".github":
            lines.append(rel)
        elif top not in folders:
            folders[top] = 1
            lines.append(top + "/")
        else:
            folders[top] += 1
    return [f"{line} ({folders[line[:-1]]} files)" if line.endswith("/") and line[:-1] in folders else line for line in lines]


def _git_note(directory: Path) -> str:
    from ..publishing.git import init_repository, repository_root

    try:
        root = repository_root(directory)
        if root is not None:
            if root.resolve() == directory.resolve():
                return "It is a git repository already: nothing to initialize."
            return (
                f"Note: {_shown(directory)} is inside the git repository {root}; GitHub reads .github/ (the workflows,"
                " CODEOWNERS) only at a repository's root."
            )
        init_repository(directory)
    except GitError as error:
        if error.stderr == "git is not installed":
            return "git is not installed, so the folder is not a git repository yet: install git, then run `git init -b main`."
        return f"Note: `git init` failed ({error.stderr}); run `git init -b main` yourself."
    return "Initialized a git repository (branch main)."


UPGRADE_HELP = """Point the repository's automation at the playbook-site you run.

\b
To move to a newer release, change the one version line of your own install
command and run it (pip install "playbook-site==0.4.0"), then, at the root of
the playbook repository:
  playbook upgrade --dry-run    shows every line it would change
  playbook upgrade              changes them
and propose the change as a pull request.

It rewrites PLAYBOOK_VERSION and PLAYBOOK_TOOL in the workflows `playbook init`
wrote, the hooks' additional_dependencies in .pre-commit-config.yaml, the old
tool named in README.md, and replaces .github/playbook-requirements.txt (the
dependencies, locked with hashes) with this release's. Nothing else in those
files changes, so your own edits stay. The tool's source is where this one was
installed from, as `init` chooses it (--tool-source to choose another).
"""


@cli.command(name="upgrade", help=UPGRADE_HELP, short_help="Point the automation at the playbook-site you run.")
@click.argument("directory", default=".", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--tool-source",
    metavar="SOURCE",
    envvar="PLAYBOOK_TOOL_SOURCE",
    help="Where the workflows and hooks install playbook-site from, as for `playbook init`: a version (0.3.0), a"
    " URL or a requirement. Default: PLAYBOOK_TOOL_SOURCE, else where this one was installed from.",
)
@click.option("--dry-run", is_flag=True, help="Show what would change and write nothing.")
@handle_errors
def upgrade_command(directory: Path, tool_source: str | None, dry_run: bool) -> None:
    from ..publishing.upgrade import plan_upgrade

    tool = _tool_requirement(tool_source)
    plan = plan_upgrade(directory, tool=tool, version=__version__)
    if not plan.files:
        click.echo(f"Nothing to change: the automation installs {tool} already, with this release's dependencies.")
        return
    for change in plan.lines:
        click.echo(f"{change.path}:{change.line}\n  - {change.old}\n  + {change.new}")
    for rel in plan.replaced:
        click.echo(f"{rel}: replaced by the dependencies of playbook-site {__version__}, locked with hashes")
    if dry_run:
        click.echo(f"Dry run: {len(plan.files)} files would change; nothing was written.")
        return
    _write_all(directory, plan.files)
    click.echo(
        f"Changed {len(plan.files)} files: the automation now installs {tool}. Commit them in one pull request;"
        " the workflows check with `pip check` that the tool and the locked dependencies fit."
    )


def _write_all(directory: Path, files: dict[str, bytes]) -> None:
    """Each file whole (a new file renamed over it, never through a link); when one fails, the ones
    written before it get their old bytes back, so the repository is never half upgraded."""
    with Folder(directory) as folder:
        before = {rel: folder.read(rel) for rel in files}
        written: list[str] = []
        try:
            for rel, data in files.items():
                folder.write(rel, data, mode=0o644 & file_mode())
                written.append(rel)
        except (OSError, UsageError) as error:
            for rel in written:
                old = before[rel]
                if old is None:
                    folder.remove(rel)
                else:
                    folder.write(rel, old, mode=0o644 & file_mode())
            if isinstance(error, UsageError):
                raise
            raise UsageError(
                f"could not write {error.filename or directory}: {error.strerror or error}; nothing was changed"
            ) from None
