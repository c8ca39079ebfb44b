"""Read a content directory into a validated `Playbook`, collecting every problem.

Each file is read by `yaml_reader` (positions kept), validated against its model
(`translate` words pydantic's errors), then the whole playbook is checked by
`rules`. `load` raises `ContentError` once, with every problem found.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..clock import today as clock_today
from ..errors import ContentError, Problem, capped, did_you_mean, suggestion_budget
from .cache import FileCache, FileCheck
from .kinds import ENTITY_FOLDERS, KIND_LABELS, KINDS, LIST_FILES
from .results import SOURCES_NAME, ResultsFile, check_results, decode_csv, parse_results, read_results_file
from .rules import check_playbook, file_links
from .schema import FILE_MODELS, ActivityEntry, ActivityLog, Alignment, Checklist, Glossary, Playbook, PlaybookMeta
from .schema_line import check as check_schema_line
from .sources import Where
from .survey import SurveyText, check_survey
from .survey_numbers import stage_differs
from .translate import ID_RE, id_hint, validate_source
from .yaml_reader import Reader, Source

_LIST_MODELS: dict[str, type[BaseModel]] = {"checklist": Checklist, "alignment": Alignment, "glossary": Glossary}


@dataclass
class Loaded:
    playbook: Playbook
    warnings: list[Problem]
    sources: dict[str, Source]  # content-relative path -> the file as read


def load(content_dir: Path | str, *, today: date | None = None, cache: FileCache | None = None) -> Playbook:
    """Load and validate `content_dir`; raises ContentError listing every problem."""
    return load_all(content_dir, today=today, cache=cache).playbook


def load_all(content_dir: Path | str, *, today: date | None = None, cache: FileCache | None = None) -> Loaded:
    """The playbook, its warnings and its files as read; raises ContentError listing every problem.

    With a `cache` (`content.cache`), a file whose bytes were checked before is not parsed or
    validated again: its own problems and its value come from the cache. The checks across files
    (references, cycles, links, results against their KPIs) always run over the whole playbook.
    """
    with suggestion_budget():
        return _load_all(Path(content_dir), today=today, cache=cache)


def _load_all(content_dir: Path, *, today: date | None, cache: FileCache | None) -> Loaded:
    walk = _Walk(content_dir, cache=cache)
    meta = walk.read_playbook()
    entities = {kind: walk.read_folder(folder, kind) for folder, kind in ENTITY_FOLDERS.items()}
    lists = {name: walk.read_list_file(name) for name in LIST_FILES}
    activity = walk.read_activity()
    results_files = walk.read_results()
    survey_files = walk.read_survey()
    walk.report_unknown_files()
    if cache is not None:
        cache.save()  # every file has been read: what each one's own check found is kept
    if meta is None:
        raise ContentError(capped(walk.problems + walk.warnings))
    playbook = Playbook(
        meta=meta,
        roles=dict(sorted(entities["role"].items())),
        leads=dict(sorted(entities["lead"].items(), key=lambda item: (item[1].order, item[0]))),
        kpis=dict(sorted(entities["kpi"].items())),
        checklist=lists["checklist"],
        alignment=lists["alignment"],
        glossary=lists["glossary"],
        sources=walk.entity_files(),
        activity=tuple(sorted(activity.entries, key=lambda entry: entry.date)),
    )
    # A period that has not begun is an error on any day, so it is checked against the clock without `today`.
    playbook.results = check_results(
        results_files,
        playbook.kpis,
        walk.problems,
        today=today or clock_today(),
        invalid=lambda kpi_id: walk.where.is_invalid("kpi", kpi_id),
    )
    playbook.sources.update({("results", kpi_id): walk.where.results[kpi_id].rel for kpi_id in playbook.results})
    if walk.where.activity is not None:
        playbook.sources[("activity", "")] = walk.where.activity[0].path.removeprefix(walk.shown_root + "/")
    check_playbook(playbook, walk.where, walk.problems, walk.warnings, today=today)
    playbook.survey = check_survey(
        survey_files, playbook.questions, playbook.functions(), walk.problems, today=today or clock_today()
    )
    playbook.sources.update({("survey", found.period.text): found.rel for found in playbook.survey})
    walk.warnings.extend(stage_differs(playbook, walk.where.meta))
    if walk.problems:
        raise ContentError(capped(walk.problems + walk.warnings))
    return Loaded(playbook, capped(walk.warnings), walk.where.sources)


def _loops(path: Path) -> bool:
    """Whether `path` is a symbolic link that never reaches a file or folder (links that lead to each other)."""
    if not path.is_symlink():
        return False
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


@dataclass
class _Walk:
    """One pass over a content directory: what was read, where each entity is written, what failed."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    where: Where = field(default_factory=Where)
    cache: FileCache | None = None

    def __post_init__(self) -> None:
        self.shown_root = str(self.root).rstrip("/\\") or "."
        if not self.root.is_dir():
            raise ContentError(
                [
                    Problem(
                        self.shown_root,
                        0,
                        0,
                        "no-content",
                        "the content directory does not exist",
                        "run the command from the playbook repository, or pass --content DIR",
                    )
                ]
            )
        self.real_root = self.root.resolve()
        self.reader = Reader(self.problems, self.warnings)
        if self.cache is not None:
            self.cache.open(self.real_root, self.shown_root)

    def display(self, rel: str) -> str:
        return f"{self.shown_root}/{rel}"

    def entity_files(self) -> dict[tuple[str, str], str]:
        """(kind, id) -> content-relative file, for every entity read."""
        prefix = self.shown_root + "/"
        return {
            key: source.path[len(prefix) :] if source.path.startswith(prefix) else source.path
            for key, (source, _loc) in self.where.owners.items()
        }

    # --- files and folders ---------------------------------------------------------------------

    def _inside(self, path: Path) -> bool:
        try:
            path.resolve().relative_to(self.real_root)
            return True
        except (ValueError, OSError, RuntimeError):  # RuntimeError: a loop of links (Python before 3.13)
            return False

    def _loop(self, rel: str, *, folder: bool = False) -> Problem:
        what = "folder" if folder else "file"
        return Problem(
            self.display(rel),
            0,
            0,
            "not-a-folder" if folder else "unreadable",
            f"this {what} is a symbolic link in a loop: the links lead to each other and never reach a {what}",
            f"replace the link with the real {what}",
        )

    def _readable(self, path: Path, rel: str) -> bool:
        if _loops(path):
            self.problems.append(self._loop(rel))
            return False
        # A file that is not a link, in a folder already known to be inside, is inside: no resolve() per file.
        if path.is_symlink() and not self._inside(path):
            self.problems.append(
                Problem(
                    self.display(rel),
                    0,
                    0,
                    "symlink-outside",
                    "this file is a symbolic link to a place outside the content directory",
                    "replace the link with a real file inside the content directory",
                )
            )
            return False
        return True

    def _one_file(self, stem: str) -> Path | None:
        found = [
            self.root / f"{stem}{ext}"
            for ext in (".yml", ".yaml")
            if (self.root / f"{stem}{ext}").is_file() or _loops(self.root / f"{stem}{ext}")
        ]
        if len(found) > 1:
            self.problems.append(
                Problem(
                    self.display(found[1].name),
                    1,
                    1,
                    "duplicate-file",
                    f"both {stem}.yml and {stem}.yaml exist",
                    "keep one of them",
                )
            )
            return None
        return found[0] if found else None

    def _checked(self, file: Path, rel: str, what: str, check: Callable[[bytes, str], FileCheck]) -> FileCheck | None:
        """`check` of the file's bytes (from the cache when they were checked before), its problems
        reported; None (with a problem) when the file cannot be read. The caller checked that it may be."""
        try:
            raw = file.read_bytes()
        except OSError as exc:
            self.reader.read_error(self.display(rel), exc)
            return None
        display = self.display(rel)
        found = self.cache.get(rel, what, raw) if self.cache is not None else None
        if found is None:
            found = check(raw, display)
            if self.cache is not None:
                self.cache.put(rel, what, raw, found)
        self.problems.extend(found.problems)
        self.warnings.extend(found.warnings)
        if b"schema" in raw.lower():  # the schema line names only the project's own schema
            self.problems.extend(check_schema_line(raw.decode("utf-8", errors="replace"), display, rel, what))
        if found.source is not None:
            self.where.sources[rel] = found.source
            if found.links:
                self.where.links[rel] = found.links
        return found

    # --- playbook.yml ---------------------------------------------------------------------------

    def read_playbook(self) -> PlaybookMeta | None:
        meta_file = self._one_file("playbook")
        if meta_file is not None and not self._readable(meta_file, meta_file.name):
            return None
        if meta_file is None:
            if not any(p.code == "duplicate-file" for p in self.problems):
                self.problems.append(
                    Problem(
                        self.display("playbook.yml"),
                        0,
                        0,
                        "missing-playbook",
                        "there is no playbook.yml in the content directory",
                        "create playbook.yml with at least `title:`, `organization:` and `summary:`",
                    )
                )
            return None
        found = self._checked(meta_file, meta_file.name, "playbook", lambda raw, shown: check_model(raw, shown, PlaybookMeta))
        if found is None or found.source is None:
            return None
        self.where.meta = found.source
        meta: PlaybookMeta | None = found.value
        return meta

    # --- roles/, leads/, kpis/: one entity a file ---------------------------------------------------

    def read_folder(self, folder: str, kind: str) -> dict[str, Any]:
        directory = self.root / folder
        found: dict[str, Any] = {}
        if not directory.exists() and not directory.is_symlink():
            return found
        if _loops(directory):
            self.problems.append(self._loop(folder, folder=True))
            return found
        if not directory.is_dir() or not self._inside(directory):
            self.problems.append(
                Problem(
                    self.display(folder),
                    0,
                    0,
                    "not-a-folder",
                    f"`{folder}` must be a folder inside the content directory",
                    f"make `{folder}` a real folder holding the .yml files (not a file, nor a link to a folder elsewhere)",
                )
            )
            return found
        files: dict[str, str] = {}  # id -> the file that defined it
        for file in sorted(directory.iterdir()):
            rel = f"{folder}/{file.name}"
            entity_id = self._entity_id(file, rel, kind, files)
            if entity_id is None:
                continue
            files[entity_id] = self.display(rel)
            entity = self._read_entity(file, rel, kind, entity_id)
            if entity is not None:
                found[entity_id] = entity
        return found

    def _entity_id(self, file: Path, rel: str, kind: str, files: dict[str, str]) -> str | None:
        """The id a file in an entity folder defines, or None (with a problem) when it defines none."""
        if file.suffix not in (".yml", ".yaml"):
            if not file.name.startswith("."):
                self.warnings.append(
                    Problem(
                        self.display(rel),
                        0,
                        0,
                        "unknown-file",
                        "this file is ignored: only .yml and .yaml files are read",
                        severity="warning",
                    )
                )
            return None
        entity_id = file.stem
        if not ID_RE.match(entity_id):
            self.problems.append(
                Problem(
                    self.display(rel),
                    1,
                    1,
                    "bad-id",
                    f"the file name `{file.name}` is not a valid id (the id of a {KIND_LABELS[kind]} is its file name)",
                    "rename the file: " + id_hint(entity_id),
                )
            )
            return None
        if entity_id in files:
            self.problems.append(
                Problem(
                    self.display(rel),
                    1,
                    1,
                    "duplicate-id",
                    f"{KIND_LABELS[kind]} `{entity_id}` is defined twice (also in {files[entity_id]})",
                    "keep one file per id: delete or rename one of them",
                )
            )
            return None
        return entity_id

    def _read_entity(self, file: Path, rel: str, kind: str, entity_id: str) -> Any:
        if not self._readable(file, rel):
            return None
        found = self._checked(file, rel, kind, lambda raw, shown: check_entity(raw, shown, kind, entity_id))
        if found is None or found.source is None or found.value is None:
            self.where.invalid.add((kind, entity_id))
            return None
        self.where.owners[(kind, entity_id)] = (found.source, ())
        return found.value

    # --- checklist.yml, alignment.yml, glossary.yml: many entities a file -------------------------

    def read_list_file(self, name: str) -> Any:
        model = _LIST_MODELS[name]
        kinds = [kind for kind in KINDS.values() if kind.file == name]
        list_file = self._one_file(name)
        if list_file is None or not self._readable(list_file, list_file.name):
            return model()
        found = self._checked(list_file, list_file.name, name, lambda raw, shown: check_model(raw, shown, model))
        if found is None or found.source is None:
            # Its ids are unknown: references to its kinds are not reported as dangling.
            self.where.invalid.update((kind.name, "*") for kind in kinds)
            return model()
        source, value = found.source, found.value
        for kind in kinds:
            self._index_items(source, kind.name, kind.list_key, first=kind is kinds[0], failed=value is None)
        return value if value is not None else model()

    def _index_items(self, source: Source, kind: str, key: str, *, first: bool, failed: bool) -> None:
        """Where each item of a list is written; ids used twice (checked for a file's first list kind);
        the ids of a list that failed validation, so that references to them are not called unknown."""
        items = source.data.get(key) if isinstance(source.data.get(key), list) else []
        seen: dict[str, int] = {}
        for index, item in enumerate(items):
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str):
                continue
            if failed:
                self.where.invalid.add((kind, item_id))
            if not first:
                self.where.owners.setdefault((kind, item_id), (source, (key, index)))
            elif item_id in seen:
                self.problems.append(
                    Problem(
                        source.path,
                        *source.at((key, index, "id")),
                        "duplicate-id",
                        f"{KIND_LABELS[kind]} id `{item_id}` is used twice (first on line {seen[item_id]})",
                        "ids are unique within their kind: rename one of them",
                    )
                )
            else:
                seen[item_id] = source.at((key, index, "id"))[0]
                self.where.owners[(kind, item_id)] = (source, (key, index))

    # --- activity.yml and results/: the record and the numbers (both optional) --------------------

    def read_activity(self) -> ActivityLog:
        activity_file = self._one_file("activity")
        if activity_file is None or not self._readable(activity_file, activity_file.name):
            return ActivityLog.model_construct(entries=[])  # (no validator built for nothing to validate)
        found = self._checked(activity_file, activity_file.name, "activity", check_activity)
        if found is None or found.source is None:
            return ActivityLog.model_construct(entries=[])  # (no validator built for nothing to validate)
        entries: dict[int, ActivityEntry] = found.value
        self.where.activity = (found.source, entries)
        if found.problems:  # (the file as read is looked at only when something in it failed)
            self.where.failed_activity = failed_entries(found.source.data, entries)
        return ActivityLog.model_construct(entries=list(entries.values()))

    def read_results(self) -> list[ResultsFile]:
        directory = self.root / "results"
        if not directory.exists() and not directory.is_symlink():
            return []
        if _loops(directory):
            self.problems.append(self._loop("results", folder=True))
            return []
        if not directory.is_dir() or not self._inside(directory):
            self.problems.append(
                Problem(
                    self.display("results"),
                    0,
                    0,
                    "not-a-folder",
                    "`results` must be a folder inside the content directory",
                    "make `results` a real folder holding one <kpi-id>.csv per KPI (not a file, nor a link elsewhere)",
                )
            )
            return []
        found: list[ResultsFile] = []
        for file in sorted(directory.iterdir()):
            rel = f"results/{file.name}"
            if file.suffix != ".csv":
                if not file.name.startswith(".") and file.name != SOURCES_NAME:
                    self.warnings.append(
                        Problem(
                            self.display(rel),
                            0,
                            0,
                            "unknown-file",
                            "this file is ignored: only .csv files are read in results/",
                            "name a KPI's results file after the KPI: results/<kpi-id>.csv",
                            severity="warning",
                        )
                    )
                continue
            if not ID_RE.match(file.stem):
                self.problems.append(
                    Problem(
                        self.display(rel),
                        1,
                        1,
                        "bad-id",
                        f"the file name `{file.name}` is not a valid id (a results file is named after its KPI's id)",
                        "rename the file: " + id_hint(file.stem),
                    )
                )
                continue
            results = self._results_file(file, rel) if self._readable(file, rel) else None
            if results is None:  # it exists but cannot be read: its KPI is not said to have no results
                self.where.results[file.stem] = ResultsFile(self.display(rel), rel, file.stem, failed=True)
                continue
            found.append(results)
            self.where.results[results.kpi_id] = results
        return found

    def _results_file(self, file: Path, rel: str) -> ResultsFile | None:
        """A results file as read (read_results_file), from the cache when its bytes are unchanged."""
        try:
            raw = file.read_bytes()
        except OSError:
            return read_results_file(file, self.display(rel), rel, self.problems)  # says why it cannot be read
        found = self.cache.get(rel, "results", raw) if self.cache is not None else None
        if found is None:
            problems: list[Problem] = []
            text = decode_csv(raw, self.display(rel), problems)
            value = parse_results(text, self.display(rel), rel, file.stem, problems) if text is not None else None
            found = FileCheck(problems, [], None, value)
            if self.cache is not None:
                self.cache.put(rel, "results", raw, found)
        self.problems.extend(found.problems)
        result: ResultsFile | None = found.value
        return result

    def _csv_folder(self, folder: str, what: str) -> list[Path]:
        """The .csv files of an optional folder (a problem when it is not a real folder inside; a
        warning for each other file)."""
        directory = self.root / folder
        if not directory.exists() and not directory.is_symlink():
            return []
        if _loops(directory) or not directory.is_dir() or not self._inside(directory):
            self.problems.append(
                Problem(
                    self.display(folder),
                    0,
                    0,
                    "not-a-folder",
                    f"`{folder}` must be a folder inside the content directory",
                    f"make `{folder}` a real folder holding {what} (not a file, nor a link elsewhere)",
                )
            )
            return []
        found: list[Path] = []
        for file in sorted(directory.iterdir()):
            if file.suffix == ".csv":
                found.append(file)
            elif not file.name.startswith("."):
                self.warnings.append(
                    Problem(
                        self.display(f"{folder}/{file.name}"),
                        0,
                        0,
                        "unknown-file",
                        f"this file is ignored: only .csv files are read in {folder}/",
                        f"{folder}/ holds {what}",
                        severity="warning",
                    )
                )
        return found

    def read_survey(self) -> list[SurveyText]:
        """survey/<round>.csv, each as text (checked once the playbook's statements are known)."""
        found: list[SurveyText] = []
        for file in self._csv_folder("survey", "one <round>.csv per survey round, e.g. 2026-Q3.csv"):
            rel = f"survey/{file.name}"
            text = None
            if self._readable(file, rel):
                try:
                    text = decode_csv(file.read_bytes(), self.display(rel), self.problems, "survey rounds")
                except OSError as exc:
                    self.reader.read_error(self.display(rel), exc)
            found.append(SurveyText(self.display(rel), rel, file.stem, text))
        return found

    def report_unknown_files(self) -> None:
        known = ("playbook", *LIST_FILES, "activity")
        for name in sorted(p.name for p in self.root.iterdir() if p.is_file() and p.suffix in (".yml", ".yaml")):
            stem = Path(name).stem
            if stem not in known:
                self.warnings.append(
                    Problem(
                        self.display(name),
                        0,
                        0,
                        "unknown-file",
                        "this file is not part of the content format and is ignored",
                        did_you_mean(stem, [*known, *ENTITY_FOLDERS]),
                        severity="warning",
                    )
                )


