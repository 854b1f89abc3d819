"""What the article, entity and index pages show beyond the text (issue 18), checked in the built HTML."""

from __future__ import annotations

from pathlib import Path

from conftest import run_gloss
from sitecrawl import NS, parse_html

PEOPLE = {f"content/entities/{i}.md": f"---\nname: {i.upper()}\ntype: person\n---\n" for i in "abcd"}


def article(title: str, date: str, body: str) -> str:
    return f"---\ntitle: {title}\ndate: {date}\nsummary: About {title}.\n---\n{body}\n"


def texts(page: Path, css_class: str) -> list[str]:
    tree = parse_html(page.read_text(encoding="utf-8"))
    found = next((el for el in tree.iter() if el.get("class") == css_class), None)
    return [] if found is None else ["".join(a.itertext()) for a in found.iter(NS + "a")]


def test_more_on_these_people_lists_the_articles_sharing_most_entities_newest_first_on_ties(make_site) -> None:
    root = make_site({"site.yml": "title: T\n", **PEOPLE,
        "content/articles/main.md": article("Main", "2021-01-10", "[[a]], [[b]] and [[c]]."),
        "content/articles/two.md": article("Two", "2021-01-01", "[[a]] and [[b]]."),
        "content/articles/three.md": article("Three", "2020-01-01", "[[a]], [[b]] and [[c]] again."),
        "content/articles/newer-one.md": article("Newer one", "2021-01-05", "Just [[c]]."),
        "content/articles/older-one.md": article("Older one", "2019-01-01", "Just [[a]]."),
        "content/articles/other.md": article("Other", "2021-01-06", "Only [[d]]."),
        "content/articles/in-a-note.md": article("In a note", "2021-01-07", "[[d]] {>>not [[a]]<<}."),
    })
    assert run_gloss(root, "build", "--no-search").returncode == 0
    main = root / "_site/articles/main/index.html"
    assert texts(main, "more-list") == ["Three", "Two", "Newer one", "Older one"]
    assert "with A, B and C" in main.read_text()
    assert texts(root / "_site/articles/other/index.html", "more-list") == ["In a note"]


def test_summary_stands_under_the_headline(make_site) -> None:
    root = make_site({"site.yml": "title: T\n", **PEOPLE,
                      "content/articles/main.md": article("Main", "2021-01-10", "[[a]].")})
    assert run_gloss(root, "build", "--no-search").returncode == 0
    tree = parse_html((root / "_site/articles/main/index.html").read_text(encoding="utf-8"))
    header = next(el for el in tree.iter(NS + "header") if el.get("class") == "article-header")
    assert [el.tag.removeprefix(NS) for el in header][:2] == ["h1", "p"]
    assert header[1].get("class") == "article-summary" and header[1].text == "About Main."
