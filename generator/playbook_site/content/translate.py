"""Pydantic's validation errors in the words of the content format: code, message, hint, position."""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

import playbook_site.content.slips as slips
import playbook_site.content.value_hints as value_hints

from ..codes import PER_FILE
from ..errors import Problem, did_you_mean, more_problems
from ..text import plural
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


def _translate(error: dict[str, Any], model: type[BaseModel], source: Source | None = None) -> tuple[str, str, str, bool]:
    """(code, message, hint, point_at_key) for one pydantic error."""
    if source is not None:
        slip = _slip(error, model, source)
        if slip is not None:
            return slip
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
                hint + "; on its own, an unquoted yes, no, on or off is read as true/false, not as a word",
                False,
            )
        trap = _PERIOD_TRAP.get((name, str(value)))
        if trap:
            return "bad-value", f"`{value}` is not an allowed value for `{name}`", f"write `{name}: {trap}` ({_TRAP_NOTE})", False
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
            f"`{name}` needs at least {plural(int(ctx.get('min_length', 1)), 'item')}",
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
    if kind == "date_horizon":
        return "bad-date", f"{error['msg']}, for `{name}`", ctx.get("hint", ""), False
    if kind in ("greater_than", "greater_than_equal"):
        bound = ctx.get("gt", ctx.get("ge"))
        word = "greater than" if kind == "greater_than" else "at least"
        return "bad-value", f"`{name}` must be {word} {bound} (got {value})", f"use a number {word} {bound}", False
    if kind in ("raw_html", "unsafe_url", "bad_link", "misleading_link", "band_order", "bad_repository"):
        return kind.replace("_", "-"), error["msg"], ctx.get("hint", ""), False
    if kind in _EXPECTED:
        hint = _TYPE_HINTS.get(_EXPECTED[kind], "").format(name=name)
        if value is None:
            hint = f"write a value after `{name}:` or remove the line"
        return "wrong-type", f"`{name}` must be {_EXPECTED[kind]}, not {_type_name(value)}", hint, False
    return "invalid", f"`{name}`: {error['msg']}", f"see `{name}` in the format reference (README)", False


# A target's `period` (quarter) beside a review `cadence` (quarterly): the one is easily typed for the other.
_PERIOD_TRAP = {
    **{("period", f"{word}ly"): word for word in ("week", "month", "quarter", "year")},
    **{("cadence", word): f"{word}ly" for word in ("week", "month", "quarter", "year")},
    ("period", "yearly"): "year",
    ("period", "annual"): "year",
    ("cadence", "annual"): "yearly",
}
_TRAP_NOTE = "a target's `period` is a week, month, quarter or year; the review `cadence` is weekly, monthly, quarterly or yearly"

_NUMBER_KINDS = {"int_type", "int_parsing", "float_type", "float_parsing", "int_from_float"}
_DATE_KINDS = {"date_parsing", "date_from_datetime_parsing", "date_type", "date_from_datetime_inexact"}


def _slip(error: dict[str, Any], model: type[BaseModel], source: Source) -> tuple[str, str, str, bool] | None:
    """The editing slip behind an error, read from how the value was typed, or None."""
    kind = error["type"]
    loc = tuple(error["loc"])
    name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "value")
    value = error.get("input")
    item = bool(loc) and isinstance(loc[-1], int)
    if kind == "extra_forbidden" and loc:
        placed = _misplaced(model, loc, source)
        return ("unknown-field", *placed, True) if placed else None
    if kind == "literal_error" and isinstance(value, bool) and loc in source.raw:
        allowed = str((error.get("ctx") or {}).get("expected", "")).replace("'", "`")
        return (
            "bad-value",
            f"`{source.raw[loc]}` on its own is read as true/false, which is not an allowed value for `{name}`",
            f"use one of: {allowed}",
            False,
        )
    line, column = source.at(loc)
    text = source.lines[line - 1] if 0 < line <= len(source.lines) else ""
    prefix = text[: column - 1].lstrip()
    if kind == "string_type" and isinstance(value, dict) and item and value:
        shown = text[column - 1 :].split(" #", 1)[0].strip()
        return (
            "wrong-type",
            f"the colon in `{slips.shortened(shown)}` makes this item of `{name}` read as a field, not as text",
            f"put the whole item in straight double quotes: {prefix}{slips.quoted(shown)}",
            False,
        )
    if value is None and loc in source.comments:
        at, _hash_column, comment = source.comments[loc]
        where = f"this item of `{name}`" if item else f"`{name}`"
        return (
            "wrong-type",
            f"{where} is empty: the text after `#` is read as a comment",
            f"to keep the text, put it in straight double quotes: {prefix.rstrip()} {slips.quoted(comment)}".replace("  ", " "),
            False,
        )
    if kind == "string_type" and loc in source.raw:
        said = value_hints.read_as(name, source.raw[loc], value, item=item, prefix=prefix)
        if said:
            return ("wrong-type", *said, False)
    if kind == "list_type" and isinstance(value, str):
        slip = slips.list_slip(source.lines, line, column, name)
        if slip:
            return slip.code, slip.message, slip.hint, False
    if kind in _NUMBER_KINDS and isinstance(value, str):
        said = value_hints.number_hint(name, value, whole=kind.startswith("int"))
        if said:
            return ("wrong-type", *said, False)
    if kind in _DATE_KINDS and isinstance(value, str):
        said = value_hints.date_hint(name, value)
        if said:
            return ("bad-date", *said, False)
    return None


