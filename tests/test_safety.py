"""What an attacker with a pull request could try: nothing runs, nothing leaks, nothing crashes."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil
import subprocess
import sys
import textwrap
import tracemalloc
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from conftest import DEFAULT_CONTENT, MINIMAL, make_site_project, run_cli, write_content
from playbook_site.content import load
from playbook_site.errors import ContentError

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
    result = subprocess.run(
        [sys.executable, "-m", "playbook_site.cli", "validate", "--content", str(root), "--format", "json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
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
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + textwrap.indent(
            textwrap.dedent("""\
          - id: hostile-one
            term: "Image {{ 7*7 }} {% raw %}"
            definition: "![tracker](https://tracker.example/pixel.png) and [ok](https://example.com){: onclick=\\"alert(1)\\" } and 3 < 4"
          - id: hostile-two
            term: Reference definitions
            definition: "[x][evil] then *[MQL]: injected abbreviation"
            notes: "[evil]: https://tracker.example/ref"
          - id: hostile-three
            term: Code spans that Markdown pairs differently
            abbreviation: "(.*\\""
            definition: "`` ![x](https://tracker.example/span.png) ```x and `` [l](https://example.com){: onclick=\\"alert(2)\\" } ```y"
    """),
            "  ",
        ),
        encoding="utf-8",
    )
    crm = project / "content" / "leads" / "customer.yml"
    crm.write_text(crm.read_text(encoding="utf-8").replace("crm:\n", "crm:\n  pipes: 'a | b `|` c'\n", 1), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return project / "site" / "glossary" / "index.html"


def test_markdown_images_are_not_embedded(hostile_site: Path) -> None:
    page = hostile_site.read_text(encoding="utf-8")
    assert "tracker.example/pixel.png" in page  # shown as a link target...
    assert "<img" not in page.split('id="hostile-one"')[1].split("</p>")[0]  # ...never loaded as an image


def test_attribute_lists_from_content_do_nothing(hostile_site: Path) -> None:
    assert not [(tag, attrs) for tag, attrs in elements(hostile_site) if "onclick" in attrs]
    assert '{: onclick="alert(1)" }' in hostile_site.read_text(encoding="utf-8")  # shown as text


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


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def elements(page: Path) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.elements


def test_code_spans_cannot_smuggle_images_or_event_handlers(hostile_site: Path) -> None:
    found = elements(hostile_site)
    assert not [attrs for tag, attrs in found if tag == "img" and "tracker.example" in (attrs.get("src") or "")]
    assert not [(tag, attrs) for tag, attrs in found if any(name.startswith("on") for name in attrs)]
    assert "tracker.example/span.png" in hostile_site.read_text(encoding="utf-8")  # shown, as text


def test_no_page_of_the_hostile_site_loads_anything_from_another_host(hostile_site: Path) -> None:
    site = hostile_site.parents[1]
    for page in site.rglob("*.html"):
        for tag, attrs in elements(page):
            for name in ("src", "srcset", "data", "poster"):
                value = attrs.get(name) or ""
                assert not value.startswith(("http:", "https:", "//")), (page, tag, name, value)
            if tag == "link" and "stylesheet" in (attrs.get("rel") or ""):
                assert not (attrs.get("href") or "").startswith(("http:", "https:", "//")), (page, attrs)


def test_a_pipe_in_content_does_not_split_a_table_cell(hostile_site: Path) -> None:
    leads = (hostile_site.parents[1] / "leads" / "index.html").read_text(encoding="utf-8")
    row = leads.split("<td>pipes</td>", 1)[1].split("</tr>", 1)[0]
    assert row.count("<td") == 1 and "a | b <code>|</code> c" in row


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("[](" * 100_000, "[](" * 1000),  # made the old link pattern backtrack catastrophically (minutes)
        ("[x](" + " " * 200_000 + "x", "[x]( x"),
        ("`" * 100_000 + "a", "`" * 1000),  # made the old code-span pattern cubic (hours)
        ("".join("`" * n + "a" for n in range(1, 600)), "```a````a"),  # many unpaired backtick runs
    ],
    ids=["link-openers", "spaces-after-link", "backtick-run", "backtick-staircase"],
)
def test_text_built_to_backtrack_is_handled_in_linear_time(tmp_path: Path, text: str, shown: str) -> None:
    """A generous bound in a child process, not a timing assertion: the old patterns needed minutes to hours."""
    root = write_content(tmp_path / "content")
    (root / "roles" / "sales-manager.yml").write_text(ROLE + "owns: " + json.dumps(text) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "playbook_site.cli", "generate", "--content", str(root), "--out", str(tmp_path / "pages")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    page = (tmp_path / "pages" / "docs" / "roles" / "sales-manager.md").read_text(encoding="utf-8")
    assert shown in page  # the text was rendered as text, not dropped


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("<script>alert(1)</script>", "raw-html"),
        ("<img src=x onerror=alert(1)>", "raw-html"),
        ("<iframe src=https://evil.example>", "raw-html"),
        ("[x](javascript:alert(1))", "unsafe-url"),
        ("see data:text/html;base64,PHNjcmlwdD4=", "unsafe-url"),
        ("[x](ftp://files.example/list)", "bad-link"),
    ],
    ids=["script", "img-onerror", "iframe", "javascript", "data", "ftp-url"],
)
def test_html_and_unsafe_links_are_refused_in_every_text_field(tmp_path: Path, value: str, code: str) -> None:
    """Every field whose type is text, in every file kind, found from the models themselves."""
    fields = text_fields()
    assert len(fields) >= 30  # the walk found the text fields
    for rel, yaml_text in fields:
        root = write_content(tmp_path / "content", {rel: yaml_text.replace("HOSTILE", json.dumps(value))}, base=MINIMAL)
        assert code in codes(root), (rel, yaml_text)
        shutil.rmtree(root)


def text_fields() -> list[tuple[str, str]]:
    """(file, YAML) variants of the minimal playbook with one text field set to HOSTILE, for every text field."""
    from playbook_site.content.markup import check_text
    from playbook_site.content.schema import FILE_MODELS

    def is_text(annotation: Any, metadata: Any = ()) -> bool:
        return any(getattr(m, "func", None) is check_text for m in (*metadata, *getattr(annotation, "__metadata__", ()))) or any(
            is_text(arg) for arg in getattr(annotation, "__args__", ()) or ()
        )

    def nested(annotation: Any) -> type[BaseModel] | None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        return next((n for a in getattr(annotation, "__args__", ()) or () if (n := nested(a))), None)

    base = {rel: yaml.safe_load(textwrap.dedent(text)) for rel, text in MINIMAL.items()}
    where = {
        "playbook": "playbook.yml",
        "role": "roles/sales-manager.yml",
        "lead": "leads/sales-qualified-lead.yml",
        "kpi": "kpis/win-rate.yml",
        "checklist": "checklist.yml",
        "alignment": "alignment.yml",
        "glossary": "glossary.yml",
        "activity": "activity.yml",
    }
    base["activity.yml"] = {"entries": [{"step": "joint-meetings", "date": "2026-01-05"}]}
    variants: list[tuple[str, str]] = []

    def walk(model: type[BaseModel], rel: str, path: tuple[Any, ...]) -> None:
        for name, info in model.model_fields.items():
            annotation = info.annotation
            if is_text(annotation, info.metadata):
                data = copy.deepcopy(base[rel])
                target = data
                for part in path:
                    target = target[part]
                many = getattr(annotation, "__origin__", None) in (list, dict)
                if getattr(annotation, "__origin__", None) is dict:
                    target[name] = {"salesforce": "HOSTILE"}
                else:
                    target[name] = ["HOSTILE"] if many else "HOSTILE"
                variants.append((rel, yaml.safe_dump(data, allow_unicode=True)))
            inner = nested(annotation)
            if inner is not None and inner is not model:
                container = base[rel]
                for part in path:
                    container = container[part]
                if name not in container and getattr(annotation, "__origin__", None) is list:
                    container[name] = [{"id": "partnerships"}]  # a list of mappings the minimal playbook does not have
                elif name not in container:
                    container[name] = {"to": "sales-manager", "sla_hours": 4} if name == "handoff" else {}
                child = container[name]
                walk(inner, rel, path + ((name, 0) if isinstance(child, list) else (name,)))

    for kind, model in FILE_MODELS.items():
        walk(model, where[kind], ())
    return variants


def tree_digest(root: Path) -> str:
    """One hash of every directory, file name and byte under `root`."""
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        digest.update(str(path.relative_to(root)).encode("utf-8", errors="surrogateescape") + b"\0")
        digest.update(b"d" if path.is_dir() else path.read_bytes())
    return digest.hexdigest()


# (file, text appended to it, the code and message it must be refused with); {marker} must never be created.
# Each appended field is one the file does not have yet: a repeated key would be refused first, before the tag.
BREAKAGES = {
    "python-tag": (
        "roles/account-executive.yml",
        "notes: !!python/object/apply:os.system ['touch {marker}']\n",
        "unsafe-tag",
        "the YAML tag `tag:yaml.org,2002:python/object/apply:os.system` is not allowed (nothing was run)",
    ),
    "syntax-error": ("kpis/win-rate.yml", "name: [unclosed\n", "yaml-syntax", "YAML syntax error"),
    "script-tag": (
        "glossary.yml",
        "  - id: x\n    term: <script>alert(1)</script>\n    definition: d\n",
        "raw-html",
        "raw HTML is not allowed in text (found `<script>`)",
    ),
}


def test_each_breakage_adds_a_field_the_file_does_not_have() -> None:
    """(A syntax error is found before keys are compared, so it may repeat one.)"""
    for rel, text, code, _message in BREAKAGES.values():
        field = text.split(":")[0]
        existing = "\n" + (DEFAULT_CONTENT / rel).read_text(encoding="utf-8")
        assert code == "yaml-syntax" or field.startswith(" ") or f"\n{field}:" not in existing, rel


@pytest.mark.parametrize("command", ["playbook build", "mkdocs build"])
@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_a_failed_build_leaves_the_previous_site_byte_for_byte(
    hostile_site: Path, tmp_path: Path, command: str, breakage: str
) -> None:
    project = tmp_path / "repo"
    shutil.copytree(hostile_site.parents[2], project, symlinks=True)
    before = tree_digest(project / "site")
    rel, text, code, message = BREAKAGES[breakage]
    marker = tmp_path / "pwned"
    with (project / "content" / rel).open("a", encoding="utf-8") as file:
        file.write(text.replace("{marker}", str(marker)))
    if command == "playbook build":
        result = run_cli("build", cwd=project)
        assert result.exit_code == 1 and "nothing was written" in result.stderr and "Traceback" not in result.output
        assert message in result.stderr and f"[{code}]" in result.stderr, result.stderr
    else:
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 1 and "nothing was built and the site directory was left as it was" in done.stderr
        assert "Traceback" not in done.stderr
        assert message in done.stderr, done.stderr
    assert not marker.exists(), "the YAML tag ran a command"
    assert tree_digest(project / "site") == before
    assert sorted(p.name for p in project.iterdir()) == ["content", "docs", "mkdocs.yml", "site"]  # no stray temporary directory
