"""Reading the playbook at a git revision cannot be fooled or turned against the machine.

- A side of `playbook diff` named like a revision is that revision, read from git's object database:
  a folder of the same name committed in a pull request (`origin/main/content/`) cannot stand in for
  the base and make the report say nothing changed. A folder is written as a path (`./x`), and a bare
  name that is both is refused (exit 2).
- Misuse of `playbook diff` exits 2, as every command's wrong usage does.
- A commit whose tree holds a symbolic link and a path beneath it (`content/roles -> /tmp/x` beside
  `content/roles/x.yml`, made with git's plumbing; git itself cannot check it out) is refused by
  `playbook diff` and `playbook publish --revision`, and nothing is written through the link.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import DEFAULT_CONTENT, REPO, init_repo, run_cli, write_content
from playbook_site.errors import PlaybookError
from playbook_site.publishing.revision import export_content


def git(repo: Path, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, input=stdin, check=False)
    assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
    return result.stdout.strip()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, path)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- finding 3: a folder named like the base revision --------------------------------------------


@pytest.fixture
def forged(tmp_path: Path) -> Path:
    """A clone of a playbook repository whose pull-request branch raises a KPI target and shortens an
    SLA, and also commits `origin/main/content/`: a copy of its own new content, named like the base."""
    origin = tmp_path / "origin"
    write_content(origin / "content")
    init_repo(origin, "Base")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    for key, value in (("user.name", "Playbook Tests"), ("user.email", "tests@example.com"), ("commit.gpgsign", "false")):
        git(clone, "config", key, value)
    git(clone, "switch", "-q", "-c", "quiet-change")
    edit(clone / "content" / "kpis" / "win-rate.yml", "value: 27", "value: 35")
    edit(clone / "content" / "leads" / "marketing-qualified-lead.yml", "sla_hours: 24", "sla_hours: 96")
    shutil.copytree(clone / "content", clone / "origin" / "main" / "content")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "Tidy up")
    return clone


def test_a_folder_named_like_the_base_revision_cannot_fake_the_report(forged: Path) -> None:
    # The old workflow's command, in the pull request's checkout: refused, not a false "No changes".
    result = run_cli("diff", "origin/main", "--format", "markdown", cwd=forged)
    assert result.exit_code == 2, result.output
    assert "No changes" not in result.stdout
    base = git(forged, "rev-parse", "origin/main")
    assert result.stderr == (
        f"Error: `origin/main` names both a git revision ({base[:12]}) and the folder ./origin/main here, so it is ambiguous."
        f" Write ./origin/main to compare the folder, or the commit id {base} to compare the revision"
        " (and remove the folder if it should not be there)\n"
    )
    # Named so that no folder matches, the revision is read from git and the real changes show.
    real = run_cli("diff", base, "HEAD", "--format", "markdown", cwd=forged)
    assert real.exit_code == 0, real.output
    assert "- **KPI Win rate**: target rises from 27% to 35% per quarter\n" in real.stdout
    assert "- **Lead stage Marketing Qualified Lead (MQL)**: hand-off SLA rises from 24 to 96 hours\n" in real.stdout
    # A folder named like the commit id itself: the hint names a spelling no folder has.
    shutil.copytree(forged / "origin" / "main", forged / base)
    by_id = run_cli("diff", base, cwd=forged)
    assert by_id.exit_code == 2 and f"or {base}^{{commit}} to compare the revision" in by_id.stderr
    spelled = run_cli("diff", f"{base}^{{commit}}", "HEAD", cwd=forged)
    assert spelled.exit_code == 0 and "target rises from 27% to 35% per quarter" in spelled.stdout
    # The folder is still there for whoever means it, written as a path.
    folder = run_cli("diff", "./origin/main", cwd=forged)
    assert (folder.exit_code, folder.stdout) == (
        0,
        "Playbook changes from ./origin/main to the working tree\nNo changes to the playbook's content.\n",
    )


def test_a_bare_folder_name_is_not_read_as_a_folder(tmp_path: Path) -> None:
    old = write_content(tmp_path / "old-content")
    edit(write_content(tmp_path / "content") / "kpis" / "win-rate.yml", "value: 27", "value: 31")
    result = run_cli("diff", "old-content", cwd=tmp_path)
    assert (result.exit_code, result.stdout) == (2, "")
    assert (
        result.stderr
        == "Error: `old-content` is a folder, not a git revision: write ./old-content to compare the folder as a content directory\n"
    )
    for spec in ("./old-content", "./old-content/", str(old)):
        ok = run_cli("diff", spec, "./content", cwd=tmp_path)
        assert ok.exit_code == 0, ok.output
        assert ok.stdout.startswith(f"Playbook changes from {spec} to ./content\n1 entity changed:")


def test_diff_main_still_compares_with_main(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_content(repo / "content")
    init_repo(repo)
    edit(repo / "content" / "kpis" / "win-rate.yml", "value: 27", "value: 31")
    result = run_cli("diff", "main", cwd=repo)
    assert result.exit_code == 0, result.output
    assert "* KPI Win rate: target rises from 27% to 31% per quarter" in result.stdout


# --- finding 8: misuse exits 2 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diff", "--output=x", "HEAD"], "No such option '--output'"),
        (["diff", "--", "--output=x", "HEAD"], "`--output=x` is neither a git revision nor a folder"),
        (["diff", "--format=x", "HEAD"], "Invalid value for '--format'"),
        (["diff"], "Missing argument 'BASE'"),
        (["diff", "./no-such-folder"], "there is no folder ./no-such-folder"),
        (["diff", "content"], "`content` is a folder, not a git revision: write ./content"),
        (["diff", "HEAD", "--content", "../outside"], "is outside the git repository"),
    ],
    ids=["unknown-option", "option-after-dashes", "bad-format", "no-base", "missing-folder", "bare-folder", "content-outside"],
)
def test_misuse_of_diff_exits_2(tmp_path: Path, args: list[str], message: str) -> None:
    repo = tmp_path / "repo"
    write_content(repo / "content")
    write_content(tmp_path / "outside")
    init_repo(repo)
    result = run_cli(*args, cwd=repo)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stdout == "" and "Traceback" not in result.output


# --- finding 6: a symbolic link and a path beneath it ----------------------------------------------


def link_and_folder_commit(repo: Path, link_target: Path) -> str:
    """A commit of `repo`'s content whose `content/roles` is both a symbolic link to `link_target` and
    a folder holding `x.yml`: git's plumbing (mktree, commit-tree) builds it; git cannot check it out."""
    tree = git(repo, "rev-parse", "HEAD^{tree}")
    content = git(repo, "rev-parse", "HEAD:content")
    roles = git(repo, "rev-parse", "HEAD:content/roles")
    link = git(repo, "hash-object", "-w", "--stdin", stdin=str(link_target))
    entries = [line for line in git(repo, "ls-tree", content).splitlines() if not line.endswith("\troles")]
    entries += [f"120000 blob {link}\troles", f"040000 tree {roles}\troles"]
    evil_content = git(repo, "mktree", stdin="\n".join(entries) + "\n")
    root_entries = [line for line in git(repo, "ls-tree", tree).splitlines() if not line.endswith("\tcontent")]
    evil_root = git(repo, "mktree", stdin="\n".join([*root_entries, f"040000 tree {evil_content}\tcontent"]) + "\n")
    commit = git(repo, "commit-tree", evil_root, "-p", "HEAD", "-m", "A link and a folder of the same name")
    git(repo, "update-ref", "refs/heads/evil", commit)
    listed = git(repo, "ls-tree", "-r", "--full-tree", "evil", "--", "content/roles")
    assert f"120000 blob {link}\tcontent/roles\n" in listed + "\n" and "\tcontent/roles/account-executive.yml" in listed
    return commit


