"""Pages as a reader meets them in a real browser (issue 18): the 404 page on a real host, anchored
annotations, the article and entity pages, the entities index."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from browser import *  # noqa: F403 - pytest fixtures
from browser import ROOT, QuietHandler, Served, serve
from conftest import FIXTURES
from devserver import DevServer

from gloss.cli import main


class PagesHandler(QuietHandler):
    """A static host as GitHub Pages is one: the site's 404.html for every missing address."""

    def __init__(self, *args: object, not_found: Path, **kwargs: object) -> None:
        self.not_found = not_found
        super().__init__(*args, **kwargs)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        if code != 404 or not self.not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = self.not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def make_project(name: str, folder: Path) -> None:
    """The mini fixture, the shipped example or a generated site of 40 articles, in `folder`."""
    if name == "mini":
        shutil.copytree(FIXTURES / "mini", folder)
    elif name == "example":
        shutil.copytree(ROOT / "content", folder / "content")
        shutil.copy(ROOT / "site.yml", folder / "site.yml")
    else:
        from bench.corpus import write_site

        write_site(folder, 40)


@pytest.fixture
def pages_host(tmp_path: Path):
    """A static host serving tmp_path/www, and a function that builds a project (make_project) into it
    at a sub-path, with site.yml's base_url set to where it is served (or unset, at the host's root)."""
    www = tmp_path / "www"
    www.mkdir()
    handler = functools.partial(PagesHandler, directory=str(www), not_found=www / "404.html")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"http://127.0.0.1:{server.server_address[1]}/"

    def publish(sub_path: str, project: str = "mini") -> str:
        site = tmp_path / project
        make_project(project, site)
        shutil.copytree(ROOT / "theme", site / "theme")
        config = site / "site.yml"
        lines = [line for line in config.read_text().splitlines(keepends=True) if not line.startswith("base_url:")]
        config.write_text("".join(lines) + (f"base_url: {host}{sub_path}\n" if sub_path else ""))
        assert main(["--root", str(site), "build", "--no-ingest", "--no-search"]) == 0
        shutil.copytree(site / "_site", www / sub_path, dirs_exist_ok=True)
        handler.keywords["not_found"] = www / sub_path / "404.html"
        return host + sub_path

    yield publish
    server.shutdown()


def expect_not_found(page, url: str) -> None:
    response = page.goto(url)
    assert response.status == 404
    page.wait_for_load_state("networkidle")
    # The page itself, and Chromium's console line about it: the only 404 there should be.
    page.problems.items.remove(f"HTTP 404: {url}")
    page.problems.items.remove("console error: Failed to load resource: the server responded with a status of 404 "
                               "(Not Found)")


def is_styled(page) -> bool:
    return page.evaluate("getComputedStyle(document.querySelector('.site-header')).display === 'flex'")


@pytest.mark.parametrize("project", ["example", "generated"])
@pytest.mark.parametrize("sub_path", ["", "project/"])  # root-relative links without base_url, absolute with it
def test_not_found_page_is_styled_and_its_links_work_at_any_depth(page, pages_host, sub_path: str,
                                                                   project: str) -> None:
    site = pages_host(sub_path, project)
    expect_not_found(page, site + "entities/nobody/at/all/")
    assert is_styled(page)
    link = page.get_attribute("link[rel=stylesheet]", "href")
    assert link == (site + "static/gloss.css" if sub_path else "/static/gloss.css")
    page.click("text=index of entities")
    page.wait_for_url(site + "entities/")
    assert page.locator("main h1").inner_text() == "People, organizations and places"


@pytest.fixture
def dev_mini(mini_site: Path):
    dev = DevServer(mini_site)  # the mini site sets base_url: https://example.org/mini/
    yield dev
    dev.stop()


# `dev_mini` before `page`: the page closes (and checks its console) while the server still answers.
def test_preview_server_shows_a_styled_not_found_page_with_base_url_set(dev_mini: DevServer, page) -> None:
    expect_not_found(page, dev_mini.url + "entities/nobody/")
    assert is_styled(page)
    assert page.get_attribute("link[rel=stylesheet]", "href") == "/static/gloss.css"
    page.click("text=latest articles")
    page.wait_for_url(dev_mini.url)


# ---------------------------------------------------------------- the example site

