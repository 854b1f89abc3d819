"""Gloss's Markdown dialect, case by case from tests/fixtures/markup/*.md (title . input . html .)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gloss.config import SiteConfig
from gloss.content import Article, Entity, EntityRegistry
from gloss.errors import Problems
from gloss.graph import build_graph
from gloss.jsonld import json_ld
from gloss.markup import create_markdown, escape_markdown
from gloss.parse import parse_document
from gloss.render import Renderer

FIXTURES = Path(__file__).parent / "fixtures" / "markup"


def read_cases(path: Path) -> list[tuple[str, str, str]]:
    """markdown-it's fixture format: a title line, then input and expected HTML, each closed by '.'."""
    cases, lines = [], path.read_text(encoding="utf-8").split("\n")
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title = lines[i]
        assert lines[i + 1] == ".", f"{path.name}: expected '.' after title {title!r}"
        i += 2
        parts = []
        for _ in range(2):
            start = i
            while lines[i] != ".":
                i += 1
            parts.append("\n".join(lines[start:i]) + "\n")
            i += 1
        cases.append((title, parts[0], parts[1]))
    return cases


CASES = [(p.stem, *case) for p in sorted(FIXTURES.glob("*.md")) for case in read_cases(p)]

ENTITIES = [
    Entity("taliban", Path("content/entities/taliban.md"), "Taliban", "organization",
           description="Islamist movement."),
    Entity("zabihullah-mujahid", Path("content/entities/zabihullah-mujahid.md"), "Zabihullah Mujahid", "person",
           aliases=["Mujahid"], description="Taliban spokesman."),
]


def render_article_body(markdown: str) -> str:
    md = create_markdown()
    article = Article("a", Path("content/articles/a.md"), "A", markdown, 5, date=dt.date(2021, 9, 6))
    problems = Problems()
    doc = parse_document(md, markdown, article.path, article.body_line)
    graph = build_graph([article], {"a": doc}, {}, EntityRegistry(ENTITIES), problems)
    assert not problems.errors, [p.format() for p in problems.errors]
    renderer = Renderer(SiteConfig(root=Path(".")), graph, md, dt.datetime(2021, 9, 7))
    return str(renderer.body_html("a", doc, "articles/a/index.html"))


@pytest.mark.parametrize("name,title,source,expected", CASES, ids=[f"{c[0]}: {c[1]}" for c in CASES])
def test_markup_fixture(name: str, title: str, source: str, expected: str) -> None:
    assert render_article_body(source) == expected


def test_escape_markdown_round_trips_every_special_character() -> None:
    text = "# [[x]] {==y==} *a* _b_ `c` <d> & \\ |e| 1. f\n- g\n> h"
    html = render_article_body(escape_markdown(text))
    plain = html.replace("<p>", "").replace("</p>", "").replace("&lt;", "<").replace("&gt;", ">")
    plain = plain.replace("&amp;", "&").strip()
    assert plain == text


@pytest.mark.parametrize("source", [
    "a\r\nb\rc\n\r\nd", "[[x|A\r\nB]] and \0 {>>note\r<<}", "\r\r\n\n\0\0", "| a |\r\n|---|\r\n| [[y]] |\r\n",
])
def test_line_ends_and_nul_are_normalized_as_markdown_it_does(source: str) -> None:
    from markdown_it.rules_core.normalize import normalize as markdown_it_normalize

    stock = create_markdown()
    stock.core.ruler.at("normalize", markdown_it_normalize)
    ours = create_markdown()
    assert ours.core.ruler.getRules("")[0] is not markdown_it_normalize
    assert [t.as_dict() for t in ours.parse(source)] == [t.as_dict() for t in stock.parse(source)]
    ours_doc, stock_doc = (parse_document(md, source, Path("a.md"), 1) for md in (ours, stock))
    assert (ours_doc.html, ours_doc.text, ours_doc.mentions) == (stock_doc.html, stock_doc.text, stock_doc.mentions)


@pytest.mark.parametrize("source", [
    "# Title\n\nA [[x|mention]] in a paragraph.\n\nSetext\n======\n\n## Sub {with} *em*\n",
    "- tight\n- list\n  > quote after a hidden paragraph\n\n1. loose\n\n2. list\n",
    "> quoted\n> paragraph\n\n| a | b |\n|---|---|\n| c | d |\n\nText[^1].\n\n[^1]: A note.\n",
    "- a\n\n  b\n- # heading in a list\n\n---\n\n    code\n",
    "- a tight item\n  # with a heading after its hidden paragraph\n- b\n",
])
def test_paragraphs_and_headings_render_as_markdown_it_renders_them(source: str) -> None:
    stock = create_markdown()
    for kind in ("paragraph", "heading"):
        for end in ("open", "close"):
            del stock.renderer.rules[f"{kind}_{end}"]  # back to markdown-it's generic renderToken
    ours = create_markdown()
    assert "paragraph_open" in ours.renderer.rules
    assert parse_document(ours, source, Path("a.md"), 1).html == parse_document(stock, source, Path("a.md"), 1).html


@pytest.mark.parametrize("data", [
    {"@type": "NewsArticle", "mentions": [{"name": "A <b>", "sameAs": ["x"]}], "url": None, "keywords": ["k"]},
    {"mentions": [{"name": "é"}], "headline": "&", "author": {"@type": "Person", "name": "Ann"}},
    {"headline": "", "mentions": []},
    {"a": 1, "mentions": [{"b": 2}, {"c": [3]}]},
])
def test_json_ld_with_a_value_written_beforehand_is_what_json_ld_writes_of_it(data: dict) -> None:
    import json

    written = "[" + ", ".join(json.dumps(m, ensure_ascii=False) for m in data["mentions"]) + "]"
    assert json_ld(data, {"mentions": written}) == json_ld(data)
