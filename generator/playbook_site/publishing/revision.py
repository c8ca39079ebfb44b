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
from ..errors import ContentError, PlaybookError, Problem, PublishError, UsageError, printable
from .git import TreeEntry, list_tree, read_blobs, resolve_commit, toplevel


def _safe_parts(path: str) -> tuple[str, ...] | None:
    parts = PurePosixPath(path).parts
    if not parts or any(part in ("", ".", "..", ".git") for part in parts):
        return None
    return parts


def _refuse_impossible_tree(commit: str, entries: list[TreeEntry]) -> None:
    """A tree that git itself could not check out is refused: the same path twice, or a file, a
    symbolic link or a submodule that is also the folder of other entries (`roles -> /tmp/x` beside
    `roles/x.yml`, built with git's plumbing). Written out, the second would go through the first."""
    paths: dict[str, TreeEntry] = {}
    for entry in entries:
        if entry.path in paths:
            raise UnsafeTreeError(commit, f"`{printable(entry.path)}` is in its tree twice")
        paths[entry.path] = entry
    for entry in entries:
        parts = entry.path.split("/")
        for depth in range(1, len(parts)):
            above = paths.get("/".join(parts[:depth]))
            if above is not None:
                what = {"120000": "a symbolic link", "160000": "a submodule"}.get(above.mode, "a file")
                raise UnsafeTreeError(commit, f"`{printable(above.path)}` is {what} and also holds `{printable(entry.path)}`")


class UnsafeTreeError(PlaybookError):
    """A commit whose tree cannot be written out safely; nothing is read from it."""

    def __init__(self, commit: str, detail: str):
        super().__init__(
            f"commit {commit[:12]} cannot be read safely: {detail}. Git cannot check out such a tree, and writing it"
            " out could write outside the temporary folder, so it is refused"
        )


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


class _Writer:
    """Writes files and links beneath one folder and nowhere else.

    Every folder is opened relative to its parent with O_NOFOLLOW, and every file is created with
    O_CREAT | O_EXCL | O_NOFOLLOW in its folder, so a symbolic link (one written earlier, or one that
    appears meanwhile) is never followed and an existing file is never overwritten. Where the system
    has no `dir_fd` (Windows) each folder is checked with lstat instead.
    """

    def __init__(self, dest: Path):
        dest.mkdir(parents=True, exist_ok=True)
        self.dest = dest
        self.at = os.open in os.supports_dir_fd and os.mkdir in os.supports_dir_fd and os.symlink in os.supports_dir_fd
        self.folders: dict[tuple[str, ...], int] = {(): os.open(dest, _DIR_FLAGS & ~_NOFOLLOW)} if self.at else {}

    def _folder(self, parts: tuple[str, ...]) -> int:
        if parts in self.folders:
            return self.folders[parts]
        parent = self._folder(parts[:-1])
        try:
            os.mkdir(parts[-1], 0o777, dir_fd=parent)
        except FileExistsError:
            pass
        fd = os.open(parts[-1], _DIR_FLAGS, dir_fd=parent)  # a link here fails (ELOOP), a file too (ENOTDIR)
        self.folders[parts] = fd
        return fd

    def _checked_folder(self, parts: tuple[str, ...]) -> Path:
        folder = self.dest
        for part in parts:
            folder = folder / part
            try:
                folder.mkdir()
            except FileExistsError:
                pass
            if folder.is_symlink() or not folder.is_dir():
                raise OSError(f"{folder} is not a folder")
        return folder

    def write(self, parts: tuple[str, ...], data: bytes, *, link: bool) -> None:
        if self.at:
            folder = self._folder(parts[:-1])
            if link:
                os.symlink(data.decode("utf-8", errors="surrogateescape"), parts[-1], dir_fd=folder)
                return
            fd = os.open(parts[-1], _FILE_FLAGS, 0o666, dir_fd=folder)
        else:  # pragma: no cover - systems without dir_fd
            path = self._checked_folder(parts[:-1]) / parts[-1]
            if link:
                os.symlink(data.decode("utf-8", errors="surrogateescape"), path)
                return
            fd = os.open(path, _FILE_FLAGS, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)

    def close(self) -> None:
        for fd in self.folders.values():
            os.close(fd)
        self.folders.clear()


