"""Reviewing a change: two playbooks compared, the reports made from the comparison, CODEOWNERS.

from playbook_site.review import compare, format_markdown, format_text, to_json, format_reader_markdown

The names are imported when first used, so that `playbook validate` (which needs only
`review.codeowners`) does not import the comparison and its reports.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .compare import ChangeSet, EntityChange, FieldChange, UsedBy, compare, used_by
    from .reader import format_reader_markdown, reader_changes, reader_numbers, role_changes, roles_touched
    from .reports import chat_text, format_markdown, format_text, to_json, word_diff

_WHERE = {
    "ChangeSet": "compare",
    "EntityChange": "compare",
    "FieldChange": "compare",
    "UsedBy": "compare",
    "compare": "compare",
    "used_by": "compare",
    "format_reader_markdown": "reader",
    "reader_changes": "reader",
    "reader_numbers": "reader",
    "role_changes": "reader",
    "roles_touched": "reader",
    "chat_text": "reports",
    "format_markdown": "reports",
    "format_text": "reports",
    "to_json": "reports",
    "word_diff": "reports",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    loaded = importlib.import_module(f".{module}", __name__)
    # Importing `.compare` sets this package's attribute `compare` to the submodule: bind every name the
    # submodule provides now, so that `compare` is the function whichever name was asked for first.
    globals().update({key: getattr(loaded, key) for key, where in _WHERE.items() if where == module})
    return globals()[name]


__all__ = [
    "ChangeSet",
    "chat_text",
    "EntityChange",
    "FieldChange",
    "UsedBy",
    "compare",
    "format_markdown",
    "format_reader_markdown",
    "reader_numbers",
    "reader_changes",
    "role_changes",
    "roles_touched",
    "format_text",
    "to_json",
    "used_by",
    "word_diff",
]
