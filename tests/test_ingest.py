"""Ingest stage end to end on real files: articles, entity stubs, the manifest, hand-edit safety."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import run_gloss

from gloss.config import SiteConfig
from gloss.content import EntityRegistry, load_entities, split_front_matter
from gloss.dateline import usual_case
from gloss.errors import GlossError, Problems
from gloss.ingest import annotate_text, ingest_seeds
from gloss.markup import create_markdown

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_22fdcdff3e63ad71.txt"
ARTICLE = Path("content/articles/the-taliban-say-they-now-have-full-control-over-panjshir.md")


def site(tmp_path: Path, seeds: dict[str, str | bytes] | None = None) -> SiteConfig:
    (tmp_path / "seeds").mkdir()
    for name, text in (seeds or {"000_22fdcdff3e63ad71.txt": SEED.read_bytes()}).items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (tmp_path / "seeds" / name).write_bytes(data)
    return SiteConfig(root=tmp_path)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def plain_words(markdown: str) -> list[str]:
    """The words a reader sees: the body parsed with Gloss's parser, markup dropped (and typography
    left as the seed has it: curly quotes and dashes are the page's business, not ingest's)."""
    pieces = []
    md = create_markdown().disable(["replacements", "smartquotes", "gloss_lone_quotes"])
    for token in md.parse(markdown):
        for child in token.children or []:
            if child.type in ("text", "code_inline", "gloss_mention"):
                pieces.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                pieces.append(" ")
        pieces.append(" ")
    return "".join(pieces).split()


def article_body(path: Path) -> str:
    _, body, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
    return body


def test_ingest_writes_article_entities_and_manifest(tmp_path: Path):
    config = site(tmp_path)
    report = ingest_seeds(config)
    assert report.written == [ARTICLE]
    assert len(report.new_entities) == 15
    assert report.summary() == "1 article written, 15 new entities, 2 to review"
    text = (tmp_path / ARTICLE).read_text(encoding="utf-8")
    assert text.startswith("---\ntitle: The Taliban say they now have full control over Panjshir\n")
    assert "source: {file: seeds/000_22fdcdff3e63ad71.txt, sha256: " in text
    assert "[[zabihullah-mujahid|Mujahid]] claimed" in text
    assert "\n## Resistance vows to continue fighting\n" in text
    stub = (tmp_path / "content/entities/zabihullah-mujahid.md").read_text(encoding="utf-8")
    assert stub == ("---\nname: Zabihullah Mujahid\ntype: person\naliases: []\n"
                    "description: Taliban spokesman.\n"
                    "source: the-taliban-say-they-now-have-full-control-over-panjshir\n---\n")
    manifest = json.loads((tmp_path / "content/.gloss-ingest.json").read_text())
    assert manifest[ARTICLE.as_posix()]["seed"] == "seeds/000_22fdcdff3e63ad71.txt"
    entities = load_entities(config, Problems())
    assert len(entities) == 15


def test_review_warnings_point_into_the_written_article(tmp_path: Path):
    report = ingest_seeds(site(tmp_path))
    lines = (tmp_path / ARTICLE).read_text(encoding="utf-8").split("\n")
    for warning in report.review:
        assert warning.path == str(ARTICLE)
        assert lines[warning.line - 1][warning.col - 1:].startswith("[[national-resistance-front-of-afghanistan|NFR]]")


def test_body_without_markup_keeps_the_seed_words_in_order(tmp_path: Path):
    ingest_seeds(site(tmp_path))
    assert plain_words(article_body(tmp_path / ARTICLE)) == SEED.read_text(encoding="utf-8").split()


def test_markdown_characters_in_seed_are_shown_as_written(tmp_path: Path):
    seed = ("Markets fall on Friday\n1. Prices *fell* in London_City by 5 # points.\n"
            "- Traders [[said]] {==it==} was <b>bad</b> & AT&T | Smith fell.\n# Not a heading, said Bank of England.\n")
    ingest_seeds(site(tmp_path, {"markets.txt": seed}))
    body = article_body(tmp_path / "content/articles/markets-fall-on-friday.md")
    expected = seed.split("\n", 1)[1].split()
    assert plain_words(body) == expected


def test_rerun_with_nothing_changed_changes_no_file(tmp_path: Path):
    config = site(tmp_path)
    ingest_seeds(config)
    before = snapshot(tmp_path)
    report = ingest_seeds(config)
    assert report.skipped == [ARTICLE] and report.written == []
    assert snapshot(tmp_path) == before


def test_hand_edited_article_is_refused_with_a_proposal(tmp_path: Path):
    config = site(tmp_path)
    ingest_seeds(config)
    article = tmp_path / ARTICLE
    article.write_text(article.read_text(encoding="utf-8") + "\nAn editor's note.\n", encoding="utf-8")
    edited = article.read_bytes()
    (tmp_path / "seeds/000_22fdcdff3e63ad71.txt").write_bytes(SEED.read_bytes() + b"\nKabul was quiet.\n")
    report = ingest_seeds(config)
    assert article.read_bytes() == edited
    [(path, why)] = report.refused
    assert path == ARTICLE
    assert "edited by hand" in why and "--force" in why and "diff" in why
    proposal = tmp_path / ARTICLE.with_name(ARTICLE.stem + ".ingest.md")
    assert report.proposals == [proposal.relative_to(tmp_path)]
    assert "[[kabul|Kabul]] was quiet." in proposal.read_text(encoding="utf-8")


def test_force_overwrites_a_hand_edited_article(tmp_path: Path):
    config = site(tmp_path)
    ingest_seeds(config)
    (tmp_path / ARTICLE).write_text("edited\n", encoding="utf-8")
    report = ingest_seeds(config, force=True)
    assert report.written == [ARTICLE]
    assert (tmp_path / ARTICLE).read_text(encoding="utf-8").startswith("---\ntitle:")


def test_changed_seed_rewrites_an_article_nobody_edited(tmp_path: Path):
    config = site(tmp_path)
    ingest_seeds(config)
    (tmp_path / "seeds/000_22fdcdff3e63ad71.txt").write_bytes(SEED.read_bytes() + b"\nKabul was quiet.\n")
    report = ingest_seeds(config)
    assert report.written == [ARTICLE] and report.refused == []
    assert "[[kabul|Kabul]] was quiet." in (tmp_path / ARTICLE).read_text(encoding="utf-8")


def test_second_article_links_existing_entity_and_only_adds_the_alias_line(tmp_path: Path):
    """An acronym defined in the text is a name of its own, kept for the site; a surname is not."""
    config = site(tmp_path, {"a.txt": "Talks begin in Doha\nThe National Resistance Front said it would fight.\n"})
    ingest_seeds(config)
    stub = tmp_path / "content/entities/national-resistance-front.md"
    stub.write_text(stub.read_text(encoding="utf-8") + "Notes by the editor.\n", encoding="utf-8")
    before = stub.read_text(encoding="utf-8")
    (tmp_path / "seeds/b.txt").write_text("Talks end in Doha\nThe National Resistance Front (NRF) spoke. "
                                          "Later the NRF left.\n", encoding="utf-8")
    report = ingest_seeds(config)
    assert report.updated_entities == [stub.relative_to(tmp_path)]
    assert not any("resistance" in p.name for p in report.new_entities)
    after = stub.read_text(encoding="utf-8")
    assert after == before.replace("aliases: []", "aliases: [NRF]")
    article = (tmp_path / "content/articles/talks-end-in-doha.md").read_text(encoding="utf-8")
    assert "Later the [[national-resistance-front|NRF]] left." in article


def test_a_bad_seed_leaves_content_as_it_was(tmp_path: Path):
    config = site(tmp_path, {"a.txt": SEED.read_text(encoding="utf-8"), "b.txt": b"\x00binary"})
    (tmp_path / "content/articles").mkdir(parents=True)
    before = snapshot(tmp_path / "content")
    with pytest.raises(GlossError, match="binary"):
        ingest_seeds(config)
    assert snapshot(tmp_path / "content") == before


def test_same_title_from_another_seed_gets_its_own_slug(tmp_path: Path):
    config = site(tmp_path, {"a.txt": "Storm hits the coast\nThe storm came.\n",
                             "b.txt": "Storm hits the coast\nIt came again.\n"})
    report = ingest_seeds(config)
    assert sorted(p.name for p in report.written) == ["storm-hits-the-coast-2.md", "storm-hits-the-coast.md"]


def test_only_named_seeds_are_ingested(tmp_path: Path):
    config = site(tmp_path, {"a.txt": "Storm hits the coast\nThe storm came.\n",
                             "b.txt": "Rain in Paris\nIt rained.\n"})
    report = ingest_seeds(config, [Path("seeds/b.txt")])
    assert report.written == [Path("content/articles/rain-in-paris.md")]


def test_unknown_recognizer_is_a_config_error(tmp_path: Path):
    config = site(tmp_path)
    config.ingest.recognizer = "magic"
    with pytest.raises(GlossError, match="unknown ingest recognizer"):
        ingest_seeds(config)


def test_annotate_text_gives_offsets_into_the_text(tmp_path: Path):
    text = SEED.read_text(encoding="utf-8")
    mentions = annotate_text(text, None, SiteConfig(root=tmp_path))
    assert mentions[0] == {"start": 4, "end": 11, "text": "Taliban", "entity": "taliban", "type": "organization"}
    assert all(text[m["start"]:m["end"]] == m["text"] for m in mentions)


def test_annotate_text_uses_the_registry(tmp_path: Path):
    config = site(tmp_path)
    ingest_seeds(config)
    registry = EntityRegistry(load_entities(config, Problems()))
    mentions = annotate_text("Zabihullah Mujahid said the NRF would talk.", registry, config)
    assert [(m["text"], m["entity"]) for m in mentions] == [
        ("Zabihullah Mujahid", "zabihullah-mujahid"), ("NRF", "national-resistance-front-of-afghanistan")]


def test_every_mention_in_the_article_resolves(tmp_path: Path):
    config = site(tmp_path)
    ingest_seeds(config)
    registry = EntityRegistry(load_entities(config, Problems()))
    targets = re.findall(r"\[\[([^|\]]+)\|", (tmp_path / ARTICLE).read_text(encoding="utf-8"))
    assert targets and all(registry.resolve(t) for t in targets)


def test_a_seed_outside_seeds_can_be_named(tmp_path: Path):
    shutil.copy(SEED, tmp_path / "x.txt")
    config = site(tmp_path)
    assert ingest_seeds(config, [tmp_path / "x.txt"]).written


DEV_SET = ROOT.parent / "shared" / "eval" / "conll2003_dev_prose.jsonl"


@pytest.mark.skipif(not DEV_SET.exists(), reason="the development set lives in ../shared/eval/")
def test_development_texts_keep_their_words_after_ingest(tmp_path: Path):
    documents = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    config = site(tmp_path, {f"{d['id']}.txt": d["text"] for d in documents})
    report = ingest_seeds(config)
    assert len(report.written) == len(documents)
    manifest = json.loads((tmp_path / "content/.gloss-ingest.json").read_text(encoding="utf-8"))
    for article, entry in manifest.items():
        seed = (tmp_path / entry["seed"]).read_text(encoding="utf-8")
        front, body, _ = split_front_matter((tmp_path / article).read_text(encoding="utf-8"), Path(article))
        body_words = plain_words(body)
        seed_words = seed.split()
        # The body is one run of the seed's words; what is left out around it (headline, dateline,
        # byline, the wire's tags and the desk's sign-off) is kept in front matter.
        start = next(i for i in range(len(seed_words) - len(body_words) + 1)
                     if seed_words[i:i + len(body_words)] == body_words)
        left_out = seed_words[:start] + seed_words[start + len(body_words):]
        assert len(left_out) <= 24, article
        kept = front_words(front.data)
        assert [w for w in front_words(left_out) if w and w not in kept] == [], article


def front_words(front: dict) -> set[str]:
    """Every word in the front matter's values, letters and digits only, case folded."""
    if isinstance(front, dict):
        return set().union(*(front_words(v) for k, v in front.items() if k != "source"), set())
    if isinstance(front, list):
        return set().union(*(front_words(v) for v in front), set())
    return {re.sub(r"[\W_]+", "", w).casefold() for w in re.split(r"[\s-]+", str(front))}


