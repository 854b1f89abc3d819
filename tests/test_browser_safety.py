"""Nothing unsafe gets out: text from content is escaped everywhere it lands (HTML, attributes,
JSON-LD, the Atom feed), raw HTML is off unless site.yml turns it on and then sanitised, and a
hostile article, loaded in a real browser, runs no script and sends no request to another host."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlparse

import html5lib
import pytest
from browser import *  # noqa: F403 - pytest fixtures
from browser import serve
from conftest import ROOT, run_gloss, write_tree

PWN = "window.__pwned=1"
TITLE = f"Bad </script><script>{PWN}</script> & <b>bold</b> \"quoted\""
HOSTILE = {
    "site.yml": f"title: 'Evil <script>{PWN}</script>'\nbase_url: https://example.org/\n",
    "content/articles/evil.md": f"""---
title: '{TITLE}'
date: 2021-09-06
summary: 'x" onmouseover="{PWN}" x="'
tags: ['<script>', 'a&b']
author: ']]></name><x>'
---
Text <script>{PWN}</script> and <img src=x onerror="{PWN}"> and <svg onload="{PWN}">.

[a link](javascript:{PWN}) [upper](JAVASCRIPT:{PWN}) [data](data:text/html,<script>{PWN}</script>)
<javascript:{PWN}> [tab](jav&#x09;ascript:{PWN}) ![image](javascript:{PWN})
[titled](https://example.org/ "a\\" onmouseover=\\"{PWN}") <a href="javascript:{PWN}">raw</a>

See [[Evil|the <script>{PWN}</script> one]] and {{==this==}}{{>>a note <script>{PWN}</script><<}}.[^1]

[^1]: Source <img src=x onerror="{PWN}">.
""",
    "content/entities/evil.md": f"""---
name: 'Evil </script><script>{PWN}</script>'
type: person
aliases: [Evil]
description: '"><img src=x onerror={PWN}>'
links: {{home: 'https://example.org/" onclick="{PWN}'}}
---
Notes <svg onload="{PWN}"> about [[Evil]].
""",
}


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile article, built with the default theme; returns its _site folder."""
    root = tmp_path_factory.mktemp("hostile") / "site"
    write_tree(root, HOSTILE)
    shutil.copytree(ROOT / "theme", root / "theme")
    result = run_gloss(root, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    return root / "_site"


def scripts_of(html: str) -> list[tuple[str, str]]:
    """(type, text) of every <script> element, as an HTML5 parser (a browser) sees them."""
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    return [(s.get("type", ""), s.text or "") for s in tree.iter("script")]


def handlers(html: str) -> list[str]:
    """Event-handler attributes and non-web URLs anywhere in the page, as a browser parses it."""
    found = []
    for element in html5lib.parse(html, namespaceHTMLElements=False).iter():
        if isinstance(element.tag, str):
            found += [f"{element.tag} {name}" for name in element.attrib if name.lower().startswith("on")]
            for name in ("href", "src", "action", "formaction"):
                scheme = urlparse(element.get(name, "").strip()).scheme.lower()
                if scheme not in ("", "http", "https", "mailto"):
                    found.append(f"{element.tag} {name}={element.get(name)}")
    return found


def test_no_content_text_becomes_a_script_or_handler(hostile_site: Path) -> None:
    for page in hostile_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert all(PWN not in text or kind == "application/ld+json" for kind, text in scripts_of(html)), page
        assert handlers(html) == [], page


def test_json_ld_keeps_the_title_inside_its_script_element(hostile_site: Path) -> None:
    html = (hostile_site / "articles/evil/index.html").read_text(encoding="utf-8")
    data = [json.loads(text) for kind, text in scripts_of(html) if kind == "application/ld+json"]
    assert len(data) == 1
    assert data[0]["headline"] == TITLE
    assert "</script" not in html.split('type="application/ld+json">', 1)[1].split("</script>", 1)[0].lower()


def test_feed_stays_well_formed_with_hostile_text(hostile_site: Path) -> None:
    feed = ET.parse(hostile_site / "feed.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    entry = feed.find(f"{atom}entry")
    assert entry.findtext(f"{atom}title") == TITLE
    assert entry.findtext(f"{atom}author/{atom}name") == "]]></name><x>"
    assert feed.findtext(f"{atom}title") == f"Evil <script>{PWN}</script>"
    ET.parse(hostile_site / "sitemap.xml")


def test_raw_html_is_escaped_by_default(hostile_site: Path) -> None:
    html = (hostile_site / "articles/evil/index.html").read_text(encoding="utf-8")
    assert f"Text &lt;script&gt;{PWN}&lt;/script&gt; and &lt;img src=x" in html
    assert '<a href="javascript' not in html.lower()


def test_raw_html_when_allowed_is_sanitised_and_gloss_markup_kept(tmp_path: Path) -> None:
    files = {**HOSTILE, "site.yml": "title: Raw\nraw_html: true\n"}
    files["content/articles/evil.md"] += "\nSome <b>bold</b> and <i>open\n\n<div onclick='x'>\n<p>kept</p>\n</div>\n"
    root = write_tree(tmp_path / "site", files)
    shutil.copytree(ROOT / "theme", root / "theme")
    result = run_gloss(root, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    html = (root / "_site/articles/evil/index.html").read_text(encoding="utf-8")
    body = html.split("<main", 1)[1]
    assert PWN not in "".join(text for kind, text in scripts_of(html) if kind != "application/ld+json")
    assert "<b>bold</b>" in body and "<i>open</i></p>" in body and "<div>\n<p>kept</p>\n</div>" in body
    assert handlers(html) == []
    assert 'class="sidenote"' in body and 'class="note-toggle"' in body and 'data-entity="evil"' in body


def test_entity_links_must_be_http(make_site) -> None:
    root = make_site({"content/entities/evil.md": "---\nname: Evil\ntype: person\n"
                                                  "links: {home: 'javascript:alert(1)'}\n---\n"})
    result = run_gloss(root, "check")
    assert result.returncode == 1
    assert "content/entities/evil.md:4:1: link 'home' must be an http(s) URL, not 'javascript:alert(1)'" \
        in result.stderr


@pytest.mark.parametrize("rel", ["../x.html", "/etc/x.html", "a/../../x.html", "entities/../../x/index.html",
                                 "a\\..\\x.html"])
def test_output_paths_cannot_leave_the_output_folder(tmp_path: Path, rel: str) -> None:
    from gloss.errors import GlossError
    from gloss.output import safe_target

    with pytest.raises(GlossError, match="outside the output folder"):
        safe_target(tmp_path / "_site", rel)


@pytest.mark.parametrize("text", ["..", ".", "../../x", "/abs", "con", "a.b", "A", "a/b", "-a", "a--b", ""])
def test_hostile_ids_are_not_slugs(text: str) -> None:
    from gloss.content import is_slug

    assert not is_slug(text)


@pytest.fixture
def served_hostile(hostile_site: Path):
    served = serve(hostile_site)
    yield served
    served.server.shutdown()


@pytest.mark.parametrize("path", ["articles/evil/", "entities/evil/", "", "entities/", "tags/script/"])
def test_hostile_page_runs_no_script_and_calls_no_other_host(page, served_hostile, path: str) -> None:
    foreign: list[str] = []
    local = urlparse(served_hostile.url).netloc

    def guard(route) -> None:
        if urlparse(route.request.url).netloc == local:
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.goto(served_hostile.url + path)
    page.wait_for_load_state("networkidle")
    if page.locator("#m-1").count():
        page.hover("#m-1")  # the hover card builds HTML from entity data
        page.locator("#gloss-card").wait_for()
    if path.startswith("articles/"):
        page.click("label.note-ref", force=True)  # open the sidenote
        assert "javascript:" in page.inner_text("main")  # the links are shown as text, not followed
    page.wait_for_timeout(100)
    assert page.evaluate("window.__pwned") is None
    assert foreign == []
    links = page.eval_on_selector_all(
        "a[href]", "els => els.map(e => new URL(e.getAttribute('href'), document.baseURI).protocol)")
    assert set(links) <= {"http:", "https:"}
