"""The command group, its error handling and the options several commands share.

The CLI is the only layer that prints and exits. Exit codes: 0 success; 1 the content has problems
(or the build failed); 2 the command was used wrongly (unknown option, missing directory).
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..errors import ContentError, PlaybookError, UsageError
from ..version import __version__
from .output import format_problems, summary

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")  # Material's end-of-life banner is not for our users
# Pydantic plugins observe validation for tools such as Logfire; the tool's own models need none, and looking
# for them reads the metadata of every installed distribution on each run (issue 27). Set it to override.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the tool's own exceptions into a message and an exit code; no traceback unless --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(click.get_current_context().obj and click.get_current_context().obj.get("debug"))
        try:
            return func(*args, **kwargs)
        except ContentError as error:
            if debug:
                raise
            click.echo(format_problems(error.problems, color=color()), err=True)
            errors = sum(p.severity == "error" for p in error.problems)
            click.echo(f"\n{summary(errors, len(error.problems) - errors)}: nothing was written.", err=True)
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


_PROGRAM: list[bool] = []  # set by `as_program`: the process ends when the command does


def as_program() -> None:
    """The command runs as the `playbook` program (`cli.main`), not inside another (a test's CliRunner)."""
    _PROGRAM.append(True)


def leave_for_exit() -> None:
    """Called by a command that has finished its work and written its output, just before it exits.

    As the program, what it read is left to the end of the process: the interpreter's last
    collections at exit would look through every object of the playbook for cycles, about a seventh
    of the CPU of a cold `playbook validate` (issue 27). Frozen, those objects are still released one
    by one, and atexit handlers still run; only cycles among them are never collected, which the
    system does with the process. Inside another program nothing changes."""
    if _PROGRAM:
        gc.freeze()


def _show_version(ctx: click.Context) -> None:
    """`playbook, version 0.3.0`, and on a second line the source its installation records (PEP 610)."""
    from ..version import installed_source

    click.echo(f"playbook, version {__version__}")
    click.echo(f"installed {installed_source().described}")
    ctx.exit(0)


def color() -> bool:
    return sys.stderr.isatty() and "NO_COLOR" not in os.environ


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=lambda ctx, _param, value: _show_version(ctx) if value and not ctx.resilient_parsing else None,
    help="Show the version, and where it was installed from, and exit.",
)
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


config_option = click.option(
    "-f",
    "--config-file",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The MkDocs configuration of the playbook site.",
)


branch_option = click.option(
    "--branch", default="gh-pages", show_default=True, help="The branch the published versions live on (GitHub Pages serves it)."
)
remote_option = click.option("--remote", default="origin", show_default=True, help="The remote to push to (with --push).")
push_option = click.option(
    "--push", is_flag=True, help="Push the branch to the remote afterwards (nothing is pushed without it)."
)


def pushed_note(pushed: bool, remote: str, branch: str) -> str:
    return f"Pushed {branch} to {remote}." if pushed else f"Not pushed: run `git push {remote} {branch}`, or use --push."


def setup_mkdocs_logging(verbose: bool) -> None:
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_playbook", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._playbook = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
