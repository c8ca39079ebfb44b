"""The playbook benchmark: `make bench`, or `.venv/bin/python bench/run.py [--sizes ...] [--out FILE]`.

For each size it writes a synthetic playbook (bench/synth.py) and measures, as medians of repeated runs:

- `playbook validate` as a user runs it (a child process: interpreter start, imports, load, checks);
- the generator's own time in-process (load + render), and the playbook plugin's share of a build;
- a full `mkdocs build --strict` (a child process), its peak memory, the site's size and pages;
- the floor: the same pages written as plain Markdown (`playbook generate` + `playbook export`)
  built by MkDocs with the same theme and navigation and no playbook plugin;
- where the build's time goes (an instrumented in-process build: plugin, Markdown, theme, search);
- `playbook serve`: the time from saving one role file to the served page showing the change.

It prints each figure as it is measured and writes a Markdown report (BENCHMARKS.md by default) with
the machine, the figures, the ratios and each target, met or not, and why.
"""

from __future__ import annotations

import argparse
import importlib.metadata
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
from datetime import datetime, timezone
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

# The targets of issue 8, on a 2-core machine.
VALIDATE_TARGET_S = 0.5  # validate of 1,000 entities, including interpreter start
GENERATOR_SHARE_TARGET = 0.10  # the generator's time against a full build
PER_ENTITY_TARGET = 1.5  # build time per entity at the largest size against the smallest
SERVE_TARGET_S = 2.0  # a serve rebuild after a one-file edit at 1,000 entities


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


def site_stats(site: Path) -> tuple[int, float]:
    """(HTML pages, total size in MB) of a built site."""
    pages = sum(1 for _ in site.rglob("*.html"))
    size = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    return pages, size / 1e6


# --- in-process measurements -----------------------------------------------------------------


def time_generator(project: Path, repeat: int) -> dict[str, float]:
    """Load (with every check) and render, in this process, as the plugin does in `on_config`."""
    from generator.clock import today
    from generator.content import load_all
    from generator.site.render import render

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


def time_builds(project: Path, site: Path, repeat: int) -> tuple[float, float, float, float, float]:
    """`mkdocs build --strict` of `project` into `site`, `repeat` times from scratch: the median wall and
    CPU seconds, the peak memory (MB), and the site's pages and size (MB)."""
    builds = []
    for _ in range(repeat):
        if site.exists():
            shutil.rmtree(site)
        builds.append(run_child([str(BIN / "mkdocs"), "build", "--strict", "-q", "-d", str(site)], project))
    pages, size_mb = site_stats(site)
    return median([b.wall for b in builds]), median([b.cpu for b in builds]), max(b.rss_mb for b in builds), pages, size_mb


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


