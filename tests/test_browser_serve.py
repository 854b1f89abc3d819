"""`build.py serve` in a real browser: an open page reloads by itself after an edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import browser, context_options, page  # noqa: F401 - pytest fixtures
from devserver import DevServer, wait_until


@pytest.fixture
def server(mini_site: Path):
    dev = DevServer(mini_site)
    yield dev
    dev.stop()


WAIT_MS = 90_000  # only bounds a failing test: a busy machine may take long


def open_connected(server: DevServer, page, path: str) -> None:  # noqa: F811
    """Open a page and wait until its livereload websocket is connected: a reload sent before would be lost."""
    connected = server.browsers()
    page.goto(server.url + path)
    wait_until(lambda: server.browsers() > connected, what=server.log)


# `server` before `page`: fixtures are torn down in reverse, so the page closes (and checks its
# console) while the server still answers its status polls, not after.
def test_open_page_reloads_itself_after_an_edit(server: DevServer, page, mini_site: Path) -> None:  # noqa: F811
    open_connected(server, page, "articles/talks/")
    page.evaluate("window.__gloss_marker = 'still the first load'")
    article = mini_site / "content/articles/talks.md"
    article.write_text(article.read_text().replace("spoke to reporters", "spoke to the assembled press"))
    page.wait_for_function("() => document.body.innerText.includes('spoke to the assembled press')", timeout=WAIT_MS)
    assert page.evaluate("window.__gloss_marker === undefined"), "the page should have reloaded, not been patched"


def test_error_overlay_appears_and_clears_in_the_page(server: DevServer, page, mini_site: Path) -> None:  # noqa: F811
    page.goto(server.url + "articles/talks/")
    article = mini_site / "content/articles/talks.md"
    good = article.read_text()
    article.write_text(good.replace("[[kabul|the capital]]", "[[kabul|the capital"))
    overlay = page.locator("#gloss-error-overlay")
    overlay.wait_for(state="visible", timeout=WAIT_MS)
    assert "content/articles/talks.md:7:46: unclosed" in overlay.inner_text()
    assert "Talks in Kabul" in page.locator("h1").inner_text()  # the last good page is still there
    article.write_text(good)
    overlay.wait_for(state="detached", timeout=WAIT_MS)


def test_stylesheet_change_swaps_the_css_without_reloading(server: DevServer, page, mini_site: Path) -> None:  # noqa: F811
    open_connected(server, page, "")
    page.evaluate("window.__gloss_marker = 'kept'")
    css = mini_site / "theme/static/gloss.css"
    css.write_text(css.read_text() + "\nbody { outline: 7px solid rgb(1, 2, 3); }\n")
    page.wait_for_function("() => getComputedStyle(document.body).outlineWidth === '7px'", timeout=WAIT_MS)
    assert page.evaluate("window.__gloss_marker") == "kept"
    wait_until(lambda: any("theme/static/gloss.css changed" in line for line in server.rebuilds()))
