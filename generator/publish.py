"""Publishing agreed versions of the playbook to the `gh-pages` branch, built on mike.

`publish` builds the *committed* content (a revision, HEAD by default, copied out of git's object
database into a temporary folder: the working tree, the index and the current branch are never
touched) as a release build (drafts left out, a "What changed" page made against the previous
published version's `playbook.json` on the branch) and hands the site to mike, which commits it as
`VERSION/` with `versions.json`, alias redirects and the default version.

Nothing lost: every mike commit goes to a temporary branch that starts at the `gh-pages` tip; the
`gh-pages` ref moves once, at the very end, with a compare-and-swap (`git update-ref REF NEW OLD`).
A failure anywhere before that (bad content, a draft reference, a failed build, a git error)
leaves `gh-pages` exactly as it was and removes the temporary branch. An existing version is
replaced only with `force`, and then only its own folder changes.

Each step is one small function: a git command (through `gitio`'s runner, raising `GitError` with
git's message and a hint) or a mike call (raising `PublishError` with a hint).
"""

from __future__ import annotations

import functools
import json
import os
import re
import secrets
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from .errors import ContentError, GitError, PublishError, UsageError
from .gitio import _git, export_content, resolve_commit, toplevel

DEFAULT_BRANCH = "gh-pages"
DEFAULT_REMOTE = "origin"
DEFAULT_ALIAS = "latest"
VERSIONS_FILE = "versions.json"
# Files mike and publishing keep at the root of the branch: a version or alias may not take their names.
# CNAME holds a GitHub Pages custom domain.
ROOT_NAMES = frozenset({VERSIONS_FILE, "index.html", "404.html", ".nojekyll", "assets", "search", "CNAME"})
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")


# --- what is published -------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedVersion:
    version: str
    title: str
    aliases: tuple[str, ...]
    published: str | None = None  # YYYY-MM-DD, for versions published by this tool
    commit: str | None = None  # the commit it was built from
    compared_with: str | None = None  # the version its "What changed" compares it with; "" the first; None unknown


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


@dataclass(frozen=True)
class PublishResult:
    version: str
    title: str
    aliases: tuple[str, ...]
    commit: str  # the commit that was built
    branch: str
    tip: str  # the branch's new tip
    previous: str | None  # the version "What changed" compares with
    replaced: bool  # an existing version was replaced (--force)
    default: str | None  # what the root now redirects to
    pushed: bool
    drafts_left_out: tuple[tuple[str, str], ...] = ()
    unpublished_changes: tuple[str, ...] = ()  # uncommitted paths, which were not published
    warnings: tuple[str, ...] = field(default_factory=tuple)
    site_url: str | None = None  # mkdocs.yml's site_url: without it the selector cannot keep the reader's page


# --- git steps (one command each) --------------------------------------------------------------


def current_branch(root: Path) -> str | None:
    """The branch checked out in `root` (`git symbolic-ref --quiet HEAD`), None when detached."""
    try:
        return _git(["symbolic-ref", "--quiet", "HEAD"], cwd=root).decode("utf-8").strip()
    except GitError:
        return None


def branch_tip(branch: str, root: Path) -> str | None:
    """The commit a local branch points to, None when it does not exist."""
    try:
        return _git(["rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}"], cwd=root).decode().strip()
    except GitError:
        return None


def read_file_at(revision: str, path: str, root: Path) -> bytes | None:
    """A file's bytes at a revision (`git cat-file blob REV:PATH`), None when there is no such file."""
    try:
        _git(["cat-file", "-e", f"{revision}:{path}"], cwd=root)
    except GitError:
        return None
    return _git(["cat-file", "blob", f"{revision}:{path}"], cwd=root)


def uncommitted_changes(root: Path) -> list[str]:
    """Paths with changes that are not committed, untracked files included (`git status --porcelain`)."""
    out = _git(["status", "--porcelain=v1", "-z", "--untracked-files=all"], cwd=root).decode("utf-8", "surrogateescape")
    paths = []
    records = out.split("\0")
    index = 0
    while index < len(records):
        record = records[index]
        index += 1
        if len(record) < 4:
            continue
        paths.append(record[3:])
        if record[0] in "RC":  # a rename is followed by its old name
            index += 1
    return paths


