"""Word lists shipped with Gloss for the rule-based recogniser, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent


def _words(name: str) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class Gazetteer:
    given_names: frozenset[str]
    org_cues: frozenset[str]
    roles: frozenset[str]  # lower case
    honorifics: frozenset[str]
    calendar: frozenset[str]
    demonyms: frozenset[str]  # "German", "Iraqis", "South Korean": nationality words, never entities alone
    common: frozenset[str]  # lower case
    words: frozenset[str]  # ordinary English words, lower case: "police", "analysts" (not "may", "bush")
    places: dict[str, int]  # name -> tier (1 = country, capital, big city; 2 = other)

    def place_tier(self, name: str) -> int | None:
        return self.places.get(name) or self.places.get(name.title() if name.isupper() else name)


def _word_list(name: str) -> frozenset[str]:
    """A generated list (comment lines on top, then one clean word a line), read fast: 40,000 words."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if not line.startswith("#")), len(lines))
    return frozenset(lines[start:]) - {""}


def _demonyms() -> set[str]:
    """The hand-made list (irregular forms, peoples, faiths) with plurals, and the derived nationalities."""
    hand = _words("demonyms.txt")
    plurals = {w + "s" for w in hand if not w.endswith(("s", "sh", "ch", "ese", "x"))}
    return {*hand, *plurals, *_words("nationalities.txt")}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    places = {}
    given_names = frozenset(_words("given_names.txt")) | _word_list("census_given_names.txt")
    for line in _words("places.tsv"):
        name, _, tier = line.partition("\t")
        places[name] = int(tier or 2)
    return Gazetteer(
        given_names=given_names,
        org_cues=frozenset(_words("org_cues.txt")),
        roles=frozenset(w.lower() for w in _words("roles.txt")),
        honorifics=frozenset(_words("honorifics.txt")),
        calendar=frozenset(_words("calendar.txt")),
        demonyms=frozenset(_demonyms() - given_names),  # "Christian" is a given name too
        common=frozenset(w.lower() for w in _words("common_words.txt")),
        words=_word_list("english_words.txt"),
        places=places,
    )