# ---------------------------------------------------------------- wire copy structure

WIRE = ROOT / "tests" / "fixtures" / "wire"
WIRE_KEYS = ("title", "tags", "date", "dateline", "author", "wire_tags", "desk")
MENTION = re.compile(r"\[\[[^|\]]*\|([^\]]*)\]\]")


def ingest_one(tmp_path: Path, name: str, text: str) -> tuple[dict, str]:
    """Front matter and body of the one article a seed gives."""
    report = ingest_seeds(site(tmp_path, {name: text}))
    [article] = report.written
    front, body, _ = split_front_matter((tmp_path / article).read_text(encoding="utf-8"), article)
    return front.data, body


@pytest.mark.parametrize("shape", sorted(p.stem for p in WIRE.glob("*.txt")))
def test_wire_structure_goes_to_front_matter_not_into_the_body(tmp_path: Path, shape: str):
    expected = yaml.safe_load((WIRE / f"{shape}.yml").read_text(encoding="utf-8"))
    front, body = ingest_one(tmp_path, f"{shape}.txt", (WIRE / f"{shape}.txt").read_text(encoding="utf-8"))
    for key in WIRE_KEYS:
        assert front.get(key) == expected["front"].get(key, [] if key == "tags" else None), key
    assert MENTION.sub(r"\1", body) == expected["body"]


