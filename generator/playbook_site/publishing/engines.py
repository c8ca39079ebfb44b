"""The engines that build a playbook's site: MkDocs (with the `playbook` plugin) or Zensical (from the
standalone project `playbook generate` writes). Each builds into a temporary folder that is swapped
in only when the build succeeded.

The engine is a setting: `engine: zensical` under the `playbook` plugin in mkdocs.yml, or
`--engine` on `playbook build`, `serve` and `publish`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import yaml

from ..content import Loaded, load_all
from ..content.release import Release, release_problems, source_locate
from ..errors import BuildError, ContentError, UsageError, printable
from ..files import Folder, file_mode
from ..site import csp
from ..site.incremental import Memo
from ..site.project import Options, Project, build_project
from ..site.provenance import Origin
from ..site.render import repository_templates
from ..site.standalone import MANIFEST_FILE, hand_written_pages, project_files
from ..text import plural
from .build import build_site, staging_for, swap
from .history import worktree_origin

ENGINES = ("mkdocs", "zensical")
WORK_DIR = ".playbook"  # beside mkdocs.yml: the Zensical project and its cache (git-ignored)


# --- mkdocs.yml as data ----------------------------------------------------------------------------


def raw_config(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data (tags such as !ENV read as null): what the standalone project carries over."""

    class _Loader(yaml.SafeLoader):
        pass

    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Loader)
    except FileNotFoundError:
        raise UsageError(
            f"{config_file} does not exist; run the command in the playbook repository or pass -f mkdocs.yml"
        ) from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise UsageError(f"{config_file} cannot be read: {error}") from None
    return data if isinstance(data, dict) else {}


@dataclass(frozen=True)
class Settings:
    """The `playbook` plugin's settings, read from mkdocs.yml without MkDocs."""

    root: Path  # the folder of mkdocs.yml
    content: Path
    templates: Path | None
    engine: str
    docs_dir: Path
    directory_urls: bool
    release: bool = False  # `release: true`: every build and `generate` leave drafts out, as a published version does


def settings_of(config_file: Path, data: dict[str, Any] | None = None) -> Settings:
    data = data if data is not None else raw_config(config_file)
    options: dict[str, Any] = {}
    for entry in data.get("plugins") or []:
        if entry == "playbook":
            break
        if isinstance(entry, dict) and "playbook" in entry:
            options = entry["playbook"] or {}
            break
    else:
        raise UsageError(f"{config_file} does not enable the `playbook` plugin; add `- playbook` under `plugins:`")
    root = Path(os.path.abspath(config_file)).parent  # as named, never resolved: a linked mkdocs.yml must not move the writes
    engine = str(options.get("engine", "mkdocs"))
    if engine not in ENGINES:
        raise UsageError(f"{config_file}: the playbook plugin's `engine` is `{engine}`; use one of: {', '.join(ENGINES)}")
    release = options.get("release", False)
    if not isinstance(release, bool):
        raise UsageError(f"{config_file}: the playbook plugin's `release` is `{release}`; use true or false")
    return Settings(
        root=root,
        content=root / str(options.get("content", "content")),
        templates=repository_templates(root, str(options["templates"]) if options.get("templates") else None),
        engine=engine,
        docs_dir=root / str(data.get("docs_dir", "docs")),
        directory_urls=bool(data.get("use_directory_urls", True)),
        release=release,
    )


# --- writing a project: only what changed ----------------------------------------------------------


@dataclass(frozen=True)
class Synced:
    written: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: int


def _owned(listed_bytes: bytes | None) -> set[str]:
    """The files an earlier sync wrote, as its manifest lists them: only paths inside the folder (a
    manifest that is not a list of such paths owns nothing, so nothing else is ever removed)."""
    try:
        listed = json.loads(listed_bytes or b"")
    except ValueError:
        return set()
    if not isinstance(listed, list):
        return set()
    return {
        rel
        for rel in listed
        if isinstance(rel, str)
        and rel
        and "\\" not in rel
        and not PurePosixPath(rel).is_absolute()
        and not PureWindowsPath(rel).drive
        and ".." not in PurePosixPath(rel).parts
        and "." not in PurePosixPath(rel).parts
        and "" not in rel.split("/")
    }