def _valid_entry(item: Any) -> ActivityEntry | None:
    try:
        return ActivityEntry.model_validate(item)
    except ValidationError:
        return None


def failed_entries(data: dict[str, Any], valid: dict[int, ActivityEntry]) -> dict[int, tuple[str | None, date | None]]:
    """What each entry of activity.yml that failed validation still says: the step it names (as
    written) and the date, each None when it cannot be read (position -1: `entries` is missing or
    not a list)."""
    items = data.get("entries")
    if not isinstance(items, list):  # (missing too: in a file that failed, `entries` may be misspelt)
        return {-1: (None, None)}
    found: dict[int, tuple[str | None, date | None]] = {}
    for index, item in enumerate(items):
        if index in valid:
            continue
        if not isinstance(item, dict):
            found[index] = (None, None)
            continue
        step = item.get("step")
        dated = _valid_entry({"step": "a", "date": item.get("date")})  # the date alone, read as in any entry
        found[index] = (step if isinstance(step, str) else None, dated.date if dated is not None else None)
    return found


# --- one file on its own: a function of its bytes, which the cache keeps ----------------------------


def _parsed(raw: bytes, display: str) -> tuple[list[Problem], list[Problem], Source | None]:
    problems: list[Problem] = []
    warnings: list[Problem] = []
    return problems, warnings, Reader(problems, warnings).parse(raw, display)


