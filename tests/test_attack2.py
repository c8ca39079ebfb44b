"""Attacks on the features that landed last (importers, feeds and the announcement, edit links, since
your last visit, version titles, review dates from git). Each test asserts the SAFE behaviour; one that
is marked xfail(strict) is a finding that is not fixed yet (its reason says what to do)."""

from __future__ import annotations

import io
import os
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from conftest import run_cli, write_content
from playbook_site.content import load_all

SECRET = "TOPSECRET-4242"


def workbook(path: Path, rows: list[list[object]], title: str = "Roles") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def patch_part(path: Path, part: str, change: object) -> Path:
    """Rewrite one part of a zipped workbook with `change(text) -> text`."""
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    parts[part] = change(parts[part].decode("utf-8")).encode("utf-8")  # type: ignore[operator]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_content(tmp_path / "content")


ROLES_HEADER = ["Name", "Function", "Summary", "Responsibilities"]


# --- 1. importers ---------------------------------------------------------------------------------------


def test_an_external_entity_in_a_workbook_is_never_resolved(tmp_path: Path, content: Path) -> None:
    """XXE: a DOCTYPE naming a local file as an entity; the file's text never reaches content or output."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    book = workbook(tmp_path / "team.xlsx", [ROLES_HEADER, ["Deal Desk Lead", "Sales", "PLACEHOLDER", "Checks deals"]])
    doctype = f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    patch_part(book, "xl/worksheets/sheet1.xml", lambda text: doctype + text.replace("PLACEHOLDER", "a&xxe;b"))
    before = snapshot(content)
    result = run_cli("import", "definitions", str(book), "--content", str(content))
    assert SECRET not in result.stdout + result.stderr
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert snapshot(content) == before


def test_a_billion_laughs_workbook_is_refused_in_bounded_memory(tmp_path: Path, content: Path) -> None:
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    doctype = f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY l0 "lol">{laughs}]>'
    book = workbook(tmp_path / "team.xlsx", [ROLES_HEADER, ["Deal Desk Lead", "Sales", "PLACEHOLDER", "Checks deals"]])
    patch_part(book, "xl/worksheets/sheet1.xml", lambda text: doctype + text.replace("PLACEHOLDER", "&l9;"))
    result = _limited_cli(["import", "definitions", str(book), "--content", str(content), "--dry-run"])
    assert result.returncode == 1, result.stderr[-2000:]
    assert "lollol" not in result.stdout + result.stderr


def _limited_cli(args: list[str], memory: int = 3 * 1024**3) -> subprocess.CompletedProcess[str]:
    """The real `playbook` in a process that may use at most `memory` bytes of address space."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "playbook_site.cli", *args],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        env={**os.environ, "RUST_BACKTRACE": "0"},
        timeout=600,
        check=False,
    )


@pytest.mark.parametrize(
    "far",
    [
        '<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>',
        '<row r="1048576"><c t="n"><v>1</v></c></row><row r="1"><c r="XFD1" t="n"><v>1</v></c></row>',
        "<x:row r='1048576'><x:c r='XFD1048576' t=\"n\"><x:v>1</x:v></x:c></x:row>",
        '<row r="1048576"><c r="&#88;FD1048576" t="n"><v>1</v></c></row>',
    ],
    ids=["last-cell", "last-row-and-column", "prefixed", "entity-in-reference"],
)
def test_a_sparse_workbook_claiming_the_last_cell_is_refused_not_a_crash(tmp_path: Path, content: Path, far: str) -> None:
    """Finding 1: a 5 KB workbook with one cell at XFD1048576 made calamine allocate 16384 x 1048576 cells
    (550 GB) before MAX_CELLS was checked: the process aborted (SIGABRT, a Rust backtrace)."""
    book = workbook(tmp_path / "team.xlsx", [ROLES_HEADER, ["Deal Desk Lead", "Sales", "Checks deals.", "Checks deals"]])
    far += "</sheetData>"
    patch_part(book, "xl/worksheets/sheet1.xml", lambda text: text.replace("</sheetData>", far))
    assert book.stat().st_size < 10_000
    result = _limited_cli(["import", "definitions", str(book), "--content", str(content), "--dry-run"])
    assert result.returncode == 1, (result.returncode, result.stderr[:300])
    assert "file-too-large" in result.stderr or "unreadable" in result.stderr
    assert "panicked" not in result.stderr and "memory allocation" not in result.stderr


