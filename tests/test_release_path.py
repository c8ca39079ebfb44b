"""The release path as a company walks it, without the package index (issue 22).

- In a repository `playbook init` wrote, the pre-commit hooks pass: real `pre-commit run --all-files`,
  its hook environment installed by pip from a local wheelhouse only (PIP_NO_INDEX=1, PIP_FIND_LINKS:
  the built wheel, the locked dependencies), as an air-gapped company's pip configuration would; a
  slip (curly quotes) fails the hooks, and `playbook fix`, as the fix hook says, makes them pass.
- The README's "Start your own playbook" commands, read from the README itself, run as written in a
  fresh folder outside the repository, the tool installed from a tagged clone of this repository
  (`git+file://`), and end in a served site.
- The README's "Releasing the package" section names only make targets, workflows and files that exist.

The wheelhouse (tests/conftest.py) is downloaded from the package index once and kept in pytest's cache.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from packaging.utils import canonicalize_name

from conftest import REPO, Wheelhouse
from playbook_site import __version__

README = (REPO / "README.md").read_text(encoding="utf-8")
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Northwind Editor",
    "GIT_AUTHOR_EMAIL": "editor@example.com",
    "GIT_COMMITTER_NAME": "Northwind Editor",
    "GIT_COMMITTER_EMAIL": "editor@example.com",
}


def section(title: str) -> str:
    """The README's text under the heading `title`, up to the next heading of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(title)}$", README, re.M)
    assert match, f"README.md has no section {title!r}"
    rest = README[match.end() :]
    end = re.search(rf"^#{{1,{len(match[1])}}} ", rest, re.M)
    return rest[: end.start()] if end else rest


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without its virtual environment and pip settings, as on a fresh machine."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME") and not key.startswith(("PIP_", "PRE_COMMIT"))
    }
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    return {**env, **GIT_IDENTITY, **extra}


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: int = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the pre-commit hooks of an init repository, without the package index ------------------------------


