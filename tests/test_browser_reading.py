"""The reading experience in a real browser: cards, anchors, sidenotes, dark mode, sorting, search."""

from __future__ import annotations

import re

import pytest
from browser import *  # noqa: F403 - pytest fixtures
from browser import Served

ARTICLE = "articles/panjshir-falls/"


def card(page):
    return page.locator("#gloss-card")


def test_hovering_a_mention_shows_its_card(page, served_mini: Served) -> None:
    page.goto(served_mini.url + ARTICLE)
    page.hover("#m-3")
    box = card(page)
    box.wait_for(state="visible")
    assert "Zabihullah Mujahid" in box.inner_text()
    assert "Taliban spokesman." in box.inner_text()
    page.wait_for_function("document.querySelector('#gloss-card .card-count').textContent !== ''")
    assert "Mentioned in 2 articles" in box.inner_text()  # from entities.json, not baked into the page
    assert box.locator("a.card-link").get_attribute("href").endswith("entities/zabihullah-mujahid/")
    assert page.get_attribute("#m-3", "aria-describedby") == "gloss-card"
    # the card is next to the mention, inside the viewport
    mention, shown = page.locator("#m-3").bounding_box(), box.bounding_box()
    assert shown["y"] >= mention["y"] + mention["height"] - 1 or shown["y"] + shown["height"] <= mention["y"] + 1
    page.mouse.move(0, 0)
    box.wait_for(state="hidden")


def test_keyboard_focus_shows_the_card_and_escape_closes_it(page, served_mini: Served) -> None:
    page.goto(served_mini.url + ARTICLE)
    page.focus("#m-1")
    box = card(page)
    box.wait_for(state="visible")
    assert "Taliban" in box.text_content() and "Organization" in box.text_content()
    page.keyboard.press("Escape")
    box.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.id") == "m-1"  # focus stays where the reader was
    page.keyboard.press("Tab")  # next mention: its own card
    box.wait_for(state="visible")
    assert "Panjshir" in box.inner_text()


@pytest.mark.parametrize("context_options", [{"has_touch": True, "is_mobile": True,
                                              "viewport": {"width": 375, "height": 740}}])
def test_tapping_a_mention_opens_the_card_then_the_page(page, served_mini: Served) -> None:
    page.goto(served_mini.url + ARTICLE)
    page.tap("#m-4")
    box = card(page)
    box.wait_for(state="visible")
    assert "Kabul" in box.inner_text()
    assert page.url.endswith(ARTICLE)  # the first tap did not navigate
    page.tap("h1")  # tapping elsewhere closes it
    box.wait_for(state="hidden")
    page.tap("#m-4")
    box.wait_for(state="visible")
    with page.expect_navigation():
        page.tap("#gloss-card a.card-link")
    assert page.url.endswith("entities/kabul/")


def test_following_a_mention_and_back_to_the_exact_passage(page, served_mini: Served) -> None:
    page.goto(served_mini.url + ARTICLE)
    assert page.locator("[id^=m-]").count() == 6
    with page.expect_navigation():
        page.click("#m-2")
    assert page.url.endswith("entities/panjshir/")
    assert page.locator("h1").inner_text() == "Panjshir"
    links = page.locator("a.passage-link")
    assert links.count() == 2
    with page.expect_navigation():
        links.nth(1).click()
    assert page.url.endswith(ARTICLE + "#m-5")
    target = page.locator("#m-5")
    assert target.inner_text() == "Panjshir"
    assert page.evaluate("document.querySelector(':target').id") == "m-5"
    box = target.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]  # scrolled into view
    page.go_back()
    assert page.url.endswith("entities/panjshir/")


def test_whos_who_jumps_to_the_first_mention(page, served_mini: Served) -> None:
    page.goto(served_mini.url + ARTICLE)
    panel = page.locator(".whos-who")
    assert panel.locator("h3").all_inner_texts() == ["People", "Organizations", "Places"]
    panel.get_by_role("link", name="go to the first mention of Taliban in the text").click()
    assert page.url.endswith("#m-1")


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 375, "height": 740}}])
def test_sidenote_opens_inline_on_a_narrow_screen(page, served_mini: Served) -> None:
    page.goto(served_mini.url + ARTICLE)
    note = page.locator("#note-1-text")
    assert not note.is_visible()
    page.click("label[for=note-1]")
    assert note.is_visible()
    assert "1979 to 1989" in note.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375  # nothing sticks out sideways at 375 px
    page.click("label[for=note-1]")
    assert not note.is_visible()


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 1400, "height": 900}}])
def test_sidenote_sits_in_the_margin_on_a_wide_screen(page, served_mini: Served) -> None:
    page.goto(served_mini.url + ARTICLE)
    note = page.locator("#note-1-text")
    assert note.is_visible()
    body = page.locator(".article-body").bounding_box()
    assert note.bounding_box()["x"] >= body["x"] + body["width"]  # beside the text, not over it


