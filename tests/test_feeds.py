"""The Atom feeds and the announcement `playbook publish` writes, and the version checks of issue 23
(selector titles, `--allow-same`), in real git repositories published with the real command.

The feeds are checked against RFC 4287's rules, written out here (not a validator's say-so): the
elements a feed and an entry must have exactly once, absolute ids, RFC 3339 dates, a self link, an
entry's content type. A change holding hostile text (script tags, quotes, @mentions, issue numbers,
a javascript: link) must stay text in the feed and in the announcement.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import run_cli
from test_publish import commit_all, git, new_repo, show

pytestmark = pytest.mark.slow

A = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://playbook.example.com/handbook/"
# Text validation lets through (tests/hostile.py: entity-escaped markup, which would run if any layer
# decoded it once more), with quotes, mentions, an issue number and links.
HOSTILE = (
    "Ends with &lt;script&gt;window.__pwned=1&lt;/script&gt; and \"quotes\" 'both', &lt;img src=x onerror=window.__pwned=2&gt;,"
    " ping @everyone and @northwind/sales about #123, see &lt;a href=javascript&#58;alert(1)&gt;the form&lt;/a&gt;"
    " and [the form](https://evil.example/x)"
)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = new_repo(tmp_path_factory.mktemp("feeds") / "repo")
    config = repo / "mkdocs.yml"
    config.write_text(f"site_url: {SITE_URL}\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    commit_all(repo, "The site's address")
    assert run_cli("publish", "1.0", "--title", "Q3 2026", cwd=repo).exit_code == 0
    content = repo / "content"
    _edit(
        content / "roles/sales-development-rep.yml",
        "owns: the first conversation",
        f"owns: '{HOSTILE.replace(chr(39), chr(39) * 2)}'",
    )
    _edit(content / "leads/sales-accepted-lead.yml", "sla_hours: 8", "sla_hours: 4")
    commit_all(repo, "Hostile words, a faster hand-off")
    result = run_cli("publish", "1.1", "--title", "Q4 2026", cwd=repo)
    assert result.exit_code == 0, result.output
    (repo / "news").mkdir()
    (repo / "news" / "1.1.md").write_text(
        result.stdout.split("Announcement (Markdown, for a chat channel or an email):")[1], encoding="utf-8"
    )
    _edit(content / "kpis/win-rate.yml", "value: 27", "value: 30")
    commit_all(repo, "A higher win-rate target")
    result = run_cli("publish", "1.2", "--title", "Q1 2027", "--announcement", "news/1.2.md", cwd=repo)
    assert result.exit_code == 0, result.output
    return repo


# --- RFC 4287, the rules a feed must keep ---------------------------------------------------------

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _date(text: str | None) -> datetime:
    assert text is not None and RFC3339.match(text), text  # RFC 4287 3.3: an RFC 3339 date-time
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _one(parent: ET.Element, tag: str) -> ET.Element:
    found = parent.findall(A + tag)
    assert len(found) == 1, f"{parent.tag} must have exactly one atom:{tag}, has {len(found)}"
    return found[0]


def _absolute_iri(text: str | None) -> str:
    assert text, "an atom:id is never empty"
    scheme = urlsplit(text).scheme
    assert scheme in ("urn", "tag", "https", "http"), text  # RFC 4287 4.2.6: an absolute IRI
    if scheme == "urn":
        assert re.fullmatch(r"urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text), text
    return text


def check_rfc4287(raw: bytes) -> ET.Element:
    """Every MUST of RFC 4287 that a feed of this shape can break; the feed element."""
    feed = ET.fromstring(raw)
    assert feed.tag == A + "feed"  # 4.1.1: the root is atom:feed, in the Atom namespace
    for tag in ("id", "title", "updated"):  # 4.1.1: exactly one each
        _one(feed, tag)
    _absolute_iri(_one(feed, "id").text)
    feed_updated = _date(_one(feed, "updated").text)
    assert _one(feed, "title").get("type", "text") in ("text", "html", "xhtml")
    links = feed.findall(A + "link")
    assert all(link.get("href") for link in links)  # 4.2.7.1: every link has an href
    alternates = [(link.get("type"), link.get("hreflang")) for link in links if link.get("rel", "alternate") == "alternate"]
    assert len(alternates) == len(set(alternates))  # 4.1.1: at most one alternate per type and hreflang
    selfs = [link for link in links if link.get("rel") == "self"]
    assert len(selfs) == 1 and selfs[0].get("href", "").startswith(SITE_URL)  # 4.1.1 SHOULD: a self link, absolute here
    authors = feed.findall(A + "author")
    entries = feed.findall(A + "entry")
    for author in authors:
        assert _one(author, "name").text  # 3.2.1: a person has exactly one name
    ids = []
    for entry in entries:
        for tag in ("id", "title", "updated"):  # 4.1.2: exactly one each
            _one(entry, tag)
        ids.append(_absolute_iri(_one(entry, "id").text))
        assert _date(_one(entry, "updated").text) <= feed_updated
        assert authors or entry.findall(A + "author")  # 4.1.1: an author on the feed or on every entry
        contents = entry.findall(A + "content")
        assert len(contents) <= 1
        if not contents:  # 4.1.2: without content, an alternate link
            assert any(link.get("rel", "alternate") == "alternate" for link in entry.findall(A + "link"))
        for content in contents:
            assert content.get("type", "text") in ("text", "html")  # never xhtml: no content as markup
            assert len(content) == 0  # 4.1.3.3: text or html content holds no child elements
    assert len(ids) == len(set(ids))  # 4.1.1: no two entries share an id
    return feed


def _entries(feed: ET.Element) -> dict[str, ET.Element]:
    return {_one(entry, "title").text or "": entry for entry in feed.findall(A + "entry")}


def test_the_playbook_feed_keeps_rfc_4287_with_one_entry_per_version(site: Path) -> None:
    feed = check_rfc4287(show(site, "feeds/playbook.xml").encode("utf-8"))
    assert list(_entries(feed)) == ["Version 1.2 (Q1 2027)", "Version 1.1 (Q4 2026)", "Version 1.0 (Q3 2026)"]
    win_rate = _one(_entries(feed)["Version 1.2 (Q1 2027)"], "content").text or ""
    assert "target rises from 27% to 30% per quarter" in win_rate
    assert f'href="{SITE_URL}1.2/kpis/#win-rate"' in win_rate  # a link per change
    assert "For: " in win_rate  # for whom


def test_a_feed_per_role_each_keeping_rfc_4287(site: Path) -> None:
    roles = sorted(p.stem for p in (site / "content" / "roles").glob("*.yml"))
    listed = git("ls-tree", "--name-only", "gh-pages:feeds/roles/", cwd=site).split()
    assert listed == [f"{role}.xml" for role in roles]
    assert git("ls-tree", "--name-only", "gh-pages:feeds/", cwd=site).split() == ["playbook.xml", "roles", "sitemap.xml"]
    for role in roles:
        feed = check_rfc4287(show(site, f"feeds/roles/{role}.xml").encode("utf-8"))
        assert len(_entries(feed)) == 3, role
    sdr = _entries(check_rfc4287(show(site, "feeds/roles/sales-development-rep.xml").encode("utf-8")))
    assert "hand-off SLA drops from 8 to 4 hours" in (_one(sdr["Version 1.1 (Q4 2026)"], "content").text or "")
    assert "Win rate" not in (_one(sdr["Version 1.2 (Q1 2027)"], "content").text or "")  # the SDR is not measured on it
    ids = {_one(feed, "id").text for feed in (ET.fromstring(show(site, f"feeds/roles/{r}.xml").encode()) for r in roles)}
    assert len(ids) == len(roles)


def test_feed_ids_stay_the_same_from_one_publish_to_the_next(site: Path) -> None:
    now = ET.fromstring(show(site, "feeds/playbook.xml").encode("utf-8"))
    before = ET.fromstring(show(site, "feeds/playbook.xml", "gh-pages~3").encode("utf-8"))  # after 1.1
    assert _one(now, "id").text == _one(before, "id").text
    old = {(_one(e, "title").text, _one(e, "id").text) for e in before.findall(A + "entry")}
    assert old <= {(_one(e, "title").text, _one(e, "id").text) for e in now.findall(A + "entry")}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def test_hostile_text_stays_text_in_the_feed(site: Path) -> None:
    entry = _entries(ET.fromstring(show(site, "feeds/playbook.xml").encode("utf-8")))["Version 1.1 (Q4 2026)"]
    html = _one(entry, "content").text or ""
    parser = _Elements()
    parser.feed(html)
    assert {tag for tag, _ in parser.found} <= {"p", "ul", "li", "strong", "a", "br"}
    for tag, attrs in parser.found:
        assert all(not name.startswith("on") for name, _ in attrs), (tag, attrs)
        for name, value in attrs:
            if name == "href":
                assert value is not None and value.startswith(SITE_URL), value
    assert "&amp;lt;script&amp;gt;window.__pwned=1&amp;lt;/script&amp;gt;" in html  # shown as it was written
    assert "&quot;quotes&quot;" in html and "@everyone" in html


def test_the_announcement_says_what_changed_for_whom_with_a_link_each_and_pings_nobody(site: Path) -> None:
    text = (site / "news" / "1.2.md").read_text(encoding="utf-8")
    assert "**For Sales Manager**" in text and f"]({SITE_URL}1.2/kpis/#win-rate)" in text
    announcement = (site / "news" / "1.1.md").read_text(encoding="utf-8")  # as printed
    assert f"]({SITE_URL}1.1/leads/#sales-accepted-lead)" in announcement
    assert "**For Sales Development Representative**" in announcement
    lines = [line for line in announcement.splitlines() if line.startswith("- ")]
    assert lines and all(f"]({SITE_URL}1.1/" in line for line in lines)  # a link per change
    words = re.sub(r"\]\(" + re.escape(SITE_URL) + r"[^)\s]*\)", "]", announcement)  # the tool's own links set aside
    assert "@everyone" not in words and "#123" not in words
    assert not re.search(r"[@#](?!\u200b)", words)  # no mention, no issue number
    assert "<script" not in announcement and "<img" not in announcement and "<a " not in announcement
    assert "&amp;lt;script&amp;gt;" in announcement  # the entity stays text in Markdown
    assert "](https://evil" not in announcement and "https://evil" not in announcement
    assert "\\[the form\\]" in announcement  # the content's Markdown link stays text


def test_the_site_links_its_feeds_without_asking_another_host(site: Path) -> None:
    home = show(site, "1.2/index.html")
    assert re.search(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="\./?\.\./feeds/playbook\.xml">', home
    ), home[:2000]
    role = show(site, "1.2/roles/account-executive/index.html")
    assert 'href="../../../feeds/roles/account-executive.xml"' in role
    assert 'href="../../feeds/playbook.xml"' in show(site, "1.2/changes/index.html")


def test_the_selector_shows_number_and_title_and_versions_the_plain_title(site: Path) -> None:
    import json

    titles = [entry["title"] for entry in json.loads(show(site, "versions.json"))]
    assert titles == ["1.2 · Q1 2027", "1.1 · Q4 2026", "1.0 · Q3 2026"]
    listed = run_cli("versions", "--format", "json", cwd=site)
    assert [v["title"] for v in json.loads(listed.stdout)["versions"]] == ["Q1 2027", "Q4 2026", "Q3 2026"]


def test_publishing_a_published_commit_again_needs_allow_same(site: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(site, copy, symlinks=True)
    tip = git("rev-parse", "gh-pages", cwd=copy)
    refused = run_cli("publish", "1.3", cwd=copy)
    assert refused.exit_code != 0
    assert "is already published as version 1.2" in refused.stderr and "--allow-same" in refused.stderr
    assert git("rev-parse", "gh-pages", cwd=copy) == tip  # nothing written
    allowed = run_cli("publish", "1.3", "--allow-same", cwd=copy)
    assert allowed.exit_code == 0, allowed.output


@pytest.fixture
def copy(site: Path, tmp_path: Path) -> Path:
    import shutil

    copied = tmp_path / "copy"
    shutil.copytree(site, copied, symlinks=True)
    return copied


def test_versions_published_before_numbered_titles_get_their_number(copy: Path) -> None:
    import json

    from test_publish import commit_on_gh_pages

    listed = json.loads(show(copy, "versions.json"))
    for entry in listed:  # as an earlier release of the tool wrote them: the title alone
        entry["title"] = entry["properties"].pop("title")
    commit_on_gh_pages(copy, {"versions.json": json.dumps(listed)}, "versions.json as an older tool wrote it")
    assert [entry["title"] for entry in json.loads(show(copy, "versions.json"))] == ["Q1 2027", "Q4 2026", "Q3 2026"]
    _edit(copy / "content/kpis/win-rate.yml", "value: 30", "value: 31")
    commit_all(copy, "Another target")
    assert run_cli("publish", "1.3", "--title", "Q2 2027", cwd=copy).exit_code == 0
    titles = [entry["title"] for entry in json.loads(show(copy, "versions.json"))]
    assert titles == ["1.3 · Q2 2027", "1.2 · Q1 2027", "1.1 · Q4 2026", "1.0 · Q3 2026"]
    listed_now = json.loads(run_cli("versions", "--format", "json", cwd=copy).stdout)["versions"]
    assert [v["title"] for v in listed_now] == ["Q2 2027", "Q1 2027", "Q4 2026", "Q3 2026"]


def test_a_retracted_version_leaves_the_feeds_with_its_role(copy: Path) -> None:
    role = copy / "content/roles/partner-manager.yml"
    role.write_text(
        "name: Partner Manager\nfunction: sales\nsummary: Works with resellers.\nresponsibilities:\n  - Recruits resellers.\n",
        encoding="utf-8",
    )
    commit_all(copy, "A new role")
    assert run_cli("publish", "1.3", cwd=copy).exit_code == 0
    assert len(check_rfc4287(show(copy, "feeds/playbook.xml").encode("utf-8")).findall(A + "entry")) == 4
    partner = check_rfc4287(show(copy, "feeds/roles/partner-manager.xml").encode("utf-8"))
    assert list(_entries(partner)) == ["Version 1.3"]
    assert run_cli("alias", "1.2", "latest", cwd=copy).exit_code == 0
    assert run_cli("retract", "1.3", cwd=copy).exit_code == 0
    assert len(check_rfc4287(show(copy, "feeds/playbook.xml").encode("utf-8")).findall(A + "entry")) == 3
    assert "partner-manager.xml" not in git("ls-tree", "--name-only", "gh-pages:feeds/roles/", cwd=copy).split()
