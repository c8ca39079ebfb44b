"""The escapers of text.py and the Content-Security-Policy of site/csp.py, by their exact output.

Written for the mutants mutmut left alive there (`make mutate`, reference/mutation.md): the builds
in tests/test_csp.py check that the policy lets the theme run, and the browser tests that it blocks
the rest, but neither pinned the policy's text, so a misspelt directive (which a browser ignores)
went unnoticed.
"""

from __future__ import annotations

import base64
import hashlib

import pytest

from playbook_site.site.csp import RUNTIME_STYLES, add_policy, frame_script, policy
from playbook_site.text import escape_plain, html_escape, no_block_start


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def directives(*, scripts: list[str], styles: list[str], frames: str) -> str:
    return "; ".join(
        [
            "default-src 'none'",
            " ".join(["script-src 'self'", *scripts]),
            " ".join(["style-src 'self'", *styles]),
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "base-uri 'self'",
            "form-action 'none'",
            f"frame-src {frames}",
            "object-src 'none'",
        ]
    )


def test_a_page_without_scripts_gets_the_strict_policy() -> None:
    assert policy("<p>x</p>") == directives(scripts=[], styles=[*RUNTIME_STYLES], frames="'none'")


def test_an_unknown_inline_script_is_never_hashed_and_the_tools_own_are() -> None:
    page = "<script>var a=1</script><p>x</p>"  # not the theme's: left out, so the browser blocks it
    own = ("let b = 2", "  ")  # the tool's own inline script and style; a blank one is no block
    assert policy(page, frames=True, own=own) == directives(
        scripts=[sha256("let b = 2"), sha256(frame_script())],
        styles=[*RUNTIME_STYLES, sha256("let b = 2")],
        frames="'self'",
    )


def test_html_escape_writes_the_three_characters_as_entities_and_leaves_quotes() -> None:
    assert html_escape('a & <b> "c"') == 'a &amp; &lt;b&gt; "c"'
    assert html_escape("&lt;") == "&amp;lt;"  # an entity as written stays text


def test_no_block_start_escapes_only_a_list_marker_at_the_start() -> None:
    assert [no_block_start(text) for text in ("- x", "+", "* y", "12. x", "3) y")] == [
        "\\- x",
        "\\+",
        "\\* y",
        "12\\. x",
        "3\\) y",
    ]
    assert [no_block_start(text) for text in ("-x", "a - b", "x 1. y")] == ["-x", "a - b", "x 1. y"]


def test_escape_plain_shows_markdown_and_html_as_written_on_one_line() -> None:
    assert (
        escape_plain("  *a*  _b_ [c](d) # e | f\n<g> & h!") == "\\*a\\* \\_b\\_ \\[c\\]\\(d\\) \\# e \\| f &lt;g&gt; &amp; h\\!"
    )
    assert escape_plain("1. one") == "1\\. one"
    assert escape_plain("`x` {y} \\") == "\\`x\\` \\{y\\} \\\\"


def placed(html: str) -> str:
    """`add_policy`'s page with its policy's text shown as POLICY."""
    return add_policy(html).replace(policy(html), "POLICY")


META = '<meta http-equiv="Content-Security-Policy" content="POLICY">'


def test_the_policy_is_heads_first_child_after_the_charset() -> None:
    assert placed('<html><head><meta charset="utf-8"><title>t</title></head><body></body></html>') == (
        f'<html><head><meta charset="utf-8">\n    {META}<title>t</title></head><body></body></html>'
    )
    assert placed('<html>\n<head lang="en">\n<title>t</title></head></html>') == (
        f'<html>\n<head lang="en">\n    {META}\n<title>t</title></head></html>'
    )
    assert placed("<html><head></head><body></body></html>") == f"<html><head>\n    {META}</head><body></body></html>"
    # A charset that is not the first child does not move the policy; a comment is not a <head>.
    assert placed('<!-- <head> --><html><head><meta name="x"><meta charset="utf-8"></head></html>') == (
        f'<!-- <head> --><html><head>\n    {META}<meta name="x"><meta charset="utf-8"></head></html>'
    )


def test_a_page_built_twice_keeps_one_policy_and_a_page_without_head_is_left_alone() -> None:
    assert placed('<html><head><meta http-equiv="content-security-policy" content="old"><title>t</title></head></html>') == (
        f"<html><head>{META}<title>t</title></head></html>"
    )
    assert placed("<html><body><head></head></body></html>") == "<html><body><head></head></body></html>"


def test_the_policy_placed_is_the_one_asked_for() -> None:
    page = "<html><head><title>t</title></head></html>"
    assert f'content="{policy(page, frames=True, own=("x",))}"' in add_policy(page, frames=True, own=("x",))


@pytest.mark.parametrize(
    "tag",
    [
        "<body>",
        "<meta charset='utf-8'>",
        "<title>t</title>",
        "<script></script>",
        "<style></style>",
        "<link rel='icon'>",
        "<base href='/'>",
    ],
)
def test_a_head_level_tag_before_any_head_means_the_page_has_no_head_of_its_own(tag: str) -> None:
    page = f"<html>{tag}<head></head></html>"  # a browser has opened its own head by then: nothing to anchor to
    assert add_policy(page) == page
