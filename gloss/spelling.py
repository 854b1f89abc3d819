"""Names one edit apart (a letter changed, added or dropped, two neighbours swapped), found without
reading every name: what keeps the linker's misspelling check linear in a text of any length.

Two words one edit apart share a form with one letter deleted (or the shorter word itself): the
"symmetric delete" method of SymSpell. Each name is filed under those forms, and a lookup reads only
the names filed under the forms of the name looked up.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, MutableMapping

from .content import normalize_name

# Longer names are not filed (none is that long; each would be filed under as many forms as letters).
MAX_FILED = 64


def deletions(word: str) -> set[str]:
    """The word and every form of it with one letter deleted."""
    return {word, *(word[:i] + word[i + 1:] for i in range(len(word)))}


class NameTable(MutableMapping):
    """A text's names as the linker keeps them (compared form -> entity id), in the order they were
    learnt, that also answers "which names are one edit from this one" and "which names has this
    entity" without reading them all."""

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._learnt: dict[str, int] = {}  # name -> when it was learnt: the table's order
        self._count = 0
        self._filed: dict[str, list[str]] = defaultdict(list)  # deletion form -> names
        self._names_of: dict[str, set[str]] = defaultdict(set)  # entity id -> its names here

    def __getitem__(self, name: str) -> str:
        return self._ids[name]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._ids.get(name, default)

    def __contains__(self, name: object) -> bool:
        return name in self._ids

    def __setitem__(self, name: str, entity_id: str) -> None:
        if name in self._ids:
            self._names_of[self._ids[name]].discard(name)
        else:
            self._learnt[name] = self._count
            self._count += 1
            normal = normalize_name(name)
            if len(normal) <= MAX_FILED:
                for form in deletions(normal):
                    self._filed[form].append(name)
        self._ids[name] = entity_id
        self._names_of[entity_id].add(name)

    def __delitem__(self, name: str) -> None:
        self._names_of[self._ids.pop(name)].discard(name)
        del self._learnt[name]  # its filed forms stay, and are skipped when read

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def names_of(self, entity_id: str) -> list[str]:
        """The names this text has learnt for `entity_id`, in the order learnt."""
        return self._in_order(self._names_of.get(entity_id, ()))

    def near(self, normal: str) -> list[str]:
        """The names whose normalised form may be one edit from `normal` (itself normalised), in the
        order learnt: every name that is, and some two edits away, for the caller to check."""
        if len(normal) > MAX_FILED + 1:
            return []
        return self._in_order({name for form in deletions(normal) for name in self._filed.get(form, ())})

    def _in_order(self, names: Iterable[str]) -> list[str]:
        return sorted((n for n in names if n in self._learnt), key=self._learnt.__getitem__)
