"""The mike adapter: each function is one mike call, committing to a branch (a staging branch
while publishing); mike's errors become `PublishError` with a hint."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import PublishError
from .git import branch_tip, delete_ref, update_ref


@contextmanager
def _in_directory(path: Path) -> Iterator[None]:
    """mike runs git in the current directory."""
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


@contextmanager
def _mike_errors(what: str) -> Iterator[None]:
    from mike import git_utils

    try:
        yield
    except git_utils.GitEmptyCommit:
        pass  # nothing changed: not an error (the same content published again with --force)
    except git_utils.GitError as error:
        hint = "set your name and email: `git config user.name ...` and `git config user.email ...`"
        raise PublishError(f"mike could not {what}: {error}", hint if "user." in str(error) else "") from None
    except ValueError as error:
        raise PublishError(f"mike could not {what}: {error}") from None


def deploy(
    site_dir: Path,
    version: str,
    *,
    title: str,
    aliases: Sequence[str],
    branch: str,
    root: Path,
    use_directory_urls: bool,
    message: str,
    properties: dict[str, Any],
) -> None:
    """Commit the built site as `VERSION/`, each alias as a folder of redirect pages, and versions.json."""
    from mike import commands

    config = {"site_dir": str(site_dir), "use_directory_urls": use_directory_urls}
    with _in_directory(root), _mike_errors(f"deploy version {version}"):
        with commands.deploy(
            config,
            version,
            title,
            list(aliases),
            update_aliases=True,  # an alias moves to this version (that is what `latest` is for)
            alias_type=commands.AliasType.redirect,  # GitHub Pages refuses symbolic links
            branch=branch,
            message=message,
            set_props=list(properties.items()),
        ):
            pass  # the site is built already: mike only commits it


def set_default(identifier: str, *, branch: str, root: Path, message: str) -> None:
    """The root index.html redirects to `identifier` (`mike set-default`)."""
    from mike import commands

    with _in_directory(root), _mike_errors(f"set the default version to {identifier}"):
        commands.set_default(identifier, branch=branch, message=message)


def retitle(version: str, title: str, *, branch: str, root: Path, message: str) -> None:
    """Change the title a version has in versions.json (`mike retitle`)."""
    from mike import commands

    with _in_directory(root), _mike_errors(f"retitle version {version}"):
        commands.retitle(version, title, branch=branch, message=message)


def delete(version: str, *, branch: str, root: Path, message: str) -> None:
    """Remove a version's folder and its entry in versions.json (`mike delete`)."""
    from mike import commands

    with _in_directory(root), _mike_errors(f"remove version {version}"):
        commands.delete([version], branch=branch, message=message)


def alias(version: str, aliases: Sequence[str], *, branch: str, root: Path, use_directory_urls: bool, message: str) -> None:
    """Point aliases at a published version, as redirect pages (`mike alias --update-aliases`)."""
    from mike import commands

    config = {"use_directory_urls": use_directory_urls}
    with _in_directory(root), _mike_errors(f"point {', '.join(aliases)} at {version}"):
        commands.alias(
            config,
            version,
            list(aliases),
            update_aliases=True,
            alias_type=commands.AliasType.redirect,
            branch=branch,
            message=message,
        )


def commit_files(files: dict[str, bytes], *, branch: str, root: Path, message: str, replace: tuple[str, ...] = ()) -> None:
    """Add or replace files at the root of the branch in one commit (mike's fast-import plumbing); the
    folders `replace` are emptied first, so that they hold exactly what `files` puts there."""
    from mike import git_utils

    with _in_directory(root), _mike_errors("write " + ", ".join(files)):
        with git_utils.Commit(branch, message) as commit:
            commit.delete_files(list(replace))
            for path, data in files.items():
                commit.add_file(git_utils.FileInfo(path, data))


@contextmanager
def staging_branch(branch: str, root: Path) -> Iterator[str]:
    """A temporary branch at `branch`'s tip for mike's commits; removed afterwards, whatever happens."""
    name = f"playbook-publish-{os.getpid()}-{secrets.token_hex(4)}"
    tip = branch_tip(branch, root)
    if tip is not None:
        update_ref(f"refs/heads/{name}", tip, None, root)
    try:
        yield name
    finally:
        delete_ref(f"refs/heads/{name}", root)
