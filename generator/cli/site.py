"""Commands that build or serve the site."""

from __future__ import annotations

import time
from pathlib import Path

import click

from ..clock import today
from ..content import load_all
from ..errors import BuildError, UsageError
from ..publishing.build import build_site, content_dir_of
from .base import cli, config_option, handle_errors, setup_mkdocs_logging


def _prevalidate(config_file: Path) -> None:
    """Validate the content named by mkdocs.yml before MkDocs starts, with our own error format."""
    if not config_file.is_file():
        raise UsageError(f"{config_file} does not exist; run the command in the playbook repository or pass -f mkdocs.yml")
    load_all(content_dir_of(config_file), today=today())


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
@handle_errors
def build(config_file: Path, site_dir: Path | None, strict: bool, verbose: bool) -> None:
    """Build the site (a strict MkDocs build).

    The content is validated first. The site is built into a temporary directory
    next to the target and swapped in only when the build succeeded, so a failed
    build leaves the previous site exactly as it was.
    """
    _prevalidate(config_file)
    setup_mkdocs_logging(verbose)
    started = time.perf_counter()
    target = build_site(config_file, site_dir=site_dir, strict=strict)
    click.echo(f"Built the playbook site in {time.perf_counter() - started:.1f} s: {target}/index.html")


@cli.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="IP address and port to serve on.")
@handle_errors
def serve(config_file: Path, dev_addr: str) -> None:
    """Serve the site locally and rebuild it when content/ or templates/ change."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    _prevalidate(config_file)
    setup_mkdocs_logging(False)
    try:
        mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    except MkDocsException as error:
        raise BuildError(str(error)) from None
