"""JSON Schemas for editors, generated from the typed models (one per file kind).

Editors that understand `# yaml-language-server: $schema=...` (VS Code with the
YAML extension, the GitHub web editor with it, JetBrains IDEs) autocomplete
field names and flag wrong values as people type.
"""

from __future__ import annotations

import json
from typing import Any

from .model import FILE_MODELS

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Kinds whose id is the file name, not a field.
_ID_FROM_FILE_NAME = {"role", "lead", "kpi"}
_WHERE = {
    "playbook": "content/playbook.yml",
    "role": "content/roles/<id>.yml",
    "lead": "content/leads/<id>.yml",
    "kpi": "content/kpis/<id>.yml",
    "checklist": "content/checklist.yml",
    "alignment": "content/alignment.yml",
    "glossary": "content/glossary.yml",
}


def schema_for(kind: str) -> dict[str, Any]:
    schema = FILE_MODELS[kind].model_json_schema()
    if kind in _ID_FROM_FILE_NAME:
        schema["properties"].pop("id", None)
        schema["required"] = [name for name in schema.get("required", []) if name != "id"]
    return {
        "$schema": SCHEMA_DRAFT,
        "$id": f"{kind}.schema.json",
        **schema,
        "title": f"{_WHERE[kind]}",
        "description": (FILE_MODELS[kind].__doc__ or "").strip().split("\n")[0],
    }


def schema_files() -> dict[str, str]:
    """{file name: JSON text} for every file kind; byte-identical for the same models."""
    return {f"{kind}.schema.json": json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n" for kind in FILE_MODELS}