def test_correction_explains_itself_on_focus(page, served_mini: Served) -> None:
    page.goto(served_mini.url + ARTICLE)
    page.focus("del.critic-delete")
    box = card(page)
    box.wait_for(state="visible")
    assert "“sure” became “certain”" in box.inner_text()


def test_dark_mode_toggle_is_remembered(page, served_mini: Served) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(served_mini.url)
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    toggle = page.locator("#theme-toggle")
    assert toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    dark = page.evaluate(background)
    assert dark != light
    page.goto(served_mini.url + "entities/")  # another page: still dark
    assert page.evaluate(background) == dark
    assert page.evaluate("localStorage.getItem('gloss-theme')") == "dark"
    page.locator("#theme-toggle").click()
    assert page.evaluate(background) == light


def test_dark_mode_follows_the_system(page, served_mini: Served) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(served_mini.url)
    assert page.locator("#theme-toggle").get_attribute("aria-pressed") == "true"
    rgb = [int(x) for x in re.findall(r"\d+", page.evaluate("getComputedStyle(document.body).backgroundColor"))]
    assert sum(rgb[:3]) < 150


def test_entities_sort_by_name_or_mentions(page, served_mini: Served) -> None:
    page.goto(served_mini.url + "entities/")
    table = page.locator("#group-place + table")
    places = table.locator("tbody tr td:first-child")
    assert places.all_inner_texts() == ["Kabul", "Panjshir"]  # no-JS order: by name
    name = table.locator("th", has=page.get_by_role("button", name="Name"))
    assert name.get_attribute("aria-sort") == "ascending"
    table.get_by_role("button", name="Name").click()  # again: Z to A
    assert places.all_inner_texts() == ["Panjshir", "Kabul"]
    assert name.get_attribute("aria-sort") == "descending"
    table.get_by_role("button", name="Articles").click()  # most first: Kabul is in 2, Panjshir in 1
    assert places.all_inner_texts() == ["Kabul", "Panjshir"]
    table.get_by_role("button", name="Mentions").click()
    counts = [int(x) for x in table.locator("tbody tr td:nth-child(3)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    assert table.locator("th[aria-sort]").count() == 1


def test_search_finds_an_entity_by_name_and_alias(page, served_mini: Served) -> None:
    page.goto(served_mini.url)
    page.fill("#site-search-q", "Mujahid")
    with page.expect_navigation():
        page.press("#site-search-q", "Enter")
    results = page.locator("#search-results li")
    results.first.wait_for()
    hrefs = [a.get_attribute("href") for a in page.locator("#search-results a").all()]
    assert any(h.endswith("/site/entities/zabihullah-mujahid/") for h in hrefs), hrefs
    assert page.locator("#search-results mark").count() > 0  # excerpts with the match marked
    page.fill("#search-q", "Panjshir Valley")  # an alias
    page.wait_for_function("document.getElementById('search-status').textContent.includes('Panjshir Valley')")
    hrefs = [a.get_attribute("href") for a in page.locator("#search-results a").all()]
    assert hrefs and hrefs[0].endswith("/site/entities/panjshir/"), hrefs


def test_article_reads_without_javascript(browser, served_mini: Served) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.goto(served_mini.url + ARTICLE)
        assert page.locator(".article-body").is_visible()
        assert page.locator("#note-1-text").is_visible()  # margin notes need no script
        assert page.locator(".whos-who").is_visible()
        page.goto(served_mini.url + "entities/")
        assert page.locator("table.entity-table").first.is_visible()
    finally:
        context.close()


def test_measure_is_60_to_75_characters(page, served_mini: Served) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(served_mini.url + ARTICLE)
    chars = page.evaluate("""() => {
        const p = document.querySelector('.article-body p');
        const probe = document.createElement('span');
        probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap';
        probe.textContent = 'the quick brown fox jumps over the lazy dog and keeps on running far away ';
        p.appendChild(probe);
        const perChar = probe.getBoundingClientRect().width / probe.textContent.length;
        probe.remove();
        return p.getBoundingClientRect().width / perChar;
    }""")
    assert 60 <= chars <= 75, chars
