"""Preview server: serve the built site with livereload, rebuild on changes, show errors in the page.

Built on livereload's pieces the way they are meant to be combined: its watcher (subclassed to wait
for the operating system's file events through watchfiles, to see every change of a burst at once
and to skip editor temp files), its websocket reload handler and script injector, and tornado's
static file handler (subclassed to answer 404 for anything
outside the site). The one addition is `/__gloss/status`, which the injected overlay script polls
to show the last build error over the page. Every request first passes gloss/serve_guard.py (Host
and Origin), and the websocket takes only connections from pages this server served. On a loopback
address the review desk (gloss/reviewdesk.py) is added: the queue at /__gloss/review, fixes applied
from the browser, and marks on the mentions to review; all of it only in served responses.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles
from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from livereload.watcher import Watcher
from tornado import escape, ioloop, web

from .config import SiteConfig, check_output_folder, load_config
from .errors import BuildFailed, GlossError, Problems
from .output import clear_search_stale, search_stale_token
from .reviewdesk import ReviewDesk
from .reviewdesk import handlers as review_handlers
from .serve_guard import Guard, GuardedApplication, is_loopback, same_origin

EDITOR_LITTER = (".swp", ".swx", ".swo", "~", ".tmp", ".part", ".crdownload")


def is_editor_litter(path: str) -> bool:
    """Swap files, backups and half-written temp files that editors leave while saving."""
    name = os.path.basename(path)
    return (name.endswith(EDITOR_LITTER) or name.startswith((".#", "#")) or name == "4913"
            or (name.startswith(".") and ".tmp" in name))


@dataclass
class BuildStatus:
    """What the overlay shows: the errors of the last rebuild (empty when it succeeded)."""

    errors: list[dict[str, object]] = field(default_factory=list)
    version: int = 0

    def as_json(self) -> str:
        return json.dumps({"errors": self.errors, "version": self.version})


class Rebuilder:
    """Runs one rebuild for a set of changed paths and records the outcome for the overlay.

    An edit of site.yml reads it again and starts a new builder with the new settings, so the next
    build is a full one; a site.yml that cannot be read fails like a broken article (the overlay
    shows it, the last good site stays served) until it is fixed."""

    def __init__(self, config: SiteConfig, drafts: bool) -> None:
        self.drafts = drafts
        self.settings = config.root / "site.yml"
        self.settings_failed = False
        self.status = BuildStatus()
        self.search = SearchRefresher(config, None)
        self._use(config)

    def _use(self, config: SiteConfig) -> None:
        from .builder import SiteBuilder

        self.config = self.search.config = config
        # The search index is refreshed in the background after a rebuild (it takes seconds on a big
        # site), so the page reloads as soon as its HTML is written.
        self.builder = SiteBuilder(config, drafts=self.drafts, search=False, save_every_build=False)
        self.search.marker = self.builder.search_marker

    def __call__(self, changed: list[str]) -> bool:
        start = time.perf_counter()
        problems = Problems()
        try:
            if self.settings_failed or str(self.settings) in changed:
                self._reload_settings(problems)
            if any(Path(p).is_relative_to(self.config.seeds_dir) for p in changed):
                self._ingest()
            model = self.builder.build(problems, changed_paths=changed)
        except BuildFailed as failed:
            return self._failed(failed.problems.errors, changed)
        except GlossError as error:
            return self._failed([error], changed)
        self.status = BuildStatus([], self.status.version + 1)
        for warning in problems.warnings:
            print(warning.format(), file=sys.stderr)
        pages = next((s.summary for s in model.stages if s.name == "render"), "")
        print(f"rebuilt after {describe(changed, self.config.root)}: {pages} in "
              f"{time.perf_counter() - start:.2f} s", flush=True)
        if model.written or model.removed or not (self.config.output_path / "pagefind").exists() \
                or self.search.stale():
            self.search.refresh()
        return True

    def _reload_settings(self, problems: Problems) -> None:
        """Read site.yml again; new settings get a new builder (a full build: every page may change).
        Raises GlossError, keeping the builder and the site it serves, when site.yml is broken."""
        self.settings_failed = True
        config = load_config(self.config.root, problems)
        self.settings_failed = False
        if config != self.config:
            self._use(config)

    def _ingest(self) -> None:
        from .ingest import ingest_seeds

        report = ingest_seeds(self.config)
        if report.written or report.refused:
            print(f"ingest: {report.summary()}", flush=True)

    def _failed(self, errors: list[GlossError], changed: list[str]) -> bool:
        for error in errors:
            print(error.format(), file=sys.stderr)
        print(f"rebuild after {describe(changed, self.config.root)} failed; still serving the last good site",
              file=sys.stderr, flush=True)
        self.status = BuildStatus([_error_json(e) for e in errors], self.status.version + 1)
        return False


class SearchRefresher:
    """Re-index the served site with Pagefind in a background thread; edits during a run are
    picked up by one more run when it ends."""

    def __init__(self, config: SiteConfig, marker: Path | None) -> None:
        self.config = config
        self.marker = marker  # see SiteBuilder.search_marker: cleared once the index is up to date
        self.lock = threading.Lock()
        self.running = False
        self.again = False

    def refresh(self) -> None:
        with self.lock:
            if self.running:
                self.again = True
                return
            self.running = True
        threading.Thread(target=self._run, daemon=True).start()

    def stale(self) -> bool:
        return self.marker is not None and search_stale_token(self.marker) is not None

    def _run(self) -> None:
        from .search import index_site

        while True:
            problems = Problems()
            start = time.perf_counter()
            token = search_stale_token(self.marker) if self.marker else None
            indexed, summary = index_site(self.config.output_path, problems, self.config.path)
            if indexed and self.marker:
                clear_search_stale(self.marker, token)
            for warning in problems.warnings:
                print(warning.format(), file=sys.stderr, flush=True)
            print(f"search: {summary} in {time.perf_counter() - start:.2f} s", flush=True)
            with self.lock:
                if not self.again:
                    self.running = False
                    return
                self.again = False


def _error_json(error: GlossError) -> dict[str, object]:
    return {"path": error.path, "line": error.line, "col": error.col, "message": error.message,
            "hint": error.hint, "text": error.format()}


def describe(changed: list[str], root: Path) -> str:
    shown = []
    for path in changed[:3]:
        try:
            shown.append(str(Path(path).relative_to(root)))
        except ValueError:
            shown.append(path)
    more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
    return ", ".join(shown) + more + " changed"


class SourceWatcher(Watcher):
    """Waits for the operating system's file events on the sources (inotify, FSEvents or
    ReadDirectoryChangesW, through watchfiles), and polls only where they cannot be had (`poll`, or
    when watching fails, e.g. at the system's limit of watches). Idle, it costs next to nothing.

    Two watches, each in a thread: the source folders with everything under them, and the project
    folder alone (site.yml, and source folders made or removed while serving). Their changes go to
    the server's loop, which rebuilds once no change has come for `settle` seconds: a burst of events
    (temp file + rename, several saves, one file written in pieces) is one rebuild."""

    STEP_MS = 50  # how often watchfiles looks at the events it gathered; a quiet step ends a batch

    def __init__(self, root: Path, folders: list[Path], files: list[Path], on_change: Callable[[list[str]], bool],
                 poll: bool = False, settle: float = 0.15) -> None:
        super().__init__()
        self.site_root, self.folders, self.files = root, folders, files
        self.on_change = on_change
        self.polling = poll
        self.settle = settle
        self.lock = threading.Lock()
        self.pending: dict[str, set[watchfiles.Change]] = {}  # path -> what happened to it
        self.loop: ioloop.IOLoop | None = None
        self.callback: Callable[[], None] | None = None
        self.timer: object | None = None
        self.stopping = threading.Event()
        self.top = _WatchSignals(self.stopping)
        self.sources = _WatchSignals(self.stopping)

    # -- the watching threads

    def begin(self) -> None:
        """Start watching; returns once both watches are in place, so any change from now on is seen."""
        threading.Thread(target=self._watch, args=(self.top, lambda: [self.site_root], False, self._keep_top),
                         daemon=True).start()
        threading.Thread(target=self._watch, args=(self.sources, self._source_folders, True, self._keep),
                         daemon=True).start()
        self.top.ready.wait()
        self.sources.ready.wait()
        how = "polling" if self.polling else "file events"
        print(f"watching {', '.join(p.name for p in (*self.folders, *self.files))} ({how})", flush=True)

    def stop(self) -> None:
        self.stopping.set()

    def _source_folders(self) -> list[Path]:
        return [p for p in self.folders if p.is_dir()]

    def _keep_top(self, change: watchfiles.Change, path: str) -> bool:
        """In the project folder: site.yml, and a source folder made or removed."""
        if change == watchfiles.Change.modified:
            return path in map(str, self.files)
        return path in map(str, (*self.folders, *self.files))

    def _keep(self, change: watchfiles.Change, path: str) -> bool:
        """Editor litter, and anything in a hidden folder (.git), is not a change of the site."""
        folder = path[len(str(self.site_root)):].rpartition(os.sep)[0]
        return not is_editor_litter(path) and os.sep + "." not in folder

    def _watch(self, signals: _WatchSignals, paths: Callable[[], list[Path]], recursive: bool,
               keep: Callable[[watchfiles.Change, str], bool]) -> None:
        """One watch, started again when `signals.restart` is set (the folders to watch changed),
        and with polling when file events fail. Once a watch is in place again, what it newly covers
        counts as changed: files may have landed there before it was."""
        watched: list[Path] = []
        while not self.stopping.is_set():
            signals.restart.clear()
            before, watched = watched, paths()
            new = {str(p) for p in watched} - {str(p) for p in before}
            if before and new:
                signals.on_ready = lambda new=new: self._arrived({(watchfiles.Change.added, p) for p in new})
            try:
                if not watched:
                    signals.ready.set()
                    signals.restart.wait()
                    continue
                for changes in watchfiles.watch(*watched, watch_filter=keep, recursive=recursive,
                                                step=self.STEP_MS, stop_event=signals, raise_interrupt=False,
                                                force_polling=True if self.polling else None):
                    self._arrived(changes)
            except FileNotFoundError:  # a folder went while the watch was being set up
                signals.restart.wait(1)
            except (OSError, RuntimeError) as error:
                if self.polling:
                    print(f"cannot watch {', '.join(map(str, watched))}: {error}; edits are not seen",
                          file=sys.stderr, flush=True)
                    signals.ready.set()
                    return
                self.polling = True
                print(f"file events are not available ({error}); polling for changes instead",
                      file=sys.stderr, flush=True)

    def _arrived(self, changes: set[tuple[watchfiles.Change, str]]) -> None:
        """In a watching thread: note the changes, and tell the server's loop."""
        folders = {str(p) for p in self.folders}
        if any(path in folders and change != watchfiles.Change.modified for change, path in changes):
            self.sources.restart.set()  # a source folder was made or removed: watch what is there now
        with self.lock:
            for change, path in changes:
                self.pending.setdefault(path, set()).add(change)
            loop = self.loop
        if loop is not None:
            loop.add_callback(self._wait_for_quiet)

    # -- in the server's loop

    def start(self, callback: Callable[[], None]) -> bool:
        """Called by livereload as the server starts: `callback` runs examine() and reloads pages."""
        self.callback = callback
        self.loop = ioloop.IOLoop.current()
        with self.lock:
            waiting = bool(self.pending)
        if waiting:  # changed while the first build ran
            self.loop.add_callback(self._wait_for_quiet)
        return True

    def _wait_for_quiet(self) -> None:
        if self.timer is not None:
            self.loop.remove_timeout(self.timer)
        self.timer = self.loop.call_later(self.settle, self._quiet)

    def _quiet(self) -> None:
        self.timer = None
        self.callback()

    def examine(self) -> tuple[str | None, float | None]:
        # livereload queues a reload of every open page when the server starts; a page opened just
        # then would reload for nothing, so only real changes reload pages.
        self._changes.clear()
        with self.lock:
            pending, self.pending = self.pending, {}
        # a file made and removed again within the burst (a temp file of sed -i or an editor) changed nothing
        changed = {path for path, what in pending.items()
                   if watchfiles.Change.added not in what or os.path.lexists(path)}
        if not changed:
            return None, None
        ok = self.on_change(sorted(changed))
        # livereload's handler reads the path to send from `filepath`, not from our return value
        self.filepath = self.reload_path(changed) if ok else None
        return self.filepath, None

    def reload_path(self, changed: set[str]) -> str:
        """A stylesheet path lets livereload swap just the CSS; anything else reloads the page."""
        static = self.site_root / "theme" / "static"
        if all(p.endswith(".css") and Path(p).is_relative_to(static) for p in changed):
            return str(Path(sorted(changed)[0]).relative_to(static.parent))
        return "index.html"


class _WatchSignals:
    """What watchfiles asks between its looks: whether to stop. It first asks once its watches are in
    place, which is how `ready` is known."""

    def __init__(self, stopping: threading.Event) -> None:
        self.stopping = stopping
        self.restart = threading.Event()
        self.ready = threading.Event()
        self.on_ready: Callable[[], object] | None = None  # once, when a restarted watch is in place

    def is_set(self) -> bool:
        self.ready.set()
        if self.on_ready is not None:
            done, self.on_ready = self.on_ready, None
            done()
        return self.stopping.is_set() or self.restart.is_set()


class SiteFileHandler(StaticFileHandler):
    """Static files of the built site; anything outside it, or missing, is a plain 404."""

    rebuilder: Rebuilder | None = None  # set by serve(): site.yml may name another output folder while it runs

    def initialize(self, path: str, default_filename: str | None = None, base_url: str | None = None) -> None:
        if self.rebuilder is not None:
            path, base_url = str(self.rebuilder.config.output_path), self.rebuilder.config.base_url
        super().initialize(path, default_filename)
        self.base_url = base_url

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")  # a reload must never show a stale stylesheet

    @classmethod
    def get_absolute_path(cls, root: str, path: str) -> str:
        return _not_found_outside_root(lambda: super(SiteFileHandler, cls).get_absolute_path(root, path))

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        return _not_found_outside_root(lambda: super(SiteFileHandler, self).validate_absolute_path(root, absolute_path))

    def write_error(self, status_code: int, **kwargs: object) -> None:
        page = Path(self.root) / "404.html"
        if status_code == 404 and page.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.finish(local_not_found_page(page.read_bytes(), self.base_url))
        else:
            super().write_error(status_code, **kwargs)


def local_not_found_page(page: bytes, base_url: str | None) -> bytes:
    """The 404 page links to the site's host when base_url is set (see Renderer.not_found_page); the
    preview serves the site from its own root, so those links are pointed there instead."""
    if not base_url:
        return page
    base = (base_url.rstrip("/") + "/").encode("utf-8")
    return page.replace(b'="' + base, b'="/')


def _not_found_outside_root(check: Callable[[], str | None]) -> str | None:
    """Tornado answers 403 for paths outside the root; say 404, revealing nothing about them.
    A path the system cannot even name (a NUL in it) is not there either."""
    try:
        return check()
    except ValueError:
        raise web.HTTPError(404) from None
    except web.HTTPError as error:
        if error.status_code == 403:
            raise web.HTTPError(404) from None
        raise


class SameOriginReloadHandler(LiveReloadHandler):
    """livereload's websocket, which accepts any Origin, restricted to pages this server served."""

    def check_origin(self, origin: str) -> bool:
        return same_origin(origin, self.request.host)

    def on_message(self, message: str | bytes) -> None:
        try:
            escape.json_decode(message)
        except ValueError:
            return  # not the livereload protocol: ignore it rather than log a traceback
        super().on_message(message)


class StatusHandler(web.RequestHandler):
    rebuilder: Rebuilder

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(self.rebuilder.status.as_json())


OVERLAY_JS = Path(__file__).with_name("overlay.js")


class OverlayHandler(web.RequestHandler):
    def get(self) -> None:
        self.set_header("Content-Type", "application/javascript")
        self.finish(OVERLAY_JS.read_bytes())


class GlossServer(Server):
    """livereload's Server with Gloss's status endpoint and error overlay added."""

    def __init__(self, watcher: SourceWatcher, rebuilder: Rebuilder, announce: Callable[[], None],
                 desk: ReviewDesk | None) -> None:
        super().__init__(watcher=watcher)
        self.rebuilder = rebuilder
        self.desk = desk  # None off loopback: no review endpoints, no token in the pages
        self.announce = announce  # says where it serves, once it listens (not before: a reader may connect)

    def application(self, port, host, liveport=None, debug=None, live_css=True):  # noqa: ANN001
        LiveReloadHandler.watcher = self.watcher  # class attributes, read by the subclass too
        LiveReloadHandler.live_css = live_css
        LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # never drop the reload after a quick second edit
        StatusHandler.rebuilder = self.rebuilder
        script = (b'<script src="/livereload.js?port=' + str(port).encode() + b'"></script>'
                  b'<script src="/__gloss/overlay.js"></script>' + (self.desk.head() if self.desk else b""))

        class Injector(LiveScriptInjector):
            pass

        Injector.script = script
        # livereload's /forcereload (a reload any page could ask for with a GET) is left out.
        handlers = [
            (r"/livereload", SameOriginReloadHandler), (r"/livereload.js", LiveReloadJSHandler),
            (r"/__gloss/status", StatusHandler), (r"/__gloss/overlay.js", OverlayHandler),
            *(review_handlers(self.desk) if self.desk else []),
            (r"/(.*)", SiteFileHandler, {"path": self.root, "default_filename": "index.html",
                                         "base_url": self.rebuilder.config.base_url}),
        ]
        app = GuardedApplication(Guard.for_bind(host, port), handlers=handlers, debug=False, transforms=[Injector])
        app.listen(port, address=host)
        self.announce()


@contextlib.contextmanager
def woken_by_signals() -> Iterator[None]:
    """Let Ctrl+C and SIGTERM reach the server at once. Their handlers run in the main thread, which
    sleeps in the server's loop until something wakes it; a signal taken by a watching thread does
    not, and nothing polls any more: so each signal also writes a byte the loop is waiting for."""
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    loop = ioloop.IOLoop.current()
    loop.add_handler(reader, lambda fd, events: reader.recv(64), ioloop.IOLoop.READ)
    previous = signal.set_wakeup_fd(writer.fileno())
    try:
        yield
    finally:
        signal.set_wakeup_fd(previous)
        reader.close()
        writer.close()


def claim_port(host: str, port: int) -> int:
    """The port to listen on (a free one for 0), checked before the first build; refusals are GlossErrors."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise GlossError(f"port {port} on {host} is already in use",
                                 hint="stop the other server, or choose another with --port "
                                      "(or --port 0 for any free one)") from None
            raise GlossError(f"cannot listen on {host}: {error.strerror or error}",
                             hint="give an address of this machine with --host, such as 127.0.0.1") from None
        return sock.getsockname()[1]


def serve(config: SiteConfig, host: str = "127.0.0.1", port: int = 8000, open_browser: bool = False,
          drafts: bool = True, poll: bool = False) -> int:
    port = claim_port(host, port)
    check_output_folder(config)  # before anything is built, or served: it could be any folder
    rebuilder = Rebuilder(config, drafts)
    SiteFileHandler.rebuilder = rebuilder
    watcher = SourceWatcher(config.root, [config.content_dir, config.seeds_dir, config.theme_dir],
                            [config.root / "site.yml"], rebuilder, poll=poll)
    watcher.begin()  # before the first build: what is saved while it runs is rebuilt right after it
    rebuilder([str(config.content_dir)])
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"

    desk = ReviewDesk(config, lambda: rebuilder.status.version) if is_loopback(host) else None

    def announce() -> None:
        print(f"serving {config.output_path} at {url} (Ctrl+C to stop)", flush=True)
        print(f"review what ingest guessed at {url}__gloss/review" if desk else
              "no review page: it is served on a loopback address only (--host 127.0.0.1)", flush=True)
        if open_browser:
            webbrowser.open(url)

    server = GlossServer(watcher, rebuilder, announce, desk)
    try:
        with woken_by_signals():
            server.serve(host=host, port=port, root=str(config.output_path), restart_delay=0)
    finally:
        watcher.stop()
        rebuilder.builder.save_state()  # so the next serve starts incremental
    return 0