def export_tree(commit: str, dest: Path, root: Path) -> None:
    """Every committed file of `commit` into `dest`, from the object database (the working tree and
    the index are not read)."""
    if export_content(commit, ".", dest, cwd=root) == 0:
        raise PublishError(f"commit {commit[:12]} has no files", "commit the playbook (mkdocs.yml, content/) first")


def update_ref(ref: str, new: str, old: str | None, root: Path) -> None:
    """Point `ref` at `new` only if it still points at `old` (None: only if it does not exist yet)."""
    _git(
        ["update-ref", "-m", "playbook publish", ref, new, old or ""],
        cwd=root,
        hint=f"{ref} changed while publishing (another publish?); run the command again",
    )


def delete_ref(ref: str, root: Path, old: str | None = None) -> None:
    """Remove `ref` (only if it still points at `old`, when given); nothing happens when it is gone."""
    try:
        _git(["update-ref", "-d", ref, *([old] if old else [])], cwd=root)
    except GitError:
        if old is not None:
            raise


def fetch_branch(remote: str, branch: str, root: Path) -> str | None:
    """The remote's `branch` fetched into `refs/remotes/REMOTE/BRANCH`; None when the remote has none."""
    try:
        _git(
            ["fetch", "--quiet", "--no-tags", "--", remote, f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}"],
            cwd=root,
        )
    except GitError as error:
        if "couldn't find remote ref" in error.stderr.lower():
            return None
        raise GitError(
            error.command,
            error.stderr,
            f"check that the remote `{remote}` exists and can be reached (`git remote -v`), or publish without --push",
        ) from None
    tip = remote_tracking_tip(remote, branch, root)
    assert tip is not None, "fetched just now"
    return tip


def remote_tracking_tip(remote: str, branch: str, root: Path) -> str | None:
    """The commit `REMOTE/BRANCH` points to as last fetched, None when there is none."""
    try:
        out = _git(["rev-parse", "--verify", "--quiet", f"refs/remotes/{remote}/{branch}^{{commit}}"], cwd=root)
    except GitError:
        return None
    return out.decode().strip()


def merge_base(first: str, second: str, root: Path) -> str | None:
    """The best common ancestor of two commits (`git merge-base`), None when they share no history."""
    try:
        return _git(["merge-base", first, second], cwd=root).decode().strip()
    except GitError:
        return None


def push_branch(remote: str, branch: str, root: Path) -> None:
    """`git push REMOTE refs/heads/BRANCH:refs/heads/BRANCH` (a fast-forward: never forced)."""
    _git(
        ["push", "--quiet", "--", remote, f"refs/heads/{branch}:refs/heads/{branch}"],
        cwd=root,
        hint=f"check your access to `{remote}`; if someone else published meanwhile, run the command again",
    )


# --- mike steps (each one commit on the staging branch) ------------------------------------------


@contextmanager
def _in_directory(path: Path) -> Iterator[None]:
    """mike runs git in the current directory."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@contextmanager
def _mike_errors(what: str) -> Iterator[None]:
    from mike import git_utils

    try:
        yield
    except git_utils.GitEmptyCommit:
        pass  # nothing changed: not an error (the same content published again with --force)
    except git_utils.GitError as error:
        hint = "set your name and email: `git config user.name ...` and `git config user.email ...`"
        raise PublishError(f"mike could not {what}: {error}", hint if "user." in str(error) else "") from None
    except ValueError as error:
        raise PublishError(f"mike could not {what}: {error}") from None


def mike_deploy(
    site_dir: Path,
    version: str,
    *,
    title: str,
    aliases: Sequence[str],
    branch: str,
    root: Path,
    use_directory_urls: bool,
    message: str,
    properties: dict[str, Any],
) -> None:
    """Commit the built site as `VERSION/`, each alias as a folder of redirect pages, and versions.json."""
    from mike import commands

    config = {"site_dir": str(site_dir), "use_directory_urls": use_directory_urls}
    with _in_directory(root), _mike_errors(f"deploy version {version}"):
        with commands.deploy(
            config,
            version,
            title,
            list(aliases),
            update_aliases=True,  # an alias moves to this version (that is what `latest` is for)
            alias_type=commands.AliasType.redirect,  # GitHub Pages refuses symbolic links
            branch=branch,
            message=message,
            set_props=list(properties.items()),
        ):
            pass  # the site is built already: mike only commits it


def mike_set_default(identifier: str, *, branch: str, root: Path, message: str) -> None:
    """The root index.html redirects to `identifier` (`mike set-default`)."""
    from mike import commands

    with _in_directory(root), _mike_errors(f"set the default version to {identifier}"):
        commands.set_default(identifier, branch=branch, message=message)


def mike_delete(version: str, *, branch: str, root: Path, message: str) -> None:
    """Remove a version's folder and its entry in versions.json (`mike delete`)."""
    from mike import commands

    with _in_directory(root), _mike_errors(f"remove version {version}"):
        commands.delete([version], branch=branch, message=message)


