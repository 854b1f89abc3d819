"""The review queue: what ingest guessed, as one list ranked by what a wrong guess costs.

An ingest of a hundred stories makes a thousand entity files, and the errors that matter carry no
flag: two files for one person, one file for a city and its baseball team, a common word made an
entity. Each finder below reads the linked site (gloss/builder.py `load_model`) for one kind of
doubt; each item says which entities, why, where (file, line, sentence) and the commands that fix
it (gloss/fixes.py). Items are ranked by the mentions a fix would change times how likely the
doubt is right ("doubt", 0 to 1, set from how often each signal was right on the development
set) times what an error of its kind costs (COST), most consequential first. Two signals on one
mention of a conflation combine as independent evidence would: 1 - (1 - a)(1 - b).

Kinds:
- `type`: a type ingest guessed (`review: true`; a one-word organisation, its default with nothing
  to go on, weighs most), or a place none of whose mentions reads as one;
- `duplicate`: two entities that may be one: initials and their expansion (or the words before
  them in brackets, linked as other names: "U.N. Interim Force in Lebanon (UNIFIL)"), a standard
  equivalent (gloss/names.py), a state named by its people's adjective ("Chechen Republic"), one
  name inside the other, a shortened word, the same surname, one letter apart, two names side by
  side or one alone in brackets after the other ("Abu Ammar (Arafat)");
- `conflation`: one entity that may be two or more: an article whose longer name holds the
  mention ("Jordan" beside "Neil Jordan"; different longer names in different articles make one
  item), an article that reaches it only by part of its name, a mention spelt unlike any of its
  names or written as a place's name, a place's mentions whose words say an organisation ("beat
  Germany") or that stand where places' names stand for teams (a section such as soccer; the item
  names the team's nickname in the same sentence: "In Milwaukee, ... the Brewers"), a place's
  mention that an unlinked capitalised word continues ("the Minsk Group", "Rotor Volgograd");
- `junk`: a name that is likely no entity: a word the site writes in lower case, a month, a
  nationality;
- `unmentioned`: an entity file nothing links to.

A decision sticks: an entity marked `confirmed: true` (by `confirm` or `retype`) is queued for
nothing but a duplicate of an unconfirmed entity.
"""

from __future__ import annotations

import bisect
import re
import shlex
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, product

import ahocorasick

from .config import SiteConfig
from .content import Entity, normalize_name, slugify
from .data import gazetteer
from .errors import Problems
from .names import equivalents
from .recognize import COMPASS, ORG_NOUNS, PLACE_HEADS, PLACE_WORDS, Candidate, context_scores, is_acronym
from .shortforms import one_edit
from .words import counted

KINDS = ("type", "duplicate", "conflation", "junk", "unmentioned")
EVIDENCE = 3  # passages shown per item
SMALL_WORDS = {"of", "the", "and", "for", "in", "on", "at", "de", "la", "le", "du", "des", "del", "a", "an", "&"}
STRONG = 4.0  # a context score this high is one clear cue: "beat X", "X coach", "X shares"
# What a wrong guess costs, per kind: a conflation or a duplicate misleads every page that links the
# entity; junk adds a page that should not exist; a wrong type files a page under the wrong heading;
# an unmentioned file is only clutter.
COST = {"conflation": 1.0, "duplicate": 1.0, "junk": 0.6, "type": 0.3, "unmentioned": 0.5}


@dataclass
class Evidence:
    """A passage behind an item: the file (relative to the site root), its line, the sentence."""

    article: str
    line: int
    text: str


@dataclass
class ReviewItem:
    kind: str
    entities: list[str]
    why: str
    mentions: int  # mentions a fix would change
    evidence: list[Evidence] = field(default_factory=list)
    fix: list[str] = field(default_factory=list)  # command lines, e.g. "build.py merge u-s united-states"
    doubt: float = 0.5  # how likely the doubt is right, 0 to 1

    @property
    def rank(self) -> float:
        return max(self.mentions, 1) * self.doubt * COST[self.kind]


def queue_json(items: list[ReviewItem]) -> dict:
    """The queue as `build.py review --format json` prints it."""
    return {"items": [{"kind": i.kind, "entities": list(i.entities), "why": i.why, "mentions": i.mentions,
                       "evidence": [{"article": e.article, "line": e.line, "text": e.text} for e in i.evidence],
                       "fix": list(i.fix)} for i in items]}


def counts_by_kind(items: list[ReviewItem]) -> dict[str, int]:
    """How many items of each kind, every kind listed (0 included), in KINDS order."""
    counts = Counter(i.kind for i in items)
    return {kind: counts[kind] for kind in KINDS}


def summary_line(items: list[ReviewItem]) -> str:
    """What `check` reports: "review: 12 item(s) (3 type, 4 duplicate, …)"."""
    parts = ", ".join(f"{n} {kind}" for kind, n in counts_by_kind(items).items() if n)
    return f"review: {counted(len(items), 'item')}" + (f" ({parts}); see `python build.py review`" if items else "")


def format_queue(items: list[ReviewItem], total: int | None = None) -> str:
    """The queue as `build.py review` prints it for a person: each item with why, where and its fixes."""
    lines = []
    for number, item in enumerate(items, 1):
        lines.append(f"{number}. {item.kind}: {', '.join(item.entities)} ({counted(item.mentions, 'mention')})")
        lines.append(f"   {item.why}")
        lines += [f"   {e.article}:{e.line}: {_clip(e.text)}" for e in item.evidence]
        lines += [("   fix: " if k == 0 else "        ") + f"python {fix}" for k, fix in enumerate(item.fix)]
        lines.append("")
    total = len(items) if total is None else total
    shown = f"; the first {len(items)} shown" if len(items) < total else ""
    parts = ", ".join(f"{n} {kind}" for kind, n in counts_by_kind(items if total == len(items) else items).items()
                      if n)
    lines.append(f"{counted(total, 'item')} to review{shown}" + (f" ({parts} shown)" if shown and parts else
                                                          f" ({parts})" if parts else ""))
    return "\n".join(lines)


def _clip(text: str, width: int = 160) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def command(*words: str) -> str:
    return "build.py " + " ".join(shlex.quote(w) for w in words)


# ---------------------------------------------------------------- the site as the finders read it

@dataclass
class Use:
    """One mention of an entity in an article."""

    entity: str
    slug: str
    path: str
    line: int
    text: str  # as shown
    sentence: str  # as the article's text has it (line breaks kept): `said` gives it on one line
    offset: int  # in the article's plain text
    lean: str = ""  # the type its surrounding words clearly say, if any
    placed: bool = False  # whether its words say a place at all ("in Salzburg")


