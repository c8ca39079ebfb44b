"""Building the site safely: into a temporary directory next to the target, then swapped in, so a
failed build leaves the previous site exactly as it was."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..content import Loaded
from ..content.release import Release
from ..errors import BuildError, UsageError, shown_path
from ..files import Folder, LinkRefused
from ..site.provenance import Origin


def _ensure_docs_dir(config_file: Path) -> None:
    """Create the (empty) folder `docs_dir` names if it is missing.

    The playbook's pages come from the content, so docs/ often holds no file, and git does not keep
    an empty folder: a fresh clone, a CI checkout or the tree `playbook publish` takes from a commit
    would have none, and MkDocs refuses a missing docs_dir.
    """
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml may use tags (!ENV, !relative, python/name:...): their values do not matter here.
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return  # MkDocs reports it
    docs_dir = data.get("docs_dir", "docs") if isinstance(data, dict) else "docs"
    if not isinstance(docs_dir, str) or not docs_dir:
        return
    if Path(docs_dir).is_absolute():
        return  # somewhere else on this machine: not ours to create
    base = config_file.parent.resolve()
    folder = (base / docs_dir).resolve()
    if not folder.exists() and folder.is_relative_to(base):
        folder.mkdir(parents=True)


def load_config(config_file: Path, **overrides: Any) -> Any:
    """mkdocs.yml as MkDocs reads it (plugins loaded); a configuration error is a usage error."""
    from mkdocs.config import load_config as mkdocs_load_config
    from mkdocs.exceptions import ConfigurationError

    _ensure_docs_dir(Path(config_file))
    try:
        return mkdocs_load_config(str(config_file), **overrides)
    except ConfigurationError as error:
        raise UsageError(f"{config_file}: {error}") from None


def playbook_plugin(config: Any, config_file: Path) -> Any:
    """The `playbook` plugin of a loaded configuration."""
    plugin = config.plugins.get("playbook")
    if plugin is None:
        raise UsageError(f"{config_file} does not enable the `playbook` plugin; add `- playbook` under `plugins:`")
    return plugin


def build_site(
    config_file: Path,
    *,
    site_dir: Path | None = None,
    strict: bool = True,
    config: Any = None,
    release: Release | None = None,
    loaded: Loaded | None = None,
    offline: bool = False,
    origin: Origin | None = None,
) -> Path:
    """Build the site; the previous site is replaced only if the build succeeds.

    `config` is mkdocs.yml loaded already (it is loaded here otherwise); `release` makes it a release
    build of that version and `loaded` hands over content that was loaded and checked already.
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    config = config if config is not None else load_config(config_file, strict=strict)
    config.strict = strict
    target = (
        Path(os.path.abspath(site_dir)) if site_dir else Path(config.site_dir)
    )  # never resolved: staging_for checks each name
    plugin = playbook_plugin(config, config_file)
    plugin.release_info, plugin.preloaded, plugin.offline, plugin.origin = release, loaded, offline, origin
    with staging_for(target, within=Path(os.path.abspath(config_file)).parent) as staging:
        try:
            config.site_dir = str(staging)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                build(config)
            except MkDocsException as error:
                raise BuildError(f"the site was not built: {error}; the previous site was left as it was") from None
            finally:
                config.plugins.on_shutdown()
            swap(staging, target)
        finally:
            config.site_dir = str(target)
            # MkDocs keeps the plugin's instance for the whole process: what was handed to this build
            # (its content, its release, offline) must not be read by the next one.
            plugin.release_info, plugin.preloaded, plugin.offline, plugin.origin = None, None, False, None
    return target


# --- the swap: a complete site at every instant ------------------------------------------------------
# The site is built into `.site-building-XXXX` beside `site/`, then exchanged with `site/` in one
# step (renameat2's RENAME_EXCHANGE on Linux, renamex_np's RENAME_SWAP on macOS): at every instant
# `site/` is a real folder holding a complete site, the old one or the new one. The old site, now at
# the building folder's name, is renamed `.site-old-XXXX` and removed. A run killed on the way leaves
# such folders behind; the next build removes them (the `-building-` ones only when no other build
# is running: each build holds a shared lock on the folder of `site/`). Where no exchange exists
# (another system, a file system without it) the old site is renamed away and the new one into its
# place, and a run killed between the two leaves no `site/` until the next build.


