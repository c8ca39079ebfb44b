"""Git plumbing: one runner, and one small function per git command.

Each function runs one git command and raises `GitError` carrying git's own message and a hint on
how to fix it. Nothing here changes the working tree or the index.
"""

from __future__ import annotations

import functools
import os
import secrets
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..errors import GitError

_ENV = {"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C", "GIT_OPTIONAL_LOCKS": "0"}


def run(args: list[str], *, cwd: Path, hint: str = "", stdin: bytes | None = None) -> bytes:
    """`git ARGS` in `cwd`; its standard output, or GitError with git's message and `hint`."""
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
    out = run(["rev-parse", "--show-toplevel"], cwd=cwd, hint=hint)
    return Path(out.decode("utf-8").strip())


def resolve_commit(revision: str, *, cwd: Path) -> str:
    """The commit id a revision names (`git rev-parse --verify REV^{commit}`)."""
    if not revision or revision.startswith("-"):
        raise GitError(["rev-parse", revision], f"`{revision}` is not a revision name", "name a branch, tag or commit")
    if revision == "HEAD" and _no_commits(cwd):
        raise GitError(
            ["rev-parse", revision], "the repository has no commits yet", "commit the playbook first (`git add . && git commit`)"
        )
    out = run(
        ["rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}"],
        cwd=cwd,
        hint=f"`{revision}` is not a branch, tag or commit here; check the name with `git log --oneline --all`."
        " In GitHub Actions fetch the base branch first (actions/checkout with fetch-depth: 0)",
    )
    return out.decode("ascii").strip()


def _no_commits(cwd: Path) -> bool:
    """True in a repository whose current branch has no commit yet (`git init` and nothing more)."""
    try:
        run(["rev-parse", "--verify", "--quiet", "HEAD"], cwd=cwd)
    except GitError:
        try:
            return not run(["rev-list", "-n", "1", "--all"], cwd=cwd).strip()
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
    return _tree_entries(run(["ls-tree", "-r", "-z", "--full-tree", commit, "--", path], cwd=cwd))


def tree_files(commit: str, *, cwd: Path) -> list[TreeEntry]:
    """Every entry of a commit's whole tree, folders walked (`git ls-tree -r -z --full-tree COMMIT`)."""
    return _tree_entries(run(["ls-tree", "-r", "-z", "--full-tree", commit], cwd=cwd))


def _tree_entries(out: bytes) -> list[TreeEntry]:
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
    out = run(["cat-file", "--batch"], cwd=cwd, stdin="".join(f"{oid}\n" for oid in wanted).encode("ascii"))
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


def current_branch(root: Path) -> str | None:
    """The branch checked out in `root` (`git symbolic-ref --quiet HEAD`), None when detached."""
    try:
        return run(["symbolic-ref", "--quiet", "HEAD"], cwd=root).decode("utf-8").strip()
    except GitError:
        return None


def branch_tip(branch: str, root: Path) -> str | None:
    """The commit a local branch points to, None when it does not exist."""
    try:
        return run(["rev-parse", "--verify", "--quiet", f"refs/heads/{branch}^{{commit}}"], cwd=root).decode().strip()
    except GitError:
        return None


def read_file_at(revision: str, path: str, root: Path) -> bytes | None:
    """A file's bytes at a revision (`git cat-file blob REV:PATH`), None when there is no such file."""
    try:
        run(["cat-file", "-e", f"{revision}:{path}"], cwd=root)
    except GitError:
        return None
    return run(["cat-file", "blob", f"{revision}:{path}"], cwd=root)


def first_commit(revision: str, root: Path) -> str:
    """The first commit of a revision's history (the lowest id when it has several roots): the same
    for every later commit of a repository, so it names the repository."""
    out = run(["rev-list", "--max-parents=0", revision, "--"], cwd=root).decode("ascii").split()
    return min(out)


def uncommitted_changes(root: Path) -> list[str]:
    """Paths with changes that are not committed, untracked files included (`git status --porcelain`)."""
    out = run(["status", "--porcelain=v1", "-z", "--untracked-files=all"], cwd=root).decode("utf-8", "surrogateescape")
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


def update_ref(ref: str, new: str, old: str | None, root: Path) -> None:
    """Point `ref` at `new` only if it still points at `old` (None: only if it does not exist yet)."""
    run(
        ["update-ref", "-m", "playbook publish", ref, new, old or ""],
        cwd=root,
        hint=f"{ref} changed while publishing (another publish?); run the command again",
    )


def delete_ref(ref: str, root: Path, old: str | None = None) -> None:
    """Remove `ref` (only if it still points at `old`, when given); nothing happens when it is gone."""
    try:
        run(["update-ref", "-d", ref, *([old] if old else [])], cwd=root)
    except GitError:
        if old is not None:
            raise


