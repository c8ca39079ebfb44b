"""Building the site safely: into a temporary directory next to the target, then swapped in, so a
failed build leaves the previous site exactly as it was."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..content import Loaded
from ..content.release import Release
from ..errors import BuildError, UsageError


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


def content_dir_of(config_file: Path, config: Any = None) -> Path:
    """The content directory the `playbook` plugin of this mkdocs.yml reads."""
    plugin = playbook_plugin(config if config is not None else load_config(config_file), config_file)
    return Path(config_file).resolve().parent / str(plugin.config.content)


def build_site(
    config_file: Path,
    *,
    site_dir: Path | None = None,
    strict: bool = True,
    config: Any = None,
    release: Release | None = None,
    loaded: Loaded | None = None,
    offline: bool = False,
) -> Path:
    """Build the site; the previous site is replaced only if the build succeeds.

    `config` is mkdocs.yml loaded already (it is loaded here otherwise); `release` makes it a release
    build of that version and `loaded` hands over content that was loaded and checked already.
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    config = config if config is not None else load_config(config_file, strict=strict)
    config.strict = strict
    target = Path(site_dir).resolve() if site_dir else Path(config.site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    plugin = playbook_plugin(config, config_file)
    plugin.release_info, plugin.preloaded, plugin.offline = release, loaded, offline
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
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return target


def swap(new: Path, target: Path) -> None:
    """Put `new` at `target`; the old content is removed only once the new one is in place."""
    if not target.exists():
        new.rename(target)
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
