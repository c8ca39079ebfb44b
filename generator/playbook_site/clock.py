"""Today's date for reviews and badges, kept apart so that `playbook validate` imports no MkDocs."""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    """Today, or PLAYBOOK_TODAY (YYYY-MM-DD) for reproducible builds and tests."""
    fixed = os.environ.get("PLAYBOOK_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()
