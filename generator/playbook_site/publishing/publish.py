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

The commands compose the steps of `git`, `mike`, `versions`, `revision`, `build` and `changes`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..content import Loaded, load_all
from ..content.release import Release, drafts, release_problems, source_locate, without_drafts
from ..errors import ContentError, GitError, PublishError, UsageError
from . import mike
from .build import load_config
from .changes import PreviousVersion, release_of
from .engines import build_with_engine, raw_config, settings_of
from .feeds import FEEDS_DIR, Links, announcement, branch_feeds
from .git import (
    branch_tip,
    delete_ref,
    push_branch,
    remote_tracking_tip,
    resolve_commit,
    toplevel,
    uncommitted_changes,
    update_ref,
)
from .history import commit_origin
from .notfound import base_path, root_404_html, site_title
from .revision import export_tree
from .versions import (
    DEFAULT_ALIAS,
    DEFAULT_BRANCH,
    DEFAULT_REMOTE,
    PublishedVersion,
    Site,
    bring_up_to_date,
    check_branch_is_a_versioned_site,
    check_inside_the_commit,
    check_name,
    check_not_checked_out,
    check_not_on_the_branch,
    previous_version,
    published_export,
    read_site,
    selector_title,
)


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
    site_url: str | None = None  # mkdocs.yml's site_url: without it the selector cannot keep the reader's page
    announcement: str = ""  # Markdown for a chat channel or an email: what changed, for whom, with links


@dataclass(frozen=True)
class _Plan:
    """What a publish will do, decided before anything is built."""

    version: str
    aliases: list[str]
    existing: PublishedVersion | None
    previous: PublishedVersion | None
    default: str


def _plan(version: str, aliases: Sequence[str] | None, site: Site, root: Path, *, force: bool) -> _Plan:
    """The aliases, the version compared with and the site's address after publishing; refuses a
    name that is taken and a version that exists (without `force`)."""
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
    names = list(dict.fromkeys(aliases)) if aliases is not None else ([] if existing is not None else [DEFAULT_ALIAS])
    for alias in names:
        taken = site.find(alias)
        if taken is not None and taken.version == alias:
            raise PublishError(f"`{alias}` is a published version, so it cannot be an alias", "choose another alias name")
    check_branch_is_a_versioned_site(site, root)
    for alias in names:
        check_not_on_the_branch(alias, "alias", site, root)
    check_not_on_the_branch(version, "version", site, root)
    # The site's address leads to `latest` (which moves with each version) once a version carries it;
    # a site without a default gets one. A version published under another alias only (a preview)
    # does not take the address over.
    default = site.default or (names[0] if names else version)
    if DEFAULT_ALIAS in names:
        default = DEFAULT_ALIAS
    return _Plan(version, names, existing, previous_version(site, version), default)


def _check_not_published_already(site: Site, version: str, commit: str, revision: str) -> None:
    """Refuse to publish a commit that another version was built from: two numbers for one agreement
    (pass --allow-same for a deliberate copy, e.g. under a new title)."""
    same = [v for v in site.versions if v.commit == commit and v.version != version]
    if same:
        names = ", ".join(v.version for v in same)
        raise PublishError(
            f"commit {commit[:12]} ({revision}) is already published as version{'s' if len(same) > 1 else ''} {names};"
            " a new number would tell"
            " readers something changed when nothing did",
            f"commit the changes first, or point an alias at it (`playbook alias {same[0].version} ALIAS`);"
            " pass --allow-same to publish the same commit under a new number anyway",
        )