@dataclass
class SiteView:
    entities: dict[str, Entity]
    uses: dict[str, list[Use]]
    articles: dict[str, dict[str, list[Use]]]  # slug -> entity id -> its mentions there
    referenced: set[str]  # entities linked from anywhere: articles, notes, datelines
    lower_words: Counter  # word -> articles where it is written in lower case
    tags: dict[str, list[str]] = field(default_factory=dict)  # slug -> the article's tags (its section)
    junk: dict[str, tuple[str, float]] = field(default_factory=dict)  # entity id -> why it is likely no entity
    datelines: dict[str, set[str]] = field(default_factory=dict)  # place id -> articles datelined there
    index: dict[str, dict] = field(default_factory=dict)  # entity ids by name, part, initials… (_name_indexes)
    team_articles: set[str] = field(default_factory=set)  # articles where places' names stand for organisations
    nicknames: dict[str, bool] = field(default_factory=dict)  # entity id -> named like a team's nickname (_nickname)
    capitalised: dict[str, set[str]] = field(default_factory=dict)  # slug -> words capitalised in mid-sentence there
    teams_in: dict[str, list[str]] = field(default_factory=dict)  # slug -> the nicknames mentioned there (_nickname)
    spans: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)  # slug -> its mentions' starts, ends
    texts: dict[str, str] = field(default_factory=dict)  # slug -> the article's plain text (mentions' offsets)

    def slugs(self, entity_id: str) -> set[str]:
        return {u.slug for u in self.uses.get(entity_id, ())}

    def evidence(self, uses: list[Use], limit: int = EVIDENCE) -> list[Evidence]:
        """The passages of the first `limit` distinct sentences among `uses`."""
        found = {(u.path, u.line, _said(u)): None for u in uses}
        return [Evidence(*key) for key in list(found)[:limit]]


def _said(use: Use) -> str:
    """The sentence of a mention on one line."""
    return " ".join(use.sentence.split())


def load_view(config: SiteConfig, model=None) -> SiteView:
    """The linked site (`model` from gloss/builder.py `load_model`, loaded when not given)."""
    if model is None:
        from .builder import load_model

        model = load_model(config, Problems(), drafts=True)
    graph = model.graph
    texts = {slug: doc.text for slug, doc in graph.documents.items()}
    view = SiteView(dict(graph.registry.by_id), {}, defaultdict(dict), set(graph.datelines), Counter(),
                    {a.slug: list(a.tags) for a in graph.articles})
    view.datelines = {place: {a.slug for a in articles} for place, articles in graph.datelines.items()}
    view.texts = texts
    paths = {a.slug: a.path.as_posix() for a in graph.articles}
    leaning: dict[str, set[str]] = defaultdict(set)  # slug -> places whose mentions there read as organisations
    for entity_id, sites in graph.sites.items():
        entity = view.entities[entity_id]
        found = view.uses[entity_id] = []
        for site in sorted(sites, key=lambda s: (s.article.slug, s.mention.offset)):
            mention, slug = site.mention, site.article.slug
            use = Use(entity_id, slug, paths.get(slug) or site.article.path.as_posix(), mention.line, mention.text,
                      site.sentence, mention.offset)
            if entity.type == "place" or entity.review:  # the only readers of a mention's words
                use.lean, use.placed = _lean(use, texts.get(slug, ""))
            found.append(use)
            view.articles[slug].setdefault(entity_id, []).append(use)
            if use.lean == "organization" and entity.type == "place":
                leaning[slug].add(entity_id)
    view.team_articles = _team_articles(view, leaning)
    view.referenced |= set(view.uses)
    for ids in graph.resolved.values():
        view.referenced.update(i for i in ids if i is not None)
    view.lower_words = _lower_case(view, texts)
    view.junk = {e.id: found for e in view.entities.values() if (found := _junk_reason(view, e))}
    view.index = _name_indexes(view)
    return view


def _lower_case(view: SiteView, texts: dict[str, str]) -> Counter:
    """For each one-word name (of an entity, or as a mention shows it), the articles that write it in
    lower case outside their mentions ("[[taliban]]" is a name): found with one automaton over the
    names, not by splitting every article into words."""
    words = {n.lower() for e in view.entities.values() for n in e.names() if n.isalpha()}
    words |= {u.text.lower() for uses in view.uses.values() for u in uses if u.text.isalpha()}
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    if not len(automaton):
        return Counter()
    automaton.make_automaton()
    found: Counter = Counter()
    for slug, text in texts.items():
        spans = sorted((u.offset, u.offset + len(u.text)) for uses in view.articles.get(slug, {}).values()
                       for u in uses)
        starts = [start for start, _ in spans]
        seen: set[str] = set()
        for end, word in automaton.iter(text):
            start = end - len(word) + 1
            at = bisect.bisect_right(starts, start) - 1
            if word not in seen and _whole_word(text, start, end + 1) and not (at >= 0 and start < spans[at][1]) \
                    and not _in_written_mention(text, start):
                seen.add(word)
        found.update(seen)
    return found


def _whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (before.isalnum() or before in "'-_" or after.isalnum() or after in "'-_")


def _in_written_mention(text: str, start: int) -> bool:
    """Inside "[[…]]" written out as text (in code): a name, not a word."""
    opened = text.rfind("[[", 0, start)
    return opened >= 0 and text.find("]]", opened) > start and "\n" not in text[opened:start]


def _team_articles(view: SiteView, leaning: dict[str, set[str]]) -> set[str]:
    """Articles where places' names stand for teams or companies: those of a section (tag) in at least
    half of whose articles some words say so ("beat Germany", "against Moldova": a sports section,
    not a politics one where one story reports "sanctions against Iran"), and an untagged article
    where they say it of two places."""
    size = Counter(tag for tags in view.tags.values() for tag in tags)
    saying = Counter(tag for slug in leaning for tag in view.tags.get(slug, []))
    sections = {tag for tag, n in saying.items() if 2 * n >= size[tag]}
    return {slug for slug, tags in view.tags.items() if sections.intersection(tags)} | \
        {slug for slug, places in leaning.items() if len(places) > 1}


def _lean(use: Use, text: str) -> tuple[str, bool]:
    """The type the words around a mention clearly say ("beat Germany": organization), else "";
    and whether they say a place at all ("in Salzburg")."""
    candidate = Candidate(use.offset, use.offset + len(use.text), use.text, use.text.split(), False)
    scores = context_scores(candidate, text)
    best = max(scores, key=scores.get) if scores else ""
    return (best if best and scores[best] >= STRONG else ""), scores.get("place", 0) > 0


