"""Every page of the built site in a real browser: no console errors, no failed requests; axe-core clean."""

from __future__ import annotations

import pytest
from browser import *  # noqa: F403 - pytest fixtures
from browser import Served, axe_violations, deployed_at


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


ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1440])
def test_search_page_has_no_accessibility_violation_of_any_impact(page, served_example: Served, scheme: str,
                                                                   width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(served_example.url + "search/?q=Massoud")  # entity results with type badges, then articles
    page.locator("#search-results li .type-badge").first.wait_for()
    assert axe_violations(page, ALL_IMPACTS) == []  # landmark-unique: the two search forms have their own names
