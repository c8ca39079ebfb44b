"""Commands that build, serve or write the site: build, serve, generate."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..clock import today
from ..content import load_all
from ..errors import UsageError, shown_path
from ..text import plural
from .base import cli, config_option, handle_errors, setup_mkdocs_logging

if TYPE_CHECKING:
    from ..publishing.engines import Settings

# The engines are imported by the commands that use them: `playbook validate` imports no site code.
ENGINES = ("mkdocs", "zensical")  # publishing.engines.ENGINES (checked by a test)

engine_option = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    help="The engine that builds the site (default: `engine:` of the playbook plugin in mkdocs.yml, else mkdocs).",
)


def _prevalidate(config_file: Path) -> None:
    """Validate the content named by mkdocs.yml before an engine starts, with our own error format."""
    if not config_file.is_file():
        raise UsageError(
            f"{config_file} does not exist: run the command in the playbook repository (the folder with mkdocs.yml"
            " and content/), pass -f PATH/mkdocs.yml, or start a playbook with `playbook init`. The least"
            " mkdocs.yml beside content/ holds two lines:\n\n"
            "    site_name: Revenue Playbook\n"
            "    plugins: [playbook]\n\n"
            "(the theme is Material unless mkdocs.yml names another; every setting: reference/engines.md)"
        )
    from ..publishing.engines import settings_of

    load_all(settings_of(config_file).content, today=today())


@cli.command("build")
@config_option
@click.option(
    "-d",
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the site (default: site_dir in mkdocs.yml).",
)
@click.option("--strict/--no-strict", default=True, show_default=True, help="Fail on any warning (broken link, missing anchor).")
@engine_option
@click.option(
    "--offline",
    is_flag=True,
    help="A site to open from disk (file://): page addresses end in .html and search works without a server.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show the engine's debug output.")
@handle_errors
def build_command(
    config_file: Path, site_dir: Path | None, strict: bool, engine: str | None, offline: bool, verbose: bool
) -> None:
    """Build the site.

    The content is validated first. The site is built into a temporary directory
    next to the target and swapped in only when the build succeeded, so a failed
    build leaves the previous site exactly as it was; the swap exchanges the two
    folders in one step, so site/ holds a complete site at every instant.

    \b
    Examples:
      playbook build                      # into site/, with the engine mkdocs.yml names
      playbook build --engine zensical    # with Zensical (pip install 'playbook-site[zensical]')
      playbook build --offline -d preview # a copy to open from disk: preview/index.html
    """
    _prevalidate(config_file)
    setup_mkdocs_logging(verbose)
    if not verbose:
        logging.getLogger("mkdocs").setLevel(logging.WARNING)  # the build's temporary folder is no news
    started = time.perf_counter()
    from ..publishing.engines import build_with_engine

    target = build_with_engine(config_file, engine=engine, site_dir=site_dir, strict=strict, today=today(), offline=offline)
    click.echo(
        f"Built the playbook site in {time.perf_counter() - started:.1f} s: {shown_path(str((target / 'index.html').resolve()))}"
    )


@cli.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="IP address and port to serve on.")
@engine_option
@handle_errors
def serve(config_file: Path, dev_addr: str, engine: str | None) -> None:
    """Serve the site locally and rebuild it when content/, templates/ or docs/ change.

    After a save that breaks the content, every page shows the problems (file,
    line, message, hint) until the file is fixed. Ctrl+C, SIGTERM or SIGHUP stops
    it, and with it the engine's server (`zensical serve`).
    """
    from ..publishing.preview import check_address

    check_address(dev_addr)  # a busy port: one line and exit 2, before any engine starts
    _prevalidate(config_file)
    from ..publishing.engines import settings_of

    if (engine or settings_of(config_file).engine) == "zensical":
        from ..publishing.serving import ZensicalServer

        server = ZensicalServer(config_file, dev_addr=dev_addr, today=today, report=lambda line: click.echo(line, err=True))
        raise SystemExit(server.run())
    from ..publishing.serving import serve_with_mkdocs

    setup_mkdocs_logging(False)
    serve_with_mkdocs(config_file, dev_addr=dev_addr)


def _holds_a_playbook(folder: Path) -> bool:
    """Whether `folder` holds a playbook repository's own configuration: a mkdocs.yml that enables the
    playbook plugin, or a playbook's content (playbook.yml, here or in content/)."""
    for marker in ("playbook.yml", "playbook.yaml", "content/playbook.yml", "content/playbook.yaml"):
        if os.path.lexists(folder / marker):
            return True
    config = folder / "mkdocs.yml"
    if not config.is_file() or config.is_symlink():
        return False
    from ..publishing.engines import raw_config

    try:
        plugins = raw_config(config).get("plugins") or []
    except UsageError:
        return False
    return isinstance(plugins, list) and any(p == "playbook" or (isinstance(p, dict) and "playbook" in p) for p in plugins)


