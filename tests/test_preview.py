"""`playbook preview`: the published versions served from git, as GitHub Pages serves gh-pages.

A real repository publishes a small playbook as 1.0 and a change as 2.0 with `playbook publish`;
the real command (`python -m playbook_site.cli preview -a 127.0.0.1:0`) serves the branch and the test
asks it over HTTP: the redirects of the site's address and of folders, content types, the root
404.html for a missing address, nothing outside the branch's regular files, a version published
while it runs, a clone that has only origin/gh-pages, and a working tree left as it was.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import MINIMAL, init_repo, make_site_project, run_cli, write_content
from playbook_site.publishing.preview import content_type, is_loopback, parse_address

pytestmark = pytest.mark.slow


def git(*args: str, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False, env=env)
    assert result.returncode == 0, f"git {' '.join(args)} failed: {result.stderr}"
    return result.stdout


def git_bytes(*args: str, cwd: Path) -> bytes:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True).stdout


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def request(url: str, method: str = "GET") -> Response:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, method=method), timeout=10) as answer:
            return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


def redirect_target(html: str) -> str:
    found = re.search(r'window\.location\.replace\(\s*"([^"]*)"', html)
    assert found, html[:300]
    return found.group(1)


@dataclass
class Preview:
    repo: Path
    url: str
    process: subprocess.Popen[str]
    lines: list[str]


def start_preview(repo: Path, *args: str) -> Preview:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "playbook_site.cli", "preview", "-a", "127.0.0.1:0", *args],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    lines = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"at (http://127\.0\.0\.1:\d+/) \(press Ctrl\+C to stop\)", line)
        if found:
            return Preview(repo, found.group(1), process, lines)
    process.kill()
    raise AssertionError("the preview did not start:\n" + "".join(lines))


def stop_preview(preview: Preview) -> None:
    preview.process.terminate()
    preview.process.wait(timeout=10)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Preview]:
    repo = make_site_project(tmp_path_factory.mktemp("preview") / "repo")
    write_content(repo / "content")
    (repo / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    init_repo(repo)
    assert run_cli("publish", "1.0", "--title", "Autumn", cwd=repo).exit_code == 0
    lead = repo / "content" / "leads" / "marketing-qualified-lead.yml"
    lead.write_text(lead.read_text(encoding="utf-8").replace("sla_hours: 24", "sla_hours: 12"), encoding="utf-8")
    git("commit", "-q", "-am", "Faster MQL hand-off", cwd=repo)
    result = run_cli("publish", "2.0", "--title", "Winter", cwd=repo)
    assert result.exit_code == 0, result.output
    preview = start_preview(repo)
    try:
        yield preview
    finally:
        stop_preview(preview)


def test_it_says_what_it_serves(published: Preview) -> None:
    assert published.lines == [
        "gh-pages: 2 published versions; readers start at latest\n",
        f"Serving the published versions at {published.url} (press Ctrl+C to stop)\n",
    ]
    result = run_cli("preview", "--help", cwd=published.repo)
    assert result.exit_code == 0 and "Serve the published versions locally, as readers will see them." in result.stdout


def test_the_address_and_folders_lead_where_github_pages_leads(published: Preview) -> None:
    root = request(published.url)
    assert root.status == 200 and root.headers["content-type"] == "text/html; charset=utf-8"
    assert root.body == git_bytes("show", "gh-pages:index.html", cwd=published.repo)
    assert redirect_target(root.text) == "latest/"
    folder = request(published.url + "2.0")
    assert (folder.status, folder.headers["location"]) == (301, "/2.0/")
    with_query = request(published.url + "2.0/leads?x=1")
    assert (with_query.status, with_query.headers["location"]) == (301, "/2.0/leads/?x=1")
    page = request(published.url + "2.0/leads/")
    assert page.status == 200 and "who acts within <strong>12 hours" in page.text
    assert "who acts within <strong>24 hours" in request(published.url + "1.0/leads/").text
    assert request(published.url + "latest/").body == git_bytes("show", "gh-pages:latest/index.html", cwd=published.repo)


def test_content_types_follow_the_extension(published: Preview) -> None:
    versions = request(published.url + "versions.json")
    assert versions.headers["content-type"] == "application/json"
    assert versions.body == git_bytes("show", "gh-pages:versions.json", cwd=published.repo)
    css = request(published.url + "2.0/assets/playbook/playbook.css")
    assert (css.status, css.headers["content-type"]) == (200, "text/css; charset=utf-8")
    js = request(published.url + "2.0/assets/playbook/playbook.js")
    assert js.headers["content-type"] == "text/javascript; charset=utf-8"
    assert request(published.url + "2.0/exports/kpis.csv").headers["content-type"] == "text/csv; charset=utf-8"
    assert request(published.url + "2.0/sitemap.xml.gz").headers["content-type"] == "application/gzip"
    head = request(published.url + "2.0/", method="HEAD")
    assert head.status == 200 and head.body == b"" and int(head.headers["content-length"]) > 1000
    assert head.headers["cache-control"] == "no-cache" and head.headers["x-content-type-options"] == "nosniff"
    assert (content_type("a/B.SVG"), content_type("noext")) == ("image/svg+xml", "application/octet-stream")


def test_a_missing_address_gets_the_sites_404_page(published: Preview) -> None:
    missing = request(published.url + "1.0/roles/no-such-role/")
    assert missing.status == 404 and missing.headers["content-type"] == "text/html; charset=utf-8"
    assert missing.body == git_bytes("show", "gh-pages:404.html", cwd=published.repo)
    assert "Read the current version of the playbook" in missing.text


@pytest.mark.parametrize(
    "path", ["../../../etc/passwd", "%2e%2e/%2e%2e/etc/passwd", "2.0/../../.git/config", "..%5c..%5cetc/passwd", "%ff"]
)
def test_nothing_outside_the_branch_is_served(published: Preview, path: str) -> None:
    answer = request(published.url + path)
    assert answer.status in (400, 404)
    assert b"root:" not in answer.body and b"[core]" not in answer.body


def test_a_link_in_the_branch_is_never_followed(published: Preview, tmp_path: Path) -> None:
    """A symbolic link committed on gh-pages (`secret.html -> /etc/hostname`) is missing, not read."""
    repo = published.repo
    index = tmp_path / "index"
    env = {**os.environ, "GIT_INDEX_FILE": str(index)}
    tip = git("rev-parse", "gh-pages", cwd=repo).strip()
    git("read-tree", "gh-pages", cwd=repo, env=env)
    target = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"], cwd=repo, input="/etc/hostname", capture_output=True, text=True, check=True
    ).stdout.strip()
    git("update-index", "--add", "--cacheinfo", f"120000,{target},secret.html", cwd=repo, env=env)
    tree = git("write-tree", cwd=repo, env=env).strip()
    commit = git(
        "-c", "user.name=T", "-c", "user.email=t@example.com", "commit-tree", tree, "-p", tip, "-m", "a link", cwd=repo
    ).strip()
    git("update-ref", "refs/heads/gh-pages", commit, tip, cwd=repo)
    try:
        time.sleep(0.6)  # the preview trusts the tip it read for half a second
        answer = request(published.url + "secret.html")
        assert answer.status == 404 and answer.body == git_bytes("show", "gh-pages:404.html", cwd=repo)
    finally:
        git("update-ref", "refs/heads/gh-pages", tip, commit, cwd=repo)


def test_a_version_published_while_it_runs_shows_at_the_next_load(tmp_path: Path) -> None:
    repo = make_site_project(tmp_path / "repo")
    write_content(repo / "content")
    (repo / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    init_repo(repo)
    assert run_cli("publish", "1.0", cwd=repo).exit_code == 0
    preview = start_preview(repo)
    try:
        assert request(preview.url + "1.1/").status == 404
        role = repo / "content" / "roles" / "sales-manager.yml"
        role.write_text(role.read_text(encoding="utf-8") + "owns: the forecast\n", encoding="utf-8")
        git("commit", "-q", "-am", "The forecast", cwd=repo)
        before = (git("status", "--porcelain", cwd=repo), git("symbolic-ref", "HEAD", cwd=repo))
        assert run_cli("publish", "1.1", cwd=repo).exit_code == 0
        time.sleep(0.6)
        assert request(preview.url + "1.1/").status == 200
        assert redirect_target(request(preview.url).text) == "latest/"
        assert redirect_target(request(preview.url + "latest/").text) == "../1.1/"
        assert (git("status", "--porcelain", cwd=repo), git("symbolic-ref", "HEAD", cwd=repo)) == before
    finally:
        stop_preview(preview)


def test_a_clone_previews_origins_branch(published: Preview, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git("clone", "-q", str(published.repo), str(clone), cwd=tmp_path)
    assert "refs/heads/gh-pages" not in git("for-each-ref", cwd=clone)
    preview = start_preview(clone)
    try:
        assert request(preview.url + "versions.json").body == git_bytes("show", "gh-pages:versions.json", cwd=published.repo)
    finally:
        stop_preview(preview)
    assert preview.lines[0] == "origin/gh-pages: 2 published versions; readers start at latest\n"


def test_nothing_published_is_said_plainly(tmp_path: Path) -> None:
    repo = make_site_project(tmp_path / "repo")
    write_content(repo / "content", base=MINIMAL)
    init_repo(repo)
    result = run_cli("preview", cwd=repo)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: nothing is published on gh-pages yet")
    assert "playbook publish VERSION" in result.stderr


def test_addresses() -> None:
    assert parse_address("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert parse_address("[::1]:0") == ("::1", 0)
    assert parse_address("localhost:8001") == ("localhost", 8001)
    for bad in ("8000", "127.0.0.1", "127.0.0.1:port", ":8000", "127.0.0.1:70000"):
        with pytest.raises(Exception, match="is not HOST:PORT"):
            parse_address(bad)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")