# ---------------------------------------------------------------- names

@lru_cache(maxsize=1 << 16)  # bounded: `serve` builds the queue again and again
def _words(name: str) -> tuple[str, ...]:
    """A name's words as compared: case-folded, without full stops ("U.S." is "us")."""
    return tuple(normalize_name(name).replace(".", "").split())


def _bare(name: str) -> tuple[str, ...]:
    """A name's words without a qualifier in brackets: "England (cricket)" is written England."""
    return _words(re.sub(r"\s*\([^)]*\)$", "", name))


def _initials(name: str, small: bool = False) -> str:
    """"FOMC" for "Federal Open Market Committee"; with `small`, the small words' too: "UNIFIL" for
    "U.N. Interim Force in Lebanon"."""
    expanded = []
    for word in (w for w in re.split(r"[\s-]+", name) if w):
        group = equivalents(word)
        expanded += group[0].split() if group and is_acronym(word) else [word]
    return "".join(w[0] for w in expanded if w[:1].isupper() or (small and w.isalpha())
                   if small or w.lower() not in SMALL_WORDS).upper()


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether `short` is some of `long`'s words in order, fewer of them."""
    n = len(short)
    return 0 < n < len(long) and any(long[i:i + n] == short for i in range(len(long) - n + 1))


def _named_after(short: Entity, long: Entity) -> float:
    """How likely a mention of a place means the place, beside a longer name made of it: "East
    Jerusalem" or "Bank of Japan" is another thing in the place (0.9), "China Daily" something named
    after it (0.85); "Texas Rangers", a team's nickname, says nothing (0)."""
    if short.type != "place":
        return 0.0
    gaz = gazetteer()
    rest = [w for w in long.name.replace(".", "").split() if normalize_name(w) not in _words(short.name)]
    if not rest or any(w in COMPASS or w.lower() in SMALL_WORDS | PLACE_HEADS | PLACE_WORDS for w in rest):
        return 0.9
    return 0.85 if any(w in gaz.org_cues or w.lower() in ORG_NOUNS for w in rest) else 0.0


def _ordinary(name: str, view: SiteView) -> bool:
    """A one-word name that is an ordinary word ("Open", "Cup"): inside longer names it means little."""
    word = name.strip()
    return " " not in word and not is_acronym(word) and (
        word.lower() in gazetteer().words or view.lower_words.get(word.lower(), 0) > 0)


# ---------------------------------------------------------------- guessed types

def _guessed_types(view: SiteView, type_ids: list[str]) -> list[ReviewItem]:
    items = []
    for entity in view.entities.values():
        if entity.confirmed:
            continue
        if not entity.review:
            items += _team_type(view, entity, type_ids)
            continue
        uses = view.uses.get(entity.id, [])
        leans = Counter(u.lean for u in uses if u.lean and u.lean != entity.type)
        others = sorted((t for t in type_ids if t != entity.type), key=lambda t: -leans.get(t, 0))
        doubt, default = _guess_doubt(entity, type_ids)
        doubt += 0.5 * (sum(leans.values()) / len(uses) if uses else 0)
        why = f"the type '{entity.type}' is a guess" + (f" ({default})" if default else "") + (
            f"; {sum(leans.values())} of {len(uses)} mentions read as {others[0]}" if leans else "")
        items.append(ReviewItem("type", [entity.id], why, len(uses), view.evidence(uses),
                                [command("confirm", entity.id), *(command("retype", entity.id, t) for t in others)],
                                doubt))
    return items


def _guess_doubt(entity: Entity, type_ids: list[str]) -> tuple[float, str]:
    """How likely a guessed type is wrong, and what the guess was when ingest had nothing to go on.
    Then a name of two words or more is a person, most often rightly (a given name first: nearly
    always); a one-word name is an organisation, most often wrongly (on the development set: 46 of
    140 such people were wrong, 53 of 70 such organisations)."""
    words = entity.name.split()
    if entity.type == "person" and len(words) > 1:
        return (0.15 if words[0] in gazetteer().given_names else 0.3), ""
    if entity.type == "organization" and len(words) == 1 and "organization" in type_ids:
        return 0.55, "ingest's default for a one-word name"
    return 0.4, ""


def _team_type(view: SiteView, entity: Entity, type_ids: list[str]) -> list[ReviewItem]:
    """A place none of whose mentions reads as a place, all in articles where places stand for
    teams ("Leicester" in the rugby results): likely the team, an organisation."""
    uses = view.uses.get(entity.id, [])
    if entity.type != "place" or "organization" not in type_ids or not uses:
        return []
    leaning, team, home = _readings(view, entity, uses)
    if home or not (leaning or team):
        return []
    why = f"no mention of {entity.name} reads as a place: {len(uses)} in articles where places' names stand for teams"
    fix = [command("retype", entity.id, "organization"), command("confirm", entity.id)]
    doubt = min(0.9, 0.6 + 0.1 * len(leaning))  # the evidence of a team conflation (`_other_type`), every mention
    return [ReviewItem("type", [entity.id], why, len(uses), view.evidence(uses), fix, doubt)]


# ---------------------------------------------------------------- duplicates

Add = Callable[..., None]


def _duplicates(view: SiteView) -> list[ReviewItem]:
    """Pairs of entities whose names say they may be one. A name that is likely junk pairs with
    nothing: its junk item covers it."""
    pairs: dict[tuple[str, str], tuple[float, str, int | None, str | None]] = {}

    def add(a: str, b: str, doubt: float, why: str, mentions: int | None = None, keep: str | None = None) -> None:
        key = (a, b) if a < b else (b, a)
        if a != b and not view.junk.get(a) and not view.junk.get(b) and (key not in pairs or pairs[key][0] < doubt):
            pairs[key] = (doubt, why, mentions, keep)

    index = view.index
    for entity in view.entities.values():
        for name in entity.names():
            for finder in (_same_name, _initials_of, _inside_of, _shortened, _surname_of, _state_of_people):
                finder(view, index, entity, name, add)
    _one_letter_apart(view, add)
    _side_by_side(view, add)
    _defined_in_brackets(view, add)
    _team_nicknames(view, add)
    return [_duplicate_item(view, a, b, doubt, why, n, keep) for (a, b), (doubt, why, n, keep) in pairs.items()
            if not (view.entities[a].confirmed and view.entities[b].confirmed)]


Index = dict[str, dict]