def check_model(raw: bytes, display: str, model: type[BaseModel]) -> FileCheck:
    """playbook.yml, checklist.yml, alignment.yml, glossary.yml: read and validated on their own."""
    problems, warnings, source = _parsed(raw, display)
    if source is None:
        return FileCheck(problems, warnings, None, None)
    value = validate_source(source, model, problems, warnings=warnings)
    return FileCheck(problems, warnings, source, value, file_links(source))


def check_entity(raw: bytes, display: str, kind: str, entity_id: str) -> FileCheck:
    """A file of roles/, leads/ or kpis/, whose id is its file name."""
    problems, warnings, source = _parsed(raw, display)
    if source is None:
        return FileCheck(problems, warnings, None, None)
    if "id" in source.data:
        problems.append(
            Problem(
                source.path,
                *source.at(("id",), key=True),
                "unknown-field",
                f"a {KIND_LABELS[kind]} takes its id from its file name; remove the `id` field",
                f"to change the id, rename the file (now `{entity_id}`)",
            )
        )
        source.data.pop("id")
    entity = validate_source(source, FILE_MODELS[kind], problems, {"id": entity_id}, warnings=warnings)
    return FileCheck(problems, warnings, source, entity, file_links(source))


def check_activity(raw: bytes, display: str) -> FileCheck:
    """activity.yml: its entries by position; those fine on their own even when others are not."""
    problems, warnings, source = _parsed(raw, display)
    if source is None:
        return FileCheck(problems, warnings, None, None)
    log: ActivityLog | None = validate_source(source, ActivityLog, problems)
    if log is not None:
        entries = dict(enumerate(log.entries))
    else:  # the entries that are fine on their own are still checked against the checklist
        items = source.data.get("entries")
        entries = {
            index: entry
            for index, item in enumerate(items if isinstance(items, list) else [])
            if (entry := _valid_entry(item)) is not None
        }
    return FileCheck(problems, warnings, source, entries, file_links(source))


__all__ = ["Loaded", "Source", "load", "load_all"]
