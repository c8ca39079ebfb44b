"""`playbook publish`, `versions`, `retract` and `alias` in real temporary git repositories.

One module-scoped repository publishes the bundled playbook as 1.0, then a change as 2.0 (pushed
to a bare remote), with an uncommitted edit and an untracked file in the working tree; most tests
read what that left on `gh-pages`. Tests that change the published site work on a copy of it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, TODAY, CliResult, init_repo, make_site_project, run_cli

pytestmark = pytest.mark.slow

DRAFT_ROLE = """\
name: Field Marketing Manager
function: marketing
status: draft
summary: Runs our events; not agreed yet.
responsibilities:
  - Plans the trade-show calendar.
"""
UNTRACKED_ROLE = """\
name: Partner Manager
function: sales
summary: Works with resellers.
responsibilities:
  - Recruits resellers.
"""


def git(*args: str, cwd: Path) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"git {' '.join(args)} failed: {result.stderr}"
    return result.stdout


def tree(repo: Path, rev: str = "gh-pages") -> dict[str, tuple[str, str]]:
    """path -> (mode, blob id) of every file at `rev`."""
    entries = {}
    for line in git("ls-tree", "-r", "-z", "--full-tree", rev, cwd=repo).split("\0"):
        if line:
            meta, path = line.split("\t", 1)
            mode, _kind, object_id = meta.split(" ")
            entries[path] = (mode, object_id)
    return entries


def show(repo: Path, path: str, rev: str = "gh-pages") -> str:
    return git("show", f"{rev}:{path}", cwd=repo)


def refs(repo: Path) -> list[str]:
    return git("for-each-ref", "--format=%(refname)", "refs/heads/", cwd=repo).split()


def redirect_target(html: str) -> str:
    match = re.search(r'window\.location\.replace\(\s*"([^"]*)"', html)
    assert match, html[:300]
    return match.group(1)


class _Text(HTMLParser):
    """The text of a page's article (what a reader reads), tags dropped."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []
        self.hidden = 0  # inside the line only print shows (.pb-print-meta): not what a reader sees on screen

    BLOCKS = frozenset({"p", "li", "h1", "h2", "h3", "div", "ul", "table", "tr", "td", "th"})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" or self.depth:
            self.depth += 1
            if self.hidden or "pb-print-meta" in (dict(attrs).get("class") or "").split():
                self.hidden += 1
            if tag in self.BLOCKS:
                self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1
            self.hidden = max(0, self.hidden - 1)
            if tag in self.BLOCKS:
                self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.depth and not self.hidden:
            self.parts.append(data)


def article_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).replace("¶", " ").split())