EXAMPLE_ARTICLE = "articles/the-taliban-say-they-now-have-full-control-over-panjshir/"


@pytest.fixture(scope="module")
def served_example(tmp_path_factory):
    """The shipped example (content/ and site.yml, one article), built and served from a sub-path."""
    root = tmp_path_factory.mktemp("example")
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "site.yml", root / "site.yml")
    assert main(["--root", str(root), "build", "--no-ingest"]) == 0
    www = root / "www"
    www.mkdir()
    shutil.move(str(root / "_site"), www / "site")
    served = serve(www, "site/")
    served.root = www / "site"
    yield served
    served.server.shutdown()


# Where a TextQuoteSelector lands in the article body, found as a client finds it: the quote in the
# body's textContent (with the sidenotes and footnote marks, or, `without_notes`, with them taken out),
# then the element at the exact text's first character.
ANCHOR = """([selector, withoutNotes]) => {
  let body = document.querySelector('.article-body');
  if (withoutNotes) {
    body = body.cloneNode(true);
    body.querySelectorAll('.sidenote, .note-ref, .footnote-ref, .footnotes, .footnotes-sep').forEach(n => n.remove());
  }
  const text = body.textContent, quote = selector.prefix + selector.exact + selector.suffix;
  const at = text.indexOf(quote);
  if (at < 0) return 'not found';
  if (text.indexOf(quote, at + 1) >= 0) return 'found twice';
  let start = at + selector.prefix.length;
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (start < node.data.length) {
      const mention = node.parentElement.closest('.mention');
      return mention ? mention.id : 'no mention there';
    }
    start -= node.data.length;
  }
  return 'past the end';
}"""


@pytest.mark.parametrize("without_notes", [False, True])
def test_every_annotation_of_the_example_anchors_on_its_mention(page, served_example: Served,
                                                                without_notes: bool) -> None:
    import json

    slug = EXAMPLE_ARTICLE.split("/")[1]
    items = json.loads((served_example.root / f"annotations/{slug}.jsonld").read_text(encoding="utf-8"))["items"]
    assert len(items) == 52
    page.goto(served_example.url + EXAMPLE_ARTICLE)
    landed = {item["id"].split("#")[1]: page.evaluate(ANCHOR, [item["target"]["selector"], without_notes])
              for item in items}
    assert landed == {anchor: anchor for anchor in landed}


def test_every_annotation_of_generated_articles_anchors_on_its_mention(page, served_generated: Served) -> None:
    import json

    slugs = sorted(p.stem for p in (served_generated.root / "annotations").glob("*.jsonld"))[:8]
    for slug in slugs:  # articles whose names and aliases recur, a subheading among their paragraphs
        items = json.loads((served_generated.root / f"annotations/{slug}.jsonld").read_text(encoding="utf-8"))["items"]
        assert len(items) == 12
        page.goto(served_generated.url + f"articles/{slug}/")
        landed = {item["id"].split("#")[1]: page.evaluate(ANCHOR, [item["target"]["selector"], False])
                  for item in items}
        assert landed == {anchor: anchor for anchor in landed}, slug


# ---------------------------------------------------------------- the article page

SITE_ARTICLE = {"example": EXAMPLE_ARTICLE, "generated": "articles/article-000123/"}


@pytest.mark.parametrize("name", ["example", "generated"])
@pytest.mark.parametrize("context_options", [{"viewport": {"width": w, "height": 700}} for w in (360, 375, 414)])
def test_phone_header_is_one_row(page, request, name: str, context_options: dict) -> None:
    page.goto(request.getfixturevalue(f"served_{name}").url + SITE_ARTICLE[name])
    header = page.locator(".site-header")
    items = header.locator(".site-title, .site-nav a, .site-search button, .theme-toggle")
    assert items.count() == 6
    boxes = [items.nth(i).bounding_box() for i in range(6)]
    middles = [box["y"] + box["height"] / 2 for box in boxes]
    assert max(middles) - min(middles) < 6, boxes  # one row
    assert all(box["width"] >= 24 and box["height"] >= 24 for box in boxes)  # tap targets
    assert header.bounding_box()["height"] < 64
    assert page.evaluate("document.documentElement.scrollWidth") == context_options["viewport"]["width"]
    page.click(".site-search button")  # the box is on the search page
    page.wait_for_url("**/search/**")
    assert page.locator("#search-q").is_visible()