def mike_alias(version: str, aliases: Sequence[str], *, branch: str, root: Path, use_directory_urls: bool, message: str) -> None:
    """Point aliases at a published version, as redirect pages (`mike alias --update-aliases`)."""
    from mike import commands

    config = {"use_directory_urls": use_directory_urls}
    with _in_directory(root), _mike_errors(f"point {', '.join(aliases)} at {version}"):
        commands.alias(
            config,
            version,
            list(aliases),
            update_aliases=True,
            alias_type=commands.AliasType.redirect,
            branch=branch,
            message=message,
        )


def commit_files(files: dict[str, bytes], *, branch: str, root: Path, message: str) -> None:
    """Add or replace files at the root of the branch in one commit (mike's fast-import plumbing)."""
    from mike import git_utils

    with _in_directory(root), _mike_errors("write " + ", ".join(files)):
        with git_utils.Commit(branch, message) as commit:
            for path, data in files.items():
                commit.add_file(git_utils.FileInfo(path, data))


@contextmanager
def staging_branch(branch: str, root: Path) -> Iterator[str]:
    """A temporary branch at `branch`'s tip for mike's commits; removed afterwards, whatever happens."""
    name = f"playbook-publish-{os.getpid()}-{secrets.token_hex(4)}"
    tip = branch_tip(branch, root)
    if tip is not None:
        update_ref(f"refs/heads/{name}", tip, None, root)
    try:
        yield name
    finally:
        delete_ref(f"refs/heads/{name}", root)


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
        listed.append(
            PublishedVersion(
                str(info.version),
                info.title,
                tuple(sorted(info.aliases)),
                properties.get("published"),
                properties.get("commit"),
                properties.get("compared_with"),
            )
        )
    index = read_file_at(tip, "index.html", root)
    match = _REDIRECT_RE.search(index.decode("utf-8", "replace")) if index else None
    default = match.group(1).strip("/") if match else None
    return Site(branch, tip, tuple(listed), default or None)


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
    if not NAME_RE.match(name) or name in ROOT_NAMES or name in (".", ".."):
        raise PublishError(
            f"`{name}` cannot be {_a(what)} name",
            "use letters, digits, `.`, `-`, `_` or `+`, starting with a letter or digit, at most 64 characters"
            f" (e.g. 2026-Q4, 1.2); {', '.join(sorted(ROOT_NAMES))} are taken by the site itself",
        )


def check_not_checked_out(branch: str, root: Path) -> None:
    """Refuse when `branch` is checked out here or in another worktree of the repository: moving it
    would change that worktree's files under its feet (and a commit there would undo the change)."""
    if current_branch(root) == f"refs/heads/{branch}":
        raise PublishError(
            f"the branch `{branch}` is checked out here; publishing would change the files under your feet",
            "switch to your working branch first (`git switch main`)",
        )
    listing = _git(["worktree", "list", "--porcelain"], cwd=root).decode("utf-8", "replace")
    path = None
    for line in listing.splitlines():
        if line.startswith("worktree "):
            path = line[len("worktree ") :]
        elif line == f"branch refs/heads/{branch}":
            raise PublishError(
                f"the branch `{branch}` is checked out in the worktree {path}; changing it would change that worktree's files",
                f"switch that worktree to another branch, or remove it (`git worktree remove {path}`)",
            )


