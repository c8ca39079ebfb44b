"""The files of a new playbook repository (`playbook init`), as {path: bytes}. Writes nothing.

Two starters: `example`, the bundled playbook of a B2B software company (the repository's content/,
shipped in the wheel as generator/playbook_site/starter/example/content) made the new organization's, and
`blank`, a small playbook to fill in (generator/playbook_site/starter/blank/content). Either comes with:

- a short mkdocs.yml (the `playbook` plugin does the rest);
- the JSON Schemas for editors (schema/), .github/CODEOWNERS from the approvers;
- the workflows of a repository that holds only content (the trusted pull-request review, the
  pull request built as it is, publishing on a tag) and .pre-commit-config.yaml, each installing
  playbook-site of this very version from the package index;
- .gitignore and a README.md for the playbook's editors.

The organization, the title and the approvers are written into playbook.yml as YAML double-quoted
strings (or in a folded block, inside the summary), so any text but control characters is safe.
The content is loaded and checked with the loader before anything is returned: what `init` writes
validates.
"""

from __future__ import annotations

import json
import re
import tempfile
import textwrap
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from ..content import load_all
from ..content.jsonschema import schema_files
from ..errors import ContentError, UsageError
from ..review.codeowners import CODEOWNERS_PATH, codeowners_text
from ..version import DISTRIBUTION, __version__

STARTERS = ("example", "blank")
DEFAULT_STARTER = "example"
PACKAGE = Path(__file__).resolve().parent.parent  # the playbook_site package (generator/playbook_site/ in a source tree)
STARTER_DIR = PACKAGE / "starter"
REPOSITORY_FILES = STARTER_DIR / "repository"  # copied into the new repository, `github/` as `.github/`
VERSION_TOKEN = "@PLAYBOOK_VERSION@"

# The example's measured numbers and activity record are its company's, not the new organization's.
EXAMPLE_LEFT_OUT = ("results/", "activity.yml", "activity.yaml")
# The example's own company named in its text, said so that it reads right for any organization.
EXAMPLE_WORDING = {
    "on a Northwind channel": "on one of our channels",
    "At Northwind it sits": "Here it sits",
}
# Where entities name their own approvers: the example's are its company's teams, so they go.
ENTITY_FOLDERS = ("roles/", "leads/", "kpis/")

# What no text given on the command line may hold: control characters (line breaks and tabs too),
# the bidirectional overrides the loader refuses, line and paragraph separators, byte-order marks,
# non-characters and lone surrogates (undecodable bytes on the command line).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff]")


def example_content_dir() -> Path:
    """The bundled playbook: generator/playbook_site/starter/example/content in a wheel, content/ in a source tree."""
    for candidate in (STARTER_DIR / "example" / "content", PACKAGE.parent.parent / "content"):
        if (candidate / "playbook.yml").is_file():
            return candidate
    raise FileNotFoundError("the bundled example playbook was not found next to the generator package")


def check_text(option: str, value: str) -> str:
    """`value` stripped; UsageError when it is empty or holds a control character."""
    found = _CONTROL.search(value)
    if found:
        char = found.group()
        name = unicodedata.name(char, "") if not 0xD800 <= ord(char) <= 0xDFFF else "an undecodable byte"
        raise UsageError(f"{option} may not hold control characters (it has U+{ord(char):04X}{f' {name}' if name else ''})")
    if not value.strip():
        raise UsageError(f"{option} is empty: give the text readers should see")
    return value.strip()


def yaml_string(value: str) -> str:
    """`value` as a YAML double-quoted scalar: JSON's quoting, which YAML reads back as it was."""
    return json.dumps(value, ensure_ascii=False)


def _block(key: str, text: str) -> list[str]:
    """`key: >-` with `text` folded at 76 columns: read back as the same text (one paragraph)."""
    lines = textwrap.wrap(" ".join(text.split()), width=76, break_long_words=False, break_on_hyphens=False)
    return [f"{key}: >-\n", *(f"  {line}\n" for line in lines)]