def summary_is_under_the_headline(page) -> bool:
    headline, summary = page.locator("h1").bounding_box(), page.locator(".article-summary").bounding_box()
    return headline["y"] + headline["height"] <= summary["y"] < headline["y"] + headline["height"] + 40


def test_example_article_has_its_summary_under_the_headline_and_typographic_quotes_and_dashes(
        page, served_example: Served) -> None:
    page.goto(served_example.url + EXAMPLE_ARTICLE)
    assert summary_is_under_the_headline(page)
    text = page.locator(".article-body").inner_text()
    assert "Anti–Taliban" in text and "warning, “Anyone who tries" in text and "the group’s control" in text
    assert '"' not in text and "--" not in text and "'" not in text  # the seed's straight marks, all curled


def test_summary_sits_under_the_headline_and_more_on_these_people_ends_the_page(page, served_generated: Served) -> None:
    page.goto(served_generated.url + "articles/article-000123/")
    assert summary_is_under_the_headline(page)
    more = page.locator(".more-list a")
    assert more.count() == 5
    assert page.locator(".more-on").bounding_box()["y"] > page.locator(".whos-who").bounding_box()["y"]
    title = more.first.inner_text()
    more.first.click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == title


def test_home_counts_its_articles_in_words_that_fit_one_or_many(page, served_example: Served,
                                                               served_generated: Served) -> None:
    page.goto(served_example.url)
    assert page.locator("#archive-title").inner_text() == "1 article, by year"  # not "All 1 article"
    page.goto(served_generated.url)
    assert page.locator("#archive-title").inner_text() == "All 300 articles, by year"


# ---------------------------------------------------------------- entity pages

@pytest.mark.parametrize("context_options", [{"viewport": {"width": 375, "height": 800}}])
def test_entity_page_charts_mentions_per_month_within_the_screen(page, served_generated: Served) -> None:
    page.goto(served_generated.url + f"entities/{busiest_entity(served_generated)}/")
    chart = page.locator(".timeline-chart")
    box, main = chart.bounding_box(), page.locator("main").bounding_box()
    assert box["height"] > 40 and box["x"] >= main["x"] and box["x"] + box["width"] <= main["x"] + main["width"]
    bars = chart.locator(".bar")
    assert bars.count() >= 8  # the generated site's articles run over ten months
    assert min(bars.nth(i).bounding_box()["width"] for i in range(bars.count())) >= 10
    axis = page.locator(".timeline-axis span")
    assert axis.first.inner_text() == "January 2020" and "most in " in axis.nth(1).inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") == 375


def test_what_they_said_links_to_the_quotation_in_its_article(page, served_example: Served) -> None:
    page.goto(served_example.url + "entities/zabihullah-mujahid/")
    quote = page.locator(".said-quote")
    assert quote.count() == 1 and quote.inner_text().startswith("“Final decisions have been taken")
    page.click(".said-source a")
    page.wait_for_url("**/#m-*")
    mention = page.locator(":target")
    assert mention.inner_text() == "Mujahid" and mention.is_visible()
    paragraph = mention.locator("xpath=..").inner_text()
    assert "Final decisions have been taken" in paragraph


# ---------------------------------------------------------------- the entities index

@pytest.fixture(scope="module")
def served_generated(tmp_path_factory):
    """A generated site of 300 articles and 60 entities (bench/corpus.py), built and served."""
    from bench.corpus import write_site

    root = tmp_path_factory.mktemp("generated")
    write_site(root, 300)
    shutil.copytree(ROOT / "theme", root / "theme")
    assert main(["--root", str(root), "build", "--no-ingest", "--no-search"]) == 0
    served = serve(root / "_site")
    yield served
    served.server.shutdown()


LABEL_SIZES = """() => [...document.querySelectorAll('.graph-wide .label')].map(label => {
  const m = label.getScreenCTM();
  return parseFloat(getComputedStyle(label).fontSize) * Math.hypot(m.a, m.b);
})"""


