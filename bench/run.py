"""The playbook benchmark: `make bench`, or `.venv/bin/python bench/run.py [--sizes ...] [--large] [--out FILE]`.

For each size it writes a synthetic playbook (bench/synth.py) and measures, as medians of repeated runs:

- `playbook validate` as a user runs it (a child process: interpreter start, imports, load, checks),
  without the cache (`--no-cache`) and as a re-run after one file changed (the cache warm);
- the generator's own time in-process (load + render), and the playbook plugin's share of a build;
- a full `mkdocs build --strict` (a child process), its peak memory, the site's size and pages;
- the floor: the same pages as plain Markdown (bench/floor.py) built by MkDocs and Material with the
  same theme, navigation, extensions and search, and no playbook plugin;
- `playbook build --engine zensical` (the standalone project built by Zensical);
- where the build's time goes (an instrumented in-process build: plugin, theme, search);
- `playbook serve` on MkDocs and on Zensical: the time from saving one role file to the served page
  showing the change;
- what grows with the content on single pages (the largest page, the search index, the navigation);
- a long results series (issue 27): the bundled playbook built with one KPI's 52 weekly results, with ten
  years of daily results instead, and with daily results since 1900 (`--long-series`).

It prints each figure as it is measured, then the whole report in Markdown (the machine, the
versions, the figures, each target met or not and why), and writes it to BENCHMARKS.md by default.
"""

from __future__ import annotations

import argparse
import functools
import importlib.metadata
import importlib.util
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent  # the virtual environment's bin/, with `playbook` and `mkdocs`
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import synth  # noqa: E402

TODAY = "2026-11-23"
os.environ.setdefault("PLAYBOOK_TODAY", TODAY)
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# The targets of issues 17 and 27, on a 2-core machine.
VALIDATE_TARGET_S = 0.5  # validate of 1,000 entities, from interpreter start, nothing cached
VALIDATE_RERUN_TARGET_S = 0.3  # the same after one file changed, the cache warm (issue 27)
FLOOR_TARGET = 1.1  # a full build against the engine building the same pages without the plugin (issue 27), both engines
PER_ENTITY_TARGET = 1.5  # build time per entity at 20,000 entities against 1,000
MEMORY_TARGET_MB = 1024  # peak memory of the build at 20,000 entities
SERVE_TARGET_S = 1.0  # MkDocs serve: a one-file edit shown, 1,000 entities (issue 27)
ZENSICAL_SERVE_TARGET_S = 1.0  # the same with Zensical
# Issue 27: twelve thousand unknown keys in one file validate within this many times ordinary text of the same size.
UNKNOWN_KEYS = 12_000
UNKNOWN_KEYS_TARGET = 5.0
# Issue 27: a KPI with ten years of daily results costs at most this many times the build without
# them, and no page of the site exceeds PAGE_TARGET_MB.
LONG_SERIES_TARGET = 2.0
PAGE_TARGET_MB = 2.0
LONG_SERIES_KPI = "lead-response-time"  # of the bundled playbook; its target made per-result so that days fit
LARGE = 20000  # the opt-in size (--large)


# --- measuring child processes -----------------------------------------------------------------


@dataclass
class Child:
    wall: float  # seconds
    cpu: float  # user + system seconds of the child
    rss_mb: float  # the child's peak resident memory (ru_maxrss)
    output: str


