"""Property tests: whatever is written into the content, the loader returns a playbook or reports problems.

The strategies (tests/playbook_strategies.py) build well-shaped playbooks from the schema and damage them
one way at a time, so that each check is reached instead of the first one on the way (a repeated key, a
file that is not UTF-8). For every example, whatever it holds:

- the loader raises nothing but ContentError;
- every problem has a registered code with its severity, a path inside the content directory, a line and
  column inside that file (0 and 0 for a problem with the whole file) and a message;
- the text, GitHub and JSON reports handle every problem (one annotation each, no control character);
- no problem falls through to the safety net `invalid`: every refusal of the models is worded;
- where one fault was aimed at a check, its code is reported, and for a fault in a results file or activity.yml
  at the cell or value the fault was put into.

The examples are the same on every run (the `ci` profile in conftest.py); HYPOTHESIS_PROFILE=explore draws new
ones, PLAYBOOK_FUZZ_SCALE=10 ten times as many; `pytest --code-counts` prints how many examples reported each code.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import textwrap
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from conftest import DEFAULT_CONTENT, MINIMAL, record_codes
from playbook_site.cli.output import format_github, format_problems, problem_dict
from playbook_site.codes import CODES
from playbook_site.content import load_all
from playbook_site.content.markup import check_text
from playbook_site.content.periods import FIRST_DAY, LAST_DAY
from playbook_site.content.release import release_problems, source_locate
from playbook_site.content.yaml_reader import MAX_DEPTH, MAX_FILE_BYTES
from playbook_site.errors import ContentError, Problem
from playbook_site.review.codeowners import outdated_problem
from playbook_site.site.abbreviations import Abbreviation, Finder
from playbook_site.site.html import Writer
from playbook_site.site.render import render
from playbook_strategies import (
    CRASHING_TAGS,
    FAULTS,
    TODAY,
    Doc,
    aimed_at,
    chaos,
    damaged,
    every_file,
    file_bytes,
    mutate,
    mutation,
    playbooks,
    write,
)

SCALE = float(os.environ.get("PLAYBOOK_FUZZ_SCALE", "1"))


def examples(count: int) -> settings:
    return settings(max_examples=max(1, round(count * SCALE)))


# --- what every example is checked for ------------------------------------------------------------

# What no report may print as it is: control characters (a tab is harmless), line and paragraph separators,
# bidirectional overrides.
UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


@contextmanager
def written(doc: Doc) -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        root = base / "content"
        write(doc, root)
        yield root
    finally:
        shutil.rmtree(base)


def source_lines(path: Path) -> list[str]:
    """The lines of a file as the reader numbers them (a byte-order mark and \\r\\n endings do not count)."""
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def problems_of(root: Path) -> list[Problem]:
    """Everything `playbook validate` reports on `root`, and what `playbook publish` would refuse."""
    try:
        loaded = load_all(root, today=TODAY)
    except ContentError as error:
        assert error.problems, "a failure always carries at least one problem"
        return list(error.problems)
    problems = list(loaded.warnings)
    outdated = outdated_problem(loaded.playbook, root)
    if outdated is not None:
        problems.append(outdated)
    return problems + release_problems(
        loaded.playbook, source_locate(loaded.playbook, loaded.sources, lambda rel: f"{root}/{rel}")
    )


BOM = b"\xef\xbb\xbf"


def first_undecodable(path: Path) -> tuple[int, int] | None:
    """(line, column) of the first byte of `path` that is not UTF-8, counted as source_lines counts; None if none."""
    raw = path.read_bytes()
    body = raw[len(BOM) :] if raw.startswith(BOM) else raw
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = body[: exc.start].decode("utf-8").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return len(before), len(before[-1]) + 1
    return None


def assert_well_formed(root: Path, problems: list[Problem]) -> None:
    for problem in problems:
        assert problem.code in CODES, problem
        assert problem.code != "invalid", f"the models refused a value in words of their own; translate it: {problem}"
        assert problem.severity == ("warning" if CODES[problem.code].kind == "warning" else "error"), problem
        assert problem.message.strip(), problem
        if problem.code == "codeowners-outdated":
            assert Path(problem.path) == root.resolve().parent / ".github" / "CODEOWNERS", problem
        elif problem.code == "no-content":
            assert problem.path == str(root), problem
        else:
            assert problem.path.startswith(f"{root}/"), problem
        if problem.line == 0:
            assert problem.column == 0, problem
            continue
        if problem.code == "not-utf8" and problem.message.startswith("the file is not UTF-8"):
            assert (problem.line, problem.column) == first_undecodable(Path(problem.path)), problem
        lines = source_lines(Path(problem.path))
        assert 1 <= problem.line <= len(lines), (problem, len(lines))
        assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1, (problem, lines[problem.line - 1])


def assert_every_format_handles(problems: list[Problem]) -> None:
    text, github = format_problems(problems), format_github(problems)
    as_json = json.dumps([problem_dict(p) for p in problems])
    assert json.loads(as_json) == [problem_dict(p) for p in problems]
    for output in (text, github):
        output.encode("utf-8")  # printable on any terminal and in any log
        assert not UNPRINTABLE.search(output), repr(UNPRINTABLE.search(output))
    annotations = github.splitlines()
    assert len(annotations) == len(problems)
    for problem, annotation in zip(problems, annotations, strict=True):
        assert annotation.startswith(f"::{problem.severity} file=") and f",title={problem.code}::" in annotation
        assert f"[{problem.code}]" in text
        assert str(problem)


def reported(doc: Doc) -> list[tuple[str, str, int, int]]:
    """Write `doc`, load it, check every problem; (code, path inside the content directory, line, column) of each."""
    with written(doc) as root:
        problems = problems_of(root)
        assert_well_formed(root, problems)
        assert_every_format_handles(problems)
        inside = f"{root}/"
        found = [(p.code, p.path.removeprefix(inside), p.line, p.column) for p in problems]
    codes = {code for code, *_ in found}
    record_codes("fuzz", codes)
    for code in sorted(codes):
        event(code)  # `pytest --hypothesis-show-statistics` shows how often each was reached
    return found


def check(doc: Doc) -> set[str]:
    """Write `doc`, load it, check every problem; the codes reported."""
    return {code for code, *_ in reported(doc)}


# --- valid playbooks are valid --------------------------------------------------------------------


@examples(60)
@given(doc=playbooks())
def test_a_playbook_drawn_from_the_schema_loads_and_renders(doc: Doc) -> None:
    """The strategies draw valid playbooks: no problem but the release checks' on drafts, and every page renders."""
    codes = check(doc)
    assert codes <= {code for code, c in CODES.items() if c.kind == "publishing"}, codes
    with written(doc) as root:
        pages = render(load_all(root, today=TODAY).playbook, today=TODAY)
    assert {"index.md", "roles/index.md"} <= set(pages)