def export_content(commit: str, content_path: str, dest: Path, *, cwd: Path) -> int:
    """Write the files under `content_path` at `commit` into `dest`; returns how many were written.

    Only into `dest`: a tree that holds a path twice, or a link (or file) with entries beneath it, is
    refused before anything is written (`UnsafeTreeError`), and no link is ever followed while writing.
    """
    prefix = content_path.strip("/")
    listed = list_tree(commit, prefix, cwd=cwd)
    _refuse_impossible_tree(commit, listed)
    entries = [e for e in listed if e.kind == "blob"]
    blobs = read_blobs([e.object_id for e in entries], cwd=cwd)
    written = 0
    writer = _Writer(dest)
    try:
        for entry in entries:
            rel = entry.path[len(prefix) + 1 :] if prefix and entry.path.startswith(prefix + "/") else entry.path
            parts = _safe_parts(rel)
            if parts is None:
                continue
            # A symbolic link stays one (not followed here): the loader refuses those that leave the content.
            try:
                writer.write(parts, blobs[entry.object_id], link=entry.mode == "120000")
            except OSError as error:
                raise UnsafeTreeError(
                    commit, f"`{printable(entry.path)}` cannot be written beneath the folder ({error.strerror or error})"
                ) from None
            written += 1
    finally:
        writer.close()
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
            raise UsageError(
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
    label: str  # "origin/main", "the working tree", "./old-content/"


FOLDER_FORMS = ("./", "../", "/")


def is_folder_spec(spec: str) -> bool:
    """True when `spec` is written as a path (`./old-content`, `../other/content`, `/abs/path`, `.`):
    no git revision can be written so, as a ref name never starts with `.` or `/`."""
    return spec in (".", "..") or spec.startswith(FOLDER_FORMS) or os.path.isabs(spec)


def _commit_of(spec: str, cwd: Path) -> str | None:
    """The commit `spec` names in the repository that holds `cwd`, None when it names none (or there is no repository)."""
    try:
        return resolve_commit(spec, cwd=toplevel(cwd))
    except PlaybookError:
        return None


def load_side(spec: str | None, content_dir: Path, *, cwd: Path | None = None) -> Side:
    """A side named on the command line.

    None is the working tree's content directory. A spec written as a path (`./old-content`,
    `../x`, `/abs/x`, see `is_folder_spec`) is a content directory, or a folder whose `content_dir`
    holds one. Anything else is a git revision, read from the object database, never a folder: a
    bare name that is also a folder here (`origin/main/` committed in a pull request) is refused as
    ambiguous (UsageError), and so is a bare folder name that is no revision (write `./NAME`).
    """

    base = cwd if cwd is not None else Path(".")  # relative paths keep problems short: content/roles/x.yml
    if spec is None:
        return Side(load(base / content_dir), "the working tree")
    if not spec or spec.startswith("-"):
        raise UsageError(
            f"`{printable(spec)}` is neither a git revision nor a folder; name a branch, tag or commit, or a folder as ./PATH"
        )
    folder = base / spec
    if is_folder_spec(spec):
        if not folder.is_dir():
            raise UsageError(
                f"there is no folder {printable(spec)}; a side written as a path (./, ../ or /) must be a content directory"
            )
        if (folder / "playbook.yml").is_file() or (folder / "playbook.yaml").is_file():
            return Side(load(folder), spec)
        nested = folder / content_dir
        if nested.is_dir():
            return Side(load(nested), spec)
        return Side(load(folder), spec)  # the loader says what is missing
    if folder.is_dir() or folder.is_symlink():
        shown = printable(spec)
        commit = _commit_of(spec, base)
        if commit is not None:
            revision = f"{commit}^{{commit}}" if commit.startswith(spec.lower()) else f"the commit id {commit}"
            raise UsageError(
                f"`{shown}` names both a git revision ({commit[:12]}) and the folder ./{shown} here, so it is ambiguous."
                f" Write ./{shown} to compare the folder, or {revision} to compare the revision"
                " (and remove the folder if it should not be there)"
            )
        raise UsageError(
            f"`{shown}` is a folder, not a git revision: write ./{shown} to compare the folder as a content directory"
        )
    return Side(load_revision(spec, content_dir, cwd=base), spec)


def export_tree(commit: str, dest: Path, root: Path) -> None:
    """Every committed file of `commit` into `dest`, from the object database (the working tree and
    the index are not read)."""
    if export_content(commit, ".", dest, cwd=root) == 0:
        raise PublishError(f"commit {commit[:12]} has no files", "commit the playbook (mkdocs.yml, content/) first")