def fetch_branch(remote: str, branch: str, root: Path) -> str | None:
    """The remote's `branch` fetched into `refs/remotes/REMOTE/BRANCH`; None when the remote has none."""
    try:
        run(
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
        out = run(["rev-parse", "--verify", "--quiet", f"refs/remotes/{remote}/{branch}^{{commit}}"], cwd=root)
    except GitError:
        return None
    return out.decode().strip()


def merge_base(first: str, second: str, root: Path) -> str | None:
    """The best common ancestor of two commits (`git merge-base`), None when they share no history."""
    try:
        return run(["merge-base", first, second], cwd=root).decode().strip()
    except GitError:
        return None


def push_branch(remote: str, branch: str, root: Path) -> None:
    """`git push REMOTE refs/heads/BRANCH:refs/heads/BRANCH` (a fast-forward: never forced)."""
    run(
        ["push", "--quiet", "--", remote, f"refs/heads/{branch}:refs/heads/{branch}"],
        cwd=root,
        hint=f"check your access to `{remote}`; if someone else published meanwhile, run the command again",
    )


def worktrees(root: Path) -> list[tuple[str, str]]:
    """(path, checked-out ref) of every worktree of the repository (`git worktree list --porcelain`)."""
    listing = run(["worktree", "list", "--porcelain"], cwd=root).decode("utf-8", "replace")
    found: list[tuple[str, str]] = []
    path = ""
    for line in listing.splitlines():
        if line.startswith("worktree "):
            path = line[len("worktree ") :]
        elif line.startswith("branch "):
            found.append((path, line[len("branch ") :]))
    return found


@functools.lru_cache(maxsize=8)
def root_entries(tip: str, root: Path) -> tuple[str, ...]:
    """The names at the root of a commit's tree (`git ls-tree --name-only`); a commit never changes."""
    out = run(["ls-tree", "--name-only", "-z", tip], cwd=root).decode("utf-8", "replace")
    return tuple(name for name in out.split("\0") if name)


def repository_root(cwd: Path) -> Path | None:
    """The root of the work tree that holds `cwd`, None when `cwd` is in no git repository
    (GitError only when git itself is missing)."""
    try:
        return toplevel(cwd)
    except GitError as error:
        if error.stderr == "git is not installed":
            raise
        return None


def init_repository(path: Path, branch: str = "main") -> None:
    """`git init` with `branch` as the first branch (`-b`, or `symbolic-ref` for a git older than 2.28)."""
    try:
        run(["init", "--quiet", "-b", branch], cwd=path)
    except GitError as error:
        if error.stderr == "git is not installed" or "-b" not in error.stderr and "unknown switch" not in error.stderr:
            raise
        run(["init", "--quiet"], cwd=path)
        run(["symbolic-ref", "HEAD", f"refs/heads/{branch}"], cwd=path)


@dataclass(frozen=True)
class Change:
    """One commit of a file's history: its day (the committer's), whether it has parents, its paths."""

    commit: str
    day: str  # YYYY-MM-DD
    root: bool  # no parent: a first commit, or the edge of a shallow clone's history
    paths: tuple[str, ...]  # relative to the repository's root


def changes(revision: str, folder: str, *, root: Path) -> list[Change]:
    """The commits that changed files under `folder` (from the repository's root) up to `revision`,
    newest first, as the first-parent history sees them: a merged change on the day it was merged
    (`git log -m --first-parent --name-only -z REV -- :(top,literal)FOLDER`).

    A file name may hold any byte but NUL, so each commit's line starts with a marker made afresh for
    this call: no name committed beforehand can hold it and pass for a commit (with a day of its own)."""
    spec = f":(top,literal){folder}" if folder else ":(top)"
    marker = f"\x1e{secrets.token_hex(16)}"
    out = run(
        [
            "log",
            "-m",
            "--first-parent",
            "--no-renames",
            f"--format={marker}%H %P%x1f%cs",
            "--name-only",
            "-z",
            revision,
            "--",
            spec,
        ],
        cwd=root,
    ).decode("utf-8", "surrogateescape")
    commits: list[tuple[str, str, bool, list[str]]] = []
    for token in out.split("\0"):
        if token.startswith(marker):
            ids, _, day = token[len(marker) :].partition("\x1f")
            commit, *parents = ids.split()
            commits.append((commit, day.strip(), not parents, []))
        elif commits and token.strip("\n"):
            names = commits[-1][3]
            names.append(token[1:] if token.startswith("\n") and not names else token)  # the line break after a commit's line
    return [Change(commit, day, root_commit, tuple(names)) for commit, day, root_commit, names in commits]


def is_shallow(root: Path) -> bool:
    """A clone that holds only the latest part of the history (`git rev-parse --is-shallow-repository`)."""
    return run(["rev-parse", "--is-shallow-repository"], cwd=root).decode().strip() == "true"


def remote_urls(root: Path) -> dict[str, str]:
    """{remote name: its fetch URL} (`git remote -v`); empty when there is none."""
    found: dict[str, str] = {}
    for line in run(["remote", "-v"], cwd=root).decode("utf-8", "replace").splitlines():
        name, _, rest = line.partition("\t")
        url, _, kind = rest.rpartition(" ")
        if kind == "(fetch)" and name and url:
            found.setdefault(name, url)
    return found