def _listed(names: list[str], limit: int = 5) -> str:
    shown = ", ".join(printable(name) for name in names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def sync(out_dir: Path, files: dict[str, bytes], *, within: Path | None = None) -> Synced:
    """Write `files` into `out_dir`: only the files whose bytes changed, each atomically; files written
    by an earlier sync and no longer part of the project are removed (the manifest says which). Any
    other file in `out_dir` is left alone, and never replaced: a file the manifest does not list whose
    bytes differ stops the sync before anything is written, as does a link anywhere on the way
    (`out_dir` beneath `within`, the repository, is checked from there; see `files.Folder`)."""
    with Folder.at(out_dir, within) as folder:
        folder.check(file=False)
        before = _owned(folder.read(MANIFEST_FILE))
        changed: list[str] = []
        theirs: list[str] = []
        unchanged = 0
        for rel, data in files.items():
            current = folder.read(rel)
            if current == data:
                unchanged += 1
                continue
            if current is not None and rel not in before:
                theirs.append(rel)
            changed.append(rel)
        if theirs:
            raise UsageError(
                f"{folder.shown()} holds {plural(len(theirs), 'file')} that playbook did not write, so it wrote nothing"
                f" (nothing of yours is replaced): {_listed(theirs)}; move them away, or write the project to a folder"
                " of its own"
            )
        stale = [rel for rel in sorted(before - set(files) - {MANIFEST_FILE}) if folder.check(rel, file=None) is not None]
        mode = file_mode()
        for rel in changed:
            folder.write(rel, files[rel], mode=mode)
        removed = [rel for rel in stale if folder.remove(rel)]
        listing = (json.dumps(sorted(files), indent=0) + "\n").encode("utf-8")
        if folder.read(MANIFEST_FILE) != listing:
            folder.write(MANIFEST_FILE, listing, mode=mode)
    return Synced(tuple(changed), tuple(removed), unchanged)


def release_build(settings: Settings, loaded: Loaded, *, today: date) -> Release | None:
    """With `release: true`, a release build without a version (drafts left out, no "What changed"),
    as the MkDocs plugin builds one; refused, every reference located, when a published definition
    refers to a draft. None for an ordinary build."""
    if not settings.release:
        return None
    shown = str(settings.content).rstrip("/\\") or "."  # as the loader shows its paths
    problems = release_problems(loaded.playbook, source_locate(loaded.playbook, loaded.sources, lambda rel: f"{shown}/{rel}"))
    if problems:
        raise ContentError(problems)
    return Release("", "", today)


def standalone(
    settings: Settings,
    base: dict[str, Any],
    loaded: Loaded,
    *,
    today: date,
    release: Release | None = None,
    pages: Project | None = None,
    origin: Origin | None = None,
    memo: Memo | None = None,
) -> tuple[Project, dict[str, bytes]]:
    """The site project of a playbook repository as the files of a standalone project. Without a
    `release` (the one `playbook publish` describes), `release: true` in the settings makes it one.
    `memo` (`playbook serve`) keeps the last render's pages: only those whose reads changed render."""
    if pages is None and release is None:
        release = release_build(settings, loaded, today=today)
    project = pages or build_project(
        loaded.playbook,
        Options(
            directory_urls=settings.directory_urls,
            templates_dir=settings.templates,
            today=today,
            release=release,
            origin=origin or default_origin(settings),
            memo=memo,
        ),
    )
    return project, project_files(project, base=base, hand_written=hand_written_pages(settings.docs_dir))


# --- Zensical -------------------------------------------------------------------------------------


def zensical_command() -> list[str]:
    """How to run Zensical: the `zensical` module of this Python (the optional extra `zensical`)."""
    try:
        import zensical  # noqa: F401
    except ImportError:
        raise UsageError(
            "the Zensical engine is not installed: `pip install 'playbook-site[zensical]'` (it needs Python 3.11"
            " or newer), or build with the MkDocs engine (`--engine mkdocs`)"
        ) from None
    return [sys.executable, "-m", "zensical"]


def zensical_reason(output: str) -> str:
    """What Zensical said went wrong: the message of the exception it ended with, without its
    traceback (the user needs the reason, not Zensical's call stack); else all it printed."""
    output = output.strip()
    if "Traceback (most recent call last):" in output:
        for line in reversed(output.splitlines()):
            found = re.match(r"(?:[A-Za-z_][\w.]*(?:Error|Exception)): (.+)", line)
            if found:
                return found.group(1).strip()
    return output or "it printed nothing"


def zensical_build(project_dir: Path, *, strict: bool = True) -> Path:
    """`zensical build` in a standalone project; its site folder (inside the project, as Zensical requires)."""
    command = [*zensical_command(), "build", "-f", "mkdocs.yml", *(["--strict"] if strict else [])]
    result = subprocess.run(command, cwd=project_dir, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildError(
            f"Zensical did not build the site: {zensical_reason(result.stderr or result.stdout)}\n"
            "The previous site was left as it was"
        )
    site = project_dir / "site"
    if not (site / "index.html").is_file():
        raise BuildError("Zensical finished without writing index.html; the previous site was left as it was")
    return site


def add_policies(site: Path, *, strict: bool = True) -> int:
    """The Content-Security-Policy on every HTML page of a built site (what the MkDocs plugin does per
    page). An inline script that is not the theme's is blocked by the policy; `strict` refuses the build."""
    count = 0
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        unknown = csp.unknown_scripts(html)
        if unknown and strict:
            raise BuildError(csp.unknown_message(page.relative_to(site).as_posix(), unknown))
        with_policy = csp.add_policy(html)
        if with_policy != html:
            page.write_text(with_policy, encoding="utf-8")
            count += 1
    return count


def build_with_zensical(
    config_file: Path,
    *,
    site_dir: Path | None = None,
    strict: bool = True,
    today: date,
    release: Release | None = None,
    loaded: Loaded | None = None,
    work_dir: Path | None = None,
    origin: Origin | None = None,
) -> Path:
    """The site built by Zensical from the standalone project, swapped into `site_dir` when it succeeded."""
    base = raw_config(config_file)
    settings = settings_of(config_file, base)
    loaded = loaded or load_all(settings.content, today=today)
    project, files = standalone(settings, base, loaded, today=today, release=release, origin=origin)
    if project.problems:
        raise BuildError("; ".join(problem.message for problem in project.problems))
    project_dir = work_dir or settings.root / WORK_DIR / "zensical"
    sync(project_dir, files, within=settings.root)
    with Folder.at(project_dir, settings.root) as folder:
        for written_by_zensical in ("site", ".cache"):  # a link there would have Zensical write through it
            folder.check(written_by_zensical, file=False)
    built = zensical_build(project_dir, strict=strict)
    add_policies(built, strict=strict)
    target = Path(os.path.abspath(site_dir)) if site_dir else settings.root / str(base.get("site_dir", "site"))
    with staging_for(target, within=settings.root) as staging:
        shutil.copytree(built, staging, dirs_exist_ok=True)
        swap(staging, target)
    return target


def build_with_engine(
    config_file: Path,
    *,
    engine: str | None = None,
    site_dir: Path | None = None,
    strict: bool = True,
    today: date,
    release: Release | None = None,
    loaded: Loaded | None = None,
    config: Any = None,
    offline: bool = False,
    origin: Origin | None = None,
) -> Path:
    """Build the site with the engine asked for (or the one mkdocs.yml names). `origin` says where the
    content is kept and when its files last changed (read from the working tree's git history when not given)."""
    settings = settings_of(config_file)
    chosen = engine or settings.engine
    origin = origin or worktree_origin(settings.content) or default_origin(settings)
    if chosen == "zensical":
        if offline:
            raise UsageError("--offline builds with the MkDocs engine only: drop --offline, or use --engine mkdocs")
        return build_with_zensical(
            config_file, site_dir=site_dir, strict=strict, today=today, release=release, loaded=loaded, origin=origin
        )
    return build_site(
        config_file,
        site_dir=site_dir,
        strict=strict,
        config=config,
        release=release,
        loaded=loaded,
        offline=offline,
        origin=origin,
    )


def default_origin(settings: Settings) -> Origin:
    """Without git: the content folder's place beside mkdocs.yml, and no dates."""
    return Origin(Path(os.path.relpath(settings.content, settings.root)).as_posix())
