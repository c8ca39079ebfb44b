"""`playbook serve` with MkDocs: live reload under the pages' Content-Security-Policy.

MkDocs' development server adds an inline script to every page it serves, which asks the server
for a rebuild and reloads the page. Each page carries a policy that lets only the theme's inline
scripts run (named by their hash), so the browser refused that script: an open page never reloaded,
and a bad save showed its problems only once the reader reloaded by hand. `allow_live_reload` makes
the server add the hash of the script it has just injected, that one script and nothing else, to
the policy of the page it serves. Only the development server changes: a built or published page is
never touched, and no script of the content is ever allowed.
"""

from __future__ import annotations

import base64
import hashlib
import re

from ..site import fences

_SCRIPT_SRC = re.compile(rb'<meta http-equiv="Content-Security-Policy" content="[^"]*?script-src [^;"]*')


def with_reload_script_allowed(content: bytes, served: bytes) -> bytes:
    """`served` (`content` with the server's script put before its last `</body>`, as MkDocs 1.6 does)
    with that script's hash added to the `script-src` of the page's policy; as it is without a policy."""
    try:
        body_end = content.rindex(b"</body>")
    except ValueError:
        body_end = len(content)
    injected = served[body_end : len(served) - (len(content) - body_end)]
    if not (injected.startswith(b"<script>") and injected.endswith(b"</script>")):
        return served
    digest = base64.b64encode(hashlib.sha256(injected[len(b"<script>") : -len(b"</script>")]).digest())
    return _SCRIPT_SRC.sub(lambda found: found.group(0) + b" 'sha256-" + digest + b"'", served, count=1)


def allow_live_reload() -> bool:
    """Wrap MkDocs' `LiveReloadServer._inject_js_into_html` once per process (the `live-reload` fence,
    site.fences): False, and a notice, when MkDocs' method is not the one this was written for."""
    return fences.allow_live_reload(with_reload_script_allowed)
