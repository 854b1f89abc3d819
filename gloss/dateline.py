"""A dateline's place, for ingest: its name in its usual case and the place entity it links to.

"LONDON 1996-08-30" names a place, never a person: the dateline is linked to the registry's
place of that name (or one this article is about to create), else to a new stub of type place.
Wire copy sets the place in capitals; the article shows it as the text, the registry or a
gazetteer spells it ("N'DJAMENA" is written "N'Djamena"), else in title case.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .content import EntityRegistry, normalize_name
from .data import gazetteer
from .linking import NewEntity, Recognition
from .recognize import entity_id_for
from .seedtext import SeedDoc, is_all_caps, title_word

PLACE = "place"
NEVER = {"person"}  # a dateline's place is never linked to an entity of these types


def dateline_front(doc: SeedDoc, recognition: Recognition, registry: EntityRegistry | None,
                   type_ids: list[str]) -> dict | None:
    """The front matter `dateline` of a seed: {place: <id>, text: London[, region: ...]}, or None.

    Links the place (and a region written out in full, "Wisconsin") to a place entity, creating a
    stub in `recognition.new_entities` when there is none.
    """
    if not doc.dateline:
        return None
    front = _place_front(doc.dateline, doc.text, recognition, registry, type_ids, stub=True)
    if doc.region:
        # "Mich.", "N.H.": an abbreviation is not a name to make an entity of
        full = not doc.region.endswith(".") and len(doc.region) > 3
        region = _place_front(doc.region, doc.text, recognition, registry, type_ids, stub=full)
        front["region"] = region if "place" in region else region["text"]
    return front


def _place_front(written: str, text: str, recognition: Recognition, registry: EntityRegistry | None,
                 type_ids: list[str], stub: bool) -> dict:
    names = _known_names(written, recognition, registry)
    shown = usual_case(written, text, names)
    if PLACE not in type_ids:
        return {"text": shown}
    entity_id = _find_place(shown, recognition, registry)
    if not entity_id and stub:
        taken = set(recognition.new_entities) | (set(registry.by_id) if registry else set())
        entity_id = entity_id_for(shown, taken)
        recognition.new_entities[entity_id] = NewEntity(entity_id, shown, PLACE)
    return {"place": entity_id, "text": shown} if entity_id else {"text": shown}


def usual_case(written: str, text: str, known: list[str]) -> str:
    """`written` as usually spelt when it is set in capitals: as elsewhere in `text`, else as an entity
    in `known` is named, else as the gazetteer spells it, else in title case."""
    if not is_all_caps(written):
        return written
    pattern = re.compile(rf"(?<!\w){re.escape(written)}(?!\w)", re.IGNORECASE)
    forms = Counter(m.group() for m in pattern.finditer(text) if m.group()[0].isupper() and not is_all_caps(m.group()))
    if forms:
        return forms.most_common(1)[0][0]
    key = normalize_name(written)
    for name in known:
        if normalize_name(name) == key and not is_all_caps(name):
            return name
    spelt = _gazetteer_spellings().get(key)
    if spelt:
        return spelt
    return " ".join(title_word(word) for word in written.split())


@lru_cache(maxsize=1)
def _gazetteer_spellings() -> dict[str, str]:
    return {normalize_name(name): name for name in sorted(gazetteer().places)}


def _known_names(written: str, recognition: Recognition, registry: EntityRegistry | None) -> list[str]:
    """The names and aliases, as the registry and this article's new entities write them, equal to `written`."""
    key = normalize_name(written)
    found = []
    if registry is not None:
        found += [n for i in registry.candidates(written) for n in registry.by_id[i].names()]
    found += [n for e in recognition.new_entities.values() for n in (e.name, *e.aliases)]
    return [n for n in found if normalize_name(n) == key]


def _find_place(name: str, recognition: Recognition, registry: EntityRegistry | None) -> str:
    """The id of the place named `name`: the registry's, else one this article creates; else of an
    entity of another type (not a person) that has exactly this name ("UNITED NATIONS"); else ""."""
    key = normalize_name(name)
    known = [(e.id, e.type, normalize_name(e.name) == key) for e in _named(name, registry)]
    new = [e for e in recognition.new_entities.values()
           if key in {normalize_name(n) for n in (e.name, *e.aliases)}]
    for entity in new:
        if entity.review and entity.type != PLACE:  # a guessed type: the dateline says it is a place
            _settle_as_place(entity, recognition)
    known += [(e.id, e.type, normalize_name(e.name) == key) for e in new]
    places = sorted((not exact, entity_id) for entity_id, kind, exact in known if kind == PLACE)
    if places:
        return places[0][1]
    others = sorted(entity_id for entity_id, kind, exact in known if exact and kind not in NEVER)
    return others[0] if others else ""


def _named(name: str, registry: EntityRegistry | None) -> list:
    return [registry.by_id[i] for i in registry.candidates(name)] if registry is not None else []


def _settle_as_place(entity: NewEntity, recognition: Recognition) -> None:
    entity.type, entity.review = PLACE, False
    for mention in recognition.mentions:
        if mention.entity == entity.id:
            mention.type = PLACE
            if mention.review.startswith("type of "):
                mention.review = ""
