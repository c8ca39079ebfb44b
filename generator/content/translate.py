"""Pydantic's validation errors in the words of the content format: code, message, hint, position."""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, did_you_mean
from .schema import FILE_MODELS, ID_PATTERN
from .yaml_reader import Loc, Source

ID_RE = re.compile(ID_PATTERN)


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that holds the field at `loc` (for "did you mean")."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return None
        current = _inner_model(fields[part].annotation)
        if current is None:
            return None
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing (empty)"
    if isinstance(value, date):
        return "a date"
    return "text"


_EXPECTED = {
    "string_type": "text",
    "list_type": "a list (lines starting with `- `)",
    "dict_type": "a mapping of `name: value` fields",
    "model_type": "a mapping of `name: value` fields",
    "model_attributes_type": "a mapping of `name: value` fields",
    "int_type": "a whole number",
    "float_type": "a number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "float_parsing": "a number",
}


_TYPE_HINTS = {
    "text": 'put the text in quotes, e.g. {name}: "..."',
    "a list (lines starting with `- `)": "write each item on its own line under `{name}:`, starting with `- `",
    "a mapping of `name: value` fields": "write the fields of `{name}` on the lines below it, indented by two spaces",
    "a whole number": "write a whole number without quotes or units, e.g. `{name}: 2`",
    "a number": "write a number without quotes or units, e.g. `{name}: 24`",
}


def _translate(error: dict[str, Any], model: type[BaseModel]) -> tuple[str, str, str, bool]:
    """(code, message, hint, point_at_key) for one pydantic error."""
    kind = error["type"]
    loc = tuple(error["loc"])
    name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "value")
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        holder = _model_at(model, loc)
        allowed = sorted(holder.model_fields) if holder else []
        if holder is model and model in (FILE_MODELS["role"], FILE_MODELS["lead"], FILE_MODELS["kpi"]):
            allowed.remove("id")  # its id is its file name
        hint = did_you_mean(name, allowed)
        hint = (hint + " " if hint else "") + ("allowed fields: " + ", ".join(allowed) if allowed else "")
        return "unknown-field", f"unknown field `{name}`", hint.strip(), True
    if kind == "missing":
        holder = _model_at(model, loc)
        info = holder.model_fields.get(name) if holder else None
        about = f" ({info.description})" if info and info.description else ""
        return "missing-field", f"missing required field `{name}`", f"add `{name}: ...`{about}", True
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        hint = f"use one of: {expected.replace(chr(39), '`')}"
        if isinstance(value, bool):  # `status: yes` or `direction: on`: YAML read a word as true/false
            return (
                "bad-value",
                f"`{name}` is true/false here, which is not an allowed value",
                hint + "; YAML reads an unquoted yes, no, on or off as true/false",
                False,
            )
        return "bad-value", f"`{value}` is not an allowed value for `{name}`", hint, False
    if kind == "string_pattern_mismatch" and name == "approvers":
        return (
            "bad-approver",
            f"`{value}` is not a valid approver",
            "write a GitHub handle (`@org/team` or `@user`) or an email address",
            False,
        )
    if kind == "string_pattern_mismatch" and name == "colour":
        return (
            "bad-value",
            f"`{value}` is not a colour",
            'write a colour as # and six hexadecimal digits, e.g. `colour: "#00838f"` (quoted)',
            False,
        )
    if kind == "string_pattern_mismatch":
        return "bad-id", f"`{value}` is not a valid id", id_hint(str(value)), False
    if kind == "string_too_short" and loc[-1:] == ("[key]",):
        holder_name = next((str(part) for part in loc if isinstance(part, str)), "the mapping")
        return (
            "empty-value",
            f"a name under `{holder_name}` is empty",
            "write the name before the colon, e.g. `salesforce: MQL`",
            False,
        )
    if kind == "string_too_short":
        return "empty-value", f"`{name}` is empty", f"write a value for `{name}`, or remove the line", False
    if kind == "too_short":
        if isinstance(value, str) or value is None:
            return "empty-value", f"`{name}` is empty", f"write a value for `{name}`, or remove the field", False
        return (
            "too-short",
            f"`{name}` needs at least {ctx.get('min_length', 1)} item(s)",
            f"add an item under `{name}:` as `- ...`",
            False,
        )
    if kind == "too_long":
        hint = "write the band as [low, high]" if name == "score" else f"remove items from `{name}`"
        return "too-long", f"`{name}` takes at most {ctx.get('max_length')} items", hint, False
    if kind == "finite_number":
        return "bad-value", f"`{name}` must be an ordinary number, not {value}", f"write a number such as `{name}: 24`", False
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact"):
        return (
            "bad-date",
            f"`{value}` is not a valid date for `{name}`",
            "write a real date as YYYY-MM-DD, e.g. 2027-03-31",
            False,
        )
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        word = "greater than" if kind == "greater_than" else "at least"
        return "bad-value", f"`{name}` must be {word} {bound} (got {value})", f"use a number {word} {bound}", False
    if kind in ("raw_html", "unsafe_url", "bad_link", "band_order"):
        return kind.replace("_", "-"), error["msg"], ctx.get("hint", ""), False
    if kind in _EXPECTED:
        hint = _TYPE_HINTS.get(_EXPECTED[kind], "").format(name=name)
        if value is None:
            hint = f"write a value after `{name}:` or remove the line"
        return "wrong-type", f"`{name}` must be {_EXPECTED[kind]}, not {_type_name(value)}", hint, False
    return "invalid", f"`{name}`: {error['msg']}", f"see `{name}` in the format reference (README)", False


def id_hint(value: str) -> str:
    suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    suggestion = re.sub(r"^[0-9-]+", "", suggestion)
    example = f"e.g. `{suggestion}`" if suggestion and ID_RE.match(suggestion) else "e.g. `account-executive`"
    return f"ids are lower-case words joined by single hyphens, starting with a letter ({example})"


def validate_source(source: Source, model: type[BaseModel], problems: list[Problem], extra: dict[str, Any] | None = None) -> Any:
    data = dict(source.data)
    if extra:
        data.update(extra)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt field is one mistake: "unknown field `responsibilites` (did you mean `responsibilities`?)"
        # says it all, without a second "missing required field `responsibilities`".
        misspelt: set[tuple[Loc, str]] = set()
        for error in errors:
            if error["type"] == "extra_forbidden" and error["loc"]:
                holder = _model_at(model, tuple(error["loc"]))
                close = difflib.get_close_matches(
                    str(error["loc"][-1]), list(holder.model_fields) if holder else [], n=1, cutoff=0.6
                )
                misspelt.update((tuple(error["loc"][:-1]), name) for name in close)
        for error in errors:
            where = tuple(error["loc"])
            if any(where[: len(done)] == done for done in source.reported):
                continue  # the reader reported this value already (unsafe tag, hidden character, ...)
            if error["type"] == "missing" and where and (where[:-1], where[-1]) in misspelt:
                continue
            code, message, hint, at_key = _translate(dict(error), model)
            loc = tuple(error["loc"]) + (("score",) if error["type"] == "band_order" else ())
            line, column = source.at(loc, key=at_key)
            needle = (error.get("ctx") or {}).get("found") or (error.get("ctx") or {}).get("target")
            if needle:  # point at the HTML or the link inside the text, not at its start
                line, column = source.find(str(needle), line, column)
            problems.append(Problem(source.path, line, column, code, message, hint))
        return None