def _name_indexes(view: SiteView) -> Index:
    """Entity ids by each name's words ("key"), by each shorter run of them ("part"), by initials,
    by a person's surname and by a name's first word."""
    index: Index = {k: defaultdict(set) for k in ("key", "part", "initials", "surname", "first")}
    for entity in view.entities.values():
        for name in entity.names():
            words = _words(name)
            if not words:
                continue
            index["key"][" ".join(words)].add(entity.id)
            for size in range(1, len(words)):
                for i in range(len(words) - size + 1):
                    index["part"][" ".join(words[i:i + size])].add(entity.id)
            if len(words) > 1:
                for letters in {_initials(name), _initials(name, small=True)}:
                    index["initials"][letters].add(entity.id)
                index["first"][words[0]].add(entity.id)
                if entity.type == "person":
                    index["surname"][words[-1]].add(entity.id)
    index["firsts"] = sorted(index["first"])  # type: ignore[assignment]
    return index


def _same_name(view: SiteView, index: Index, entity: Entity, name: str, add: Add) -> None:
    for other in index["key"].get(" ".join(_words(name)), ()):
        add(entity.id, other, 0.9, f"both are named '{name}'")
    for form in equivalents(name):
        for other in index["key"].get(" ".join(_words(form)), ()):
            add(entity.id, other, 0.9, f"'{name}' and '{form}' are standard names of one entity")


def _initials_of(view: SiteView, index: Index, entity: Entity, name: str, add: Add) -> None:
    """"FOMC" and "Federal Open Market Committee" (three letters at least: two match too much)."""
    letters = name.replace(".", "")
    expansions = index["initials"].get(letters, set()) if is_acronym(name) and len(letters) > 2 else set()
    for other in expansions:
        add(entity.id, other, 0.8 / len(expansions), f"'{name}' is the initials of {view.entities[other].name}")


def _inside_of(view: SiteView, index: Index, short: Entity, name: str, add: Add) -> None:
    """"Clinton" in "Bill Clinton". A place inside an organisation's name ("Texas", "Texas Rangers")
    counts only its mentions in the organisation's sections (baseball): elsewhere it is the place."""
    if _qualifier(name, view):
        return
    longer = [view.entities[i] for i in index["part"].get(" ".join(_words(name)), ()) if not view.junk.get(i)]
    for long in longer:
        why = f"'{name}' is part of the name {long.name}"
        if short.type == "place" and long.type != "place":
            section = _section_uses(view, short, long)
            if section:
                add(short.id, long.id, 0.3 * (1 - _named_after(short, long)), why, len(section))
            continue
        doubt = 0.5 if short.type == long.type == "person" else 0.3 if short.type == long.type else 0.15
        add(short.id, long.id, doubt * (1 - _named_after(short, long)) / len(longer), why)


def _section_uses(view: SiteView, short: Entity, long: Entity) -> list[Use]:
    """`short`'s mentions in articles of the sections (tags) `long` is mentioned in."""
    sections = {t for slug in view.slugs(long.id) for t in view.tags.get(slug, [])}
    return [u for u in view.uses.get(short.id, []) if sections.intersection(view.tags.get(u.slug, []))]


def _shortened(view: SiteView, index: Index, entity: Entity, name: str, add: Add) -> None:
    """"Fed" for "Federal Reserve": a word that begins the first word of a name of the same type."""
    key = " ".join(_words(name))
    own = _words(entity.name)
    if " " in key or len(key) < 3 or is_acronym(name) or (own and own[0] != key and own[0].startswith(key)):
        return  # an entity's own clipped name ("Fed" of Federal Reserve) is settled
    longer = [(first, other) for first in _starting_with(index["firsts"], key) for other in index["first"][first]
              if view.entities[other].type == entity.type]
    for first, other in longer:
        together = bool(view.slugs(entity.id) & view.slugs(other))
        add(entity.id, other, (0.4 if together else 0.2) / len(longer),
            f"'{name}' may shorten '{first}' in {view.entities[other].name}")


def _starting_with(words: list[str], key: str) -> list[str]:
    """The words of sorted `words` that begin with `key` and are longer."""
    found = []
    for word in words[bisect.bisect_right(words, key):]:
        if not word.startswith(key):
            break
        found.append(word)
    return found


STATE_WORDS = {"Republic", "Federation", "Kingdom"}  # "Chechen Republic", "Russian Federation"


def _state_of_people(view: SiteView, index: Index, entity: Entity, name: str, add: Add) -> None:
    """A state named by its people's adjective ("Chechen Republic") and a place whose name begins as the
    adjective does ("Chechnya"): likely one place, unless the gazetteer knows the longer name itself
    ("Czech Republic", "Dominican Republic")."""
    words = name.split()
    if len(words) != 2 or words[1] not in STATE_WORDS or words[0] not in gazetteer().demonyms \
            or gazetteer().place_tier(name):
        return
    stem = max(4, len(words[0]) - 3)
    for other in view.entities.values():
        if other.type == "place" and other.id != entity.id and " " not in other.name \
                and other.name[:stem] == words[0][:stem]:
            add(entity.id, other.id, 0.6, f"'{name}' names a state by the adjective of {other.name}'s people",
                keep=other.id)


def _surname_of(view: SiteView, index: Index, entity: Entity, name: str, add: Add) -> None:
    """Two people with one surname (seldom one person: teammates, a couple)."""
    words = _words(name)
    if len(words) < 2 or entity.type != "person":
        return
    for other in index["surname"].get(words[-1], ()):
        if words[0] != _words(view.entities[other].name)[0]:
            add(entity.id, other, 0.15, f"{name} and {view.entities[other].name} share a surname")


def _one_letter_apart(view: SiteView, add: Add) -> None:
    """Names of six letters or more, one letter apart ("Hizbollah", "Hezbollah"). Found through each
    name with one letter taken out (two such names share one), so it stays fast on a big registry."""
    keys: dict[str, list[str]] = defaultdict(list)
    for entity in view.entities.values():
        key = normalize_name(entity.name)
        if len(key) >= 6 and not is_acronym(entity.name):
            keys[key].append(entity.id)
    by_deletion: dict[str, set[str]] = defaultdict(set)
    for key in keys:
        by_deletion[key].add(key)
        for i in range(len(key)):
            by_deletion[key[:i] + key[i + 1:]].add(key)
    pairs = {(a, b) for group in by_deletion.values() if len(group) > 1 for a, b in combinations(sorted(group), 2)
             if a[:1] == b[:1] and one_edit(a, b)}
    for a, b in sorted(pairs):
        for first, second in product(keys[a], keys[b]):
            add(first, second, 0.4, f"'{view.entities[first].name}' and '{view.entities[second].name}' are one "
                                    "letter apart")


