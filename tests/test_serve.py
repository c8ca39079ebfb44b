"""`playbook serve` rebuilds and shows a YAML edit within seconds, and stops, with what it started, on SIGTERM."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, make_site_project, write_content


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, needle: str, limit: float) -> str | None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        page = fetch(url)
        if page is not None and needle in page:
            return page
        time.sleep(0.25)
    return None


def test_serve_shows_a_yaml_edit(tmp_path: Path) -> None:
    project = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    port = free_port()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "playbook_site.cli", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    try:
        url = f"http://127.0.0.1:{port}/roles/account-executive/"
        assert wait_for(url, "Account Executive", 60), (tmp_path / "serve.log").read_text()
        role = project / "content" / "roles" / "account-executive.yml"
        role.write_text(
            role.read_text(encoding="utf-8").replace("summary: ", "summary: Edited during serve. ", 1), encoding="utf-8"
        )
        edited_at = time.monotonic()
        page = wait_for(url, "Edited during serve.", 30)
        assert page is not None, (tmp_path / "serve.log").read_text()
        print(f"edit visible after {time.monotonic() - edited_at:.2f} s")
        # A broken edit is reported with its file and line; fixing it brings the page back.
        good = role.read_text(encoding="utf-8")
        role.write_text("name: [broken\n", encoding="utf-8")
        log_file = tmp_path / "serve.log"
        deadline = time.monotonic() + 30
        while "account-executive.yml:1:7: error: YAML syntax error" not in log_file.read_text() and time.monotonic() < deadline:
            time.sleep(0.25)
        assert "account-executive.yml:1:7: error: YAML syntax error" in log_file.read_text()
        assert "is not a known role" not in log_file.read_text(), "no cascade of errors from one broken file"
        role.write_text(good.replace("Edited during serve.", "Fixed again."), encoding="utf-8")
        assert wait_for(url, "Fixed again.", 30) is not None, log_file.read_text()
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


# --- stopping: SIGTERM stops the server and what it started -----------------------------------------


def _stat(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command's name: [state, ppid, ...]; None when there is no such process."""
    try:
        return Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def descendants(pid: int) -> set[tuple[int, str]]:
    """Every process under `pid`, as (pid, start time): a pid reused later is not taken for one of them."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").iterdir():
        fields = _stat(int(entry.name)) if entry.name.isdigit() else None
        if fields is not None:
            children.setdefault(int(fields[1]), []).append((int(entry.name), fields[19]))
    found: set[tuple[int, str]] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child[0])
    return found


def running(process: tuple[int, str]) -> bool:
    fields = _stat(process[0])
    return fields is not None and fields[19] == process[1] and fields[0] != "Z"


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as a server binds: TIME_WAIT is no owner
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def start_serving(project: Path, tmp_path: Path, *args: str) -> tuple[subprocess.Popen[bytes], int, Path]:
    port = free_port()
    temporary = tmp_path / "tmp"  # the server's temporary folders (MkDocs builds into one) land here
    temporary.mkdir()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "playbook_site.cli", "serve", "-a", f"127.0.0.1:{port}", *args],
            cwd=project,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=dict(os.environ, PYTHONUNBUFFERED="1", TMPDIR=str(temporary)),
        )
    return server, port, log


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="reads the process tree from /proc")
@pytest.mark.parametrize(
    ("engine", "signum"),
    [("zensical", signal.SIGTERM), ("mkdocs", signal.SIGTERM), ("zensical", getattr(signal, "SIGHUP", signal.SIGTERM))],
    ids=["zensical-SIGTERM", "mkdocs-SIGTERM", "zensical-SIGHUP"],
)
def test_sigterm_stops_serve_and_everything_it_started(tmp_path: Path, engine: str, signum: int) -> None:
    """`kill PID` (a service manager, a CI step's timeout; SIGHUP: the terminal closed) stops `serve` as
    Ctrl+C does: `zensical serve` stops with it and frees the port, MkDocs removes its temporary site."""
    project = make_site_project(tmp_path / "repo")
    write_content(project / "content")
    server, port, log = start_serving(project, tmp_path, "--engine", engine)
    started: set[tuple[int, str]] = set()
    try:
        assert wait_for(f"http://127.0.0.1:{port}/roles/account-executive/", "Account Executive", 60), log.read_text()
        started = descendants(server.pid)
        if engine == "zensical":
            assert started, "serve --engine zensical runs `zensical serve` as a child process"
        else:
            assert [entry.name for entry in (tmp_path / "tmp").iterdir()], "MkDocs serves from a temporary folder"
        server.send_signal(signum)
        server.wait(timeout=20)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (any(map(running, started)) or not port_is_free(port)):
            time.sleep(0.1)
        assert [process for process in started if running(process)] == [], log.read_text()
        assert port_is_free(port)
        assert fetch(f"http://127.0.0.1:{port}/") is None
        assert [entry.name for entry in (tmp_path / "tmp").iterdir() if entry.name.startswith("mkdocs_")] == []
        assert "Traceback" not in log.read_text()
        assert server.returncode == 0, log.read_text()  # stopped as asked, as after Ctrl+C
    finally:
        for pid, _start in [process for process in started if running(process)]:
            os.kill(pid, signal.SIGKILL)  # what this test started, left behind by a failure
        if server.poll() is None:
            server.kill()
            server.wait(10)


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_while_serving_sigterm_is_ctrl_c_and_an_ignored_signal_stays_ignored() -> None:
    """In-process: inside `stopped_like_ctrl_c` SIGTERM raises KeyboardInterrupt once (a second one
    during the cleanup does not cut it short); SIGHUP set to be ignored (nohup) stays ignored; the
    handlers are put back afterwards."""
    from playbook_site.publishing.serving import stopped_like_ctrl_c

    before_term = signal.getsignal(signal.SIGTERM)
    before_hup = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with pytest.raises(KeyboardInterrupt), stopped_like_ctrl_c():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            handler = signal.getsignal(signal.SIGTERM)
            assert callable(handler) and handler is not before_term  # only then is it safe to raise SIGTERM here
            try:
                signal.raise_signal(signal.SIGTERM)
            finally:
                signal.raise_signal(signal.SIGTERM)  # during the cleanup: no second KeyboardInterrupt
        assert signal.getsignal(signal.SIGTERM) is before_term
        assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGTERM, before_term)
        signal.signal(signal.SIGHUP, before_hup)


# --- a busy address: one line, exit 2 (issue 21, finding 19) ----------------------------------------


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_busy_port_is_one_line_and_exit_2(tmp_path: Path, engine: str, host: str) -> None:
    """Another program listens on the port: `serve` says so in one line and exits 2, on both engines, as
    `preview` does; nothing was started (no engine's server, no traceback)."""
    project = make_site_project(tmp_path / "repo", write_content(tmp_path / "content"))
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "playbook_site.cli", "serve", "--engine", engine, "-a", f"{host}:{port}"],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=300,
        )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert (result.returncode, lines) == (
        2,
        [f"Error: cannot serve on {host}:{port}: Address already in use; choose another port with -a"],  # as `preview` says it
    ), result.stderr
    assert result.stdout == ""
