"""Every page of the built site in a real browser: no console errors, no failed requests; axe-core clean."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from browser import *  # noqa: F403 - pytest fixtures
from browser import ROOT, Served, axe_violations, deployed_at


def test_every_page_loads_without_errors(page, served_mini: Served) -> None:
    deployed_at(page, "https://example.org/mini/", served_mini)  # the 404 page links to the site's own address
    pages = sorted(str(p.relative_to(served_mini.root)).replace("index.html", "")
                   for p in served_mini.root.rglob("*.html") if "pagefind" not in p.parts)
    assert len(pages) == 14  # home, 2 indexes, search, 404, 2 articles, 4 entities, 2 tags, 1 year archive
    for path in pages:
        response = page.goto(served_mini.url + path)
        assert response.ok, path
        page.wait_for_load_state("networkidle")
        assert page.locator("main h1").count() == 1, path
        assert page.problems.items == [], f"{path}: {page.problems.items}"
    page.goto(served_mini.url + "search/?q=Kabul")  # the search page with a query fetches the index
    page.locator("#search-results li").first.wait_for()
    page.goto(served_mini.url + "articles/talks/")
    page.hover("#m-1")  # a card fetches its entity's card.json
    page.locator("#gloss-card .card-count:not(:empty)").wait_for()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "entities/", "articles/panjshir-falls/", "entities/panjshir/",
                                  "search/?q=Panjshir", "tags/afghanistan/"])
def test_no_serious_accessibility_violations(page, served_mini: Served, path: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(served_mini.url + path)
    if path.startswith("search/"):
        page.locator("#search-results li").first.wait_for()
    if path.startswith("articles/"):
        page.focus("#m-1")  # with a card open
        page.locator("#gloss-card").wait_for()
    assert axe_violations(page) == []


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 320, "height": 640}}])
def test_narrowest_screen_has_no_sideways_scroll(page, served_mini: Served) -> None:
    for path in ("", "entities/", "articles/panjshir-falls/", "entities/panjshir/", "search/"):
        page.goto(served_mini.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path


def test_skip_link_and_landmarks(page, served_mini: Served) -> None:
    page.goto(served_mini.url + "articles/panjshir-falls/")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert skip.bounding_box()["x"] >= 0  # visible when focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    for role in ("banner", "navigation", "main", "contentinfo", "search", "complementary"):
        assert page.get_by_role(role).count() >= 1, role


def test_print_stylesheet_shows_notes_and_hides_chrome(page, served_mini: Served) -> None:
    page.goto(served_mini.url + "articles/panjshir-falls/")
    page.emulate_media(media="print")
    assert not page.locator(".site-search").is_visible()
    assert page.locator("#note-1-text").is_visible()


# ---------------------------------------------------------------- every page kind, every impact

EVERY_IMPACT = ("minor", "moderate", "serious", "critical")


def first_page(served: Served, pattern: str, containing: str = "") -> str | None:
    """The site path (ending in '/') of the first page matching `pattern` whose HTML has `containing`."""
    for found in sorted(served.root.glob(pattern)):
        if containing in found.read_text(encoding="utf-8"):
            return str(found.parent.relative_to(served.root)) + "/"
    return None


def busiest_entity(served: Served) -> str:
    data = json.loads((served.root / "entities.json").read_text(encoding="utf-8"))
    return max(data, key=lambda i: (data[i]["articles"], i))


def page_kinds(served: Served) -> list[tuple[str, str, str]]:
    """(kind, template, site path) of one page of each kind the build wrote (path None: the site has none)."""
    busiest = busiest_entity(served)
    name = json.loads((served.root / "entities.json").read_text(encoding="utf-8"))[busiest]["name"]
    article = first_page(served, "articles/*/index.html")
    kinds = [("home", "home.html", ""), ("year archive", "archive.html", first_page(served, "archive/*/index.html")),
             ("entities index", "entities.html", "entities/"), ("article", "article.html", article),
             ("article with a card open", "article.html", article),
             ("entity with a timeline", "entity.html", first_page(served, "entities/*/index.html", "timeline-chart")),
             ("entity with quotes", "entity.html", first_page(served, "entities/*/index.html", "said-quote")),
             ("entity's year", "entity-year.html", first_page(served, "entities/*/*/index.html")),
             ("search with results", "search.html", f"search/?q={quote(name)}"),
             ("tags index", "tags.html", "tags/"), ("tag", "tag.html", first_page(served, "tags/*/index.html")),
             ("not found", "404.html", "404.html")]
    return kinds


def show(page, served: Served, kind: str, path: str) -> None:
    """Open the page as a reader sees that kind of it: search results in, a card open, a sidenote shown."""
    page.goto(served.url + path)  # at "load": the deferred gloss.js has run
    if kind == "search with results":
        page.locator("#search-results li .type-badge").first.wait_for()
    if kind == "article with a card open":
        page.hover(".article-body .mention")  # after the hover delay, with its count fetched
        page.locator("#gloss-card .card-count:not(:empty)").wait_for()
    if kind == "article" and page.locator(".sidenote").count():
        if page.viewport_size["width"] < 1024:
            page.locator("label.note-ref").first.click()  # a phone's note opens under its line
        page.locator(".sidenote").first.wait_for()  # a wide screen's is beside the text, without a tap


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1440])
def test_no_accessibility_violation_of_any_impact_on_any_page_kind(page, served_example: Served,
                                                                  served_generated: Served, scheme: str,
                                                                  width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    deployed_at(page, "https://bench.example/", served_generated)  # its 404 page links to its own address
    found, checked = [], set()
    for site, served in (("example", served_example), ("generated", served_generated)):
        kinds = [kind for kind in page_kinds(served) if kind[2] is not None]
        for kind, template, path in kinds:
            show(page, served, kind, path)
            found += [f"{site} {kind} ({path}): {v}" for v in axe_violations(page, EVERY_IMPACT)]
            checked |= {kind, template}
        assert page.problems.items == [], f"{site}: {page.problems.items}"
    page_templates = {t.name for t in (ROOT / "theme/templates").glob("*.html")} - {"base.html"}
    every_kind = {kind for kind, _, _ in page_kinds(served_example)}
    assert checked == page_templates | every_kind  # each kind on one of the sites at least, each page template
    assert found == [], "\n".join(found)
