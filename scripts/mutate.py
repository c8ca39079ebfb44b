"""Mutation testing of the core (`make mutate`): mutmut over each module with the tests that hold it.

mutmut finds a package only under ./, src/ or source/ and names each mutant by its file's path, so
it is run in a work folder, build/mutate/GROUP/, where `src` is a link to generator/ (the package's
module names are then its own: playbook_site.content.health) and the other top-level folders the
tests read (content/, templates/, tests/, README.md, ...) are links to the checkout's. mutmut copies
all of it into that folder's mutants/ and mutates the copy; the checkout is never changed.

One group per module, each with its own tests (GROUPS below): mutmut collects which test calls
which function from the group's tests only, so a run stays within minutes. The shared settings are
`[tool.mutmut]` in pyproject.toml; this script adds each group's `only_mutate` and test selection to
the work folder's copy. It prints killed, survived and the score per group and in all; the
survivors and the reason each is left are in reference/mutation.md.

    python scripts/mutate.py                 every group
    python scripts/mutate.py health csp      the groups named
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WORK = REPO / "build" / "mutate"
MUTMUT = Path(sys.executable).with_name("mutmut")

# group: (the files mutated, below generator/; the tests run against them)
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "health": (["playbook_site/content/health.py"], ["tests/test_health.py"]),
    "rules": (["playbook_site/content/rules.py"], ["tests/test_errors.py", "tests/test_load.py"]),
    "revision": (["playbook_site/publishing/revision.py"], ["tests/test_revision_safety.py"]),
    "html": (["playbook_site/site/html.py"], ["tests/test_html.py", "tests/test_render.py"]),
    "escaping": (["playbook_site/text.py", "playbook_site/site/csp.py"], ["tests/test_escaping.py", "tests/test_csp.py", "tests/test_html.py"]),
}
SKIPPED = {".git", ".venv", "build", "generator", "mutants", "site"}  # never linked into a work folder


def work_folder(group: str) -> Path:
    """build/mutate/GROUP/ with its links and its pyproject.toml (the group's selection added)."""
    mutated, tests = GROUPS[group]
    folder = WORK / group
    folder.mkdir(parents=True, exist_ok=True)
    links = {"src": REPO / "generator"} | {p.name: p for p in REPO.iterdir() if p.name not in SKIPPED | {"pyproject.toml"}}
    for name, target in links.items():
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(target)
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    selection = (
        f"only_mutate = {json.dumps(['src/' + m for m in mutated])}\npytest_add_cli_args_test_selection = {json.dumps(tests)}\n"
    )
    assert "\n[tool.mutmut]\n" in text, "pyproject.toml has no [tool.mutmut] table"
    (folder / "pyproject.toml").write_text(
        text.replace("\n[tool.mutmut]\n", "\n[tool.mutmut]\n" + selection, 1), encoding="utf-8"
    )
    return folder


def run(group: str) -> dict[str, int]:
    folder = work_folder(group)
    print(f"== {group}: {', '.join(GROUPS[group][0])} against {', '.join(GROUPS[group][1])}", flush=True)
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    shutil.rmtree(folder / "mutants", ignore_errors=True)  # mutmut keeps verdicts across runs even when the tests changed
    subprocess.run([str(MUTMUT), "run", "--max-children", "2"], cwd=folder, env=env, check=True)
    subprocess.run([str(MUTMUT), "export-cicd-stats"], cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)
    stats: dict[str, int] = json.loads((folder / "mutants" / "mutmut-cicd-stats.json").read_text(encoding="utf-8"))
    survivors = subprocess.run([str(MUTMUT), "results"], cwd=folder, env=env, check=True, capture_output=True, text=True)
    (folder / "survivors.txt").write_text(survivors.stdout, encoding="utf-8")
    return stats


def score(stats: dict[str, int]) -> str:
    tried = stats["killed"] + stats["survived"]
    percent = 100 * stats["killed"] / tried if tried else 0.0
    return f"killed {stats['killed']:4}  survived {stats['survived']:3}  no tests {stats['no_tests']:3}  timeout {stats['timeout']:2}  score {percent:5.1f}%"


def main(names: list[str]) -> int:
    unknown = [name for name in names if name not in GROUPS]
    if unknown:
        print(f"unknown group {', '.join(unknown)}; the groups are {', '.join(GROUPS)}", file=sys.stderr)
        return 2
    results = {group: run(group) for group in names or list(GROUPS)}
    print("\nMutation score (killed / (killed + survived)); survivors listed in build/mutate/GROUP/survivors.txt")
    for group, stats in results.items():
        print(f"  {group:9} {score(stats)}")
    total = {key: sum(stats[key] for stats in results.values()) for key in ("killed", "survived", "no_tests", "timeout")}
    print(f"  {'all':9} {score(total)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