@pytest.fixture
def link_repo(tmp_path: Path) -> tuple[Path, Path, str]:
    repo = tmp_path / "repo"
    write_content(repo / "content")
    init_repo(repo)
    outside = tmp_path / "outside"
    outside.mkdir()
    return repo, outside, link_and_folder_commit(repo, outside)


def test_diff_refuses_a_tree_with_a_link_and_a_path_beneath_it(link_repo: tuple[Path, Path, str]) -> None:
    repo, outside, commit = link_repo
    result = run_cli("diff", "main", "evil", cwd=repo)
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"Error: commit {commit[:12]} cannot be read safely: `content/roles` is a symbolic link and also holds"
        " `content/roles/account-executive.yml`. Git cannot check out such a tree, and writing it out could"
        " write outside the temporary folder, so it is refused\n"
    )
    assert list(outside.iterdir()) == []  # nothing was written through the link


def test_publish_refuses_a_tree_with_a_link_and_a_path_beneath_it(tmp_path: Path) -> None:
    repo = tmp_path / "site"
    repo.mkdir()
    shutil.copy(REPO / "mkdocs.yml", repo / "mkdocs.yml")
    (repo / "docs").mkdir()
    (repo / "docs" / ".gitkeep").write_text("", encoding="utf-8")
    shutil.copytree(DEFAULT_CONTENT, repo / "content")
    init_repo(repo)
    outside = tmp_path / "outside"
    outside.mkdir()
    commit = link_and_folder_commit(repo, outside)
    result = run_cli("publish", "1.0", "--revision", "evil", cwd=repo)
    assert result.exit_code == 1, result.output
    assert (
        f"Error: commit {commit[:12]} cannot be read safely: `content/roles` is a symbolic link and also holds" in result.stderr
    )
    assert list(outside.iterdir()) == []
    assert "gh-pages" not in git(repo, "branch", "--list")