def test_a_sparse_workbook_claiming_the_last_cell_does_not_abort_via_results(tmp_path: Path, content: Path) -> None:
    """A workbook whose range is wide but within the limit, through `import results`: an error or a result, never
    a crash (the range check must not refuse it for what calamine reads fine)."""
    book = workbook(tmp_path / "export.xlsx", [["Date", "Amount"], ["2026-01-05", 100]], "Deals")
    far = '<row r="3000"><c r="Z3000" t="n"><v>1</v></c></row></sheetData>'
    patch_part(book, "xl/worksheets/sheet1.xml", lambda text: text.replace("</sheetData>", far))
    write_content(content, {"kpis/new-pipeline.yml": KPI})
    result = _limited_cli(
        [
            "import",
            "results",
            str(book),
            "--kpi",
            "new-pipeline",
            "--content",
            str(content),
            "--date",
            "Date",
            "--value",
            "Amount",
            "--dry-run",
        ]
    )
    assert result.returncode in (0, 1), result.stderr[-500:]
    assert "Traceback" not in result.stderr


KPI = """
    name: New pipeline
    definition: Amount of new opportunities.
    formula: Sum of Amount
    unit: currency
    currency: USD
    direction: higher
    owner: sales-manager
    target:
      value: 1000000
      period: quarter
"""

YAML_TRICKS = [
    "yes",
    "null",
    "~",
    "123",
    "0x1F",
    "1e3",
    "2026-01-01",
    "'single' quoted",
    '"double" quoted',
    "key: value",
    "ends with a colon:",
    "- looks like a list",
    "# looks like a comment",
    "a #b not a comment",
    "&anchor text",
    "*alias text",
    "!!python/object:os.system text",
    "!tag text",
    "%YAML 1.1",
    "--- a document",
    "... the end",
    "{a: b}",
    "[1, 2]",
    "| literal",
    "> folded",
    "back\\slash and \\n",
    "a very long summary " * 12 + "that the writer may fold over lines",
    "two  spaces   inside",
    "=not a formula in the middle",
    "non-ASCII: Zoë’s café — naïve €",
    "line one\nline two",
    "trailing spaces at the end   \n   second line",
]


@pytest.mark.parametrize("text", YAML_TRICKS, ids=range(len(YAML_TRICKS)))
def test_a_cell_round_trips_through_the_written_yaml_exactly(tmp_path: Path, content: Path, text: str) -> None:
    """YAML injection: what a cell holds is what the content holds (the cell's outer spaces aside)."""
    book = workbook(tmp_path / "team.xlsx", [ROLES_HEADER, ["Deal Desk Lead", "Sales", text, "Checks deals"]])
    result = run_cli("import", "definitions", str(book), "--content", str(content))
    if text.lstrip().startswith("="):
        assert result.exit_code == 1
        return
    assert result.exit_code == 0, result.stderr
    written = load_all(content).playbook.roles["deal-desk-lead"]
    assert written.summary == text.strip()
    assert set(snapshot(content)) - set(snapshot(write_content(tmp_path / "fresh"))) == {"roles/deal-desk-lead.yml"}


def test_a_refused_character_in_a_sheet_name_is_refused(tmp_path: Path, content: Path) -> None:
    """HIDDEN_RE holds for every text the file carries: a sheet named `Roles` + RIGHT-TO-LEFT OVERRIDE is still
    read as the roles sheet; its name reaches the terminal (notes, problems) and must be refused or escaped."""
    book = workbook(tmp_path / "team.xlsx", [ROLES_HEADER, ["Deal Desk Lead", "Sales", "Checks.", "Checks deals"]], "Roles\u202e")
    before = snapshot(content)
    result = run_cli("import", "definitions", str(book), "--content", str(content))
    assert "\u202e" not in result.stdout + result.stderr
    assert result.exit_code == 1 and "U+202E" in result.stderr
    assert snapshot(content) == before


