"""Preview server: serve the built site with livereload, rebuild on changes, show errors in the page.

Built on livereload's pieces the way they are meant to be combined: its watcher (subclassed to
see every change of a burst at once and to skip editor temp files), its websocket reload handler
and script injector, and tornado's static file handler (subclassed to answer 404 for anything
outside the site). The one addition is `/__gloss/status`, which the injected overlay script polls
to show the last build error over the page. Every request first passes gloss/serve_guard.py (Host
and Origin), and the websocket takes only connections from pages this server served. On a loopback
address the review desk (gloss/reviewdesk.py) is added: the queue at /__gloss/review, fixes applied
from the browser, and marks on the mentions to review; all of it only in served responses.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from livereload.watcher import Watcher
from tornado import escape, ioloop, web

from .config import SiteConfig, check_output_folder
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
    """Runs one rebuild for a set of changed paths and records the outcome for the overlay."""

    def __init__(self, config: SiteConfig, drafts: bool) -> None:
        from .builder import SiteBuilder

        self.config = config
        # The search index is refreshed in the background after a rebuild (it takes seconds on a big
        # site), so the page reloads as soon as its HTML is written.
        self.builder = SiteBuilder(config, drafts=drafts, search=False, save_every_build=False)
        self.status = BuildStatus()
        self.search = SearchRefresher(config, self.builder.search_marker)

    def __call__(self, changed: list[str]) -> bool:
        start = time.perf_counter()
        problems = Problems()
        try:
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
            token = search_stale_token(self.marker) if self.marker else None
            indexed, _ = index_site(self.config.output_path, problems, self.config.path)
            if indexed and self.marker:
                clear_search_stale(self.marker, token)
            for warning in problems.warnings:
                print(warning.format(), file=sys.stderr, flush=True)
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
    """Polls the sources; a burst of events (temp file + rename, several saves) is one rebuild."""

    POLL_SECONDS = 0.25

    def __init__(self, roots: list[Path], on_change: Callable[[list[str]], bool], site_root: Path,
                 settle: float = 0.15) -> None:
        super().__init__()
        self.roots = roots
        self.on_change = on_change
        self.site_root = site_root
        self.settle = settle
        self.stamps = self.scan()

    def start(self, callback: Callable[[], None]) -> bool:
        """Poll every POLL_SECONDS (livereload's own loop waits 0.8 s between looks)."""
        ioloop.PeriodicCallback(callback, self.POLL_SECONDS * 1000).start()
        return True

    def scan(self) -> dict[str, tuple[int, int]]:
        stamps = {}
        for root in self.roots:
            if root.is_file():
                stamps[str(root)] = _stamp(root)
                continue
            for folder, dirs, files in os.walk(root):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in files:
                    path = os.path.join(folder, name)
                    if not is_editor_litter(path):
                        stamps[path] = _stamp(Path(path))
        return stamps

    def changes(self) -> set[str]:
        new = self.scan()
        changed = {p for p in new.keys() | self.stamps.keys() if new.get(p) != self.stamps.get(p)}
        self.stamps = new
        return changed

    def examine(self) -> tuple[str | None, float | None]:
        # livereload queues a reload of every open page when the server starts; a page opened just
        # then would reload for nothing, so only real changes reload pages.
        self._changes.clear()
        changed = self.changes()
        if not changed:
            return None, None
        while True:  # let a burst of writes settle before reading anything
            time.sleep(self.settle)
            more = self.changes()
            if not more:
                break
            changed |= more
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


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


class SiteFileHandler(StaticFileHandler):
    """Static files of the built site; anything outside it, or missing, is a plain 404."""

    def initialize(self, path: str, default_filename: str | None = None, base_url: str | None = None) -> None:
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
          drafts: bool = True) -> int:
    port = claim_port(host, port)
    check_output_folder(config)  # before anything is built, or served: it could be any folder
    rebuilder = Rebuilder(config, drafts)
    rebuilder([str(config.content_dir)])
    roots = [config.content_dir, config.seeds_dir, config.theme_dir, config.root / "site.yml"]
    watcher = SourceWatcher([r for r in roots if r.exists()], rebuilder, config.root)
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
        server.serve(host=host, port=port, root=str(config.output_path), restart_delay=0)
    finally:
        rebuilder.builder.save_state()  # so the next serve starts incremental
    return 0
