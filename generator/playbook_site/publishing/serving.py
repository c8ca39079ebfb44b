"""`playbook serve`: MkDocs' own server (`serve_with_mkdocs`), or, with Zensical, the standalone
project kept in sync with the content while `zensical serve` serves it.

Every save in content/, the templates or docs/ reloads the content; the project is synced (only
the files whose bytes changed are written, each atomically, so Zensical rebuilds just those pages).
A bad edit writes pages that show the problems, until the content is valid again.
"""

from __future__ import annotations

import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any

from ..content import load_all
from ..content.cache import FileCache
from ..errors import ContentError, Problem
from ..site.errors_page import error_pages
from ..site.incremental import Memo
from ..site.project import Project
from ..site.render import clear_templates, default_templates_dir
from ..site.standalone import hand_written_pages, project_files
from ..text import plural
from .engines import WORK_DIR, Synced, raw_config, settings_of, standalone, sync, zensical_command


@contextmanager
def stopped_like_ctrl_c() -> Iterator[None]:
    """While serving, SIGTERM (`kill`, a service manager, a CI step's timeout) and SIGHUP (the terminal
    closed) stop the server as Ctrl+C does: a KeyboardInterrupt in the main thread, so the cleanup runs
    (`zensical serve` stopped, MkDocs' temporary site removed) instead of the process just ending. A
    signal set to be ignored (`nohup`) stays ignored; one more signal during the cleanup is not let
    cut it short. Outside the main thread (where no handler can be set) nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    stopping = False

    def interrupt(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
            previous[number] = signal.signal(number, interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, signal.SIG_DFL if handler is None else handler)


def serve_with_mkdocs(config_file: Path, *, dev_addr: str) -> None:
    """MkDocs' server with live reload; the plugin rebuilds the pages (and shows problems) on each save."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    from ..errors import BuildError
    from .live_reload import allow_live_reload

    allow_live_reload()  # the pages' Content-Security-Policy lets the server's reload script run
    try:
        with stopped_like_ctrl_c():  # MkDocs stops on KeyboardInterrupt and removes its temporary site
            mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)
    except MkDocsException as error:
        raise BuildError(str(error)) from None
    except KeyboardInterrupt:
        pass  # the signal came before MkDocs' server was serving (MkDocs' own cleanup has run)


class ZensicalServer:
    """The project in sync with the content, and `zensical serve` serving it."""

    def __init__(self, config_file: Path, *, dev_addr: str, today: Callable[[], date], report: Callable[[str], None]) -> None:
        self.config_file = config_file
        self.base = raw_config(config_file)
        self.settings = settings_of(config_file, self.base)
        self.dev_addr = dev_addr
        self.today = today
        self.report = report
        self.project_dir = self.settings.root / WORK_DIR / "zensical"
        self.project: Project | None = None
        self.lock = threading.Lock()
        self.file_cache = FileCache(persist=False)  # each content file's own check, kept between saves
        self.memo = Memo()  # the last render's pages and what each read: a save renders only what it changed
        self.templates_seen: tuple[tuple[str, int, int], ...] | None = None

    def _templates_changed(self) -> bool:
        """Whether a template was edited since the last refresh (then they are compiled again)."""
        folder = self.settings.templates or default_templates_dir()
        seen = tuple(
            sorted(
                (str(path), path.stat().st_mtime_ns, path.stat().st_size) for path in Path(folder).rglob("*") if path.is_file()
            )
        )
        changed = seen != self.templates_seen
        self.templates_seen = seen
        return changed

    def refresh(self) -> Synced:
        """Reload the content and sync the project; after a bad edit, the last pages show the problems."""
        with self.lock:
            if self._templates_changed():
                clear_templates()
            try:
                loaded = load_all(self.settings.content, today=self.today(), cache=self.file_cache)
                project, files = standalone(
                    self.settings, self.base, loaded, today=self.today(), memo=self.memo
                )  # `release: true` checks drafts
            except ContentError as error:
                if self.project is None:
                    raise
                return self._show_problems(error.problems)
            self.project = project
            synced = sync(self.project_dir, files, within=self.settings.root)
            self.report(self.memo.summary(len(project.pages)).capitalize() + ".")
            self.report(f"Content is valid: {plural(len(synced.written), 'file')} written, {synced.unchanged} unchanged.")
            return synced

    def _show_problems(self, problems: list[Problem]) -> Synced:
        assert self.project is not None
        broken = replace(self.project, pages=error_pages(self.project, problems))
        files = project_files(broken, base=self.base, hand_written=hand_written_pages(self.settings.docs_dir))
        synced = sync(self.project_dir, files, within=self.settings.root)
        errors = sum(problem.severity == "error" for problem in problems)
        self.report(
            f"The content has {plural(errors, 'problem')}: the pages show {'it' if errors == 1 else 'them'} until {'it is' if errors == 1 else 'they are'} fixed."
        )
        for problem in problems:
            self.report(str(problem))
        return synced

    def watched(self) -> list[Path]:
        folders = [self.settings.content, self.settings.templates or default_templates_dir(), self.settings.docs_dir]
        return [folder for folder in folders if folder.is_dir()]

    def run(self) -> int:
        """Serve until interrupted (Ctrl+C, SIGTERM, SIGHUP: then 0); else the exit status of
        `zensical serve`. Whatever stops it, `zensical serve` is stopped too."""
        from watchdog.events import FileSystemEvent, FileSystemEventHandler
        from watchdog.observers import Observer

        pending = threading.Event()

        class _Changed(FileSystemEventHandler):
            def on_any_event(self, event: FileSystemEvent) -> None:
                if not str(event.src_path).endswith(("~", ".swp")):
                    pending.set()

        with stopped_like_ctrl_c():
            server: subprocess.Popen[bytes] | None = None
            observer = Observer()
            try:
                self.refresh()
                command = [*zensical_command(), "serve", "-f", "mkdocs.yml", "-a", self.dev_addr]
                server = subprocess.Popen(command, cwd=self.project_dir)
                for folder in self.watched():
                    observer.schedule(_Changed(), str(folder), recursive=True)
                observer.start()
                while server.poll() is None:
                    if pending.wait(0.2):
                        time.sleep(0.1)  # a save is often a burst of events: take them as one
                        pending.clear()
                        self.refresh()
                return server.returncode or 0
            except KeyboardInterrupt:
                return 0
            finally:
                if observer.is_alive():
                    observer.stop()
                    observer.join(5)
                if server is not None and server.poll() is None:
                    server.terminate()
                    try:
                        server.wait(10)
                    except subprocess.TimeoutExpired:
                        server.kill()
                        server.wait(5)