@pytest.mark.parametrize("cell_id", ["../../../tmp/evil", "roles/x", "x.yml", "X", "a--b", "con", ""])
def test_an_id_cell_never_becomes_a_path(tmp_path: Path, content: Path, cell_id: str) -> None:
    book = workbook(
        tmp_path / "team.xlsx", [["Id", *ROLES_HEADER], [cell_id, "Deal Desk Lead", "Sales", "Checks.", "Checks deals"]]
    )
    before = snapshot(content)
    outside = snapshot(tmp_path)
    result = run_cli("import", "definitions", str(book), "--content", str(content))
    written = set(snapshot(content)) - set(before)
    assert all(path.startswith("roles/") and path.count("/") == 1 for path in written)
    assert set(snapshot(tmp_path)) - set(outside) == {f"content/{path}" for path in written}
    assert "Traceback" not in result.stderr


def test_a_role_named_index_does_not_replace_the_roles_list(tmp_path: Path) -> None:
    """A reserved name: a role `Index` (id `index`) would have the page roles/index.md, the list of roles.
    Either it is refused, or the built site still lists every role at roles/ and shows the role."""
    from conftest import make_site_project, mkdocs_build_in_process

    project = make_site_project(tmp_path / "repo")
    content = write_content(project / "content")
    book = workbook(tmp_path / "team.xlsx", [ROLES_HEADER, ["Index", "Sales", "Indexes things.", "Keeps the index"]])
    result = run_cli("import", "definitions", str(book), "--content", str(content))
    if result.exit_code != 0:
        assert "index" in result.stderr and "Traceback" not in result.stderr
        return
    mkdocs_build_in_process(project, tmp_path / "site")
    listed = (tmp_path / "site/roles/index.html").read_text(encoding="utf-8")
    assert "Account Executive" in listed and "Sales Manager" in listed, "the role `index` replaced the roles list"
    pages = [page.relative_to(tmp_path / "site") for page in (tmp_path / "site").rglob("*.html")]
    own = [page for page in pages if "Keeps the index" in (tmp_path / "site" / page).read_text(encoding="utf-8")]
    assert own, f"the role `index` has no page showing its responsibilities: {sorted(map(str, pages))}"


def test_importing_results_never_writes_a_cell_a_spreadsheet_would_evaluate(tmp_path: Path) -> None:
    """The results file is a CSV a person opens in a spreadsheet: an existing note starting `=`, `+`, `-`, `@`
    kept by the import must not become a formula there."""
    content = write_content(
        tmp_path / "content",
        {
            "kpis/new-pipeline.yml": KPI,
            "results/new-pipeline.csv": 'period,value,note\n2025-Q4,5,"=HYPERLINK(""https://evil.example"",""x"")"\n',
        },
    )
    loaded = run_cli("validate", "--content", str(content))
    export = tmp_path / "export.csv"
    export.write_text("Date,Amount\n2026-01-05,100\n", encoding="utf-8")
    result = run_cli(
        "import", "results", str(export), "--kpi", "new-pipeline", "--content", str(content), "--date", "Date", "--value", "Amount", "--period", "quarter"
    )  # fmt: skip
    assert "Traceback" not in result.stderr
    if loaded.exit_code != 0:  # the results reader refuses the note: the import cannot keep it either
        assert result.exit_code == 1
        return
    if result.exit_code == 0:
        written = (content / "results/new-pipeline.csv").read_text(encoding="utf-8")
        for line in written.splitlines()[1:]:
            for cell in next(iter(__import__("csv").reader(io.StringIO(line)))):
                assert not cell.startswith(("=", "+", "@")), written


# --- 2. feeds and the announcement --------------------------------------------------------------------