def _data_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(data, dict) and isinstance(part, str):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


def _misplaced(model: type[BaseModel], loc: Loc, source: Source) -> tuple[str, str] | None:
    """(message, hint) for a field written outside the block it belongs to, or inside the wrong one."""
    name, holder_loc = str(loc[-1]), loc[:-1]
    holder = _model_at(model, loc)
    if holder is None:
        return None
    line, column = source.at(loc, key=True)
    for block_name, info in holder.model_fields.items():
        inner = _inner_model(info.annotation)
        if inner is None or name not in inner.model_fields:
            continue
        block_loc = holder_loc + (block_name,)
        block = _data_at(source.data, block_loc)
        if isinstance(block, list):  # a list of items (checklist steps): the item written above the field
            above = [i for i, item in enumerate(block) if isinstance(item, dict) and source.at(block_loc + (i,))[0] < line]
            if not above:
                continue
            block_loc, block = block_loc + (above[-1],), block[above[-1]]
        if isinstance(block, dict) and block:
            last = [key for key in block if source.at(block_loc + (key,), key=True)[0] < line][-1:] or [next(iter(block))]
            key_line, key_column = source.at(block_loc + (last[0],), key=True)
            extra = key_column - column
            if extra <= 0:
                continue
            if isinstance(block_loc[-1], int):
                owner = f"the item of `{block_name}` on line {source.at(block_loc)[0]}"
            else:
                owner = f"`{block_name}:` (line {source.at(block_loc, key=True)[0]})"
            return (
                f"`{name}` belongs under {owner}, but it is not indented under it",
                f"indent it by {slips.spaces(extra)} so it lines up with `{last[0]}:` on line {key_line}",
            )
        if block is None:
            return (
                f"`{name}` is a field of `{block_name}`, not of the file itself",
                f"write a line `{block_name}:` above it and indent `{name}` under it by 2 spaces",
            )
    parent_loc = holder_loc
    while parent_loc and isinstance(parent_loc[-1], int):
        parent_loc = parent_loc[:-1]
    parent = _model_at(model, parent_loc) if parent_loc else None
    if parent_loc and parent is not None and name in parent.model_fields and name not in holder.model_fields:
        block_line, block_column = source.at(parent_loc, key=True)
        extra = column - block_column
        if extra > 0:
            block_name = str(parent_loc[-1])
            return (
                f"`{name}` is a field of its own, not part of `{block_name}`",
                f"remove {slips.spaces(extra)} before `{name}` so it lines up with `{block_name}:` (line {block_line})",
            )
    return None


def id_hint(value: str) -> str:
    suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    suggestion = re.sub(r"^[0-9-]+", "", suggestion)
    example = f"e.g. `{suggestion}`" if suggestion and ID_RE.match(suggestion) else "e.g. `account-executive`"
    return f"ids are lower-case words joined by single hyphens, starting with a letter ({example})"


def validate_source(
    source: Source,
    model: type[BaseModel],
    problems: list[Problem],
    extra: dict[str, Any] | None = None,
    *,
    warnings: list[Problem] | None = None,
) -> Any:
    data = dict(source.data)
    if extra:
        data.update(extra)
    try:
        return _validated(source, model, data, problems)
    finally:
        if warnings is not None:
            _emptied_by_comments(source, problems, warnings)


