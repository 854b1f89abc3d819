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


# ---------------------------------------------------------------- mentions over time

def test_months_run_from_the_first_mention_to_the_last_across_a_year_end() -> None:
    import datetime as dt

    from gloss.timeline import mentions_per_month, timeline

    dates = [dt.date(2020, 11, 3), dt.date(2020, 11, 30), dt.date(2021, 2, 1), None]
    assert mentions_per_month(dates) == [(2020, 11, 2), (2020, 12, 0), (2021, 1, 0), (2021, 2, 1)]
    chart = timeline(dates, "A & B")
    assert chart.first == "November 2020" and chart.last == "February 2021" and chart.busiest == ("November 2020", 2)
    assert chart.svg.count('class="bar"') == 2 and chart.svg.count('class="year-start"') == 1
    assert "Mentions of A &amp; B per month" in chart.svg and "<title>November 2020: 2 mentions</title>" in chart.svg
    assert timeline([dt.date(2021, 5, 1), dt.date(2021, 5, 9)], "A") is None  # one month: no chart


def test_entity_page_charts_its_mentions_per_month_and_entities_json_has_its_first_date(make_site) -> None:
    import json

    root = make_site({"site.yml": "title: T\n", **PEOPLE,
        "content/articles/one.md": article("One", "2021-01-05", "[[a]] and [[a|A again]]; [[b]]."),
        "content/articles/two.md": article("Two", "2021-03-20", "[[a]] and [[b]]."),
        "content/articles/three.md": article("Three", "2021-03-02", "[[b]]."),
        "content/articles/undated.md": "---\ntitle: Undated\n---\n[[c]].\n",
    })
    assert run_gloss(root, "build", "--no-search").returncode == 0
    page = (root / "_site/entities/a/index.html").read_text(encoding="utf-8")
    assert "Mentions over time" in page and page.count('class="bar"') == 2  # January and March; February is 0
    assert "most in January 2021 (2 mentions)" in page
    data = json.loads((root / "_site/entities.json").read_text(encoding="utf-8"))
    assert data["a"]["first_seen"] == "2021-01-05" and data["b"]["first_seen"] == "2021-01-05"
    assert "first_seen" not in data["c"] and "first_seen" not in data["d"]  # undated only; never mentioned
    assert "Mentions over time" not in (root / "_site/entities/c/index.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- who said what

def quotes_in(body: str) -> list[tuple[str, str]]:
    from gloss.markup import create_markdown
    from gloss.parse import parse_document

    doc = parse_document(create_markdown(), body, Path("a.md"), 1)
    return [(doc.mentions[index].text, quotation) for index, quotation in doc.quotes]


def test_a_quotation_next_to_a_mention_and_a_verb_of_saying_is_what_it_said() -> None:
    assert quotes_in('"We will win," [[a|Mujahid]] said.') == [("Mujahid", "We will win")]
    assert quotes_in('"We will win. Soon," said Taliban spokesman [[a|Zabihullah Mujahid]].') == [
        ("Zabihullah Mujahid", "We will win. Soon")]  # a quotation of two sentences, whole
    assert quotes_in('[[a|Mujahid]] told reporters: "We will win."') == [("Mujahid", "We will win.")]
    assert quotes_in('"It goes on," the [[b|National Front]] ([[b|NF]]) said.') == [("National Front", "It goes on")]
    assert quotes_in('"The news is worrying," [[c|Iran]]\'s ministry spokesman [[d|Saeed]] told reporters.') == [
        ("Saeed", "The news is worrying")]  # the one next to the verb, not every name before it


def test_no_quotation_is_attributed_without_a_mention_and_a_verb_next_to_it() -> None:
    assert quotes_in('"We will win," he said of [[a|Kabul]].') == []  # a pronoun speaks
    assert quotes_in('"My brother [[a|Ahmad]] is safe," he said.') == []  # named inside the quotation
    assert quotes_in('[[a|Mujahid]] arrived. Later, "we will win," a guard said.') == []
    assert quotes_in('[[a|Mujahid]] proposed "that they stop."') == []  # not a verb of saying
    assert quotes_in('[[a|Mujahid]] said {>>"not this," [[b|Nazary]] said<<} nothing.') == []  # in a note


def test_entity_pages_show_what_the_example_quotes_each_one_saying(tmp_path: Path) -> None:
    import shutil

    from conftest import ROOT

    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "site.yml", tmp_path / "site.yml")
    assert run_gloss(tmp_path, "build", "--no-search", "--no-ingest").returncode == 0
    said = {}
    for page in (tmp_path / "_site/entities").glob("*/index.html"):
        tree = parse_html(page.read_text(encoding="utf-8"))
        said[page.parent.name] = ["".join(q.itertext())[:24] for q in tree.iter(NS + "blockquote")
                                  if q.get("class") == "said-quote"]
    assert {k: v for k, v in said.items() if v} == {
        "zabihullah-mujahid": ["“Final decisions have bee"[:24]],
        "national-resistance-front-of-afghanistan": ["“The struggle against the"[:24]],
        "ali-nazary": ["“My leader and brother Ah"[:24]],
        "saeed-khatibzadeh": ["“The news coming from Pan"[:24]],
    }
