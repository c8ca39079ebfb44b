"""`playbook serve` with MkDocs: live reload under the pages' Content-Security-Policy.

MkDocs' development server adds an inline script to every page it serves, which asks the server
for a rebuild and reloads the page. Each page carries a policy that lets only the inline scripts it
names by their hash run, so the browser refused that script: an open page never reloaded, and a bad
save showed its problems only once the reader reloaded by hand. `allow_live_reload` makes the server
give each page it serves the policy of the page as served (the injected script's hash included).
Only the development server changes: a built or published page is never touched.
"""

from __future__ import annotations

import re
from typing import Any

from ..site import csp

_POLICY = re.compile(r'\s*<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def with_policy_as_served(page: bytes) -> bytes:
    """`page`, whose policy was made before the server added its script, with the policy made again."""
    text = page.decode("utf-8", errors="surrogateescape")
    if not _POLICY.search(text):
        return page
    return csp.add_policy(_POLICY.sub("", text, count=1)).encode("utf-8", errors="surrogateescape")


def allow_live_reload() -> None:
    """Wrap MkDocs' `LiveReloadServer._inject_js_into_html` (mkdocs 1.6) once per process."""
    from mkdocs.livereload import LiveReloadServer

    original = LiveReloadServer._inject_js_into_html
    if getattr(original, "_playbook", False):
        return

    def inject(self: Any, content: bytes, epoch: int) -> bytes:
        return with_policy_as_served(original(self, content, epoch))

    inject._playbook = True  # type: ignore[attr-defined]
    LiveReloadServer._inject_js_into_html = inject  # type: ignore[method-assign]
