"""Ingest stage end to end on real files: articles, entity stubs, the manifest, hand-edit safety."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from gloss.config import SiteConfig
from gloss.content import EntityRegistry, load_entities, split_front_matter
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
    assert stub == ("---\nname: Zabihullah Mujahid\ntype: person\naliases: [Mujahid]\n"
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
    config = site(tmp_path, {"a.txt": "Talks begin in Doha\nTaliban spokesman, Zabihullah Mujahid, spoke.\n"})
    ingest_seeds(config)
    stub = tmp_path / "content/entities/zabihullah-mujahid.md"
    stub.write_text(stub.read_text(encoding="utf-8") + "Notes by the editor.\n", encoding="utf-8")
    before = stub.read_text(encoding="utf-8")
    (tmp_path / "seeds/b.txt").write_text("Talks end in Doha\nZabihullah Mujahid spoke. Later Mujahid left.\n",
                                          encoding="utf-8")
    report = ingest_seeds(config)
    assert report.updated_entities == [stub.relative_to(tmp_path)]
    assert not any("mujahid" in p.name for p in report.new_entities)
    after = stub.read_text(encoding="utf-8")
    assert after == before.replace("aliases: []", "aliases: [Mujahid]")
    article = (tmp_path / "content/articles/talks-end-in-doha.md").read_text(encoding="utf-8")
    assert "Later [[zabihullah-mujahid|Mujahid]] left." in article


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
    mentions = annotate_text("Mujahid said the NRF would talk.", registry, config)
    assert [(m["text"], m["entity"]) for m in mentions] == [
        ("Mujahid", "zabihullah-mujahid"), ("NRF", "national-resistance-front-of-afghanistan")]


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
        body_words = plain_words(article_body(tmp_path / article))
        seed_words = seed.split()
        # Only a headline, dateline or byline at the top leaves the body (for front matter).
        assert body_words == seed_words[len(seed_words) - len(body_words):], article
        assert len(seed_words) - len(body_words) <= 24, article
