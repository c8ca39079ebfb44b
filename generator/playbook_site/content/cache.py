"""The validation cache: what each content file's own check found, kept by the hash of its bytes.

`playbook validate` reads every file on every run, but a file whose bytes were checked before (by
the same version of the tool) is not parsed or validated again: its own problems, its value and its
links come from the cache. The checks across files (references, cycles, entity links in text,
results against their KPIs, review dates) run over the whole playbook every time, so a cached run
reports exactly what a run without the cache reports.

The key of a file is its content-relative path, what it is (a role, a KPI, a results file...), the
SHA-256 of its bytes, the folder's name as problems show it, and the tool's fingerprint: its
version, the source of the modules that check content, and the versions of Python, pydantic and
PyYAML. A file's modification time is never trusted. A rename, a change of one byte or a new
version of the tool each check the file again.

Where: `$PLAYBOOK_CACHE_DIR`, else `$XDG_CACHE_HOME/playbook`, else `~/.cache/playbook`; one file
per content folder (named by a hash of the folder's real path). The cache holds Python pickles,
which can run code when read, so it is kept in the user's own cache folder, never inside the
repository, where a pull request could place one: a cache folder inside the protected tree is not
used (the run keeps its cache in memory). The protected tree is at least the folder that holds the
content folder (its parent), however the content came (a clone, a download, an unpacked archive);
a `.git` entry inside the content folder (a file, an empty folder: anything an archive can carry)
never lowers it. Above, the nearest folder with a `.git` entry raises it, and the walk upward ends
only at a `.git` folder that looks like a repository's own (HEAD and objects/): a `.git` file (the
`gitdir:` of a worktree or a submodule, or a planted one) or a hollow `.git` folder raises the top
but does not end the walk, so a superproject's work tree is protected too. The cache folder counts
as inside when its path as written or its real path lies in the protected tree. Besides, a cache file is read only when it is a regular file itself (opened
with O_NOFOLLOW and O_NONBLOCK: a link or a FIFO is ignored, never waited on, never written
through) that belongs to the user running the tool, and nobody else can write it or its folder (as
ssh treats its keys). Deleting it is always safe: the next run checks
every file again. A cache that cannot be read (corrupt, of another format, from another version)
or written (a read-only folder) is ignored without a word; `--no-cache` ignores it on purpose.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError
from ..files import Folder, open_regular

FORMAT = 1  # the layout of the cache file; a change makes every older cache unreadable (and ignored)
_CHECKING_MODULES = ("errors.py", "codes.py", "text.py", "clock.py")  # besides every module of content/


@dataclass
class FileCheck:
    """What one file's own check found: its problems and warnings, the file as read (None when it
    could not be read), its value (a model, or what the kind of file holds) and its entity links."""

    problems: list[Problem]
    warnings: list[Problem]
    source: Any
    value: Any
    links: list[Any] = field(default_factory=list)


class LazySource:
    """A cached file as read (`yaml_reader.Source`), unpickled only when something looks inside it:
    positions are needed only to point at a problem, which most runs never have."""

    __slots__ = ("_blob", "_source", "path")

    def __init__(self, path: str, blob: bytes) -> None:
        self.path = path
        self._blob = blob
        self._source: Any = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        source = self._source
        if source is None:
            source = self._source = pickle.loads(self._blob)
        return getattr(source, name)

    def __reduce__(self) -> Any:
        return (pickle.loads, (self._blob,))


def cache_dir() -> Path:
    explicit = os.environ.get("PLAYBOOK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "playbook"


_FINGERPRINT: list[str] = []


def tool_fingerprint() -> str:
    """The version of everything that decides what a file's check finds (computed once a process)."""
    if not _FINGERPRINT:
        import pydantic
        import yaml

        from .. import __file__ as package_init

        package = Path(package_init).parent
        digest = hashlib.sha256()
        digest.update(f"{FORMAT}\0{sys.version}\0{pydantic.VERSION}\0{yaml.__version__}\0".encode())
        digest.update(b"libyaml" if getattr(yaml, "__with_libyaml__", False) else b"pure")
        for module in sorted((package / "content").glob("*.py")) + [package / name for name in _CHECKING_MODULES]:
            try:
                digest.update(module.name.encode() + b"\0" + module.read_bytes())
            except OSError:
                digest.update(module.name.encode() + b"\0missing")
        _FINGERPRINT.append(digest.hexdigest())
    return _FINGERPRINT[0]


def private(status: os.stat_result) -> bool:
    """A file or folder of the user running the tool that no one else can write (where there are users)."""
    if not hasattr(os, "getuid"):
        return True  # Windows: the folder's access rules decide
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def protected_top(content_root: Path) -> Path:
    """The highest folder whose files may have come with the content (see the module's docstring).

    At least the content folder's parent: a `.git` inside the content folder (a file, an empty
    folder, anything an archive can carry) never lowers it. Above that, the nearest folder with a
    `.git` entry raises it; only a `.git` folder that looks like a repository's (HEAD and objects/)
    ends the walk upward: a `.git` file (a worktree's or a submodule's `gitdir:`, or a planted one)
    or an empty `.git` folder raises the top but the walk goes on, so the work tree of a
    superproject (a real `.git` folder above) is protected as well."""
    content = content_root.resolve()
    top = content.parent
    for folder in (content.parent, *content.parent.parents):
        try:
            status = (folder / ".git").lstat()
        except OSError:
            continue
        top = folder
        if stat.S_ISDIR(status.st_mode) and (folder / ".git" / "HEAD").is_file() and (folder / ".git" / "objects").is_dir():
            break  # a real repository's own .git folder: the top of its work tree
    return top