def _side_by_side(view: SiteView, add: Add) -> None:
    """Two names linked side by side with only a space between ("Saddam Hussein" as two mentions),
    or the second in brackets after the first ("Hizbollah (Party of God)"): likely one entity. Not
    when one of them is a word that qualifies the other ("Northern Iraq", "Fed Cup", "OSCE Chechnya").
    A bracket that holds nothing but the name ("Abu Ammar (Arafat)") glosses it, even for people; one
    that holds more ("Michael Jones (Glenn Taylor, 53)") more likely names a replacement."""
    pairs: Counter = Counter()
    for slug, by_entity in view.articles.items():
        text = view.texts.get(slug, "")
        ordered = sorted((u for uses in by_entity.values() for u in uses), key=lambda u: u.offset)
        for first, second in zip(ordered, ordered[1:], strict=False):
            between = text[first.offset + len(first.text):second.offset]
            if first.entity == second.entity or not (between == " " or BRACKET_GAP.fullmatch(between)) \
                    or any(_qualifier(u.text, view) for u in (first, second)):
                continue
            if between == " ":
                pairs[first.entity, second.entity, f"{first.text} {second.text}", "side"] += 1
            elif BRACKET_GAP.fullmatch(between):
                after = text[second.offset + len(second.text):second.offset + len(second.text) + 3]
                glossed = BRACKET_CLOSE.match(after) is not None
                pairs[first.entity, second.entity, f"{first.text} ({second.text}" + (")" if glossed else ""),
                      "gloss" if glossed else "bracket"] += 1
    for (a, b, written, how), n in pairs.items():
        if how == "side":
            add(a, b, 0.6, f"'{written}' is linked as two names side by side: likely one name", n)
        elif how == "gloss":  # "Ivo Brandt (Varnholm)", a person and a place: more likely where he is from
            same = view.entities[a].type == view.entities[b].type
            add(a, b, 0.6 if same else 0.3, f"'{written}' is linked with the other name alone in brackets: likely "
                                             "one entity", n)
        else:  # "Michael Jones (Glenn Taylor": a player and his replacement
            people = view.entities[a].type == view.entities[b].type == "person"
            add(a, b, 0.1 if people else 0.6, f"'{written}' is linked as another name in brackets: likely one "
                                              "entity", n)


BRACKET_GAP = re.compile(r"(?:['’]s)?\s?\(")  # "Abu Ammar (", "Abu Ammar's ("
BRACKET_CLOSE = re.compile(r"(?:['’]s)?\)")  # "Arafat)", "Arafat's)"


def _defined_in_brackets(view: SiteView, add: Add) -> None:
    """An acronym in brackets right after the words it abbreviates, which ingest linked as another
    name or several ("the U.N. Interim Force in Lebanon (UNIFIL)", two mentions before the bracket):
    the acronym names the entity whose mention begins those words."""
    for slug, by_entity in view.articles.items():
        text = view.texts.get(slug, "")
        ordered = sorted((u for uses in by_entity.values() for u in uses), key=lambda u: u.offset)
        for at, short in enumerate(ordered):
            opened = text.rfind("(", max(0, short.offset - 2), short.offset)
            if opened < 0 or text[opened + 1:short.offset].strip() or not is_acronym(short.text) \
                    or not text[short.offset + len(short.text):].lstrip().startswith(")"):
                continue
            letters = short.text.replace(".", "")
            if len(letters) < 3:
                continue
            for long in ordered[max(0, at - MAX_RUN):at]:  # the earliest first: the longest run of words
                run = text[long.offset:opened].strip()
                if "\n" not in run and len(run.split()) <= MAX_RUN and \
                        letters.upper() in (_initials(run), _initials(run, small=True)):
                    if long.entity != short.entity:
                        add(short.entity, long.entity, 0.8, f"'{short.text}' follows '{run}' in brackets: its "
                                                            "initials")
                    break


MAX_RUN = 10  # words an acronym in brackets may abbreviate


def _team_nicknames(view: SiteView, add: Add) -> None:
    """A place's name that ingest read as its team ("Milwaukee (baseball)"), in the same sentences
    as a team's nickname ("the Brewers"): likely that team, named two ways."""
    for entity in view.entities.values():
        if entity.type != "organization" or _bare(entity.name) == _words(entity.name):
            continue
        for slug in sorted({u.slug for u in view.uses.get(entity.id, [])}):
            if teams := _teams_beside(view, entity, slug):
                add(entity.id, teams[0], 0.6, f"in {slug}, '{' '.join(_bare(entity.name)).title()}' stands for a "
                                              f"team in the sentences that name {view.entities[teams[0]].name}")
                break


def _qualifier(name: str, view: SiteView) -> bool:
    """A word that qualifies a name rather than names anything: "Northern", "Fed", "Cup", "OSCE"."""
    return len(name) < 3 or is_acronym(name) or name in COMPASS or _ordinary(name, view)


def _duplicate_item(view: SiteView, a: str, b: str, doubt: float, why: str, mentions: int | None,
                    keep: str | None = None) -> ReviewItem:
    """Merge the entity with the shorter name (or fewer mentions) into the other; a qualifier in
    brackets makes no name longer ("United States (tennis)" merges into United States, not the reverse:
    the fix would move its 7 mentions, not the country's 71)."""
    def weight(entity_id: str) -> tuple:
        entity = view.entities[entity_id]
        return (len(_bare(entity.name)), len(view.uses.get(entity_id, [])), entity_id)

    if keep is None:
        keep = a if weight(a) >= weight(b) else b
    drop = b if keep == a else a
    drop_uses, keep_uses = view.uses.get(drop, []), view.uses.get(keep, [])
    evidence = view.evidence(drop_uses, 2) + view.evidence(keep_uses, 1)
    fix = [command("merge", drop, keep), command("confirm", drop, keep)]
    return ReviewItem("duplicate", [drop, keep], why, len(drop_uses) if mentions is None else mentions, evidence,
                      fix, doubt)


# ---------------------------------------------------------------- conflations

@dataclass
class _Suspect:
    """Mentions of one entity that may be of something else, and why."""

    uses: dict[int, tuple[Use, float]] = field(default_factory=dict)  # id -> (mention, its doubt)
    reasons: list[tuple[float, str]] = field(default_factory=list)
    others: dict[str, None] = field(default_factory=dict)  # entities the mentions may be of
    fix: list[str] = field(default_factory=list)
    moved: dict[str, str] = field(default_factory=dict)  # article -> the entity a `split` there moves it to
    whole: set[int] = field(default_factory=set)  # mentions that an entity named in full may hold

    def add(self, uses: list[Use], doubt: float, why: str) -> None:
        """Two signals on one mention make it likelier wrong than either: 1 - (1 - a)(1 - b)."""
        for use in uses:
            before = self.uses.get(id(use), (use, 0.0))[1]
            self.uses[id(use)] = (use, 1 - (1 - before) * (1 - doubt))
        self.reasons.append((doubt, why))

    def split(self, entity_id: str, slug: str, target: str, *extra: str) -> None:
        """Suggest moving the article's mentions, once per article (the first, likeliest target)."""
        if slug not in self.moved:
            self.moved[slug] = target
            self.fix.append(command("split", entity_id, "--in", slug, "--as", target, *extra))