def _check_title(title: str | None) -> None:
    """The title readers see in the version selector: Material writes it into the page as HTML."""
    if title is None:
        return
    from ..content.markup import HTML_RE
    from ..text import HIDDEN_RE

    found = HTML_RE.search(title)
    hidden = HIDDEN_RE.search(title) or any(ord(char) < 32 for char in title)  # a tab or a line break too
    if found or not title.strip() or hidden:
        what = (
            f"holds markup (`{title[found.start() : found.start() + 8]}`)"
            if found
            else "is empty or holds a control or invisible character"
        )
        raise PublishError(
            f"the title {title!r} {what}: the version selector would show it as HTML",
            "write the title as plain text (`Q4 2026 (agreed 20 Nov)`); a `<` followed by a space is fine",
        )


def _check_names(version: str, aliases: Sequence[str] | None) -> None:
    check_name(version, "version")
    for alias in aliases or ():
        check_name(alias, "alias")
        if alias == version:
            raise PublishError(f"`{alias}` is the version itself; an alias is another name for it", "drop that --alias")


def _relative_problems(error: ContentError, tree: Path) -> ContentError:
    """Problems in the exported copy, named by their path in the repository."""
    return ContentError(p.moved(str(tree) + os.sep, "") for p in error.problems)


@dataclass(frozen=True)
class _Built:
    site_dir: Path
    loaded: Loaded
    use_directory_urls: bool
    site_url: str | None


def _build_release(
    *,
    tree: Path,
    config_rel: str,
    repo: Path,
    config_file: Path,
    revision: str,
    commit: str,
    today: date,
    engine: str | None,
    release: Callable[[Loaded], Release],
) -> _Built:
    """Build the exported commit `tree` as a release: the content loaded and checked once, mkdocs.yml read once."""
    config_path = tree / config_rel
    if not config_path.is_file():
        if not (repo / config_file).is_file():
            raise UsageError(
                f"{config_file} does not exist here; run the command in the playbook repository (the folder"
                " with mkdocs.yml) or pass -f PATH/mkdocs.yml"
            )
        raise PublishError(
            f"{config_rel} is not committed in {revision} ({commit[:12]})", "commit mkdocs.yml (and content/) first"
        )
    base = raw_config(config_path)
    settings = settings_of(config_path, base)
    check_inside_the_commit(settings.docs_dir, settings.content, tree)
    try:
        loaded = load_all(settings.content, today=today)
    except ContentError as error:
        raise _relative_problems(error, tree) from None
    content_rel = _repo_relative(settings.content, tree)
    problems = release_problems(
        loaded.playbook, source_locate(loaded.playbook, loaded.sources, lambda rel: f"{content_rel}/{rel}")
    )
    if problems:
        raise ContentError(problems)
    site_dir = tree.parent / "site"
    origin = commit_origin(repo, content_rel, commit)
    build_with_engine(
        config_path,
        engine=engine,
        site_dir=site_dir,
        strict=True,
        today=today,
        release=release(loaded),
        loaded=loaded,
        origin=origin,
    )
    site_url = base.get("site_url")
    return _Built(site_dir, loaded, settings.directory_urls, str(site_url) if site_url else None)


def _write_to_branch(
    plan: _Plan, built: _Built, site: Site, root: Path, *, title: str, commit: str, today: date, branch: str
) -> tuple[str, Site, str]:
    """mike's commits on a staging branch, the root 404 page and the feeds, then `branch` moved once;
    the new tip, what the branch now holds and the version's announcement."""
    with mike.staging_branch(branch, root) as staging:
        mike.deploy(
            built.site_dir,
            plan.version,
            title=selector_title(plan.version, title),
            aliases=plan.aliases,
            branch=staging,
            root=root,
            use_directory_urls=built.use_directory_urls,
            message=f"Publish playbook version {plan.version} from {commit[:12]}",
            properties={
                "published": today.isoformat(),
                "commit": commit,
                "title": title,  # the title as given; the selector shows the number too
                "compared_with": plan.previous.version if plan.previous else "",  # "": the first
            },
        )
        if plan.default != site.default:
            mike.set_default(plan.default, branch=staging, root=root, message=f"Readers start at {plan.default}")
        _number_every_title(read_site(staging, root), staging, root)
        after = read_site(staging, root)
        links = Links(built.site_url, built.use_directory_urls)
        news = _commit_root_files(
            after, staging, root, title=str(built.loaded.playbook.meta.title), site_url=built.site_url, links=links
        )
        new_tip = branch_tip(staging, root)
        assert new_tip is not None
        update_ref(f"refs/heads/{branch}", new_tip, site.tip, root)
    this = next(item for item in news if item.version == plan.version)
    text = announcement(this, Links(built.site_url, built.use_directory_urls), title=str(built.loaded.playbook.meta.title))
    return new_tip, after, text


