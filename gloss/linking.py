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
from .names import equivalents, match_key, usual_name
from .recognize import (
    ACRONYM_DEF,
    OFFICERS,
    ORG_NOUNS,
    PLACE_HEADS,
    PLACE_WORDS,
    SPEECH_VERBS,
    Candidate,
    Mention,
    NameIndex,
    context_scores,
    describe,
    entity_id_for,
    find_candidates,
    is_acronym,
    name_index,
    neighbours,
    registry_matches,
    score_types,
)
from .seedtext import headline_end, parse_seed
from .spelling import NameTable, deletions

# "Panjshir Valley", "Kabul province": the area a place gives its name to is linked to the place.
# Not "Mexico City" or "Hudson River": a capitalised place word makes another place of its own.
AREA_WORDS = {"valley", "province", "region", "district"}
UNCLEAR = 1.5  # below this score a type is a guess and is marked for review
# Context evidence that a place's name stands for an organisation in one article: two strong cues
# ("beat X", "X coach"), each worth 4 in recognize's context scores.
METONYM_EVIDENCE = 8
# Type evidence a capitalised ordinary word needs before it is taken for a name ("Shell shares": 4).
ORDINARY_WORD_EVIDENCE = 4
# A short form is weighed against this many of the nearest mentions that share its word: all of them
# in any real article, and a bound on the work in a text that repeats one name 40,000 times.
SHORT_FORM_REACH = 200


@dataclass
class NewEntity:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    review: bool = False


@dataclass
class Recognition:
    mentions: list[Mention]
    new_entities: dict[str, NewEntity]
    new_aliases: dict[str, list[str]]  # existing entity id -> names this text uses for it
    evidence: dict[str, dict[str, float]] = field(default_factory=dict)  # entity id -> type scores here


def link_mentions(text: str, registry: EntityRegistry | None, type_ids: list[str],
                  index: NameIndex | None = None, headline: int | None = None, topic: str = "") -> Recognition:
    """Mentions in `text`: registry names (found through `index`), then new names linked within the text.

    `headline`: where the text's headline ends, when the caller has read the seed's structure
    (else it is worked out from the text). `topic`: the article's section ("cricket"), which names
    the team or company a place's name stands for here ("England (cricket)")."""
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
    key = match_key(rest)
    return bool(gaz.place_tier(rest) or (index is not None and (key in index.keys or key in index.surnames)))


