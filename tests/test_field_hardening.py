"""Fields that are shown as they are, and text that only looks like something else (issue 12, item 8).

Each case goes through the real loader (`playbook_site.content.load`) or the real generator and is
checked where it lands: the problem code a user sees, or the HTML a reader gets.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli, write_content
from playbook_site.content import load
from playbook_site.errors import ContentError, PublishError
from playbook_site.publishing.versions import check_name


def problems(root: Path) -> list[tuple[str, str, int]]:
    """(code, file, line) of every problem the loader reports."""
    try:
        load(root)
    except ContentError as exc:
        return [(p.code, Path(p.path).name, p.line) for p in exc.problems]
    return []


def codes(root: Path) -> set[str]:
    return {code for code, _, _ in problems(root)}


PLAYBOOK = """\
title: Test Playbook
organization: Example Co
summary: A small playbook for tests.
alignment:
  current: defined
  target: aligned
"""


@pytest.mark.parametrize(
    "value",
    ["2026-Q4 <b>final</b>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"],
    ids=["bold", "script", "img"],
)
def test_html_in_the_version_label_is_refused(tmp_path: Path, value: str) -> None:
    root = write_content(tmp_path / "c", {"playbook.yml": PLAYBOOK + f"version: {json.dumps(value)}\n"})
    assert ("raw-html", "playbook.yml", 7) in problems(root)


def test_html_in_editor_notes_is_refused_even_though_readers_never_see_them(tmp_path: Path) -> None:
    """Notes reach the change report and the JSON export, which other tools render."""
    root = write_content(tmp_path / "c", {"playbook.yml": PLAYBOOK + 'notes: "see <img src=x onerror=alert(1)>"\n'})
    assert ("raw-html", "playbook.yml", 7) in problems(root)


def test_html_in_a_crm_system_name_is_refused(tmp_path: Path) -> None:
    lead = """
        name: Sales Qualified Lead
        abbreviation: SQL
        order: 2
        definition: A lead sales has qualified.
        owner: account-executive
        entry_criteria:
          - Budget confirmed.
        recycle_to: marketing-qualified-lead
        crm:
          "<svg onload=alert(1)>": SQL
    """
    root = write_content(tmp_path / "c", {"leads/sales-qualified-lead.yml": lead})
    assert "raw-html" in codes(root)


@pytest.mark.parametrize(
    "handle",
    ["ops@example.com<script>", "<b>@ops</b>", "a@b@c.example", "ops@example .com"],
    ids=["email-then-tag", "tagged-handle", "two-ats", "space-in-domain"],
)
def test_an_approver_that_is_not_a_handle_or_an_address_is_refused(tmp_path: Path, handle: str) -> None:
    root = write_content(tmp_path / "c", {"playbook.yml": PLAYBOOK + f"approvers: [{json.dumps(handle)}]\n"})
    assert problems(root) == [("bad-approver", "playbook.yml", 7)]


def test_ordinary_approvers_still_pass(tmp_path: Path) -> None:
    value = '["@revops", "@example-co/sales-leads", "ops.team+playbook@example.co.uk"]'
    root = write_content(tmp_path / "c", {"playbook.yml": PLAYBOOK + f"approvers: {value}\n"})
    assert problems(root) == []


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u200f", "RIGHT-TO-LEFT MARK"),
        ("\u2060", "WORD JOINER"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
        ("\U000e0041", "TAG LATIN CAPITAL LETTER A"),
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
    ],
    ids=["zwsp", "rlm", "word-joiner", "bom-inside", "tag-char", "rlo"],
)
@pytest.mark.parametrize("escaped", [False, True], ids=["literal", "escape"])
def test_invisible_characters_are_refused_written_or_escaped(tmp_path: Path, char: str, name: str, escaped: bool) -> None:
    """`admin{ZWSP}` looks like `admin`: an approver, a name or a definition that reads differently."""
    text = f'"Closes\\U{ord(char):08x} deals."' if escaped else f"Closes{char} deals."
    role = f"name: Sales Manager\nfunction: sales\nsummary: {text}\nresponsibilities:\n  - Coaches the team.\n"
    root = write_content(tmp_path / "c", {"roles/sales-manager.yml": role})
    try:
        load(root)
    except ContentError as exc:
        found = [p for p in exc.problems if p.code == "control-character"]
        assert found and found[0].line == 3 and name in found[0].message, exc.problems
    else:
        pytest.fail("the invisible character was accepted")


@pytest.mark.parametrize(("char", "name"), [("\u2028", "LINE SEPARATOR"), ("\u2029", "PARAGRAPH SEPARATOR"), ("\x85", "U+0085")])
def test_a_line_break_no_editor_shows_is_refused_where_it_is(tmp_path: Path, char: str, name: str) -> None:
    """YAML counts U+2028, U+2029 and U+0085 as line breaks: the value was cut there and the next
    line's problem was reported a line too far (found by the fuzz tests). Now: the character itself."""
    role = f"name: Sales Manager{char}x\nfunction: [sales]\nsummary: S\nresponsibilities:\n  - Coaches the team.\n"
    root = write_content(tmp_path / "c", {"roles/sales-manager.yml": role})
    with pytest.raises(ContentError) as caught:
        load(root)
    assert [(p.code, p.line, p.column) for p in caught.value.problems] == [("control-character", 1, 20)]
    assert name in caught.value.problems[0].message and "line break" in caught.value.problems[0].message


