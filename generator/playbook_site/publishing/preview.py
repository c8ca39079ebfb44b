"""The published versions served on this machine, as GitHub Pages serves the `gh-pages` branch.

`playbook preview` answers each request from git's object database: the branch's tree is listed
once per commit (`git ls-tree`), a file's bytes are read by its object id (`git cat-file`), and
nothing is checked out or copied, so the working tree and the current branch are never touched.
Each request looks at the branch again (at most twice a second), so a `playbook publish` made
while the preview runs is seen at the next page load.

What it does as GitHub Pages does: `/` and every folder answer with their index.html; a folder
asked without its trailing slash is redirected to it (301); a missing file gets the branch's root
404.html with status 404 (the page that offers the current version); content types follow the
file's extension. A symbolic link or a submodule in the branch is never followed: it is missing.

Why not mike's own `mike serve` (mike.server.GitBranchHTTPHandler): it answers a missing file with
the server's plain error page instead of the site's 404.html, serves one request at a time (a
browser loads a page's assets in parallel), starts two git processes for every request, guesses
content types from the machine's mime tables without a charset, and reads only the local branch;
this module is as small and shares the tool's git runner (`git.py`).
"""

from __future__ import annotations

import errno
import http.server
import ipaddress
import posixpath
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

from ..errors import PublishError, UsageError
from .git import branch_tip, read_blobs, remote_tracking_tip, toplevel, tree_files
from .versions import DEFAULT_BRANCH, DEFAULT_REMOTE, Site, read_site

FILE_MODES = ("100644", "100755")  # regular files; 120000 (a link) and 160000 (a submodule) are never served
TIP_SECONDS = 0.5  # how long a request trusts the branch tip the previous one read
BLOB_CACHE_BYTES = 64 * 1024 * 1024

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".pdf": "application/pdf",
    ".gz": "application/gzip",
    ".zip": "application/zip",
}
NOT_FOUND_TEXT = b"<!doctype html><title>Page not found</title><h1>Page not found</h1>\n"


def content_type(path: str) -> str:
    """The Content-Type of a file, from its extension (the same on every machine)."""
    return CONTENT_TYPES.get(posixpath.splitext(path)[1].lower(), "application/octet-stream")


@dataclass(frozen=True)
class Answer:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True)
class _Tree:
    files: dict[str, str]  # path -> blob id, regular files only
    folders: frozenset[str]  # every folder that holds a file ("" is the root)


def parse_address(address: str) -> tuple[str, int]:
    """`HOST:PORT` (an IPv6 host in brackets) as (host, port); port 0 picks a free port."""
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise UsageError(f"-a {address!r} is not HOST:PORT (e.g. 127.0.0.1:8000)")
    return host.strip("[]"), int(port)