def _emptied_by_comments(source: Source, problems: list[Problem], warnings: list[Problem]) -> None:
    """`owns: #1 priority` leaves an optional field empty without an error: say so, it looks like text."""
    reported = {(p.path, p.line) for p in problems}
    for loc, (line, column, comment) in source.comments.items():
        if (source.path, line) in reported:
            continue
        name = next((str(part) for part in reversed(loc) if isinstance(part, str)), "the value")
        value_line, value_column = source.at(loc)
        text = source.lines[value_line - 1] if 0 < value_line <= len(source.lines) else ""
        prefix = text[: value_column - 1].strip()
        warnings.append(
            Problem(
                source.path,
                line,
                column,
                "trailing-comment",
                f"`{name}` is empty: the text after `#` is read as a comment",
                f"to keep the text, put it in straight double quotes: {prefix} {slips.quoted(comment)}",
                severity="warning",
            )
        )


def _validated(source: Source, model: type[BaseModel], data: dict[str, Any], problems: list[Problem]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt field is one mistake: "unknown field `responsibilites` (did you mean `responsibilities`?)"
        # says it all, without a second "missing required field `responsibilities`".
        # Each error is looked at a fixed number of times (an index, not a search through the others), so
        # that 50,000 unknown fields in one file cost 50,000 steps, not 50,000 squared.
        missing: dict[str, list[Loc]] = {}
        for error in errors:
            if error["type"] == "missing" and error["loc"]:
                missing.setdefault(str(error["loc"][-1]), []).append(tuple(error["loc"][:-1]))
        misspelt: set[tuple[Loc, str]] = set()
        # Only the first PER_FILE errors of a kind are listed (`more-problems` counts the rest), and only
        # those are looked at closely: a file of 50,000 unknown fields costs a hundred suggestions.
        unknown = [error for error in errors if error["type"] == "extra_forbidden" and error["loc"]][:PER_FILE]
        for error in unknown:
            holder = _model_at(model, tuple(error["loc"]))
            close = difflib.get_close_matches(str(error["loc"][-1]), list(holder.model_fields) if holder else [], n=1, cutoff=0.6)
            misspelt.update((tuple(error["loc"][:-1]), name) for name in close)
            # `sla_hours` outdented out of `handoff:` is one mistake, not also "`handoff` misses `sla_hours`"
            name = str(error["loc"][-1])
            misspelt.update((holder_loc, name) for holder_loc in missing.get(name, ()))
        listed: dict[str, int] = {}  # pydantic's kind of error -> how many of it are listed
        codes: dict[str, str] = {}  # pydantic's kind of error -> the code of the last one listed
        more: dict[str, tuple[int, int, int]] = {}  # -> line and column of the first one not listed, how many are not
        for error in errors:
            where = tuple(error["loc"])
            if any(where[:length] in source.reported for length in range(len(where) + 1)):
                continue  # the reader reported this value already (unsafe tag, hidden character, ...)
            if error["type"] == "missing" and where and (where[:-1], where[-1]) in misspelt:
                continue
            if listed.get(error["type"], 0) >= PER_FILE:
                line, column, count = more.get(error["type"]) or (*source.at(where, key=True), 0)
                more[error["type"]] = (line, column, count + 1)
                continue
            listed[error["type"]] = listed.get(error["type"], 0) + 1
            code, message, hint, at_key = _translate(dict(error), model, source)
            codes[error["type"]] = code
            loc = tuple(error["loc"]) + (("score",) if error["type"] == "band_order" else ())
            line, column = source.at(loc, key=at_key)
            if where in source.comments and error["input"] is None:
                line, column = source.comments[where][:2]  # at the `#` that emptied the value
            needle = (error.get("ctx") or {}).get("found") or (error.get("ctx") or {}).get("target")
            if needle:  # point at the HTML or the link inside the text, not at its start
                line, column = source.find(str(needle), line, column)
            problems.append(Problem(source.path, line, column, code, message, hint))
        for kind, (line, column, count) in more.items():
            problems.append(more_problems(Problem(source.path, line, column, codes[kind], ""), count, f"`{codes[kind]}`"))
        return None