# --- one fault aimed at each check ----------------------------------------------------------------

# `invalid` is the safety net: nothing may reach it. `broken-link` is the build's check of the links between generated
# pages: a template that links wrongly, never the content, so no content can cause it; tests/test_errors.py reaches
# it (BEYOND_VALIDATE: template-links-to-no-page, through a template override).
# `survey-import` is `playbook survey import`'s check of a form tool's export, which is not content
# (tests/test_errors.py reaches it: BEYOND_VALIDATE, and tests/test_survey_import.py).
AIMED = sorted(set(CODES) - {"invalid", "broken-link", "survey-import"})


def test_a_fault_is_aimed_at_every_code_but_the_safety_net() -> None:
    aimed = set().union(*(f.codes for f in FAULTS.values()))
    assert aimed == set(AIMED), f"aim a fault in tests/playbook_strategies.py at: {sorted(set(AIMED) - aimed)}"


@pytest.mark.parametrize("code", AIMED)
@examples(8)
@given(data=st.data())
def test_a_fault_aimed_at_a_check_is_reported_with_its_code(code: str, data: st.DataObject) -> None:
    doc, fault, expected = data.draw(damaged(code), label="playbook, fault, code")
    assert expected == code
    aim = aimed_at(doc)  # before loading: where a fault in a results file or activity.yml must be reported
    found = reported(doc)
    codes = {c for c, *_ in found}
    assert code in codes, f"{fault}: expected {code}, got {sorted(codes)}"
    if aim is not None:
        rel, line, column = aim
        at = [(p_line, p_column) for c, p_rel, p_line, p_column in found if c == code and p_rel == rel]
        assert any(p_line == line and column in (None, p_column) for p_line, p_column in at), (
            f"{fault}: {code} expected at {rel}:{line}:{column or '*'}, reported at {at or found}"
        )


@examples(150)
@given(doc=chaos())
def test_several_faults_at_once_are_each_well_reported(doc: Doc) -> None:
    check(doc)


# --- random damage to the bytes of one valid file ---------------------------------------------------