def check_address(address: str) -> None:
    """UsageError, in one line, when a server cannot listen on `address` (HOST:PORT): the port is in use,
    the host is not this machine's. `playbook serve` asks before it starts an engine's server, whose own
    error would be a traceback (MkDocs) or another program's message (`zensical serve`)."""
    import socket

    host, port = parse_address(address)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise UsageError(f"cannot serve on {address}: {error.strerror or error}; choose another address with -a") from None
    errors: list[OSError] = []
    for family, kind, protocol, _name, where in found:
        try:
            with socket.socket(family, kind, protocol) as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as a server binds: TIME_WAIT is no owner
                sock.bind(where)
        except OSError as error:
            errors.append(error)
    # In use on any of the host's addresses, or usable on none (`localhost` may also name an IPv6
    # address this machine does not have: that alone stops nothing).
    busy = [error for error in errors if error.errno == errno.EADDRINUSE]
    if busy or len(errors) == len(found):
        first = (busy or errors)[0]
        raise UsageError(f"cannot serve on {address}: {first.strerror or first}; choose another port with -a")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class PublishedBranch:
    """The files of the published branch: the local branch, else `REMOTE/BRANCH` as last fetched."""

    def __init__(self, repo: Path, *, branch: str = DEFAULT_BRANCH, remote: str = DEFAULT_REMOTE) -> None:
        self.root = toplevel(repo)
        self.branch = branch
        self.remote = remote
        self._lock = threading.Lock()
        self._tip: tuple[float, str | None] = (0.0, None)
        self._trees: dict[str, _Tree] = {}
        self._blobs: OrderedDict[str, bytes] = OrderedDict()
        self._blob_bytes = 0

    @property
    def name(self) -> str:
        """The branch as it is read: `gh-pages`, or `origin/gh-pages` when there is no local one."""
        if branch_tip(self.branch, self.root) is None and remote_tracking_tip(self.remote, self.branch, self.root):
            return f"{self.remote}/{self.branch}"
        return self.branch

    def tip(self) -> str | None:
        with self._lock:
            read_at, tip = self._tip
            if tip is not None and time.monotonic() - read_at < TIP_SECONDS:
                return tip
        tip = branch_tip(self.branch, self.root) or remote_tracking_tip(self.remote, self.branch, self.root)
        with self._lock:
            self._tip = (time.monotonic(), tip)
        return tip

    def site(self) -> Site:
        """What the branch holds now (its versions and the default one)."""
        tip = self.tip()
        if tip is None:
            raise PublishError(
                f"nothing is published on {self.branch} yet (no such branch here, and no {self.remote}/{self.branch})",
                f"publish a version with `playbook publish VERSION`, or fetch the published one: `git fetch {self.remote}"
                f" {self.branch}:{self.branch}`",
            )
        site = read_site(self.branch, self.root, tip=tip)
        return Site(self.name, site.tip, site.versions, site.default)

    def _tree(self, tip: str) -> _Tree:
        with self._lock:
            found = self._trees.get(tip)
        if found is not None:
            return found
        files = {entry.path: entry.object_id for entry in tree_files(tip, cwd=self.root) if entry.mode in FILE_MODES}
        folders = {""}
        for path in files:
            parts = path.split("/")[:-1]
            folders.update("/".join(parts[: i + 1]) for i in range(len(parts)))
        tree = _Tree(files, frozenset(folders))
        with self._lock:
            self._trees = {tip: tree}  # one commit at a time: an older tree is never asked for again
        return tree

    def _blob(self, object_id: str) -> bytes:
        with self._lock:
            data = self._blobs.get(object_id)
            if data is not None:
                self._blobs.move_to_end(object_id)
                return data
        data = read_blobs([object_id], cwd=self.root)[object_id]
        with self._lock:
            if object_id not in self._blobs and len(data) <= BLOB_CACHE_BYTES // 4:
                self._blobs[object_id] = data
                self._blob_bytes += len(data)
                while self._blob_bytes > BLOB_CACHE_BYTES:
                    _, dropped = self._blobs.popitem(last=False)
                    self._blob_bytes -= len(dropped)
        return data

    def answer(self, target: str) -> Answer:
        """The answer GitHub Pages would give to a GET of `target` (the request's path and query)."""
        url = urlsplit(target)
        tip = self.tip()
        if tip is None:
            return Answer(404, (("Content-Type", "text/html; charset=utf-8"),), NOT_FOUND_TEXT)
        tree = self._tree(tip)
        path = _tree_path(url.path)
        if path is not None and path in tree.files:
            return self._file(tree, path, 200)
        if path is not None and path in tree.folders:
            if path and not url.path.endswith("/"):
                location = urlunsplit(("", "", url.path + "/", url.query, ""))
                return Answer(301, (("Location", location), ("Content-Type", "text/html; charset=utf-8")), b"")
            index = posixpath.join(path, "index.html") if path else "index.html"
            if index in tree.files:
                return self._file(tree, index, 200)
        if "404.html" in tree.files:
            return self._file(tree, "404.html", 404)
        return Answer(404, (("Content-Type", "text/html; charset=utf-8"),), NOT_FOUND_TEXT)

    def _file(self, tree: _Tree, path: str, status: int) -> Answer:
        return Answer(status, (("Content-Type", content_type(path)),), self._blob(tree.files[path]))


def _tree_path(url_path: str) -> str | None:
    """The branch path a URL path names (`/1.0/leads/` -> `1.0/leads`), None when it cannot name one
    (`..`, a NUL, a backslash)."""
    decoded = unquote(url_path, errors="strict") if "%" in url_path else url_path
    if "\0" in decoded or "\\" in decoded:
        return None
    parts = [part for part in decoded.split("/") if part not in ("", ".")]
    if ".." in parts:
        return None
    return "/".join(parts)


class _Handler(http.server.BaseHTTPRequestHandler):
    published: PublishedBranch  # set on the subclass `serve` makes
    server_version = "playbook-preview"
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass  # the command prints its own lines; a log line per asset would bury them

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self._reply(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802 - http.server's name
        self._reply(send_body=False)

    def _reply(self, *, send_body: bool) -> None:
        try:
            answer = self.published.answer(self.path)
        except UnicodeDecodeError:
            answer = Answer(400, (("Content-Type", "text/plain; charset=utf-8"),), b"Bad request\n")
        except Exception:  # a git failure (the repository moved away): the browser gets an answer
            answer = Answer(500, (("Content-Type", "text/plain; charset=utf-8"),), b"The branch could not be read\n")
        self.send_response(answer.status)
        for name, value in answer.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Cache-Control", "no-cache")  # a version published meanwhile shows at the next load
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if send_body:
            self.wfile.write(answer.body)


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), int(self.server_address[1])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"


def make_server(published: PublishedBranch, address: str) -> PreviewServer:
    """An HTTP server for `published` bound to `address` (HOST:PORT); run it with `serve_forever`."""
    host, port = parse_address(address)
    handler = type("PreviewHandler", (_Handler,), {"published": published})
    if ":" in host:
        import socket

        class _Server6(PreviewServer):
            address_family = socket.AF_INET6

        server_class: type[PreviewServer] = _Server6
    else:
        server_class = PreviewServer
    try:
        return server_class((host, port), handler)
    except OSError as error:
        raise UsageError(f"cannot serve on {address}: {error.strerror or error}; choose another port with -a") from None


__all__ = [
    "Answer",
    "PreviewServer",
    "PublishedBranch",
    "check_address",
    "content_type",
    "is_loopback",
    "make_server",
    "parse_address",
]
