"""Reviewing a change: two playbooks compared, the reports made from the comparison, CODEOWNERS.

from generator.review import compare, format_markdown, format_text, to_json, format_reader_markdown
"""

from .compare import ChangeSet, EntityChange, FieldChange, UsedBy, compare, used_by
from .reader import format_reader_markdown, reader_changes, reader_numbers
from .reports import format_markdown, format_text, to_json, word_diff

__all__ = [
    "ChangeSet",
    "EntityChange",
    "FieldChange",
    "UsedBy",
    "compare",
    "format_markdown",
    "format_reader_markdown",
    "reader_numbers",
    "reader_changes",
    "format_text",
    "to_json",
    "used_by",
    "word_diff",
]