class Linker:
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
        # first/last name word -> history (in text order); a part of a mentioned entity's name -> ids
        self.by_part: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self.by_name_part: dict[tuple[str, str], set[str]] = defaultdict(set)
        for mention in known:
            self._remember(mention.start, mention.entity)
        self.aliases: dict[str, list[str]] = defaultdict(list)  # existing id -> new aliases
        self.acronyms: dict[str, tuple[str, bool]] = {}  # acronym -> (defining candidate text, misspelt)
        self.acronym_keys: dict[str, list[tuple[int, str]]] | None = None  # see _acronyms_filed
        self.words: set[str] | None = None  # every word of the text, once needed
        self.name_parts: set[str] = set()  # last words of the text's longer names: maybe surnames
        self.topic = ""  # the article's section, if the seed gives one ("cricket")
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
        self._people_before_registry_words()
        self._separate_metonyms()
        self._settle_types()
        self._score_registry_mentions()
        self.mentions.sort(key=lambda m: m.start)
        evidence = {entity_id: dict(scores) for entity_id, scores in self.scores.items() if scores}
        return Recognition(self.mentions, self.new, {k: v for k, v in self.aliases.items() if v}, evidence)

    # -- acronyms

    def _find_acronyms(self, candidates: list[Candidate]) -> None:
        """"National Resistance Front (NRF)": the acronym names the entity before it."""
        by_end = {c.end: c for c in candidates}
        for mention in self.mentions:  # a registry name can be defined an acronym too
            by_end.setdefault(mention.end, Candidate(mention.start, mention.end, mention.text, mention.text.split(),
                                                     False))
        for match in ACRONYM_DEF.finditer(self.text):
            owner = by_end.get(match.start())
            acronym = match.group(1)
            if owner is None or is_acronym(owner.text):
                continue
            letters = acronym.replace(".", "")
            initials = _initials(owner.words)
            if letters in initials:
                self.acronyms[letters] = (owner.text, False)
            elif any(sorted(letters) == sorted(i) or _one_edit(letters, i) for i in initials):
                self.acronyms.setdefault(letters, (owner.text, True))
            elif len(owner.words) > 1:  # "Armed Forces of Liberia (AFL)": the text defines it, whatever the initials
                self.acronyms.setdefault(letters, (owner.text, False))

    # -- resolution

    def _link_single(self, candidate: Candidate, singles: dict[str, list[Candidate]]) -> bool:
        """Link a one-word name now if it is known, a short form, or plainly a new name."""
        word = candidate.words[0]
        if is_acronym(word.replace(".", "")):
            return False
        if known := self._known(word):
            self._attach(candidate, known)
            return True
        if candidate.dateline:  # "MILWAUKEE, Wisconsin 1996-08-29": a place, never a person's short form
            self._create_or_near(candidate)
            return True
        if target := self._short_form(candidate, before_only=True):
            self._attach(candidate, target, short=True)
            return True
        if word in self.name_parts or (candidate.initial and not self._worth_creating(candidate, singles)):
            return False  # "Yeltsin" before "Boris Yeltsin": link it once the full name is known
        if self._ordinary_word(candidate):
            return True  # "Intelligence" in "Director of Intelligence": a word, left as text
        self._create_or_near(candidate)
        return True

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
        key = match_key(candidate.text)  # the latest entity whose name goes on with " of ..." / " for ..."
        return self._latest([*self.by_name_part.get(("head", key), ()),  # or a person's ending with it:
                             *(i for i in self.by_name_part.get(("tail", key), ()) if self._looks_person(i))])

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
        self.recent.pop(entity_id, None)
        self.recent[entity_id] = len(self.history)
        parts = self._name_of(entity_id).split()
        for part in {parts[0], parts[-1]} if parts else ():
            bisect.insort(self.by_part[part], (start, entity_id))

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

    def _name_of(self, entity_id: str) -> str:
        if entity_id in self.new:
            return self.new[entity_id].name
        return self.registry.by_id[entity_id].name if self.registry else entity_id

    def _create_or_near(self, candidate: Candidate) -> None:
        """A new entity, unless the name is one letter away from a known one (then linked and flagged)."""
        near = self._misspelt(candidate.text)
        if near:
            entity_id, known = near
            self._attach(candidate, entity_id, review=f"'{candidate.text}' looks like a misspelling of '{known}'")
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
                    and not known.endswith("'s") and _one_edit(known, key):
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

    def _create(self, candidate: Candidate) -> str:
        name = candidate.text
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
            for type_id, score in score_types(candidate, self.text, self.gaz, context_only=short).items():
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

    # -- short forms, acronyms, headlines

    def _link_deferred(self, candidate: Candidate) -> None:
        if candidate.caps_line:
            self._link_caps(candidate)
            return
        word = candidate.words[0]
        if is_acronym(word.replace(".", "")) and self._link_acronym(candidate):
            return
        if known := self._known(word):
            self._attach(candidate, known)
        elif target := self._short_form(candidate):
            self._attach(candidate, target, short=True)
        elif is_acronym(word.replace(".", "")) or (word in self.name_parts and not candidate.initial):
            self._attach(candidate, self._create(candidate))

    def _link_acronym(self, candidate: Candidate) -> bool:
        letters = candidate.text.replace(".", "")
        definition = self.acronyms.get(letters)
        misspelt = definition is not None and definition[1]
        if definition is None:
            near = [a for a in self._acronyms_filed(["".join(sorted(letters)), *deletions(letters)])
                    if not self.acronyms[a][1] and (sorted(a) == sorted(letters) or _one_edit(a, letters))]
            if not near:
                return self._link_registry_acronym(candidate, letters)
            definition, misspelt = self.acronyms[near[0]], True
        owner = self.names.get(match_key(definition[0]))
        if owner is None:
            return False
        if misspelt:
            good = next(iter(self._acronyms_filed(["=" + k for k in self.names.names_of(owner)])), None)
            hint = f"'{letters}' looks like a misspelling of '{good}'" if good else \
                f"'{letters}' does not match the initials of '{self._name_of(owner)}'"
            self._attach(candidate, owner, review=hint)
        else:
            self._attach(candidate, owner)
        return True

    def _acronyms_filed(self, keys: list[str]) -> list[str]:
        """The defined acronyms filed under any of `keys`, in the order defined. Each (well-spelt) one
        is filed under its letters sorted, its forms with a letter deleted, and "=" and the compared
        form of the name defining it: so an acronym is not compared with every other one."""
        if self.acronym_keys is None:
            self.acronym_keys = defaultdict(list)
            for position, (acronym, (name, bad)) in enumerate(self.acronyms.items()):
                if not bad:
                    for key in {"".join(sorted(acronym)), *deletions(acronym), "=" + match_key(name)}:
                        self.acronym_keys[key].append((position, acronym))
        return [a for _, a in sorted({entry for key in keys for entry in self.acronym_keys.get(key, ())})]

    def _link_registry_acronym(self, candidate: Candidate, letters: str) -> bool:
        """"NFR" when the registry knows "NRF": two neighbouring letters swapped."""
        if self.registry is None:
            return False
        for i in range(len(letters) - 1):
            swapped = letters[:i] + letters[i + 1] + letters[i] + letters[i + 2:]
            found = self.registry.candidates(swapped) if swapped != letters else []
            if len(found) == 1 and swapped in self.registry.by_id[found[0]].names():
                self._attach(candidate, found[0], review=f"'{letters}' looks like a misspelling of '{swapped}'")
                return True
        return False

    def _short_form(self, candidate: Candidate, before_only: bool = False) -> str | None:
        """The person mentioned before (else after) whose name has this word.

        When several fit ("Yeltsin" after Boris and Naina Yeltsin), the one named most often so
        far: a story's subject is named again and again, someone in passing once; a tie goes to
        the nearest.
        """
        word = candidate.words[0]
        history = self.by_part.get(word, [])  # only mentions whose name starts or ends with the word can fit
        at = bisect.bisect_left(history, (candidate.start,))
        before = history[max(0, at - SHORT_FORM_REACH):at][::-1]
        after = [p for p in history[at:at + SHORT_FORM_REACH] if p[0] > candidate.start] if not before_only else []
        for side in (before, after):
            fits: dict[str, bool] = {}
            fitting = [entity_id for _, entity_id in side if fits.setdefault(
                entity_id, self._fits_short_form(word, entity_id, side is before))]
            if fitting:
                counts = Counter(fitting)
                return max(fitting, key=counts.__getitem__)  # max keeps the nearest of a tie
        return None

    def _fits_short_form(self, word: str, entity_id: str, before: bool = True) -> bool:
        """A person by surname, or by first name once named in full before ("Jansher" after
        "Jansher Khan"); an organisation by its own last word ("Yankees") or by its first when
        the rest only says what or where it is ("Pirelli" for "Pirelli Cables", "Real" for
        "Real Madrid")."""
        parts = self._name_of(entity_id).split()
        if len(parts) < 2 or word in self.gaz.honorifics or "of" in parts or "for" in parts:
            return False
        if self._looks_person(entity_id):
            return word == parts[-1] or (word == parts[0] and (before or word in self.gaz.given_names))
        if not self._looks_organization(entity_id) or word.lower() in self.gaz.common:
            return False
        if word == parts[-1]:
            return word not in self.gaz.org_cues and not self.gaz.place_tier(word)
        rest = parts[1:]
        return word == parts[0] and not self.gaz.place_tier(word) and all(
            w in self.gaz.org_cues or self.gaz.place_tier(w) for w in rest)

    def _looks_organization(self, entity_id: str) -> bool:
        if entity_id not in self.new:
            return self.registry is not None and self.registry.by_id[entity_id].type == "organization"
        scores = self.scores[entity_id]
        return bool(scores) and max(scores, key=scores.get) == "organization"

    def _looks_person(self, entity_id: str) -> bool:
        if entity_id not in self.new:
            return self.registry is not None and self.registry.by_id[entity_id].type == "person"
        scores = {t: s for t, s in self.scores[entity_id].items() if s > 0}
        if not scores:  # "MaliVai Washington", nothing said around it: a person, as _settle_types decides
            words = self.new[entity_id].name.split()
            return len(words) > 1 and not any(w in self.gaz.org_cues for w in words)
        return max(scores, key=scores.get) == "person"

    def _worth_creating(self, candidate: Candidate, singles: dict[str, list[Candidate]]) -> bool:
        """A lone capitalised word starting a sentence is a name only with other evidence."""
        word = candidate.words[0]
        if word in self.gaz.places or word in self.gaz.given_names:
            return True
        _, nxt, _ = neighbours(self.text, candidate)
        if nxt in OFFICERS | ORG_NOUNS | SPEECH_VERBS | PLACE_WORDS:
            return True  # "Taliban spokesman ...", "Itar-Tass news agency ...", "Kosevo stadium"
        if self._appears_in_lower_case(word.lower()):
            return False
        return any(not other.initial for other in singles[word])

    def _appears_in_lower_case(self, word: str) -> bool:
        """Whether `word` occurs as a whole word in the text: a set of the text's words, built once."""
        if not re.fullmatch(r"\w+", word):
            return bool(re.search(r"\b" + re.escape(word) + r"\b", self.text))
        if self.words is None:
            self.words = set(re.findall(r"\w+", self.text))
        return word in self.words

    def _link_caps(self, candidate: Candidate) -> None:
        """In an ALL-CAPS headline, link only words known from the rest of the text or places."""
        words = candidate.text.split()
        offset = candidate.start
        index = 0
        while index < len(words):
            for size in range(min(4, len(words) - index), 0, -1):
                phrase = " ".join(words[index:index + size])
                start = self.text.index(phrase, offset)
                end = start + len(phrase)
                entity_id = self._caps_target(phrase)
                if entity_id:
                    part = Candidate(start, end, phrase, phrase.split(), True, caps_line=True)
                    self._attach(part, entity_id)
                    index += size
                    offset = end
                    break
            else:
                offset = self.text.index(words[index], offset) + len(words[index])
                index += 1

    def _caps_target(self, phrase: str) -> str | None:
        key = normalize_name(phrase)
        if known := self._known(phrase):
            return known
        if person := self._latest(i for i in self.by_name_part.get(("last", key), ()) if self._looks_person(i)):
            return person  # a surname of a person named in full
        titled = phrase.title()
        if self.gaz.place_tier(titled) == 1 and is_acronym(phrase) is False:
            candidate = Candidate(0, 0, titled, titled.split(), True)
            return self._create(candidate)
        return None

    # -- types

    def _separate_metonyms(self) -> None:
        """A place's name that stands for a team or company in this article ("England beat
        Pakistan", "against Chicago", "Santa Fe shares") is linked to that organisation: one the
        text names in full ("Chicago White Sox"), else one named after the place and the article's
        section ("England (cricket)"). Linking respects type: the place keeps its own mentions
        elsewhere, and the words around each name are the evidence."""
        by_entity: dict[str, list[int]] = defaultdict(list)
        for position, mention in enumerate(self.mentions):
            by_entity[mention.entity].append(position)
        for entity_id, positions in list(by_entity.items()):
            if not self._is_place(entity_id):
                continue
            evidence: dict[str, float] = defaultdict(float)
            for position in positions:
                mention = self.mentions[position]
                candidate = Candidate(mention.start, mention.end, mention.text, mention.text.split(), False)
                for type_id, score in context_scores(candidate, self.text).items():
                    evidence[type_id] += score
            named = self._organisation_named_after(entity_id)
            needed = METONYM_EVIDENCE / 2 if named else METONYM_EVIDENCE  # "Seattle" beside "Seattle Mariners"
            if evidence["organization"] < needed or \
                    evidence["organization"] < 2 * (evidence["place"] + evidence["person"]) + 2:
                continue
            target = named or self._metonym_entity(entity_id)
            for position in positions:
                mention = self.mentions[position]
                why = mention.review or (f"the words around '{mention.text}' say an organisation, not the place "
                                         f"{entity_id}")
                self.mentions[position] = Mention(mention.start, mention.end, mention.text, target,
                                                  "" if target in self.new else self.registry.by_id[target].type, why)
            self.scores[target]["organization"] += evidence["organization"]
            if entity_id in self.new and len(positions) == len(by_entity[entity_id]):
                self._forget(entity_id)

    def _people_before_registry_words(self) -> None:
        """"Washington" after "MaliVai Washington" is the player, though the registry knows the
        city: a registry name found as written yields to the surname of a person this article
        named in full before it, unless the words around it say place ("in Washington")."""
        for position, mention in enumerate(self.mentions):
            if (mention.start, mention.end) not in self.known or " " in mention.text or mention.type == "person":
                continue
            candidate = Candidate(mention.start, mention.end, mention.text, [mention.text], False)
            person = self._short_form(candidate, before_only=True)
            if person is None or person == mention.entity:
                continue
            context = context_scores(candidate, self.text)
            if context.get("place", 0) or context.get("organization", 0) >= 2:
                continue
            self.mentions[position] = Mention(mention.start, mention.end, mention.text, person,
                                              "" if person in self.new else "person",
                                              f"'{mention.text}' read as {self._name_of(person)}, named before it; "
                                              f"it may be {mention.entity}")

    def _is_place(self, entity_id: str) -> bool:
        if entity_id not in self.new:
            return self.registry is not None and self.registry.by_id[entity_id].type == "place"
        return bool(self.gaz.place_tier(self.new[entity_id].name))

    def _organisation_named_after(self, entity_id: str) -> str | None:
        """"Chicago White Sox" for "Chicago", when this text names it: the one such organisation."""
        named = self.by_name_part.get(("start", match_key(self._name_of(entity_id))), ())
        found = {i for i in named if i in self.recent and i != entity_id and self._looks_organization(i)}
        return found.pop() if len(found) == 1 else None

    def _metonym_entity(self, entity_id: str) -> str:
        name = f"{self._name_of(entity_id)} ({self.topic or 'organization'})"
        if (known := self.names.get(match_key(name))) or (known := self._known(name)):
            return known
        taken = ChainMap(self.new, self.registry.by_id if self.registry else {})
        target = entity_id_for(name, taken)
        self.new[target] = NewEntity(target, name, "organization")
        self.names[match_key(name)] = target
        return target

    def _forget(self, entity_id: str) -> None:
        """A new entity none of whose mentions are left: no file is written for it."""
        parts = self._name_of(entity_id).split()
        del self.new[entity_id]
        self.scores.pop(entity_id, None)
        self.recent.pop(entity_id, None)
        for part in {parts[0], parts[-1]} if parts else ():
            self.by_part[part] = [entry for entry in self.by_part[part] if entry[1] != entity_id]
        for key in self.names.names_of(entity_id):
            del self.names[key]

    def _score_registry_mentions(self) -> None:
        """Type evidence for the registry names found as written, which skip `_attach`: the site
        settles their type from every article (gloss/sitetypes.py)."""
        for mention in self.mentions:
            if (mention.start, mention.end) not in self.known:
                continue
            words = mention.text.split()
            candidate = Candidate(mention.start, mention.end, mention.text, words, False)
            for type_id, score in score_types(candidate, self.text, self.gaz).items():
                self.scores[mention.entity][type_id] += score

    def _settle_types(self) -> None:
        """Each new entity takes its best-scored type; a weak score is marked for review."""
        for entity_id, entity in self.new.items():
            scores = {t: s for t, s in self.scores[entity_id].items() if t in self.type_ids}
            best = max(scores, key=scores.get) if scores else ""
            if not best or scores[best] < UNCLEAR:
                entity.review = True
                best = best or ("person" if len(entity.name.split()) > 1 else "organization")
                if best not in self.type_ids:
                    best = self.type_ids[0]
            entity.type = best
        types = {e.id: e.type for e in self.new.values()}
        for mention in self.mentions:
            if not mention.type:
                mention.type = types[mention.entity]
                if self.new[mention.entity].review and not mention.review:
                    mention.review = f"type of '{self.new[mention.entity].name}' is a guess ({mention.type})"


def _initials(words: list[str]) -> set[str]:
    """Initials of a name, with and without its "of X" tail and small words."""
    capitals = [w for w in words if w[:1].isupper()]
    head = words[:words.index("of")] if "of" in words else words
    return {"".join(w[0] for w in capitals), "".join(w[0] for w in head if w[:1].isupper()),
            "".join(w[0].upper() for w in words)}


def _one_edit(a: str, b: str) -> bool:
    """Whether `b` is `a` with one letter changed, added, dropped, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1:] == shorter[i:]


def _part_of(alias: str, name: str) -> bool:
    """Whether `alias` is some of `name`'s words in order ("Suu Kyi", "Mujahid", "Ahmad Massoud")."""
    words, parts = normalize_name(name).split(), normalize_name(alias).split()
    return len(parts) < len(words) and any(words[i:i + len(parts)] == parts for i in range(len(words)))