def _leftovers(target: Path, kind: str) -> list[Path]:
    prefix = f".{target.name}-{kind}-"
    try:
        return [entry for entry in target.parent.iterdir() if entry.name.startswith(prefix) and not entry.is_symlink()]
    except OSError:
        return []


def _lock(fd: int, exclusive: bool) -> bool:
    """flock on the folder of the site (shared while a build runs; exclusive to clean up)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return False
    try:
        fcntl.flock(fd, (fcntl.LOCK_EX | fcntl.LOCK_NB) if exclusive else fcntl.LOCK_SH)
    except OSError:
        return False
    return True


def clean_leftovers(target: Path, fd: int | None) -> None:
    """Remove what killed runs left beside `target`: old sites always, unfinished builds when no other
    build holds the lock. A missing site whose old one is left (a kill between the two renames of the
    fallback) gets it back first."""
    old = _leftovers(target, "old")
    if not os.path.lexists(target) and len(old) == 1 and (old[0] / "index.html").is_file():
        old[0].rename(target)
        old = []
    for folder in old:
        shutil.rmtree(folder, ignore_errors=True)
    if fd is not None and _lock(fd, exclusive=True):
        for folder in _leftovers(target, "building"):
            shutil.rmtree(folder, ignore_errors=True)
    if fd is not None:
        _lock(fd, exclusive=False)


@contextmanager
def staging_for(target: Path, *, within: Path | None = None) -> Iterator[Path]:
    """A new folder beside `target` to build the site into, removed afterwards unless it was swapped in.
    `target` (and every folder on its way beneath `within`, the repository) may not be a link."""
    with Folder.at(target, within) as folder:
        folder.check(file=False)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd: int | None = os.open(target.parent, os.O_RDONLY)
    except OSError:  # pragma: no cover - a folder that cannot be opened (Windows)
        fd = None
    try:
        clean_leftovers(target, fd)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
        try:
            yield staging
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    finally:
        if fd is not None:
            os.close(fd)


_EXCHANGE: list[Any] = []


def _exchange_call() -> Any:
    """renameat2 (Linux) or renamex_np (macOS) from the C library, or None."""
    if not _EXCHANGE:
        found: Any = None
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            renameat2 = getattr(libc, "renameat2", None)
            renamex_np = getattr(libc, "renamex_np", None)
            if renameat2 is not None:
                found = lambda a, b: renameat2(-100, a, -100, b, 2)  # noqa: E731 - AT_FDCWD, RENAME_EXCHANGE
            elif renamex_np is not None:  # pragma: no cover - macOS
                found = lambda a, b: renamex_np(a, b, 2)  # noqa: E731 - RENAME_SWAP
        except Exception:  # noqa: BLE001 - pragma: no cover - no C library to load (Windows): two renames
            found = None
        _EXCHANGE.append(found)
    return _EXCHANGE[0]


def exchange(first: Path, second: Path) -> bool:
    """Exchange the two folders in one step; False where the system (or the file system) cannot."""
    call = _exchange_call()
    if call is None:
        return False
    import ctypes

    if call(os.fsencode(first), os.fsencode(second)) == 0:
        return True
    number = ctypes.get_errno()
    if number in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(number, os.strerror(number), str(second))


def swap(new: Path, target: Path) -> None:
    """Put `new` at `target`, a complete site at every instant where the system can exchange two
    folders; the old content is removed once the new one is in place."""
    if target.is_symlink():
        raise LinkRefused(f"{shown_path(str(target))} is a symbolic link, and playbook writes nothing through a link: remove it")
    if not os.path.lexists(target):
        new.rename(target)
        return
    if exchange(new, target):
        old = new.with_name(f".{target.name}-old-{new.name.rsplit('-', 1)[-1]}")
        new.rename(old)
        shutil.rmtree(old, ignore_errors=True)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
    old.rmdir()
    target.rename(old)
    try:
        new.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)
