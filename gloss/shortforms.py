"""Linking rules for names that are not written in full: short forms ("Mujahid", "Suu Kyi"),
acronyms ("National Resistance Front (NRF)" then "NRF"), misspellings of them, names on a
headline's capitals line, and single capitalised words.

`ShortFormRules` is part of `Linker` (gloss/linking.py): its methods read and extend the linker's
record of the text so far (names, history, mentions).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict

from .content import normalize_name
from .names import equivalents, match_key
from .recognize import (
    ACRONYM_DEF,
    OFFICERS,
    ORG_NOUNS,
    PLACE_WORDS,
    SPEECH_VERBS,
    Candidate,
    Mention,
    is_acronym,
    neighbours,
)
from .spelling import deletions

# The halves of a divided place ("North Korea", "South Korea"), which a text calls "the North".
HALVES = {"North": "South", "South": "North", "East": "West", "West": "East"}
# A short form is weighed against this many of the nearest mentions that share its word: all of them
# in any real article, and a bound on the work in a text that repeats one name 40,000 times.
SHORT_FORM_REACH = 200


class ShortFormRules:
    """The linker's rules for short forms and acronyms (mixed into gloss/linking.py's Linker)."""

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
            initials = name_initials(owner.words)
            if letters in initials:
                self.acronyms[letters] = (owner.text, False)
            elif any(sorted(letters) == sorted(i) or one_edit(letters, i) for i in initials):
                self.acronyms.setdefault(letters, (owner.text, True))
            elif len(owner.words) > 1:  # "Armed Forces of Liberia (AFL)": the text defines it, whatever the initials
                self.acronyms.setdefault(letters, (owner.text, False))

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
                    if not self.acronyms[a][1] and (sorted(a) == sorted(letters) or one_edit(a, letters))]
            if not near:
                if not equivalents(candidate.text) and (named := self._named_with_initials(letters)):
                    self._attach(candidate, named)  # "NFL" in a text naming the National Football League
                    return True
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

    def _named_with_initials(self, letters: str) -> str | None:
        """The one organisation or place this text names in full whose initials are `letters`."""
        if len(letters) < 2:
            return None
        found = [entity_id for entity_id in self.by_initials.get(letters, ())
                 if entity_id in self.recent and not self._looks_person(entity_id)]
        return found[0] if len(found) == 1 else None

    def _merge_registry_acronyms(self) -> None:
        """"IRA", known to the registry by its acronym alone, in a text that names the Irish
        Republican Army in full: the full name is the registry entity's, not a new one."""
        for mention in [m for m in self.mentions if (m.start, m.end) in self.known]:
            letters = mention.text.replace(".", "")
            if not is_acronym(letters) or self._name_of(mention.entity).replace(".", "") != letters:
                continue
            named = self._named_with_initials(letters)
            if named is not None and named in self.new:
                self._merge_into(named, mention.entity)

    def _merge_bracketed_people(self) -> None:
        """"Abu Ammar (Arafat)", "Boris Nikolayevich (Yeltsin)": a person's other name, new here,
        glossed in brackets by the surname of a person the text names in full, is that person's."""
        ordered = sorted(self.mentions, key=lambda m: m.start)
        for before, after in zip(ordered, ordered[1:], strict=False):
            if self.text[before.end:after.start] == " (" and self.text.startswith(")", after.end) \
                    and " " not in after.text and before.entity in self.new and after.entity != before.entity \
                    and len(self._name_of(after.entity).split()) > 1 and self._looks_person(after.entity) \
                    and self._looks_person(before.entity):
                self._merge_into(before.entity, after.entity)

    def _merge_into(self, new_id: str, entity_id: str) -> None:
        """Every mention of the new entity `new_id` becomes one of `entity_id`, which learns its name."""
        known_type = "" if entity_id in self.new else self.registry.by_id[entity_id].type
        for position, other in enumerate(self.mentions):
            if other.entity == new_id:
                self.mentions[position] = Mention(other.start, other.end, other.text, entity_id, known_type,
                                                  other.review)
        for type_id, score in self.scores.get(new_id, {}).items():
            self.scores[entity_id][type_id] += score
        if entity_id in self.new:
            self.new[entity_id].aliases.append(self._name_of(new_id))
        else:
            self.aliases[entity_id].append(self._name_of(new_id))
        self._forget(new_id)

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
            fits = {entity_id: self._fits_short_form(word, entity_id, side is before)
                    for entity_id in {entity_id for _, entity_id in side}}  # each entity judged once
            fitting = [entity_id for _, entity_id in side if fits[entity_id]]
            if fitting:
                counts = Counter(fitting)
                return max(fitting, key=counts.__getitem__)  # max keeps the nearest of a tie
        return None

    def _half_of_a_divided_place(self, word: str) -> str | None:
        """"the North" in a text that names North Korea and South Korea: that half of a divided
        country (its people have a name of their own: North Koreans). Not "the South" of a text
        naming both Carolinas, which is the American South. Flagged by the caller all the same."""
        other = HALVES.get(word)
        if other is None:
            return None
        found = {entity_id for entity_id in self.by_name_part.get(("start", match_key(word)), ())
                 if entity_id in self.recent and len(parts := self._name_of(entity_id).split()) == 2
                 and self._is_place(entity_id) and self.names.get(match_key(f"{other} {parts[1]}")) is not None
                 and self._has_a_people(self._name_of(entity_id))}
        return found.pop() if len(found) == 1 else None

    def _has_a_people(self, place: str) -> bool:
        """Whether the gazetteer names a place's people ("North Korean", "South Sudanese")."""
        return any(place + ending in self.gaz.demonyms for ending in ("n", "an", "ian", "ese", "i", "ish"))

    def _clipped_organisation(self, word: str) -> str | None:
        """"Fed" after "Federal Reserve": the organisation named before whose name's first word this
        word clips (kept for the site, as an acronym is). Of several ("Federal Open Market
        Committee"), the one named most often, as for a surname; none on a tie."""
        if len(word) < 3 or not word.istitle() or word in self.gaz.given_names or self.gaz.place_tier(word):
            return None  # not "Chris" for the Christian Democratic Union
        counts = Counter()
        for entity_id in self.by_clipping.get(word[:3], ()):
            first = self._name_of(entity_id).split()[0]
            if first != word and first.startswith(word) and self._looks_organization(entity_id):
                counts[entity_id] = self.mention_counts[entity_id]
        ranked = counts.most_common(2)
        return ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None

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


def name_initials(words: list[str]) -> set[str]:
    """Initials of a name, with and without its "of X" tail and small words."""
    capitals = [w for w in words if w[:1].isupper()]
    head = words[:words.index("of")] if "of" in words else words
    return {"".join(w[0] for w in capitals), "".join(w[0] for w in head if w[:1].isupper()),
            "".join(w[0].upper() for w in words)}


def one_edit(a: str, b: str) -> bool:
    """Whether `b` is `a` with one letter changed, added, dropped, or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:] or (a[i + 2:] == b[i + 2:] and a[i:i + 2] == b[i:i + 2][::-1])
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return longer[i + 1:] == shorter[i:]