def measure_serve(project: Path, role_id: str, repeat: int, *, startup_limit: float) -> dict[str, Any]:
    """Start `playbook serve` on 127.0.0.1, edit one role file `repeat` times, time each change."""
    port = free_port()
    log_path = project / "serve.log"
    role_file = project / "content" / "roles" / f"{role_id}.yml"
    original = role_file.read_text(encoding="utf-8")
    url = f"http://127.0.0.1:{port}/roles/{role_id}/"
    log = log_path.open("w")
    started = time.perf_counter()
    server = subprocess.Popen(
        [str(BIN / "playbook"), "serve", "-f", "mkdocs.yml", "-a", f"127.0.0.1:{port}"],
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
            deadline = time.perf_counter() + 60
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
    notes: list[str] = field(default_factory=list)


def measure_size(size: int, repeat: int, work: Path, *, serve: bool) -> SizeResult:
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

    runs = [run_child([str(BIN / "playbook"), "validate", "--content", "content"], project) for _ in range(repeat)]
    f["validate_s"] = median([r.wall for r in runs])
    f["validate_cpu_s"] = median([r.cpu for r in runs])
    f["validate_rss_mb"] = max(r.rss_mb for r in runs)
    say(f"  playbook validate        {f['validate_s']:7.2f} s   (cpu {f['validate_cpu_s']:.2f} s, {f['validate_rss_mb']:.0f} MB)")

    generator = time_generator(project, repeat)
    f["load_s"], f["render_s"], f["generator_s"] = generator["load"], generator["render"], generator["total"]
    f["generated_pages"] = generator["pages"]
    say(
        f"  generator (load+render)  {f['generator_s']:7.2f} s   (load {f['load_s']:.2f} s, render {f['render_s']:.2f} s, in-process)"
    )

    f["build_s"], f["build_cpu_s"], f["build_rss_mb"], f["site_pages"], f["site_mb"] = time_builds(project, root / "site", repeat)
    say(
        f"  mkdocs build --strict    {f['build_s']:7.2f} s   (cpu {f['build_cpu_s']:.2f} s, peak {f['build_rss_mb']:.0f} MB,"
        f" {f['site_pages']:.0f} pages, {f['site_mb']:.1f} MB)"
    )

    plain = make_plain_project(root, project)
    f["floor_s"], f["floor_cpu_s"], f["floor_rss_mb"], f["floor_pages"], f["floor_mb"] = time_builds(
        plain, root / "plain-site", repeat
    )
    f["build_over_floor"] = f["build_s"] / f["floor_s"]
    say(
        f"  floor (plain Markdown)   {f['floor_s']:7.2f} s   (cpu {f['floor_cpu_s']:.2f} s, peak {f['floor_rss_mb']:.0f} MB;"
        f" build/floor {f['build_over_floor']:.2f}x)"
    )

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

    served = measure_serve(project, role_id, repeat, startup_limit=max(120.0, f["build_s"] * 6))
    f["serve_startup_s"] = served["startup"]
    f["serve_latency_s"] = served["latency"]
    f["serve_build_s"] = served["build"]
    say(
        f"  playbook serve edit      {f['serve_latency_s']:7.2f} s   (edit saved -> page shows it; MkDocs rebuild"
        f" {f['serve_build_s']:.2f} s; first build {f['serve_startup_s']:.1f} s)"
    )
    return result


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


def targets(results: list[SizeResult]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict and why) for each of the four targets."""
    by_size = {r.size: r.figures for r in results}
    rows: list[tuple[str, str, str]] = []
    at_1000 = by_size.get(1000)

    if at_1000:
        v = at_1000["validate_s"]
        ok = v < VALIDATE_TARGET_S
        why = (
            f"the child process takes {fmt(v)} wall ({fmt(at_1000['validate_cpu_s'])} CPU) from interpreter start to exit;"
            f" of that, loading and checking {at_1000['entities']:.0f} entities takes {fmt(at_1000['load_s'])}."
            " `validate` imports neither MkDocs nor Jinja (see Imports below)."
        )
        if not ok:
            why += (
                f" The other {fmt(max(v - at_1000['load_s'], 0.0))} is the interpreter starting and importing what"
                " validation needs: pydantic (which builds the content models' validators at import), click and"
                " PyYAML (the largest imports are listed below). Loading itself is libyaml composing nodes, a"
                " Python walk that records every value's line and column, and pydantic validating each file."
                " What would meet it: a cache of validated files keyed by their content hash (re-checking only"
                " cross-references) would make a re-run proportional to the files changed; that leaves the imports,"
                " so a long-running checker (an editor's language server, or `playbook serve`, which validates on"
                " every save) is the way to stay far under 0.5 s."
            )
        rows.append((f"`playbook validate`, 1,000 entities < {VALIDATE_TARGET_S} s", fmt(v), f"{verdict(ok)}: {why}"))
    else:
        rows.append((f"`playbook validate`, 1,000 entities < {VALIDATE_TARGET_S} s", "–", "not measured at this size"))

    shares = [
        (r.size, r.figures["generator_s"] / r.figures["build_s"], r.figures["plugin_in_build_s"] / r.phases["total"])
        for r in results
    ]
    worst = max(shares, key=lambda item: item[1])
    ok = all(share < GENERATOR_SHARE_TARGET for _size, share, _plugin in shares)
    detail = "; ".join(f"{size:,}: {share:.1%} (plugin inside a build {plugin:.1%})" for size, share, plugin in shares)
    why = (
        "load + render in-process, against the median wall time of `mkdocs build --strict` (child process) at the same"
        f" size. {detail}."
    )
    if not ok:
        why += (
            f" The worst is {worst[0]:,} entities. The plugin's own share is the load and checks (which MkDocs cannot"
            " skip: a build must refuse bad content) plus rendering; what would meet it is a smaller plugin share,"
            " e.g. caching validated files between builds."
        )
    rows.append((f"generator < {GENERATOR_SHARE_TARGET:.0%} of a full build", f"{worst[1]:.1%} (worst)", f"{verdict(ok)}: {why}"))

    small, large = min(results, key=lambda r: r.size), max(results, key=lambda r: r.size)
    if small.size != large.size:
        per_small = small.figures["build_s"] / small.figures["entities"]
        per_large = large.figures["build_s"] / large.figures["entities"]
        ratio = per_large / per_small
        slopes = []
        ordered = sorted(results, key=lambda r: r.size)
        for a, b in zip(ordered, ordered[1:], strict=False):
            slopes.append((b.figures["build_s"] - a.figures["build_s"]) / (b.figures["entities"] - a.figures["entities"]))
        slope_ratio = slopes[-1] / slopes[0] if len(slopes) > 1 and slopes[0] > 0 else float("nan")
        cpu_ratio = (large.figures["build_cpu_s"] / large.figures["entities"]) / (
            small.figures["build_cpu_s"] / small.figures["entities"]
        )
        ok = ratio <= PER_ENTITY_TARGET
        why = (
            f"{per_small * 1000:.1f} ms per entity at {small.size:,} and {per_large * 1000:.1f} ms at {large.size:,}"
            f" (wall; CPU time gives {cpu_ratio:.2f}x). The fixed cost of a build (interpreter, imports, theme assets)"
            " weighs on the small size, so the time each added entity costs is shown too: "
            + ", ".join(f"{s * 1000:.1f} ms" for s in slopes)
            + " per added entity between successive sizes"
            + (f" ({slope_ratio:.2f}x from the first step to the last)." if slope_ratio == slope_ratio else ".")
        )
        if not ok:
            why += " What grows faster than the content is listed under Scaling below."
        rows.append(
            (
                f"build time per entity, {large.size:,} vs {small.size:,}, within {PER_ENTITY_TARGET}x",
                f"{ratio:.2f}x",
                f"{verdict(ok)}: {why}",
            )
        )
    else:
        rows.append((f"build time per entity within {PER_ENTITY_TARGET}x", "–", "needs at least two sizes"))

    if at_1000 and "serve_latency_s" in at_1000:
        latency = at_1000["serve_latency_s"]
        ok = latency < SERVE_TARGET_S
        why = (
            f"from saving the YAML file to the served page containing the change, {fmt(latency)} (median); MkDocs"
            f" reports the rebuild itself as {fmt(at_1000['serve_build_s'])}. The rest is MkDocs' file watcher, which"
            " polls every 0.5 s and waits 0.1 s for more changes."
        )
        if not ok:
            why += " See Serve below for what the rebuild spends its time on and what would meet the target."
        rows.append(
            (f"`serve` rebuild after a one-file edit, 1,000 entities < {SERVE_TARGET_S} s", fmt(latency), f"{verdict(ok)}: {why}")
        )
    else:
        rows.append(
            (f"`serve` rebuild after a one-file edit, 1,000 entities < {SERVE_TARGET_S} s", "–", "not measured at this size")
        )
    return rows


def import_check() -> dict[str, Any]:
    """Which heavy modules `playbook validate` imports (`python -X importtime`)."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        synth.generate(content, 40)
        child = run_child(
            [sys.executable, "-X", "importtime", "-m", "generator.cli", "validate", "--content", str(content)], REPO
        )
    modules = {}
    for line in child.output.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if match and not match.group(3).strip(" ") and len(match.group(3)) == 1:
            modules[match.group(4)] = int(match.group(2)) / 1e6
    names = set(re.findall(r"\|\s*([\w.]+)\s*$", child.output, re.M))
    heavy = {
        name: any(n == name or n.startswith(name + ".") for n in names) for name in ("mkdocs", "jinja2", "markdown", "material")
    }
    top = sorted(modules.items(), key=lambda item: -item[1])[:6]
    return {"heavy": heavy, "top": top, "total": sum(modules.values())}


def write_report(
    path: Path, results: list[SizeResult], info: dict[str, str], imports: dict[str, Any], meta: dict[str, Any]
) -> None:
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
        row("`playbook validate` (child process, from interpreter start)", "validate_s"),
        row("`playbook validate`, CPU", "validate_cpu_s"),
        row("`playbook validate`, peak memory", "validate_rss_mb", "MB", 0),
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
        row("site: HTML pages", "site_pages", "", 0),
        row("site: size", "site_mb", "MB", 1),
        row("build time per entity", "per_entity_ms", "ms", 1),
        row("`playbook serve`: first build until the page answers", "serve_startup_s"),
        row("`playbook serve`: edit saved until the page shows it", "serve_latency_s"),
        row("`playbook serve`: MkDocs' own rebuild time", "serve_build_s"),
        "",
        "## Targets",
        "",
        "| target | measured | verdict |",
        "| --- | --- | --- |",
        *[f"| {t} | {m} | {v} |" for t, m, v in targets(results)],
        "",
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
        "Sizes without figures here were not served (`--serve-up-to`: each serve measurement needs two more",
        "builds). The pages whose Markdown took longest to convert in the full build:",
        "",
        "| entities | pages (Markdown to HTML) |",
        "| --- | --- |",
    ]
    for r in results:
        pages = [(k.split(":", 2)[2], v) for k, v in r.phases.items() if k.startswith("page:")]
        lines.append(f"| {r.figures['entities']:,.0f} | " + ", ".join(f"`{uri}` {fmt(v)}" for uri, v in pages) + " |")
    heavy = ", ".join(f"{name}: {'imported' if found else 'not imported'}" for name, found in imports["heavy"].items())
    top = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in imports["top"])
    lines += [
        "",
        "## Imports",
        "",
        f"`python -X importtime -m generator.cli validate`: {heavy}. Largest top-level imports: {top}.",
        "",
    ]
    lines += EXPLANATIONS.strip("\n").splitlines()
    lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


