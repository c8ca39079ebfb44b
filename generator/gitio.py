"""Reading playbook content from git: one small function per git command.

Each function runs one git command and raises `GitError` carrying git's own message and a hint
on how to fix it. `load_revision` copies the content directory as it is at a revision (from the
object database, never touching the working tree or the index) into a temporary directory and
loads it with the ordinary loader, so a revision is validated exactly like a working tree; its
problems are reported as `REVISION:content/file.yml:line:column`.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import ContentError, GitError, PlaybookError, Problem
from .model import Playbook

_ENV = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}


def _git(args: list[str], *, cwd: Path, hint: str = "", stdin: bytes | None = None) -> bytes:
    if not cwd.is_dir():
        raise GitError(args, f"{cwd} is not a folder", hint)
    try:
        result = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            env={**os.environ, **_ENV},
            check=False,
        )
    except FileNotFoundError:
        raise GitError(args, "git is not installed", "install git (e.g. `apt-get install git`)") from None
    if result.returncode != 0:
        raise GitError(args, result.stderr.decode("utf-8", errors="replace") or f"exit status {result.returncode}", hint)
    return result.stdout


def toplevel(cwd: Path, *, hint: str = "run the command inside the playbook's git repository") -> Path:
    """The root of the git work tree that holds `cwd` (`git rev-parse --show-toplevel`)."""
    out = _git(["rev-parse", "--show-toplevel"], cwd=cwd, hint=hint)
    return Path(out.decode("utf-8").strip())


def resolve_commit(revision: str, *, cwd: Path) -> str:
    """The commit id a revision names (`git rev-parse --verify REV^{commit}`)."""
    if not revision or revision.startswith("-"):
        raise GitError(["rev-parse", revision], f"`{revision}` is not a revision name", "name a branch, tag or commit")
    if revision == "HEAD" and _no_commits(cwd):
        raise GitError(
            ["rev-parse", revision], "the repository has no commits yet", "commit the playbook first (`git add . && git commit`)"
        )
    out = _git(
        ["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
        cwd=cwd,
        hint=f"`{revision}` is not a branch, tag or commit here; check the name with `git log --oneline --all`."
        " In GitHub Actions fetch the base branch first (actions/checkout with fetch-depth: 0)",
    )
    return out.decode("ascii").strip()


def _no_commits(cwd: Path) -> bool:
    """True in a repository whose current branch has no commit yet (`git init` and nothing more)."""
    try:
        _git(["rev-parse", "--verify", "--quiet", "HEAD"], cwd=cwd)
    except GitError:
        try:
            return not _git(["rev-list", "-n", "1", "--all"], cwd=cwd).strip()
        except GitError:
            return False
    return False


@dataclass(frozen=True)
class TreeEntry:
    mode: str
    kind: str  # blob | tree | commit
    object_id: str
    path: str  # relative to the repository root


def list_tree(commit: str, path: str, *, cwd: Path) -> list[TreeEntry]:
    """Every file under `path` at `commit` (`git ls-tree -r -z --full-tree COMMIT -- PATH`)."""
    out = _git(["ls-tree", "-r", "-z", "--full-tree", commit, "--", path], cwd=cwd)
    entries = []
    for record in out.decode("utf-8", errors="surrogateescape").split("\0"):
        if not record:
            continue
        meta, _, name = record.partition("\t")
        mode, kind, object_id = meta.split(" ")
        entries.append(TreeEntry(mode, kind, object_id, name))
    return entries


def read_blobs(object_ids: list[str], *, cwd: Path) -> dict[str, bytes]:
    """The contents of many blobs in one git process (`git cat-file --batch`)."""
    if not object_ids:
        return {}
    wanted = list(dict.fromkeys(object_ids))
    out = _git(["cat-file", "--batch"], cwd=cwd, stdin="".join(f"{oid}\n" for oid in wanted).encode("ascii"))
    blobs: dict[str, bytes] = {}
    position = 0
    for oid in wanted:
        header_end = out.index(b"\n", position)
        header = out[position:header_end].decode("ascii").split(" ")
        if len(header) != 3:
            raise GitError(["cat-file", "--batch"], f"object {oid} is missing", "run `git fsck` on the repository")
        size = int(header[2])
        start = header_end + 1
        blobs[oid] = out[start : start + size]
        position = start + size + 1  # the content is followed by a newline
    return blobs


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
    from .load import load  # local: reading git does not need the loader until here

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
    from .load import load

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