@functools.lru_cache(maxsize=8)
def root_entries(tip: str, root: Path) -> tuple[str, ...]:
    """The names at the root of a commit's tree (`git ls-tree --name-only`); a commit never changes."""
    out = _git(["ls-tree", "--name-only", "-z", tip], cwd=root).decode("utf-8", "replace")
    return tuple(name for name in out.split("\0") if name)


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


def check_inside_the_commit(mkdocs_config: Any, content_dir: Path, tree: Path) -> None:
    """Only what is committed is published: the content and docs/ must be folders of the commit, not
    absolute paths that lead back into the working tree (or anywhere else)."""
    docs_dir = Path(mkdocs_config.docs_dir)
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


# --- the root 404 page ----------------------------------------------------------------------------


def root_404_html(site: Site, *, title: str, base_path: str = "/") -> bytes:
    """GitHub Pages serves the root 404.html for every missing address. This one needs nothing from
    anywhere: it links to the current version and lists every version; a small script finds the
    site's folder from the address (a project site lives under /REPOSITORY/)."""
    names = [name for v in site.versions for name in (v.version, *v.aliases)]
    current = site.default or (site.versions[0].version if site.versions else "")
    items = "\n".join(
        f'      <li><a data-name="{escape(v.version)}" href="{escape(base_path + v.version)}/">{escape(v.title)}</a>'
        + (f" ({escape(', '.join(v.aliases))})" if v.aliases else "")
        + "</li>"
        for v in site.versions
    )
    names_json = json.dumps(names).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    current_link = (
        f'    <p><a data-name="{escape(current)}" href="{escape(base_path + current)}/">Read the current version of the playbook</a></p>\n'
        if current
        else ""
    )
    page = f"""<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Page not found · {escape(title)}</title>
    <link rel="icon" href="data:,">
    <style>
      body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 42rem;
             margin: 4rem auto; padding: 0 1rem; line-height: 1.5; color: #1f2330; background: #fff; }}
      a {{ color: #303fa1; }}
      @media (prefers-color-scheme: dark) {{
        body {{ color: #e2e4e9; background: #1e2129; }}
        a {{ color: #a9b4f5; }}
      }}
    </style>
  </head>
  <body>
    <main>
    <h1>Page not found</h1>
    <p>There is no page at this address in {escape(title)}. It may have been renamed, or removed in a later version.</p>
{current_link}    <h2>Every published version</h2>
    <ul>
{items}
    </ul>
    </main>
    <script>
      (function () {{
        var names = {names_json};
        var parts = window.location.pathname.split("/");
        for (var i = 0; i < parts.length; i++) {{
          if (names.indexOf(parts[i]) >= 0) {{
            var base = parts.slice(0, i).join("/") + "/";
            var links = document.querySelectorAll("a[data-name]");
            for (var j = 0; j < links.length; j++) {{
              links[j].href = base + links[j].getAttribute("data-name") + "/";
            }}
            return;
          }}
        }}
      }})();
    </script>
  </body>
</html>
"""
    return page.encode("utf-8")


def _base_path(site_url: str | None) -> str:
    from urllib.parse import urlsplit

    path = urlsplit(site_url).path if site_url else ""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def _site_title(site: Site, root: Path) -> str:
    for version in site.versions:
        data = published_export(site, version.version, root)
        title = data.get("playbook", {}).get("title") if data else None
        if isinstance(title, str) and title:
            return title
    return "this playbook"


# --- the commands -------------------------------------------------------------------------------


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _relative_problems(error: ContentError, tree: Path) -> ContentError:
    """Problems in the exported copy, named by their path in the repository."""
    return ContentError(p.moved(str(tree) + os.sep, "") for p in error.problems)