def _conflations(view: SiteView) -> list[ReviewItem]:
    """Entities whose mentions may be of two or more things."""
    items = []
    claims = _claims(view)
    index = view.index
    for entity_id, uses in view.uses.items():
        entity = view.entities[entity_id]
        if entity.confirmed:
            continue
        suspect = _Suspect()
        _claimed(view, entity, suspect, claims)
        _misspelt(view, entity, uses, suspect)
        _short_only(view, entity, uses, suspect, index)
        _place_named(view, entity, uses, suspect, index)
        _other_type(view, entity, uses, suspect)
        _runs_on(view, entity, uses, suspect)
        if suspect.uses:
            items.append(_conflation_item(view, entity, uses, suspect))
    return items


def _claimed(view: SiteView, entity: Entity, suspect: _Suspect, claims: Claims) -> None:
    """An article whose longer name holds this entity's mention ("Jordan" beside "Neil Jordan"):
    there the mention likely means the longer name's entity."""
    for slug, (other_id, claimed) in sorted(claims.get(entity.id, {}).items()):
        if _bare(view.entities[other_id].name) == _words(entity.name):
            continue  # "Chicago (baseball)": ingest read the place's name as the team where it stands for it
        doubt = (0.75 if entity.type == "place" else 0.5) * (1 - _named_after(entity, view.entities[other_id]))
        suspect.add(claimed, doubt, f"in {slug}, '{claimed[0].text}' may be short for "
                                   f"{view.entities[other_id].name}, named there")
        suspect.others[other_id] = None
        suspect.whole.update(id(u) for u in claimed)
        suspect.split(entity.id, slug, other_id)


Claims = dict[str, dict[str, tuple[str, list[Use]]]]  # entity id -> article -> (longer name's entity, mentions)


def _claims(view: SiteView) -> Claims:
    """Per article, each entity's mentions whose words are a run of another entity's longer name
    there (its name, or the text of one of its mentions); the likeliest such entity for each."""
    found: Claims = defaultdict(dict)
    for slug, by_entity in view.articles.items():
        runs: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for other_id, their in by_entity.items():
            if other_id in view.junk:
                continue
            for form in {_words(view.entities[other_id].name), *(_words(u.text) for u in their)}:
                for size in range(1, len(form)):
                    for i in range(len(form) - size + 1):
                        runs[form[i:i + size]].add(other_id)
        for entity_id, here in by_entity.items():
            if entity_id in view.junk:
                continue
            claimed: dict[str, list[Use]] = defaultdict(list)
            for use in here:
                for other_id in runs.get(_words(use.text), ()):
                    if other_id != entity_id:
                        claimed[other_id].append(use)
            if claimed:
                entity = view.entities[entity_id]
                best = max(claimed, key=lambda o: (-_named_after(entity, view.entities[o]), len(claimed[o]), o))
                found[entity_id][slug] = (best, claimed[best])
    return found


def _short_only(view: SiteView, entity: Entity, uses: list[Use], suspect: _Suspect, index: Index) -> None:
    """An article that reaches the entity only by a part of its name ("Rwanda" for "Refugees and
    Democracy in Rwanda", "Yeltsin" for "Naina Yeltsin"): a short form holds only where the full name
    is written, so the mention may be of another entity, most likely one that has that name."""
    full = _bare(entity.name)
    if len(full) < 2 or entity.id in view.junk:
        return
    names = {_words(n) for n in entity.names()} | {full}
    by_slug: dict[str, list[Use]] = defaultdict(list)
    for use in uses:
        by_slug[use.slug].append(use)
    for slug, here in sorted(by_slug.items()):
        if any(_words(u.text) in names or not _inside(_words(u.text), full) for u in here):
            continue
        owners = sorted(index["key"].get(" ".join(_words(here[0].text)), set()) - {entity.id})
        suspect.add(here, 0.6 if owners else 0.4, f"{slug} names {entity.name} only as '{here[0].text}'"
                    + (f", the name of {', '.join(owners)}" if owners else ""))
        suspect.others.update(dict.fromkeys(owners))
        if owners:
            suspect.split(entity.id, slug, owners[0])
        else:
            suspect.fix.append(command("unlink", entity.id, "--in", slug))


def _place_named(view: SiteView, entity: Entity, uses: list[Use], suspect: _Suspect, index: Index) -> None:
    """Mentions of something that is not a place, written as a place's name that is not its own
    ("Rwanda" linked to "Refugees and Democracy in Rwanda"): likely the place."""
    if entity.type == "place":
        return
    names = {_words(n) for n in entity.names()} | {_bare(entity.name)}
    names |= {_words(form) for form in equivalents(" ".join(_bare(entity.name)))}
    person = entity.type == "person" and not set(_bare(entity.name)) & {"of", "and", "in", "for", "the"}
    odd = [u for u in uses if _words(u.text) not in names and gazetteer().place_tier(u.text)
           and not (person and _inside(_words(u.text), _bare(entity.name)))  # "Washington" for MaliVai Washington
           and not (entity.type == "organization" and u.slug in view.team_articles)]  # "Texas" for its team
    if odd:
        places = sorted(i for i in index["key"].get(" ".join(_words(odd[0].text)), ())
                        if view.entities[i].type == "place")
        suspect.add(odd, 0.6, f"{len(odd)} mention(s) of {entity.name} (a {entity.type}) are written "
                              f"'{odd[0].text}', a place's name")
        suspect.others.update(dict.fromkeys(places))
        for slug in sorted({u.slug for u in odd}):
            if places:
                suspect.split(entity.id, slug, places[0], *_only_lines(view, entity.id, slug, odd))
            else:
                suspect.fix.append(command("unlink", entity.id, "--in", slug, "--text", odd[0].text))