@pytest.mark.slow
def test_the_pre_commit_hooks_pass_in_an_init_repository_without_the_index(
    tmp_path: Path, wheel: Path, wheelhouse: Wheelhouse
) -> None:
    """`--tool-source VERSION`: the hooks install `playbook-site==VERSION`, which pip finds in the company's
    wheelhouse (here: PIP_NO_INDEX=1 and PIP_FIND_LINKS). Installed so, `playbook --version` says it came
    from the package index: pip keeps no record of where it found a requirement by name."""
    assert REPO not in tmp_path.resolve().parents
    env = clean_env(PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"), **wheelhouse.env)
    pre_commit = [sys.executable, "-m", "pre_commit"]
    playbook = [sys.executable, "-m", "playbook_site.cli"]  # this checkout, to write the repository only
    created = run(
        [*playbook, "init", "northwind", "--organization", "Northwind & Co", "--starter", "blank"]
        + ["--tool-source", __version__],
        tmp_path,
        env,
    )
    assert created.returncode == 0, created.stderr
    repo = tmp_path / "northwind"
    assert f'additional_dependencies: ["playbook-site=={__version__}"]' in (repo / ".pre-commit-config.yaml").read_text(
        encoding="utf-8"
    )
    assert run(["git", "add", "-A"], repo, env).returncode == 0  # pre-commit reads a staged configuration

    passed = run([*pre_commit, "run", "--all-files"], repo, env, timeout=900)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert re.search(r"^Validate the playbook content\.+Passed$", passed.stdout, re.M), passed.stdout
    assert re.search(r"^Check for slips `playbook fix` repairs\.+Passed$", passed.stdout, re.M), passed.stdout

    # The hooks ran the tool pip installed from the wheelhouse, not this checkout.
    (hook_bin,) = (tmp_path / "pre-commit-home").glob("repo*/py_env-*/bin")
    version = run([str(hook_bin / "playbook"), "--version"], tmp_path, env)
    assert version.stdout == (
        f"playbook, version {__version__}\ninstalled from the package index (playbook-site=={__version__})\n"
    ), version.stdout + version.stderr
    freeze = run([str(hook_bin / "python"), "-m", "pip", "freeze"], tmp_path, env).stdout.splitlines()
    installed = {
        canonicalize_name(name): version for name, _, version in (line.partition("==") for line in freeze if "==" in line)
    }
    lock = (REPO / "requirements" / "lock.txt").read_text(encoding="utf-8")
    locked = {canonicalize_name(name): version for name, version in re.findall(r"^([a-z0-9._-]+)==(\S+) ", lock, re.M)}
    assert installed.pop("playbook-site") == __version__
    assert installed.pop("pre-commit-placeholder-package", None) is None  # pre-commit's own, installed from its folder
    assert installed == {name: locked[name] for name in installed}, "the hook environment has what the lock pins"
    assert {"mkdocs", "mkdocs-material", "pydantic"} <= set(installed)

    role = repo / "content" / "roles" / "account-executive.yml"
    text = role.read_text(encoding="utf-8")
    assert "\nfunction: sales\n" in text
    role.write_text(text.replace("\nfunction: sales\n", "\nfunction: \u201csales\u201d\n"), encoding="utf-8")
    failed = run([*pre_commit, "run", "--all-files"], repo, env, timeout=900)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^Validate the playbook content\.+Failed$", failed.stdout, re.M), failed.stdout
    assert re.search(r"^Check for slips `playbook fix` repairs\.+Failed$", failed.stdout, re.M), failed.stdout
    assert "content/roles/account-executive.yml: would be fixed" in failed.stdout
    assert "curly quotes around a value became straight quotes (line 4)" in failed.stdout
    assert "run `playbook fix` to fix it" in failed.stdout

    fixed = run([str(hook_bin / "playbook"), "fix"], repo, env)  # what the fix hook says to run
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert role.read_text(encoding="utf-8") == text.replace("\nfunction: sales\n", '\nfunction: "sales"\n')
    again = run([*pre_commit, "run", "--all-files"], repo, env, timeout=900)
    assert again.returncode == 0, again.stdout + again.stderr


# --- the README's "Start your own playbook", as written, from the tagged source --------------------------


def start_commands() -> list[str]:
    """The lines of the first shell block of "Start your own playbook"."""
    block = re.search(r"```sh\n(.*?)```", section("Start your own playbook"), re.S)
    assert block, "no ```sh block in README.md's Start your own playbook"
    return [line for line in block[1].splitlines() if line.strip()]


def tagged_clone(root: Path) -> Path:
    """A clone of this repository's committed HEAD with the tag v<version> on it, and the working tree's
    changes to tracked files committed on top (so that what is tested is what is checked out)."""
    clone = root / "playbook-site"
    env = clean_env()
    assert run(["git", "clone", "-q", "--no-hardlinks", str(REPO), str(clone)], root, env).returncode == 0
    changed = run(["git", "diff", "HEAD", "--binary"], REPO, env).stdout
    if changed:
        patch = subprocess.run(["git", "apply", "--index", "-"], cwd=clone, input=changed, text=True, capture_output=True)
        assert patch.returncode == 0, patch.stderr
        untracked = run(["git", "ls-files", "--others", "--exclude-standard"], REPO, env).stdout.splitlines()
        for rel in untracked:
            (clone / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, clone / rel)
        assert run(["git", "add", "-A"], clone, env).returncode == 0
        assert run(["git", "commit", "-q", "-m", "the working tree under test"], clone, env).returncode == 0
    tag = run(["git", "tag", "-a", f"v{__version__}", "-m", f"playbook-site {__version__}"], clone, env)
    assert tag.returncode == 0, tag.stderr
    return clone


@pytest.mark.slow
@pytest.mark.source
def test_the_readmes_start_commands_run_as_written_from_the_tagged_source(tmp_path: Path, wheelhouse: Wheelhouse) -> None:
    """Two substitutions only: the repository's address (the README's, [project.urls] Source) becomes a
    `git+file://` URL of a tagged clone, and `playbook serve` is given a free port on 127.0.0.1 (8000 may be
    taken on a shared machine). (`file://localhost/...`: the pip that Python 3.11's venv brings, 23.2, takes
    no `git+file:///` URL without a host.) The dependencies come from the wheelhouse, without the index; init is told
    the address the clone stands for by PLAYBOOK_TOOL_SOURCE (a git source on this machine is refused)."""
    lines = start_commands()
    address = f"git+{PROJECT['urls']['Source']}"
    readme_source = f"{address}@v{__version__}"
    [install] = [line for line in lines if readme_source in line]
    assert install == f'pip install "playbook-site @ {readme_source}"', install
    [serving] = [line for line in lines if re.search(r"\bplaybook serve\b", line)]
    assert re.search(r"playbook serve\s*(#.*)?$", serving), f"serve is the last command of its line: {serving}"

    clone = tagged_clone(tmp_path)
    work = tmp_path / "fresh-machine"
    work.mkdir()
    port = free_port()
    script = [
        line.replace(address, f"git+file://localhost{clone}").replace("playbook serve", f"playbook serve -a 127.0.0.1:{port}")
        for line in lines
    ]
    bin_dir = tmp_path / "python-on-path"  # `python3` is the Python running the tests, as CI's setup-python makes it
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(getattr(sys, "_base_executable", sys.executable))
    env = clean_env(PLAYBOOK_TOOL_SOURCE=readme_source, PYTHONUNBUFFERED="1", **wheelhouse.env)
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    shell = subprocess.Popen(
        ["bash", "-e", "-x", "-c", "\n".join(script)],
        cwd=work,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    home = f"http://127.0.0.1:{port}/"
    page = ""
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and shell.poll() is None:
            try:
                with urllib.request.urlopen(home, timeout=5) as answer:
                    page = answer.read().decode("utf-8")
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        if not page:
            shell.kill()
            raise AssertionError(f"the site was not served:\n{shell.communicate()[0]}")
        served = [pid for pid in children(shell.pid) if b"serve" in Path(f"/proc/{pid}/cmdline").read_bytes()]
        assert len(served) == 1, served
        os.kill(served[0], signal.SIGTERM)  # as Ctrl+C: the README's next line runs after the server stops
        output, _ = shell.communicate(timeout=120)
    finally:
        if shell.poll() is None:
            os.killpg(shell.pid, signal.SIGKILL)
            shell.communicate()
    assert shell.returncode == 0, output
    assert "Northwind &amp; Co" in page and "<title>" in page
    repo = work / "northwind-playbook"
    log = run(["git", "log", "--format=%s"], repo, clean_env()).stdout
    assert log == "Start the playbook\n", output
    assert run(["git", "status", "--porcelain"], repo, clean_env()).stdout == ""

    # The tool came from the tag of the clone; init wrote the address the clone stands for.
    version = run([str(work / ".venv" / "bin" / "playbook"), "--version"], work, clean_env()).stdout
    commit = run(["git", "rev-parse", f"v{__version__}^{{commit}}"], clone, clean_env()).stdout.strip()
    assert version == (
        f"playbook, version {__version__}\ninstalled from the git repository {clone} at v{__version__}"
        f" (commit {commit[:12]}) on this machine\n"
    )
    hooks = (repo / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    assert f'additional_dependencies: ["playbook-site @ {readme_source}"]' in hooks


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc/*/stat: its fourth field)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:  # ended meanwhile
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


# --- the Releasing section names what exists -------------------------------------------------------------


@pytest.mark.source
def test_the_releasing_section_names_only_what_exists() -> None:
    text = section("Releasing the package")
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    named = set(re.findall(r"`make ([a-z][a-z-]*)", text))
    assert {"check", "lowest", "dist", "lock"} <= named, named
    assert named <= targets, f"make targets the README names but the Makefile lacks: {sorted(named - targets)}"
    workflows = set(re.findall(r"`(?:\.github/workflows/)?([a-z-]+\.yml)`", text))
    assert "release.yml" in workflows
    for name in workflows:
        assert (REPO / ".github" / "workflows" / name).is_file(), name
    paths = set(
        re.findall(
            r"`((?:requirements|constraints|tests|\.github)/[\w./-]+|pyproject\.toml|CHANGELOG\.md|\.pre-commit-hooks\.yaml)",
            text,
        )
    )
    paths |= {p for p in re.findall(r"(CHANGELOG\.md|pyproject\.toml)", text)}
    assert {"pyproject.toml", "CHANGELOG.md", "requirements/lock.txt", "constraints/lowest.txt"} <= paths, paths
    for rel in paths:
        assert (REPO / rel).exists(), rel
    for command in re.findall(r"`(pytest [^`]+)`", text):
        for rel in shlex.split(command)[1:]:
            assert (REPO / rel).exists(), command
    # The workflow does what the section says: on a v* tag, trusted publishing, a GitHub release.
    release = (REPO / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert re.search(r"tags:\s*\n\s*- ['\"]?v\*", release), "release.yml runs on v* tags"
    assert "id-token: write" in release and "environment" in release and "pypi" in release
    # The tag command names the version scheme the workflow checks.
    assert 'git tag -a vX.Y.Z -m "playbook-site X.Y.Z"' in re.sub(r"\s+", " ", text)