def publish(
    version: str,
    *,
    repo: Path,
    config_file: Path = Path("mkdocs.yml"),
    title: str | None = None,
    aliases: Sequence[str] | None = None,
    push: bool = False,
    force: bool = False,
    remote: str = DEFAULT_REMOTE,
    branch: str = DEFAULT_BRANCH,
    revision: str = "HEAD",
    today: date,
    progress: Callable[[str], None] = lambda step: None,
) -> PublishResult:
    """Build the committed playbook at `revision` and publish it as `version` on `branch`."""
    from .load import load_all
    from .release import RELEASE_ENV, RELEASE_INFO_ENV, PreviousVersion, ReleaseInfo, drafts, release_problems, source_locate
    from .site import _load_config, build_site, content_dir_of

    root = toplevel(repo)
    check_name(version, "version")
    names = list(dict.fromkeys(aliases)) if aliases is not None else None
    for alias in names or ():
        check_name(alias, "alias")
        if alias == version:
            raise PublishError(f"`{alias}` is the version itself; an alias is another name for it", "drop that --alias")
    check_not_checked_out(branch, root)
    config_rel = _repo_relative(repo / config_file, root)
    commit = resolve_commit(revision, cwd=root)
    bring_up_to_date(remote, branch, root, push=push)
    site = read_site(branch, root)
    existing = site.find(version)
    if existing is not None and existing.version != version:
        raise PublishError(
            f"`{version}` is already an alias of version {existing.version}",
            f"choose another version name: readers follow `{version}` to a version",
        )
    if existing is not None and not force:
        when = f" on {existing.published}" if existing.published else ""
        raise PublishError(
            f"version {version} is already published{when}; publishing it again would change what readers were told was agreed",
            f"publish a new version (e.g. {version}.1), or pass --force to replace version {version} (and only it)",
        )
    if names is None:
        names = [] if existing is not None else [DEFAULT_ALIAS]
    for alias in names:
        taken = site.find(alias)
        if taken is not None and taken.version == alias:
            raise PublishError(f"`{alias}` is a published version, so it cannot be an alias", "choose another alias name")
    check_branch_is_a_versioned_site(site, root)
    for alias in names:
        check_not_on_the_branch(alias, "alias", site, root)
    check_not_on_the_branch(version, "version", site, root)
    previous = previous_version(site, version)
    # The site's address leads to `latest` (which moves with each version) once a version carries it;
    # a site without a default gets one. A version published under another alias only (a preview)
    # does not take the address over.
    default = site.default or (names[0] if names else version)
    if DEFAULT_ALIAS in names:
        default = DEFAULT_ALIAS

    with tempfile.TemporaryDirectory(prefix="playbook-publish-") as temp:
        tree = Path(temp) / "tree"
        progress(f"Building version {version} from commit {commit[:12]} ({revision}), drafts left out ...")
        export_tree(commit, tree, root)
        config = tree / config_rel
        if not config.is_file():
            if not (repo / config_file).is_file():
                raise UsageError(
                    f"{config_file} does not exist here; run the command in the playbook repository (the folder"
                    " with mkdocs.yml) or pass -f PATH/mkdocs.yml"
                )
            raise PublishError(
                f"{config_rel} is not committed in {revision} ({commit[:12]})", "commit mkdocs.yml (and content/) first"
            )
        content_dir = content_dir_of(config)
        mkdocs_config = _load_config(config)
        check_inside_the_commit(mkdocs_config, content_dir, tree)
        try:
            loaded = load_all(content_dir, today=today)
        except ContentError as error:
            raise _relative_problems(error, tree) from None
        content_rel = _repo_relative(content_dir, tree)
        problems = release_problems(
            loaded.playbook, source_locate(loaded.playbook, loaded.sources, lambda rel: f"{content_rel}/{rel}")
        )
        if problems:
            raise ContentError(problems)
        current = (default,)
        info = ReleaseInfo(
            version,
            title or (existing.title if existing else version),
            today,
            current,
            PreviousVersion(previous.version, previous.title, published_export(site, previous.version, root))
            if previous
            else None,
        )
        info_file = Path(temp) / "release.json"
        info_file.write_text(info.to_json(), encoding="utf-8")
        site_dir = Path(temp) / "site"
        with _environment({RELEASE_ENV: "1", RELEASE_INFO_ENV: str(info_file)}):
            build_site(config, site_dir=site_dir, strict=True)
        use_directory_urls = bool(mkdocs_config.use_directory_urls)
        base_path = _base_path(mkdocs_config.site_url)
        site_url = mkdocs_config.site_url or None

        progress(f"Writing version {version} to {branch} ...")
        with staging_branch(branch, root) as staging:
            mike_deploy(
                site_dir,
                version,
                title=info.title,
                aliases=names,
                branch=staging,
                root=root,
                use_directory_urls=use_directory_urls,
                message=f"Publish playbook version {version} from {commit[:12]}",
                properties={
                    "published": today.isoformat(),
                    "commit": commit,
                    "compared_with": previous.version if previous else "",  # "": the first
                },
            )
            if default != site.default:
                mike_set_default(default, branch=staging, root=root, message=f"Readers start at {default}")
            after = read_site(staging, root)
            commit_files(
                {"404.html": root_404_html(after, title=loaded.playbook.meta.title, base_path=base_path)},
                branch=staging,
                root=root,
                message="Page-not-found page for every version",
            )
            new_tip = branch_tip(staging, root)
            assert new_tip is not None
            update_ref(f"refs/heads/{branch}", new_tip, site.tip, root)

    pushed = False
    if push:
        progress(f"Pushing {branch} to {remote} ...")
        _push_or_roll_back(remote, branch, root, new_tip, site.tip)
        pushed = True
    return PublishResult(
        version=version,
        title=info.title,
        aliases=tuple(next((v.aliases for v in after.versions if v.version == version), ())),
        commit=commit,
        branch=branch,
        tip=new_tip,
        previous=previous.version if previous else None,
        site_url=site_url,
        replaced=existing is not None,
        default=default,
        pushed=pushed,
        drafts_left_out=tuple(drafts(loaded.playbook)),
        unpublished_changes=tuple(uncommitted_changes(root)) if revision == "HEAD" else (),
    )


