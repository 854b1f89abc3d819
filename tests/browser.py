"""A real headless browser for the tests: Debian's chromium driven by Playwright's sync API.

Fixtures (import them into a test module with `from browser import *`):
- `browser`: one Chromium for the whole session (started lazily, closed at the end);
- `served_mini`: the mini site built once with the project's theme and served over HTTP on 127.0.0.1;
- `served_example`, `served_generated`: the same for the shipped example (content/, site.yml) and for a
  generated site of 40 articles (bench.corpus), whose busiest entities
  have pages of passages by year;
- `page`: a fresh browser context and page for one test, which fails the test if the page logs a
  console error, throws, or a request fails (or answers 4xx/5xx).

Chromium is never downloaded by Playwright here: `make browser-deps` installs Debian's package.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CHROMIUM = os.environ.get("GLOSS_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".jsonld": "application/ld+json", ".wasm": "application/wasm", ".js": "text/javascript"}

    def log_message(self, *args: object) -> None:
        pass


@dataclass
class Served:
    """A built site on disk and the URL it is served at (ending in '/')."""

    root: Path
    url: str
    server: http.server.ThreadingHTTPServer = field(repr=False)


def serve(directory: Path, sub_path: str = "") -> Served:
    """Serve `directory` on 127.0.0.1 (a free port) from a daemon thread; the caller shuts it down."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return Served(directory, f"http://127.0.0.1:{server.server_address[1]}/{sub_path}", server)


def build_site(source: Path, workdir: Path) -> Path:
    """Copy a fixture site, add the project's theme, build it; returns its _site folder."""
    from gloss.cli import main

    site = workdir / source.name
    shutil.copytree(source, site)
    shutil.copytree(ROOT / "theme", site / "theme", dirs_exist_ok=True)
    assert main(["--root", str(site), "build", "--no-ingest"]) == 0, f"{source.name} failed to build"
    return site / "_site"


# Test modules import these fixtures (`from browser import *`), so each module holds its own copy of a
# session fixture: the browser and the served site are shared between the copies by a reference count,
# so that there is one Chromium and one build per session (two Playwright instances cannot run at once).
_SHARED: dict[str, list] = {}


@contextlib.contextmanager
def _shared(name: str, start):
    if name not in _SHARED:
        stack = contextlib.ExitStack()
        _SHARED[name] = [stack.enter_context(start()), stack, 0]
    entry = _SHARED[name]
    entry[2] += 1
    try:
        yield entry[0]
    finally:
        entry[2] -= 1
        if entry[2] == 0:
            del _SHARED[name]
            entry[1].close()


@contextlib.contextmanager
def _chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@contextlib.contextmanager
def _mini() -> Iterator[Served]:
    """The mini site served from a sub-path, as a static host might (/site/…)."""
    with tempfile.TemporaryDirectory(prefix="gloss-browser-") as tmp:
        out = build_site(HERE / "fixtures" / "mini", Path(tmp))
        www = Path(tmp) / "www"
        www.mkdir()
        shutil.move(str(out), www / "site")
        served = serve(www, "site/")
        served.root = www / "site"
        try:
            yield served
        finally:
            served.server.shutdown()


@contextlib.contextmanager
def _built_and_served(make: Callable[[Path], Path]) -> Iterator[Served]:
    """`make(folder)` writes a project in a temp folder; it is built with the project's theme and served."""
    with tempfile.TemporaryDirectory(prefix="gloss-browser-") as tmp:
        out = build_site(make(Path(tmp) / "source"), Path(tmp) / "built")
        served = serve(out)
        try:
            yield served
        finally:
            served.server.shutdown()


def _example_project(folder: Path) -> Path:
    shutil.copytree(ROOT / "content", folder / "content")
    shutil.copy(ROOT / "site.yml", folder / "site.yml")
    return folder


def _generated_project(folder: Path) -> Path:
    from bench.corpus import write_site

    write_site(folder, 40)
    with (folder / "site.yml").open("a", encoding="utf-8") as config:
        config.write("passages_by_year_after: 20\n")  # its busiest entities get pages of passages by year
    return folder


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    # Fail, not skip: `make test` installs both, so a missing one is a broken set-up to see.
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make browser-deps`")
    with _shared("browser", _chromium) as chromium:
        yield chromium


@pytest.fixture(scope="session")
def served_mini() -> Iterator[Served]:
    with _shared("mini", _mini) as served:
        yield served


@pytest.fixture(scope="session")
def served_example() -> Iterator[Served]:
    with _shared("example", lambda: _built_and_served(_example_project)) as served:
        yield served


@pytest.fixture(scope="session")
def served_generated() -> Iterator[Served]:
    with _shared("generated", lambda: _built_and_served(_generated_project)) as served:
        yield served


class PageProblems:
    """Everything that went wrong in a page: console errors, uncaught exceptions, failed requests."""

    def __init__(self, page: object) -> None:
        self.items: list[str] = []
        page.on("console", lambda m: self.items.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.items.append(f"exception: {e}"))
        # a request the page itself dropped by navigating away (net::ERR_ABORTED) is not a failure
        page.on("requestfailed", lambda r: self.items.append(f"request failed: {r.url} ({r.failure})")
                if "ERR_ABORTED" not in (r.failure or "") else None)
        page.on("response", lambda r: self.items.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)


@pytest.fixture
def context_options() -> dict:
    return {}


@pytest.fixture
def page(browser: object, context_options: dict) -> Iterator[object]:
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(30_000)  # a bound for a failing step; a busy machine may be slow
    problems = PageProblems(page)
    page.problems = problems
    try:
        yield page
    finally:
        context.close()
    assert problems.items == [], "the page had problems:\n" + "\n".join(problems.items)


def deployed_at(page: object, base_url: str, served: Served) -> None:
    """Answer the page's requests for the site's own address (site.yml's base_url) from `served`, as
    if the site were deployed there: the 404 page links to it (see Renderer.not_found_page)."""
    def answer(route: object) -> None:
        route.fulfill(response=page.context.request.get(served.url + route.request.url[len(base_url):]))

    page.route(base_url + "**", answer)


def axe_violations(page: object, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core on the page; returns 'rule: target' for each violation of the given impacts."""
    if not AXE.exists():
        pytest.fail("axe-core is not installed: run `make browser-deps` (npm install axe-core@4)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in result["violations"]:
        if violation["impact"] in impacts:
            for node in violation["nodes"]:
                found.append(f"{violation['id']} ({violation['impact']}): {node['target']} — {violation['help']}")
    return found


__all__ = ["AXE", "Served", "axe_violations", "browser", "build_site", "context_options", "deployed_at", "page",
           "serve", "served_example", "served_generated", "served_mini"]