def _published_with(tmp_path: Path, old: str, new: str) -> Path:
    """A repository that published 1.0, then 1.1 with the role `sales-manager`'s `old` text replaced by `new`."""
    from test_publish import commit_all, new_repo

    repo = new_repo(tmp_path / "repo")
    config = repo / "mkdocs.yml"
    config.write_text("site_url: https://playbook.example.com/\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    commit_all(repo, "The site's address")
    assert run_cli("publish", "1.0", "--title", "Q3", cwd=repo).exit_code == 0
    role = repo / "content/roles/sales-manager.yml"
    text = role.read_text(encoding="utf-8")
    assert old in text
    role.write_text(text.replace(old, new, 1), encoding="utf-8")
    commit_all(repo, "A hostile name")
    return repo


@pytest.mark.slow
def test_a_noncharacter_written_as_an_escape_never_makes_the_feeds_unreadable(tmp_path: Path) -> None:
    """U+FFFE is no character XML may hold. Validation refuses it raw in a file but lets the YAML escape
    `\\uFFFE` through; ElementTree then writes it as it is and every feed reader refuses the whole feed."""
    import xml.etree.ElementTree as ET

    from test_publish import show

    repo = _published_with(tmp_path, "name: Sales Manager", 'name: "Sales\\uFFFE Manager"')
    checked = run_cli("validate", "--content", str(repo / "content"))
    if checked.exit_code == 1:  # refused where it is written: safe
        assert "U+FFFE" in checked.stderr
        return
    result = run_cli("publish", "1.1", "--title", "Q4", cwd=repo)
    assert result.exit_code == 0, result.output
    for feed in ("feeds/playbook.xml", "feeds/roles/sales-manager.xml"):
        ET.fromstring(show(repo, feed).encode("utf-8"))  # well-formed XML


@pytest.mark.parametrize("escape", ["\\uFFFE", "\\uFFFF", "\\L", "\\P"])
def test_what_a_file_may_not_hold_it_may_not_hold_as_an_escape(tmp_path: Path, escape: str) -> None:
    """U+FFFE and U+FFFF (no XML may hold them) and the line and paragraph separators are refused raw in a file;
    written as a YAML escape they were let through."""
    content = write_content(
        tmp_path / "content",
        {
            "roles/sales-manager.yml": f'name: "Sales{escape} Manager"\nfunction: sales\nsummary: Leads.\nresponsibilities: [Coaches.]\n'
        },
    )
    result = run_cli("validate", "--content", str(content))
    assert result.exit_code == 1
    assert f"{content}/roles/sales-manager.yml:1:7: error: the text contains the invisible character U+" in result.stderr


@pytest.mark.parametrize("char", ["\ufffe", "\u2028"], ids=["fffe", "line-separator"])
def test_a_cell_holding_what_no_content_file_may_hold_is_refused_and_nothing_written(
    tmp_path: Path, content: Path, char: str
) -> None:
    roles = tmp_path / "roles.csv"
    roles.write_text(
        f'Name,Function,Summary,Responsibilities\nDeal Desk Lead,Sales,"Checks{char} deals.",Checks\n', encoding="utf-8"
    )
    before = snapshot(content)
    result = run_cli("import", "definitions", str(roles), "--content", str(content))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"{roles}:2:3: error: line 2, column 3 contains the invisible character U+{ord(char):04X}" in result.stderr
    assert snapshot(content) == before


@pytest.mark.parametrize("linked", ["folder", "file"])
def test_the_announcement_is_never_written_through_a_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, linked: str) -> None:
    from playbook_site.cli.publishing import _write_announcement

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.md").write_text("keep me", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / "news").mkdir(parents=True) if linked == "file" else repo.mkdir()
    if linked == "folder":
        (repo / "news").symlink_to(outside, target_is_directory=True)
        target = Path("news/victim.md")
    else:
        (repo / "news/1.1.md").symlink_to(outside / "victim.md")
        target = Path("news/1.1.md")
    monkeypatch.chdir(repo)
    try:
        _write_announcement("**hostile** text\n", target)
    except Exception as error:  # refused: fine, as long as nothing outside changed
        assert "Traceback" not in str(error)
    assert (outside / "victim.md").read_text(encoding="utf-8") == "keep me"
    assert sorted(path.name for path in outside.iterdir()) == ["victim.md"]


# --- 6. review dates from git history -------------------------------------------------------------------


def _git(repo: Path, *args: str, day: str = "2026-01-05") -> None:
    env = {**os.environ, "GIT_COMMITTER_DATE": f"{day}T10:00:00+00:00", "GIT_AUTHOR_DATE": f"{day}T10:00:00+00:00"}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def _history(tmp_path: Path, hostile_name: str) -> Path:
    """content/roles/account-executive.yml changed on 2026-01-05 and on 2026-03-01; the second commit adds a
    file whose name holds git log's separators."""
    repo = tmp_path / "repo"
    roles = repo / "content/roles"
    roles.mkdir(parents=True)
    (roles / "account-executive.yml").write_text("name: A\n", encoding="utf-8")
    for args in (["init", "-q", "-b", "main"], ["config", "user.name", "t"], ["config", "user.email", "t@example.com"]):
        _git(repo, *args)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "one")
    (roles / "account-executive.yml").write_text("name: B\n", encoding="utf-8")
    (roles / hostile_name).write_text("x", encoding="utf-8")
    _git(repo, "add", "-A", day="2026-03-01")
    _git(repo, "commit", "-q", "-m", "two", day="2026-03-01")
    return repo


