"""The links of a simple text are read without the parser (issue 27), and always as the parser reads them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playbook_site.content import markup


def _parsed(text: str) -> list[markup.Link]:
    """The links as the parser finds them (what `links` did for every text before)."""
    found: list[markup.Link] = []
    label: list[str] | None = None
    href = ""
    for token in markup.parse(text):
        if token.type == "link_open":
            href, label = str(token.attrs.get("href", "")), []
        elif token.type == "link_close" and label is not None:
            found.append(markup.Link(href, "".join(label)))
            label = None
        elif label is not None and token.type in ("text", "code_inline", "text_special"):
            label.append(token.content)
    return found


PIECES = st.sampled_from(
    [
        "Sales Manager, Benelux",
        " ",
        "  \n ",
        "(",
        ")",
        "!",
        "*",
        "**",
        "_",
        "`",
        "\\",
        "<",
        "&amp;",
        "[",
        "]",
        "](",
        "[AE](role:account-executive)",
        "[Win rate](kpi:win-rate)",
        "[ spaced ](role:a)",
        "[docs](https://Example.COM/a_b?x=1#top)",
        "[mail](mailto:someone@example.com)",
        "[bad](javascript:alert)",
        '[t](https://x.org "title")',
        "[n](https://x.org/%zz)",
        "[u](https://exämple.org)",
        "[e](role:a)(b)",
        "![i](https://x.org/i.png)",
        "[*em*](role:a)",
        "[a](role:a",
        "[a]()",
        "[[a]](role:a)",
        "HTTPS://X.ORG",
        "[x](HTTPS://X.ORG)",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=8).map("".join))
def test_links_agree_with_the_parser(text: str) -> None:
    assert markup.links(text) == _parsed(text)


@pytest.mark.parametrize(
    "text",
    [
        "See [AE](role:account-executive) and [Win rate](kpi:win-rate), **twice**.",
        "Read [the guide](https://example.org/guide?x=1#part) (it is short).",
    ],
)
def test_a_simple_text_needs_no_parser(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The shape of most texts with a link: read without the parser, the same links as the parser's."""
    expected = _parsed(text)
    assert expected
    calls: list[str] = []
    monkeypatch.setattr(markup, "parse", lambda value: calls.append(value) or ())
    assert markup.links(text) == expected
    assert calls == []


def test_any_other_text_is_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    real = markup.parse
    monkeypatch.setattr(markup, "parse", lambda value: calls.append(value) or real(value))
    assert markup.links("[a *b*](role:a)") == [markup.Link("role:a", "a b")]
    assert calls