def test_ordinary_non_ascii_text_is_still_accepted(tmp_path: Path) -> None:
    role = "name: Sales Manager\nfunction: sales\nsummary: Führt das Team – 営業 · Ventes ✓\nresponsibilities:\n  - Coaches.\n"
    root = write_content(tmp_path / "c", {"roles/sales-manager.yml": role})
    assert problems(root) == []


@pytest.mark.parametrize(
    "text",
    ["---", "# Heading", "> quoted", "1. first", "- item", "```", "| a | b |", "***"],
    ids=["rule", "heading", "quote", "ordered", "bullet", "fence", "table", "stars"],
)
def test_block_markdown_in_a_text_field_renders_as_the_text_it_is(tmp_path: Path, text: str) -> None:
    """Text fields are inline: `---` is three hyphens on the page, not a rule; `# x` no heading."""
    role = f"name: Sales Manager\nfunction: sales\nsummary: {json.dumps(text)}\nresponsibilities:\n  - Coaches.\n"
    root = write_content(tmp_path / "c", {"roles/sales-manager.yml": role})
    out = tmp_path / "project"
    result = run_cli("generate", "--content", str(root), "--out", str(out))
    assert result.exit_code == 0, result.output
    page = (out / "docs" / "roles" / "sales-manager.md").read_text(encoding="utf-8")
    body = page.split("<!-- playbook:html -->", 1)[1]
    for tag in ("<hr", "<h1", "<blockquote", "<ol", "<pre", "<table"):
        assert body.count(tag) == _baseline(tmp_path, tag), (text, tag)
    assert text.replace(">", "&gt;").split()[0] in body


_BASELINES: dict[str, str] = {}


def _baseline(tmp_path: Path, tag: str) -> int:
    """How often `tag` appears on the same page with an ordinary summary."""
    if "page" not in _BASELINES:
        root = write_content(tmp_path / "base")
        out = tmp_path / "base-project"
        assert run_cli("generate", "--content", str(root), "--out", str(out)).exit_code == 0
        page = (out / "docs" / "roles" / "sales-manager.md").read_text(encoding="utf-8")
        _BASELINES["page"] = page.split("<!-- playbook:html -->", 1)[1]
    return _BASELINES["page"].count(tag)


def test_an_id_cannot_take_the_dom_ids_the_site_script_relies_on(tmp_path: Path) -> None:
    """The assessment script finds `#pb_self_assessment`; ids are kebab-case, so no content id can be it."""
    from conftest import MINIMAL

    alignment = MINIMAL["alignment.yml"].replace("id: shared-target", "id: pb_self_assessment")
    root = write_content(tmp_path / "c", {"alignment.yml": alignment})
    found = problems(root)
    assert [code for code, file, _ in found if file == "alignment.yml"], "an id with `_` was accepted"


@pytest.mark.parametrize("name", ["robots.txt", "sitemap.xml", "index.html", "feed.json", "favicon.ico", "404.html"])
def test_a_version_named_like_a_file_at_the_site_root_is_refused(name: str) -> None:
    with pytest.raises(PublishError) as caught:
        check_name(name, "version")
    assert name in str(caught.value)


@pytest.mark.parametrize("name", ["2026-Q4", "1.2", "v3", "2026.11", "latest", "1.0+build.5"])
def test_ordinary_version_names_still_pass(name: str) -> None:
    check_name(name, "version")


def test_publish_refuses_a_file_like_version_before_touching_git(tmp_path: Path) -> None:
    result = run_cli("publish", "robots.txt", cwd=tmp_path)
    assert result.exit_code != 0
    assert "robots.txt" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("see <*img* src=x onerror=alert(1)>", "<img src=x onerror=alert(1)>"),
        ("<`svg` onload=alert(1)>", "<svg onload=alert(1)>"),
        ("x <[a](https://good.example) onclick=alert(1)>", "<a onclick=alert(1)>"),
        ("<\\!-- hides the rest", "<!-- hides the rest"),
        ("<\\/b>", "</b>"),
    ],
    ids=["emphasis", "code-span", "link", "escaped-bang", "escaped-slash"],
)
def test_text_that_becomes_markup_once_its_formatting_is_gone_is_refused(tmp_path: Path, text: str, shown: str) -> None:
    """Material's tooltips read an element's words back as HTML: `<*img*` shows as `<img`."""
    role = f"name: Sales Manager\nfunction: sales\nsummary: {json.dumps(text)}\nresponsibilities:\n  - Coaches.\n"
    root = write_content(tmp_path / "c", {"roles/sales-manager.yml": role})
    try:
        load(root)
    except ContentError as exc:
        found = [p for p in exc.problems if p.code == "raw-html"]
        assert found and found[0].line == 3 and shown.split()[0] in found[0].message, exc.problems
    else:
        pytest.fail(f"{text!r} was accepted")


def test_a_less_than_sign_beside_formatting_is_still_fine(tmp_path: Path) -> None:
    role = "name: Sales Manager\nfunction: sales\nsummary: Replies in < **4 hours** to 90% of `SQL`s.\nresponsibilities:\n  - Coaches.\n"
    assert problems(write_content(tmp_path / "c", {"roles/sales-manager.yml": role})) == []