@pytest.mark.parametrize(
    "hostile_name",
    ["a\x1eFAKE\x1f2000-01-01", "a\x1e\x1fsoon", "a\x1e" + "0" * 40 + "\x1f2099-12-31", "a\nb\x1f2000-01-01", "a\"'.."],
    ids=["fake-day", "no-commit", "fake-commit", "newline", "quotes"],
)
def test_a_file_name_never_fakes_a_review_date_or_breaks_the_history(tmp_path: Path, hostile_name: str) -> None:
    from datetime import date

    from playbook_site.publishing.history import dates

    repo = _history(tmp_path, hostile_name)
    found = dates(repo, "content")
    assert found["roles/account-executive.yml"] == date(2026, 3, 1)
    assert set(found) == {"roles/account-executive.yml", f"roles/{hostile_name}"}


# --- 3. edit and suggest links -------------------------------------------------------------------------

_META = """
    title: Test Playbook
    organization: Example Co
    summary: A small playbook for tests.
    alignment:
      current: defined
      target: aligned
"""


def _with_repository(url: str, host: str = "") -> str:
    return _META + f"    repository:\n      url: {url}\n" + (f"      host: {host}\n" if host else "")


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com.evil.example/northwind/revenue-playbook",
        "https://xn--gthub-n4a.com/northwind/revenue-playbook",
    ],
    ids=["lookalike-host", "punycode-host"],
)
def test_a_pull_request_moving_the_edit_links_to_another_host_is_shown_to_the_reviewers(tmp_path: Path, url: str) -> None:
    """Every entity's "Edit" and "Report a problem" links follow playbook.yml's `repository`, which any pull request
    may change: the reviewers, who approve from the change report, must see the new address."""
    base = write_content(tmp_path / "base", {"playbook.yml": _with_repository("https://github.com/northwind/revenue-playbook")})
    head = write_content(tmp_path / "head", {"playbook.yml": _with_repository(url, "github")})
    assert run_cli("validate", "--content", str(head)).exit_code == 0
    for form in ("text", "markdown", "json"):
        report = run_cli("diff", str(base), str(head), "--format", form, cwd=tmp_path)
        assert report.exit_code == 0, report.stderr
        shown = report.stdout.replace("\u200b", "").replace("&#8203;", "")
        assert url.split("/")[2] in shown, f"--format {form} does not show the new repository address:\n{report.stdout}"


@pytest.mark.parametrize(
    "remote",
    [
        "https://alice:pa@ss@github.com/o/r.git",
        "https://ghp_token@github.com/o/r",
        "https://github.com/o/r.git?access_token=ghp_s3cret",
        "https://x-access-token:ghs_s3cret@github.com/o/r",
        "git://ghp_s3cret@github.com/o/r",
        "ssh://ghp_s3cret:x@github.com/o/r",
        "ghp_s3cret@github.com:o/r.git",
    ],
)
def test_init_never_copies_a_credential_from_the_remote(remote: str) -> None:
    from playbook_site.content.repository import from_remote

    found = from_remote(remote)
    assert found is None or ("s3cret" not in found and "ghp_" not in found and "@" not in found and "alice" not in found)


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/o/r/%2e%2e/%2e%2e/evil/x",
        "https://github.com\\@evil.example/o/r",
        "https://github.com/o/r\\..\\..\\evil",
        "https://github.com:443@evil.example/o/r",
        "https://evil.example%2fgithub.com/o/r",
        "https://github.com./o/r",
        "https://ｇithub.com/o/r",
        "https://github.com/o/r\t",
        "https://github.com/o/r/.",
        "HTTPS://github.com/o/r#",
        "https:github.com/o/r",
        "https:/\\evil.example/o/r",
    ],
)
def test_a_repository_address_never_leads_to_another_host_or_path(url: str) -> None:
    from pydantic_core import PydanticCustomError

    from playbook_site.content.repository import check_url

    try:
        address = check_url(url)
    except PydanticCustomError:
        return
    from urllib.parse import urlsplit

    parts = urlsplit(address)
    assert (parts.scheme, parts.hostname, parts.path) == ("https", "github.com", "/o/r"), address