@pytest.mark.parametrize("shape", sorted(p.stem for p in WIRE.glob("*.txt")))
def test_wire_structure_makes_no_entity_but_the_datelines_places(tmp_path: Path, shape: str):
    front, body = ingest_one(tmp_path, f"{shape}.txt", (WIRE / f"{shape}.txt").read_text(encoding="utf-8"))
    dateline = front["dateline"]
    places = {dateline["place"], *([dateline["region"]["place"]] if isinstance(dateline.get("region"), dict) else [])}
    said = (front["title"] + "\n" + MENTION.sub(r"\1", body)).casefold()
    for entity in load_entities(SiteConfig(root=tmp_path), Problems()):
        assert entity.id in places or entity.name.casefold() in said, entity.id
    for place in places:
        assert (tmp_path / "content" / "entities" / f"{place}.md").exists()


def test_dateline_city_is_linked_to_the_place_never_to_a_person_of_that_name(tmp_path: Path):
    entities = tmp_path / "content" / "entities"
    entities.mkdir(parents=True)
    (entities / "malivai-washington.md").write_text(
        "---\nname: MaliVai Washington\ntype: person\naliases: [Washington]\n---\n", encoding="utf-8")
    seed = "U.S. warplanes wait for orders.\nWASHINGTON 1996-08-30\nMore than 300 U.S. warplanes were ready.\n"
    front, _ = ingest_one(tmp_path, "planes.txt", seed)
    assert front["dateline"] == {"place": "washington", "text": "Washington"}
    stub = (entities / "washington.md").read_text(encoding="utf-8")
    assert "name: Washington\ntype: place\n" in stub
    registry = EntityRegistry(load_entities(SiteConfig(root=tmp_path), Problems()))
    found = [m for m in annotate_text(seed, registry, SiteConfig(root=tmp_path)) if m["text"] == "WASHINGTON"]
    assert [(m["entity"], m["type"]) for m in found] == [("washington", "place")]


