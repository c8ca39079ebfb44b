"""Reading playbook content at a git revision, as data: from the object database, never checked out.

`load_revision` copies the content directory as it is at a revision (from the object database,
never touching the working tree or the index) into a temporary directory and loads it with the
ordinary loader, so a revision is validated exactly like a working tree; its problems are reported
as `REVISION:content/file.yml:line:column`.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..content import Playbook, load
from ..errors import ContentError, PlaybookError, Problem, PublishError
from .git import list_tree, read_blobs, resolve_commit, toplevel


def _safe_parts(path: str) -> tuple[str, ...] | None:
    parts = PurePosixPath(path).parts
    if not parts or any(part in ("", ".", "..", ".git") for part in parts):
        return None
    return parts


def export_content(commit: str, content_path: str, dest: Path, *, cwd: Path) -> int:
    """Write the files under `content_path` at `commit` into `dest`; returns how many were written."""
    prefix = content_path.strip("/")
    entries = [e for e in list_tree(commit, prefix, cwd=cwd) if e.kind == "blob"]
    blobs = read_blobs([e.object_id for e in entries], cwd=cwd)
    written = 0
    for entry in entries:
        rel = entry.path[len(prefix) + 1 :] if prefix and entry.path.startswith(prefix + "/") else entry.path
        parts = _safe_parts(rel)
        if parts is None:
            continue
        target = dest.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if entry.mode == "120000":  # a symbolic link: keep it one, the loader refuses those that leave the content
            os.symlink(blobs[entry.object_id].decode("utf-8", errors="surrogateescape"), target)
        else:
            target.write_bytes(blobs[entry.object_id])
        written += 1
    return written


def repo_path(content_dir: Path, *, cwd: Path) -> tuple[Path, str]:
    """(repository root, the content directory's path inside it, POSIX style)."""
    root = toplevel(cwd, hint="run the command inside the playbook's git repository, or compare two content directories")
    absolute = Path(os.path.abspath(cwd / content_dir))
    try:
        rel = absolute.relative_to(root)
    except ValueError:
        try:
            rel = absolute.resolve().relative_to(root.resolve())
        except ValueError:
            raise PlaybookError(
                f"the content directory {content_dir} is outside the git repository at {root};"
                " pass --content with its path inside the repository"
            ) from None
    return root, rel.as_posix()


class RevisionContentError(ContentError):
    """The content at a revision does not load; the problems name `REVISION:path`."""

    def __init__(self, revision: str, problems: list[Problem]):
        self.revision = revision
        super().__init__(problems)


def load_revision(revision: str, content_dir: Path, *, cwd: Path) -> Playbook:
    """The playbook as it is at `revision`, validated like a working tree."""

    root, rel = repo_path(content_dir, cwd=cwd)
    commit = resolve_commit(revision, cwd=root)
    with tempfile.TemporaryDirectory(prefix="playbook-rev-") as temp:
        target = Path(temp) / (PurePosixPath(rel).name or "content")
        target.mkdir()
        if export_content(commit, rel, target, cwd=root) == 0:
            raise PlaybookError(
                f"revision `{revision}` ({commit[:12]}) has no files in `{rel}/`;"
                " pass --content with the folder that holds playbook.yml, or compare with a later revision"
            )
        try:
            return load(target)
        except ContentError as error:
            shown = f"{revision}:{rel}" if rel != "." else f"{revision}:"
            problems = [p.moved(str(target), shown) for p in error.problems]
            raise RevisionContentError(revision, problems) from None


@dataclass(frozen=True)
class Side:
    """One side of a comparison, as the command line named it."""

    playbook: Playbook
    label: str  # "origin/main", "the working tree", "old-content/"


def load_side(spec: str | None, content_dir: Path, *, cwd: Path | None = None) -> Side:
    """A side named on the command line: None is the working tree's content directory; an existing
    folder is a content directory (or a repository whose `content_dir` holds one); anything else is
    a git revision."""

    base = cwd if cwd is not None else Path(".")  # relative paths keep problems short: content/roles/x.yml
    if spec is None:
        return Side(load(base / content_dir), "the working tree")
    folder = base / spec
    if folder.is_dir():
        if (folder / "playbook.yml").is_file() or (folder / "playbook.yaml").is_file():
            return Side(load(folder), spec)
        nested = folder / content_dir
        if nested.is_dir():
            return Side(load(nested), spec)
        return Side(load(folder), spec)  # the loader says what is missing
    return Side(load_revision(spec, content_dir, cwd=base), spec)


def export_tree(commit: str, dest: Path, root: Path) -> None:
    """Every committed file of `commit` into `dest`, from the object database (the working tree and
    the index are not read)."""
    if export_content(commit, ".", dest, cwd=root) == 0:
        raise PublishError(f"commit {commit[:12]} has no files", "commit the playbook (mkdocs.yml, content/) first")