def run_child(cmd: list[str], cwd: Path, *, check: bool = True) -> Child:
    """Run a command; its own rusage comes from wait4, so each child's peak memory is its own."""
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=os.environ.copy())
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", errors="replace")
    if check and proc.returncode != 0:
        raise SystemExit(f"benchmark: `{' '.join(cmd)}` failed with exit code {proc.returncode}:\n{output[-4000:]}")
    return Child(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def say(message: str) -> None:
    print(message, flush=True)


# --- the projects ----------------------------------------------------------------------------


def make_project(root: Path, entities: int) -> tuple[Path, synth.Counts]:
    """A playbook repository: this repository's mkdocs.yml, an empty docs/, a synthetic content/."""
    project = root / "project"
    counts = synth.generate(project / "content", entities)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    (project / "docs").mkdir(exist_ok=True)
    return project, counts


def make_plain_project(root: Path, project: Path) -> Path:
    """The floor: the same pages as plain Markdown (bench/floor.py), same theme and navigation, no plugin."""
    import floor

    return floor.write_floor(project, root / "plain")


def site_stats(site: Path) -> dict[str, Any]:
    """The pages of a built site, its size, its largest page, its search index and the navigation a
    role page carries (what would grow faster than the content)."""
    pages = list(site.rglob("*.html"))
    largest = max(pages, key=lambda path: path.stat().st_size)
    index = site / "search" / "search_index.json"
    roles = sorted((site / "roles").glob("*/index.html"))
    role_page = roles[len(roles) // 2].read_text(encoding="utf-8") if roles else ""
    nav = role_page.split('<nav class="md-nav md-nav--primary"', 1)[-1].split('<div class="md-content"', 1)[0] if roles else ""
    return {
        "pages": len(pages),
        "mb": sum(path.stat().st_size for path in site.rglob("*") if path.is_file()) / 1e6,
        "largest_mb": largest.stat().st_size / 1e6,
        "largest": largest.relative_to(site).as_posix(),
        "index_mb": index.stat().st_size / 1e6 if index.is_file() else float("nan"),
        "nav_links": float(nav.count('class="md-nav__link')) if roles else float("nan"),
        "nav_kb": len(nav.encode()) / 1e3 if roles else float("nan"),
    }


# --- in-process measurements -----------------------------------------------------------------


def time_generator(project: Path, repeat: int) -> dict[str, float]:
    """Load (with every check) and render, in this process, as the plugin does in `on_config`."""
    from playbook_site.clock import today
    from playbook_site.content import load_all
    from playbook_site.site.render import render

    loads, renders, pages = [], [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        loaded = load_all(project / "content", today=today())
        loaded_at = time.perf_counter()
        pages = len(render(loaded.playbook, today=today()))
        renders.append(time.perf_counter() - loaded_at)
        loads.append(loaded_at - started)
    return {"load": median(loads), "render": median(renders), "total": median(loads) + median(renders), "pages": pages}


def instrumented_build(project: Path, site: Path, *, edit: Callable[[], None] | None = None) -> dict[str, float]:
    """A full build in this process with a timer on each step: where the time goes.

    With `edit`, the build runs twice as `mkdocs serve` does (the plugin instance kept, the config
    loaded again), `edit` is called in between, and the second build is the one measured.
    """
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page

    timers: dict[str, float] = defaultdict(float)
    per_page: dict[str, float] = defaultdict(float)

    def timed(key: str, func: Callable[..., Any]) -> Callable[..., Any]:
        # functools.wraps: the timed function still reads as MkDocs' own to the playbook's fences
        # (site.fences compares the source of what it relies on; inspect follows __wrapped__).
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                timers[key] += time.perf_counter() - started

        return wrapper

    def one_build(first: bool) -> float:
        config = load_config(str(project / "mkdocs.yml"), site_dir=str(site), strict=True)
        if first:  # as `mkdocs serve` does: once, before the first build; plugins with this hook are kept
            config.plugins.on_startup(command="serve" if edit else "build", dirty=False)
        for name, plugin in config.plugins.items():
            group = "playbook" if name == "playbook" else ("search" if "search" in name else "other plugins")
            for event, handlers in config.plugins.events.items():
                config.plugins.events[event] = [
                    timed(f"{group}:{event}", handler) if getattr(handler, "__self__", None) is plugin else handler
                    for handler in handlers
                ]
        timers.clear()
        per_page.clear()
        started = time.perf_counter()
        mkdocs_build.build(config)
        return time.perf_counter() - started

    original_render, original_build_page = Page.render, mkdocs_build._build_page

    @functools.wraps(original_render)
    def render_page(page: Any, config: Any, files: Any) -> None:
        started = time.perf_counter()
        try:
            original_render(page, config, files)
        finally:
            per_page[page.file.src_uri] += time.perf_counter() - started

    Page.render = timed("markdown", render_page)  # type: ignore[method-assign]
    mkdocs_build._build_page = timed("pages", original_build_page)
    try:
        total = one_build(True)
        if edit is not None:
            edit()
            total = one_build(False)
    finally:
        Page.render = original_render  # type: ignore[method-assign]
        mkdocs_build._build_page = original_build_page
    in_pages = sum(v for k, v in timers.items() if k.endswith((":page_context", ":post_page")))
    phases = {
        "total": total,
        "playbook plugin": sum(v for k, v in timers.items() if k.startswith("playbook:")),
        "Markdown to HTML": timers["markdown"],
        "theme templates": timers["pages"] - in_pages,
        "search index": sum(v for k, v in timers.items() if k.startswith("search:")),
    }
    phases["other (files, nav, links, copying)"] = total - sum(v for k, v in phases.items() if k != "total")
    phases["plugin:on_config"] = timers.get("playbook:config", 0.0)
    for rank, (uri, seconds) in enumerate(sorted(per_page.items(), key=lambda item: -item[1])[:4]):
        phases[f"page:{rank}:{uri}"] = seconds
    return phases


def time_builds(project: Path, site: Path, repeat: int, command: list[str] | None = None) -> dict[str, Any]:
    """A build of `project` into `site`, `repeat` times from scratch: the median wall and CPU seconds,
    the peak memory (MB), and the site's statistics. `command` defaults to `mkdocs build --strict`."""
    builds = []
    for _ in range(repeat):
        if site.exists():
            shutil.rmtree(site)
        builds.append(run_child(command or [str(BIN / "mkdocs"), "build", "--strict", "-q", "-d", str(site)], project))
    return {
        "wall": median([b.wall for b in builds]),
        "cpu": median([b.cpu for b in builds]),
        "rss": max(b.rss_mb for b in builds),
        **site_stats(site),
    }


# --- serve -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


BUILT_RE = re.compile(r"Documentation built in ([0-9.]+) seconds")


def measure_serve(project: Path, role_id: str, repeat: int, *, startup_limit: float, engine: str = "mkdocs") -> dict[str, Any]:
    """Start `playbook serve` on 127.0.0.1, edit one role file `repeat` times, time each change."""
    port = free_port()
    log_path = project / f"serve-{engine}.log"
    role_file = project / "content" / "roles" / f"{role_id}.yml"
    original = role_file.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{port}/roles/{role_id}/"
    log = log_path.open("w")
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(BIN / "playbook"), "serve", "--engine", engine, "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    latencies: list[float] = []
    builds: list[float] = []
    try:
        while fetch(url) is None:
            if server.poll() is not None or time.perf_counter() - started > startup_limit:
                raise SystemExit(f"benchmark: `playbook serve` did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        startup = time.perf_counter() - started
        time.sleep(1.0)  # let the watcher take its first look at the files
        for number in range(repeat):
            marker = f"Bench edit {number + 1} at {time.time():.0f}"
            seen = len(BUILT_RE.findall(log_path.read_text()))
            role_file.write_text(original.replace("summary: >-\n", f"summary: >-\n  {marker}.\n", 1), encoding="utf-8")
            edited = time.perf_counter()
            while True:
                page = fetch(url)
                if page is not None and marker in page:
                    break
                if server.poll() is not None or time.perf_counter() - edited > startup_limit:
                    raise SystemExit(f"benchmark: the edit never showed:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.02)
            latencies.append(time.perf_counter() - edited)
            deadline = time.perf_counter() + (60 if engine == "mkdocs" else 0)
            while len(found := BUILT_RE.findall(log_path.read_text())) <= seen and time.perf_counter() < deadline:
                time.sleep(0.05)
            if len(found) > seen:
                builds.append(float(found[-1]))
            time.sleep(1.0)
    finally:
        server.send_signal(signal.SIGINT)  # mkdocs serve cleans up its temporary site on Ctrl-C
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        role_file.write_text(original, encoding="utf-8")
    return {"startup": startup, "latency": median(latencies), "latencies": latencies, "build": median(builds)}


# --- one size --------------------------------------------------------------------------------


@dataclass
class SizeResult:
    size: int
    counts: synth.Counts
    repeat: int
    figures: dict[str, float] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    serve_phases: dict[str, float] = field(default_factory=dict)
    largest: str = ""  # the largest page of the site
    notes: list[str] = field(default_factory=list)


def zensical_floor(root: Path, repeat: int, f: dict[str, float]) -> dict[str, float]:
    """The floor's plain Markdown built by Zensical itself (no plugin): what `playbook build --engine
    zensical` is compared with."""
    plain = root / "plain"
    command = [str(BIN / "zensical"), "build", "-f", "mkdocs.yml"]
    built = time_builds(plain, plain / "site", repeat, command)
    figures = {"zensical_floor_s": built["wall"], "zensical_floor_cpu_s": built["cpu"]}
    figures["zensical_over_floor"] = f["zensical_s"] / built["wall"]
    figures["zensical_over_floor_cpu"] = f["zensical_cpu_s"] / built["cpu"]
    say(
        f"  floor (Zensical)         {built['wall']:7.2f} s   (cpu {built['cpu']:.2f} s; build/floor"
        f" {figures['zensical_over_floor']:.2f}x wall, {figures['zensical_over_floor_cpu']:.2f}x CPU)"
    )
    return figures


def _validate_runs(project: Path, repeat: int) -> dict[str, float]:
    """`playbook validate` from interpreter start: nothing cached (`--no-cache`), and a re-run after one
    role file changed with the cache of the run before (each re-run changes the file again)."""
    cache = project.parent / "validate-cache"
    os.environ["PLAYBOOK_CACHE_DIR"] = str(cache)
    command = [str(BIN / "playbook"), "validate", "--content", "content"]
    cold = [run_child([*command, "--no-cache"], project) for _ in range(repeat)]
    role = sorted((project / "content" / "roles").glob("*.yml"))[0]
    original = role.read_text(encoding="utf-8")
    rerun = []
    try:
        run_child(command, project)  # the cache as a previous run leaves it
        for number in range(repeat):
            role.write_text(original.replace("summary: >-\n", f"summary: >-\n  Re-run {number}.\n", 1), encoding="utf-8")
            rerun.append(run_child(command, project))
    finally:
        role.write_text(original, encoding="utf-8")
        shutil.rmtree(cache, ignore_errors=True)
    return {
        "validate_s": median([r.wall for r in cold]),
        "validate_cpu_s": median([r.cpu for r in cold]),
        "validate_rss_mb": max(r.rss_mb for r in cold),
        "rerun_s": median([r.wall for r in rerun]),
        "rerun_cpu_s": median([r.cpu for r in rerun]),
    }


def measure_size(size: int, repeat: int, work: Path, *, serve: bool, zensical: bool, floor: bool = True) -> SizeResult:
    root = work / f"n{size}"
    if root.exists():
        shutil.rmtree(root)
    project, counts = make_project(root, size)
    result = SizeResult(size, counts, repeat)
    f = result.figures
    f["entities"] = counts.total
    say(
        f"\n== {counts.total} entities ({counts.roles} roles, {counts.kpis} KPIs, {counts.leads} lead stages, "
        f"{counts.steps} checklist steps, {counts.terms} glossary terms, 4 alignment stages, 20 statements); "
        f"{repeat} run(s) each"
    )
    f["content_mb"] = sum(p.stat().st_size for p in (project / "content").rglob("*.yml")) / 1e6

    f.update(_validate_runs(project, repeat))
    say(
        f"  playbook validate        {f['validate_s']:7.2f} s   (cpu {f['validate_cpu_s']:.2f} s, {f['validate_rss_mb']:.0f} MB, --no-cache)"
    )
    say(f"  validate re-run          {f['rerun_s']:7.2f} s   (cpu {f['rerun_cpu_s']:.2f} s, one file changed, cache warm)")

    generator = time_generator(project, repeat)
    f["load_s"], f["render_s"], f["generator_s"] = generator["load"], generator["render"], generator["total"]
    f["generated_pages"] = generator["pages"]
    say(
        f"  generator (load+render)  {f['generator_s']:7.2f} s   (load {f['load_s']:.2f} s, render {f['render_s']:.2f} s, in-process)"
    )

    built = time_builds(project, root / "site", repeat)
    f["build_s"], f["build_cpu_s"], f["build_rss_mb"] = built["wall"], built["cpu"], built["rss"]
    f["site_pages"], f["site_mb"], f["largest_mb"], f["index_mb"] = (
        built["pages"],
        built["mb"],
        built["largest_mb"],
        built["index_mb"],
    )
    f["nav_links"], f["nav_kb"] = built["nav_links"], built["nav_kb"]
    result.largest = built["largest"]
    say(
        f"  mkdocs build --strict    {f['build_s']:7.2f} s   (cpu {f['build_cpu_s']:.2f} s, peak {f['build_rss_mb']:.0f} MB,"
        f" {f['site_pages']:.0f} pages, {f['site_mb']:.1f} MB; largest page {built['largest']} {f['largest_mb']:.2f} MB,"
        f" search index {f['index_mb']:.1f} MB, nav of a role page {f['nav_links']:.0f} links)"
    )

    if floor:
        plain = make_plain_project(root, project)
        plain_built = time_builds(plain, root / "plain-site", repeat)
        f["floor_s"], f["floor_cpu_s"], f["floor_rss_mb"], f["floor_pages"] = (
            plain_built["wall"],
            plain_built["cpu"],
            plain_built["rss"],
            plain_built["pages"],
        )
        f["build_over_floor"] = f["build_s"] / f["floor_s"]
        f["build_over_floor_cpu"] = f["build_cpu_s"] / f["floor_cpu_s"]
        say(
            f"  floor (plain Markdown)   {f['floor_s']:7.2f} s   (cpu {f['floor_cpu_s']:.2f} s, peak {f['floor_rss_mb']:.0f} MB,"
            f" {f['floor_pages']:.0f} pages; build/floor {f['build_over_floor']:.2f}x wall, {f['build_over_floor_cpu']:.2f}x CPU)"
        )
        if f["floor_pages"] != f["site_pages"]:
            result.notes.append(f"the floor has {f['floor_pages']:.0f} pages, the site {f['site_pages']:.0f}")
    else:
        say("  floor (plain Markdown)   not built at this size (--floor-up-to)")

    if zensical:
        command = [str(BIN / "playbook"), "build", "--engine", "zensical", "-d", str(root / "zensical-site")]
        trial = run_child(command, project, check=False)
        if not (root / "zensical-site" / "index.html").is_file():
            lines = [line.strip() for line in trial.output.splitlines() if line.strip()]
            reason = next((line for line in lines if "Error:" in line), lines[-1] if lines else "no output")
            result.notes.append(f"Zensical did not build the site: {reason}")
            say(f"  playbook build (Zensical)  failed: {reason}")
            zensical = False
        else:
            zen = time_builds(project, root / "zensical-site", repeat, command)
            f["zensical_s"], f["zensical_cpu_s"], f["zensical_rss_mb"] = zen["wall"], zen["cpu"], zen["rss"]
            say(
                f"  playbook build (Zensical){f['zensical_s']:7.2f} s   (cpu {f['zensical_cpu_s']:.2f} s of this process"
                " and its children)"
            )
            if floor:
                f.update(zensical_floor(root, repeat, f))

    phase_site = root / "phase-site"
    result.phases = instrumented_build(project, phase_site)
    f["plugin_in_build_s"] = result.phases["playbook plugin"]
    say(
        "  where a build goes       "
        + ", ".join(f"{k} {v:.2f} s" for k, v in result.phases.items() if not k.startswith(("plugin:", "page:")))
        + " (in-process)"
    )

    if not serve:
        return result
    roles = sorted(p.stem for p in (project / "content" / "roles").glob("*.yml"))
    role_id = roles[len(roles) // 2]
    role_file = project / "content" / "roles" / f"{role_id}.yml"
    original = role_file.read_text(encoding="utf-8")

    def edit() -> None:
        role_file.write_text(original.replace("summary: >-\n", "summary: >-\n  Edited in-process.\n", 1), encoding="utf-8")

    try:
        result.serve_phases = instrumented_build(project, phase_site, edit=edit)
    finally:
        role_file.write_text(original, encoding="utf-8")
    f["rebuild_inprocess_s"] = result.serve_phases["total"]
    say(
        "  serve-style rebuild      "
        + ", ".join(f"{k} {v:.2f} s" for k, v in result.serve_phases.items() if not k.startswith(("plugin:", "page:")))
        + " (in-process, after one edit)"
    )

    served = measure_serve(project, role_id, max(repeat, 3), startup_limit=max(120.0, f["build_s"] * 6))
    f["serve_startup_s"] = served["startup"]
    f["serve_latency_s"] = served["latency"]
    f["serve_build_s"] = served["build"]
    say(
        f"  playbook serve edit      {f['serve_latency_s']:7.2f} s   (edit saved -> page shows it; MkDocs rebuild"
        f" {f['serve_build_s']:.2f} s; first build {f['serve_startup_s']:.1f} s)"
    )
    if zensical:
        zserved = measure_serve(project, role_id, max(repeat, 3), startup_limit=max(120.0, f["build_s"] * 6), engine="zensical")
        f["zensical_serve_latency_s"] = zserved["latency"]
        f["zensical_serve_startup_s"] = zserved["startup"]
        say(
            f"  Zensical serve edit      {f['zensical_serve_latency_s']:7.2f} s   (edit saved -> page shows it;"
            f" first build {f['zensical_serve_startup_s']:.1f} s)"
        )
    return result


# --- a long results series (issue 27) -----------------------------------------------------------


def daily_results(first: date, last: date) -> str:
    """A results CSV of one value a day from `first` to `last`: a weekly wave, a slow drift and noise,
    between about 2 and 8 hours (plausible for the lead response time)."""
    import random

    rng = random.Random(27)
    rows = ["period,value"]
    day, number = first, 0
    while day <= last:
        value = 5 + 1.5 * math.sin(number / 1.1) + 1.2 * math.sin(number / 365) + rng.uniform(-0.6, 0.6)
        rows.append(f"{day.isoformat()},{value:.1f}")
        day += timedelta(days=1)
        number += 1
    return "\n".join(rows) + "\n"


def long_series_project(root: Path, results: str | None) -> Path:
    """The bundled playbook with the lead response time's target counted per result (a daily series
    fits it), and its results replaced by `results` when given (else its own weekly ones)."""
    project = root
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    (project / "docs").mkdir(exist_ok=True)
    kpi = project / "content" / "kpis" / f"{LONG_SERIES_KPI}.yml"
    kpi.write_text(kpi.read_text(encoding="utf-8").replace("  period: week\n", ""), encoding="utf-8")
    if results is not None:
        (project / "content" / "results" / f"{LONG_SERIES_KPI}.csv").write_text(results, encoding="utf-8")
    return project


def measure_long_series(work: Path, repeat: int, *, since_1900: bool = True) -> dict[str, Any]:
    """The bundled playbook built with one KPI's own 52 weekly results ("without") and with ten years of
    daily results instead (3,652 rows), and, unless `since_1900` is false, with daily results since 1900
    (the shape of issue 21's finding 14, 46,347 rows)."""
    today = date.fromisoformat(TODAY)
    shapes = {
        "without": None,
        "ten_years": daily_results(today.replace(year=today.year - 10), today - timedelta(days=1)),
        "since_1900": daily_results(date(1900, 1, 1), today - timedelta(days=1)),
    }
    if not since_1900:
        del shapes["since_1900"]
    found: dict[str, Any] = {}
    for name, results in shapes.items():
        project = long_series_project(work / f"series-{name}", results)
        built = time_builds(project, work / f"series-{name}" / "site", repeat)
        csv = (project / "content" / "results" / f"{LONG_SERIES_KPI}.csv").read_text(encoding="utf-8")
        found[name] = {
            "rows": csv.count("\n") - 1,
            "csv_kb": len(csv.encode()) / 1e3,
            **built,
        }
        say(
            f"  {name:<11} {found[name]['rows']:>6} rows: build {built['wall']:6.2f} s (cpu {built['cpu']:.2f} s,"
            f" peak {built['rss']:.0f} MB), site {built['mb']:.1f} MB, largest page {built['largest']} {built['largest_mb']:.2f} MB"
        )
    return found


def long_series_targets(found: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict and why) for issue 27's long series."""
    if not found:
        return []
    without, ten = found["without"], found["ten_years"]
    ratio, cpu_ratio = ten["wall"] / without["wall"], ten["cpu"] / without["cpu"]
    ok = ratio <= LONG_SERIES_TARGET
    why = (
        f"the bundled playbook built in {fmt(without['wall'])} ({fmt(without['cpu'])} CPU) without and in"
        f" {fmt(ten['wall'])} ({fmt(ten['cpu'])} CPU, {cpu_ratio:.2f}x) with {ten['rows']:,} daily results for one KPI"
        f" ({ten['csv_kb']:.0f} kB of CSV); peak memory {without['rss']:.0f} MB and {ten['rss']:.0f} MB. Each chart"
        " draws at most 120 results (largest-triangle-three-buckets), the KPI page's table the latest 8; the"
        " CSV export and playbook.json keep every result."
    )
    rows = [
        (
            f"ten years of daily results for one KPI: build <= {LONG_SERIES_TARGET}x the build without them",
            f"{ratio:.2f}x",
            f"{verdict(ok)}: {why}",
        )
    ]
    largest = max(found.values(), key=lambda shape: shape["largest_mb"])
    ok = largest["largest_mb"] < PAGE_TARGET_MB
    why = (
        f"largest page `{largest['largest']}` {largest['largest_mb']:.2f} MB; with ten years of daily results"
        f" {ten['largest_mb']:.2f} MB (without {without['largest_mb']:.2f} MB)"
    )
    if "since_1900" in found:
        old = found["since_1900"]
        why += (
            f"; with {old['rows']:,} daily results since 1900 ({old['csv_kb']:.0f} kB, issue 21's finding 14)"
            f" {old['largest_mb']:.2f} MB, the site {old['mb']:.1f} MB, the build {fmt(old['wall'])}"
            f" ({old['wall'] / without['wall']:.2f}x), peak memory {old['rss']:.0f} MB"
        )
    rows.append(
        (
            f"no page over {PAGE_TARGET_MB:g} MB with a long results series",
            f"{largest['largest_mb']:.2f} MB",
            f"{verdict(ok)}: {why}.",
        )
    )
    return rows


def measure_unknown_keys(work: Path, repeat: int) -> dict[str, float]:
    """`playbook validate --no-cache` of the bundled playbook with one more role: once with ordinary
    responsibilities, once with UNKNOWN_KEYS unknown fields of the same size instead (issue 27)."""
    line = "unknown_field_{:05d}: abc\n"
    size = len(line.format(0)) * UNKNOWN_KEYS
    head = "name: Bench Role\nfunction: sales\nsummary: A role for the benchmark.\nresponsibilities:\n"
    prose = ("Runs the weekly pipeline review with Marketing and records every decision. " * (size // 70 + 1))[:size]
    shapes = {
        "ordinary": head + "".join(f"  - {prose[i : i + 3000]!r}\n".replace("'", '"') for i in range(0, size, 3000)),
        "unknown": head + "  - Works.\n" + "".join(line.format(i) for i in range(UNKNOWN_KEYS)),
    }
    found: dict[str, float] = {}
    for name, text in shapes.items():
        project = long_series_project(work / f"keys-{name}", None)
        (project / "content" / "roles" / "bench-role.yml").write_text(text, encoding="utf-8")
        runs = [run_child([str(BIN / "playbook"), "validate", "--no-cache"], project, check=False) for _ in range(max(repeat, 3))]
        found[f"{name}_s"], found[f"{name}_cpu_s"] = median([r.wall for r in runs]), median([r.cpu for r in runs])
        found[f"{name}_kb"] = len(text.encode()) / 1e3
        say(f"  {name:<9} {found[f'{name}_kb']:.0f} kB: validate {found[f'{name}_s']:.2f} s (cpu {found[f'{name}_cpu_s']:.2f} s)")
    return found


def unknown_keys_targets(found: dict[str, float] | None) -> list[tuple[str, str, str]]:
    """(target, measured, verdict and why) for issue 27's unknown keys."""
    if not found:
        return []
    ratio, cpu_ratio = found["unknown_s"] / found["ordinary_s"], found["unknown_cpu_s"] / found["ordinary_cpu_s"]
    why = (
        f"`playbook validate --no-cache` of the bundled playbook with a role of {UNKNOWN_KEYS:,} unknown fields"
        f" ({found['unknown_kb']:.0f} kB) took {fmt(found['unknown_s'])} ({fmt(found['unknown_cpu_s'])} CPU, {cpu_ratio:.2f}x),"
        f" with a role of ordinary text of the same size ({found['ordinary_kb']:.0f} kB) {fmt(found['ordinary_s'])}"
        f" ({fmt(found['ordinary_cpu_s'])} CPU). The report keeps the first 100 problems of a kind per file."
    )
    label = f"{UNKNOWN_KEYS:,} unknown keys in one file: validate <= {UNKNOWN_KEYS_TARGET}x ordinary text of the same size"
    return [(label, f"{ratio:.2f}x", f"{verdict(ratio <= UNKNOWN_KEYS_TARGET)}: {why}")]


def long_series_section(found: dict[str, Any]) -> list[str]:
    """The report's table of the long results series (issue 27), or nothing when it was not measured."""
    if not found:
        return []
    names = {"without": "its own 52 weekly results", "ten_years": "ten years of daily results", "since_1900": "daily since 1900"}
    lines = [
        "## A long results series",
        "",
        f"The bundled playbook built with each of these as the results of its KPI `{LONG_SERIES_KPI}` (its target counted per result, so that days fit):",
        "",
        "| results of the KPI | rows | CSV | `mkdocs build --strict` | CPU | peak memory | site | largest page |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, shape in found.items():
        lines.append(
            f"| {names.get(name, name)} | {shape['rows']:,} | {shape['csv_kb']:.0f} kB | {fmt(shape['wall'])} | {fmt(shape['cpu'])}"
            f" | {shape['rss']:.0f} MB | {shape['mb']:.1f} MB | `{shape['largest']}` {shape['largest_mb']:.2f} MB |"
        )
    return [*lines, ""]


# --- the report ------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or "unknown"
    ram = "unknown"
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))  # type: ignore[union-attr]
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, AttributeError):
        pass
    import yaml

    versions = []
    for package in (
        "playbook-site",
        "mkdocs",
        "mkdocs-material",
        "markdown",
        "pymdown-extensions",
        "jinja2",
        "pyyaml",
        "pydantic",
        "zensical",
    ):
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            pass
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "PyYAML C loader (libyaml)": "yes" if getattr(yaml, "__with_libyaml__", False) else "no",
        "versions": ", ".join(versions),
    }


def fmt(value: float, unit: str = "s", digits: int = 2) -> str:
    if value != value:  # NaN
        return "–"
    return f"{value:.{digits}f} {unit}".strip()


def verdict(ok: bool) -> str:
    return "**met**" if ok else "**not met**"


def floor_targets(by_size: dict[int, dict[str, float]]) -> list[tuple[str, str, str]]:
    """The build against the same engine building the same pages without the plugin (issue 27), per engine."""
    rows: list[tuple[str, str, str]] = []
    engines = (
        ("`mkdocs build --strict`", "build", "floor"),
        ("`playbook build --engine zensical`", "zensical", "zensical_floor"),
    )
    for name, key, floor in engines:
        for size in (1000, 5000):
            label = f"{name} at {size:,} entities <= {FLOOR_TARGET}x the engine building the same pages without the plugin"
            figures = by_size.get(size)
            if not figures or f"{floor}_s" not in figures:
                rows.append((label, "–", "not measured at this size"))
                continue
            ratio, cpu_ratio = figures[f"{key}_s"] / figures[f"{floor}_s"], figures[f"{key}_cpu_s"] / figures[f"{floor}_cpu_s"]
            why = (
                f"{fmt(figures[f'{key}_s'])} against {fmt(figures[f'{floor}_s'])} (wall, medians; CPU {cpu_ratio:.2f}x) for"
                " the floor: the same pages as plain Markdown, no plugin. The plugin hands the engine finished HTML;"
                " with MkDocs the navigation is rendered once per folder and the search index read by a quicker"
                " tokenizer (see What the build no longer does)."
            )
            rows.append((label, f"{ratio:.2f}x", f"{verdict(ratio <= FLOOR_TARGET)}: {why}"))
    return rows


def targets(results: list[SizeResult]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict and why) for each target of issue 17."""
    by_size = {r.size: r.figures for r in results}
    rows: list[tuple[str, str, str]] = []
    at_1000 = by_size.get(1000)
    none = "not measured at this size"

    # validate, nothing cached
    label = f"`playbook validate`, 1,000 entities, from interpreter start, nothing cached < {VALIDATE_TARGET_S} s"
    if at_1000:
        v, cpu = at_1000["validate_s"], at_1000["validate_cpu_s"]
        ok = v < VALIDATE_TARGET_S
        why = (
            f"{fmt(v)} wall, {fmt(cpu)} CPU for `playbook validate --no-cache`; of that, loading and checking in-process"
            f" takes {fmt(at_1000['load_s'])} (reading and composing YAML with positions, pydantic validating"
            " each file, the rules over the whole playbook)."
        )
        if not ok:
            why += (
                " The rest is the interpreter and the imports it needs (click, PyYAML, pydantic and the content"
                " models, see Imports): site, publishing and review code and the Markdown parsers are no longer"
                " imported. What would meet it: fewer and cheaper pydantic models, or a checker that stays"
                " running (an editor's language server; `playbook serve` keeps every file's check in memory)."
            )
        rows.append((label, fmt(v), f"{verdict(ok)}: {why}"))
    else:
        rows.append((label, "–", none))

    label = f"`playbook validate` re-run after one file changed, 1,000 entities < {VALIDATE_RERUN_TARGET_S} s"
    if at_1000:
        v, cpu = at_1000["rerun_s"], at_1000["rerun_cpu_s"]
        ok = v < VALIDATE_RERUN_TARGET_S
        why = (
            f"{fmt(v)} wall, {fmt(cpu)} CPU: every file is read and hashed, the one changed is checked, the others'"
            " results come from the cache, the checks across files run over the whole playbook."
        )
        if not ok:
            why += (
                " What is left is mostly the interpreter starting and importing click, PyYAML, pydantic and the"
                " content models (about 0.2 s of CPU): what would meet it is a long-running checker, or models"
                " that cost less to import."
            )
        rows.append((label, fmt(v), f"{verdict(ok)}: {why}"))
    else:
        rows.append((label, "–", none))

    rows += floor_targets(by_size)

    # 20,000 entities
    large = by_size.get(LARGE)
    label = f"build time per entity at {LARGE:,} <= {PER_ENTITY_TARGET}x that at 1,000; peak memory < {MEMORY_TARGET_MB} MB"
    if large and at_1000:
        per_small = at_1000["build_s"] / at_1000["entities"]
        per_large = large["build_s"] / large["entities"]
        ratio = per_large / per_small
        cpu_ratio = (large["build_cpu_s"] / large["entities"]) / (at_1000["build_cpu_s"] / at_1000["entities"])
        ok = ratio <= PER_ENTITY_TARGET and large["build_rss_mb"] < MEMORY_TARGET_MB
        why = (
            f"{per_small * 1000:.1f} ms per entity at 1,000 and {per_large * 1000:.1f} ms at {LARGE:,} (wall; CPU"
            f" {cpu_ratio:.2f}x); peak memory {large['build_rss_mb']:.0f} MB. Largest page at {LARGE:,}:"
            f" {large['largest_mb']:.1f} MB; search index {large['index_mb']:.1f} MB (linear in the content);"
            f" a role page's navigation {large['nav_links']:.0f} links (at 1,000: {at_1000['nav_links']:.0f})."
        )
        rows.append((label, f"{ratio:.2f}x, {large['build_rss_mb']:.0f} MB", f"{verdict(ok)}: {why}"))
    else:
        rows.append((label, "–", f"{none} (run with --large)"))

    # serve
    label = f"`playbook serve` (MkDocs): a one-file edit shown, 1,000 entities < {SERVE_TARGET_S} s"
    if at_1000 and "serve_latency_s" in at_1000:
        latency = at_1000["serve_latency_s"]
        ok = latency < SERVE_TARGET_S
        why = (
            f"from saving the YAML file to the served page containing the change, {fmt(latency)} (median); MkDocs"
            f" reports the rebuild itself as {fmt(at_1000['serve_build_s'])}. The rest is MkDocs' file watcher, which"
            " polls every 0.5 s and waits 0.1 s for more changes. A rebuild renders again only the pages whose"
            " output changed (see Serve)."
        )
        rows.append((label, fmt(latency), f"{verdict(ok)}: {why}"))
    else:
        rows.append((label, "–", none))
    label = f"`playbook serve --engine zensical`: a one-file edit shown, 1,000 entities < {ZENSICAL_SERVE_TARGET_S} s"
    if at_1000 and "zensical_serve_latency_s" in at_1000:
        latency = at_1000["zensical_serve_latency_s"]
        ok = latency < ZENSICAL_SERVE_TARGET_S
        why = (
            f"{fmt(latency)} (median) from the save to the page served by `zensical serve` showing it: the watcher"
            " (0.1 s for more events), loading the content (each unchanged file from memory), rendering the pages"
            " that read what changed, writing the files whose bytes changed, and Zensical's own rebuild of those."
        )
        if not ok:
            why += (
                " What is left is the work done for the whole site on each save: loading and checking the content,"
                " the exports, each page's fingerprint and the links between pages, and Zensical's own rebuild."
            )
        rows.append((label, fmt(latency), f"{verdict(ok)}: {why}"))
    else:
        rows.append((label, "–", none))
    return rows


def compiled_package() -> None:
    """The package's bytecode written, as an installation writes it: with PYTHONDONTWRITEBYTECODE set (or a
    read-only checkout), every `playbook` child would otherwise compile the tool's modules on each start."""
    import compileall

    spec = importlib.util.find_spec("playbook_site")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)


def import_check() -> dict[str, Any]:
    """Which heavy modules `playbook validate` imports (`python -X importtime`)."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        synth.generate(content, 40)
        child = run_child(
            [sys.executable, "-X", "importtime", "-m", "playbook_site.cli", "validate", "--content", str(content)], REPO
        )
    modules = {}
    for line in child.output.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and not match.group(3).strip(" ") and len(match.group(3)) == 1:
            modules[match.group(4)] = int(match.group(2)) / 1e6
    names = set(re.findall(r"\|\s*([\w.]+)\s*$", child.output, re.M))
    heavy = {
        name: any(n == name or n.startswith(name + ".") for n in names)
        for name in ("mkdocs", "jinja2", "markdown", "material", "mike")
    }
    top = sorted(modules.items(), key=lambda item: -item[1])[:6]
    return {"heavy": heavy, "top": top, "total": sum(modules.values())}


def write_report(
    path: Path,
    results: list[SizeResult],
    info: dict[str, str],
    imports: dict[str, Any],
    meta: dict[str, Any],
    long_series: dict[str, Any] | None = None,
    unknown_keys: dict[str, float] | None = None,
) -> str:
    long_series = long_series or {}
    head = "| | " + " | ".join(f"{r.figures['entities']:,.0f} entities" for r in results) + " |"
    rule = "| --- |" + " --- |" * len(results)

    def row(label: str, key: str, unit: str = "s", digits: int = 2, scale: float = 1.0) -> str:
        return f"| {label} | " + " | ".join(fmt(r.figures.get(key, float("nan")) * scale, unit, digits) for r in results) + " |"

    lines = [
        "# Benchmarks",
        "",
        "Figures measured by `bench/run.py` (run it with `make bench`); this file is its output. Synthetic playbooks",
        "from `bench/synth.py` (roles in `reports_to` trees, KPIs tied to roles and lead stages, a checklist, the",
        "alignment model, a glossary; valid under `playbook validate`). Times are medians of repeated runs,",
        "wall-clock, unless marked CPU.",
        "",
        f"Measured on {meta['date']} with `{meta['command']}`; the run took {meta['duration'] / 60:.1f} minutes.",
        "Repeats per size: " + ", ".join(f"{r.size:,}: {r.repeat}" for r in results) + ".",
        f"Load average before and after: {meta['load_before']} / {meta['load_after']}. Other work on the machine slows wall"
        " times; CPU times are less affected.",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
        "## Figures",
        "",
        head,
        rule,
        row("content (YAML)", "content_mb", "MB", 1),
        row("`playbook validate --no-cache` (child process, from interpreter start)", "validate_s"),
        row("`playbook validate --no-cache`, CPU", "validate_cpu_s"),
        row("`playbook validate --no-cache`, peak memory", "validate_rss_mb", "MB", 0),
        row("`playbook validate` re-run, one file changed, cache warm", "rerun_s"),
        row("`playbook validate` re-run, CPU", "rerun_cpu_s"),
        row("generator: load and check (in-process)", "load_s"),
        row("generator: render pages (in-process)", "render_s"),
        row("generator: load + render", "generator_s"),
        row("`mkdocs build --strict` (child process)", "build_s"),
        row("`mkdocs build --strict`, CPU", "build_cpu_s"),
        row("`mkdocs build --strict`, peak memory", "build_rss_mb", "MB", 0),
        row("floor: plain Markdown, no plugin (child process)", "floor_s"),
        row("floor, CPU", "floor_cpu_s"),
        row("floor, peak memory", "floor_rss_mb", "MB", 0),
        row("build / floor", "build_over_floor", "x"),
        row("build / floor, CPU", "build_over_floor_cpu", "x"),
        row("`playbook build --engine zensical` (child process)", "zensical_s"),
        row("`playbook build --engine zensical`, CPU", "zensical_cpu_s"),
        row("`playbook build --engine zensical`, peak memory", "zensical_rss_mb", "MB", 0),
        row("Zensical floor: plain Markdown, no plugin (child process)", "zensical_floor_s"),
        row("Zensical floor, CPU", "zensical_floor_cpu_s"),
        row("Zensical build / Zensical floor", "zensical_over_floor", "x"),
        row("Zensical build / Zensical floor, CPU", "zensical_over_floor_cpu", "x"),
        row("site: HTML pages", "site_pages", "", 0),
        row("site: size", "site_mb", "MB", 1),
        row("site: largest page", "largest_mb", "MB", 2),
        row("site: search index", "index_mb", "MB", 1),
        row("navigation on a role page: links", "nav_links", "", 0),
        row("navigation on a role page: size", "nav_kb", "kB", 1),
        row("build time per entity", "per_entity_ms", "ms", 1),
        row("`playbook serve`: first build until the page answers", "serve_startup_s"),
        row("`playbook serve`: edit saved until the page shows it", "serve_latency_s"),
        row("`playbook serve`: MkDocs' own rebuild time", "serve_build_s"),
        row("`playbook serve --engine zensical`: first build until the page answers", "zensical_serve_startup_s"),
        row("`playbook serve --engine zensical`: edit saved until the page shows it", "zensical_serve_latency_s"),
        "",
        "Largest page of each site: " + ", ".join(f"{r.size:,}: `{r.largest}`" for r in results) + ".",
        "",
        "## Targets",
        "",
        "| target | measured | verdict |",
        "| --- | --- | --- |",
        *[
            f"| {t} | {m} | {v} |"
            for t, m, v in targets(results) + long_series_targets(long_series) + unknown_keys_targets(unknown_keys)
        ],
        "",
        *long_series_section(long_series),
        "## Where a build spends its time",
        "",
        "An instrumented build in the benchmark's own process (MkDocs' steps timed; the sum of the steps is the",
        "build minus Python start-up and imports).",
        "",
        head,
        rule,
    ]
    for phase in results[0].phases:
        if phase.startswith(("plugin:", "page:")):
            continue
        lines.append(f"| {phase} | " + " | ".join(fmt(r.phases[phase]) for r in results) + " |")
    lines += [
        "",
        "The same, for the rebuild `mkdocs serve` does after one role file was edited (the plugin instance and its",
        "page cache kept, as in `serve`):",
        "",
        head,
        rule,
    ]
    for phase in next((r.serve_phases for r in results if r.serve_phases), {}):
        if phase.startswith(("plugin:", "page:")):
            continue
        lines.append(f"| {phase} | " + " | ".join(fmt(r.serve_phases.get(phase, float("nan"))) for r in results) + " |")
    lines += [
        "",
        "Sizes without figures here were not served (`--serve-up-to`: each serve measurement needs two more builds).",
    ]
    notes = [f"{r.size:,}: {note}" for r in results for note in r.notes]
    if notes:
        lines += ["", "Notes: " + "; ".join(notes) + "."]
    heavy = ", ".join(f"{name}: {'imported' if found else 'not imported'}" for name, found in imports["heavy"].items())
    top = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in imports["top"])
    lines += [
        "",
        "## Imports",
        "",
        f"`python -X importtime -m playbook_site.cli validate`: {heavy}. Largest top-level imports: {top}.",
        "",
    ]
    lines += EXPLANATIONS.strip("\n").splitlines()
    lines.append("")
    text = "\n".join(lines)
    path.write_text(text, encoding="utf-8")
    return text


EXPLANATIONS = """
## The floor

The floor is what the same site costs when MkDocs does the work the playbook spares it: every page
the playbook generates, converted from its finished HTML back into the Markdown a person would write
for it (`bench/floor.py`), built by plain MkDocs and Material with no playbook plugin. The Markdown
has the headings with their ids (`## Responsibilities {#responsibilities}`, attr_list), paragraphs,
bold, italics and code, nested lists, pipe tables (centred columns as `:-:`), links written to the
pages' Markdown files (`[Win rate](../kpis.md#win-rate)`, so MkDocs resolves and checks each link as
it does for pages written by hand), the abbreviations as `*[MQL]: definition` lines (the `abbr`
extension marks every use on the page), the onboarding checklist as task list items, the styled
blocks as `<div class="..." markdown="1">` (md_in_html), and the funnel SVG and the self-assessment
form as raw HTML. Its mkdocs.yml is the playbook's own: the same theme, template overrides,
features, palette, navigation, `markdown_extensions` and search plugin with the same separator.
The benchmark checks that the floor's site has as many pages as the real one.

## What the build no longer does

- **Markdown.** The plugin renders content text once into finished HTML and hands each generated
  page to MkDocs as it is (no Python-Markdown), with its table of contents and anchors.
- **The navigation of every page** (`site/theme_cache.py`, `NavMemo`). Material renders the whole
  navigation into every page, one macro call per item. A part of it that holds neither the page nor
  a link below the page's folder renders the same for every page with the same parent folder; it is
  rendered once and reused. Material's template is used as it is, its `render` macro put behind the
  memo; a test builds a grouped site both ways and compares every byte.
- **The search index's HTML parser.** Material reads each page with Python's HTMLParser. The
  playbook's pages are read by a tokenizer that follows Material's parser rule for rule (sections at
  headings with an id, the kept tags, whitespace, permalinks), and hands the sections to Material's
  own code; a page holding anything that only Material's parser handles (`pre`, scripts, comments,
  excluded blocks) is read by it. The search index is byte-identical (tested).
- **Reading every page's ids for every link.** The link check between generated pages found each
  page's anchors again for every link to it (14 s of CPU at 1,000 entities before this round).

## Serve

`mkdocs serve` runs a full build after every change, and cleans the site folder first. The plugin
keeps its instance across rebuilds (`on_startup`), and with it:

- each content file's own check (parse, validation, links), kept in memory by the hash of its bytes;
  the checks across files run over the whole playbook every time;
- a page's finished output (Material's HTML) and its search entries, kept by everything they are made
  from: the page's HTML, table of contents, title, metadata, URL, previous and next pages, parents,
  the whole navigation (titles, URLs, pages' metadata), the configuration and the theme's template
  files; 404.html and sitemap.xml by the site and the pages' dates;
- the theme's compiled templates (a Jinja bytecode cache: MkDocs makes a new environment each build);
- the writer of content text, with its memo of every text written on every page, while the
  playbook's abbreviations are the same.

- what each page of the playbook read while it rendered (site/incremental.py): the entities it
  showed or linked to (a link reads only the name), a KPI's results, activity.yml, the parts of
  playbook-wide files, and the last render's pages.

A rebuild compares the new content with the last, entity by entity, and renders again only the pages
that read something that changed; anything every page may read without asking (the ids of each
kind, the references between entities, the abbreviations, the pages' paths and titles,
playbook.yml, where each file is, the templates, the day, the settings) renders every page when it
differs. A test edits random fields of the bundled playbook and of a generated one and compares each
incremental render with a full one, byte for byte; another counts the pages a KPI's target edit
renders on both engines (the pages that show the KPI, counted from the content). The theme and the
search index then run only for the pages whose output changed. Tests
check that a serve rebuild is byte-identical to a build from scratch after a page's title changed
(the navigation of every page), an entity was added and removed, an abbreviation changed, a page
written by hand changed or was added, and mkdocs.yml changed. With Zensical, the standalone project
is written again (only files whose bytes changed: the pages rendered again, and the data files) and
Zensical rebuilds those pages.

## validate

`playbook validate` keeps what each file's own check found (its problems, its value, its links) in a
cache kept by the SHA-256 of the file's bytes, its path, what it is, the folder's name as problems
show it and the tool's fingerprint (its version, the source of the modules that check content,
Python, pydantic and PyYAML). The checks across files always run over the whole playbook. The cache
lives in `$PLAYBOOK_CACHE_DIR`, else `$XDG_CACHE_HOME/playbook`, else `~/.cache/playbook`, one file
per content folder; it is a pickle, so it is never kept inside the repository, where a pull request
could place one. Deleting it is always safe; a damaged, old or unwritable cache is ignored;
`--no-cache` ignores it. Tests check that a cached run reports exactly what an uncached run reports
(the full problem lists) after a file is broken, renamed, deleted, two files are swapped, a reference
target is renamed, a results CSV file or activity.yml changes, the tool's fingerprint changes, and a
file changes with its modification time kept.

