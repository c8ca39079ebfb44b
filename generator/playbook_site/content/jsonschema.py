"""JSON Schemas for editors, generated from the typed models (one per file kind).

Editors that understand `# yaml-language-server: $schema=...` (VS Code with the
YAML extension, the GitHub web editor with it, JetBrains IDEs) autocomplete
field names and flag wrong values as people type.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from .kinds import KINDS
from .schema import FILE_MODELS, Playbook, functions_of

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _where(kind: str) -> str:
    """The file a kind of file lives in: content/roles/<id>.yml, content/checklist.yml."""
    if kind in KINDS and KINDS[kind].one_per_file:
        return f"content/{KINDS[kind].file}/<id>.yml"
    return f"content/{kind}.yml"


@functools.cache
def _model_schema(kind: str) -> str:
    """The model's own schema as JSON text, made once a process (pydantic makes it anew on each call;
    `serve` writes the schemas on every rebuild)."""
    return json.dumps(FILE_MODELS[kind].model_json_schema())


def schema_for(kind: str, playbook: Playbook | None = None) -> dict[str, Any]:
    """The JSON Schema of one kind of file; a role's `function` lists the playbook's functions (the
    built-in ones without a playbook)."""
    schema: dict[str, Any] = json.loads(_model_schema(kind))  # a fresh copy: it is changed below
    if kind in KINDS and KINDS[kind].one_per_file:
        schema["properties"].pop("id", None)
        schema["required"] = [name for name in schema.get("required", []) if name != "id"]
    if kind == "role":
        functions = playbook.functions() if playbook is not None else functions_of([])
        schema["properties"]["function"] = {**schema["properties"]["function"], "enum": list(functions)}
    return {
        "$schema": SCHEMA_DRAFT,
        "$id": f"{kind}.schema.json",
        **schema,
        "title": _where(kind),
        "description": (FILE_MODELS[kind].__doc__ or "").strip().split("\n")[0],
    }


def schema_files(playbook: Playbook | None = None) -> dict[str, str]:
    """{file name: JSON text} for every file kind; byte-identical for the same models and functions."""
    return {
        f"{kind}.schema.json": json.dumps(schema_for(kind, playbook), indent=2, ensure_ascii=False) + "\n" for kind in FILE_MODELS
    }
