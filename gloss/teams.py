"""Sections whose places' names stand for teams: in "SOCCER - AUSTRIA DOMINATE SCOTLAND", Austria
and Scotland are the national sides, not the countries.

One article seldom has the words to say so ("Austria dominated their qualifier" could be said of
a country), but a section says it over its articles: "beat X", "against X", "X won". Ingest
counts those cues in every seed of a section before it links any (so the order seeds are read in
changes nothing), keeps the counts beside the type evidence (gloss/sitetypes.py), and tells the
linker which sections are team sections. There a place's name is read as its team, unless the
words around that one mention make it the place ("in Moldova", "Jesper Parnevik of Sweden",
"Sweden's Jesper Parnevik"). Names of people are not counted, so a tennis report's "Agassi beat
Sampras" says nothing; a section without sports reports has no cues.
"""

from __future__ import annotations

import re

from .data import Gazetteer, gazetteer
from .recognize import PLACE_WORDS, Candidate, find_candidates, neighbours, place_frame, team_cue

# A team section: at least this many of its articles have a team cue, at least a third of them,
# and the cues of all its articles come to at least TEAM_CUES. A single report, or a section whose
# articles now and then say "sanctions against Iraq", is not one.
TEAM_ARTICLES = 2
TEAM_CUES = 3
# Words before a place's name that make it the place even in a sports report: "in Moldova",
# "Parnevik of Sweden", "a visitor from the Netherlands". Not "to": "lost to England", "Spain
# travels to Belgium" are said of teams as often.
LOCATIVES = {"in", "at", "near", "across", "into", "outside", "inside", "throughout", "from", "of"}
VENUES = {"stadium", "club"}  # "the Eschen stadium", "the north London club": a place's
# "Sweden's Jesper Parnevik", "England's irrepressible midfielder Paul Gascoigne": a possessive
# country before a person's full name is the person's country.
BEFORE_A_PERSON = re.compile(r"['’]s\s+(?:[a-z][\w-]*\s+){0,3}([A-Z][\w'’.-]+)\s+[A-Z]")
# What a country has and a team has not: "a naturalised U.S. citizen", "the Brazil government".
STATE_NOUNS = {"citizen", "citizens", "citizenship", "passport", "government", "embassy", "president",
               "authorities", "police", "army", "troops", "parliament"}
NAME_GOES_ON = re.compile(r" [A-Z][a-z]")  # a capitalised word right after the place's name
AFTER_A_PLACE = re.compile(r"([A-Z][\w.'’-]*),\s*$")  # "Chisinau, Moldova"


def team_cues(text: str) -> int:
    """How many names in `text` the words around say are teams ("beat Somerset", "Texas won"),
    a person's name aside."""
    gaz = gazetteer()
    return sum(1 for candidate in find_candidates(text)
               if not candidate.dateline and candidate.words[0] not in gaz.given_names
               and team_cue(candidate, text))


def team_sections(sections: dict[str, dict[str, int]]) -> set[str]:
    """The sections (of section -> seed -> team cues) whose places' names stand for teams."""
    found = set()
    for section, cues in sections.items():
        with_cues = sum(1 for count in cues.values() if count)
        if with_cues >= TEAM_ARTICLES and 3 * with_cues >= len(cues) and sum(cues.values()) >= TEAM_CUES:
            found.add(section)
    return found


def reads_as_place(candidate: Candidate, text: str) -> bool:
    """Whether the words around this one mention make a place's name the place, even in a team
    section: "in Moldova", "Eschen stadium", "Chisinau, Moldova", "Sweden's Jesper Parnevik",
    "Greg Norman (Australia)"."""
    prev, nxt, _ = neighbours(text, candidate)
    possessive = text.startswith(("'s", "’s"), candidate.end)
    if (prev in LOCATIVES and not possessive) or nxt in PLACE_WORDS | VENUES | STATE_NOUNS \
            or place_frame(text, candidate):
        return True  # but "three of Chicago's four errors"
    if NAME_GOES_ON.match(text, candidate.end):
        return True  # "the U.S. Open": the place names an event, not a team
    gaz = gazetteer()
    before = text[max(0, candidate.start - 40):candidate.start]
    if (found := AFTER_A_PLACE.search(before)) and gaz.place_tier(found.group(1)):
        return True
    if (person := BEFORE_A_PERSON.match(text, candidate.end)) and _first_name_like(person.group(1), gaz):
        return gaz.place_tier(candidate.text) == 1  # a country's player; a city's is its club's
    return before.rstrip().endswith("(") and text[candidate.end:candidate.end + 2].lstrip().startswith(")")


def _first_name_like(word: str, gaz: Gazetteer) -> bool:
    """Whether a capitalised word may begin a person's name: not "World" of "England's opening
    World Cup qualifier"."""
    return word in gaz.given_names or word.lower() not in gaz.words