def _misspelt(view: SiteView, entity: Entity, uses: list[Use], suspect: _Suspect) -> None:
    """Mentions spelt one letter away from every name of the entity ("Atalanta" for Atlanta)."""
    names = {normalize_name(n) for n in entity.names()}
    odd = [u for u in uses if normalize_name(u.text) not in names
           and any(one_edit(normalize_name(u.text), n) and not _plural(normalize_name(u.text), n) for n in names)]
    if odd:
        suspect.add(odd, 0.4, f"'{odd[0].text}' is spelt unlike {entity.name}: another name one letter away")
        for slug in sorted({u.slug for u in odd}):
            suspect.fix.append(command("unlink", entity.id, "--in", slug, "--text", odd[0].text))


def _plural(a: str, b: str) -> bool:
    return a + "s" == b or b + "s" == a


def _other_type(view: SiteView, entity: Entity, uses: list[Use], suspect: _Suspect) -> None:
    """A place's mentions whose words clearly say an organisation ("beat Germany"), or that stand in
    an article where places' names stand for teams, when it is the place elsewhere (else the
    question is its type: `_team_types`). A person's or an organisation's words say less:
    "Charlton's side" is his team, not him."""
    if entity.type != "place":
        return
    leaning, team, home = _readings(view, entity, uses)
    if not home or not (leaning or team):
        return
    if leaning:
        suspect.add(leaning, min(0.6, 0.3 + 0.05 * len(leaning)),
                    f"{len(leaning)} of {len(uses)} mentions read as an organization ('{_near(leaning[0])}')")
    if team:
        sections = sorted({t for u in team for t in view.tags.get(u.slug, [])})
        where = f"the {', '.join(sections)} articles" if sections else "articles"
        suspect.add(team, 0.6, f"{len(team)} mention(s) in {where}, where places' names stand for teams")
    for slug in sorted({u.slug for u in leaning + team}):
        lines = _only_lines(view, entity.id, slug, leaning + team)
        teams = _teams_beside(view, entity, slug) if slug in view.team_articles else []
        suspect.others.update(dict.fromkeys(teams))
        if teams:
            names = " or ".join(view.entities[t].name for t in teams)
            suspect.reasons.append((0.6, f"in {slug}, '{view.articles[slug][entity.id][0].text}' may stand for "
                                         f"the {names}, named in the same sentence"))
            suspect.split(entity.id, slug, teams[0], *lines)
        section = slugify(next(iter(view.tags.get(slug, [])), "organization"))
        suspect.split(entity.id, slug, f"{entity.id}-{section}", "--type", "organization", *lines)


def _only_lines(view: SiteView, entity_id: str, slug: str, doubtful: list[Use]) -> tuple[str, ...]:
    """`--line N` for each line of the article holding a doubtful mention, when the entity has other
    mentions there that a `split` should leave ("Baghdad" read as Iraq's government once in six)."""
    lines = sorted({u.line for u in doubtful if u.slug == slug})
    others = [u for u in view.articles[slug].get(entity_id, []) if u.line not in lines]
    return tuple(word for line in lines for word in ("--line", str(line))) if others else ()


def _teams_beside(view: SiteView, place: Entity, slug: str) -> list[str]:
    """The organisations named as a team's nickname is, in the plural and without any place's name
    ("the Brewers", "the All Blacks"), in the most sentences that name the place in this article:
    where the place's name stands for a team, likely that team."""
    if slug not in view.teams_in:
        view.teams_in[slug] = [other for other in view.articles[slug] if _nickname(view, view.entities[other])]
    teams = view.teams_in[slug]
    sentences = {(u.line, u.sentence) for u in view.articles[slug].get(place.id, [])} if teams else set()
    shared = {other_id: sum((u.line, u.sentence) in sentences for u in view.articles[slug][other_id])
              for other_id in teams}
    most = max(shared.values(), default=0)
    return sorted(other_id for other_id, n in shared.items() if n and n == most)


def _nickname(view: SiteView, entity: Entity) -> bool:
    """An organisation named like a team's nickname: a plural ("Brewers", "All Blacks"), no initials
    and no place's name in it."""
    if entity.id not in view.nicknames:
        last = entity.name.split()[-1] if entity.name.split() else ""
        view.nicknames[entity.id] = entity.type not in ("person", "place") and entity.id not in view.junk \
            and not is_acronym(last) and last.endswith("s") and not last.endswith("ss") \
            and not _holds_place(view, entity)
    return view.nicknames[entity.id]


def _holds_place(view: SiteView, entity: Entity) -> bool:
    """Whether some run of a name's words is a place's name ("San Diego" in San Diego Padres)."""
    words = _bare(entity.name)
    for size in range(1, len(words) + 1):
        for i in range(len(words) - size + 1):
            run = " ".join(words[i:i + size])
            if gazetteer().place_tier(run.title()) or any(view.entities[e].type == "place"
                                                          for e in view.index["key"].get(run, ())):
                return True
    return False


def _runs_on(view: SiteView, entity: Entity, uses: list[Use], suspect: _Suspect) -> None:
    """A place's mentions that a capitalised word the article leaves unlinked continues: "the Minsk
    Group", "Rotor Volgograd", "Trevor Holland". The mention is likely part of another name."""
    if entity.type != "place":
        return
    odd = [(use, written) for use in uses if (written := _name_around(view, use))]
    if not odd:
        return
    suspect.add([u for u, _ in odd], 0.6, f"'{odd[0][1]}': the name goes on past the mention, unlinked")
    for use, _ in odd:
        suspect.fix.append(command("unlink", entity.id, "--in", use.slug, "--text", use.text))


NAME_AFTER = re.compile(r" ([^\W\d_][\w’'-]*)")
NAME_BEFORE = re.compile(r"(?<![\w’'.-])([^\W\d_][\w’'-]*) $")
LETTERS = re.compile(r"[^\W\d_]+")
CAPITALISED_MID = re.compile(r"[a-z,;] +([A-Z][\w’'-]*)")


def _name_around(view: SiteView, use: Use) -> str:
    """The mention with the name word that continues it, if any ("Minsk Group"); else "". Not in a
    line of names or a heading in title case, where every word is capitalised."""
    text = view.texts.get(use.slug, "")
    end = use.offset + len(use.text)
    after = NAME_AFTER.match(text, end)
    if after and _name_word(view, use.slug, after.group(1), after.start(1), True):
        return "" if _title_case(use.sentence) else f"{use.text} {after.group(1)}"
    before = NAME_BEFORE.search(text, max(0, use.offset - 40), use.offset)
    if before:
        ahead = text[max(0, before.start() - 20):before.start()].rstrip(" ")
        mid = bool(ahead) and (ahead[-1].islower() or ahead[-1].isdigit() or ahead[-1] in ",;")
        if _name_word(view, use.slug, before.group(1), before.start(1), mid):
            return "" if _title_case(use.sentence) else f"{before.group(1)} {use.text}"
    return ""


