"""The W3C Web Annotation export and the schema.org JSON-LD, checked against the built mini site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, run_gloss
from sitecrawl import NS, parse_html

from gloss.builder import load_model
from gloss.config import load_config
from gloss.errors import Problems

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("anno") / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    shutil.copytree(FIXTURES.parent.parent / "theme", root / "theme")
    assert run_gloss(root, "build", "--no-ingest").returncode == 0
    return root


def body_texts(root: Path) -> dict[str, str]:
    """Each article's body text as a browser has it (its DOM textContent), from the built pages."""
    config = load_config(root)
    model = load_model(config, Problems())
    texts = {}
    for slug in model.graph.documents:
        tree = parse_html((root / f"_site/articles/{slug}/index.html").read_text(encoding="utf-8"))
        body = next(el for el in tree.iter(NS + "div") if el.get("class") == "article-body")
        texts[slug] = "".join(body.itertext())
    return texts


def check_annotation(item: dict, texts: dict[str, str], base: str) -> None:
    assert item["@context"] == CONTEXT
    assert item["type"] == "Annotation"
    assert item["motivation"] == "identifying"
    assert re.fullmatch(re.escape(base) + r"entities/[a-z0-9-]+/", item["body"])
    target = item["target"]
    slug = re.fullmatch(re.escape(base) + r"articles/([a-z0-9-]+)/", target["source"]).group(1)
    selector = target["selector"]
    assert selector["type"] == "TextQuoteSelector"
    text = texts[slug]
    exact, prefix, suffix = selector["exact"], selector["prefix"], selector["suffix"]
    assert exact and exact in text
    assert prefix + exact + suffix in text, (prefix, exact, suffix)  # the mention, with its context either side
    assert len(prefix) <= 32 and len(suffix) <= 32


def test_each_article_is_a_page_of_the_site_collection_chained_in_site_order(built: Path) -> None:
    texts = body_texts(built)
    base = "https://example.org/mini/"
    collection = json.loads((built / "_site/annotations.jsonld").read_text(encoding="utf-8"))
    assert collection["@context"] == CONTEXT and collection["type"] == "AnnotationCollection"
    assert collection["id"] == base + "annotations.jsonld"
    page_url, seen, ids, previous = collection["first"], [], [], None
    while page_url:
        page = json.loads((built / "_site" / page_url.removeprefix(base)).read_text(encoding="utf-8"))
        assert page["@context"] == CONTEXT and page["type"] == "AnnotationPage" and page["id"] == page_url
        assert page["partOf"] == collection["id"] and page.get("prev") == previous
        for item in page["items"]:
            check_annotation(item, texts, base)
        ids += [item["id"] for item in page["items"]]
        seen.append(page_url)
        previous, page_url = page_url, page.get("next")
    assert seen[-1] == collection["last"]
    assert sorted(seen) == sorted(f"{base}annotations/{slug}.jsonld" for slug in texts)  # every article, once
    assert collection["total"] == len(ids) == len(set(ids)) == 8  # every mention in both articles' text


def test_annotation_points_at_the_mention_and_its_entity(built: Path) -> None:
    data = json.loads((built / "_site/annotations/panjshir-falls.jsonld").read_text(encoding="utf-8"))
    third = data["items"][2]
    assert third["id"] == "https://example.org/mini/annotations/panjshir-falls.jsonld#m-3"
    assert third["body"] == "https://example.org/mini/entities/zabihullah-mujahid/"
    assert third["target"]["selector"] == {"type": "TextQuoteSelector", "exact": "Mujahid",
                                           "prefix": "iban say they control Panjshir. ",
                                           "suffix": " said so in Kabul.\nReaction\nFigh"}


def test_relative_urls_without_base_url(make_site) -> None:
    root = make_site({
        "site.yml": "title: T\n",
        "content/entities/kabul.md": "---\nname: Kabul\ntype: place\n---\n",
        "content/articles/a.md": "---\ntitle: A\ndate: 2021-01-01\n---\nIn [[Kabul]] {>>a note on [[Kabul]]<<} now.\n",
    })
    assert run_gloss(root, "build", "--no-ingest").returncode == 0
    data = json.loads((root / "_site/annotations/a.jsonld").read_text(encoding="utf-8"))
    items = data["items"]
    assert len(items) == 1  # the mention inside the note is not in the text readers see
    # Relative IRIs are read from the file they are in: annotations/a.jsonld.
    assert data["id"] == "../annotations/a.jsonld" and data["partOf"] == "../annotations.jsonld"
    assert items[0]["id"] == "../annotations/a.jsonld#m-1"
    assert items[0]["body"] == "../entities/kabul/" and items[0]["target"]["source"] == "../articles/a/"
    check_annotation(items[0], body_texts(root), "../")
    collection = json.loads((root / "_site/annotations.jsonld").read_text(encoding="utf-8"))
    assert collection["id"] == "annotations.jsonld" and collection["first"] == "annotations/a.jsonld"