def _number_every_title(site: Site, staging: str, root: Path) -> None:
    """Versions published before the selector showed numbers get theirs ("Q3 2026" -> "1.0 · Q3 2026")."""
    for published in site.versions:
        if published.listed_title != published.shown_title:
            message = f"Version {published.version} in the selector: {published.shown_title}"
            mike.retitle(published.version, published.shown_title, branch=staging, root=root, message=message)


def publish(
    version: str,
    *,
    repo: Path,
    config_file: Path = Path("mkdocs.yml"),
    title: str | None = None,
    aliases: Sequence[str] | None = None,
    push: bool = False,
    force: bool = False,
    allow_same: bool = False,
    remote: str = DEFAULT_REMOTE,
    branch: str = DEFAULT_BRANCH,
    revision: str = "HEAD",
    today: date,
    engine: str | None = None,
    progress: Callable[[str], None] = lambda step: None,
) -> PublishResult:
    """Build the committed playbook at `revision` and publish it as `version` on `branch`."""
    _check_names(version, aliases)  # a mistake in the names needs no repository to be found
    _check_title(title)
    root = toplevel(repo)
    check_not_checked_out(branch, root)
    config_rel = _repo_relative(repo / config_file, root)
    commit = resolve_commit(revision, cwd=root)
    bring_up_to_date(remote, branch, root, push=push)
    site = read_site(branch, root)
    plan = _plan(version, aliases, site, root, force=force)
    if not allow_same:
        _check_not_published_already(site, version, commit, revision)
    shown_title = title or (plan.existing.title if plan.existing else version)
    release = _releaser(plan, shown_title, today, _previous(plan, site, root))

    with tempfile.TemporaryDirectory(prefix="playbook-publish-") as temp:
        tree = Path(temp) / "tree"
        progress(f"Building version {version} from commit {commit[:12]} ({revision}), drafts left out ...")
        export_tree(commit, tree, root)
        built = _build_release(
            tree=tree,
            config_rel=config_rel,
            repo=repo,
            config_file=config_file,
            revision=revision,
            commit=commit,
            today=today,
            engine=engine,
            release=release,
        )
        progress(f"Writing version {version} to {branch} ...")
        new_tip, after, text = _write_to_branch(
            plan, built, site, root, title=shown_title, commit=commit, today=today, branch=branch
        )

    if push:
        progress(f"Pushing {branch} to {remote} ...")
        _push_or_roll_back(remote, branch, root, new_tip, site.tip)
    unpublished = tuple(uncommitted_changes(root)) if revision == "HEAD" else ()
    return _result(plan, built, after, commit=commit, branch=branch, tip=new_tip, push=push, unpublished=unpublished, text=text)


def _releaser(plan: _Plan, title: str, today: date, previous: PreviousVersion | None) -> Callable[[Loaded], Release]:
    """What the build is given: the version, without its drafts, and what changed since `previous`."""

    def release(loaded: Loaded) -> Release:
        shipped = without_drafts(loaded.playbook)
        return release_of(shipped, version=plan.version, title=title, day=today, current=(plan.default,), previous=previous)

    return release


def _previous(plan: _Plan, site: Site, root: Path) -> PreviousVersion | None:
    """The version "What changed" compares with, and its playbook.json."""
    if plan.previous is None:
        return None
    return PreviousVersion(plan.previous.version, plan.previous.title, published_export(site, plan.previous.version, root))