def test_random_damage_to_a_valid_file_reaches_many_checks() -> None:
    """Lines deleted, repeated or re-indented, tabs, control characters, quotes and colons taken away or added,
    bytes that are not UTF-8: each example well reported, and the reports spread over the checks."""
    seen: Counter[str] = Counter()
    runs = [0]
    publishing = {code for code, c in CODES.items() if c.kind == "publishing"}  # drafts in the playbook drawn

    @examples(150)
    @given(doc=playbooks(), which=st.integers(0, 50), edits=st.lists(mutation(), min_size=1, max_size=4))
    def damage(doc: Doc, which: int, edits: list[tuple[str, int, int, str]]) -> None:
        files = list(every_file(doc))
        rel = files[which % len(files)]
        doc.files[rel] = mutate(file_bytes(doc, rel), edits)
        codes = check(doc) - publishing
        seen.update(codes or {"(valid)"})
        runs[0] += 1

    damage()
    top, count = seen.most_common(1)[0]
    assert len(seen) >= 8, seen
    assert count <= 0.5 * runs[0], f"{top} in {count} of {runs[0]} examples: the damage stops at one check ({seen})"


# --- odd scalars, deep nesting, tags the reader lets through ------------------------------------------

# (YAML value, code for `order` (a whole number), for `name` (text), for `target` (a mapping)); None: valid
SCALARS = [
    ("99999", None, "wrong-type", "wrong-type"),
    ("9" * 4001, "bad-value", "bad-value", "bad-value"),  # Python refuses to convert more than 4300 digits
    (".nan", "wrong-type", "wrong-type", "wrong-type"),
    (".inf", "wrong-type", "wrong-type", "wrong-type"),
    ("-.inf", "wrong-type", "wrong-type", "wrong-type"),
    ("0x1F", None, "wrong-type", "wrong-type"),
    ("0o17", "wrong-type", None, "wrong-type"),  # not a number in YAML 1.1
    ("1_000", None, "wrong-type", "wrong-type"),
    ("1e999", "wrong-type", None, "wrong-type"),  # YAML 1.1 floats need a dot
    ("2027-02-30", "wrong-type", None, "wrong-type"),
    ("2027-13-01", "wrong-type", None, "wrong-type"),
    ("yes", "wrong-type", "wrong-type", "wrong-type"),
    ("~", "wrong-type", "wrong-type", None),
    ("''", "wrong-type", "empty-value", "wrong-type"),
    ("0", "bad-value", "wrong-type", "wrong-type"),
    ("-1", "bad-value", "wrong-type", "wrong-type"),
    ("!!binary aGk=", "unsafe-tag", "unsafe-tag", "unsafe-tag"),
    ("!!python/name:os.system", "unsafe-tag", "unsafe-tag", "unsafe-tag"),
    ("!!set {a}", "unsafe-tag", "unsafe-tag", "unsafe-tag"),
    ("&a [*a]", "alias-loop", "alias-loop", "alias-loop"),
    ("*undefined", "yaml-syntax", "yaml-syntax", "yaml-syntax"),
    ("@handle", "yaml-syntax", "yaml-syntax", "yaml-syntax"),
    ("!!int x", "wrong-type", None, "wrong-type"),  # a core tag on a value it cannot read: the text
    ("!!float x", "wrong-type", None, "wrong-type"),
    ("!!timestamp 2026-99-99", "wrong-type", None, "wrong-type"),
    ("!!str 5", "wrong-type", None, "wrong-type"),
    ("!!null x", "wrong-type", "wrong-type", None),
    ("!!map {}", "wrong-type", "wrong-type", "missing-field"),
    ("call back #today", "trailing-comment", "trailing-comment", "trailing-comment"),
    ('"\\e[2J"', "control-character", "control-character", "control-character"),
    ("[" * 70 + "]" * 70, "too-deep", "too-deep", "too-deep"),
]
FIELDS = {"order": "leads/sales-qualified-lead.yml", "name": "roles/sales-manager.yml", "target": "kpis/win-rate.yml"}
TEXT_CODES = {"control-character", "empty-value", "raw-html", "unsafe-url", "bad-link", "misleading-link", "dangling-link"}


