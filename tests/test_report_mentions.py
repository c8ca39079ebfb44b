"""The change report posted on a pull request mentions nobody.

Content is written by whoever opens the pull request, and GitHub notifies every `@user` and
`@org/team` it finds in a comment. The Markdown report (the comment, the job summary) is rendered
here with cmarkgfm, the bindings to GitHub's own cmark-gfm, and every text GitHub would scan for
mentions (outside code and links) is checked: no `@` followed by a name. Handles, where the report
names approvers, are always code. The text and JSON reports are not rendered by GitHub and keep the
content exactly as written.
"""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from conftest import MINIMAL, init_repo, run_cli, write_content

MENTION = re.compile(r"@[A-Za-z0-9]")  # what GitHub's mention filter needs, whatever comes before it


class MentionScanner(HTMLParser):
    """Collects the text GitHub scans for mentions (not inside code, pre or a link) and the code spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.scanned: list[str] = []
        self.code: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("code", "pre", "a"):
            self.skipping += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "pre", "a"):
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        (self.code if self.skipping else self.scanned).append(data)


def rendered(markdown: str) -> MentionScanner:
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    scanner = MentionScanner()
    scanner.feed(html)
    return scanner


@pytest.fixture
def mentioning(tmp_path: Path) -> Path:
    """A repository whose second commit writes mentions into content and changes an entity's approvers."""
    repo = tmp_path / "repo"
    base = {
        **MINIMAL,
        "playbook.yml": MINIMAL["playbook.yml"].rstrip() + "\n" + '        approvers: ["@example/revenue-council"]\n',
    }
    write_content(repo / "content", base=base)
    init_repo(repo)
    role = repo / "content" / "roles" / "account-executive.yml"
    role.write_text(
        role.read_text(encoding="utf-8")
        .replace("name: Account Executive", "name: Account Executive @octocat")
        .replace(
            "summary: Closes deals.",
            "summary: 'Closes deals; ask @octocat, *@northwind/everyone*, (@admins) or ops@example.com.'",
        )
        .replace("  - Runs discovery calls.", "  - Runs discovery calls.\n  - Tells @northwind/sales-leads first.")
        + 'approvers: ["@northwind/everyone", "ops@example.com"]\n',
        encoding="utf-8",
    )
    subprocess.run(["git", "commit", "-q", "-am", "Mentions"], cwd=repo, check=True)
    return repo


def test_the_markdown_report_mentions_nobody(mentioning: Path) -> None:
    result = run_cli("diff", "HEAD~1", "HEAD", "--format", "markdown", cwd=mentioning)
    assert result.exit_code == 0, result.output
    assert "Account Executive" in result.stdout and "Tells" in result.stdout
    page = rendered(result.stdout)
    scanned = "".join(page.scanned)
    assert MENTION.findall(scanned) == []
    # The text still reads the same (the zero-width space is invisible).
    for neutral in (
        "@\u200boctocat",
        "@\u200bnorthwind/everyone",
        "(@\u200badmins)",
        "ops@\u200bexample",
        "Tells @\u200bnorthwind/sales-leads first.",
    ):
        assert neutral in scanned
    # Handles the report names as approvers are code, wherever they appear.
    assert {"@northwind/everyone", "ops@example.com"} <= set(page.code)
    assert "| approvers: added | – | `@northwind/everyone` |" in result.stdout
    # Who must approve is the base's (the playbook's default approvers); the new approvers are a proposal.
    assert (
        "approval: `@example/revenue-council` (the playbook's default approvers)"
        " · proposed approvers: `@northwind/everyone` or `ops@example.com`"
    ) in result.stdout


def test_the_text_and_json_reports_keep_the_content_as_written(mentioning: Path) -> None:
    text = run_cli("diff", "HEAD~1", "HEAD", cwd=mentioning).stdout
    assert "Tells @northwind/sales-leads first." in text and "\u200b" not in text and "&#8203;" not in text
    data = json.loads(run_cli("diff", "HEAD~1", "HEAD", "--format", "json", cwd=mentioning).stdout)
    role = next(change for change in data["changes"] if change["id"] == "account-executive")
    assert role["name"] == "Account Executive @octocat"
    assert "\u200b" not in json.dumps(data, ensure_ascii=False)


def test_the_scanner_sees_a_mention(mentioning: Path) -> None:
    """The check can fail: GitHub's renderer leaves a plain mention as text that the scan finds."""
    page = rendered("Ask @octocat, `@not-this-one` or [@nor-this](https://example.invalid).")
    assert MENTION.findall("".join(page.scanned)) == ["@o"]


