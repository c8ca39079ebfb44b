"""What an attacker with a pull request could try: nothing runs, nothing leaks, nothing crashes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import tracemalloc
from pathlib import Path

import pytest
from conftest import DEFAULT_CONTENT, make_site_project, run_cli, write_content

from generator.errors import ContentError
from generator.load import load

ROLE = "name: Sales Manager\nfunction: sales\nsummary: Leads the team.\nresponsibilities:\n  - Coaches.\n"


def codes(root: Path) -> set[str]:
    with pytest.raises(ContentError) as caught:
        load(root)
    return {p.code for p in caught.value.problems}


def test_alias_bomb_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    root = write_content(tmp_path / "content", {"roles/sales-manager.yml": ROLE + "\n".join(bomb) + "\n"})
    tracemalloc.start()
    try:
        found = codes(root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "alias-limit" in found
    assert peak < 200 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"  # 9**9 values would need tens of GB


@pytest.mark.parametrize("depth", [100, 5_000, 200_000])
def test_deep_nesting_is_refused_without_crashing(tmp_path: Path, depth: int) -> None:
    root = write_content(tmp_path / "content")
    (root / "roles" / "sales-manager.yml").write_text(ROLE + "owns: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    # In a child process: libyaml's recursive composer kills the whole interpreter on such input.
    result = subprocess.run([sys.executable, "-m", "generator.cli", "validate", "--content", str(root), "--format", "json"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr[-500:]
    problems = json.loads(result.stdout)["problems"]
    assert [(p["code"], p["line"]) for p in problems] == [("too-deep", 6)]


def test_content_dir_that_is_a_symlink_elsewhere_is_followed_but_links_inside_out_are_not(tmp_path: Path) -> None:
    real = write_content(tmp_path / "real")
    link = tmp_path / "content"
    link.symlink_to(real)
    assert load(link).meta.title == "Test Playbook"
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yml").write_text(ROLE, encoding="utf-8")
    (real / "roles" / "stolen.yml").symlink_to(outside / "x.yml")
    assert "symlink-outside" in codes(link)


def test_symlinked_folder_outside_is_refused(tmp_path: Path) -> None:
    outside = write_content(tmp_path / "other")
    root = write_content(tmp_path / "content", {"kpis/win-rate.yml": None})
    (root / "kpis").symlink_to(outside / "kpis", target_is_directory=True)
    assert "not-a-folder" in codes(root)


def test_huge_file_is_refused(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    (root / "glossary.yml").write_text("terms:\n" + "  # padding\n" * 300_000, encoding="utf-8")
    assert "file-too-large" in codes(root)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_site_project(tmp_path_factory.mktemp("hostile") / "repo", DEFAULT_CONTENT)
    glossary = project / "content" / "glossary.yml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + textwrap.indent(textwrap.dedent("""\
          - id: hostile-one
            term: "Image {{ 7*7 }} {% raw %}"
            definition: "![tracker](https://tracker.example/pixel.png) and [ok](https://example.com){: onclick=\\"alert(1)\\" } and 3 < 4"
          - id: hostile-two
            term: Reference definitions
            definition: "[x][evil] then *[MQL]: injected abbreviation"
            notes: "[evil]: https://tracker.example/ref"
    """), "  "), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return project / "site" / "glossary" / "index.html"


def test_markdown_images_are_not_embedded(hostile_site: Path) -> None:
    page = hostile_site.read_text(encoding="utf-8")
    assert "tracker.example/pixel.png" in page  # shown as a link target...
    assert "<img" not in page.split('id="hostile-one"')[1].split("</p>")[0]  # ...never loaded as an image


def test_attribute_lists_from_content_do_nothing(hostile_site: Path) -> None:
    page = hostile_site.read_text(encoding="utf-8")
    assert "onclick" not in page.replace("{: onclick=&quot;alert(1)&quot; }", "").replace('{: onclick="alert(1)" }', "")


def test_template_syntax_and_lone_angle_bracket_show_literally(hostile_site: Path) -> None:
    page = hostile_site.read_text(encoding="utf-8")
    assert "Image {{ 7*7 }} {% raw %}" in page
    assert "3 &lt; 4" in page


def test_content_cannot_define_abbreviations_or_references(hostile_site: Path) -> None:
    section = hostile_site.read_text(encoding="utf-8").split('id="hostile-two"')[1].split("</p>")[0]
    assert "tracker.example/ref" not in section
    assert "]: injected abbreviation" in section  # shown as text...
    assert 'title="injected abbreviation"' not in hostile_site.read_text(encoding="utf-8")  # ...never a definition


def test_a_playbook_command_on_hostile_content_never_shows_a_traceback(tmp_path: Path) -> None:
    root = write_content(tmp_path / "content", {"roles/sales-manager.yml": "\x1b]0;pwned\x07name: !!binary aGVsbG8=\n"})
    result = run_cli("validate", "--content", str(root))
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "\x1b" not in result.output