@pytest.mark.parametrize("branch", ["main/../../../evil", "a/./b", "x?y", "x#y", "%2e%2e", "a\\b", "@{-1}", "-x"])
def test_a_branch_never_adds_a_path_segment_or_query(branch: str) -> None:
    from urllib.parse import urlsplit

    from pydantic_core import PydanticCustomError

    from playbook_site.content.repository import Proposals, check_branch

    try:
        check_branch(branch)
    except PydanticCustomError:
        return
    url = Proposals("https://github.com/o/r", branch, "github").edit_url("content/roles/a.yml")
    parts = urlsplit(url)
    assert not parts.query and not parts.fragment
    segments = parts.path.split("/")
    assert "." not in segments and ".." not in segments, url


# --- 2b. the announcement's words ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["@here", "@channel", "@everyone", "<!here>", "<!channel>", "<@U024BE7LH>", "<#C024BE7LH>", "x@here", "@​here", "＠here"],
)
def test_the_announcement_pings_nobody(text: str) -> None:
    import re

    from playbook_site.review import chat_text

    shown = chat_text(f"Ask {text} now")
    assert "<" not in shown and ">" not in shown
    assert not re.search(r"@(?!\u200b)", shown), shown


# --- 4. since your last visit ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "version",
    ["</script><script>window.__pwned=1</script>", '1.0";window.__pwned=1;"', "1.0\u2028window.__pwned=1", "1.0\\", "<!--"],
)
def test_the_since_data_script_is_data_whatever_the_version_label(tmp_path: Path, version: str) -> None:
    import json
    import re

    from playbook_site.site.since import script

    playbook = load_all(write_content(tmp_path / "content")).playbook
    text = script(playbook, {"roles/account-executive.md": "0" * 16}, version, True)
    match = re.fullmatch(r"/\* [^*]* \*/\nwindow\.__pbSince = (\{.*\});\n", text, re.S)
    assert match, text
    assert json.loads(match.group(1))["version"] == version
    assert text.isascii() and "<" not in text and ">" not in text


# --- 5. version titles -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "<img src=x onerror=alert(1)>",
        "Q4 <b>2026</b>",
        "Q4\x1b[31m",
        "Q4 2026\u202e",
        "Q4\u200b2026",
        "Q4\U000e0041",
        "Q4\u2066x\u2069",
    ],
    ids=["img", "bold", "escape", "rlo", "zwsp", "tag", "isolate"],
)
def test_a_version_title_with_markup_or_a_hidden_character_is_refused(title: str) -> None:
    """The selector, versions.json and the feeds show the title: HIDDEN_RE holds for it as for every text."""
    from playbook_site.errors import PublishError
    from playbook_site.publishing.publish import _check_title

    with pytest.raises(PublishError):
        _check_title(title)


# --- 1b. importers and links in the content folder ---------------------------------------------------------