def with_value(field: str, value: str) -> Doc:
    """The minimal playbook (tests/conftest.py) with `field: value` in place of the field's own line(s)."""
    files: dict[str, object] = {rel: textwrap.dedent(text).lstrip("\n").encode("utf-8") for rel, text in MINIMAL.items()}
    rel = FIELDS[field]
    text = textwrap.dedent(MINIMAL[rel]).lstrip("\n")
    pattern = rf"^{field}:.*\n(?:  .*\n)*"
    text = re.sub(pattern, lambda _m: f"{field}: {value}\n", text, flags=re.M) if re.search(pattern, text, re.M) else text
    files[rel] = text.encode("utf-8", errors="surrogatepass")
    return Doc(files, {}, [])


def test_with_value_replaces_the_field() -> None:
    for field, rel in FIELDS.items():
        text = with_value(field, "REPLACED").files[rel]
        assert isinstance(text, bytes) and text.count(f"{field}:".encode()) == 1 and f"{field}: REPLACED\n".encode() in text


@examples(90)
@given(field=st.sampled_from(sorted(FIELDS)), scalar=st.sampled_from(SCALARS))
def test_odd_scalars_in_a_field(field: str, scalar: tuple[str, str | None, str | None, str | None]) -> None:
    """Each odd value, written in place of the field (not as a second one), is reported with its own code."""
    value, *expected = scalar
    code = expected[["order", "name", "target"].index(field)]
    codes = check(with_value(field, value))
    if code is None:
        assert not codes, codes
    else:
        assert code in codes, (value, codes)


@examples(40)
@given(field=st.sampled_from(sorted(FIELDS)), text=st.text(max_size=30))
def test_any_quoted_text_in_a_field(field: str, text: str) -> None:
    """Any text at all, as a double-quoted value: text where text is expected, refused otherwise."""
    from playbook_site.content.slips import mojibake

    codes = check(with_value(field, json.dumps(text, ensure_ascii=False)))
    # Text that reads as UTF-8 decoded as Windows-1252 ("Â\xa0" for a no-break space) is reported as garbled.
    allowed = TEXT_CODES | ({"wrong-type"} if field != "name" else set()) | ({"not-utf8"} if mojibake(text) else set())
    assert codes <= allowed, (text, codes)
    if field != "name":
        assert codes & {"wrong-type", "control-character"}, (text, codes)


@examples(40)
@given(depth=st.integers(1, 5000), opener=st.sampled_from(["[", "{a: ", "- "]))
def test_nesting_of_any_depth(depth: int, opener: str) -> None:
    """Nested lists or mappings under `onboarding` (a list of text): too deep past the limit, the wrong shape
    below it, too large when the indentation alone passes 2 MiB."""
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    nested = opener * depth + "x" + closer * depth if opener != "- " else "".join("  " * i + "- " for i in range(depth)) + "x"
    role = textwrap.dedent(MINIMAL["roles/sales-manager.yml"]).lstrip("\n")
    assert "onboarding" not in role
    data = (role + "onboarding:\n  " + nested + "\n").encode("utf-8")
    files: dict[str, object] = {rel: textwrap.dedent(text).lstrip("\n").encode("utf-8") for rel, text in MINIMAL.items()}
    files["roles/sales-manager.yml"] = data
    codes = check(Doc(files, {}, []))
    if len(data) > MAX_FILE_BYTES:
        expected = {"file-too-large"}
    elif depth >= MAX_DEPTH:  # `onboarding` is one level, the file's mapping another
        expected = {"too-deep"}
    elif depth == 1 and opener != "{a: ":
        expected = set()  # a list of one text: valid
    else:
        expected = {"wrong-type"}
    assert codes == expected, (depth, opener, codes)


@pytest.mark.parametrize("value", CRASHING_TAGS)
def test_core_tags_with_unreadable_values_are_reported(value: str) -> None:
    """`name: !!timestamp x`, `!!bool x`, `!!int` (empty) once raised a traceback: now a located bad-value."""
    files: dict[str, object] = {rel: textwrap.dedent(text).lstrip("\n").encode("utf-8") for rel, text in MINIMAL.items()}
    files["roles/sales-manager.yml"] = b"name: " + value.encode() + b"\nfunction: sales\nsummary: S\nresponsibilities: [x]\n"
    with written(Doc(files, {}, [])) as root, pytest.raises(ContentError) as caught:
        load_all(root)
    assert [(p.code, p.path.rsplit("/", 1)[-1], p.line, p.column) for p in caught.value.problems] == [
        ("bad-value", "sales-manager.yml", 1, 7)
    ]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"name: Sales Manager\rfunction: sales\rsummary: L\xe9ads\rresponsibilities:\r  - x\r", (3, 11)),
        (b"name: Sales Manager\r\nfunction: sales\r\nsummary: L\xe9ads\r\nresponsibilities: [x]\r\n", (3, 11)),
        (b"\xef\xbb\xbfname: S\xe9les\nfunction: sales\nsummary: S\nresponsibilities: [x]\n", (1, 8)),
    ],
    ids=["old Mac line ends", "Windows line ends", "a byte-order mark"],
)
def test_the_position_of_a_byte_that_is_not_utf8(data: bytes, where: tuple[int, int]) -> None:
    """Found by the fuzz tests: a file with \\r line ends and a Latin-1 byte on line 3 was reported at 1:47."""
    files: dict[str, object] = {rel: textwrap.dedent(text).lstrip("\n").encode("utf-8") for rel, text in MINIMAL.items()}
    files["roles/sales-manager.yml"] = data
    with written(Doc(files, {}, [])) as root, pytest.raises(ContentError) as caught:
        load_all(root)
    assert [(p.code, p.line, p.column) for p in caught.value.problems] == [("not-utf8", *where)]


