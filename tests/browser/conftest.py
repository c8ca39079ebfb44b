"""Browser fixtures: built sites served on 127.0.0.1, and Debian's Chromium driven by Playwright.

Never `playwright install`: the tests use /usr/bin/chromium (`make test` installs
Debian's package when it is missing) and fail, not skip, without it.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import DEFAULT_CONTENT, FOREIGN_CONTENT, REPO, make_site_project

CHROMIUM = Path(os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in CI
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = REPO / "tests" / "screenshots"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


@dataclass
class Site:
    root: Path
    url: str
    content: Path


def serve(directory: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build(project: Path) -> Path:
    result = subprocess.run([sys.executable, "-m", "generator.cli", "build"], cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    return project / "site"


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    project = make_site_project(tmp_path_factory.mktemp("browser-default") / "repo", DEFAULT_CONTENT)
    server, url = serve(build(project))
    yield Site(project / "site", url, project / "content")
    server.shutdown()


@pytest.fixture(scope="session")
def foreign_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    project = make_site_project(tmp_path_factory.mktemp("browser-foreign") / "repo", FOREIGN_CONTENT)
    server, url = serve(build(project))
    yield Site(project / "site", url, project / "content")
    server.shutdown()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/ensure-chromium` (make test does) to install Debian's chromium")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield chromium
    chromium.close()
    playwright.stop()


@dataclass
class Watch:
    """Every request a page makes, and every JavaScript error."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def foreign_hosts(self, site_url: str) -> list[str]:
        own = urlsplit(site_url).netloc
        return [url for url in self.requests if urlsplit(url).scheme in ("http", "https", "ws", "wss") and urlsplit(url).netloc != own]


@pytest.fixture
def watch() -> Watch:
    return Watch()


def new_page(browser: object, watch: Watch, **context_options: object) -> object:
    context = browser.new_context(**context_options)  # type: ignore[attr-defined]
    page = context.new_page()
    page.on("request", lambda request: watch.requests.append(request.url))
    page.on("pageerror", lambda error: watch.errors.append(f"pageerror: {error}"))
    page.on("console", lambda message: watch.errors.append(f"console: {message.text}") if message.type == "error" else None)
    return page


@pytest.fixture
def page(browser: object, watch: Watch) -> Iterator[object]:
    page = new_page(browser, watch, viewport={"width": 1280, "height": 900})
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: object, watch: Watch) -> Iterator[object]:
    page = new_page(browser, watch, viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield page
    page.context.close()
