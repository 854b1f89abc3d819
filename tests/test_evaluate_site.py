"""The site-level measure of `make eval`: what each figure counts, and how a site is read back onto its seeds.

tests/fixtures/eval/site.jsonl holds three short documents in aida_dev.jsonl's format: John Smith (Q1) and
Tom Jones (Q2) in London (Q84); Paris Saint-Germain (Q483020) in Paris (Q90), a misc "French" and another
Smith (Q3); Tom Jones in London again. Each headline and dateline has gold mentions too.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gloss.evaluate import load_documents, main
from gloss.evaluate_site import Predicted, SiteRun, queue_report, read_site, score_queue, score_site, seed_name
from gloss.reviewqueue import ReviewItem

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "eval" / "site.jsonl"
ENTITY_TYPES = {"john-smith": "person", "tom-jones": "person", "jones": "person", "london": "place",
                "london-city": "person", "paris": "place", "lyon": "place", "may": "place",
                "french": "organization", "orphan": "person"}


def at(document: dict, surface: str, nth: int, entity: str, where: str = "body") -> Predicted:
    """A mention of `entity` on the nth `surface` of the document's text."""
    start = -1
    for _ in range(nth + 1):
        start = document["text"].index(surface, start + 1)
    return Predicted(start, start + len(surface), surface, entity, ENTITY_TYPES[entity], where)


def body_lines(text: str) -> list[tuple[int, int]]:
    """Seed spans of every line after the headline and the dateline."""
    spans, offset = [], 0
    for number, line in enumerate(text.split("\n")):
        if number >= 2 and line:
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


@pytest.fixture
def run() -> SiteRun:
    """A site that found every body mention, with known mistakes: `john-smith` holds Q1 and Q3 and `paris`
    the club and the city (conflated); Q2 went to `tom-jones` and `jones`, Q84 to `london` and `london-city`
    (split); `may` matches no gold mention and `french` only a misc one (junk)."""
    a, b, c = load_documents(FIXTURE)
    predicted = {
        "aida-a": [at(a, "John Smith", 0, "john-smith"), at(a, "Tom Jones", 0, "tom-jones"),
                   at(a, "London", 0, "london"), at(a, "Smith", 1, "john-smith"), at(a, "Jones", 1, "jones"),
                   at(a, "May", 0, "may")],
        "aida-b": [at(b, "Paris Saint-Germain", 0, "paris"), at(b, "Lyon", 0, "lyon"), at(b, "Paris", 1, "paris"),
                   at(b, "French", 0, "french"), at(b, "Smith", 0, "john-smith")],
        "aida-c": [at(c, "Tom Jones", 0, "tom-jones"), at(c, "London", 0, "london-city")],
    }
    entities = {e: {"name": e, "type": t, "aliases": []} for e, t in ENTITY_TYPES.items()}
    return SiteRun([a, b, c], predicted, entities, 1.5, body={d["id"]: body_lines(d["text"]) for d in (a, b, c)})


def test_mentions_are_scored_in_the_body_and_in_the_whole_text(run: SiteRun):
    score = score_site(run)
    # 11 gold body mentions found (the misc "French" is neither), "May" is extra; 3 of the 11 have the wrong type.
    assert (score.body.true_positive, score.body.false_positive, score.body.false_negative) == (11, 1, 0)
    assert score.body.type_accuracy == pytest.approx(8 / 11)
    # The 3 headlines and 3 datelines hold 7 more gold mentions, all missed.
    assert (score.with_headline.false_negative, score.whole.false_negative) == (4, 7)
    assert score.whole.recall == pytest.approx(11 / 18)


def test_b_cubed_and_pairwise_over_found_mentions_are_computed_as_by_hand(run: SiteRun):
    found = score_site(run).found
    # Ten found mentions with a qid (Lyon has none; French is misc). Predicted clusters: john-smith {a4 a7 b7},
    # tom-jones {a5 c3}, jones {a8}, london {a6}, london-city {c4}, paris {b3 b5}.
    assert found.mentions == 10
    assert found.bcubed.precision == pytest.approx(23 / 30)  # 2/3 + 2/3 + 1/3 + 1 + 1 + 1 + 1 + 1 + 1/2 + 1/2
    assert found.bcubed.recall == pytest.approx(23 / 30)  # 1 + 1 + 1 + 2/3 + 2/3 + 1/3 + 1/2 + 1/2 + 1 + 1
    assert (found.pairwise.precision, found.pairwise.recall) == (pytest.approx(2 / 5), pytest.approx(2 / 5))
    # Cross-article pairs: gold (a5 c3) (a8 c3) (a6 c4); predicted (a4 b7) (a7 b7) (a5 c3).
    assert (found.cross.precision, found.cross.recall) == (pytest.approx(1 / 3), pytest.approx(1 / 3))


def test_a_missed_gold_mention_is_a_cluster_of_its_own(run: SiteRun):
    everything = score_site(run).everything
    # The seven headline and dateline mentions join as singletons: 17 mentions.
    assert everything.mentions == 17
    assert everything.bcubed.precision == pytest.approx(44 / 51)  # (23/3 + 7) / 17
    assert everything.bcubed.recall == pytest.approx(43 / 102)  # (5/3 + 1 + 3/2 + 1 + 1 + 1) / 17