def test_writing_a_revision_never_follows_a_link(tmp_path: Path) -> None:
    """Even if a link is already in the destination (not from the tree), a file is not written through it."""
    repo = tmp_path / "repo"
    write_content(repo / "content")
    init_repo(repo)
    outside = tmp_path / "outside"
    outside.mkdir()
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "roles").symlink_to(outside)
    with pytest.raises(PlaybookError, match="`content/roles/account-executive.yml` cannot be written beneath the folder"):
        export_content(git(repo, "rev-parse", "HEAD"), "content", dest, cwd=repo)
    assert list(outside.iterdir()) == []
    # A planted file is not overwritten either.
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    (fresh / "alignment.yml").write_text("planted", encoding="utf-8")
    with pytest.raises(PlaybookError, match="`content/alignment.yml` cannot be written"):
        export_content(git(repo, "rev-parse", "HEAD"), "content", fresh, cwd=repo)
    assert (fresh / "alignment.yml").read_text(encoding="utf-8") == "planted"


def test_a_link_alone_is_still_kept_as_a_link_for_the_loader_to_judge(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write_content(repo / "content")
    (repo / "content" / "roles" / "sales-manager.yml").unlink()
    (repo / "content" / "roles" / "sales-manager.yml").symlink_to("account-executive.yml")
    init_repo(repo)
    dest = tmp_path / "dest"
    assert export_content(git(repo, "rev-parse", "HEAD"), "content", dest, cwd=repo) == 10
    assert (dest / "roles" / "sales-manager.yml").is_symlink()
    assert (dest / "roles" / "sales-manager.yml").readlink() == Path("account-executive.yml")


# --- a `..` or `.git` folder in a tree (issue 26: a hand mutation that survived) --------------------


def dot_dot_commit(repo: Path, name: str) -> str:
    """A commit whose `content` tree also holds a folder named `name` (`..`, `.git`, `.`) with
    `escaped.yml` in it: git's plumbing (hash-object, mktree, commit-tree) writes such a tree, which
    `git checkout` refuses, and `git ls-tree` lists it as `content/NAME/escaped.yml`. (A folder named
    `.` is no danger: the path `content/./escaped.yml` is read as `content/escaped.yml`.)"""
    blob = git(repo, "hash-object", "-w", "--stdin", stdin="escaped: true\n")
    inner = git(repo, "mktree", stdin=f"100644 blob {blob}\tescaped.yml\n")
    content = git(repo, "rev-parse", "HEAD:content")
    entries = [*git(repo, "ls-tree", content).splitlines(), f"040000 tree {inner}\t{name}"]
    evil_content = git(repo, "mktree", stdin="\n".join(entries) + "\n")
    tree = git(repo, "rev-parse", "HEAD^{tree}")
    root_entries = [line for line in git(repo, "ls-tree", tree).splitlines() if not line.endswith("\tcontent")]
    evil_root = git(repo, "mktree", stdin="\n".join([*root_entries, f"040000 tree {evil_content}\tcontent"]) + "\n")
    commit = git(repo, "commit-tree", evil_root, "-p", "HEAD", "-m", f"A folder named {name}")
    assert f"\tcontent/{name}/escaped.yml" in git(repo, "ls-tree", "-r", "--full-tree", commit, "--", "content")
    return commit


@pytest.mark.parametrize("name", ["..", ".git"])
def test_a_dot_dot_or_dot_git_folder_in_a_tree_is_never_written(tmp_path: Path, name: str) -> None:
    """`..` would write `escaped.yml` beside the destination folder, outside it (seen with the check
    removed from `_safe_parts`); `.git` would plant a file in a folder git reads as its own. Both are
    left out, and the playbook's own files are still written."""
    repo = tmp_path / "repo"
    write_content(repo / "content")
    init_repo(repo)
    commit = dot_dot_commit(repo, name)
    box = tmp_path / "box"
    dest = box / "dest"
    written = export_content(commit, "content", dest, cwd=repo)
    assert list(box.iterdir()) == [dest]  # nothing beside the destination
    assert written == len([p for p in (repo / "content").rglob("*") if p.is_file()])
    assert sorted(p.name for p in dest.rglob("escaped.yml")) == []
    assert not (dest / ".git").exists()


def twin_commit(repo: Path, where: str, twin: str) -> str:
    """A commit whose tree holds `twin` (an ls-tree line: `MODE TYPE ID\\tNAME`) beside the entry of the
    same name in `where` (`.`: the root, `content`: the content folder); git's plumbing writes it."""
    tree = git(repo, "rev-parse", "HEAD^{tree}")
    if where == ".":
        return git(
            repo, "commit-tree", git(repo, "mktree", stdin=git(repo, "ls-tree", tree) + f"\n{twin}\n"), "-p", "HEAD", "-m", "twin"
        )
    content = git(repo, "mktree", stdin=git(repo, "ls-tree", f"HEAD:{where}") + f"\n{twin}\n")
    root = [line for line in git(repo, "ls-tree", tree).splitlines() if not line.endswith(f"\t{where}")]
    evil_root = git(repo, "mktree", stdin="\n".join([*root, f"040000 tree {content}\t{where}"]) + "\n")
    return git(repo, "commit-tree", evil_root, "-p", "HEAD", "-m", "twin")


@pytest.mark.parametrize(
    ("where", "twin", "detail"),
    [
        (
            "content",
            "100644 blob {blob}\troles",
            "`content/roles` is a file and also holds `content/roles/account-executive.yml`",
        ),
        (
            "content",
            "160000 commit {head}\troles",
            "`content/roles` is a submodule and also holds `content/roles/account-executive.yml`",
        ),
        (".", "120000 blob {blob}\tcontent", "`content` is a symbolic link and also holds `content/alignment.yml`"),
        ("content", "100644 blob {blob}\talignment.yml", "`content/alignment.yml` is in its tree twice"),
    ],
)
def test_each_impossible_tree_is_refused_with_what_is_wrong(tmp_path: Path, where: str, twin: str, detail: str) -> None:
    repo = tmp_path / "repo"
    write_content(repo / "content")
    init_repo(repo)
    blob = git(repo, "hash-object", "-w", "--stdin", stdin=str(tmp_path / "outside"))
    commit = twin_commit(repo, where, twin.format(blob=blob, head=git(repo, "rev-parse", "HEAD")))
    dest = tmp_path / "dest"
    with pytest.raises(PlaybookError) as refused:
        export_content(commit, "content", dest, cwd=repo)
    assert str(refused.value) == (
        f"commit {commit[:12]} cannot be read safely: {detail}. Git cannot check out such a tree, and writing it out"
        " could write outside the temporary folder, so it is refused"
    )
    assert not dest.exists() or list(dest.iterdir()) == []