def test_dateline_links_the_registrys_place_and_writes_it_as_the_registry_does(tmp_path: Path):
    entities = tmp_path / "content" / "entities"
    entities.mkdir(parents=True)
    (entities / "hague.md").write_text("---\nname: The Hague\ntype: place\naliases: [Den Haag]\n---\n",
                                       encoding="utf-8")
    front, _ = ingest_one(tmp_path, "court.txt", "Court sits.\nTHE HAGUE 1996-08-30\nThe court sat on Friday.\n")
    assert front["dateline"] == {"place": "hague", "text": "The Hague"}
    assert not (entities / "the-hague.md").exists()


def test_built_article_opens_with_its_linked_dateline_and_the_place_page_lists_it(tmp_path: Path):
    (tmp_path / "site.yml").write_text("title: Wire\n", encoding="utf-8")
    shutil.copytree(ROOT / "theme", tmp_path / "theme")
    front, _ = ingest_one(tmp_path, "desk-tag.txt", (WIRE / "desk-tag.txt").read_text(encoding="utf-8"))
    result = run_gloss(tmp_path, "build")
    assert result.returncode == 0, result.stderr
    slug = "consortium-to-bid-for-newsstand-chain-paper"
    page = (tmp_path / "_site" / "articles" / slug / "index.html").read_text(encoding="utf-8")
    assert ('<div class="article-body">\n<p><span class="dateline"><a href="../../entities/warsaw/" '
            'class="dateline-place mention-place">Warsaw</a> —</span> A consortium plans') in page
    place = (tmp_path / "_site" / "entities" / "warsaw" / "index.html").read_text(encoding="utf-8")
    assert f'<a href="../../articles/{slug}/">Consortium to bid for newsstand chain - paper</a>' in place
    assert "No article mentions" not in place


def test_place_in_capitals_is_spelt_as_the_text_then_the_registry_then_the_gazetteer_spell_it():
    assert usual_case("N'DJAMENA", "closed N'Djamena University", ["N'djamena"]) == "N'Djamena"
    assert usual_case("KABUL", "KABUL again", ["KaBul"]) == "KaBul"
    assert usual_case("NEW YORK", "", []) == "New York"
    assert usual_case("URUS-MARTAN", "", []) == "Urus-Martan"
    assert usual_case("Wisconsin", "", []) == "Wisconsin"
