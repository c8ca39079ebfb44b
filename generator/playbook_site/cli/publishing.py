"""Commands that publish versions: publish, versions, alias, retract."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..clock import today
from ..text import plural
from .base import branch_option, cli, config_option, handle_errors, push_option, pushed_note, remote_option, setup_mkdocs_logging

if TYPE_CHECKING:
    from ..publishing.publish import PublishResult


def version_name(version: str, title: str) -> str:
    """ "version 1.1 (Winter)"; a title that starts with the version is the name as it is:
    "version 1.1 (February)", never "version 1.1 (1.1 (February))"."""
    if not title or title == version:
        return f"version {version}"
    return f"version {title}" if title.startswith(version + " ") else f"version {version} ({title})"


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
@click.option(
    "--allow-same",
    is_flag=True,
    help="Publish the commit even if another version was built from it already (refused without this).",
)
@remote_option
@branch_option
@click.option("--revision", default="HEAD", show_default=True, help="The commit, branch or tag to publish.")
@config_option
@click.option(
    "--engine",
    type=click.Choice(["mkdocs", "zensical"]),
    help="The engine that builds the version (default: `engine:` of the playbook plugin in mkdocs.yml, else mkdocs).",
)
@click.option(
    "--announcement",
    "announcement_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the announcement (Markdown for a chat channel or an email) to this file instead of printing it.",
)
@click.option("-v", "--verbose", is_flag=True, help="Show MkDocs debug output.")
@handle_errors
def publish_command(
    version: str,
    title: str | None,
    aliases: tuple[str, ...],
    push: bool,
    force: bool,
    allow_same: bool,
    remote: str,
    branch: str,
    revision: str,
    config_file: Path,
    engine: str | None,
    announcement_file: Path | None,
    verbose: bool,
) -> None:
    """Publish the committed playbook as VERSION on the gh-pages branch.

    Builds what is committed at --revision (uncommitted edits are not published)
    without its drafts, with a "What changed" page against the previous published
    version, and commits it with mike as VERSION/ with versions.json, the aliases
    (as redirects) and the default version. The working tree and the current branch
    are not touched; if anything fails, the branch is left exactly as it was.

    The Atom feeds at the root of the branch (feeds/playbook.xml, and
    feeds/roles/ROLE.xml for each role) get the version's changes, and the
    announcement (what changed, for whom, a link per change; no @mention pings
    anyone) is printed, or written to --announcement.

    \b
    Examples:
      playbook publish 2026-Q4 --title "Q4 2026 (agreed 20 Nov)"
      playbook publish 1.2 --push
      playbook publish 1.2 --force --revision v1.2   # rebuild 1.2 only
    """
    setup_mkdocs_logging(verbose)
    if not verbose:
        logging.getLogger("mkdocs").setLevel(logging.WARNING)  # the build's temporary folder is no news
    started = time.perf_counter()
    from ..publishing.publish import publish  # git, mike and MkDocs only for the commands that publish

    result = publish(
        version,
        repo=Path("."),
        config_file=config_file,
        title=title,
        aliases=list(aliases) if aliases else None,
        push=push,
        force=force,
        allow_same=allow_same,
        remote=remote,
        branch=branch,
        revision=revision,
        today=today(),
        engine=engine,
        progress=lambda step: click.echo(step, err=True),
    )
    _report_published(result, time.perf_counter() - started, remote)
    _write_announcement(result.announcement, announcement_file)


def _report_published(result: PublishResult, seconds: float, remote: str) -> None:
    """What `publish` did, then its notes (no site_url, uncommitted changes left out) on stderr."""
    verb = "Replaced" if result.replaced else "Published"
    aliases_text = f", aliases {', '.join(result.aliases)}" if result.aliases else ""
    click.echo(
        f"{verb} {version_name(result.version, result.title)} from commit {result.commit[:12]} on {result.branch}"
        f"{aliases_text} in {seconds:.1f} s."
    )
    click.echo(f"Readers start at: {result.default}." if result.default else "No default version is set.")
    if result.previous:
        click.echo(f'Its "What changed" page compares it with version {result.previous}.')
    else:
        click.echo('Its "What changed" page says it is the first version.')
    if result.drafts_left_out:
        shown = ", ".join(f"{kind} `{entity_id}`" for kind, entity_id in result.drafts_left_out)
        click.echo(f"Left out {plural(len(result.drafts_left_out), 'draft')}: {shown}.")
    click.echo(pushed_note(result.pushed, remote, result.branch))
    if not result.site_url:
        click.echo(
            "Note: mkdocs.yml has no site_url, so the version selector opens the other version's home page"
            " instead of the same page; set site_url to the site's address (e.g. https://ORG.github.io/REPOSITORY/).",
            err=True,
        )
    if result.unpublished_changes:
        listed = ", ".join(result.unpublished_changes[:5]) + (", ..." if len(result.unpublished_changes) > 5 else "")
        click.echo(
            f"Note: {plural(len(result.unpublished_changes), 'uncommitted change')}"
            f" {'was' if len(result.unpublished_changes) == 1 else 'were'} not published ({listed});"
            " commit them and publish again to include them.",
            err=True,
        )


def _write_announcement(text: str, target: Path | None) -> None:
    """The announcement, written whole (nothing through a link), or printed after the summary."""
    if target is None or str(target) == "-":
        click.echo("\nAnnouncement (Markdown, for a chat channel or an email):\n")
        click.echo(text, nl=False)
        return
    from ..files import Folder

    with Folder.at(target.parent) as folder:
        folder.write(target.name, text.encode("utf-8"))
    click.echo(f"Announcement (Markdown, for a chat channel or an email): {target}")


@cli.command(name="versions")
@branch_option
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="text or json."
)
@handle_errors
def versions_command(branch: str, output_format: str) -> None:
    """List the published versions, newest first (as the version selector shows them).

    Reads the local branch (or origin's, as fetched, when there is no local one); run
    `git fetch origin gh-pages:gh-pages` first to see the remote's latest.
    """
    from ..publishing.publish import list_published

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
@handle_errors
def retract_command(version: str, push: bool, remote: str, branch: str, config_file: Path) -> None:
    """Remove a published version.

    Refused while an alias (such as `latest`) or the site's default points to it:
    point the alias at another version first with `playbook alias`.
    """
    from ..publishing.publish import retract

    result = retract(version, repo=Path("."), config_file=config_file, push=push, remote=remote, branch=branch)
    click.echo(f"Retracted version {version} from {result.branch}.")
    click.echo(pushed_note(result.pushed, remote, result.branch))


@cli.command(name="alias")
@click.argument("version")
@click.argument("names", nargs=-1, required=True)
@push_option
@remote_option
@branch_option
@config_option
@handle_errors
def alias_command(version: str, names: tuple[str, ...], push: bool, remote: str, branch: str, config_file: Path) -> None:
    """Point NAMES (e.g. latest) at the published VERSION: how to roll back.

    \b
    Example: playbook alias 1.0 latest --push   # readers of `latest` see 1.0 again
    """
    from ..publishing.publish import set_aliases

    result = set_aliases(version, list(names), repo=Path("."), config_file=config_file, push=push, remote=remote, branch=branch)
    click.echo(f"{', '.join(names)} now lead{'s' if len(names) == 1 else ''} to version {version} on {result.branch}.")
    click.echo(pushed_note(result.pushed, remote, result.branch))


@cli.command(name="preview")
@branch_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="IP address and port to serve on.")
@remote_option
@handle_errors
def preview_command(branch: str, dev_addr: str, remote: str) -> None:
    """Serve the published versions locally, as readers will see them.

    Serves the gh-pages branch as GitHub Pages does (the version selector, the
    redirects of the site's address and of `latest`, the page for a missing
    address), straight from git: nothing is checked out, and a version published
    meanwhile shows at the next page load. Reads the local branch, or origin's
    as last fetched. Stop it with Ctrl+C.

    \b
    Examples:
      playbook preview                     # http://127.0.0.1:8000/
      git fetch origin gh-pages:gh-pages && playbook preview -a 127.0.0.1:8001
    """
    from ..publishing.preview import PublishedBranch, is_loopback, make_server, parse_address

    published = PublishedBranch(Path("."), branch=branch, remote=remote)
    site = published.site()
    server = make_server(published, dev_addr)
    if not is_loopback(parse_address(dev_addr)[0]):
        click.echo(f"Note: {dev_addr} can be reached from other machines, not only this one.", err=True)
    if site.versions:
        count = len(site.versions)
        start = f"; readers start at {site.default}" if site.default else ""
        click.echo(f"{site.branch}: {count} published version{'s' if count != 1 else ''}{start}")
    else:
        click.echo(f"{site.branch} holds no published version yet (no versions.json).")
    click.echo(f"Serving the published versions at {server.url} (press Ctrl+C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()