def inside_work_tree(directory: Path, content_root: Path) -> bool:
    """Whether `directory` lies in the git work tree that holds the content or, where no `.git` holds
    it (a download, an unpacked archive), in the folder that holds the content: places whose files
    came with the content, where a cache file could have been planted (`protected_top`)."""
    top = protected_top(content_root)
    for candidate in (Path(os.path.abspath(directory)), directory.resolve()):
        try:
            candidate.relative_to(top)
        except ValueError:
            continue
        return True
    return False


class FileCache:
    """The cache of one content folder for one run: entries read at `open`, written at `save`.

    `directory=None` keeps it in memory only (`playbook serve` keeps one across rebuilds)."""

    def __init__(self, directory: Path | None = None, *, persist: bool = True) -> None:
        self.directory = directory if directory is not None or not persist else cache_dir()
        self.path: Path | None = None
        self.stamp = ""
        self.entries: dict[str, tuple[str, bytes, bytes]] = {}  # rel -> (key, check without source, source)
        self.used: dict[str, tuple[str, bytes, bytes]] = {}
        self.changed = False
        self.hits = self.misses = 0

    def open(self, content_root: Path, shown_root: str) -> None:
        """Begin a run over `content_root` (its real path), whose files problems show as `shown_root/...`."""
        stamp = tool_fingerprint() + "\0" + shown_root
        if self.directory is not None and inside_work_tree(self.directory, content_root):
            self.directory = None  # in memory only: a pull request could have committed the cache file
        if self.directory is not None:
            name = hashlib.sha256(str(content_root).encode()).hexdigest()[:24]
            path = self.directory / f"validate-{name}.pickle"
            if path != self.path or stamp != self.stamp:
                self.path, self.entries = path, self._read(path, stamp)
        elif stamp != self.stamp:
            self.entries = {}
        self.stamp = stamp
        self.used = {}
        self.changed = False
        self.hits = self.misses = 0

    @staticmethod
    def _read(path: Path, stamp: str) -> dict[str, tuple[str, bytes, bytes]]:
        fd = open_regular(path)  # a link, a FIFO, a device or a folder is not opened (nor waited on)
        if fd is None:
            return {}
        try:
            with os.fdopen(fd, "rb") as stream:
                if not private(os.fstat(stream.fileno())) or not private(path.parent.stat()):
                    return {}  # someone else could have written it: it is not read
                data = pickle.load(stream)
            if not (isinstance(data, dict) and data.get("format") == FORMAT and data.get("stamp") == stamp):
                return {}
            entries = data["entries"]
            return entries if isinstance(entries, dict) else {}
        except Exception:  # noqa: BLE001 - a cache that cannot be read is no cache: every file is checked
            return {}

    @staticmethod
    def _key(rel: str, what: str, raw: bytes) -> str:
        return f"{what}\0{rel}\0{hashlib.sha256(raw).hexdigest()}"

    def get(self, rel: str, what: str, raw: bytes) -> FileCheck | None:
        key = self._key(rel, what, raw)
        entry = self.entries.get(rel)
        if entry is None or entry[0] != key:
            return None
        try:
            problems, warnings, value, links, path = pickle.loads(entry[1])
        except Exception:  # noqa: BLE001 - an entry that cannot be read is checked again
            return None
        self.hits += 1
        self.used[rel] = entry
        source = LazySource(path, entry[2]) if path is not None else None
        return FileCheck(problems, warnings, source, value, links)

    def put(self, rel: str, what: str, raw: bytes, check: FileCheck) -> None:
        self.misses += 1
        try:
            source = check.source
            blob = pickle.dumps(source, protocol=pickle.HIGHEST_PROTOCOL) if source is not None else b""
            path = source.path if source is not None else None
            rest = pickle.dumps(
                (check.problems, check.warnings, check.value, check.links, path), protocol=pickle.HIGHEST_PROTOCOL
            )
        except Exception:  # noqa: BLE001 - what cannot be kept is checked again next time
            return
        self.used[rel] = (self._key(rel, what, raw), rest, blob)
        self.changed = True

    def save(self) -> None:
        """Keep the entries of this run's files (the files that are gone are dropped); quietly
        does nothing when the cache folder cannot be written."""
        if not self.changed and self.used.keys() == self.entries.keys():
            return
        self.entries = self.used
        if self.path is None:
            return
        data = {"format": FORMAT, "stamp": self.stamp, "entries": self.entries}
        try:
            if not self.path.parent.is_dir():
                self.path.parent.mkdir(parents=True, mode=0o700)
                # Wherever $PLAYBOOK_CACHE_DIR points, git never picks the cache up.
                Folder(self.path.parent).write(
                    ".gitignore", b"# the validation cache of `playbook validate`\n*\n", exclusive=True
                )
            try:
                status = self.path.lstat()
            except FileNotFoundError:
                pass
            else:
                if not stat.S_ISREG(status.st_mode) or not private(status):
                    return  # a link, a FIFO, another's file: not the tool's to replace or write through
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".validate-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    pickle.dump(data, stream, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except (OSError, UsageError):
            pass


__all__ = [
    "FORMAT",
    "FileCache",
    "FileCheck",
    "LazySource",
    "cache_dir",
    "inside_work_tree",
    "private",
    "protected_top",
    "tool_fingerprint",
]
