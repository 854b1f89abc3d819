"""The linker's second look at types, once every name of a text is linked: a place's name that
stands for a team or company ("England beat Pakistan"), people's names before registry words,
each new entity's type settled from all its mentions' evidence, and registry mentions scored.

`TypeRules` is part of `Linker` (gloss/linking.py): its methods read and change the linker's
mentions, new entities and type evidence.
"""

from __future__ import annotations

from collections import ChainMap, defaultdict

from .names import match_key
from .recognize import (
    Candidate,
    Mention,
    NewEntity,
    context_scores,
    entity_id_for,
    score_types,
)
from .teams import reads_as_place

UNCLEAR = 1.5  # below this score a type is a guess and is marked for review
# Context evidence that a place's name stands for an organisation in one article: two strong cues
# ("beat X", "X coach"), each worth 4 in recognize's context scores.
METONYM_EVIDENCE = 8
LIST_GAPS = {", ", " and ", ", and ", " or ", ", or "}  # between the names of a list
LISTED = 1.0  # evidence a clear type gives a weak name listed beside it: below UNCLEAR, still a guess


class TypeRules:
    """The linker's rules for types (mixed into gloss/linking.py's Linker)."""

    # -- types

    def _separate_metonyms(self) -> None:
        """A place's name that stands for a team or company in this article ("England beat
        Pakistan", "against Chicago", "Santa Fe shares") is linked to that organisation: one the
        text names in full ("Chicago White Sox"), else one named after the place and the article's
        section ("England (cricket)"). Linking respects type: the place keeps its own mentions
        elsewhere, and the words around each name are the evidence. In a team section
        (gloss/teams.py) a country's or city's name is its team unless the words around it make
        it the place; elsewhere it takes strong words to."""
        by_entity: dict[str, list[int]] = defaultdict(list)
        for position, mention in enumerate(self.mentions):
            by_entity[mention.entity].append(position)
        for entity_id, positions in list(by_entity.items()):
            if not self._is_place(entity_id):
                continue
            evidence: dict[str, float] = defaultdict(float)
            for position in positions:
                for type_id, score in context_scores(self._candidate_at(position), self.text).items():
                    evidence[type_id] += score
            named = self._organisation_named_after(entity_id)
            needed = METONYM_EVIDENCE / 2 if named else METONYM_EVIDENCE  # "Seattle" beside "Seattle Mariners"
            strong = evidence["organization"] >= needed and \
                evidence["organization"] >= 2 * (evidence["place"] + evidence["person"]) + 2
            if not strong and not (self.teams and self._names_a_team(entity_id)):
                continue
            moved = [p for p in positions if not (self.teams and reads_as_place(self._candidate_at(p), self.text))]
            weight = evidence["organization"] + (0 if strong else len(moved))  # a team section says it
            if moved:
                self._read_as_organisation(entity_id, moved, named, weight)
            if entity_id in self.new and len(moved) == len(by_entity[entity_id]):
                self._forget(entity_id)

    def _candidate_at(self, position: int) -> Candidate:
        mention = self.mentions[position]
        return Candidate(mention.start, mention.end, mention.text, mention.text.split(), False,
                         possessive=self.text.startswith(("'s", "’s"), mention.end))

    def _names_a_team(self, entity_id: str) -> bool:
        """A country's or a city's name, which a national side or a club is named after (not "the
        West", which is also a word)."""
        name = self._name_of(entity_id)
        return self.gaz.place_tier(name) in (1, 2) and name.lower() not in self.gaz.words

    def _read_as_organisation(self, entity_id: str, positions: list[int], named: str | None,
                              evidence: float) -> None:
        target = named or self._metonym_entity(entity_id)
        for position in positions:
            mention = self.mentions[position]
            why = mention.review or (f"the words around '{mention.text}' say an organisation, not the place "
                                     f"{entity_id}")
            self.mentions[position] = Mention(mention.start, mention.end, mention.text, target,
                                              "" if target in self.new else self.registry.by_id[target].type, why)
            self.metonyms.add((mention.start, mention.end))
        self.scores[target]["organization"] += evidence

    def _people_before_registry_words(self) -> None:
        """"Washington" after "MaliVai Washington" is the player, though the registry knows the
        city: a registry name found as written yields to the surname of a person this article
        named in full before it, unless the words around it say place ("in Washington"). A
        registry person keeps its name: the site's "Mujahid" may be the one the editor meant."""
        for position, mention in enumerate(self.mentions):
            if (mention.start, mention.end) not in self.known or " " in mention.text or mention.type == "person":
                continue
            candidate = self._candidate_at(position)
            person = self._short_form(candidate, before_only=True)
            if person is None or person == mention.entity or not self._looks_person(person):
                continue  # not "Pirelli", the company, for "Pirelli Group"
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
            if (mention.start, mention.end) not in self.known or (mention.start, mention.end) in self.metonyms:
                continue  # a place's name read as its team was scored as the team's, by its context
            words = mention.text.split()
            candidate = Candidate(mention.start, mention.end, mention.text, words, False)
            # A registry word read as a person's surname ("Jordan" after "Neil Jordan") says of
            # the person only what the words around it say, as any short form does.
            short = len(words) == 1 and len(self._name_of(mention.entity).split()) > 1 \
                and self._looks_person(mention.entity)
            for type_id, score in score_types(candidate, self.text, self.gaz, context_only=short).items():
                self.scores[mention.entity][type_id] += score

    def _types_from_lists(self) -> None:
        """"got back Breisach, Kehl and Freiburg": a new name with little evidence of its own, listed
        beside a name whose type is clear, takes a little evidence of that type (still marked for
        review). Twice, so the evidence passes along a list."""
        ordered = sorted(self.mentions, key=lambda m: m.start)
        listed = [(a, b) for a, b in zip(ordered, ordered[1:], strict=False) if self.text[a.end:b.start] in LIST_GAPS]
        clear = {m.entity: t for a, b in listed for m in (a, b) if (t := self._clear_type(m.entity))}
        for _ in range(2):
            found = {}
            for before, after in listed:
                for this, other in ((before, after), (after, before)):
                    if this.entity in self.new and this.entity not in clear and other.entity in clear:
                        found[this.entity] = clear[other.entity]
            for entity_id, type_id in found.items():
                self.scores[entity_id][type_id] += LISTED
            clear.update(found)

    def _clear_type(self, entity_id: str) -> str:
        if entity_id not in self.new:
            return self.registry.by_id[entity_id].type if self.registry is not None else ""
        scores = {t: s for t, s in self.scores[entity_id].items() if t in self.type_ids}
        best = max(scores, key=scores.get) if scores else ""
        return best if best and scores[best] >= UNCLEAR else ""

    def _settle_types(self) -> None:
        """Each new entity takes its best-scored type; a weak score is marked for review."""
        self._types_from_lists()
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
