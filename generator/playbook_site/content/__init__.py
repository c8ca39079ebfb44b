"""The content: a folder of YAML files turned into a typed, validated, cross-referenced `Playbook`.

from playbook_site.content import load, load_all
playbook = load("content")            # raises ContentError listing every problem
loaded = load_all("content")          # the playbook, its warnings and the files as read
"""

from .loader import Loaded, load, load_all
from .schema import Playbook

__all__ = ["Loaded", "Playbook", "load", "load_all"]