def test_a_mention_inside_a_footnote_builds_and_is_left_out_like_one_in_a_note(make_site) -> None:
    """The second bench corpus found it: a footnote naming an entity stopped the build with a KeyError."""
    root = make_site({
        "site.yml": "title: T\n",
        "content/entities/kabul.md": "---\nname: Kabul\ntype: place\n---\n",
        "content/articles/a.md": "---\ntitle: A\ndate: 2021-01-01\n---\nIn [[Kabul]] now.[^1]\n\n"
                                 "[^1]: A footnote on [[Kabul]].\n",
    })
    result = run_gloss(root, "build", "--no-ingest")
    assert result.returncode == 0, result.stderr
    items = json.loads((root / "_site/annotations/a.jsonld").read_text(encoding="utf-8"))["items"]
    assert [item["id"] for item in items] == ["../annotations/a.jsonld#m-1"]  # the footnote's is not quotable
    check_annotation(items[0], body_texts(root), "../")
    assert 'href="../../entities/kabul/"' in (root / "_site/articles/a/index.html").read_text().split("footnotes")[-1]


def test_quotes_stop_short_of_notes_and_footnotes(built: Path) -> None:
    """A client may read the page's text with the sidenotes and footnote marks (its textContent) or
    without them: the quote is the same either way."""
    data = json.loads((built / "_site/annotations/panjshir-falls.jsonld").read_text(encoding="utf-8"))
    selectors = [item["target"]["selector"] for item in data["items"]]
    last = selectors[-1]
    assert (last["prefix"], last["exact"], last["suffix"]) == (".\nThe ", "group", " was surecertain of it.")
    reader = body_texts(built)["panjshir-falls"].replace("The Soviet–Afghan war ran from 1979 to 1989.", "")
    for selector in selectors:
        assert selector["prefix"] + selector["exact"] + selector["suffix"] in reader.replace("[1]", "")


def test_annotation_pages_are_written_as_json_dumps_writes_them(make_site) -> None:
    """The pages are filled in by hand for speed (gloss/annotations.py): byte for byte what
    json.dumps(ensure_ascii=False, compact separators) writes, whatever the text and the base URL hold."""
    root = make_site({
        "site.yml": "title: T\nbase_url: https://exämple.org/ü/\n",
        "content/entities/kabul.md": "---\nname: Kabul\ntype: place\n---\n",
        "content/articles/a.md": ('---\ntitle: A\ndate: 2021-01-01\n---\n'
                                  'He said "back\\slash" \u2014 <b> & [[Kabul]] \u00e9t\u00e9 "again" [[Kabul]].\n'),
        "content/articles/b.md": "---\ntitle: B\ndate: 2021-01-02\n---\nIn [[Kabul]].\n",
    })
    assert run_gloss(root, "build", "--no-ingest").returncode == 0
    for slug in ("a", "b"):
        written = (root / f"_site/annotations/{slug}.jsonld").read_text(encoding="utf-8")
        data = json.loads(written)
        assert written == json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
        assert data["id"] == f"https://exämple.org/ü/annotations/{slug}.jsonld" and data["items"]
    assert [item["target"]["selector"]["exact"] for item in data["items"]] == ["Kabul"]


def json_ld(page: Path) -> dict:
    tree = parse_html(page.read_text(encoding="utf-8"))
    scripts = [s for s in tree.iter(NS + "script") if s.get("type") == "application/ld+json"]
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def test_article_json_ld_is_a_news_article_with_mentions(built: Path) -> None:
    data = json_ld(built / "_site/articles/panjshir-falls/index.html")
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Panjshir falls" and data["datePublished"] == "2021-09-06"
    kinds = {m["name"]: m["@type"] for m in data["mentions"]}
    assert kinds == {"Kabul": "Place", "Panjshir": "Place", "Taliban": "Organization", "Zabihullah Mujahid": "Person"}
    assert data["url"] == "https://example.org/mini/articles/panjshir-falls/"


@pytest.mark.parametrize(("entity", "kind"), [("kabul", "Place"), ("taliban", "Organization"),
                                               ("zabihullah-mujahid", "Person")])
def test_entity_json_ld_has_its_schema_type(built: Path, entity: str, kind: str) -> None:
    data = json_ld(built / f"_site/entities/{entity}/index.html")
    assert data["@type"] == kind and data["url"] == f"https://example.org/mini/entities/{entity}/"
    assert data["description"]


def test_panjshir_json_ld_has_aliases_and_wikidata(built: Path) -> None:
    data = json_ld(built / "_site/entities/panjshir/index.html")
    assert data["alternateName"] == ["Panjshir Valley", "Panjshir province"]
    assert "https://www.wikidata.org/wiki/Q238012" in data["sameAs"]


def test_open_graph_and_machine_readable_files(built: Path) -> None:
    site = built / "_site"
    page = (site / "articles/panjshir-falls/index.html").read_text(encoding="utf-8")
    for prop in ("og:title", "og:description", "og:type", "og:url", "og:site_name"):
        assert f'property="{prop}"' in page
    assert "Sitemap: https://example.org/mini/sitemap.xml" in (site / "robots.txt").read_text()
    entities = json.loads((site / "entities.json").read_text(encoding="utf-8"))
    assert entities["kabul"] == {"name": "Kabul", "type": "place", "description": "Capital of Afghanistan.",
                                 "articles": 2, "mentions": 2, "url": "entities/kabul/", "first_seen": "2021-09-06"}
    assert "data-articles" not in page  # counts that change with other articles live in entities.json only
