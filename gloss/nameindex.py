"""Registry names found in a text as written: one Aho-Corasick pass over the text for every name
of a registry of 10,000 or more, with the indexes the linker compares other names with (by first
letter, by surname, by the part before " of "). gloss/linking.py uses them before it reads the
text's other capitalised names (gloss/recognize.py)."""

from __future__ import annotations

import re
import weakref
from collections import defaultdict

import ahocorasick

from .content import EntityRegistry, normalize_name
from .names import equivalents, match_key, without_corporate_suffix
from .recognize import Mention, is_acronym


class NameIndex:
    """Every registry name, for finding them in text: an Aho-Corasick automaton (one pass over
    the text for 10,000+ names); by first letter, the names a misspelling is checked against;
    by last word, the names a bare surname may stand for ("Mujahid"); and by the part before
    " of " / " for ", the names a shortened one may stand for ("National Resistance Front").

    A company is also found without its legal suffix ("Dow Chemical" for "Dow Chemical Co"), and
    a country or body by its standard short forms ("U.S." for "United States"): `keys` holds the
    compared form (gloss/names.py) of every name. Ingest builds one per run and adds the names it
    learns, instead of one per article.
    """

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.automaton = ahocorasick.Automaton()
        self.by_initial: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.surnames: dict[str, set[str]] = defaultdict(set)
        self.heads: dict[str, set[str]] = defaultdict(set)
        self.keys: dict[str, set[str]] = defaultdict(set)
        self.ready = False
        for name, entity_id in pairs:
            self.add(name, entity_id)

    def add(self, name: str, entity_id: str) -> None:
        forms = {name, without_corporate_suffix(name), *equivalents(name)}
        for form in forms:
            self.keys[match_key(form)].add(entity_id)
            key = _fold(form)
            if len(key.strip()) > 1:
                self.automaton.add_word(key, (len(key), entity_id, form))
                self.ready = False
        normal = normalize_name(name)
        if len(normal) >= 5:
            self.by_initial[normal[:1]].append((normal, entity_id))
        words = normal.split()
        if len(words) > 1:
            self.surnames[words[-1]].add(entity_id)
        head = re.split(r" (?:of|for) ", normal, maxsplit=1)[0]
        if head != normal and " " in head:
            self.heads[head].add(entity_id)

    def find(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, id, name) of every name in `text`, overlapping ones included."""
        if not len(self.automaton):
            return []
        if not self.ready:
            self.automaton.make_automaton()
            self.ready = True
        return [(end - length + 1, end + 1, entity_id, name)
                for end, (length, entity_id, name) in self.automaton.iter(_fold(text))]


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def name_index(registry: EntityRegistry) -> NameIndex:
    """The registry's NameIndex, built once per registry."""
    if registry not in _INDEXES:
        _INDEXES[registry] = NameIndex(registry.surface_forms())
    return _INDEXES[registry]


def _fold(text: str) -> str:
    """Lower case and straight apostrophes, keeping every character's offset."""
    text = text.replace("’", "'").replace("‘", "'")
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def registry_matches(text: str, registry: EntityRegistry | None, index: NameIndex | None = None) -> list[Mention]:
    """Registry names in the text: whole words, capitalised as written, longest match wins."""
    if registry is None or not len(registry):
        return []
    found = [(start, end, entity_id) for start, end, entity_id, name in (index or name_index(registry)).find(text)
             if _word_boundary(text, start, end) and _case_fits(text[start:end], name)
             and entity_id in registry.by_id]
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    mentions, last_end = [], -1
    for start, end, entity_id in found:
        if start >= last_end:
            entity = registry.by_id[entity_id]
            mentions.append(Mention(start, end, text[start:end], entity_id, entity.type))
            last_end = end
    return mentions


def _word_boundary(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or after.isalnum())


def _case_fits(found: str, name: str) -> bool:
    """"Iran" matches "Iran" and "IRAN" but not "iran": lower-case words are not names. Initials
    match only in capitals: "US" is not "Us"."""
    if found == name:
        return True
    if is_acronym(name):
        return found.isupper()
    return found[:1].isupper() or not name[:1].isupper()