def new_repo(root: Path) -> Path:
    repo = make_site_project(root, DEFAULT_CONTENT)
    (repo / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    init_repo(repo, user="Publishing Test")
    return repo


def commit_all(repo: Path, message: str) -> str:
    git("add", ".", cwd=repo)
    git("commit", "-q", "-m", message, cwd=repo)
    return git("rev-parse", "HEAD", cwd=repo).strip()


def status(repo: Path) -> str:
    return git("status", "--porcelain=v1", "--untracked-files=all", cwd=repo)


@dataclass
class Published:
    repo: Path
    remote: Path
    v1: CliResult
    v2: CliResult
    v1_commit: str
    v2_commit: str
    v1_tree: dict[str, tuple[str, str]]
    v1_tip: str
    remote_after_v1: str
    before: tuple[str, str, str, bytes]  # HEAD, branch, status, the edited file, before publishing 2.0
    after: tuple[str, str, str, bytes]


def _state(repo: Path) -> tuple[str, str, str, bytes]:
    return (
        git("rev-parse", "HEAD", cwd=repo),
        git("symbolic-ref", "HEAD", cwd=repo),
        status(repo),
        (repo / "content" / "kpis" / "win-rate.yml").read_bytes(),
    )


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    base = tmp_path_factory.mktemp("publish")
    remote = base / "remote.git"
    git("init", "-q", "--bare", str(remote), cwd=base)
    repo = new_repo(base / "repo")
    git("remote", "add", "origin", str(remote), cwd=repo)
    (repo / "content" / "roles" / "field-marketing-manager.yml").write_text(DRAFT_ROLE, encoding="utf-8")
    v1_commit = commit_all(repo, "A draft role, not agreed yet")

    v1 = run_cli("publish", "1.0", "--title", "Q3 2026 agreed", cwd=repo)
    assert v1.exit_code == 0, v1.output
    v1_tree, v1_tip = tree(repo), git("rev-parse", "gh-pages", cwd=repo).strip()
    remote_after_v1 = git("for-each-ref", "refs/heads/", cwd=remote)

    sal = repo / "content" / "leads" / "sales-accepted-lead.yml"
    sal.write_text(sal.read_text(encoding="utf-8").replace("sla_hours: 8", "sla_hours: 4"), encoding="utf-8")
    win_rate = repo / "content" / "kpis" / "win-rate.yml"
    win_rate.write_text(win_rate.read_text(encoding="utf-8").replace("value: 27", "value: 31"), encoding="utf-8")
    v2_commit = commit_all(repo, "Faster SAL hand-off, higher win-rate target")
    # Edits nobody committed: they must not be published, and must still be there afterwards.
    win_rate.write_text(win_rate.read_text(encoding="utf-8").replace("value: 31", "value: 99"), encoding="utf-8")
    (repo / "content" / "roles" / "partner-manager.yml").write_text(UNTRACKED_ROLE, encoding="utf-8")

    before = _state(repo)
    v2 = run_cli("publish", "2.0", "--push", cwd=repo)
    assert v2.exit_code == 0, v2.output
    return Published(repo, remote, v1, v2, v1_commit, v2_commit, v1_tree, v1_tip, remote_after_v1, before, _state(repo))


# --- what gh-pages holds -------------------------------------------------------------------------


def test_the_branch_holds_both_versions_an_alias_and_the_root_files(published: Published) -> None:
    files = tree(published.repo)
    assert {path.split("/")[0] for path in files} == {
        ".nojekyll",
        "1.0",
        "2.0",
        "404.html",
        "index.html",
        "latest",
        "versions.json",
        "feeds",  # the Atom feeds (tests/test_feeds.py)
    }
    for version in ("1.0", "2.0"):
        for page in ("index.html", "changes/index.html", "roles/account-executive/index.html", "playbook.json", "sitemap.xml"):
            assert f"{version}/{page}" in files, f"{version}/{page} is missing"
        assert f"{version}/search/search_index.json" in files
    assert all(mode != "120000" for mode, _ in files.values()), "GitHub Pages refuses symbolic links"


def test_versions_json_lists_the_versions_newest_first_with_aliases(published: Published) -> None:
    assert json.loads(show(published.repo, "versions.json")) == [
        {
            "version": "2.0",
            "title": "2.0",
            "aliases": ["latest"],
            "properties": {"published": TODAY, "commit": published.v2_commit, "title": "2.0", "compared_with": "1.0"},
        },
        {
            "version": "1.0",
            "title": "1.0 · Q3 2026 agreed",  # the selector shows the number and the title
            "aliases": [],
            "properties": {"published": TODAY, "commit": published.v1_commit, "title": "Q3 2026 agreed", "compared_with": ""},
        },
    ]
    after_v1 = json.loads(git("show", f"{published.v1_tip}:versions.json", cwd=published.repo))
    assert [(v["version"], v["aliases"]) for v in after_v1] == [("1.0", ["latest"])]


def test_the_alias_is_redirect_pages_and_the_root_leads_to_it(published: Published) -> None:
    repo = published.repo
    assert redirect_target(show(repo, "index.html")) == "latest/"
    latest = sorted(path for path in tree(repo) if path.startswith("latest/"))
    canonical = sorted(path for path in tree(repo) if path.startswith("2.0/") and path.endswith(".html"))
    assert latest == ["latest/" + path[len("2.0/") :] for path in canonical]  # one redirect a page, nothing else
    assert redirect_target(show(repo, "latest/index.html")) == "../2.0/"
    assert redirect_target(show(repo, "latest/roles/account-executive/index.html")) == "../../../2.0/roles/account-executive/"


def test_the_root_404_page_links_every_version_and_requests_nothing(published: Published) -> None:
    page = show(published.repo, "404.html")
    assert "<title>Page not found · Revenue Alignment Playbook</title>" in page
    assert '<a data-name="latest" href="/latest/">Read the current version of the playbook</a>' in page
    assert '<a data-name="2.0" href="/2.0/">2.0</a> (latest)' in page
    assert '<a data-name="1.0" href="/1.0/">1.0 · Q3 2026 agreed</a>' in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    after_v1 = git("show", f"{published.v1_tip}:404.html", cwd=published.repo)
    assert "/2.0/" not in after_v1 and '<a data-name="1.0" href="/1.0/">' in after_v1


def test_version_1_is_byte_for_byte_unchanged_after_version_2(published: Published) -> None:
    before = {path: entry for path, entry in published.v1_tree.items() if path.startswith("1.0/")}
    after = {path: entry for path, entry in tree(published.repo).items() if path.startswith("1.0/")}
    assert len(before) > 50
    assert after == before


# --- what each version says ----------------------------------------------------------------------


def test_what_changed_in_version_2_in_words_a_reader_understands(published: Published) -> None:
    text = article_text(show(published.repo, "2.0/changes/index.html"))
    assert text.startswith("What changed in version 2.0 This is version 2.0 of the playbook, published on 23 November 2026.")
    assert "compared here with the previous published version, version 1.0 (Q3 2026 agreed)." in text
    assert "Changes since version 1.0" in text
    assert "Sales Accepted Lead (SAL) (lead stage): hand-off SLA drops from 8 to 4 hours." in text
    assert "Win rate (KPI): target rises from 27% to 31% per quarter." in text
    assert "99" not in text  # the uncommitted edit
    assert "Field Marketing Manager" not in text  # a draft is not "new": it is not published at all
    assert "sla_hours" not in text and "approv" not in text.lower()


def test_the_first_version_says_it_is_the_first(published: Published) -> None:
    text = article_text(show(published.repo, "1.0/changes/index.html"))
    assert "This is version 1.0 (Q3 2026 agreed) of the playbook, published on 23 November 2026." in text
    assert "It is the first published version: there is no earlier version to compare it with." in text


def test_the_what_changed_page_is_in_the_navigation_and_the_version_on_the_home_page(published: Published) -> None:
    home = show(published.repo, "2.0/index.html")
    assert re.search(r'<a href="changes/" class="md-nav__link">\s*<span class="md-ellipsis">\s*What changed', home)
    assert "Version:</strong> 2.0" in home
    assert "Version:</strong> 1.0" in show(published.repo, "1.0/index.html")
    assert json.loads(show(published.repo, "2.0/playbook.json"))["version"] == "2.0"


def test_drafts_never_ship_and_proposed_entities_are_marked(published: Published) -> None:
    repo = published.repo
    assert not [path for path in tree(repo) if "field-marketing-manager" in path]
    for version in ("1.0", "2.0"):
        assert "field-marketing-manager" not in show(repo, f"{version}/playbook.json")
        assert "Field Marketing Manager" not in show(repo, f"{version}/search/search_index.json")
        assert "Field Marketing Manager" not in show(repo, f"{version}/roles/index.html")
        kpis = show(repo, f"{version}/kpis/index.html")
        # The badge is the first thing under the KPI's own heading, not just somewhere after its name.
        assert re.search(
            r'<h2 id="net-revenue-retention">(?:(?!</h2>).)*</h2>\s*<p><span class="pb-badge pb-badge--proposed">proposed</span></p>',
            kpis,
            re.S,
        )
    assert "Left out 1 draft: role `field-marketing-manager`." in published.v1.stdout


def test_only_committed_content_is_published(published: Published) -> None:
    kpis = show(published.repo, "2.0/kpis/index.html")
    assert "31% per quarter" in kpis and "99%" not in kpis
    assert "partner-manager" not in show(published.repo, "2.0/playbook.json")
    assert (
        "Note: 2 uncommitted changes were not published (content/kpis/win-rate.yml, content/roles/partner-manager.yml)"
        in published.v2.stderr
    )


def test_publishing_changes_neither_the_working_tree_nor_the_branch(published: Published) -> None:
    assert published.after == published.before
    assert b"value: 99" in published.after[3]
    assert published.after[1].strip() == "refs/heads/main"
    assert refs(published.repo) == ["refs/heads/gh-pages", "refs/heads/main"]  # no staging branch left
    assert len(git("worktree", "list", "--porcelain", cwd=published.repo).strip().split("\n\n")) == 1


def test_push_only_with_push(published: Published) -> None:
    assert published.remote_after_v1 == ""  # 1.0 was published without --push
    assert "Not pushed: run `git push origin gh-pages`, or use --push." in published.v1.stdout
    local = git("rev-parse", "gh-pages", cwd=published.repo)
    assert git("rev-parse", "gh-pages", cwd=published.remote) == local
    assert "Pushed gh-pages to origin." in published.v2.stdout


def test_the_command_reports_what_it_did(published: Published) -> None:
    lines = published.v2.stdout.splitlines()
    assert re.fullmatch(
        rf"Published version 2\.0 from commit {published.v2_commit[:12]} on gh-pages, aliases latest in \d+\.\d s\.",
        lines[0],
    )
    assert published.v1.stdout.startswith(f"Published version 1.0 (Q3 2026 agreed) from commit {published.v1_commit[:12]}")
    # Progress goes to stderr as it happens; the outcome to stdout.
    assert published.v2.stderr.startswith(
        f"Building version 2.0 from commit {published.v2_commit[:12]} (HEAD), drafts left out ...\n"
        "Writing version 2.0 to gh-pages ...\n"
        "Pushing gh-pages to origin ...\n"
    )
    assert lines[1:4] == [
        "Readers start at: latest.",
        'Its "What changed" page compares it with version 1.0.',
        "Left out 1 draft: role `field-marketing-manager`.",
    ]


def test_versions_lists_what_is_published(published: Published) -> None:
    result = run_cli("versions", cwd=published.repo)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "gh-pages: 2 published versions; readers start at latest (2.0)",
        f"  2.0  ·  aliases: latest  ·  published {TODAY} from {published.v2_commit[:12]}",
        f"  1.0  ·  Q3 2026 agreed  ·  published {TODAY} from {published.v1_commit[:12]}",
    ]
    data = json.loads(run_cli("versions", "--format", "json", cwd=published.repo).stdout)
    assert data["default"] == "latest"
    assert [(v["version"], v["title"], v["aliases"]) for v in data["versions"]] == [
        ("2.0", "2.0", ["latest"]),
        ("1.0", "Q3 2026 agreed", []),  # the title as given; the selector adds the number (versions.json)
    ]


