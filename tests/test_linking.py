"""Linking across articles and the ingest report's hints, on small texts of their own.

Within-article cases (short forms, the two Massouds, acronyms, possessives, "X province" /
"X Valley", NFR beside NRF, descriptions) are pinned in test_recognize.py.
"""

from __future__ import annotations

from pathlib import Path

from gloss.config import SiteConfig
from gloss.content import Entity, EntityRegistry, load_entities
from gloss.errors import Problems
from gloss.ingest import ingest_seeds
from gloss.linking import link_mentions

TYPES = ["person", "organization", "place"]


def entity(entity_id: str, name: str, type_: str, aliases: list[str] | None = None) -> Entity:
    return Entity(id=entity_id, path=Path(f"content/entities/{entity_id}.md"), name=name, type=type_,
                  aliases=aliases or [])


def site(tmp_path: Path, seeds: dict[str, str]) -> SiteConfig:
    (tmp_path / "seeds").mkdir(exist_ok=True)
    for name, text in seeds.items():
        (tmp_path / "seeds" / name).write_text(text, encoding="utf-8")
    return SiteConfig(root=tmp_path)


def test_bare_surname_learnt_elsewhere_is_not_linked_but_flagged():
    registry = EntityRegistry([entity("zabihullah-mujahid", "Zabihullah Mujahid", "person")])
    result = link_mentions("Mujahid said the talks failed.\n", registry, TYPES)
    assert [(m.text, m.entity, m.type, m.review) for m in result.mentions] == [
        ("Mujahid", "mujahid", "person", "may be the same as zabihullah-mujahid")]
    assert result.new_aliases == {}


def test_bare_surname_links_to_the_registry_person_when_the_editor_gave_it_as_an_alias():
    registry = EntityRegistry([entity("zabihullah-mujahid", "Zabihullah Mujahid", "person", ["Mujahid"])])
    result = link_mentions("Mujahid said the talks failed.\n", registry, TYPES)
    assert [(m.text, m.entity) for m in result.mentions] == [("Mujahid", "zabihullah-mujahid")]
    assert result.new_entities == {}


def test_bare_surname_shared_by_two_registry_people_is_flagged_not_guessed():
    registry = EntityRegistry([entity("ahmad-massoud", "Ahmad Massoud", "person"),
                               entity("ahmad-shah-massoud", "Ahmad Shah Massoud", "person")])
    [mention] = link_mentions("Fighters cheered when Massoud spoke.\n", registry, TYPES).mentions
    assert mention.entity == "massoud"
    assert mention.review == "may be the same as ahmad-massoud or ahmad-shah-massoud"


def test_shortened_registry_name_in_another_article_is_a_flagged_new_entity():
    registry = EntityRegistry([entity("nrfa", "National Resistance Front of Afghanistan", "organization", ["NRF"])])
    result = link_mentions("The National Resistance Front said it would fight on.\n", registry, TYPES)
    assert [(m.text, m.entity, m.review) for m in result.mentions] == [
        ("National Resistance Front", "national-resistance-front", "may be the same as nrfa")]
    assert result.new_aliases == {}


def test_a_surname_learnt_in_one_article_does_not_link_in_another(tmp_path: Path):
    config = site(tmp_path, {"a.txt": "Talks begin in Doha\nTaliban spokesman, Zabihullah Mujahid, spoke.\n"})
    ingest_seeds(config)
    stub = tmp_path / "content/entities/zabihullah-mujahid.md"
    before = stub.read_text(encoding="utf-8")
    site(tmp_path, {"b.txt": "Talks end in Doha\nOn Friday, Mujahid said the talks had failed.\n"})
    report = ingest_seeds(config)
    article = (tmp_path / "content/articles/talks-end-in-doha.md").read_text(encoding="utf-8")
    assert "On Friday, [[mujahid|Mujahid]] said" in article
    assert any("may be the same as zabihullah-mujahid" in w.message for w in report.review)
    assert stub.read_text(encoding="utf-8") == before
    ids = [e.id for e in load_entities(config, Problems())]
    assert sorted(ids) == ["mujahid", "taliban", "zabihullah-mujahid"]


def test_unclear_type_is_written_with_review_true_and_reported(tmp_path: Path):
    config = site(tmp_path, {"a.txt": "Market news\nThey met Zorblat yesterday near the hills.\n"})
    report = ingest_seeds(config)
    stub = (tmp_path / "content/entities/zorblat.md").read_text(encoding="utf-8")
    assert "\nreview: true\n" in stub
    [warning] = report.review
    assert warning.format() == (
        "content/articles/market-news.md:7:10: warning: 'Zorblat' linked to zorblat: type of 'Zorblat' is a guess "
        "(organization)\n    hint: set the right type in content/entities/zorblat.md, then delete its `review: true`")


def test_report_hints_at_likely_duplicates_and_misspellings(tmp_path: Path):
    config = site(tmp_path, {"a.txt": "Talks begin in Doha\nTaliban spokesman, Zabihullah Mujahid, spoke.\n"
                                      "Ahmad Shah Massoud was remembered.\n"})
    ingest_seeds(config)
    site(tmp_path, {"b.txt": "Talks end in Doha\nAhmad Massoud spoke on Sunday.\n"
                             "Later Zabihulah Mujahid said the talks had failed.\n"})
    report = ingest_seeds(config)
    messages = [w.format() for w in report.review]
    assert messages[0] == (
        "content/articles/talks-end-in-doha.md:7:1: warning: 'Ahmad Massoud' linked to ahmad-massoud: "
        "may be the same as ahmad-shah-massoud\n"
        "    hint: if they are one entity, merge them: python build.py merge ahmad-massoud ahmad-shah-massoud")
    assert ("content/articles/talks-end-in-doha.md:9:7: warning: 'Zabihulah Mujahid' linked to zabihullah-mujahid: "
            "'Zabihulah Mujahid' looks like a misspelling of 'Zabihullah Mujahid'") in messages[1]
    assert "correct the spelling in the article" in messages[1]