def _set_key(text: str, key: str, lines: list[str] | None) -> str:
    """`text` (a YAML file of top-level keys) with the block of `key` (its line and the indented lines
    under it) replaced by `lines`, or removed when `lines` is None; added at the end when absent."""
    source = text.splitlines(keepends=True)
    pattern = re.compile(rf"^{re.escape(key)}:(\s|$)")
    start = next((index for index, line in enumerate(source) if pattern.match(line)), None)
    if start is None:
        if not lines:
            return text
        return "".join(source) + ("" if not source or source[-1].endswith("\n") else "\n") + "".join(lines)
    end = start + 1
    while end < len(source):
        line = source[end]
        if line.startswith((" ", "\t")):
            end += 1
            continue
        if not line.strip():  # a blank line inside a block scalar, or the end of the block
            following = next((later for later in source[end + 1 :] if later.strip()), "")
            if following.startswith((" ", "\t")):
                end += 1
                continue
        break
    return "".join(source[:start] + (lines or []) + source[end:])


def approvers_lines(approvers: Sequence[str]) -> list[str]:
    if approvers:
        return ["approvers:\n", *(f"  - {yaml_string(handle)}\n" for handle in approvers)]
    return [
        "# approvers:  who must approve a change (GitHub handles or emails); then run `playbook codeowners`\n",
        '#   - "@your-org/revenue-leadership"\n',
    ]


def check_approvers(approvers: Sequence[str]) -> tuple[str, ...]:
    from pydantic import TypeAdapter, ValidationError

    from ..content.schema import Handle

    for handle in approvers:
        try:
            TypeAdapter(Handle).validate_python(handle)
        except ValidationError:
            raise UsageError(f"--approver {handle!r} is not a @org/team or @user handle or an email") from None
    return tuple(dict.fromkeys(approvers))


def _content(starter: str) -> dict[str, str]:
    """The starter's content/ files, content-relative path -> text, before it is made the organization's."""
    if starter == "blank":
        root = STARTER_DIR / "blank" / "content"
    elif starter == "example":
        root = example_content_dir()
    else:
        raise UsageError(f"there is no starter `{starter}`: choose one of {', '.join(STARTERS)}")
    files: dict[str, str] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or path.name.startswith(".") or "__pycache__" in rel:
            continue
        if starter == "example" and rel.startswith(EXAMPLE_LEFT_OUT):
            continue
        files[rel] = path.read_text(encoding="utf-8")
    return files


def _made_for(
    starter: str, files: dict[str, str], *, organization: str, title: str | None, approvers: tuple[str, ...]
) -> dict[str, str]:
    """The content made the organization's: playbook.yml's title, organization, summary and approvers;
    for the example, its company's approvers and name left out of the other files."""
    name = "playbook.yml" if "playbook.yml" in files else "playbook.yaml"
    text = files[name]
    meta: dict[str, Any] = yaml.safe_load(text) or {}
    old_organization = str(meta.get("organization", ""))
    summary = str(meta.get("summary", ""))
    if old_organization:
        summary = summary.replace(old_organization, organization)
    text = _set_key(text, "title", [f"title: {yaml_string(title)}\n"]) if title else text
    text = _set_key(text, "organization", [f"organization: {yaml_string(organization)}\n"])
    if summary:
        text = _set_key(text, "summary", _block("summary", summary))
    text = _set_key(text, "approvers", approvers_lines(approvers))
    made = {**files, name: text}
    if starter == "example":
        for rel, content in files.items():
            if rel == name:
                continue
            for old, new in EXAMPLE_WORDING.items():
                content = content.replace(old, new)
            if rel.startswith(ENTITY_FOLDERS):
                content = _set_key(content, "approvers", None)
            made[rel] = content
    return made


def _checked(content: dict[str, str], today: date) -> Any:
    """The playbook the content is, loaded by the loader; ContentError (paths as content/...) if not."""
    with tempfile.TemporaryDirectory(prefix="playbook-init-") as scratch:
        root = Path(scratch) / "content"
        for rel, text in content.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
        try:
            return load_all(root, today=today).playbook
        except ContentError as error:
            raise ContentError([problem.moved(str(root), "content") for problem in error.problems]) from None


def _repository_file(rel: str, replacements: dict[str, str]) -> str:
    text = (REPOSITORY_FILES / rel).read_text(encoding="utf-8")
    for token, value in replacements.items():
        text = text.replace(token, value)
    return text


def mkdocs_yml(title: str) -> str:
    return (
        "# The playbook's website. The `playbook` plugin reads content/ and makes every page; it also sets\n"
        "# the theme (Material), search and the Markdown settings, so this is all the site needs. Pages\n"
        "# written by hand go in docs/, your own page templates in templates/ (see README.md).\n"
        f"site_name: {yaml_string(title)}  # the plugin takes the title from content/playbook.yml\n"
        "# Set the site's address before publishing: the version selector then keeps readers on the same page.\n"
        "# site_url: https://YOUR-ORGANIZATION.github.io/YOUR-REPOSITORY/\n"
        "\n"
        "plugins:\n"
        "  - playbook\n"
    )