def _result(
    plan: _Plan,
    built: _Built,
    after: Site,
    *,
    commit: str,
    branch: str,
    tip: str,
    push: bool,
    unpublished: tuple[str, ...],
    text: str,
) -> PublishResult:
    """What `publish` did, for the command to tell."""
    return PublishResult(
        version=plan.version,
        title=next((v.title for v in after.versions if v.version == plan.version), plan.version),
        aliases=tuple(next((v.aliases for v in after.versions if v.version == plan.version), ())),
        commit=commit,
        branch=branch,
        tip=tip,
        previous=plan.previous.version if plan.previous else None,
        site_url=built.site_url,
        replaced=plan.existing is not None,
        default=plan.default,
        pushed=push,
        drafts_left_out=tuple(drafts(built.loaded.playbook)),
        unpublished_changes=unpublished,
        announcement=text,
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


# --- changing what is published: aliases and retractions ---------------------------------------------


@dataclass(frozen=True)
class ChangeResult:
    branch: str
    tip: str
    pushed: bool


def _commit_root_files(after: Site, staging: str, root: Path, *, title: str, site_url: str | None, links: Links) -> Any:
    """The branch's root files made again from its versions: the page-not-found page and the feeds
    (the feeds folder rewritten whole, so a retracted version's entry goes). Returns the feeds' news."""
    page = root_404_html(after, title=title, base_path=base_path(site_url))
    feeds, news = branch_feeds(after, root, links)
    mike.commit_files(
        {"404.html": page, **feeds},
        branch=staging,
        root=root,
        message="Page-not-found page and feeds for every version",
        replace=(FEEDS_DIR,),
    )
    return news


def _site_config(repo: Path, config_file: Path) -> Any:
    """mkdocs.yml of the working tree, None when there is none (aliases and retractions work without it)."""
    return load_config(repo / config_file) if (repo / config_file).is_file() else None


def _finish(site: Site, staging: str, root: Path, *, config: Any, push: bool, remote: str) -> ChangeResult:
    """After `alias` or `retract`: the root 404 page and the feeds again, then move the branch (and push)."""
    after = read_site(staging, root)
    site_url = config.site_url if config else None
    links = Links(site_url, bool(config.use_directory_urls) if config else True)
    _commit_root_files(after, staging, root, title=site_title(site, root), site_url=site_url, links=links)
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
    config = _site_config(repo, config_file)
    with mike.staging_branch(branch, root) as staging:
        mike.delete(version, branch=staging, root=root, message=f"Retract playbook version {version}")
        return _finish(site, staging, root, config=config, push=push, remote=remote)


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
    config = _site_config(repo, config_file)
    with mike.staging_branch(branch, root) as staging:
        mike.alias(
            version,
            aliases,
            branch=staging,
            root=root,
            use_directory_urls=bool(config.use_directory_urls) if config else True,
            message=f"Point {', '.join(aliases)} at playbook version {version}",
        )
        return _finish(site, staging, root, config=config, push=push, remote=remote)


def list_published(*, repo: Path, branch: str = DEFAULT_BRANCH, remote: str = DEFAULT_REMOTE) -> Site:
    """What `branch` holds, or `REMOTE/BRANCH` when there is no local branch (as after `git clone`).
    Nothing is fetched: run `git fetch origin gh-pages:gh-pages` for the remote's latest."""
    root = toplevel(repo)
    tip = remote_tracking_tip(remote, branch, root) if branch_tip(branch, root) is None else None
    if tip is None:
        return read_site(branch, root)
    site = read_site(branch, root, tip=tip)
    return Site(f"{remote}/{branch}", site.tip, site.versions, site.default)


__all__ = ["ChangeResult", "PublishResult", "list_published", "publish", "retract", "set_aliases"]
