"""Writing and removing files beneath a folder, never through a symbolic link.

Every writer of the tool (`generate` and the Zensical project, `build`'s site, `codeowners`,
`schema`, `export`, `init`, `fix`) writes through a `Folder`: a base folder the user named (or the
repository's own root) and, beneath it, names that are each checked. A pull request can commit a
link anywhere in the repository (`schema -> /home/you`, `.playbook/zensical/docs -> ..`), so no
name beneath the base may be a link: a folder on the way is opened relative to its parent with
O_NOFOLLOW (a link there fails, also one that appears meanwhile), a file is created beside its
target and renamed over it, and a link where a file would go is refused, never replaced or
followed. The tool creates no link, so every link it meets is someone else's: it stops with one
line that names it (`LinkRefused`, exit 2) before writing anything.

The base is never found by resolving a path: the repository's root is the working folder or the
nearest folder with `.git` above the path as written (`repository_base`), and a content folder that
is a link or lies through one is refused by the writers that write in it or beside it (`fix`,
`codeowners`: `content_folder`), so `content -> ../victim/content` leads them nowhere.

Where the system has no `dir_fd` (Windows), each name is checked with lstat instead.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path, PurePosixPath
from types import TracebackType

from .errors import UsageError, printable, shown_path

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | getattr(os, "O_BINARY", 0)
_READ_FILE = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC | getattr(os, "O_BINARY", 0)
AT = all(call in os.supports_dir_fd for call in (os.open, os.mkdir, os.rename, os.unlink, os.stat))


class LinkRefused(UsageError):
    """A name the tool would write, read back or remove is a symbolic link (or not the kind of entry it
    must be): nothing is written through it."""


def _link_message(shown: str) -> str:
    return (
        f"{printable(shown)} is a symbolic link, and playbook writes nothing through a link (it could lead out"
        " of the folder): remove the link, or replace it with a real folder or file"
    )


def _parts(rel: str | PurePosixPath) -> tuple[str, ...]:
    parts = PurePosixPath(rel).parts
    if any(part in ("", ".", "..") or "/" in part or "\\" in part for part in parts) or PurePosixPath(rel).is_absolute():
        raise UsageError(f"`{printable(str(rel))}` is not a path inside the folder")
    return parts


class Folder:
    """The folder `base`/`sub`, where the tool writes, reads back and removes files by relative paths.

    `base` is trusted (the user named it, or it is the repository's root); every name of `sub` and of
    each path beneath it must be a real folder or file, never a link. Use it as a context manager
    (it keeps the folders it opened until it is closed)."""

    def __init__(self, base: Path, sub: str | PurePosixPath = "") -> None:
        self.base = Path(base)
        self.sub = _parts(sub) if str(sub) not in ("", ".") else ()
        self._fds: dict[tuple[str, ...], int] = {}

    @classmethod
    def at(cls, path: Path, within: Path | None = None) -> Folder:
        """The folder `path`: beneath `within` (the repository) when it lies there, else beneath the
        working folder when it is relative, else beneath its own parent (the user named it)."""
        if within is not None:
            try:
                rel = Path(os.path.abspath(path)).relative_to(os.path.abspath(within))
            except ValueError:
                pass
            else:
                return cls(Path(within), PurePosixPath(rel.as_posix()))
        if not path.is_absolute() and ".." not in path.parts:
            return cls(Path("."), PurePosixPath(path.as_posix()))
        absolute = Path(os.path.abspath(path))
        return cls(absolute.parent, absolute.name) if absolute.name else cls(absolute)

    def __enter__(self) -> Folder:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    @property
    def path(self) -> Path:
        return self.base.joinpath(*self.sub)

    def shown(self, rel: str | tuple[str, ...] = "") -> str:
        parts = _parts(rel) if isinstance(rel, str) and rel else rel if isinstance(rel, tuple) else ()
        return shown_path(os.path.abspath(self.base.joinpath(*self.sub, *parts)))

    # --- the folders on the way ----------------------------------------------------------------------

    def _refuse(self, parts: tuple[str, ...], status: os.stat_result | None, what: str) -> LinkRefused:
        shown = shown_path(os.path.abspath(self.base.joinpath(*parts)))
        if status is not None and stat.S_ISLNK(status.st_mode):
            return LinkRefused(_link_message(shown))
        return LinkRefused(f"{printable(shown)} is not a {what}: move it away, and run the command again")

    def _folder_fd(self, parts: tuple[str, ...], create: bool) -> int | None:
        """The folder base/parts opened (links refused), created when `create`; None when missing."""
        if parts in self._fds:
            return self._fds[parts]
        if not parts:
            if create:
                self.base.mkdir(parents=True, exist_ok=True)
            try:
                fd = os.open(self.base, _DIR_FLAGS)
            except FileNotFoundError:
                return None
        else:
            parent = self._folder_fd(parts[:-1], create)
            if parent is None:
                return None
            name = parts[-1]
            try:
                fd = os.open(name, _DIR_FLAGS | _NOFOLLOW, dir_fd=parent)
            except FileNotFoundError:
                if not create:
                    return None
                try:
                    os.mkdir(name, 0o777, dir_fd=parent)
                except FileExistsError:
                    pass  # a link to nowhere, made meanwhile: the open below refuses it
                try:
                    fd = os.open(name, _DIR_FLAGS | _NOFOLLOW, dir_fd=parent)
                except OSError:
                    raise self._refuse(parts, self._lstat(parent, name), "folder") from None
            except OSError:  # a link (ELOOP), a file (ENOTDIR)
                raise self._refuse(parts, self._lstat(parent, name), "folder") from None
        self._fds[parts] = fd
        return fd

    @staticmethod
    def _lstat(folder: int, name: str) -> os.stat_result | None:
        try:
            return os.stat(name, dir_fd=folder, follow_symlinks=False)
        except OSError:
            return None

    def _checked_path(self, parts: tuple[str, ...], create: bool) -> Path | None:  # pragma: no cover - no dir_fd
        folder = self.base
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        for index, part in enumerate(parts):
            folder = folder / part
            if create and not os.path.lexists(folder):
                folder.mkdir()
            try:
                status = folder.lstat()
            except FileNotFoundError:
                return None
            if not stat.S_ISDIR(status.st_mode):
                raise self._refuse(parts[: index + 1], status, "folder")
        return folder

    def _place(self, rel: str, create: bool) -> tuple[int | Path | None, str, tuple[str, ...]]:
        parts = (*self.sub, *_parts(rel))
        if AT:
            return self._folder_fd(parts[:-1], create), parts[-1], parts
        return self._checked_path(parts[:-1], create), parts[-1], parts  # pragma: no cover - no dir_fd

    def _status(self, folder: int | Path, name: str) -> os.stat_result | None:
        if isinstance(folder, int):
            return self._lstat(folder, name)
        try:  # pragma: no cover - no dir_fd
            return (folder / name).lstat()
        except OSError:  # pragma: no cover
            return None

    # --- what the writers call -------------------------------------------------------------------------

    def check(self, rel: str = "", *, file: bool | None = True) -> os.stat_result | None:
        """What is at `rel` (None when nothing is): LinkRefused when it or a folder on its way is a link,
        or it is not a file (`file`), a folder (not `file`) or either (`file=None`)."""
        parts = (*self.sub, *_parts(rel)) if rel else self.sub
        if not parts:
            return None  # the base: the user named it
        folder = self._folder_fd(parts[:-1], False) if AT else self._checked_path(parts[:-1], False)
        name = parts[-1]
        if folder is None:
            return None
        status = self._status(folder, name)
        if status is None:
            return None
        kinds = {True: (stat.S_ISREG,), False: (stat.S_ISDIR,), None: (stat.S_ISREG, stat.S_ISDIR)}[file]
        if not any(wanted(status.st_mode) for wanted in kinds):
            raise self._refuse(parts, status, {True: "file", False: "folder", None: "file or folder"}[file])
        return status

    def read(self, rel: str) -> bytes | None:
        """The bytes of the file at `rel`, None when there is none (links refused)."""
        folder, name, parts = self._place(rel, create=False)
        if folder is None:
            return None
        status = self._status(folder, name)
        if status is None:
            return None
        if not stat.S_ISREG(status.st_mode):
            raise self._refuse(parts, status, "file")
        fd = os.open(name, _READ_FILE, dir_fd=folder) if isinstance(folder, int) else os.open(folder / name, _READ_FILE)
        with os.fdopen(fd, "rb") as stream:
            return stream.read()

    def write(self, rel: str, data: bytes, *, mode: int = 0o644, exclusive: bool = False) -> None:
        """`data` at `rel`, whole or not at all (a new file beside it renamed over it); the folders on the
        way are created. `exclusive`: FileExistsError when something is there already."""
        folder, name, parts = self._place(rel, create=True)
        assert folder is not None
        status = self._status(folder, name)
        if status is not None and (exclusive or not stat.S_ISREG(status.st_mode)):
            if exclusive and stat.S_ISREG(status.st_mode):
                raise FileExistsError(0, "exists already", self.shown(parts[len(self.sub) :]))
            raise self._refuse(parts, status, "file")
        temporary = name if exclusive else f".{name}.{secrets.token_hex(6)}.tmp"
        if isinstance(folder, int):
            fd = os.open(temporary, _NEW_FILE, 0o600, dir_fd=folder)
        else:  # pragma: no cover - no dir_fd
            fd = os.open(folder / temporary, _NEW_FILE, 0o600)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                if hasattr(os, "fchmod"):
                    os.fchmod(out.fileno(), mode)
            if not exclusive:
                if isinstance(folder, int):
                    os.rename(temporary, name, src_dir_fd=folder, dst_dir_fd=folder)
                else:  # pragma: no cover - no dir_fd
                    os.replace(folder / temporary, folder / name)
        except BaseException:
            self._unlink(folder, temporary)
            raise

    def remove(self, rel: str) -> bool:
        """Remove the file at `rel`; False when there is none (or a folder is there). A link is refused."""
        folder, name, parts = self._place(rel, create=False)
        if folder is None:
            return False
        status = self._status(folder, name)
        if status is None or stat.S_ISDIR(status.st_mode):
            return False
        if not stat.S_ISREG(status.st_mode):
            raise self._refuse(parts, status, "file")
        self._unlink(folder, name)
        return True

    @staticmethod
    def _unlink(folder: int | Path, name: str) -> None:
        try:
            if isinstance(folder, int):
                os.unlink(name, dir_fd=folder)
            else:  # pragma: no cover - no dir_fd
                (folder / name).unlink()
        except FileNotFoundError:
            pass


def repository_base(path: Path) -> Path:
    """The trusted base of a repository's folder `path`, found from the path as written (never resolved:
    a link on the way must not move it): the working folder when `path` lies beneath it (the user ran
    the command there), else the nearest folder above `path` with a `.git` entry, else `path`'s parent."""
    absolute = Path(os.path.abspath(path))
    here = Path(os.path.abspath("."))
    if absolute != here and absolute.is_relative_to(here):
        return here
    for folder in absolute.parents:
        if os.path.lexists(folder / ".git"):
            return folder
    return absolute.parent


def content_folder(content_dir: Path) -> Folder:
    """The content folder as a `Folder` beneath its repository (`repository_base`), for the writers that
    write in it or beside it: LinkRefused when it is a link or lies through one (a committed
    `content -> ../other/content` would have them write in another repository)."""
    folder = Folder.at(content_dir, repository_base(content_dir))
    try:
        folder.check(file=False)
    except BaseException:
        folder.close()
        raise
    return folder


def file_mode() -> int:
    """The mode a new file gets from open(): 0666 less the umask (0644 under the usual 022)."""
    umask = os.umask(0o022)  # the umask is read by setting it; put back at once
    os.umask(umask)
    return 0o666 & ~umask


def open_regular(path: Path) -> int | None:
    """`path` opened for reading only when it is a regular file itself (not a link, a FIFO, a device
    or a folder): never blocks, never follows a link. None for anything else or an error."""
    try:
        fd = os.open(path, _READ_FILE)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            return None
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
    except OSError:
        os.close(fd)
        return None
    return fd


__all__ = ["AT", "Folder", "LinkRefused", "content_folder", "file_mode", "open_regular", "repository_base"]
