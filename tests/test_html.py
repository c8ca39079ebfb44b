"""site/html.py on its own: the sanitizer's allowlist and the writer's output for each kind of token.

Written for the mutants mutmut left alive in site/html.py (`make mutate`, reference/mutation.md): the
pages never give the sanitizer anything outside the allowlist, so only a direct call shows that it
still refuses it; and each token kind (a link's end, an escaped character, an abbreviation inside
and after a link) is checked by the exact HTML it becomes.
"""

from __future__ import annotations

from playbook_site.site.abbreviations import Abbreviation, Finder
from playbook_site.site.html import Writer, sanitize

PAGE = "roles/x.md"
SQL = Abbreviation("SQL", "lead", "sales-qualified-lead", "Sales Qualified Lead")
ABBR = '<abbr title="Sales Qualified Lead">SQL</abbr>'
LINKED = f'<a class="pb-abbr" href="../../leads/#sales-qualified-lead">{ABBR}</a>'


def writer() -> Writer:
    """A fresh writer for each test: a writer remembers what it wrote (`inline` and `plain` are
    cached), and a shared one would answer a later run from what an earlier run wrote (under
    mutation testing: what the unmutated code wrote)."""
    return Writer(Finder({"SQL": SQL}))


def test_the_sanitizer_keeps_only_the_allowed_elements_attributes_and_schemes() -> None:
    dirty = (
        "<script>alert(1)</script><img src=x><p>p</p>"  # elements outside the allowlist
        '<a href="ftp://x">f</a><a href="javascript:alert(1)">j</a>'  # schemes outside it
        "<!-- a comment -->"
        '<a href="https://y" onclick="z" class="c">ok</a><abbr title="t" id="i">A</abbr>'  # attributes outside it
        '<a href="../roles/#x">own page</a><a href="mailto:a@example.com">m</a>'
    )
    assert sanitize(dirty) == (
        'p<a>f</a><a>j</a><a href="https://y" class="c">ok</a><abbr title="t">A</abbr>'
        '<a href="../roles/#x">own page</a><a href="mailto:a@example.com">m</a>'
    )


def test_plain_text_keeps_its_quotes_as_written() -> None:
    assert writer().marked('a "b" it\'s SQL', PAGE, link=False) == f'a "b" it\'s {ABBR}'
    assert writer().plain('a "b" it\'s', PAGE) == 'a "b" it\'s'
    assert writer().inline('a "b" it\'s', PAGE) == 'a "b" it\'s'


def test_a_plain_text_marks_its_abbreviations_linked_or_not() -> None:
    assert writer().inline("the SQL", PAGE) == f"the {LINKED}"
    assert writer().inline("the SQL", PAGE, False) == f"the {ABBR}"


def test_markdown_text_marks_abbreviations_linked_or_not_and_never_a_link_in_a_link() -> None:
    assert writer().inline("**see** the SQL", PAGE) == f"<strong>see</strong> the {LINKED}"
    assert writer().inline("**see** the SQL", PAGE, False) == f"<strong>see</strong> the {ABBR}"
    inside_then_after = "[the SQL stage](https://x.example) then SQL"
    assert writer().inline(inside_then_after, PAGE) == f'<a href="https://x.example">the {ABBR} stage</a> then {LINKED}'


def test_a_link_ends_where_its_text_ends() -> None:
    assert writer().inline("[a](https://x.example) b", PAGE) == '<a href="https://x.example">a</a> b'


def test_escaped_markdown_characters_and_code_are_shown_as_written() -> None:
    assert writer().inline(r"a \*b\* c", PAGE) == "a *b* c"
    assert writer().inline('`a "q" <b>`', PAGE) == '<code>a "q" &lt;b&gt;</code>'
    assert writer().inline('[q](https://x.example/?a="b"&c=1)', PAGE) == '<a href="https://x.example/?a=%22b%22&amp;c=1">q</a>'
