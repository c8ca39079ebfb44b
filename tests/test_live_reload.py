"""`playbook serve` reloads an open page: the script MkDocs' server adds is allowed by the page's policy.

Every page carries a Content-Security-Policy that names the theme's inline scripts by hash; MkDocs' dev
server adds its reload script when it serves the page, after the policy was made. Without that
script's hash the browser refuses it and the page never reloads (a bad save showed its problems only
after a manual reload). Only that script is added; the browser side is tested end to end in
tests/test_adoption.py.
"""

from __future__ import annotations

import base64
import hashlib
import re

from playbook_site.publishing.live_reload import allow_live_reload, with_reload_script_allowed
from playbook_site.site import csp

PAGE = '<html><head><meta charset="utf-8"><script>var theme = 1;</script></head><body><p>x</p></body></html>'


def digest(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


def script_sources(html: str) -> list[str]:
    (policy,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    return next(part for part in policy.split("; ") if part.startswith("script-src ")).split()[1:]


def test_the_servers_reload_script_is_named_in_the_policy_of_the_page_it_serves() -> None:
    from mkdocs.livereload import LiveReloadServer

    allow_live_reload()
    allow_live_reload()  # once per process, however often it is called
    built = csp.add_policy(PAGE)
    assert script_sources(built)[0] == "'self'"
    served = LiveReloadServer._inject_js_into_html(None, built.encode("utf-8"), 7).decode("utf-8")  # type: ignore[arg-type]
    injected = re.findall(r"<script>(.*?)</script>", served, re.S)[-1]
    assert "livereload(7, " in injected
    assert script_sources(served) == [*script_sources(built), digest(injected)]
    assert served.count("Content-Security-Policy") == 1


def test_a_page_without_a_policy_is_left_as_it_is() -> None:
    from mkdocs.livereload import LiveReloadServer

    allow_live_reload()
    served = LiveReloadServer._inject_js_into_html(None, PAGE.encode("utf-8"), 7)  # type: ignore[arg-type]
    assert b"livereload(7, " in served and b"Content-Security-Policy" not in served


def test_only_the_injected_script_is_allowed() -> None:
    """A script already on the page that the policy does not name stays refused."""
    smuggled = csp.add_policy(PAGE).replace("<p>x</p>", "<p>x</p><script>alert(1)</script>")
    before = script_sources(smuggled)
    content = smuggled.encode("utf-8")
    served = content.replace(b"</body>", b"<script>livereload(1, 2);</script></body>")
    after = script_sources(with_reload_script_allowed(content, served).decode("utf-8"))
    assert after == [*before, digest("livereload(1, 2);")]
    assert digest("alert(1)") not in after