@pytest.mark.parametrize("linked", ["results/new-pipeline.csv", "results/sources.yml", "results"])
def test_import_results_never_writes_through_a_link(tmp_path: Path, linked: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim").write_text("period,value\n2025-Q4,1\n", encoding="utf-8")
    content = write_content(tmp_path / "content", {"kpis/new-pipeline.yml": KPI})
    (content / "results").mkdir(exist_ok=True)
    if linked == "results":
        (content / "results").rmdir()
        (content / "results").symlink_to(outside, target_is_directory=True)
    else:
        (content / linked).symlink_to(outside / "victim")
    export = tmp_path / "export.csv"
    export.write_text("Date,Amount\n2026-01-05,100\n", encoding="utf-8")
    result = run_cli(
        "import", "results", str(export), "--kpi", "new-pipeline", "--content", str(content),
        "--date", "Date", "--value", "Amount", "--period", "quarter",
    )  # fmt: skip
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.stderr, result.stderr
    assert sorted(path.name for path in outside.iterdir()) == ["victim"]
    assert (outside / "victim").read_text(encoding="utf-8") == "period,value\n2025-Q4,1\n"


def test_import_definitions_never_writes_through_a_linked_kind_folder(tmp_path: Path, content: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (content / "leads").rename(tmp_path / "leads-moved")
    (content / "leads").symlink_to(outside, target_is_directory=True)
    stages = tmp_path / "lead stages.csv"
    stages.write_text("Order,Lead stage,Definition,Owner\n9,Renewal Lead,A renewal.,Sales Manager\n", encoding="utf-8")
    result = run_cli("import", "definitions", str(stages), "--content", str(content))
    assert result.exit_code in (0, 1, 2) and "Traceback" not in result.stderr, result.stderr
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize(
    "cell",
    ['Closes deals; =HYPERLINK("https://evil.example","x")', "Closes deals\n=cmd|' /C calc'!A0"],
    ids=["after-semicolon", "after-line-break"],
)
def test_a_formula_inside_a_list_cell_is_refused_as_in_a_whole_cell(tmp_path: Path, content: Path, cell: str) -> None:
    """Each item of a list cell (split at `;` and line breaks) is a value of its own: a formula there is refused,
    as it is when it starts the cell."""
    book = workbook(tmp_path / "team.xlsx", [ROLES_HEADER, ["Deal Desk Lead", "Sales", "Checks deals.", cell]])
    before = snapshot(content)
    result = run_cli("import", "definitions", str(book), "--content", str(content))
    assert result.exit_code == 1, result.stdout
    assert "is a formula: it is never evaluated" in result.stderr
    assert snapshot(content) == before


def test_a_name_too_long_for_a_file_name_is_a_located_problem_and_nothing_is_written(tmp_path: Path, content: Path) -> None:
    """The id made from a 300-character name named a file the file system refuses (ENAMETOOLONG): a traceback,
    after the rows before it were written."""
    roles = tmp_path / "roles.csv"
    long_name = "Word " * 60
    roles.write_text(
        f"Name,Function,Summary,Responsibilities\nDeal Desk Lead,Sales,Checks.,Checks\n{long_name},Sales,Checks.,Checks\n",
        encoding="utf-8",
    )
    before = snapshot(content)
    result = run_cli("import", "definitions", str(roles), "--content", str(content))
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"{roles}:3:1: error: " in result.stderr and "[bad-id]" in result.stderr
    assert snapshot(content) == before


def test_a_header_too_long_to_remember_is_no_traceback(tmp_path: Path) -> None:
    """The export's column names are remembered in results/sources.yml, which holds names of at most 200
    characters: a longer header cell made the import stop with pydantic's ValidationError."""
    content = write_content(tmp_path / "content", {"kpis/new-pipeline.yml": KPI})
    export = tmp_path / "export.csv"
    export.write_text(f'"{"Date " * 60}",Amount\n2026-01-05,100\n2026-02-05,100\n', encoding="utf-8")
    result = run_cli(
        "import", "results", str(export), "--kpi", "new-pipeline", "--content", str(content), "--yes", "--period", "quarter"
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "not remembered" in result.stdout
    assert run_cli("validate", "--content", str(content)).exit_code == 0


def test_empty_styled_rows_down_to_the_last_row_are_no_reason_to_refuse(tmp_path: Path, content: Path) -> None:
    """Excel writes a formatted row without cells as `<row r="1048576" .../>`: calamine allocates nothing for it,
    and the range check of finding 1 must not refuse the workbook for it."""
    book = workbook(tmp_path / "team.xlsx", [ROLES_HEADER, ["Deal Desk Lead", "Sales", "Checks deals.", "Checks deals"]])
    empty = '<row r="1048575" customFormat="1" s="1"/><row r="1048576" customFormat="1" s="1"></row></sheetData>'
    patch_part(book, "xl/worksheets/sheet1.xml", lambda text: text.replace("</sheetData>", empty))
    result = run_cli("import", "definitions", str(book), "--content", str(content), "--dry-run")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("shape", [b"<c", b"<row", b'<c r="A1', b"<x:c "])
def test_the_range_check_reads_a_worksheet_in_linear_time(shape: bytes) -> None:
    """The check of finding 1 reads up to 200 MB of sheet XML: a run of unclosed `<c` must cost about what
    ordinary cells of the same size cost (a pattern that rescans to the end from each one is quadratic)."""
    import time

    from playbook_site.importers.sheets import _extent

    size = 60_000
    ordinary = b'<row r="1"><c r="A1" t="n"><v>1</v></c></row>' * (size // 45)
    costly = shape * (size // len(shape))

    def cpu(data: bytes) -> float:
        start = time.process_time()
        for _ in range(5):
            _extent(data)
        return time.process_time() - start

    assert cpu(costly) < 20 * max(cpu(ordinary), 0.01)