def _push_or_roll_back(remote: str, branch: str, root: Path, new_tip: str, old_tip: str | None) -> None:
    try:
        push_branch(remote, branch, root)
    except GitError as error:
        # The remote was not changed: put the local branch back too, so both say the same.
        if old_tip is None:
            delete_ref(f"refs/heads/{branch}", root, new_tip)
        else:
            update_ref(f"refs/heads/{branch}", old_tip, new_tip, root)
        raise PublishError(
            f"the push to {remote} failed, so nothing was published; the local `{branch}` was put back as it was:\n  {error.stderr}",
            error.hint,
        ) from None


def _repo_relative(path: Path, root: Path) -> str:
    absolute = Path(os.path.abspath(path))
    for base in (root, root.resolve()):
        try:
            return absolute.relative_to(base).as_posix()
        except ValueError:
            pass
    try:
        return absolute.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise PublishError(
            f"{path} is outside the git repository at {root}", "run the command inside the playbook repository"
        ) from None


@dataclass(frozen=True)
class ChangeResult:
    branch: str
    tip: str
    pushed: bool


def _finish(site: Site, staging: str, root: Path, *, repo: Path, config_file: Path, push: bool, remote: str) -> ChangeResult:
    """After `alias` or `retract`: the root 404 page again, then move the branch (and push)."""
    after = read_site(staging, root)
    page = root_404_html(after, title=_site_title(site, root), base_path=_site_base_path(repo, config_file))
    commit_files(
        {"404.html": page},
        branch=staging,
        root=root,
        message="Page-not-found page for every version",
    )
    new_tip = branch_tip(staging, root)
    assert new_tip is not None
    update_ref(f"refs/heads/{site.branch}", new_tip, site.tip, root)
    if push:
        _push_or_roll_back(remote, site.branch, root, new_tip, site.tip)
    return ChangeResult(site.branch, new_tip, push)


def _not_published(site: Site, version: str) -> PublishError:
    known = ", ".join(v.version for v in site.versions) or "none"
    return PublishError(
        f"version {version} is not published on {site.branch}", f"published versions: {known} (`playbook versions`)"
    )


