"""Linking within one text: which entity each recognised name means.

Full names create entities; short forms ("Mujahid"), acronyms ("NRF"), possessives, "X Valley"
and organisation prefixes link to the nearest fitting entity mentioned before them, and a
likely misspelling ("NFR" beside "NRF") is linked and flagged for review. The candidates and
their type evidence come from gloss/recognize.py.
"""

from __future__ import annotations

import bisect
import re
from collections import ChainMap, Counter, defaultdict
from dataclasses import dataclass, field

from .content import EntityRegistry, normalize_name
from .data import gazetteer
from .linktypes import TypeRules
from .nameindex import NameIndex, name_index, registry_matches
from .names import equivalents, match_key, usual_name
from .recognize import (
    PLACE_HEADS,
    PLACE_WORDS,
    Candidate,
    Mention,
    NewEntity,
    context_scores,
    describe,
    entity_id_for,
    find_candidates,
    is_acronym,
    score_types,
)
from .seedtext import headline_end, parse_seed
from .shortforms import ShortFormRules, name_initials, one_edit
from .spelling import NameTable

# "Panjshir Valley", "Kabul province": the area a place gives its name to is linked to the place.
# Not "Mexico City" or "Hudson River": a capitalised place word makes another place of its own.
AREA_WORDS = {"valley", "province", "region", "district"}
# Type evidence a capitalised ordinary word needs before it is taken for a name ("Shell shares": 4).
ORDINARY_WORD_EVIDENCE = 4


@dataclass
class Recognition:
    mentions: list[Mention]
    new_entities: dict[str, NewEntity]
    new_aliases: dict[str, list[str]]  # existing entity id -> names this text uses for it
    evidence: dict[str, dict[str, float]] = field(default_factory=dict)  # entity id -> type scores here


