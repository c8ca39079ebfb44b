"""When each content file last changed, from the git history at build time: the day of the last
commit that changed it (its last agreed change), for the line under each entity (`site.provenance`).

A date is given only when it is right: nothing outside a git repository, nothing for a file with
changes that are not committed (or not committed at all), and nothing for a file whose last commit
is the edge of a shallow clone (`actions/checkout` fetches one commit unless told otherwise), where
every file looks changed on that day.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from ..errors import GitError
from ..site.provenance import Origin
from .git import changes, is_shallow, repository_root, uncommitted_changes


def dates(root: Path, folder: str, revision: str = "HEAD") -> dict[str, date]:
    """{path under `folder`: day of the last commit that changed it} at `revision`."""
    shallow = is_shallow(root)
    prefix = f"{folder.strip('/')}/" if folder.strip("/") else ""
    found: dict[str, date] = {}
    seen: set[str] = set()
    for change in changes(revision, folder.strip("/"), root=root):
        for path in change.paths:
            if path in seen or not path.startswith(prefix):
                continue
            seen.add(path)
            if not (shallow and change.root):
                found[path[len(prefix) :]] = date.fromisoformat(change.day)
    return found


def worktree_origin(content_dir: Path) -> Origin | None:
    """The content folder of the working tree in its repository, with the days its committed files last
    changed; None outside a git repository (or with no commit yet, or without git)."""
    absolute = Path(os.path.abspath(content_dir))
    try:
        root = repository_root(absolute if absolute.is_dir() else absolute.parent)
        if root is None:
            return None
        folder = _relative(absolute, root)
        if folder is None:
            return None
        found = dates(root, folder)
        dirty = uncommitted_changes(root)
    except GitError:
        return None
    prefix = f"{folder}/" if folder else ""
    for path in dirty:
        found.pop(path[len(prefix) :] if path.startswith(prefix) else "", None)
    return Origin(folder, found)


def commit_origin(root: Path, folder: str, commit: str) -> Origin:
    """The content folder at a commit (what `playbook publish` builds), with the days its files last changed."""
    try:
        return Origin(folder, dates(root, folder, commit))
    except GitError:
        return Origin(folder)


def _relative(path: Path, root: Path) -> str | None:
    for base in (root, root.resolve()):
        for candidate in (path, path.resolve()):
            try:
                rel = candidate.relative_to(base).as_posix()
            except ValueError:
                continue
            return "" if rel == "." else rel
    return None