# GitHub also links issue and pull-request references in a comment, and each link to another issue adds
# a "mentioned this" event to it (and cross-links, across repositories): `#123`, `owner/repo#2`,
# `GH-123`, and full addresses of issues (autolinked URLs). Content never makes one.
REFERENCE = re.compile(r"#\d|\bGH-\d", re.IGNORECASE)
REFERENCES = (
    "Fixes #123, see northwind/playbook#2 and GH-45 (gh-7), "
    "https://github.com/northwind/playbook/issues/5 and www.github.com/northwind/playbook/pull/6."
)


@pytest.fixture
def referencing(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    write_content(repo / "content")
    init_repo(repo)
    role = repo / "content" / "roles" / "account-executive.yml"
    role.write_text(
        role.read_text(encoding="utf-8")
        .replace("name: Account Executive", "name: 'Account Executive #9'")
        .replace("  - Runs discovery calls.", f"  - 'Runs discovery calls (org/repo#3, #4).'\n  - '{REFERENCES}'")
    )
    subprocess.run(["git", "commit", "-q", "-am", "References"], cwd=repo, check=True)
    return repo


def test_the_markdown_report_references_no_issue(referencing: Path) -> None:
    result = run_cli("diff", "HEAD~1", "HEAD", "--format", "markdown", cwd=referencing)
    assert result.exit_code == 0, result.output
    html = cmarkgfm.github_flavored_markdown_to_html(result.stdout, options=Options.CMARK_OPT_UNSAFE)
    assert "<a " not in html  # no address of the content is a link
    page = rendered(result.stdout)
    scanned = "".join(page.scanned)
    assert REFERENCE.findall(scanned) == []
    assert "://" not in scanned and "www." not in scanned
    plain = scanned.replace("\u200b", "")  # the zero-width spaces aside, it reads the same
    assert REFERENCES in plain and "Account Executive #9" in plain and "(org/repo#3, #4)" in plain
    # The text report keeps the content as written.
    assert REFERENCES in run_cli("diff", "HEAD~1", "HEAD", cwd=referencing).stdout


def test_the_reference_scan_sees_a_reference() -> None:
    """The check can fail: plain references and an issue address stay references and a link."""
    html = cmarkgfm.github_flavored_markdown_to_html(REFERENCES, options=Options.CMARK_OPT_UNSAFE)
    assert "<a " in html
    assert len(REFERENCE.findall("".join(rendered(REFERENCES).scanned))) == 4


# The word diff escapes each run of a changed text on its own: a `#` in one run and a number in the next
# (once the pull request deletes the words between them) must not join into `#30` in the assembled cell;
# nor `@` and a name, `GH` and `-12`, `https:` and `//…`, `www` and `.…` (issue 21, reopened).
SPLIT_ACROSS_RUNS = {
    "issue-number": (
        "Posts every won deal in #sales-team and closes most deals within 30 days.",
        "Posts every won deal in #30 days.",
    ),
    "mention": ("Ask @ the sales team now.", "Ask @team now."),
    "mention-inserted": ("Ask @ now.", "Ask @team now."),
    "gh-number": ("See GH issue -12 first.", "See GH-12 first."),
    "url": (
        "Read https: the page //github.com/northwind/playbook/issues/5 today.",
        "Read https://github.com/northwind/playbook/issues/5 today.",
    ),
    "www": ("Read www then .github.com/northwind/playbook/pull/6 today.", "Read www.github.com/northwind/playbook/pull/6 today."),
}


@pytest.mark.parametrize("case", sorted(SPLIT_ACROSS_RUNS))
def test_a_reference_split_across_the_word_diffs_runs_is_neutralised(tmp_path: Path, case: str) -> None:
    before, after = SPLIT_ACROSS_RUNS[case]
    repo = tmp_path / "repo"
    write_content(repo / "content")
    role = repo / "content" / "roles" / "account-executive.yml"
    original = role.read_text(encoding="utf-8")
    assert "summary: Closes deals." in original
    role.write_text(original.replace("summary: Closes deals.", f"summary: '{before}'"), encoding="utf-8")
    init_repo(repo)
    role.write_text(original.replace("summary: Closes deals.", f"summary: '{after}'"), encoding="utf-8")
    subprocess.run(["git", "commit", "-q", "-am", "Split"], cwd=repo, check=True)
    result = run_cli("diff", "HEAD~1", "HEAD", "--format", "markdown", cwd=repo)
    assert result.exit_code == 0, result.output
    [row] = [line for line in result.stdout.splitlines() if line.startswith("| summary")]
    html = cmarkgfm.github_flavored_markdown_to_html(result.stdout, options=Options.CMARK_OPT_UNSAFE)
    assert "<a " not in html, row
    scanned = "".join(rendered(result.stdout).scanned)
    assert REFERENCE.findall(scanned) == [], row
    assert MENTION.findall(scanned) == [], row
    assert "://" not in scanned and "www." not in scanned, row
    assert after in scanned.replace("\u200b", ""), row  # it reads the same