def link_mentions(text: str, registry: EntityRegistry | None, type_ids: list[str],
                  index: NameIndex | None = None, headline: int | None = None, topic: str = "",
                  teams: bool = False) -> Recognition:
    """Mentions in `text`: registry names (found through `index`), then new names linked within the text.

    `headline`: where the text's headline ends, when the caller has read the seed's structure
    (else it is worked out from the text). `topic`: the article's section ("cricket"), which names
    the team or company a place's name stands for here ("England (cricket)"). `teams`: the section
    is one whose places' names stand for teams (gloss/teams.py)."""
    if registry is not None and index is None:
        index = name_index(registry)
    candidates = find_candidates(text)
    if headline is None:
        headline = _headline_end(text)
    for candidate in candidates:  # a headline's capitals say little: link only names known elsewhere
        if candidate.start < headline and not candidate.dateline:
            candidate.caps_line = True
    known = _not_inside_longer_names(text, registry_matches(text, registry, index), candidates, index)
    taken = [(m.start, m.end) for m in known]
    candidates = [c for c in candidates if not _overlaps(c.start, c.end, taken)]
    linker = Linker(text, registry, type_ids, known, index)
    linker.topic = topic
    linker.teams = teams
    return linker.link(candidates)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Whether start:end overlaps one of `spans`, which are in order and do not overlap each other
    (so their ends are in order too, and one bisect finds the only span that can)."""
    at = bisect.bisect_right(spans, start, key=lambda span: span[1])
    return at < len(spans) and spans[at][0] < end


def _not_inside_longer_names(text: str, known: list[Mention], candidates: list[Candidate],
                             index: NameIndex | None) -> list[Mention]:
    """Registry matches that are not part of a longer capitalised name.

    "Mexico" in "Gulf of Mexico" or "Mexico City", "Japan" in "Bank of Japan": the longer name
    is another entity, resolved as a whole; but not when the rest of the run is a known name
    itself. (A headline's runs are no evidence: they come marked `caps_line`.)
    """
    runs = sorted((c for c in candidates if not c.caps_line and not c.dateline), key=lambda c: c.start)
    starts = [c.start for c in runs]
    kept = []
    for mention in known:
        at = bisect.bisect_right(starts, mention.start) - 1
        run = runs[at] if at >= 0 else None
        inside = run is not None and run.start <= mention.start and mention.end <= run.end \
            and run.end - run.start > mention.end - mention.start
        if not inside or _rest_is_a_name(text, run, mention, index):
            kept.append(mention)
    return kept


def _headline_end(text: str) -> int:
    """Where the text's headline ends, as the seed reader finds it (0 when the text has none)."""
    if "\n" not in text or not text.partition("\n")[0].strip():
        return 0
    return headline_end(parse_seed(text))


def _rest_is_a_name(text: str, run: Candidate, mention: Mention, index: NameIndex | None) -> bool:
    rest = (text[run.start:mention.start] + " " + text[mention.end:run.end]).strip(" ,-")
    if not rest or " of " in f" {rest} " or " for " in f" {rest} ":
        return False
    gaz = gazetteer()
    if all(word in gaz.org_cues for word in rest.split()):
        return False  # "Minsk Group": an organisation named after the place, resolved as a whole
    key = match_key(rest)
    known = index is not None and (key in index.keys or key in index.surnames)
    if known and " " not in rest + mention.text and not gaz.place_tier(mention.text) and not gaz.place_tier(rest):
        return False  # "Saddam Hussein", "Fed Cup", though each word is known alone: one name
    return bool(gaz.place_tier(rest) or known)


class Linker(ShortFormRules, TypeRules):
    """Turns candidates into mentions of entities: the registry's, or new ones for this text.

    Full names create entities; short forms ("Mujahid"), acronyms ("NRF"), "X Valley" and
    organisation prefixes link to the nearest fitting entity mentioned before them.
    """

    def __init__(self, text: str, registry: EntityRegistry | None, type_ids: list[str],
                 known: list[Mention], index: NameIndex | None) -> None:
        self.text = text
        self.registry = registry
        self.index = index
        self.type_ids = type_ids
        self.gaz = gazetteer()
        self.mentions: list[Mention] = list(known)
        self.known = {(m.start, m.end) for m in known}  # spans of the registry names found as written
        self.new: dict[str, NewEntity] = {}
        self.scores: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.names = NameTable()  # normalised name or alias -> id, for this text (also found by spelling)
        self.history: list[tuple[int, str]] = []  # (offset, id) of every mention so far
        self.recent: dict[str, int] = {}  # id -> its last mention's place in history (latest last)
        self.mention_counts: Counter[str] = Counter()  # id -> mentions so far
        # first/last name word -> history (in text order); a part of a mentioned entity's name -> ids
        self.by_part: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.by_name_part: dict[tuple[str, str], set[str]] = defaultdict(set)
        self.by_clipping: dict[str, set[str]] = defaultdict(set)  # first 3 letters of a longer name -> ids
        self.by_initials: dict[str, set[str]] = defaultdict(set)  # initials of a longer name -> ids
        for mention in known:
            self._remember(mention.start, mention.entity)
        self.aliases: dict[str, list[str]] = defaultdict(list)  # existing id -> new aliases
        self.acronyms: dict[str, tuple[str, bool]] = {}  # acronym -> (defining candidate text, misspelt)
        self.acronym_keys: dict[str, list[tuple[int, str]]] | None = None  # see _acronyms_filed
        self.words: set[str] | None = None  # every word of the text, once needed
        self.name_parts: set[str] = set()  # last words of the text's longer names: maybe surnames
        self.topic = ""  # the article's section, if the seed gives one ("cricket")
        self.teams = False  # whether that section's places' names stand for teams (gloss/teams.py)
        self.metonyms: set[tuple[int, int]] = set()  # spans of places' names read as their teams
        self.full_names: dict[str, str] = {}  # see _names_after_places
        for mention in known:
            self.names.setdefault(match_key(mention.text), mention.entity)

    # -- public

    def link(self, candidates: list[Candidate]) -> Recognition:
        self._find_acronyms(candidates)
        deferred = []
        singles = defaultdict(list)
        for candidate in candidates:
            if len(candidate.words) == 1 and not candidate.caps_line:
                singles[candidate.text].append(candidate)
            elif len(candidate.words) > 1 and not any(w in self.gaz.org_cues for w in candidate.words) \
                    and candidate.words[-1].lower() not in PLACE_WORDS | PLACE_HEADS:
                self.name_parts.add(candidate.words[-1])
        self.full_names = self._names_after_places(candidates)
        for candidate in candidates:
            if candidate.caps_line or (len(candidate.words) == 1 and not self._link_single(candidate, singles)):
                deferred.append(candidate)
            elif len(candidate.words) > 1:
                known = self._resolve(candidate)
                if known:
                    self._attach(candidate, known)
                else:
                    self._create_or_near(candidate)
        for candidate in deferred:
            self._link_deferred(candidate)
        self._merge_registry_acronyms()
        self._merge_bracketed_people()
        self._people_before_registry_words()
        self._separate_metonyms()
        self._settle_types()
        self._score_registry_mentions()
        self.mentions.sort(key=lambda m: m.start)
        evidence = {entity_id: dict(scores) for entity_id, scores in self.scores.items() if scores}
        return Recognition(self.mentions, self.new, {k: v for k, v in self.aliases.items() if v}, evidence)

    # -- resolution

    def _names_after_places(self, candidates: list[Candidate]) -> dict[str, str]:
        """"White Sox" -> "Chicago White Sox", for every name of the text that is a place's name
        before a name of two words or more (the body or team of that place); a tail two such names
        share maps to neither."""
        found: dict[str, str] = {}
        for candidate in candidates:
            words = candidate.words
            for size in range(1, len(words) - 1):
                if not candidate.caps_line and self.gaz.place_tier(" ".join(words[:size])):
                    tail = match_key(" ".join(words[size:]))
                    found[tail] = candidate.text if found.get(tail, candidate.text) == candidate.text else ""
        return found

    def _link_single(self, candidate: Candidate, singles: dict[str, list[Candidate]]) -> bool:
        """Link a one-word name now if it is known, a short form, or plainly a new name."""
        word = candidate.words[0]
        if is_acronym(word.replace(".", "")):
            return False
        if candidate.surname:  # "Saddam (Hussein)": the name in full, which the bracketed word then shortens
            full = f"{word} {candidate.surname}"
            self._attach(candidate, self._known(full) or self._create(candidate, name=full), short=True)
            return True
        if known := self._known(word):
            self._attach(candidate, known)
            return True
        if candidate.dateline:  # "MILWAUKEE, Wisconsin 1996-08-29": a place, never a person's short form
            self._create_or_near(candidate)
            return True
        if target := self._short_form(candidate, before_only=True):
            self._attach(candidate, target, short=True)
            return True
        if target := self._clipped_organisation(word):
            self._attach(candidate, target)
            return True
        if target := self._half_of_a_divided_place(word):
            self._attach(candidate, target, review=f"'{word}' read as {self._name_of(target)}, named in this text")
            return True
        if word in self.name_parts or (candidate.initial and not self._worth_creating(candidate, singles)):
            return False  # "Yeltsin" before "Boris Yeltsin": link it once the full name is known
        if word in self.gaz.org_cues and (target := self._organisation_ending_with(word)):
            self._attach(candidate, target)
            return True
        if self._ordinary_word(candidate):
            return True  # "Intelligence" in "Director of Intelligence": a word, left as text
        self._create_or_near(candidate)
        return True

    def _organisation_ending_with(self, word: str) -> str | None:
        """"Department" after "the Commerce Department": the one organisation this text named whose
        name ends with this word of a kind of organisation, which the text now calls by it alone."""
        found = {i for i in self.by_name_part.get(("tail", match_key(word)), ())
                 if i in self.recent and self._looks_organization(i)}
        return found.pop() if len(found) == 1 else None

    def _ordinary_word(self, candidate: Candidate) -> bool:
        """A lone capitalised word that is an ordinary English word, with nothing around it saying
        it names something ("Hands of Stone", "Privatisation Minister"): no entity is made for it."""
        word = candidate.words[0]
        if len(word) == 1:
            return True
        if word.lower() not in self.gaz.words or word in self.gaz.places or word in self.gaz.given_names:
            return False
        scores = score_types(candidate, self.text, self.gaz)
        return max(scores.values(), default=0.0) < ORDINARY_WORD_EVIDENCE

    def _resolve(self, candidate: Candidate) -> str | None:
        """The entity a name of several words means: known in this text or the registry as written,
        "X Valley" for X, or a shortened name of an entity this text named in full."""
        if known := self._known(candidate.text):
            return known
        words = candidate.words
        if len(words) > 1 and words[-1].lower() in AREA_WORDS and (base := self._known(" ".join(words[:-1]))):
            return base
        key = match_key(candidate.text)  # the latest entity whose name goes on with " of ..." / " for ...",
        return self._latest([*self.by_name_part.get(("head", key), ()),  # or a person's ending with it,
                             *(i for i in self.by_name_part.get(("tail", key), ())  # or a country's body's
                               if self._looks_person(i) or self._place_before(i, candidate.text))])

    def _place_before(self, entity_id: str, tail: str) -> bool:
        """Whether an organisation's name is a place's name before `tail` ("U.S. Agriculture
        Department" for "Agriculture Department"): the body that place has of that kind."""
        name = self._name_of(entity_id)
        head = name[:len(name) - len(tail)].strip()
        return bool(head) and bool(self.gaz.place_tier(head)) and self._looks_organization(entity_id)

    def _known(self, name: str) -> str | None:
        """The entity `name` means by its spelling alone: this text's names, then the registry's,
        each compared without a corporate suffix and through the standard equivalences."""
        forms = [name, *(f for f in equivalents(name) if f != name)]
        for form in forms:
            if (found := self.names.get(match_key(form))) is not None:
                return found
        if self.registry is not None and self.index is not None:
            for form in forms:
                ids = {i for i in self.index.keys.get(match_key(form), ()) if i in self.registry.by_id}
                if len(ids) == 1:
                    return ids.pop()
        return None

    def _registry_only(self, ids, entity_type: str = "") -> str | None:
        """The one registry entity among `ids` (of `entity_type`, if given), else None."""
        if self.registry is None:
            return None
        found = [i for i in ids if i in self.registry.by_id
                 and (not entity_type or self.registry.by_id[i].type == entity_type)]
        return found[0] if len(found) == 1 else None

    def _entity_names(self) -> list[tuple[str, str]]:
        """(id, name) of every entity mentioned so far in this text, latest first."""
        return [(entity_id, self._name_of(entity_id)) for entity_id in reversed(self.recent)]

    def _latest(self, ids) -> str | None:
        """The one of `ids` mentioned last (None when none of them has been mentioned)."""
        return max((i for i in ids if i in self.recent), key=self.recent.__getitem__, default=None)

    def _remember(self, start: int, entity_id: str) -> None:
        """Record a mention; indexed by the first and last word of the name, so finding the nearest
        entity a short form may mean stays fast on a very long text."""
        if entity_id not in self.recent:
            self._index_name(entity_id)
        self.history.append((start, entity_id))
        self.mention_counts[entity_id] += 1
        self.recent.pop(entity_id, None)
        self.recent[entity_id] = len(self.history)
        parts = self._name_of(entity_id).split()
        for part in {parts[0], parts[-1]} if parts else ():
            bisect.insort(self.by_part[part], (start, entity_id))
        if len(parts) > 1:
            self.by_clipping[parts[0][:3]].add(entity_id)

    def _index_name(self, entity_id: str) -> None:
        """File a newly mentioned entity under the parts of its name that other names are compared
        with ("head" before " of "/" for ", "start" and "tail" at each space, a person's "last" word),
        so no comparison reads every entity mentioned so far."""
        name = self._name_of(entity_id)
        full = match_key(name)
        for match in re.finditer(r" (?=(?:of|for) )", full):
            self.by_name_part[("head", full[:match.start()])].add(entity_id)
        for at in (i for i, c in enumerate(full) if c == " "):
            self.by_name_part[("start", full[:at])].add(entity_id)
            self.by_name_part[("tail", full[at + 1:])].add(entity_id)
        if len(name.split()) > 1:
            self.by_name_part[("last", normalize_name(name.split()[-1]))].add(entity_id)
            if not is_acronym(name.split()[0]):
                for letters in name_initials(name.split()):
                    self.by_initials[letters].add(entity_id)

    def _name_of(self, entity_id: str) -> str:
        if entity_id in self.new:
            return self.new[entity_id].name
        return self.registry.by_id[entity_id].name if self.registry else entity_id

    def _create_or_near(self, candidate: Candidate) -> None:
        """A new entity, unless the name is one letter away from a known one (then linked and flagged).
        A name the text gives in full further on ("the White Sox" before "Chicago White Sox") makes
        the entity of the full name."""
        near = self._misspelt(candidate.text)
        if near:
            entity_id, known = near
            self._attach(candidate, entity_id, review=f"'{candidate.text}' looks like a misspelling of '{known}'")
            return
        full = self.full_names.get(match_key(candidate.text)) if len(candidate.words) > 1 else None
        if full and full != candidate.text:
            self._attach(candidate, self._create(candidate, name=full))
            return
        entity_id = self._create(candidate)
        duplicate = self._same_surname(candidate) or self._same_head(candidate)
        self._attach(candidate, entity_id, review=f"may be the same as {duplicate}" if duplicate else "")

    def _misspelt(self, name: str) -> tuple[str, str] | None:
        """(id, name) of a known name one edit away (a swap, a letter more or less or changed)."""
        if len(name) < 6 or is_acronym(name):
            return None
        key = normalize_name(name)
        registry_names = [(n, i) for n, i in self.index.by_initial.get(key[:1], []) if i in self.registry.by_id] \
            if self.index is not None and self.registry is not None else []
        for known, entity_id in [(normalize_name(n), self.names[n]) for n in self.names.near(key)] + registry_names:
            if known[:1] == key[:1] and abs(len(known) - len(key)) <= 1 and known != key \
                    and not known.endswith("'s") and one_edit(known, key):
                return entity_id, self._name_of(entity_id)
        return None

    def _same_surname(self, candidate: Candidate) -> str:
        """Registry people the new name may be: "Ahmad Massoud" beside "Ahmad Shah Massoud", or a bare
        "Massoud" when two registry people have that surname."""
        words = candidate.words
        if self.registry is None or self.index is None:
            return ""
        people = [i for i in sorted(self.index.surnames.get(normalize_name(words[-1]), ()))
                  if i in self.registry.by_id and self.registry.by_id[i].type == "person"
                  and self.registry.by_id[i].name.split()[-1] == words[-1]]
        if len(words) == 1:  # a surname learnt in another article holds only there
            return " or ".join(people)
        return people[0] if people and words[0] in self.gaz.given_names else ""

    def _same_head(self, candidate: Candidate) -> str:
        """Registry entities this name may shorten: "National Resistance Front" for "National
        Resistance Front of Afghanistan". A partial name holds only where the full one appears,
        so it is a new entity here, flagged."""
        if self.index is None or self.registry is None:
            return ""
        ids = sorted(i for i in self.index.heads.get(normalize_name(candidate.text), ()) if i in self.registry.by_id)
        return " or ".join(ids)

    def _create(self, candidate: Candidate, name: str = "") -> str:
        name = name or (candidate.text if "(" not in candidate.text else " ".join(candidate.words))
        if candidate.owner:
            name = f"{candidate.owner}'s {name}"
        taken = ChainMap(self.new, self.registry.by_id if self.registry else {})
        name = usual_name(name)  # "U.S." alone makes the entity "United States"
        if candidate.dateline and name.isupper() and len(name) > 3:
            name = name.title()  # "MILWAUKEE" is written Milwaukee

        entity_id = entity_id_for(name, taken)
        self.new[entity_id] = NewEntity(entity_id, name, "", description=describe(self.text, candidate))
        self.names[match_key(name)] = entity_id
        return entity_id

    def _attach(self, candidate: Candidate, entity_id: str, review: str = "", short: bool = False) -> None:
        """Record a mention of `entity_id`, learning its name form and type evidence.

        A short form ("Washington" for MaliVai Washington) says nothing about the type by its
        own spelling, only by the words around it.
        """
        short = short or (len(candidate.words) == 1 and len(self._name_of(entity_id).split()) > 1
                          and self._looks_person(entity_id))
        key = match_key(candidate.text)
        if key not in self.names and not review:
            self.names[key] = entity_id
            if not candidate.owner:  # "Foreign Ministry" alone would name every country's
                self._learn_alias(entity_id, candidate.text)
        if not candidate.caps_line:  # registry entities too: their type is settled over the site (sitetypes)
            scores = context_scores(candidate, self.text) if short and self._looks_organization(entity_id) \
                else score_types(candidate, self.text, self.gaz, context_only=short)  # "Deportivo started"
            for type_id, score in scores.items():
                self.scores[entity_id][type_id] += score
        self._remember(candidate.start, entity_id)
        known_type = "" if entity_id in self.new else self.registry.by_id[entity_id].type
        self.mentions.append(Mention(candidate.start, candidate.end, candidate.text, entity_id, known_type, review))

    def _learn_alias(self, entity_id: str, alias: str) -> None:
        """Keep a new spelling of an entity's name for the whole site, unless it is a short form.

        A surname, first name or any part of the name holds only in the article that used it
        ("Jones" may be another Jones elsewhere); so do the standard equivalences, which every
        article knows anyway.
        """
        name = self._name_of(entity_id)
        if match_key(alias) == match_key(name) or _part_of(alias, name) or usual_name(alias) == usual_name(name) \
                and equivalents(alias):
            return
        if self.registry is not None:
            others = [i for i in self.registry.candidates(alias) if i != entity_id]
            if others:
                return
        if entity_id in self.new:
            self.new[entity_id].aliases.append(alias)
        elif alias not in self.registry.by_id[entity_id].aliases:
            self.aliases[entity_id].append(alias)



def _part_of(alias: str, name: str) -> bool:
    """Whether `alias` is some of `name`'s words in order ("Suu Kyi", "Mujahid", "Ahmad Massoud")."""
    words, parts = normalize_name(name).split(), normalize_name(alias).split()
    return len(parts) < len(words) and any(words[i:i + len(parts)] == parts for i in range(len(words)))