def minimal_with(rel: str, data: bytes) -> Doc:
    """The minimal playbook (tests/conftest.py) with the file `rel` written as `data`."""
    files: dict[str, object] = {rel: textwrap.dedent(text).lstrip("\n").encode("utf-8") for rel, text in MINIMAL.items()}
    files[rel] = data
    return Doc(files, {}, [])


def reported_in(doc: Doc, code: str) -> list[tuple[int, int, str]]:
    """(line, column, message) of each problem with `code` that loading `doc` reports."""
    with written(doc) as root:
        return [(p.line, p.column, p.message) for p in problems_of(root) if p.code == code]


@pytest.mark.parametrize(
    ("data", "where"),
    [
        (b"period,value\r2026-Q2,20\r2026-Q3,2\xe94\r", (3, 10)),
        (b"period,value\r\n2026-Q2,20\r\n2026-Q3,2\xe94\r\n", (3, 10)),
        (BOM + b"period,value\n2026-Q3,2\xe94\n", (2, 10)),
    ],
    ids=["old Mac line ends", "Windows line ends", "a byte-order mark"],
)
def test_the_position_of_a_byte_that_is_not_utf8_in_a_results_file(data: bytes, where: tuple[int, int]) -> None:
    """Found by the fuzz tests: in a results file with \\r line ends the byte was reported on line 1, after a
    byte-order mark three bytes early (and the message named the byte found there, 0x33 for 0xe9)."""
    found = reported_in(minimal_with("results/win-rate.csv", data), "not-utf8")
    assert [(line, column) for line, column, _ in found] == [where] and "0xe9" in found[0][2], found


def test_text_after_a_closing_quote_is_reported_at_its_cell() -> None:
    """Found by the fuzz tests: text after the closing quote of the value (`2026-Q3,"18" x,late`) is reported at
    the note (2:16), not at the value (2:9)."""
    doc = minimal_with("results/win-rate.csv", b'period,value,note\n2026-Q3,"18" x,late\n')
    assert [(line, column) for line, column, _ in reported_in(doc, "csv-syntax")] == [(2, 9)]


# --- whatever text passes validation renders to harmless HTML -----------------------------------

# Pieces of Markdown that an attacker would combine; backticks are frequent because code spans that the
# escaper and Markdown pair differently are how raw Markdown once got through.
PIECES = (
    ["`", "`", "``", "```", " ", "x", "\\", "*", "_", "|", "[", "]", "(", ")", "!", "{", "}", ":", "#", "-", "1.", "<", "&", '"']
    + ["![i](https://tracker.example/i.png)", '[l](https://ok.example/a_b){: onclick="alert(1)" }', "[r](role:sales-manager)"]
    + [
        "{: .x #y onclick=z }",
        "*[MQL]: x",
        "[ref]: https://tracker.example",
        "[x][ref]",
        "<https://tracker.example>",
        "&#60;b&#62;",
    ]
)
ALLOWED = {"a": {"href", "class"}, "abbr": {"title"}, "strong": set(), "em": set(), "code": set()}


