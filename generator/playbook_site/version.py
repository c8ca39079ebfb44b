"""The version of playbook-site: the one in pyproject.toml, its one home, read from the source tree's
pyproject.toml when the package runs from a checkout (an editable install included, so a bump is
seen without reinstalling), else from the installed distribution's metadata.
"""

from __future__ import annotations

import re
from pathlib import Path

DISTRIBUTION = "playbook-site"


def _version() -> str:
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        text = ""
    project = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if project and re.search(rf'^name\s*=\s*"{re.escape(DISTRIBUTION)}"\s*$', project.group(1), re.M):
        found = re.search(r'^version\s*=\s*"([^"]+)"\s*$', project.group(1), re.M)
        if found:
            return found.group(1)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "0+unknown"


__version__ = _version()


# --- where the running tool was installed from -----------------------------------------------------
#
# pip records how it installed a distribution from anything but an index in the distribution's own
# `direct_url.json` (PEP 610): a VCS URL and the commit, an archive URL and its hash, or a local folder.
# No record means an install from a package index. `playbook --version` shows the source; `playbook
# init` writes automation that installs the tool from the same source.

_VERSION_SPEC = re.compile(r"[0-9]+(?:\.[0-9]+)*(?:(?:a|b|rc|\.post|\.dev)[0-9]+)*")
# What a tool source may hold: what versions, URLs and requirements need, and nothing a shell or YAML reads.
_REQUIREMENT_TEXT = re.compile(r"[A-Za-z0-9._~:/?#\[\]@!*+,=%<> -]+")


class ToolSource:
    """Where the tool comes from: `requirement` is what pip installs it with (None when the source is
    on this machine only, `local` then says where), `described` is said to a person."""

    def __init__(self, requirement: str | None, described: str, local: str | None = None) -> None:
        self.requirement, self.described, self.local = requirement, described, local

    def __repr__(self) -> str:
        return f"ToolSource({self.requirement!r}, {self.described!r}, local={self.local!r})"


def _from_file_url(url: str) -> str | None:
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    return unquote(parts.path) if parts.scheme == "file" else None


def source_from_direct_url(record: dict[str, object] | None, version: str) -> ToolSource:
    """The source a PEP 610 record (None: no record, an index install) stands for."""
    if record is None:
        return ToolSource(f"{DISTRIBUTION}=={version}", f"from the package index ({DISTRIBUTION}=={version})")
    url = str(record.get("url", ""))
    subdirectory = str(record.get("subdirectory") or "")
    fragment = f"#subdirectory={subdirectory}" if subdirectory else ""
    local = _from_file_url(url)
    vcs = record.get("vcs_info")
    if isinstance(vcs, dict):
        commit = str(vcs.get("commit_id", ""))
        tag = str(vcs.get("requested_revision") or "")
        kind = str(vcs.get("vcs", "git"))
        at = f" at {tag}" if tag and tag != commit else ""
        if local is not None:
            return ToolSource(None, f"from the {kind} repository {local}{at} (commit {commit[:12]}) on this machine", local)
        return ToolSource(f"{DISTRIBUTION} @ {kind}+{url}@{commit}{fragment}", f"from {kind}+{url}{at} (commit {commit[:12]})")
    archive = record.get("archive_info")
    if isinstance(archive, dict):
        if local is not None:
            return ToolSource(None, f"from the file {local} on this machine", local)
        hashes = archive.get("hashes")
        sha256 = hashes.get("sha256") if isinstance(hashes, dict) else None
        if sha256 is None and str(archive.get("hash", "")).startswith("sha256="):
            sha256 = str(archive["hash"]).partition("=")[2]
        pinned = f"#sha256={sha256}" if sha256 and not fragment else fragment
        return ToolSource(f"{DISTRIBUTION} @ {url}{pinned}", f"from {url}")
    folder = local if local is not None else url
    dir_info = record.get("dir_info")
    editable = isinstance(dir_info, dict) and bool(dir_info.get("editable"))
    return ToolSource(None, f"from the folder {folder}{' (editable)' if editable else ''} on this machine", folder)


def installed_source() -> ToolSource:
    """The source of the running tool, from its installation's record."""
    import json
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        dist = distribution(DISTRIBUTION)
    except PackageNotFoundError:
        source_folder = str(Path(__file__).resolve().parents[2])
        return ToolSource(None, f"from the source folder {source_folder}, not installed", source_folder)
    here = Path(__file__).resolve()
    located = Path(str(dist.locate_file(""))).resolve()
    text = dist.read_text("direct_url.json")
    record = None
    if text:
        try:
            loaded = json.loads(text)
        except ValueError:
            loaded = None
        record = loaded if isinstance(loaded, dict) else None
    source = source_from_direct_url(record, dist.version)
    if record is None and located not in here.parents:  # metadata of another copy than the one running
        folder = str(here.parents[2])
        return ToolSource(None, f"from the folder {folder}, not the installed copy", folder)
    return source


def requirement_from_option(text: str) -> str:
    """What `--tool-source` names, as a pip requirement: a version (`0.3.0`, from the package index), a
    URL (`git+https://host/org/playbook-site@v0.3.0`, `https://host/playbook_site-0.3.0-py3-none-any.whl`)
    or a requirement of the distribution (`playbook-site==0.3.0`, `playbook-site @ URL`). ValueError
    saying what is accepted for anything else, and for paths on this machine."""
    value = text.strip()
    accepted = (
        "give a version (0.3.0), a URL (git+https://HOST/ORG/playbook-site@v0.3.0, https://HOST/playbook_site-0.3.0-"
        "py3-none-any.whl) or a requirement (playbook-site==0.3.0)"
    )
    if not value or not _REQUIREMENT_TEXT.fullmatch(value) or value.startswith("-"):
        raise ValueError(f"--tool-source {text!r} is not a source pip can install from: {accepted}")
    if _VERSION_SPEC.fullmatch(value):
        return f"{DISTRIBUTION}=={value}"
    name = re.match(r"[A-Za-z0-9._-]+", value)
    if re.match(r"(git\+)?https://[^\s@/]+/", value) and " " not in value:
        return f"{DISTRIBUTION} @ {value}"
    if re.match(r"(git\+)?(file:|/|\.)", value) or "file:" in value:
        raise ValueError(
            f"--tool-source {text!r} is on this machine, where the workflows on GitHub and the other editors' machines"
            f" cannot install from: {accepted}"
        )
    if name and re.sub(r"[-_.]+", "-", name.group().lower()) == DISTRIBUTION:
        rest = value[name.end() :].strip()
        if re.fullmatch(r"(\[[a-z0-9,]+\])?\s*((==|>=|<=|~=|!=|<|>)[0-9A-Za-z.*+!]+\s*,?\s*)+", rest) or re.fullmatch(
            r"(\[[a-z0-9,]+\])?\s*@\s*(git\+)?https://\S+", rest
        ):
            return value
    raise ValueError(f"--tool-source {text!r} is not a source pip can install from: {accepted}")


__all__ = ["DISTRIBUTION", "ToolSource", "__version__", "installed_source", "requirement_from_option", "source_from_direct_url"]