def _title_case(sentence: str) -> bool:
    words = LETTERS.findall(sentence)
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _name_word(view: SiteView, slug: str, word: str, at: int, mid: bool) -> bool:
    """Whether a capitalised word is part of a name here: not linked, not a possessive, a compound
    ("British-ruled"), a people, a role, a title, a time or a compass point; and, where it may start a
    sentence, no small word ("In", "But") and either no ordinary English word or one the article
    capitalises in mid-sentence too ("ended Rotor's spell")."""
    gaz = gazetteer()
    if not (word[0].isupper() and word[1:2].islower()) or word.endswith(("'s", "’s")) or re.search(r"-[a-z]", word) \
            or word in gaz.demonyms or word in COMPASS or word.lower() in gaz.roles or word in gaz.honorifics \
            or word in gaz.calendar or (not mid and word.lower() in gaz.common) or _linked_at(view, slug, at):
        return False
    if mid or word.lower() not in gaz.words:
        return True
    if slug not in view.capitalised:
        found = CAPITALISED_MID.findall(view.texts.get(slug, ""))
        view.capitalised[slug] = {w[:-2] if w.endswith(("'s", "’s")) else w for w in found}  # "Rotor's spell"
    return word in view.capitalised[slug]


def _linked_at(view: SiteView, slug: str, at: int) -> bool:
    """Whether a character of the article is inside a mention."""
    if slug not in view.spans:
        spans = sorted((u.offset, u.offset + len(u.text)) for uses in view.articles[slug].values() for u in uses)
        view.spans[slug] = [start for start, _ in spans], [end for _, end in spans]
    starts, ends = view.spans[slug]
    before = bisect.bisect_right(starts, at) - 1
    return before >= 0 and at < ends[before]


def _readings(view: SiteView, entity: Entity, uses: list[Use]) -> tuple[list[Use], list[Use], int]:
    """A place's mentions that read as an organisation, those in articles where places stand for
    teams (and whose words do not say a place), and how many read as the place (datelines too)."""
    leaning = [u for u in uses if u.lean == "organization"]
    team = [u for u in uses if u.slug in view.team_articles and not u.lean and not u.placed]
    home = len(uses) - len(leaning) - len(team) + len(view.datelines.get(entity.id, ()))
    return leaning, team, home


def _near(use: Use) -> str:
    """A few words around a mention, for a `why`."""
    sentence = _said(use)
    at = sentence.find(use.text)
    if at < 0:
        return use.text
    words_before = sentence[:at].split()[-2:]
    words_after = sentence[at + len(use.text):].split()[:2]
    return " ".join([*words_before, use.text, *words_after])


def _conflation_item(view: SiteView, entity: Entity, uses: list[Use], suspect: _Suspect) -> ReviewItem:
    odd = sorted((u for u, _ in suspect.uses.values()), key=lambda u: (-suspect.uses[id(u)][1], u.slug, u.offset))
    doubt = sum(d for _, d in suspect.uses.values()) / len(odd)
    why = "; ".join(w for _, w in sorted(suspect.reasons, key=lambda r: -r[0])[:3])
    fix = list(dict.fromkeys(suspect.fix))
    others = list(suspect.others)
    if len(suspect.whole) == len(uses) and len(others) == 1:  # all of them held by one entity named in full
        fix.insert(0, command("merge", entity.id, others[0]))
        why = f"every mention of {entity.name} may be of {view.entities[others[0]].name}: " + why
    fix.append(command("confirm", entity.id))
    return ReviewItem("conflation", [entity.id, *others], why, len(odd), view.evidence(odd), fix, doubt)


# ---------------------------------------------------------------- junk and unmentioned

def _junk_reason(view: SiteView, entity: Entity) -> tuple[str, float] | None:
    """Why a name is likely no entity (a time, a nationality, a word the site writes in lower case),
    with the doubt; None when it looks like a name."""
    gaz = gazetteer()
    words = entity.name.split()
    word = words[0]
    if entity.confirmed:
        return None
    if any(w in gaz.calendar for w in words):
        return f"'{entity.name}' names a time", 0.8
    if len(words) == 1 and len(word.replace(".", "")) < 3 and not is_acronym(word):
        return f"'{word}' is too short to be a name", 0.8
    if len(words) > 1 or is_acronym(word):
        return None
    if word in gaz.demonyms:
        return f"'{word}' is a nationality or a people, not one entity", 0.8
    lower = view.lower_words.get(word.lower(), 0)
    if lower and not gaz.place_tier(word) and word not in gaz.given_names:
        return f"'{word}' is written in lower case in {lower} article(s): an ordinary word", 0.8
    return None


def _junk(view: SiteView) -> list[ReviewItem]:
    items = []
    for entity_id, (why, doubt) in view.junk.items():
        uses = view.uses.get(entity_id, [])
        if uses:
            entity = view.entities[entity_id]
            names = {normalize_name(n): n for n in reversed(entity.names())}
            texts = {normalize_name(u.text): u.text for u in uses if normalize_name(u.text) in names} or names
            fix = [command("not-entity", t) for t in sorted(texts.values())] + [command("unlink", entity_id),
                                                                                command("confirm", entity_id)]
            items.append(ReviewItem("junk", [entity_id], why, len(uses), view.evidence(uses), fix, doubt))
    return items


def _unmentioned(view: SiteView) -> list[ReviewItem]:
    return [ReviewItem("unmentioned", [e.id], f"nothing links to {e.name}", 0,
                       [Evidence(e.path.as_posix(), e.name_line, f"name: {e.name}")], [command("unlink", e.id)], 0.3)
            for e in view.entities.values() if e.id not in view.referenced]


# ---------------------------------------------------------------- the queue

def build_queue(config: SiteConfig, model=None) -> list[ReviewItem]:
    """Every item, most consequential first (mentions a fix changes × doubt); one item per set of
    entities, the one ranked highest."""
    view = load_view(config, model)
    found = [*_conflations(view), *_duplicates(view), *_junk(view), *_guessed_types(view, config.type_ids()),
             *_unmentioned(view)]
    best: dict[frozenset[str], ReviewItem] = {}
    for item in found:
        key = frozenset(item.entities)
        if key not in best or item.rank > best[key].rank:
            best[key] = item
    wider = [key for key, item in best.items() if item.kind == "conflation" and len(key) > 2]
    kept = [item for key, item in best.items()  # a pair that a conflation item already names is no item of its own
            if not (item.kind == "duplicate" and any(key < other for other in wider))]
    return sorted(kept, key=lambda i: (-i.rank, KINDS.index(i.kind), i.entities))
