"""`make lowest`: fails unless every package constraints/lowest.txt names is installed at exactly that
version (so the slice of tests that follows runs at the lowest bounds), and each one is pyproject.toml's
lower bound. Prints what it checked."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.version import Version  # a dependency of MkDocs

ROOT = Path(__file__).resolve().parents[2]


def main() -> int:
    pins = dict(
        re.fullmatch(r"([A-Za-z0-9_.-]+)==(\S+)", line).groups()  # type: ignore[union-attr]
        for line in (ROOT / "constraints" / "lowest.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = [*project["dependencies"], *project["optional-dependencies"]["zensical"]]
    bounds = {m[1].lower(): m[2] for m in (re.match(r"([A-Za-z0-9_.-]+)>=([^,;\s]+)", d) for d in declared) if m}
    wrong = []
    for name, pinned in pins.items():
        installed = version(name)
        print(f"{name:20} {installed:10} lower bound {bounds.get(name.lower(), '?')}")
        if installed != pinned or Version(bounds.get(name.lower(), "0")) != Version(pinned):
            wrong.append(name)
    missing = sorted(set(bounds) - {name.lower() for name in pins})
    if wrong or missing:
        print(f"not at the lowest bound: {wrong}; bounds with no pin in constraints/lowest.txt: {missing}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
