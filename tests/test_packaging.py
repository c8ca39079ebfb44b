"""`pip install .` installs the command, the plugin and the bundled templates."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import distribution, requires
from pathlib import Path

import pytest
from packaging.requirements import Requirement  # a dependency of MkDocs
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from conftest import DEFAULT_CONTENT, REPO
from playbook_site.version import source_from_direct_url

# `wheel`: tests/conftest.py builds it once per session.


def test_wheel_registers_command_and_plugin_and_ships_templates(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        entry_points = archive.read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "playbook = playbook_site.cli:main" in entry_points
    assert "playbook = playbook_site.site.mkdocs_plugin:PlaybookPlugin" in entry_points
    shipped = {Path(n).name for n in names if n.startswith("playbook_site/templates/")}
    assert shipped == {p.name for p in (REPO / "templates").glob("*.j2")}
    assert "playbook_site/site/assets/playbook.css" in names


def test_installed_package_renders_with_its_own_templates(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    env = dict(os.environ, PYTHONPATH=str(target))
    result = subprocess.run(
        [sys.executable, "-c", "import playbook_site.site.render as r; print(r.default_templates_dir())"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(result.stdout.strip()) == target / "playbook_site" / "templates"
    out = tmp_path / "pages"
    generated = subprocess.run(
        [sys.executable, "-m", "playbook_site.cli", "generate", "--out", str(out), "--content", str(DEFAULT_CONTENT)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert generated.returncode == 0, generated.stderr
    page = (out / "docs" / "roles" / "account-executive.md").read_text(encoding="utf-8")
    assert '<h1 id="account-executive-ae">Account Executive (' in page


# --- dependencies: ranges, the lowest bounds, requires-python ------------------------------------------


PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_requires_python_is_what_every_dependency_installs_on() -> None:
    """The oldest Python the package claims is one every dependency (read from its own installed
    metadata, transitively) accepts, and no older one would be: the floor is the highest of theirs."""
    ours = SpecifierSet(PROJECT["requires-python"])
    oldest = Version(re.fullmatch(r">=(\d+\.\d+)", PROJECT["requires-python"])[1])  # type: ignore[index]
    seen: dict[str, str] = {}
    todo = [Requirement(r).name for r in PROJECT["dependencies"]]
    while todo:
        name = todo.pop()
        if name.lower() in seen:
            continue
        dist = distribution(name)
        seen[name.lower()] = dist.metadata.get("Requires-Python") or ""
        for text in requires(name) or []:
            req = Requirement(text)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    assert {"mkdocs", "mkdocs-material", "pydantic", "pymdown-extensions"} <= set(seen)
    floors = {name: spec for name, spec in seen.items() if spec}
    for name, spec in floors.items():
        # Any patch release of the oldest minor version: the locked pymdown-extensions needs 3.11.5, and on
        # 3.11.0-3.11.4 pip picks its 12.x, which the ranges allow (the lock says so in Makefile's `lock`).
        latest_patch = f"{oldest.major}.{oldest.minor}.99"
        assert SpecifierSet(spec).contains(latest_patch), f"{name} needs {spec}, but requires-python says {ours}"
    assert any(not SpecifierSet(spec).contains("3.10") for spec in floors.values()), "3.10 would install: lower the floor"


def test_each_lower_bound_has_its_pin_in_the_lowest_constraints_and_ranges_stop_at_the_next_major() -> None:
    pins = dict(
        line.split("==")
        for line in (REPO / "constraints" / "lowest.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    for text in [*PROJECT["dependencies"], *PROJECT["optional-dependencies"]["zensical"]]:
        req = Requirement(text)
        lower = [s.version for s in req.specifier if s.operator == ">="]
        upper = [s.version for s in req.specifier if s.operator == "<"]
        assert lower and upper and "==" not in str(req.specifier), f"{text}: a range, not a pin"
        assert Version(pins[req.name]) == Version(lower[0]), req.name
    assert {Requirement(t).name for t in PROJECT["dependencies"]} | {"zensical"} == set(pins)


def test_the_locks_pin_every_package_with_hashes_within_the_ranges() -> None:
    for name in ("lock.txt", "dev.txt"):
        text = (REPO / "requirements" / name).read_text(encoding="utf-8")
        blocks = re.split(r"^(?=[a-z0-9])", text, flags=re.M)[1:]
        assert blocks and all("--hash=sha256:" in block for block in blocks), name
        pinned = {m[1]: m[2] for m in (re.match(r"([a-z0-9-]+)==(\S+)", b) for b in blocks) if m}
        for dep in PROJECT["dependencies"]:
            req = Requirement(dep)
            assert req.specifier.contains(pinned[req.name]), f"{name}: {req.name} {pinned[req.name]} outside {req.specifier}"


def test_the_readme_and_the_project_urls_name_the_same_repository() -> None:
    source = PROJECT["urls"]["Source"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    addresses = set(re.findall(r"git\+(https://github\.com/[^@\s\"]+)@", readme))
    assert addresses == {source}


@pytest.mark.parametrize(
    ("record", "requirement", "described"),
    [
        (None, "playbook-site==0.3.0", "from the package index (playbook-site==0.3.0)"),
        (
            {
                "url": "https://github.com/acme/playbook-site",
                "vcs_info": {"vcs": "git", "requested_revision": "v0.3.0", "commit_id": "c" * 40},
            },
            f"playbook-site @ git+https://github.com/acme/playbook-site@{'c' * 40}",
            "from git+https://github.com/acme/playbook-site at v0.3.0 (commit cccccccccccc)",
        ),
        (
            {
                "url": "https://files.example/playbook_site-0.3.0-py3-none-any.whl",
                "archive_info": {"hashes": {"sha256": "d" * 64}},
            },
            f"playbook-site @ https://files.example/playbook_site-0.3.0-py3-none-any.whl#sha256={'d' * 64}",
            "from https://files.example/playbook_site-0.3.0-py3-none-any.whl",
        ),
        (
            {"url": "file:///tmp/w/playbook_site-0.3.0-py3-none-any.whl", "archive_info": {}},
            None,
            "from the file /tmp/w/playbook_site-0.3.0-py3-none-any.whl on this machine",
        ),
        (
            {"url": "file:///src/playbook-site", "dir_info": {"editable": True}},
            None,
            "from the folder /src/playbook-site (editable) on this machine",
        ),
        (
            {"url": "file:///src/playbook-site", "vcs_info": {"vcs": "git", "commit_id": "e" * 40}},
            None,
            "from the git repository /src/playbook-site (commit eeeeeeeeeeee) on this machine",
        ),
    ],
)
def test_the_installations_record_says_where_the_tool_came_from(
    record: dict[str, object] | None, requirement: str | None, described: str
) -> None:
    source = source_from_direct_url(record, "0.3.0")
    assert (source.requirement, source.described) == (requirement, described)


@pytest.mark.source
def test_version_names_the_version_and_its_source() -> None:
    result = subprocess.run([sys.executable, "-m", "playbook_site.cli", "--version"], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == [
        f"playbook, version {PROJECT['version']}",
        f"installed from the folder {REPO} (editable) on this machine",
    ]


@pytest.mark.slow
def test_the_wheel_installs_next_to_a_newer_material_and_another_plugin_without_downgrading_them(
    wheel: Path, tmp_path: Path
) -> None:
    """A site that already has mkdocs-material 9.8.2 and another MkDocs plugin: installing the wheel
    (from a folder outside this repository) keeps both at their versions."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-compile"]
    first = subprocess.run(
        [*pip, "mkdocs-material==9.8.2", "mkdocs-redirects==1.2.2"], capture_output=True, text=True, timeout=900
    )
    assert first.returncode == 0, first.stderr
    before = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout
    installed = subprocess.run([*pip, str(wheel)], cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr
    after = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "freeze"], capture_output=True, text=True, check=True
    ).stdout
    for pin in ("mkdocs-material==9.8.2", "mkdocs-redirects==1.2.2"):
        assert pin in before.splitlines() and pin in after.splitlines(), pin
    changed = sorted(set(before.splitlines()) - set(after.splitlines()))
    assert changed == [], f"installing the wheel changed {changed}"
    checked = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "check"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout
