"""The onboarding checklist of a role page: ticks kept in the reader's browser, by a key per step.

The list is the template `templates/_onboarding.html.j2`; each checkbox carries its key in
`data-pb-onboarding`, which site/assets/playbook.js uses with localStorage (nothing is sent anywhere).
"""

from __future__ import annotations

import hashlib

from ..content.schema import Playbook, Role


def _short_hash(text: str, length: int = 10) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def site_key(playbook: Playbook) -> str:
    """Tells two playbooks apart on one host; the same across published versions of one playbook."""
    return _short_hash(f"{playbook.meta.organization}\n{playbook.meta.title}", 8)


def onboarding_keys(playbook: Playbook, role: Role) -> list[str]:
    """A storage key per onboarding step: site, role and a hash of the step's text.

    Keyed by text, not position, so reordering the steps keeps the reader's ticks and rewording a
    step clears its tick (it is a different step now). A repeated step gets a numbered key.
    """
    site = site_key(playbook)
    keys: list[str] = []
    for step in role.onboarding:
        key = f"{site}/{role.id}/{_short_hash(' '.join(step.split()))}"
        repeat = sum(1 for existing in keys if existing == key or existing.startswith(key + "-"))
        keys.append(f"{key}-{repeat + 1}" if repeat else key)
    return keys
