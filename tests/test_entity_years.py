"""Busy entities: the latest passages on the entity's page, every passage on a page per year."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from browser import *  # noqa: F403 - pytest fixtures
from browser import axe_violations, serve
from conftest import ROOT, run_gloss
from sitecrawl import broken_links, parse_html

from bench.corpus import write_site


@pytest.fixture(scope="module")
def busy_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("busy") / "site"
    write_site(site, 120)
    for number, article in enumerate(sorted((site / "content/articles").glob("*.md"))):
        text = article.read_text()
        if number % 7 == 0:
            text = re.sub(r"date: .*\n", "", text, count=1)  # undated articles get a year page too
        elif number % 3 == 0:
            text = text.replace("date: 2020-", "date: 2019-", 1)
        article.write_text(text)
    shutil.copytree(ROOT / "theme", site / "theme")
    with open(site / "site.yml", "a") as config:
        config.write("passages_by_year_after: 20\n")
    result = run_gloss(site, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    return site


def mentions_of(site: Path, entity_id: str) -> set[str]:
    """Every "article#m-N" that marks a mention of the entity, read from the article pages."""
    found = set()
    for page in (site / "_site/articles").glob("*/index.html"):
        for tag in re.findall(r"<(?:a|span) [^>]*>", page.read_text()):
            if f'data-entity="{entity_id}"' in tag and (anchor := re.search(r' id="(m-\d+)"', tag)):
                found.add(f"{page.parent.name}#{anchor.group(1)}")
    return found


def passage_links(html: str) -> set[str]:
    found = re.findall(r'class="passage-link" href="[./]*articles/([a-z0-9-]+)/#(m-\d+)"', html)
    return {f"{slug}#{anchor}" for slug, anchor in found}


def busy_entities(site: Path) -> list[Path]:
    return sorted(p.parent for p in (site / "_site/entities").glob("*/*/index.html"))


def test_busy_entity_has_year_pages_holding_every_passage(busy_site: Path) -> None:
    years = busy_entities(busy_site)
    assert years, "the fixture should have busy entities"
    for entity_dir in {y.parent for y in years}:
        main = (entity_dir / "index.html").read_text()
        year_pages = sorted(entity_dir.glob("*/index.html"))
        linked = set(re.findall(rf'href="[./]*entities/{entity_dir.name}/([0-9]{{4}}|undated)/"', main))
        assert linked == {p.parent.name for p in year_pages}
        assert 0 < main.count('class="passage-group"') <= 20  # the latest only
        mentions, articles = map(int, re.search(r"<dt>Mentions</dt><dd>(\d+) in (\d+) article", main).groups())
        marks = groups = 0
        for page in year_pages:
            html = page.read_text()
            sections = html.split('class="passage-group"')[1:]
            year = page.parent.name
            for section in sections:  # that year's articles only
                assert "<time" not in section if year == "undated" else f'datetime="{year}-' in section
            marks += html.count("<mark>")
            groups += len(sections)
            assert passage_links(html) <= mentions_of(busy_site, entity_dir.name)
        assert (marks, groups) == (mentions, articles)  # every mention, every article, once


def test_quiet_entity_keeps_all_its_passages_on_its_own_page(busy_site: Path) -> None:
    busy = {y.parent.name for y in busy_entities(busy_site)}
    quiet = [p for p in (busy_site / "_site/entities").iterdir() if p.is_dir() and p.name not in busy
             and mentions_of(busy_site, p.name)]
    assert quiet
    for entity_dir in quiet[:10]:
        html = (entity_dir / "index.html").read_text()
        assert "Every mention, by year" not in html
        assert passage_links(html) <= mentions_of(busy_site, entity_dir.name)
        assert html.count("<mark>") == int(re.search(r"<dt>Mentions</dt><dd>(\d+) in", html).group(1))


def test_year_pages_have_no_broken_links_and_are_valid_html(busy_site: Path) -> None:
    assert broken_links(busy_site / "_site") == []
    page = busy_entities(busy_site)[0] / "index.html"
    parse_html(page.read_text(), strict=True)
    assert f"entities/{page.parent.parent.name}/{page.parent.name}/" in (busy_site / "_site/sitemap.xml").read_text()


@pytest.mark.parametrize("value", ["0", "many", "true"])
def test_passages_by_year_after_must_be_a_positive_whole_number(make_site, value: str) -> None:
    root = make_site({"site.yml": f"title: T\npassages_by_year_after: {value}\n"})
    result = run_gloss(root, "build", "--no-ingest")
    assert result.returncode == 1
    assert re.search(r"site\.yml:2:1: .*passages_by_year_after", result.stdout + result.stderr)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_busy_entity_and_year_pages_pass_axe_in_a_browser(page, busy_site: Path, scheme: str) -> None:
    served = serve(busy_site / "_site")
    try:
        year_page = busy_entities(busy_site)[0]
        page.emulate_media(color_scheme=scheme)
        for path in (f"entities/{year_page.parent.name}/", f"entities/{year_page.parent.name}/{year_page.name}/"):
            page.goto(served.url + path)
            assert axe_violations(page) == [], path
    finally:
        served.server.shutdown()
