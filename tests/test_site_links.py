"""No broken internal link anywhere, and the site works from a sub-path of any static host."""

from __future__ import annotations

import shutil
from pathlib import Path

from browser import serve
from conftest import run_gloss
from sitecrawl import broken_links, crawl_http, parse_html


def test_mini_site_has_no_broken_internal_links(mini_site: Path) -> None:
    assert run_gloss(mini_site, "build").returncode == 0
    assert broken_links(mini_site / "_site") == []


def test_crawler_finds_a_broken_link(mini_site: Path) -> None:
    assert run_gloss(mini_site, "build").returncode == 0
    page = mini_site / "_site/index.html"
    page.write_text(page.read_text().replace('href="entities/"', 'href="entitiez/"'))
    assert broken_links(mini_site / "_site") == ["index.html: entitiez/"]


def test_every_page_is_valid_html(mini_site: Path) -> None:
    assert run_gloss(mini_site, "build").returncode == 0
    for page in (mini_site / "_site").rglob("*.html"):
        parse_html(page.read_text(), strict=True)  # raises on any parse error


def test_site_works_from_a_sub_path(mini_site: Path, tmp_path: Path) -> None:
    assert run_gloss(mini_site, "build").returncode == 0
    www = tmp_path / "www"
    shutil.copytree(mini_site / "_site", www / "sub")
    served = serve(www, "sub/")
    try:
        start = served.url
        seen, failures = crawl_http(start)
    finally:
        served.server.shutdown()
    assert failures == []
    assert f"{start}articles/talks/" in seen and f"{start}entities/kabul/" in seen
    assert len([u for u in seen if u.endswith("/")]) == 12  # home, indexes, articles, entities, tags, archive