def _refuse_repository(out_dir: Path, settings: Settings) -> None:
    """`generate` writes a project of its own: never into the playbook repository, its content or its
    docs/ (their mkdocs.yml and hand-written pages would be overwritten), as `init` writes nothing there."""
    out = out_dir.resolve()
    mine = [settings.root.resolve(), settings.content.resolve(), settings.docs_dir.resolve()]
    if out in mine or out.is_relative_to(mine[1]) or out.is_relative_to(mine[2]) or _holds_a_playbook(out):
        raise UsageError(
            f"{shown_path(str(out))} holds a playbook repository's own files (its mkdocs.yml, content or docs/), which"
            " generate would overwrite, so it wrote nothing: write the project to a folder of its own"
            " (for example --out ../playbook-project)"
        )


@cli.command()
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder of the project to write (created if missing).",
)
@config_option
@click.option(
    "--content",
    "content_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Read this content instead of the one mkdocs.yml names.",
)
@click.option(
    "--release",
    is_flag=True,
    help="Leave drafts out, as a published version does (what `release: true` under the playbook plugin in"
    " mkdocs.yml sets); a published definition that refers to a draft is refused.",
)
@handle_errors
def generate(out_dir: Path, config_file: Path, content_dir: Path | None, release: bool) -> None:
    """Write the site as a complete project that any engine builds as it is.

    OUT gets mkdocs.yml, docs/ (every page as finished HTML, the assets, the exports
    and the pages written by hand) and the template overrides:

    \b
      cd OUT && zensical build      # or: mkdocs build
    Only files whose bytes changed are written, and pages that no longer exist are
    removed, so an engine's incremental rebuild sees just what changed. Nothing is
    written if the content has problems, and files in OUT that generate did not
    write are left alone: one it would replace stops it (exit 2, nothing written),
    as does a symbolic link in OUT or a playbook repository's own folder as OUT.
    """
    from dataclasses import replace

    from ..publishing.engines import Settings, raw_config, settings_of, standalone, sync

    if config_file.is_file():
        base = raw_config(config_file)
        settings = settings_of(config_file, base)
    else:
        base = {}
        root = Path(".").resolve()
        settings = Settings(root, root / "content", None, "mkdocs", root / "docs", True)
    if content_dir is not None:
        settings = replace(settings, content=content_dir)
    if release:
        settings = replace(settings, release=True)
    _refuse_repository(out_dir, settings)
    loaded = load_all(settings.content, today=today())
    project, files = standalone(settings, base, loaded, today=today())
    synced = sync(out_dir, files)
    drafts = " (drafts left out)" if settings.release else ""
    click.echo(
        f"Wrote the project of {plural(len(project.pages), 'page')}{drafts} to {shown_path(str(out_dir.resolve()))}:"
        f" {plural(len(synced.written), 'file')} written, {synced.unchanged} unchanged, {len(synced.removed)} removed."
        f" Build it with `cd {shown_path(str(out_dir.resolve()))} && zensical build`."
    )