EXPLANATIONS = """
## Scaling

What was quadratic, and what was done (each measured with this benchmark):

- **Abbreviation definitions on every page.** Every page carried every `*[ABBR]: ...` definition, and
  Python-Markdown's `abbr` block processor re-scans the remaining block once per definition: 1,000
  entities took minutes to build. Now each page carries only the definitions it uses
  (`generator/scaling.py`, `AbbreviationIndex`); the abbreviation links added in `on_page_content`
  are computed once per build and only for the abbreviations present on the page.
- **Navigation.** Material renders the navigation into every page; with `navigation.prune` only the
  active section is expanded, so a function with hundreds of roles still put every one of them on each
  of their pages. A function with more than 40 roles is now split into alphabetical groups titled
  like a dictionary's guide words ("Account Executive, B – Channel Account Manager, I"), so a page
  carries its group's links and the group titles. URLs do not change (`roles/<id>/`).
- **Reference lookups.** Cross-reference checks and templates look entities up in dictionaries built
  once; the list kinds (checklist steps, alignment stages, statements, glossary terms) are indexed
  once per playbook instead of being rebuilt for every lookup.

What still grows with the content on single pages: the KPI page, the lead page, the glossary, the roles
index and the home page list every entity of their kind (linear in the number of entities, on one page
each), and the responsibility matrix has a cell for every role and every checklist step or lead stage
(roles x rows). The KPI page is the largest page of the site: its Markdown, its HTML, the search
index entry and the table of contents grow with the number of KPIs, and a reader's browser has to load
it whole. At a few hundred KPIs a page per KPI (`kpis/<id>/`, like the roles) would be better for
readers and for incremental rebuilds; it was not done here because other pages and tests link to
`kpis/#<id>` anchors, and changing those URLs is a decision for the playbook's owners.

## Serve

`mkdocs serve` runs a full build after every change: MkDocs 1.6 has no incremental build (its
`--dirty` mode skips pages by file time, which generated pages do not have, and it leaves the
navigation and search index stale). The playbook plugin keeps its instance across rebuilds
(`on_startup`) and caches, per page, the HTML that Markdown produced, keyed by the page's Markdown and
a fingerprint of the site's files and navigation; an edit to one role file then converts again only
the pages whose Markdown changed (the role's page and the pages that list it). The theme still renders
every page and the search plugin still indexes every page, because MkDocs cleans the site directory on
every build and writes every page again; the figures above show what that costs. What would remove the
rest: a build that writes only the changed pages (MkDocs 2 or Zensical's incremental builds), or
`mkdocs serve --dirty` for generated pages, at the price of a stale navigation and search index.
"""


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,1000,5000", help="entity counts, comma-separated (default: 100,1000,5000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement; the median is reported (default: 3)")
    parser.add_argument(
        "--large-repeat", type=int, default=1, help="runs of each measurement at sizes of 2,000 entities and more (default: 1)"
    )
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md", help="the report to write (default: BENCHMARKS.md)")
    parser.add_argument("--work", type=Path, help="where to write the playbooks and sites (default: a temporary directory)")
    parser.add_argument("--no-serve", action="store_true", help="skip the `playbook serve` measurements")
    parser.add_argument(
        "--serve-up-to",
        type=int,
        default=1000,
        help="measure `playbook serve` rebuilds at sizes up to this many entities (default: 1000; each needs two more builds)",
    )
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        parser.error(f"--sizes takes numbers separated by commas, not {args.sizes!r}")
    if not sizes or min(sizes) < 50:
        parser.error("each size must be at least 50 entities")
    if args.repeat < 1 or args.large_repeat < 1:
        parser.error("--repeat and --large-repeat must be at least 1")

    started = time.perf_counter()
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    info = machine()
    say("Playbook benchmark\n" + "\n".join(f"  {k}: {v}" for k, v in info.items()))
    imports = import_check()
    say(f"  validate imports: {imports['heavy']}")

    work = args.work or Path(tempfile.mkdtemp(prefix="playbook-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[SizeResult] = []
    try:
        for size in sizes:
            repeat = args.large_repeat if size >= 2000 else args.repeat
            result = measure_size(size, repeat, work, serve=not args.no_serve and size <= args.serve_up_to)
            result.figures["per_entity_ms"] = result.figures["build_s"] / result.figures["entities"] * 1000
            results.append(result)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)

    meta = {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "command": "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "duration": time.perf_counter() - started,
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    write_report(args.out, results, info, imports, meta)
    say("\nTargets:")
    for target, measured, why in targets(results):
        say(f"  {target}: {measured} -> {why.split(':')[0].strip('*')}")
    say(f"\nWrote {args.out} in {meta['duration'] / 60:.1f} minutes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
