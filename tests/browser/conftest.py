"""Browser fixtures: built sites served on 127.0.0.1, and Debian's Chromium driven by Playwright.

Never `playwright install`: the tests use /usr/bin/chromium (`make test` runs
`scripts/ensure-chromium`, which installs Debian's package when it is missing)
and fail, never skip, without it.

Every site is built by both engines: the fixtures `default_site`, `foreign_site`
and `markup_site` depend on `engine` (mkdocs, zensical), so a test that reads a
site runs once per engine, its id ending in [mkdocs] or [zensical]. Each
playbook is built once per test run and engine with the real `playbook build
[--engine zensical]` into a temporary directory that the pytest-xdist workers
share; each worker serves it on its own port and stops the server at the end.
Without Zensical installed the Zensical tests fail (never skip), as they do
without Chromium.
"""

from __future__ import annotations

import fcntl
import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import DEFAULT_CONTENT, FOREIGN_CONTENT, MINIMAL, REPO, make_site_project, write_content

CHROMIUM = Path(os.environ.get("PLAYBOOK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in CI
    "--disable-gpu",
    "--disable-dev-shm-usage",
    # Without these Chromium calls Google's hosts on its own (updates, sync, field trials), which
    # would hide or fake the site's own requests and cannot work without internet anyway.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-quic",
]
SCREENSHOTS = REPO / "tests" / "screenshots"
ENGINES = ("mkdocs", "zensical")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the built site like a static host does: a missing path gets the site's 404.html."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass

    def not_found_page(self) -> Path | None:
        """The page that answers a missing address, None for the server's own error page."""
        page = Path(self.directory) / "404.html"
        return page if page.is_file() else None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.not_found_page()
        if code != 404 or page is None:
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@dataclass
class Site:
    root: Path
    url: str
    content: Path
    engine: str = "mkdocs"

    @property
    def search_index(self) -> str:
        """The search index's address: Material's search plugin and Zensical write it to different places."""
        return self.url + ("search.json" if self.engine == "zensical" else "search/search_index.json")

    def shot(self, name: str) -> str:
        """A screenshot's name for this site's engine: MkDocs keeps the names it always had."""
        return name if self.engine == "mkdocs" else f"{name}-{self.engine}"


def serve(directory: Path, handler: type[_SiteHandler] = _SiteHandler) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `directory` on 127.0.0.1 (a free port) from a background thread; stop it with `stop`."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name=f"site-server-{server.server_address[1]}", daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def stop(server: http.server.ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()


def playbook_command() -> list[str]:
    """The `playbook` command of this environment, as a user runs it."""
    command = Path(sys.executable).with_name("playbook")
    return [str(command)] if command.exists() else [sys.executable, "-m", "playbook_site.cli"]


def build(project: Path, engine: str = "mkdocs") -> Path:
    """`playbook build --engine ENGINE` in `project`, the command a user runs (strict build, atomic swap)."""
    argv = [*playbook_command(), "build", "--engine", engine]
    result = subprocess.run(argv, cwd=project, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"playbook build --engine {engine} failed in {project}:\n{result.stdout}\n{result.stderr}"
    assert (project / "site" / "index.html").is_file()
    return project / "site"


def require_engine(engine: str) -> None:
    """Fail (never skip) when the engine is not installed: the suite proves both engines' sites."""
    if engine != "zensical":
        return
    try:
        import zensical  # type: ignore[import-not-found]  # noqa: F401
    except ImportError as error:
        missing: ImportError | None = error
    else:
        missing = None
    if missing is not None:
        pytest.fail(
            f"Zensical is not installed in {sys.prefix}, so the Zensical half of the browser tests cannot run: install the"
            " test extra (`pip install -e '.[test]'`, which `make test` does; Zensical needs Python 3.11 or newer) or"
            f" `pip install 'playbook-site[zensical]'`. ({missing})",
            pytrace=False,
        )


@pytest.fixture(scope="session", params=ENGINES, ids=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    """The engine that built the site a test reads: every site test runs once per engine."""
    require_engine(request.param)
    return str(request.param)


def _shared_build(tmp_path_factory: pytest.TempPathFactory, name: str, content: Path, engine: str) -> Path:
    """Build one playbook once per test run and engine: pytest-xdist workers share it (the first
    builds it under a lock, the others wait and reuse it); without xdist it lives in this run's basetemp."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # this run's directory, shared by its workers (never an older run's)
    key = f"shared-{name}-{engine}"
    project = base / key / "repo"
    with open(base / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (project / "site" / "index.html").is_file():
                shutil.rmtree(project.parent, ignore_errors=True)
                build(make_site_project(project, content), engine)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return project


def _served(tmp_path_factory: pytest.TempPathFactory, name: str, content: Path, engine: str) -> Iterator[Site]:
    project = _shared_build(tmp_path_factory, name, content, engine)
    server, url = serve(project / "site")
    try:
        yield Site(project / "site", url, project / "content", engine)
    finally:
        stop(server)


@pytest.fixture(scope="session")
def default_site(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[Site]:
    """The bundled playbook (content/), built once per run and engine and served on 127.0.0.1."""
    yield from _served(tmp_path_factory, "browser-default", DEFAULT_CONTENT, engine)


@pytest.fixture(scope="session")
def foreign_site(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[Site]:
    """tests/fixtures/foreign: another language, other ids, ten statements, .yaml files."""
    yield from _served(tmp_path_factory, "browser-foreign", FOREIGN_CONTENT, engine)


# A small playbook whose texts hold what HTML gives a meaning to (& < > and quotes): an abbreviation's
# tooltip must show them as written.
MARKUP = {
    **MINIMAL,
    "roles/account-executive.yml": MINIMAL["roles/account-executive.yml"].replace(
        "- Runs discovery calls.", "- Runs discovery calls and the R&D review."
    ),
    "glossary.yml": """
        terms:
          - id: research-and-development
            term: Research & development
            abbreviation: R&D
            definition: 'Where "labs" & prototypes live; teams < 5 people > 2 rooms; &amp; and &lt;b&gt; stay as typed.'
    """,
}


@pytest.fixture(scope="session")
def markup_site(tmp_path_factory: pytest.TempPathFactory, engine: str) -> Iterator[Site]:
    """MARKUP: abbreviation texts with & < > and quotes, built once per run and engine."""
    content = tmp_path_factory.getbasetemp() / f"markup-content-{engine}"
    if not content.is_dir():
        write_content(content, base=MARKUP)
    yield from _served(tmp_path_factory, "browser-markup", content, engine)


# `browser` (the one headless Chromium of the test session) is in tests/conftest.py: tests outside
# this folder drive it too, and Playwright's sync API runs once per process.


# Records every Content-Security-Policy violation of every page and frame of a context, before the
# page's own scripts run: on the window (`window.__pbCsp`, for a check in the page) and through a
# binding to the test's Watch (which keeps them across navigations). The event is composed, so it
# reaches the window from a shadow root too. Init scripts and bindings come in through the DevTools
# protocol, which the policy does not govern.
CSP_RECORDER = """
(() => {
  window.__pbCsp = [];
  window.addEventListener('securitypolicyviolation', e => {
    const text = `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} on ${document.location.href}`
      + ` at ${e.sourceFile || '?'}:${e.lineNumber}:${e.columnNumber}` + (e.sample ? ` sample ${JSON.stringify(e.sample)}` : '');
    window.__pbCsp.push(text);
    if (typeof window.__pbCspViolation === 'function') window.__pbCspViolation(text);
  }, true);
})();
"""


@dataclass
class Watch:
    """Every request a browser context makes (pages and their workers), failed loads, script errors
    and Content-Security-Policy violations."""

    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)

    def foreign_hosts(self, site_url: str) -> list[str]:
        """Requests to anything but the site's own origin (data: and blob: URLs stay in the browser)."""
        own = urlsplit(site_url).netloc
        return [url for url in self.requests if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).netloc != own]

    def attach(self, context: object) -> None:
        context.expose_binding("__pbCspViolation", lambda source, text: self.csp.append(str(text)))  # type: ignore[attr-defined]
        context.add_init_script(CSP_RECORDER)  # type: ignore[attr-defined]
        context.on("request", lambda request: self.requests.append(request.url))  # type: ignore[attr-defined]
        context.on("requestfailed", lambda request: self.failures.append(f"{request.url}: {request.failure}"))  # type: ignore[attr-defined]
        context.on(  # type: ignore[attr-defined]
            "response",
            lambda response: self.failures.append(f"{response.url}: HTTP {response.status}") if response.status >= 400 else None,
        )
        context.on("weberror", lambda error: self.errors.append(f"pageerror: {error.error}"))  # type: ignore[attr-defined]
        context.on(  # type: ignore[attr-defined]
            "console",
            lambda message: (
                self.errors.append(f"console.error at {message.location.get('url')}: {message.text}")
                if message.type == "error"
                else None
            ),
        )


@pytest.fixture
def watch() -> Watch:
    return Watch()


def new_page(browser: object, watch: Watch, **context_options: object) -> object:
    """A page in a fresh context (its own storage) whose requests and errors `watch` records."""
    context = browser.new_context(**context_options)  # type: ignore[attr-defined]
    watch.attach(context)
    return context.new_page()


@pytest.fixture
def page(browser: object, watch: Watch) -> Iterator[object]:
    page = new_page(browser, watch, viewport=DESKTOP)
    yield page
    page.context.close()


@pytest.fixture
def phone(browser: object, watch: Watch) -> Iterator[object]:
    page = new_page(browser, watch, viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    yield page
    page.context.close()


def screenshot(page: object, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)  # type: ignore[attr-defined]
    return path
