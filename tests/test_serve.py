"""`playbook serve` rebuilds and shows a YAML edit within seconds."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import DEFAULT_CONTENT, make_site_project


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
        [sys.executable, "-m", "generator.cli", "serve", "-a", f"127.0.0.1:{port}"],
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