def test_versions_on_a_repository_that_published_nothing(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    result = run_cli("versions", cwd=repo)
    assert (result.exit_code, result.stdout) == (
        0,
        "No version is published on gh-pages yet: publish one with `playbook publish VERSION`.\n",
    )


# --- refusals: nothing changes -------------------------------------------------------------------


def _refused(repo: Path, *args: str) -> CliResult:
    tip, state = git("rev-parse", "gh-pages", cwd=repo), status(repo)
    result = run_cli(*args, cwd=repo)
    assert result.exit_code == 1, result.output
    assert git("rev-parse", "gh-pages", cwd=repo) == tip, "gh-pages moved"
    assert status(repo) == state
    assert refs(repo) == ["refs/heads/gh-pages", "refs/heads/main"]
    return result


def test_publishing_an_existing_version_is_refused(published: Published) -> None:
    result = _refused(published.repo, "publish", "2.0")
    assert result.stderr == (
        f"Error: version 2.0 is already published on {TODAY}; publishing it again would change what readers were told was agreed\n"
        "  hint: publish a new version (e.g. 2.0.1), or pass --force to replace version 2.0 (and only it)\n"
    )
    assert "is already an alias of version 2.0" in _refused(published.repo, "publish", "latest").stderr


def test_retracting_the_version_an_alias_points_to_is_refused(published: Published) -> None:
    result = _refused(published.repo, "retract", "2.0")
    assert result.stderr == (
        "Error: version 2.0 is what `latest` points to; readers would find nothing there\n"
        "  hint: point it at another version first (`playbook alias 1.0 latest`), then retract 2.0\n"
    )
    assert "`latest` is an alias of version 2.0, not a version" in _refused(published.repo, "retract", "latest").stderr
    assert "version 9.9 is not published on gh-pages" in _refused(published.repo, "retract", "9.9").stderr


@pytest.mark.parametrize("name", ["../up", "a b", "versions.json", "-rf", ".hidden", "x" * 65])
def test_bad_version_names_are_refused(published: Published, name: str) -> None:
    result = _refused(published.repo, "publish", "--", name)
    assert f"`{name}` cannot be a version name" in result.stderr
    assert "hint: use letters, digits" in result.stderr


def test_an_alias_cannot_take_a_version_name(published: Published) -> None:
    result = _refused(published.repo, "publish", "3.0", "--alias", "1.0")
    assert "`1.0` is a published version, so it cannot be an alias" in result.stderr


# --- changes, each on a copy of the published repository -------------------------------------------


@pytest.fixture
def copy(published: Published, tmp_path: Path) -> Path:
    """An independent copy of the published repository (its remote is the shared bare one: no --push here)."""
    target = tmp_path / "repo"
    shutil.copytree(published.repo, target, symlinks=True)
    return target


def test_roll_back_then_retract(copy: Path, published: Published) -> None:
    v1_files = {path: entry for path, entry in tree(copy).items() if path.startswith("1.0/")}
    result = run_cli("alias", "1.0", "latest", cwd=copy)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("latest now leads to version 1.0 on gh-pages.\n")
    assert redirect_target(show(copy, "latest/index.html")) == "../1.0/"
    assert [(v["version"], v["aliases"]) for v in json.loads(show(copy, "versions.json"))] == [("2.0", []), ("1.0", ["latest"])]

    result = run_cli("retract", "2.0", cwd=copy)
    assert result.exit_code == 0, result.output
    files = tree(copy)
    assert not [path for path in files if path.startswith("2.0/")]
    assert [v["version"] for v in json.loads(show(copy, "versions.json"))] == ["1.0"]
    assert {path: entry for path, entry in files.items() if path.startswith("1.0/")} == v1_files
    assert "/2.0/" not in show(copy, "404.html") and 'href="/1.0/"' in show(copy, "404.html")
    assert redirect_target(show(copy, "index.html")) == "latest/"
    assert refs(copy) == ["refs/heads/gh-pages", "refs/heads/main"]


def test_a_reference_to_a_draft_stops_publishing_and_names_both(copy: Path) -> None:
    (copy / "content" / "kpis" / "pipeline-velocity.yml").write_text(
        textwrap.dedent(
            """\
            name: Pipeline velocity
            definition: How fast qualified pipeline turns into revenue.
            formula: Opportunities × win rate × deal size ÷ cycle length
            unit: currency
            currency: USD
            direction: higher
            owner: sales-manager
            status: draft
            """
        ),
        encoding="utf-8",
    )
    ae = copy / "content" / "roles" / "account-executive.yml"
    ae.write_text(ae.read_text(encoding="utf-8").replace("kpis:\n", "kpis:\n  - pipeline-velocity\n", 1), encoding="utf-8")
    commit_all(copy, "An agreed role measured on a draft KPI")
    line = ae.read_text(encoding="utf-8").splitlines().index("  - pipeline-velocity") + 1

    result = _refused(copy, "publish", "3.0")
    progress, problems = result.stderr.split("\n", 1)
    assert progress.startswith("Building version 3.0 from commit")
    assert problems.startswith(
        f"content/roles/account-executive.yml:{line}:5: error: agreed role `account-executive` (Account Executive)"
        " refers to draft KPI `pipeline-velocity` (Pipeline velocity) in `kpis`; drafts are left out of a published"
        " version, so this definition would be incomplete [draft-reference]\n"
    )
    assert "hint: agree the KPI first (`status: proposed` or `agreed` in content/kpis/pipeline-velocity.yml)" in result.stderr
    assert result.stderr.endswith("1 error, 0 warnings: nothing was written.\n")
    # Not an error in an ordinary build: the draft shows with its badge.
    assert run_cli("validate", cwd=copy).exit_code == 0


def test_a_failed_build_leaves_gh_pages_as_it_was(copy: Path) -> None:
    (copy / "docs" / "about.md").write_text("# About\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    commit_all(copy, "A page with a broken link")
    result = _refused(copy, "publish", "3.0")
    assert "Error: the site was not built" in result.stderr
    assert "previous site was left as it was" in result.stderr


def test_a_rejected_push_puts_the_local_branch_back(copy: Path, tmp_path: Path) -> None:
    remote = tmp_path / "rejecting.git"
    git("clone", "-q", "--bare", str(copy), str(remote), cwd=tmp_path)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'publishing is closed today' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    git("remote", "set-url", "origin", str(remote), cwd=copy)
    glossary = copy / "content" / "glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("term: Baton zone", "term: Baton pass zone"), encoding="utf-8"
    )
    commit_all(copy, "A clearer term")
    result = _refused(copy, "publish", "3.0", "--push")
    assert (
        "Error: the push to origin failed, so nothing was published; the local `gh-pages` was put back as it was" in result.stderr
    )
    assert "publishing is closed today" in result.stderr


def test_force_replaces_that_version_only(copy: Path) -> None:
    before = tree(copy)
    root_before = {path: entry for path, entry in before.items() if path.split("/")[0] in ("2.0", "latest", "index.html")}
    ae = copy / "content" / "roles" / "account-executive.yml"
    ae.write_text(
        ae.read_text(encoding="utf-8").replace("name: Account Executive", "name: Account Executive (AE)"), encoding="utf-8"
    )
    commit_all(copy, "Rename")
    result = run_cli("publish", "1.0", "--force", cwd=copy)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Replaced version 1.0 (Q3 2026 agreed) from commit")
    after = tree(copy)
    assert {path: entry for path, entry in after.items() if path.split("/")[0] in ("2.0", "latest", "index.html")} == root_before
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    # Only the version's folder and the lists of versions (versions.json; 404.html when a title changed;
    # the feeds, whose entry for 1.0 is that version's).
    tops = {path.split("/")[0] for path in changed}
    assert "1.0" in tops and tops <= {"1.0", "versions.json", "404.html", "feeds"}, sorted(changed)[:10]
    assert after["1.0/roles/account-executive/index.html"] != before["1.0/roles/account-executive/index.html"]
    assert "Account Executive (AE)" in show(copy, "1.0/roles/account-executive/index.html")
    versions = json.loads(show(copy, "versions.json"))
    assert [(v["version"], v["title"], v["aliases"]) for v in versions] == [
        ("2.0", "2.0", ["latest"]),
        ("1.0", "1.0 · Q3 2026 agreed", []),
    ]
    assert "It is the first published version" in article_text(show(copy, "1.0/changes/index.html"))


def test_publishing_refuses_while_gh_pages_is_checked_out(copy: Path) -> None:
    git("checkout", "-q", "-f", "gh-pages", cwd=copy)
    result = run_cli("publish", "3.0", cwd=copy)
    assert result.exit_code == 1
    assert "the branch `gh-pages` is checked out here" in result.stderr
    assert "hint: switch to your working branch first" in result.stderr


def test_publishing_works_when_git_holds_no_docs_folder(tmp_path: Path) -> None:
    """docs/ may hold no page at all, and git keeps no empty folder: a commit without docs/ still publishes."""
    repo = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    init_repo(repo, "The playbook, no docs/ in git")
    assert not [path for path in git("ls-files", cwd=repo).split() if path.startswith("docs/")]
    result = run_cli("publish", "1.0", cwd=repo)
    assert result.exit_code == 0, result.output
    assert "1.0/index.html" in tree(repo)


# --- the review's cases: default, previous version, clones, names on the branch, worktrees -------------


def commit_on_gh_pages(repo: Path, files: dict[str, str], message: str) -> None:
    """Change files on gh-pages the way someone might by hand (a worktree, then removed again)."""
    worktree = repo.parent / f"{repo.name}-gh-pages"
    git("worktree", "add", "-q", str(worktree), "gh-pages", cwd=repo)
    for path, text in files.items():
        (worktree / path).write_text(text, encoding="utf-8")
    git("add", ".", cwd=worktree)
    git("commit", "-q", "-m", message, cwd=worktree)
    git("worktree", "remove", str(worktree), cwd=repo)


def test_a_version_under_another_alias_does_not_take_the_site_address(copy: Path) -> None:
    result = run_cli("publish", "3.0-preview", "--alias", "preview", "--allow-same", cwd=copy)
    assert result.exit_code == 0, result.output
    assert "Readers start at: latest." in result.stdout
    assert redirect_target(show(copy, "index.html")) == "latest/"
    assert redirect_target(show(copy, "latest/index.html")) == "../2.0/"
    # Its pages know the current version is `latest` (the banner leads there), not the preview; the
    # banner itself is decided by assets/versions.js from versions.json (Material's test never marks
    # a version by its own name).
    page = show(copy, "3.0-preview/index.html")
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert config["version"] == {
        "provider": "mike",
        "default": ["^latest$", r"^3\.0\-preview$"],
        "playbook": {"version": "3.0-preview", "current": ["latest"]},
    }


def test_a_lower_number_published_later_is_compared_with_what_readers_had(copy: Path) -> None:
    result = run_cli("publish", "0.9", "--allow-same", cwd=copy)
    assert result.exit_code == 0, result.output
    assert 'Its "What changed" page compares it with version 2.0.' in result.stdout
    text = article_text(show(copy, "0.9/changes/index.html"))
    assert "compared here with the previous published version, version 2.0." in text
    assert "first published version" not in text


def test_an_unreadable_previous_export_is_said_plainly_not_a_traceback(copy: Path) -> None:
    export = json.loads(show(copy, "2.0/playbook.json"))
    export["playbook"]["title"] = 5  # e.g. written by a tool whose format has since changed
    commit_on_gh_pages(copy, {"2.0/playbook.json": json.dumps(export)}, "An export this tool cannot read")
    result = run_cli("publish", "3.0", "--allow-same", cwd=copy)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    text = article_text(show(copy, "3.0/changes/index.html"))
    assert "Its machine-readable export (playbook.json) is in a form this version of the tool cannot read" in text


def test_a_fresh_clone_publishes_on_top_of_the_remote_versions(published: Published, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"  # the shared remote has only gh-pages: a copy that has main too
    git("clone", "-q", "--bare", str(published.remote), str(remote), cwd=tmp_path)
    git("push", "-q", str(remote), "main", cwd=published.repo)
    clone = tmp_path / "clone"
    git("clone", "-q", "-b", "main", str(remote), str(clone), cwd=tmp_path)
    git("config", "user.name", "Clone", cwd=clone)
    git("config", "user.email", "clone@example.com", cwd=clone)
    assert refs(clone) == ["refs/heads/main"]  # gh-pages only as origin/gh-pages
    listed = run_cli("versions", cwd=clone)
    assert listed.stdout.startswith("origin/gh-pages: 2 published versions; readers start at latest (2.0)\n"), listed.output
    remote_tip = git("rev-parse", "origin/gh-pages", cwd=clone).strip()
    result = run_cli("publish", "3.0", "--allow-same", cwd=clone)
    assert result.exit_code == 0, result.output
    assert "compares it with version 2.0" in result.stdout
    assert git("merge-base", "--is-ancestor", remote_tip, "gh-pages", cwd=clone) == ""  # a fast-forward: pushable
    assert [v["version"] for v in json.loads(show(clone, "versions.json"))] == ["3.0", "2.0", "1.0"]


def test_a_name_already_at_the_root_of_the_branch_is_refused(copy: Path) -> None:
    commit_on_gh_pages(copy, {"CNAME": "playbook.example.com\n", "handbook": "an older site's file\n"}, "Custom domain")
    assert "`CNAME` cannot be a version name" in _refused(copy, "publish", "CNAME").stderr
    result = _refused(copy, "publish", "handbook")
    assert "`handbook` is already a file or folder at the root of gh-pages that is not a published version" in result.stderr
    assert "`handbook` is already a file or folder" in _refused(copy, "publish", "3.0", "--alias", "handbook").stderr
    assert show(copy, "CNAME") == "playbook.example.com\n"


def test_publishing_refuses_while_gh_pages_is_checked_out_in_another_worktree(copy: Path) -> None:
    worktree = copy.parent / "pages-worktree"
    git("worktree", "add", "-q", str(worktree), "gh-pages", cwd=copy)
    tip = git("rev-parse", "gh-pages", cwd=copy)
    for args in (("publish", "3.0"), ("alias", "1.0", "latest"), ("retract", "1.0")):
        result = run_cli(*args, cwd=copy)
        assert result.exit_code == 1, result.output
        assert f"the branch `gh-pages` is checked out in the worktree {worktree}" in result.stderr
        assert f"hint: switch that worktree to another branch, or remove it (`git worktree remove {worktree}`)" in result.stderr
    assert git("rev-parse", "gh-pages", cwd=copy) == tip
    assert git("status", "--porcelain", cwd=worktree) == ""


def test_wrong_places_get_plain_messages(tmp_path: Path) -> None:
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    result = run_cli("publish", "1.0", cwd=outside)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "hint: run the command inside the playbook's git repository\n" in result.stderr

    empty = make_site_project(tmp_path / "empty", DEFAULT_CONTENT)
    git("init", "-q", "-b", "main", cwd=empty)
    result = run_cli("publish", "1.0", cwd=empty)
    assert result.exit_code == 1
    assert "the repository has no commits yet" in result.stderr
    assert "hint: commit the playbook first" in result.stderr

    repo = new_repo(tmp_path / "repo")
    result = run_cli("publish", "1.0", cwd=repo / "content")
    assert result.exit_code == 2
    assert "mkdocs.yml does not exist here; run the command in the playbook repository" in result.stderr
    assert "gh-pages" not in git("branch", "--list", cwd=repo)


def test_a_site_without_site_url_is_told_what_the_selector_loses(published: Published) -> None:
    assert "site_url:" not in (published.repo / "mkdocs.yml").read_text(encoding="utf-8")
    assert "Note: mkdocs.yml has no site_url, so the version selector opens the other version's home page" in published.v2.stderr


def test_a_gh_pages_branch_holding_another_site_is_refused(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    blob = (
        subprocess.run(
            ["git", "hash-object", "-w", "--stdin"],
            cwd=repo,
            input=b"<h1>Our old handbook</h1>\n",
            capture_output=True,
            check=True,
        )
        .stdout.decode()
        .strip()
    )
    listing = f"100644 blob {blob}\tindex.html\n100644 blob {blob}\tabout.html\n"
    old_tree = (
        subprocess.run(["git", "mktree"], cwd=repo, input=listing.encode(), capture_output=True, check=True)
        .stdout.decode()
        .strip()
    )
    old_site = git("commit-tree", old_tree, "-m", "The old handbook site", cwd=repo).strip()
    git("update-ref", "refs/heads/gh-pages", old_site, cwd=repo)
    result = _refused(repo, "publish", "1.0")
    assert (
        "gh-pages holds a site that was not published with versions (no versions.json; it has about.html, index.html)"
        in result.stderr
    )
    assert "hint: publish to another branch (--branch playbook-pages)" in result.stderr
    assert git("rev-parse", "gh-pages", cwd=repo).strip() == old_site
    other = run_cli("publish", "1.0", "--branch", "playbook-pages", cwd=repo)
    assert other.exit_code == 0, other.output
    assert "1.0/index.html" in tree(repo, "playbook-pages")


def test_the_first_publish_under_a_preview_alias_does_not_keep_the_address(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    assert run_cli("publish", "0.9-rc", "--alias", "preview", cwd=repo).exit_code == 0
    assert redirect_target(show(repo, "index.html")) == "preview/"
    first = run_cli("publish", "1.0", "--allow-same", cwd=repo)
    assert "Readers start at: latest." in first.stdout, first.output
    assert redirect_target(show(repo, "index.html")) == "latest/"
    second = run_cli("publish", "2.0", "--allow-same", cwd=repo)
    assert 'Its "What changed" page compares it with version 1.0.' in second.stdout


def test_force_keeps_the_comparison_the_version_had(tmp_path: Path) -> None:
    repo = new_repo(tmp_path / "repo")
    for version in ("1.0", "1.1"):
        assert run_cli("publish", version, "--allow-same", cwd=repo).exit_code == 0
    patch = run_cli("publish", "1.0.1", "--allow-same", cwd=repo)
    assert "compares it with version 1.1." in patch.stdout, patch.output
    again = run_cli("publish", "1.0.1", "--force", "--allow-same", cwd=repo)
    assert "compares it with version 1.1." in again.stdout, again.output
    first_again = run_cli("publish", "1.0", "--force", "--allow-same", cwd=repo)
    assert 'Its "What changed" page says it is the first version.' in first_again.stdout, first_again.output
    recorded = {v["version"]: v["properties"]["compared_with"] for v in json.loads(show(repo, "versions.json"))}
    assert recorded == {"1.0.1": "1.1", "1.1": "1.0", "1.0": ""}


def test_an_alias_may_not_replace_a_folder_that_is_not_a_version(copy: Path) -> None:
    commit_on_gh_pages(copy, {"downloads": "a file readers download\n"}, "A download")
    result = _refused(copy, "alias", "1.0", "downloads")
    assert "`downloads` is already a file or folder at the root of gh-pages that is not a published version" in result.stderr
    assert show(copy, "downloads") == "a file readers download\n"


def test_folders_outside_the_commit_are_refused(copy: Path, tmp_path: Path) -> None:
    config = copy / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("docs_dir: docs", f"docs_dir: {copy / 'docs'}"), encoding="utf-8"
    )
    commit_all(copy, "An absolute docs_dir")
    (copy / "docs" / "secret.md").write_text("# Not committed\n", encoding="utf-8")
    result = _refused_with_untracked(copy, "publish", "3.0")
    assert (
        f"docs_dir ({copy / 'docs'}) is outside the repository, so it would be published as it is on this machine"
        in result.stderr
    )
    assert "hint: give `docs_dir` in mkdocs.yml as a path relative to mkdocs.yml, inside the repository" in result.stderr


def test_a_nested_docs_dir_missing_from_git_is_created(tmp_path: Path) -> None:
    repo = make_site_project(tmp_path / "repo", DEFAULT_CONTENT)
    (repo / "docs").rmdir()
    config = repo / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("docs_dir: docs", "docs_dir: web/docs"), encoding="utf-8")
    init_repo(repo)
    result = run_cli("publish", "1.0", cwd=repo)
    assert result.exit_code == 0, result.output
    assert "1.0/index.html" in tree(repo)


def _refused_with_untracked(repo: Path, *args: str) -> CliResult:
    tip = git("rev-parse", "gh-pages", cwd=repo)
    result = run_cli(*args, cwd=repo)
    assert result.exit_code == 1, result.output
    assert git("rev-parse", "gh-pages", cwd=repo) == tip, "gh-pages moved"
    return result