@pytest.mark.parametrize("width", [375, 1440])
def test_entities_picture_is_one_focusable_figure_with_readable_labels(browser, served_generated: Served,
                                                                      width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        page.goto(served_generated.url + "entities/")
        figure = page.locator("figure.graph-wide")
        assert 30 <= figure.locator(".node").count() <= 50
        assert min(page.evaluate(LABEL_SIZES)) >= 12.5  # as shown, at this width
        assert figure.get_attribute("tabindex") == "0"
        assert figure.locator("a, [tabindex], button, input").count() == 0  # one tab stop, not one per entity
        picture = figure.locator("svg")
        assert picture.get_attribute("role") == "img"
        description = picture.locator("desc").text_content()
        assert "The strongest: " in description and " articles" in description
        page.locator(".entity-table a").last.focus()
        page.keyboard.press("Tab")  # from the last entity of the lists to the figure, and on past it
        assert page.evaluate("document.activeElement.matches('figure.graph-wide')")
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('.site-footer') !== null")
        figure.focus()
        assert page.evaluate("document.documentElement.scrollWidth") == width
        if width < 600:  # wider than the screen: it scrolls in its figure, from the middle, by keyboard too
            before = figure.evaluate("f => f.scrollLeft")
            assert 0 < before < figure.evaluate("f => f.scrollWidth - f.clientWidth")
            page.keyboard.press("ArrowRight")
            page.wait_for_function("b => document.querySelector('figure.graph-wide').scrollLeft > b", arg=before)
    finally:
        context.close()


def test_entities_filter_keeps_the_rows_matching_a_name_or_alias(page, served_example: Served) -> None:
    page.goto(served_example.url + "entities/")
    rows = page.locator(".entity-table tbody tr")
    assert rows.count() == 15
    page.fill("#entity-filter-q", "valley")  # an alias of Panjshir
    page.wait_for_function("document.getElementById('entity-filter-status').textContent !== ''")
    visible = [row.locator("td").first.inner_text().lstrip("▲■● ") for row in rows.all() if row.is_visible()]
    assert visible == ["Panjshir"]
    assert page.locator("#entity-filter-status").inner_text() == "1 of 15 entities matches"
    assert not page.locator("#group-person").is_visible()  # a list with no match is hidden whole
    page.fill("#entity-filter-q", "")
    page.wait_for_function("document.getElementById('entity-filter-status').textContent === ''")
    assert all(row.is_visible() for row in rows.all())


def test_entities_filter_on_the_generated_site_finds_each_organization_by_its_short_form(
        page, served_generated: Served) -> None:
    import yaml

    entities = [yaml.safe_load(f.read_text(encoding="utf-8").split("---")[1])
                for f in sorted((served_generated.root.parent / "content/entities").glob("*.md"))]
    page.goto(served_generated.url + "entities/")
    status = page.locator("#entity-filter-status")
    for entity in [e for e in entities if e["type"] == "organization"][:3]:
        short = entity["aliases"][0]  # "KRMTA": in no other name
        page.fill("#entity-filter-q", short.lower())
        page.wait_for_function("document.getElementById('entity-filter-status').textContent !== ''")
        assert status.inner_text() == f"1 of {len(entities)} entities matches"
        visible = [row.locator("td").first.inner_text() for row in page.locator(".entity-table tbody tr").all()
                   if row.is_visible()]
        assert visible == [entity["name"]]
        page.fill("#entity-filter-q", "")
        page.wait_for_function("document.getElementById('entity-filter-status').textContent === ''")


def test_entities_index_without_javascript_is_the_plain_lists(browser, served_example: Served) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(served_example.url + "entities/")
        assert not page.locator(".entity-filter").is_visible()
        assert page.locator(".entity-table tbody tr:visible").count() == 15
    finally:
        context.close()


@pytest.mark.parametrize("context_options", [{"viewport": {"width": 320, "height": 640}}])
def test_entities_tables_fit_the_narrowest_screen(page, served_example: Served, served_generated: Served) -> None:
    for served in (served_example, served_generated):
        page.goto(served.url + "entities/")
        main_width = page.evaluate("document.querySelector('main').clientWidth")
        widths = page.evaluate("[...document.querySelectorAll('.entity-table')].map(t => t.scrollWidth)")
        assert widths and max(widths) <= main_width
        assert page.evaluate("document.documentElement.scrollWidth") == 320


def busiest_entity(served: Served) -> str:
    import json

    data = json.loads((served.root / "entities.json").read_text(encoding="utf-8"))
    return max(data, key=lambda i: (data[i]["articles"], i))
