"""Where the playbook's files are kept: playbook.yml's `repository`, read and checked, and the web
addresses a reader follows to propose a change (the host's web editor at an entity's file, a new
issue naming the entity). Nothing here asks the host anything: these are addresses, built from
the setting, percent-encoded part by part.

The kinds of host are declared once (`HOSTS`): GitHub (github.com and GitHub Enterprise) and GitLab
(gitlab.com and self-hosted). A host is recognised from the address, or named by `host:`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args
from urllib.parse import quote, urlencode

from pydantic_core import PydanticCustomError

HostKind = Literal["github", "gitlab"]
HOST_KINDS: tuple[str, ...] = get_args(HostKind)


@dataclass(frozen=True)
class HostForm:
    """The address forms of one kind of host."""

    label: str
    edit: str  # after the repository's address: {branch}, {path}
    new_issue: str  # after the repository's address
    title_key: str
    body_key: str
    min_parts: int  # owner/repo on GitHub; group/(subgroup/...)project on GitLab
    max_parts: int


HOSTS: dict[str, HostForm] = {
    "github": HostForm("GitHub", "/edit/{branch}/{path}", "/issues/new", "title", "body", 2, 2),
    "gitlab": HostForm("GitLab", "/-/edit/{branch}/{path}", "/-/issues/new", "issue[title]", "issue[description]", 2, 20),
}
assert set(HOSTS) == set(HOST_KINDS)

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_ADDRESS = re.compile(
    rf"^https://(?P<host>{_LABEL}(?:\.{_LABEL})*)(?::(?P<port>[0-9]{{1,5}}))?(?P<path>(?:/[A-Za-z0-9_.-]+)+)$", re.I
)
_BRANCH = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._/+-]*$")
_EXAMPLE = "write the address as it is in the browser's address bar, e.g. https://github.com/ORG/REPO"


def _refused(message: str, hint: str = _EXAMPLE, **values: str) -> PydanticCustomError:
    return PydanticCustomError("bad_repository", message, {**values, "hint": hint})


def _first_fault(value: str) -> str | None:
    """What is wrong with an address at first sight, in the words a reader needs; None when nothing."""
    lowered = value.lower()
    if any(char.isspace() for char in value):
        return "the repository address holds a space"
    if re.match(r"^[a-z][a-z0-9+.-]*:", lowered) is None or lowered.startswith("git@"):
        return "the repository address is not a web address (https://...)"
    if not lowered.startswith("https://"):
        scheme = lowered.split(":", 1)[0]
        return f"the repository address starts with `{scheme}:`; only https:// addresses are allowed"
    if "@" in value[len("https://") :].split("/", 1)[0]:
        return "the repository address holds a user name or a password (`user:token@`): never write credentials here"
    if "?" in value or "#" in value:
        return "the repository address holds a query or a fragment (`?`, `#`): write the repository's own address"
    return None


def check_url(value: str) -> str:
    """The repository's web address, without a trailing `/` or `.git`; refused unless it is
    https://HOST/PATH with no credentials, no query, no space and no character a path does not need."""
    fault = _first_fault(value)
    if fault:
        raise _refused(fault)
    address = value.rstrip("/")
    address = address[: -len(".git")] if address.endswith(".git") else address
    found = _ADDRESS.match(address)
    parts = found.group("path").strip("/").split("/") if found else []
    if found is None or any(part in (".", "..") for part in parts):
        raise _refused("the repository address `{address}` is not https://HOST/ORG/REPO", address=address)
    return address


def check_branch(value: str) -> str:
    """A branch name git accepts and a web address can carry."""
    dotted = any(part.startswith(".") for part in value.split("/"))  # git refuses it; `/./` in an address is dropped
    if (
        not _BRANCH.match(value)
        or dotted
        or ".." in value
        or "//" in value
        or value.endswith(("/", ".", ".lock"))
        or len(value) > 200
    ):
        raise _refused(
            "`{branch}` is not a branch name a repository can have", "write the branch as git shows it, e.g. main", branch=value
        )
    return value


def recognised(address: str) -> str | None:
    """The kind of host an address names by its host name (github.com, gitlab.example.com), None when
    the name does not say or says both."""
    host = address.split("/")[2].split(":")[0].lower()
    labels = host.split(".")
    found = {kind for kind in HOST_KINDS if any(kind in label for label in labels)}
    return found.pop() if len(found) == 1 else None


def check_parts(address: str, kind: str) -> None:
    """The repository's path as the kind of host has it: ORG/REPO on GitHub, GROUP/.../PROJECT on GitLab."""
    form = HOSTS[kind]
    parts = address.split("/")[3:]
    if not form.min_parts <= len(parts) <= form.max_parts:
        shape = "ORG/REPO" if form.max_parts == 2 else "GROUP/PROJECT (or GROUP/SUBGROUP/PROJECT)"
        raise _refused(
            "the repository address `{address}` is not a {label} repository's address (HOST/{shape})",
            "write the repository's own address, without a page of it (no /tree/..., /-/blob/...)",
            address=address,
            label=form.label,
            shape=shape,
        )


@dataclass(frozen=True)
class Proposals:
    """The addresses that propose a change to the playbook at one repository."""

    address: str  # checked: https://HOST/PATH
    branch: str
    kind: str  # a key of HOSTS

    def edit_url(self, path: str) -> str:
        """The host's web editor at a file (`path` relative to the repository's root)."""
        form = HOSTS[self.kind]
        return self.address + form.edit.format(branch=quote(self.branch, safe="/"), path=quote(path, safe="/"))

    def issue_url(self, title: str, body: str) -> str:
        """A new issue with its title and body filled in (as the query; every character encoded)."""
        form = HOSTS[self.kind]
        query = urlencode({form.title_key: title, form.body_key: body}, quote_via=quote, safe="")
        return f"{self.address}{form.new_issue}?{query}"


_REMOTE_SCP = re.compile(r"^(?:[A-Za-z0-9._-]+@)?(?P<host>[A-Za-z0-9.-]+):(?!//)(?P<path>[A-Za-z0-9_.][A-Za-z0-9_./-]*)$")
_REMOTE_URL = re.compile(r"^(?:https|ssh|git)://(?:[^@/]*@)?(?P<host>[A-Za-z0-9.-]+)(?::[0-9]+)?/(?P<path>[A-Za-z0-9_./-]+)$")


def from_remote(remote: str) -> str | None:
    """The web address of a git remote (`git@github.com:org/repo.git`, `https://user:token@host/org/repo`,
    `ssh://git@host/org/repo`), never with the credentials a remote may hold; None when it is not one."""
    found = _REMOTE_SCP.match(remote.strip()) or _REMOTE_URL.match(remote.strip())
    if found is None:
        return None
    candidate = f"https://{found.group('host').lower()}/{found.group('path').strip('/')}"
    try:
        return check_url(candidate)
    except PydanticCustomError:
        return None
