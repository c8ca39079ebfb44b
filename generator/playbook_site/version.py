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

__all__ = ["DISTRIBUTION", "__version__"]
