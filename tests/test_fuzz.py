"""Property tests: whatever YAML is thrown at the loader, it returns a playbook or reports problems."""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

import yaml
from conftest import DEFAULT_CONTENT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.errors import ContentError
from generator.load import load
from generator.model import Playbook

FILES = sorted(p.relative_to(DEFAULT_CONTENT).as_posix() for p in DEFAULT_CONTENT.rglob("*.yml"))
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def loads_or_reports(root: Path) -> None:
    try:
        result = load(root)
    except ContentError as error:
        assert error.problems, "a failure always carries at least one problem"
        for problem in error.problems:
            assert problem.path.startswith(str(root)) and problem.message
    else:
        assert isinstance(result, Playbook)


def with_file(rel: str, data: bytes) -> Path:
    root = Path(tempfile.mkdtemp(prefix="fuzz-")) / "content"
    shutil.copytree(DEFAULT_CONTENT, root)
    (root / rel).write_bytes(data)
    return root


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30) | st.dates(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20,
)


@FUZZ
@given(rel=st.sampled_from(FILES), value=yaml_values)
def test_random_yaml_values_in_any_file(rel: str, value: object) -> None:
    root = with_file(rel, yaml.safe_dump(value, allow_unicode=True).encode("utf-8"))
    try:
        loads_or_reports(root)
    finally:
        shutil.rmtree(root.parent)


@FUZZ
@given(rel=st.sampled_from(FILES), data=st.binary(max_size=300))
def test_random_bytes_in_any_file(rel: str, data: bytes) -> None:
    root = with_file(rel, data)
    try:
        loads_or_reports(root)
    finally:
        shutil.rmtree(root.parent)


@FUZZ
@given(rel=st.sampled_from(FILES), seed=st.integers(0, 2**32 - 1), edits=st.integers(1, 6))
def test_random_mutations_of_the_default_content(rel: str, seed: int, edits: int) -> None:
    rng = random.Random(seed)
    text = list((DEFAULT_CONTENT / rel).read_text(encoding="utf-8"))
    alphabet = list(":-[]{}#&*!|>'\"%@`\t\n ,?<é") + ["\x00", "\u2028", "{{", "<script>"]
    for _ in range(edits):
        position = rng.randrange(len(text) + 1)
        action = rng.choice(("insert", "delete", "replace", "duplicate-line"))
        if action == "insert":
            text.insert(position, rng.choice(alphabet))
        elif action == "delete" and text:
            del text[min(position, len(text) - 1)]
        elif action == "replace" and text:
            text[min(position, len(text) - 1)] = rng.choice(alphabet)
        else:
            lines = "".join(text).split("\n")
            index = rng.randrange(len(lines))
            lines.insert(index, lines[index])
            text = list("\n".join(lines))
    root = with_file(rel, "".join(text).encode("utf-8", errors="surrogatepass"))
    try:
        loads_or_reports(root)
    finally:
        shutil.rmtree(root.parent)
