"""playbook-site: a sales and marketing alignment playbook, kept as YAML in git, as a versioned, searchable website.

`__version__` is the version in pyproject.toml (see generator/playbook_site/version.py).
"""

from __future__ import annotations

from .version import DISTRIBUTION, __version__

__all__ = ["DISTRIBUTION", "__version__"]