def _site_base_path(repo: Path, config_file: Path) -> str:
    if not (repo / config_file).is_file():
        return "/"
    from .site import _load_config

    return _base_path(_load_config(repo / config_file).site_url)


def retract(
    version: str,
    *,
    repo: Path,
    config_file: Path = Path("mkdocs.yml"),
    push: bool = False,
    remote: str = DEFAULT_REMOTE,
    branch: str = DEFAULT_BRANCH,
) -> ChangeResult:
    """Remove a published version; refused while an alias, or the site's default, points to it."""
    root = toplevel(repo)
    check_not_checked_out(branch, root)
    bring_up_to_date(remote, branch, root, push=push)
    site = read_site(branch, root)
    found = site.find(version)
    if found is None:
        raise _not_published(site, version)
    if found.version != version:
        raise PublishError(
            f"`{version}` is an alias of version {found.version}, not a version",
            f"to change what `{version}` shows, point it at another version: `playbook alias VERSION {version}`",
        )
    others = [v for v in site.versions if v.version != version]
    if found.aliases:
        target = others[0].version if others else "ANOTHER-VERSION"
        raise PublishError(
            f"version {version} is what {', '.join(f'`{a}`' for a in found.aliases)} points to; readers would find nothing there",
            f"point {'them' if len(found.aliases) > 1 else 'it'} at another version first"
            f" (`playbook alias {target} {' '.join(found.aliases)}`), then retract {version}",
        )
    if site.default == version:
        raise PublishError(
            f"version {version} is the default version: the site's address leads to it",
            "publish another version first (it becomes the default), then retract this one",
        )
    with staging_branch(branch, root) as staging:
        mike_delete(version, branch=staging, root=root, message=f"Retract playbook version {version}")
        return _finish(site, staging, root, repo=repo, config_file=config_file, push=push, remote=remote)


def set_aliases(
    version: str,
    aliases: Sequence[str],
    *,
    repo: Path,
    config_file: Path = Path("mkdocs.yml"),
    push: bool = False,
    remote: str = DEFAULT_REMOTE,
    branch: str = DEFAULT_BRANCH,
) -> ChangeResult:
    """Point aliases (e.g. `latest`) at a published version: how a bad version is rolled back."""
    root = toplevel(repo)
    check_not_checked_out(branch, root)
    for alias in aliases:
        check_name(alias, "alias")
    bring_up_to_date(remote, branch, root, push=push)
    site = read_site(branch, root)
    found = site.find(version)
    if found is None or found.version != version:
        raise _not_published(site, version)
    for alias in aliases:
        taken = site.find(alias)
        if alias == version or (taken is not None and taken.version == alias):
            raise PublishError(f"`{alias}` is a published version, so it cannot be an alias", "choose another alias name")
        check_not_on_the_branch(alias, "alias", site, root)
    use_directory_urls = True
    if (repo / config_file).is_file():
        from .site import _load_config

        use_directory_urls = bool(_load_config(repo / config_file).use_directory_urls)
    with staging_branch(branch, root) as staging:
        mike_alias(
            version,
            aliases,
            branch=staging,
            root=root,
            use_directory_urls=use_directory_urls,
            message=f"Point {', '.join(aliases)} at playbook version {version}",
        )
        return _finish(site, staging, root, repo=repo, config_file=config_file, push=push, remote=remote)


def list_published(*, repo: Path, branch: str = DEFAULT_BRANCH, remote: str = DEFAULT_REMOTE) -> Site:
    """What `branch` holds, or `REMOTE/BRANCH` when there is no local branch (as after `git clone`).
    Nothing is fetched: run `git fetch origin gh-pages:gh-pages` for the remote's latest."""
    root = toplevel(repo)
    tip = remote_tracking_tip(remote, branch, root) if branch_tip(branch, root) is None else None
    if tip is None:
        return read_site(branch, root)
    site = read_site(branch, root, tip=tip)
    return Site(f"{remote}/{branch}", site.tip, site.versions, site.default)


__all__ = [
    "ChangeResult",
    "PublishResult",
    "PublishedVersion",
    "Site",
    "list_published",
    "previous_version",
    "publish",
    "read_site",
    "retract",
    "root_404_html",
    "set_aliases",
]
