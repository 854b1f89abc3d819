"""Team sections (gloss/teams.py): where places' names stand for teams, ingest links them to the team.

The fixture (tests/fixtures/team-sections) is three short soccer reports and a trade story. Only
two of the reports have words saying a country is a team ("Chile beat Peru", "against Norway");
the section says it of all three, and the trade story keeps the countries.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from gloss.config import load_config
from gloss.ingest import ingest_seeds
from gloss.recognize import Candidate
from gloss.teams import reads_as_place, team_sections

FIXTURE = Path(__file__).parent / "fixtures" / "team-sections"
MENTION = re.compile(r"\[\[([^|\]]+)\|([^\]]+)\]\]")


def ingested(tmp_path: Path, seeds: list[str] | None = None) -> Path:
    root = tmp_path / "site"
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "entities").mkdir(parents=True)
    (root / "site.yml").write_text("title: Teams\n", encoding="utf-8")
    shutil.copytree(FIXTURE / "seeds", root / "seeds")
    for name in seeds or []:
        (root / "seeds" / name).unlink()
    ingest_seeds(load_config(root))
    return root


def mentions(root: Path, stem: str) -> list[tuple[str, str]]:
    """(entity id, text) of each mention of the article whose slug starts with `stem`."""
    [article] = (root / "content" / "articles").glob(f"{stem}*.md")
    return [(m.group(1), m.group(2)) for m in MENTION.finditer(article.read_text(encoding="utf-8"))]


def test_a_place_name_in_a_team_section_links_to_the_team_even_without_words_saying_so(tmp_path: Path):
    root = ingested(tmp_path)
    found = mentions(root, "norway-hold-chile")
    assert ("norway-soccer", "Norway") in found  # "Norway dominated": nothing in the sentence says team
    assert ("chile-soccer", "Chile") in found
    team = (root / "content" / "entities" / "norway-soccer.md").read_text(encoding="utf-8")
    assert "name: Norway (soccer)" in team and "type: organization" in team


def test_words_that_make_it_the_place_keep_the_place_in_a_team_section(tmp_path: Path):
    found = mentions(ingested(tmp_path), "norway-hold-chile")
    assert ("norway", "Norway") in found  # "Fans in Norway"
    assert ("oslo", "Oslo") in found


def test_the_same_names_outside_the_section_stay_places(tmp_path: Path):
    found = mentions(ingested(tmp_path), "norway-and-chile-sign-trade-accord")
    assert {entity for entity, text in found if text in ("Norway", "Chile")} == {"norway", "chile"}


def test_the_first_report_of_a_section_is_read_with_the_reports_after_it(tmp_path: Path):
    """Seeds are counted before any is linked: the order they are read in changes nothing."""
    root = ingested(tmp_path)
    counted = json.loads((root / "content" / ".gloss-types.json").read_text(encoding="utf-8"))["sections"]
    assert counted["soccer"]["seeds/01_norway-hold-chile.txt"] == 0
    assert ("norway-soccer", "Norway") in mentions(root, "norway-hold-chile")


def test_a_later_ingest_remembers_which_sections_are_team_sections(tmp_path: Path):
    root = ingested(tmp_path)
    (root / "seeds" / "05_squad.txt").write_text("SOCCER - NORWAY NAME SQUAD.\nNorway named their squad for "
                                                 "the autumn on Monday.\n", encoding="utf-8")
    ingest_seeds(load_config(root))
    assert ("norway-soccer", "Norway") in mentions(root, "norway-name-squad")


def test_a_section_whose_reports_never_say_team_keeps_the_places(tmp_path: Path):
    root = ingested(tmp_path, seeds=["02_chile-beat-peru.txt", "03_peru-sack-coach.txt"])
    assert {entity for entity, text in mentions(root, "norway-hold-chile") if text == "Norway"} == {"norway"}


def test_one_report_with_team_words_does_not_make_a_team_section():
    assert team_sections({"soccer": {"a": 3}}) == set()


def test_a_section_where_few_stories_say_against_a_country_is_no_team_section():
    assert team_sections({"world": {"a": 1, "b": 1, "c": 0, "d": 0, "e": 0, "f": 0, "g": 0}}) == set()
    assert team_sections({"soccer": {"a": 2, "b": 1, "c": 0, "d": 0}}) == {"soccer"}


def place(text: str, name: str) -> bool:
    start = text.index(name)
    return reads_as_place(Candidate(start, start + len(name), name, name.split(), False), text)


def test_the_words_that_keep_a_place_a_place_in_a_sports_report():
    assert place("A crowd in Moldova watched.", "Moldova")
    assert place("He played in Chisinau, Moldova, last year.", "Moldova")
    assert place("Greg Norman (Australia) shot 68.", "Australia")
    assert place("Sweden's Jesper Parnevik led.", "Sweden")
    assert place("England's irrepressible midfielder Paul Gascoigne was at it again.", "England")
    assert place("They met at the Eschen stadium.", "Eschen")
    assert not place("Foster outdueled Atlanta's Tom Glavine.", "Atlanta")  # a city's player: its club's
    assert not place("Hernandez made three of Chicago's four errors.", "Chicago")
    assert not place("Austria dominated their qualifier.", "Austria")


def test_an_event_named_after_a_country_or_what_only_a_country_has_keeps_the_place():
    assert place("Rios was upset at the U.S. Open on Friday.", "U.S.")
    assert place("Seles, who became a naturalised U.S. citizen in 1994, won.", "U.S.")
    assert not place("The U.S. team heads to the Netherlands.", "U.S.")


def test_a_bracket_or_a_possessive_before_a_title_is_no_sign_of_the_place():
    assert not place('"Bolesy (Florida manager John Boles) told me," he said.', "Florida")
    assert not place("Both will miss England's opening World Cup qualifier against Moldova.", "England")