class _Tags(HTMLParser):
    """Elements and text as a browser's parser reads them (entities decoded once)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser


def harmful(text: str, html: str) -> list[str]:
    """What in `html` (the rendering of `text`) a browser or Material's scripts could run or fetch."""
    found = []
    page = parsed(html)
    for tag, attrs in page.found:
        if tag not in ALLOWED:
            found.append(f"element <{tag}>")
        for name, value in attrs:
            if name not in ALLOWED.get(tag, set()):
                found.append(f"attribute {name} on <{tag}>")
            elif name == "href" and not (
                (value or "").startswith(("https://", "http://", "mailto:")) or value == "../sales-manager/"
            ):
                found.append(f"link to {value}")
            elif name == "title" and re.search(r"<[A-Za-z/!?]", value or ""):
                # Material's tooltips put the title, as the browser read it, into the page as HTML
                found.append(f"markup in a tooltip: {value}")
    if any(re.search(r"<[A-Za-z/!?]", chunk) for chunk in page.text):
        found.append("markup in the text (a script that reads it as HTML would run it)")
    return found


WRITER = Writer(Finder({"AE": Abbreviation("AE", "role", "sales-manager", "Account Executive: <b>x</b> & y")}))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.sampled_from(PIECES), min_size=1, max_size=10))
def test_text_that_passes_validation_renders_to_harmless_html(pieces: list[str]) -> None:
    text = "".join(pieces) + " AE"
    try:
        check_text(text)
    except PydanticCustomError:
        return  # refused with a problem: nothing is rendered
    html = WRITER.inline(text, "roles/account-executive.md")
    assert harmful(text, html) == [], (text, html)


def test_the_property_catches_html_passed_through() -> None:
    """The check above is not vacuous: a renderer with HTML on, as Python-Markdown passes it through, fails it."""
    from markdown_it import MarkdownIt

    hostile = 'see <img src=x onerror="alert(1)"> and &lt;b&gt;'
    naive = MarkdownIt("commonmark", {"html": True}).renderInline(hostile)
    assert "element <img>" in harmful(hostile, naive) and "attribute onerror on <img>" in harmful(hostile, naive)
    assert harmful("&lt;b&gt;", "&lt;b&gt;") == ["markup in the text (a script that reads it as HTML would run it)"]
    assert harmful("&lt;b&gt;", WRITER.inline("&lt;b&gt;", "index.md")) == []


# --- every date and period the validator accepts builds (issue 21, finding 7) -----------------------

DAYS = st.one_of(
    st.dates(FIRST_DAY, TODAY),  # what the checks accept (a day that has come)
    st.dates(),
    st.sampled_from([date.min, date.max, FIRST_DAY, LAST_DAY, FIRST_DAY - timedelta(days=1), LAST_DAY + timedelta(days=1)]),
)
PERIOD_FORMS = {
    "year": lambda day: f"{day.year:04d}",
    "quarter": lambda day: f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}",
    "month": lambda day: f"{day.year:04d}-{day.month:02d}",
    "week": lambda day: f"{day.isocalendar()[0]:04d}-W{day.isocalendar()[1]:02d}",
    "day": lambda day: day.isoformat(),
}


@examples(60)
@given(
    where=st.sampled_from(["activity", "role-review", "kpi-review", *(f"results-{form}" for form in PERIOD_FORMS)]),
    day=DAYS,
)
def test_any_date_or_period_the_validator_accepts_renders(where: str, day: date) -> None:
    """A date or period anywhere in the format, from year 1 to 9999: refused with a located problem
    beyond the horizon (periods.FIRST_DAY to LAST_DAY), and when accepted, the reviews, cadences, charts
    and pages computed from it render (9999-12-31 in activity.yml crashed validate and build)."""
    base = Path(tempfile.mkdtemp(prefix="fuzz-dates-"))
    try:
        root = base / "content"
        shutil.copytree(DEFAULT_CONTENT, root)
        if where == "activity":
            edit(root / "activity.yml", "date: 2026-02-10", f"date: {day.isoformat()}")
        elif where == "role-review":
            edit(root / "roles" / "account-executive.yml", "kpis:", f"review_by: {day.isoformat()}\nkpis:")
        elif where == "kpi-review":
            edit(root / "kpis" / "win-rate.yml", "cadence:", f"review_by: {day.isoformat()}\ncadence:")
        else:
            period = PERIOD_FORMS[where.removeprefix("results-")](day)
            (root / "results" / "win-rate.csv").write_text(f"period,value,note\n{period},21.5,\n", encoding="utf-8")
        try:
            loaded = load_all(root, today=TODAY)
        except ContentError as error:
            event("refused")
            assert error.problems and all(problem.code != "invalid" for problem in error.problems)
            return
        assert FIRST_DAY <= day <= LAST_DAY or where.startswith("results-") and where != "results-day", day
        event("accepted")
        pages = render(loaded.playbook, today=TODAY)
        assert "index.md" in pages
    finally:
        shutil.rmtree(base)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
