"""Property tests: whatever YAML is thrown at the loader, it returns a playbook or reports problems."""

from __future__ import annotations

import random
import re
import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import yaml
from conftest import DEFAULT_CONTENT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from generator.cli import format_github, format_text
from generator.content import load
from generator.content.markup import check_text
from generator.content.schema import Playbook
from generator.errors import ContentError
from generator.site.abbreviations import Abbreviation, Finder
from generator.site.html import Writer

FILES = sorted(p.relative_to(DEFAULT_CONTENT).as_posix() for p in DEFAULT_CONTENT.rglob("*.yml"))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def loads_or_reports(root: Path) -> None:
    try:
        result = load(root)
    except ContentError as error:
        assert error.problems, "a failure always carries at least one problem"
        for problem in error.problems:
            assert problem.path.startswith(str(root)) and problem.message
    else:
        assert isinstance(result, Playbook)


def with_file(rel: str, data: bytes) -> Path:
    root = Path(tempfile.mkdtemp(prefix="fuzz-")) / "content"
    shutil.copytree(DEFAULT_CONTENT, root)
    (root / rel).write_bytes(data)
    return root


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30) | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(rel=st.sampled_from(FILES), value=yaml_values)
def test_random_yaml_values_in_any_file(rel: str, value: object) -> None:
    root = with_file(rel, yaml.safe_dump(value, allow_unicode=True).encode("utf-8"))
    try:
        loads_or_reports(root)
    finally:
        shutil.rmtree(root.parent)


@FUZZ
@given(rel=st.sampled_from(FILES), data=st.binary(max_size=300))
def test_random_bytes_in_any_file(rel: str, data: bytes) -> None:
    root = with_file(rel, data)
    try:
        loads_or_reports(root)
    finally:
        shutil.rmtree(root.parent)


@FUZZ
@given(rel=st.sampled_from(FILES), seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 6))
def test_random_mutations_of_the_default_content(rel: str, seed: int, edits: int) -> None:
    rng = random.Random(seed)
    text = list((DEFAULT_CONTENT / rel).read_text(encoding="utf-8"))
    alphabet = list(":-[]{}#&*!|>'\"%@`\t\n ,?<é") + ["\x00", "\u2028", "{{", "<script>"]
    for _ in range(edits):
        position = rng.randrange(len(text) + 1)
        action = rng.choice(("insert", "delete", "replace", "duplicate-line"))
        if action == "insert":
            text.insert(position, rng.choice(alphabet))
        elif action == "delete" and text:
            del text[min(position, len(text) - 1)]
        elif action == "replace" and text:
            text[min(position, len(text) - 1)] = rng.choice(alphabet)
        else:
            lines = "".join(text).split("\n")
            index = rng.randrange(len(lines))
            lines.insert(index, lines[index])
            text = list("\n".join(lines))
    root = with_file(rel, "".join(text).encode("utf-8", errors="surrogatepass"))
    try:
        loads_or_reports(root)
    finally:
        shutil.rmtree(root.parent)


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
_MKDOCS = yaml.safe_load((Path(__file__).resolve().parents[1] / "mkdocs.yml").read_text(encoding="utf-8"))
EXTENSIONS = [e if isinstance(e, str) else next(iter(e)) for e in _MKDOCS["markdown_extensions"]]
EXTENSION_CONFIGS = {next(iter(e)): next(iter(e.values())) for e in _MKDOCS["markdown_extensions"] if isinstance(e, dict)}
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


@FUZZ
@given(rel=st.sampled_from(FILES), data=st.binary(max_size=200))
def test_every_report_format_handles_whatever_the_loader_reports(rel: str, data: bytes) -> None:
    root = with_file(rel, (DEFAULT_CONTENT / rel).read_bytes()[:300] + data)
    try:
        try:
            load(root)
            return
        except ContentError as error:
            problems = error.problems
        text = format_text(problems)
        github = format_github(problems)
        assert "\x1b" not in text + github
        assert all(line.startswith("::") for line in github.splitlines())
        assert len(github.splitlines()) == len(problems)
        assert all(str(problem) for problem in problems)
    finally:
        shutil.rmtree(root.parent)


SCALARS = st.one_of(
    st.integers(1, 6000).map(lambda n: "9" * n),  # Python refuses to convert more than 4300 digits
    st.sampled_from([".nan", ".inf", "-.inf", "0x1F", "0o17", "1_000", "1e999", "2027-02-30", "2027-13-01", "yes", "~", "''"]),
    st.sampled_from(["!!binary aGk=", "!!python/name:os.system", "&a [*a]", "*undefined", "!!timestamp x", "!!int x"]),
    st.text(max_size=20).map(lambda t: yaml.safe_dump(t, allow_unicode=True).removesuffix("\n...\n").strip()),
)


@FUZZ
@given(
    target=st.sampled_from(
        [("leads/customer.yml", "order"), ("roles/sales-manager.yml", "name"), ("kpis/win-rate.yml", "target")]
    ),
    scalar=SCALARS,
)
def test_odd_scalars_in_a_field(target: tuple[str, str], scalar: str) -> None:
    rel, field = target
    text = (DEFAULT_CONTENT / rel).read_text(encoding="utf-8") + f"\n{field}: {scalar}\n"
    root = with_file(rel, text.encode("utf-8", errors="surrogatepass"))
    try:
        loads_or_reports(root)
    finally:
        shutil.rmtree(root.parent)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(depth=st.integers(1, 5000), opener=st.sampled_from(["[", "{a: ", "- "]))
def test_nesting_of_any_depth(depth: int, opener: str) -> None:
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    nested = opener * depth + "x" + closer * depth if opener != "- " else "".join("  " * i + "- " for i in range(depth)) + "x"
    text = (DEFAULT_CONTENT / "roles/sales-manager.yml").read_text(encoding="utf-8") + "\nonboarding:\n  " + nested + "\n"
    root = with_file("roles/sales-manager.yml", text.encode("utf-8"))
    try:
        loads_or_reports(root)
    finally:
        shutil.rmtree(root.parent)