GITIGNORE = """\
# What the tools make, never committed: the site `playbook build` and `mkdocs build` write (site/), the
# copy to open from disk (`playbook build --offline -d preview`), what an interrupted build leaves
# beside them, the Zensical engine's project, a virtual environment and Python's caches.
site/
preview/
.*-building-*/
.*-old-*/
.playbook/
.venv/
venv/
__pycache__/
"""

# git keeps no empty folder, and MkDocs refuses to build without its `docs_dir`: docs/ holds this note
# so that `mkdocs build` and `mkdocs serve` work in a fresh clone. MkDocs leaves out files whose names
# start with a dot, so the note is never published.
DOCS_NOTE_PATH = "docs/.gitkeep"
DOCS_NOTE = """\
# docs/: pages you write by hand, in Markdown (for example docs/onboarding-week.md). They join the
# site's navigation after the playbook's own pages, titled by their first heading. The playbook's
# pages themselves are made from content/: nothing needs to be here.
#
# This note keeps the folder in git (git keeps no empty folder, and `mkdocs build` and
# `mkdocs serve` need it). MkDocs does not publish files whose names start with a dot.
"""


def pre_commit_config(version: str) -> str:
    """The hooks of playbook-site's .pre-commit-hooks.yaml, run from the release on the package index."""
    pin = f'["{DISTRIBUTION}=={version}"]'
    return f"""\
# Checks the content before every commit: `pip install pre-commit && pre-commit install`.
# The hooks are playbook-site's own (`playbook-validate`, `playbook-fix`), run with the release the
# workflows install ({DISTRIBUTION}=={version}, from the package index).
repos:
  - repo: local
    hooks:
      - id: playbook-validate
        name: Validate the playbook content
        description: Checks content/ against the playbook format and every cross-reference rule.
        entry: playbook validate
        language: python
        additional_dependencies: {pin}
        pass_filenames: false
        files: ^content/.*\\.ya?ml$
      - id: playbook-fix
        name: Check for slips `playbook fix` repairs
        description: Fails when curly quotes, pasted bullets, tabs or non-breaking spaces in the indentation or trailing spaces are in content/; `playbook fix` repairs them.
        entry: playbook fix --check
        language: python
        additional_dependencies: {pin}
        pass_filenames: false
        files: ^content/.*\\.ya?ml$
"""


def starter_files(
    starter: str = DEFAULT_STARTER,
    *,
    organization: str,
    title: str | None = None,
    approvers: Sequence[str] = (),
    today: date,
    version: str = __version__,
) -> dict[str, bytes]:
    """Every file of the new repository, repository-relative path -> bytes, in the order they are listed.

    UsageError for an organization or title with a control character, or an approver that is not
    a handle; ContentError if the content would not validate (text the loader refuses, such as HTML)."""
    organization = check_text("--organization", organization)
    title = check_text("--title", title) if title is not None else None
    handles = check_approvers(approvers)
    content = _made_for(starter, _content(starter), organization=organization, title=title, approvers=handles)
    playbook = _checked(content, today)
    shown_title = str(playbook.meta.title)
    replacements = {
        VERSION_TOKEN: version,
        "@TITLE@": shown_title,
        "@ORGANIZATION@": str(playbook.meta.organization),
    }
    text: dict[str, str] = {
        "mkdocs.yml": mkdocs_yml(shown_title),
        "README.md": _repository_file("README.md", replacements),
        **{f"content/{rel}": body for rel, body in content.items()},
        **{f"schema/{name}": body for name, body in schema_files(playbook).items()},
        CODEOWNERS_PATH: codeowners_text(playbook, "content"),
        ".github/pull_request_template.md": _repository_file("github/pull_request_template.md", replacements),
    }
    for workflow in sorted((REPOSITORY_FILES / "github" / "workflows").glob("*.yml")):
        text[f".github/workflows/{workflow.name}"] = _repository_file(f"github/workflows/{workflow.name}", replacements)
    text[".pre-commit-config.yaml"] = pre_commit_config(version)
    text[".gitignore"] = GITIGNORE
    text[DOCS_NOTE_PATH] = DOCS_NOTE
    return {path: body.encode("utf-8") for path, body in text.items()}


__all__ = ["DEFAULT_STARTER", "STARTERS", "check_text", "example_content_dir", "starter_files", "yaml_string"]
