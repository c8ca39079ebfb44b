"""What the `gh-pages` branch holds (the published versions), and the checks before changing it.

Versions are read from mike's `versions.json` at the branch tip and the default version from the
root `index.html`; the checks refuse what would lose something readers have (a name a file at
the root already takes, a branch checked out somewhere, a branch holding another site).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import PublishError
from .git import (
    branch_tip,
    current_branch,
    fetch_branch,
    merge_base,
    read_file_at,
    remote_tracking_tip,
    root_entries,
    update_ref,
    worktrees,
)

DEFAULT_BRANCH = "gh-pages"
DEFAULT_REMOTE = "origin"
DEFAULT_ALIAS = "latest"
VERSIONS_FILE = "versions.json"
# Files mike and publishing keep at the root of the branch: a version or alias may not take their names.
# CNAME holds a GitHub Pages custom domain.
ROOT_NAMES = frozenset({VERSIONS_FILE, "index.html", "404.html", ".nojekyll", "assets", "search", "CNAME", "feeds"})
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")
# A name that reads as a file at the root of the site (robots.txt, sitemap.xml): a host or a crawler
# would take the version's folder for that file.
FILE_LIKE_RE = re.compile(r"(?i)\.(txt|xml|html?|json|js|css|ico|png|jpe?g|gif|svg|webp|gz|webmanifest|pdf|csv)$")


@dataclass(frozen=True)
class PublishedVersion:
    version: str
    title: str
    aliases: tuple[str, ...]
    published: str | None = None  # YYYY-MM-DD, for versions published by this tool
    commit: str | None = None  # the commit it was built from
    compared_with: str | None = None  # the version its "What changed" compares it with; "" the first; None unknown
    listed_title: str = ""  # the title in versions.json, as the selector shows it ("1.1 · Q4 2026")

    @property
    def shown_title(self) -> str:
        """As the version selector shows it: "1.1 · Q4 2026"."""
        return selector_title(self.version, self.title)


@dataclass(frozen=True)
class Site:
    """What the branch holds: the versions newest first (mike's order, as the selector shows them)."""

    branch: str
    tip: str | None
    versions: tuple[PublishedVersion, ...] = ()
    default: str | None = None  # what the root index.html redirects to

    def find(self, name: str) -> PublishedVersion | None:
        """The version `name` is, or the one it is an alias of."""
        return next((v for v in self.versions if v.version == name or name in v.aliases), None)


# --- reading the published site ------------------------------------------------------------------

_REDIRECT_RE = re.compile(r'window\.location\.replace\(\s*"([^"]*)"')


def read_site(branch: str, root: Path, *, tip: str | None = None) -> Site:
    """The versions on `branch` (its versions.json) and the default version (its index.html)."""
    from mike.versions import Versions

    tip = tip if tip is not None else branch_tip(branch, root)
    if tip is None:
        return Site(branch, None)
    raw = read_file_at(tip, VERSIONS_FILE, root)
    if raw is None:
        return Site(branch, tip)
    try:
        versions = Versions.loads(raw.decode("utf-8"))
    except (ValueError, KeyError, TypeError) as error:
        raise PublishError(
            f"{branch}:{VERSIONS_FILE} is not a versions list mike can read ({error})",
            f"repair it on the {branch} branch, or move the branch aside and publish again",
        ) from None
    listed = []
    for info in versions:
        properties = info.properties if isinstance(info.properties, dict) else {}
        given = properties.get("title")
        listed.append(
            PublishedVersion(
                str(info.version),
                given if isinstance(given, str) and given else str(info.title).removeprefix(f"{info.version} · "),
                tuple(sorted(info.aliases)),
                properties.get("published"),
                properties.get("commit"),
                properties.get("compared_with"),
                info.title,
            )
        )
    index = read_file_at(tip, "index.html", root)
    match = _REDIRECT_RE.search(index.decode("utf-8", "replace")) if index else None
    default = match.group(1).strip("/") if match else None
    return Site(branch, tip, tuple(listed), default or None)


def selector_title(version: str, title: str) -> str:
    """What the version selector shows: the number and the title ("1.1 · Q4 2026"); a title that is the
    number, or starts with it, as it is."""
    if not title or title == version or title.startswith(version + " "):
        return title or version
    return f"{version} · {title}"


def previous_version(site: Site, version: str) -> PublishedVersion | None:
    """The version "What changed" compares `version` with: what readers had before it.

    For a new version that is the version the site's address led to until now (its default, usually
    `latest`), whatever its number: a 1.0.1 published after 1.1 is compared with 1.1, what readers
    were reading. Without a default, the newest in mike's order. A version published again with
    --force keeps the comparison it had (recorded as `compared_with` in versions.json), or, for a
    version published before that was recorded or whose comparison was retracted, the one listed
    just below it in mike's order (newest first, as the selector shows them). None for the first.
    """
    from mike.versions import Versions

    others = [v for v in site.versions if v.version != version]
    if not others:
        return None
    existing = site.find(version)
    if existing is not None and existing.version == version and existing.compared_with is not None:
        if existing.compared_with == "":
            return None  # it was the first version, and stays the first
        kept = next((v for v in others if v.version == existing.compared_with), None)
        if kept is not None:
            return kept
    if existing is None:
        current = site.find(site.default) if site.default else None
        return current if current is not None else others[0]
    names = Versions()
    for published in site.versions:
        names.add(published.version)
    ordered = [str(info.version) for info in names]
    below = ordered[ordered.index(version) + 1 :]
    return next((v for v in site.versions if v.version == below[0]), None) if below else None


def published_export(site: Site, version: str, root: Path) -> dict[str, Any] | None:
    """A published version's playbook.json, None when it has none (or one this tool cannot read)."""
    if site.tip is None:
        return None
    raw = read_file_at(site.tip, f"{version}/playbook.json", root)
    if raw is None:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


# --- checks -------------------------------------------------------------------------------------


def _a(noun: str) -> str:
    """ "a version", "an alias"."""
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def check_name(name: str, what: str) -> None:
    if not NAME_RE.match(name) or FILE_LIKE_RE.search(name) or name in ROOT_NAMES or name in (".", ".."):
        raise PublishError(
            f"`{name}` cannot be {_a(what)} name",
            "use letters, digits, `.`, `-`, `_` or `+`, starting with a letter or digit, at most 64 characters"
            f" (e.g. 2026-Q4, 1.2), not ending like a file name (.txt, .xml, .html); {', '.join(sorted(ROOT_NAMES))}"
            " are taken by the site itself",
        )


def check_not_checked_out(branch: str, root: Path) -> None:
    """Refuse when `branch` is checked out here or in another worktree of the repository: moving it
    would change that worktree's files under its feet (and a commit there would undo the change)."""
    if current_branch(root) == f"refs/heads/{branch}":
        raise PublishError(
            f"the branch `{branch}` is checked out here; publishing would change the files under your feet",
            "switch to your working branch first (`git switch main`)",
        )
    for path, ref in worktrees(root):
        if ref == f"refs/heads/{branch}":
            raise PublishError(
                f"the branch `{branch}` is checked out in the worktree {path}; changing it would change that worktree's files",
                f"switch that worktree to another branch, or remove it (`git worktree remove {path}`)",
            )


def check_not_on_the_branch(name: str, what: str, site: Site, root: Path) -> None:
    """A version or alias becomes a folder at the root of the branch: it may not take the name of a
    file or folder already there that is not a version (a custom domain's CNAME, an older site)."""
    if site.tip is None or site.find(name) is not None:
        return
    entries = root_entries(site.tip, root)
    if name in entries:
        raise PublishError(
            f"`{name}` is already a file or folder at the root of {site.branch} that is not a published version;"
            f" publishing it as {_a(what)} would replace it",
            f"choose another {what} name",
        )


def bring_up_to_date(remote: str, branch: str, root: Path, *, push: bool) -> None:
    """With --push, the remote's branch first (`sync_with_remote`); without, only what was fetched already."""
    if push:
        sync_with_remote(remote, branch, root)
    else:
        use_remote_branch(remote, branch, root)


def check_inside_the_commit(docs_dir: Path, content_dir: Path, tree: Path) -> None:
    """Only what is committed is published: the content and docs/ must be folders of the commit, not
    absolute paths that lead back into the working tree (or anywhere else)."""
    for what, folder, key in (("the content", content_dir, "content"), ("docs_dir", docs_dir, "docs_dir")):
        try:
            folder.resolve().relative_to(tree.resolve())
        except ValueError:
            raise PublishError(
                f"{what} ({folder}) is outside the repository, so it would be published as it is on this machine,"
                " not as committed",
                f"give `{key}` in mkdocs.yml as a path relative to mkdocs.yml, inside the repository",
            ) from None


def check_branch_is_a_versioned_site(site: Site, root: Path) -> None:
    """Refuse a branch that holds another site (files but no versions.json): mike would replace its
    index.html and leave the rest among the versions, breaking the site readers have now."""
    if site.tip is None:
        return
    entries = [name for name in root_entries(site.tip, root)]
    if VERSIONS_FILE in entries:
        return
    other = [name for name in entries if name not in (".nojekyll", "CNAME", "README.md")]
    if other:
        shown = ", ".join(other[:5]) + (", ..." if len(other) > 5 else "")
        raise PublishError(
            f"{site.branch} holds a site that was not published with versions (no {VERSIONS_FILE}; it has {shown});"
            " publishing would replace its home page",
            f"publish to another branch (--branch playbook-pages) and point GitHub Pages at it, or move the old"
            f" site off {site.branch} first",
        )


def use_remote_branch(remote: str, branch: str, root: Path) -> None:
    """Without --push nothing is fetched; but a clone whose `branch` exists only as `REMOTE/BRANCH`
    (as after `git clone`) starts the local branch there, as `git switch` would: otherwise it would
    publish onto an empty branch that can never be pushed."""
    if branch_tip(branch, root) is not None:
        return
    tip = remote_tracking_tip(remote, branch, root)
    if tip is not None:
        update_ref(f"refs/heads/{branch}", tip, None, root)


def sync_with_remote(remote: str, branch: str, root: Path) -> None:
    """Before a push: take the remote's newer versions (fast-forward), refuse when the two diverged."""
    remote_tip = fetch_branch(remote, branch, root)
    if remote_tip is None:
        return
    local_tip = branch_tip(branch, root)
    if local_tip is None:
        update_ref(f"refs/heads/{branch}", remote_tip, None, root)
        return
    base = merge_base(local_tip, remote_tip, root)
    if base == remote_tip:
        return  # the same, or ahead: the push is a fast-forward
    if base == local_tip:
        update_ref(f"refs/heads/{branch}", remote_tip, local_tip, root)
        return
    raise PublishError(
        f"your local `{branch}` and `{remote}/{branch}` have diverged: each has versions the other lacks",
        f"keep the remote's: `git branch -f {branch} {remote}/{branch}`, then publish again"
        " (the versions only your local branch has are then published again from their tags)",
    )