## Scaling

No page grows as roles times rows: the responsibility matrix is split into parts of 40 roles, each
with only the rows that name one of its roles. The navigation is grouped (no level holds more than
40 entries), so with `navigation.prune` a role page carries its group's links and the group titles:
the "navigation on a role page" rows above stay nearly flat as the playbook grows. What grows
linearly on single pages: the KPI page, the lead page, the glossary, the roles index and the home
page list every entity of their kind, and the search index holds every page's text (the largest
page is named above). At tens of thousands of KPIs a page per KPI (`kpis/<id>/`, like the roles)
would be better for readers; it was not done because other pages and tests link to `kpis/#<id>`.
"""


# --- main ------------------------------------------------------------------------------------


def measure_bundled(args: argparse.Namespace, work: Path) -> tuple[dict[str, Any], dict[str, float]]:
    """The figures measured on the bundled playbook (issue 27): a long results series, unknown keys."""
    long_series: dict[str, Any] = {}
    if args.long_series != "none":
        say("\n== a long results series (the bundled playbook)")
        series_work = work if args.work is not None else Path(tempfile.mkdtemp(prefix="playbook-bench-series-"))
        try:
            long_series = measure_long_series(series_work, args.repeat, since_1900=args.long_series == "full")
        finally:
            if args.work is None:
                shutil.rmtree(series_work, ignore_errors=True)
    say("\n== twelve thousand unknown keys in one file (the bundled playbook)")
    keys_work = Path(tempfile.mkdtemp(prefix="playbook-bench-keys-"))
    try:
        unknown_keys = measure_unknown_keys(keys_work, args.repeat)
    finally:
        shutil.rmtree(keys_work, ignore_errors=True)
    return long_series, unknown_keys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,5000", help="entity counts, comma-separated (default: 100,1000,5000)")
    parser.add_argument("--large", action="store_true", help=f"add the {LARGE:,}-entity size (long: about half an hour)")
    parser.add_argument(
        "--zensical-up-to",
        type=int,
        default=5000,
        help="build with Zensical (and serve with it) at sizes up to this many entities (default: 5000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is reported (default: 3)")
    parser.add_argument(
        "--large-repeat", type=int, default=1, help="runs of each measurement at sizes of 2,000 entities and more (default: 1)"
    )
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md", help="the report to write (default: BENCHMARKS.md)")
    parser.add_argument("--work", type=Path, help="where to write the playbooks and sites (default: a temporary directory)")
    parser.add_argument(
        "--floor-up-to",
        type=int,
        default=5000,
        help="build the floor at sizes up to this many entities (default: 5000, the largest size its target names)",
    )
    parser.add_argument("--no-serve", action="store_true", help="skip the `playbook serve` measurements")
    parser.add_argument(
        "--long-series",
        choices=("full", "ten-years", "none"),
        default="full",
        help="build the bundled playbook with a long results series: ten years of daily results and daily"
        " results since 1900 (full, the default), only the ten years, or not at all",
    )
    parser.add_argument(
        "--serve-up-to",
        type=int,
        default=1000,
        help="measure `playbook serve` rebuilds at sizes up to this many entities (default: 1000; each needs two more builds)",
    )
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()} | ({LARGE} if args.large else set()))
    except ValueError:
        parser.error(f"--sizes takes numbers separated by commas, not {args.sizes!r}")
    if not sizes or min(sizes) < 50:
        parser.error("each size must be at least 50 entities")
    if args.repeat < 1 or args.large_repeat < 1:
        parser.error("--repeat and --large-repeat must be at least 1")

    started = time.perf_counter()
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    info = machine()
    compiled_package()
    say("Playbook benchmark\n" + "\n".join(f"  {k}: {v}" for k, v in info.items()))
    imports = import_check()
    say(f"  validate imports: {imports['heavy']}")

    work = args.work or Path(tempfile.mkdtemp(prefix="playbook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[SizeResult] = []
    try:
        for size in sizes:
            repeat = args.large_repeat if size >= 2000 else args.repeat
            zensical = size <= args.zensical_up_to and importlib.util.find_spec("zensical") is not None
            result = measure_size(
                size,
                repeat,
                work,
                serve=not args.no_serve and size <= args.serve_up_to,
                zensical=zensical,
                floor=size <= args.floor_up_to,
            )
            result.figures["per_entity_ms"] = result.figures["build_s"] / result.figures["entities"] * 1000
            results.append(result)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    long_series, unknown_keys = measure_bundled(args, work)
    meta = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "duration": time.perf_counter() - started,
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    report = write_report(args.out, results, info, imports, meta, long_series, unknown_keys)
    say("\nTargets:")
    for target, measured, why in targets(results) + long_series_targets(long_series) + unknown_keys_targets(unknown_keys):
        say(f"  {target}: {measured} -> {why.split(':')[0].strip('*')}")
    say(f"\nWrote {args.out} in {meta['duration'] / 60:.1f} minutes. The report:\n")
    say(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