def test_split_conflated_and_junk_entities_are_listed_worst_first(run: SiteRun):
    score = score_site(run)
    assert [(s["qid"], s["entities"]) for s in score.split] == [
        ("Q2", {"tom-jones": 2, "jones": 1}), ("Q84", {"london": 1, "london-city": 1})]
    assert [(c["entity"], c["qids"]) for c in score.conflated] == [
        ("john-smith", {"Q1 John Smith": 2, "Q3 Jim Smith": 1}),
        ("paris", {"Q483020 Paris Saint-Germain": 1, "Q90 Paris": 1})]
    assert score.conflated[0]["articles"] == ["aida-a", "aida-b"]
    # A mention matching only a misc gold mention (a demonym) does not save an entity from being junk.
    assert [(j["entity"], j["gold"]) for j in score.junk] == [("french", ["French (misc)"]), ("may", [])]
    assert score.junk_without_gold == 1
    assert score.unmentioned == ["orphan"]


def test_entity_type_is_right_when_it_is_the_majority_gold_type(run: SiteRun):
    score = score_site(run)
    # Seven entities have gold person/org/place mentions; london-city (person) and lyon (place) are wrong,
    # paris (place, one club and one city mention) is a tie and counts right.
    assert (score.typed_entities, score.entity_type_accuracy) == (7, pytest.approx(5 / 7))


def test_the_review_queue_is_scored_on_its_first_items(run: SiteRun):
    score = score_site(run)
    items = [ReviewItem("conflation", ["john-smith"], "", 3), ReviewItem("duplicate", ["jones", "tom-jones"], "", 1),
             ReviewItem("duplicate", ["london", "lyon"], "", 1), ReviewItem("junk", ["may"], "", 1),
             ReviewItem("type", ["lyon"], "", 1), ReviewItem("conflation", ["paris"], "", 2)]
    queue = score_queue(items, score, first=5)
    # Named: john-smith of the two conflated entities (paris comes sixth); Q2's two ids in one item, Q84's not.
    assert (queue.items, queue.scored) == (6, 5)
    assert (queue.conflated_named, queue.conflated, queue.missed_conflated) == (1, 2, ["paris"])
    assert (queue.split_named, queue.split, queue.missed_split) == (1, 2, ["Q84 London"])
    # Real: the conflated john-smith, jones and tom-jones sharing Q2, junk may, lyon's wrong type; not london/lyon.
    assert queue.real == 4
    assert queue.by_kind == {"conflation": [1, 1], "duplicate": [2, 1], "junk": [1, 1], "type": [1, 1]}
    assert queue.as_json()["real_share"] == pytest.approx(0.8)
    assert any(line.split() == ["items", "pointing", "at", "a", "real", "error", "4/5", "0.800", "0.50"]
               for line in queue_report(queue))


def test_articles_are_read_back_onto_the_seed_text(tmp_path: Path):
    """Markup, escapes, an editor's insertion, a title-cased headline and a linked dateline are undone."""
    documents = load_documents(FIXTURE)
    root = tmp_path / "site"
    files = {
        "site.yml": "title: t\n",
        "content/entities/john-smith.md": "---\nname: John Smith\ntype: person\n---\n",
        "content/entities/tom-jones.md": "---\nname: Tom Jones\ntype: person\n---\n",
        "content/entities/london.md": "---\nname: London\ntype: place\n---\n",
        "content/articles/smith-beats-jones.md": (
            "---\ntitle: \"[[john-smith|Smith]] Beats Jones\"\ndateline: {place: london, text: LONDON}\n"
            f"source: {{file: seeds/{seed_name(0, documents[0])}}}\n---\n"
            "[[John Smith]] beat [[tom-jones|Tom Jones]] in [[london|London]].\n\n"
            "[[john-smith|Smith]] and Jones met in {++early ++}May\\.\n"),
        "content/articles/london-talks.md": (
            "---\ntitle: London Talks\ndateline: \"[[london|London]]\"\n"
            f"source: {{file: seeds/{seed_name(2, documents[2])}}}\n---\n"
            "[[tom-jones|Tom Jones]] spoke in London.\n"),
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    run = read_site(root, documents)
    text = documents[0]["text"]
    found = [(text[p.start:p.end], p.entity, p.where) for p in run.predicted["aida-a"]]
    assert found == [("SMITH", "john-smith", "title"), ("LONDON", "london", "dateline"),
                     ("John Smith", "john-smith", "body"), ("Tom Jones", "tom-jones", "body"),
                     ("London", "london", "body"), ("Smith", "john-smith", "body")]
    assert [p.start for p in run.predicted["aida-a"]][2:] == [36, 52, 65, 73]
    assert [(p.start, p.entity, p.where) for p in run.predicted["aida-c"]] == [
        (13, "london", "dateline"), (31, "tom-jones", "body")]  # a dateline written as a mention, in usual case
    assert run.unplaced == 0 and run.predicted["aida-b"] == []


def test_make_eval_ingests_the_documents_as_one_site_and_writes_every_figure(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    out_json = tmp_path / "site.json"
    assert main(["--site-only", "--site-data", str(FIXTURE), "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    assert "site level (site.jsonl): 3 documents" in out and "B-cubed" in out and "junk entities" in out
    assert "recogniser" not in out  # --site-only leaves out the per-article table
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["documents"] == 3 and data["gold_mentions"] == 19 and data["unplaced_mentions"] == 0
    assert data["mentions_body"]["true_positive"] > 0 and data["ingest_seconds"] > 0
    assert data["junk_count"] == len(data["junk"]) and data["split_count"] == len(data["split"])
    assert "review queue: the first" in out
    assert data["review_queue"]["items"] >= data["review_queue"]["scored"] > 0
