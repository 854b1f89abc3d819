"""Entity recognition for ingest: registry names first, then new names found by rules.

The rules read capitalisation, a few shipped word lists (gloss/data) and the words around a
name. They work on one text at a time and return plain offsets, so the same result serves the
article writer and `annotate` (the evaluation's interface).
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from dataclasses import dataclass, field

import ahocorasick

from .content import EntityRegistry, normalize_name, slugify
from .data import Gazetteer, gazetteer
from .seedtext import DATELINE_LINE, is_all_caps, split_sentences

UNCLEAR = 1.5  # below this score a type is a guess and is marked for review
TOKEN = re.compile(r"[^\W\d_]\w*(?:['’.&-][^\W_]\w*)*")
CONNECTORS = {"de", "da", "del", "della", "dello", "delle", "dei", "degli", "di", "do", "dos", "das", "du", "des",
              "van", "von", "der", "den", "bin", "ibn", "le", "la"}
ORG_CONNECTORS = {"of", "for"}
# Words after which "of" continues a name: "Federal Republic of Yugoslavia", "World Series of Golf".
OF_HEADS = {"Republic", "Series", "Nation", "House", "Kingdom", "Isle", "Gulf", "Bay", "Cape", "Strait", "Sea",
            "Cup", "Games", "Championship", "Championships", "Museum", "Chamber", "Duke", "Prince", "Princess",
            "Bishop", "Archbishop", "Sultan", "Emir", "Court", "Province", "State", "City", "Port"}
# A new sentence or clause starts after these: quotes, brackets, colons, a headline's " - ".
OPENS_SENTENCE = re.compile(r"(?:[\"“‘(:]|\s[-–—]+|--)\s*$")
HYPHEN_PREFIXES = {"anti", "pro", "ex", "non", "post", "pre", "neo", "mid", "pan", "trans", "inter"}
PLACE_WORDS = {"province", "valley", "region", "district", "city", "river", "state", "county", "island",
               "islands", "mountains", "village", "town", "border", "capital", "peninsula", "lake", "sea"}
PLACE_PREPOSITIONS = {"in", "from", "to", "near", "across", "at", "into", "outside", "inside", "throughout"}
SPEECH_VERBS = {"said", "says", "told", "added", "tweeted", "insisted", "claimed", "wrote", "argued", "stated"}
POSSESSOR_ROLES = {"spokesman", "spokeswoman", "spokesperson", "leader", "deputy", "chief", "official",
                   "officials", "government", "forces", "members", "head"}
ACRONYM_DEF = re.compile(r"\s\(([A-Z][A-Z&.]{1,7}s?)\)")
# Last words of place names ("Wall Street", "Central Clinical Hospital", "Chechen Republic").
PLACE_HEADS = {"street", "square", "avenue", "road", "house", "republic", "east", "west", "north", "south",
               "ocean", "bay", "gulf", "airport", "stadium", "hospital", "park", "bridge", "palace", "hills",
               "beach", "coast", "strait", "canal", "heights", "plaza", "forest", "desert", "prison"}
# Nouns after an organisation's name ("Tanjug news agency", "Interfax said"): not people, not places.
ORG_NOUNS = {"agency", "news", "newspaper", "daily", "weekly", "company", "firm", "group", "bank", "party", "club",
             "team", "side", "network", "channel", "magazine", "unit", "subsidiary", "shares", "stock",
             "board", "management", "executives", "fans", "players", "coach", "manager", "striker",
             "midfielder", "defender", "goalkeeper", "skipper", "chairman", "shareholders"}
# Sports: a town is its team after these words ("against Karlsruhe", "joined Newcastle").
TEAM_BEFORE = {"against", "beat", "beating", "joined", "v", "vs", "versus", "defeated", "hosts", "host",
               "visiting"}
TEAM_AFTER = {"beat", "team-mate", "teammate"}
OFFICERS = {"ceo", "chairman", "spokesman", "spokeswoman", "spokesperson", "president", "chief", "executive",
            "executives", "official", "officials", "director"}
STOP_BACK = {"the", "a", "an", "of", "and", "or", "to", "by", "with", "for", "in", "on", "at", "from", "as",
             "that", "said", "says", "told", "but", "while"}


@dataclass
class Mention:
    start: int
    end: int
    text: str
    entity: str
    type: str
    review: str = ""  # why an editor should look at this mention; empty when sure


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


@dataclass
class Token:
    start: int
    end: int
    text: str
    initial: bool  # first word of a sentence, or of a quotation
    glued: bool  # joined to the previous word without a space (the part after "anti-")
    possessive: bool = False

    @property
    def cap(self) -> bool:
        return self.text[0].isupper()


@dataclass
class Candidate:
    """A run of capitalised words that may name something, with what the text says around it."""

    start: int
    end: int
    text: str
    words: list[str]
    initial: bool
    role_before: str = ""
    caps_line: bool = False
    possessive: bool = False
    owner: str = ""  # "Iran" in "Iran's Foreign Ministry"
    dateline: bool = False  # the place in "LONDON 1996-08-30"
    entity: str = ""
    review: str = ""


# ---------------------------------------------------------------- tokens and runs

def tokenize(text: str, start: int, end: int) -> list[Token]:
    """Words of text[start:end]; "Taliban’s" loses its "’s", "anti-Taliban" gives "Taliban"."""
    tokens: list[Token] = []
    for match in TOKEN.finditer(text, start, end):
        between = text[tokens[-1].end if tokens else start:match.start()]
        initial = not tokens or bool(OPENS_SENTENCE.search(between))
        for token in _split_hyphens(match.start(), match.group()):
            token.initial = initial and not token.glued
            tokens.append(token)
    for token in tokens:
        if re.search(r"['’]s$", token.text):
            token.text, token.end, token.possessive = token.text[:-2], token.end - 2, True
        elif re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", token.text) and text[token.end:token.end + 1] == ".":
            token.text, token.end = token.text + ".", token.end + 1
    return [t for t in tokens if t.text and not any(c.isdigit() for c in t.text)]


def _split_hyphens(start: int, word: str) -> list[Token]:
    parts = word.split("-")
    if len(parts) == 1 or not any(p[:1].islower() and (p.lower() in HYPHEN_PREFIXES or len(p) > 3)
                                  for p in parts):
        return [Token(start, start + len(word), word, False, False)]
    tokens, offset = [], start
    for index, part in enumerate(parts):
        if part:
            tokens.append(Token(offset, offset + len(part), part, False, index > 0))
        offset += len(part) + 1
    return tokens


def sentences_of(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a whole text: lines first (a seed line is a paragraph), then sentences."""
    spans, offset = [], 0
    for line in text.split("\n"):
        spans.extend((offset + s, offset + e) for s, e in split_sentences(line))
        offset += len(line) + 1
    return spans


def find_runs(text: str, tokens: list[Token]) -> list[list[Token]]:
    """Maximal runs of capitalised words joined by single spaces (and name connectors)."""
    runs: list[list[Token]] = []
    run: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.cap and run and _joins(text, run[-1], token):
            run.append(token)
        elif not token.cap and run and _connects(text, run, tokens, index):
            run.extend(tokens[index:index + 2])
            index += 1
        else:
            if run:
                runs.append(run)
            run = [token] if token.cap and token.text != "I" else []
        index += 1
    if run:
        runs.append(run)
    return runs


def _joins(text: str, previous: Token, token: Token) -> bool:
    """Two capitalised words belong to one name: "Ahmad Massoud", "Douglas & Lomason", "Edward D. Jones"."""
    if previous.possessive or previous.glued or token.glued or token.text == "I":
        return False
    between = text[previous.end:token.start]
    if between == " ":
        return True
    if between == " & ":
        return True
    return between == ". " and (len(previous.text) == 1 or previous.text in {"St", "Mt", "Ft"})


def _connects(text: str, run: list[Token], tokens: list[Token], index: int) -> bool:
    word = tokens[index].text
    if index + 1 >= len(tokens) or not tokens[index + 1].cap or not _joins(text, run[-1], tokens[index]):
        return False
    if not _joins(text, tokens[index], tokens[index + 1]):
        return False
    if word in CONNECTORS:
        return True
    heads = gazetteer().org_cues | OF_HEADS
    return word in ORG_CONNECTORS and (any(t.text in gazetteer().org_cues for t in run) or run[-1].text in heads)


# ---------------------------------------------------------------- candidates

def find_candidates(text: str) -> list[Candidate]:
    """Every capitalised run that may be a name, trimmed of titles, common words and dates."""
    gaz = gazetteer()
    lower_words = {w for w in TOKEN.findall(text) if w.islower()}
    candidates: list[Candidate] = []
    for start, end in sentences_of(text):
        if dateline := _dateline(text, start, end):
            candidates.extend(dateline)
            continue
        caps = is_all_caps(text[start:end])
        tokens = tokenize(text, start, end)
        for run in find_runs(text, tokens):
            for part, role in _split_run(text, run, gaz):
                candidate = _trim(text, part, gaz, lower_words)
                if candidate:
                    candidate.caps_line = caps
                    candidate.role_before = role or candidate.role_before
                    candidate.owner = _owner(text, tokens, candidate, gaz)
                    candidates.append(candidate)
    return _merge_acronym_owners(text, candidates)


def _dateline(text: str, start: int, end: int) -> list[Candidate]:
    """"Larry Fine MILWAUKEE, Wisconsin 1996-08-29": a byline's name, then the city and region (places)."""
    match = DATELINE_LINE.match(text[start:end])
    if not match:
        return []
    found = []
    if match.group("author"):
        s, e = start + match.start("author"), start + match.end("author")
        found.append(Candidate(s, e, text[s:e], text[s:e].split(), True))
    offset = start + match.start("place")
    for part in match.group("place").split(", "):
        name = part.rstrip(".")
        found.append(Candidate(offset, offset + len(name), name, name.split(), True, dateline=True))
        offset += len(part) + 2
    return found


def _split_run(text: str, run: list[Token], gaz: Gazetteer) -> list[tuple[list[Token], str]]:
    """Cut a run at dates ("Monday", "May 22") and at titles inside it ("Cofinec CEO Stephen Frater").

    Returns each part with the title word just before it, if any.
    """
    parts: list[tuple[list[Token], str]] = []
    part: list[Token] = []
    role = ""
    for index, token in enumerate(run):
        rest_has_cue = any(t.text in gaz.org_cues for t in run[index + 1:])
        is_role = token.text.lower() in gaz.roles and index + 1 < len(run) and not rest_has_cue
        if token.text in gaz.calendar or _is_month_may(text, token) or is_role:
            if part:
                parts.append((part, role))
            part, role = [], (token.text.lower() if is_role else "")
        else:
            part.append(token)
    if part:
        parts.append((part, role))
    return parts


def _is_month_may(text: str, token: Token) -> bool:
    return token.text == "May" and bool(re.match(r" \d", text[token.end:token.end + 2]))


def _trim(text: str, run: list[Token], gaz: Gazetteer, lower_words: set[str]) -> Candidate | None:
    run = list(run)
    while run and _drop_first(run, gaz, lower_words):
        if len(run) > 1 and "." in run[0].text and gaz.place_tier(run[0].text):
            run = run[:1]  # "U.S. Labour Day": the country, then an event
        else:
            run.pop(0)
    while run and run[-1].text.lower() in ORG_CONNECTORS | CONNECTORS:
        run.pop()
    if not run or (len(run) == 1 and (run[0].text in gaz.demonyms or run[0].text.lower() in gaz.roles)):
        return None
    start, end = run[0].start, run[-1].end
    return Candidate(start, end, text[start:end], [t.text for t in run], run[0].initial,
                     role_before=_role_before(text, start, gaz), possessive=run[-1].possessive)


def _drop_first(run: list[Token], gaz: Gazetteer, lower_words: set[str]) -> bool:
    """Whether the run's first word is no part of the name ("The", "Afghan", a headline's "Top")."""
    first, word = run[0], run[0].text
    rest_has_cue = any(t.text in gaz.org_cues for t in run[1:])
    if word.lower() in gaz.common and (first.initial or word in {"The", "A", "An"} or len(run) == 1):
        return True
    if len(run) == 1:
        return False
    if word in gaz.demonyms and not rest_has_cue:
        return True
    if "." in word and gaz.place_tier(word) and not rest_has_cue:
        return True
    return first.initial and not _known_word(word, gaz) and (
        word.lower() in lower_words or _known_rest(run, gaz))  # a headline's first word is capitalised anyway


def _merge_acronym_owners(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """"Organization for Security and Cooperation in Europe (OSCE)": the initials show the whole name."""
    for match in ACRONYM_DEF.finditer(text):
        letters = match.group(1).replace(".", "").rstrip("s")
        words = list(re.finditer(r"[\w'’-]+", text[max(0, match.start() - 120):match.start()]))
        base = max(0, match.start() - 120)
        capitals = [w for w in words if w.group()[0].isupper()]
        if len(letters) < 2 or len(capitals) < len(letters):
            continue
        chosen = capitals[-len(letters):]
        if "".join(w.group()[0] for w in chosen) != letters or any(len(w.group()) < 2 for w in chosen):
            continue
        first = chosen[0]
        inner = words[words.index(first):]
        if any(not w.group()[0].isupper() and w.group() not in {"of", "for", "and", "in", "on", "the", "de"}
               for w in inner):
            continue
        start, end = base + first.start(), base + inner[-1].end()
        merged = Candidate(start, end, text[start:end], text[start:end].split(), False)
        candidates = [c for c in candidates if c.end <= start or c.start >= end] + [merged]
    return sorted(candidates, key=lambda c: c.start)


def _owner(text: str, tokens: list[Token], candidate: Candidate, gaz: Gazetteer) -> str:
    """"Iran" for "Foreign Ministry" in "Iran's Foreign Ministry": the organisation belongs to it."""
    if not any(w in gaz.org_cues for w in candidate.words):
        return ""
    previous = [t for t in tokens if t.end <= candidate.start]
    if previous and previous[-1].possessive and previous[-1].cap \
            and candidate.start - previous[-1].end == 3:
        return previous[-1].text
    return ""


def _known_rest(run: list[Token], gaz: Gazetteer) -> bool:
    """The run without its first word is a known place or starts with a given name, the whole is not."""
    whole = " ".join(t.text for t in run)
    rest = " ".join(t.text for t in run[1:])
    return not gaz.place_tier(whole) and (bool(gaz.place_tier(rest)) or run[1].text in gaz.given_names)


def _known_word(word: str, gaz: Gazetteer) -> bool:
    return word in gaz.given_names or word in gaz.places or word in gaz.honorifics


def _role_before(text: str, start: int, gaz: Gazetteer) -> str:
    """The role word just before a name ("spokesman X", "president, X"), lower case."""
    match = re.search(r"(\w+),?\s+$", text[max(0, start - 40):start])
    if match and match.group(1).lower() in gaz.roles:
        return match.group(1).lower()
    return ""


# ---------------------------------------------------------------- registry matching

class NameIndex:
    """Every registry name, for finding them in text: an Aho-Corasick automaton (one pass over
    the text for 10,000+ names) and, by first letter, the names a misspelling is checked against.

    Ingest builds one per run and adds the names it learns, instead of one per article.
    """

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self.automaton = ahocorasick.Automaton()
        self.by_initial: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.ready = False
        for name, entity_id in pairs:
            self.add(name, entity_id)

    def add(self, name: str, entity_id: str) -> None:
        key = _fold(name)
        if len(key.strip()) > 1:
            self.automaton.add_word(key, (len(key), entity_id, name))
            self.ready = False
        normal = normalize_name(name)
        if len(normal) >= 5:
            self.by_initial[normal[:1]].append((normal, entity_id))

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
    """"Iran" matches "Iran" and "IRAN" but not "iran": lower-case words are not names."""
    return found == name or found[:1].isupper() or not name[:1].isupper()


# ---------------------------------------------------------------- the recogniser

def recognize(text: str, registry: EntityRegistry | None, type_ids: list[str],
              index: NameIndex | None = None) -> Recognition:
    """Mentions in `text`: registry names (found through `index`), then new names linked within the text."""
    if registry is not None and index is None:
        index = name_index(registry)
    known = registry_matches(text, registry, index)
    taken = [(m.start, m.end) for m in known]
    candidates = [c for c in find_candidates(text) if not _overlaps(c.start, c.end, taken)]
    linker = Linker(text, registry, type_ids, known, index)
    return linker.link(candidates)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def score_types(candidate: Candidate, text: str, gaz: Gazetteer, context_only: bool = False) -> dict[str, float]:
    """Evidence for each type from the name itself and the words around it."""
    scores: dict[str, float] = defaultdict(float)
    words = candidate.words
    prev, nxt, after = _neighbours(text, candidate)
    if context_only:
        scores["person"] += 2 if not candidate.role_before else 3  # people go by their surname
        _context_scores(scores, prev, nxt, after, candidate, None)
        return scores
    tier = gaz.place_tier(candidate.text)
    if candidate.dateline:
        scores["place"] += 6
    if tier:
        scores["place"] += 6 if tier == 1 and len(words) > 1 else 4 if tier == 1 else 2
    if any(w in gaz.org_cues for w in words) or " & " in candidate.text:
        scores["organization"] += 5 if words[-1] in gaz.org_cues or " & " in candidate.text else 3
    if words[-1].lower() in PLACE_WORDS | PLACE_HEADS:
        scores["place"] += 3
    if words[0] in gaz.honorifics or (len(words) > 1 and words[0] in gaz.given_names):
        scores["person"] += 4
    if candidate.role_before and not candidate.possessive:
        scores["person"] += 3
    _context_scores(scores, prev, nxt, after, candidate, tier)
    if _is_acronym(candidate.text):
        scores["place" if tier else "organization"] += 2
    if len(words) > 1 and not scores and prev != "the":
        scores["person"] += 1
    return scores


def _neighbours(text: str, candidate: Candidate) -> tuple[str, str, list[str]]:
    """The word before a name, the word after it (past a possessive), and the next few words."""
    before = text[max(0, candidate.start - 30):candidate.start].split()
    rest = text[candidate.end:candidate.end + 40]
    rest = rest[2:] if rest[:2] in ("'s", "’s") else rest
    after = [w.lower().strip(",.;:\"”") for w in rest.split()[:3]]
    prev = before[-1].lower().strip(",\"“") if before else ""
    return prev, (after[0] if after else ""), after


def _context_scores(scores: dict[str, float], prev: str, nxt: str, after: list[str], candidate: Candidate,
                    tier: int | None) -> None:
    """What the neighbouring words say: "in X", "X province", "X striker", "beat X", "the X"."""
    if nxt in PLACE_WORDS:
        scores["place"] += 3
    if prev in PLACE_PREPOSITIONS:
        scores["place"] += 1
    if nxt in ORG_NOUNS or prev in TEAM_BEFORE or nxt in TEAM_AFTER:
        scores["organization"] += 4
    if nxt == "of" and len(after) > 1 and gazetteer().place_tier(after[1].title()) == 1 and not tier:
        scores["organization"] += 2  # "Karlsruhe of Germany": a club or company of a country
    if candidate.possessive and nxt in POSSESSOR_ROLES and not tier:
        scores["organization"] += 1
    elif not candidate.possessive and nxt in OFFICERS and not tier:
        scores["organization"] += 2  # "Cofinec CEO", "Taliban spokesman"
    if prev == "the" and not tier:
        scores["organization"] += 1.5
    if nxt in SPEECH_VERBS and len(candidate.words) == 1:
        scores["person"] += 1


def _is_acronym(text: str) -> bool:
    letters = text.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()


def entity_id_for(name: str, taken: set[str]) -> str:
    """A new id from the name, unique among `taken` (ids already in use)."""
    base = slugify(name) or "entity"
    entity_id, n = base, 2
    while entity_id in taken:
        entity_id, n = f"{base}-{n}", n + 1
    return entity_id


# ---------------------------------------------------------------- linking within a text


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
        self.new: dict[str, NewEntity] = {}
        self.scores: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        self.names: dict[str, str] = {}  # normalised name or alias -> id, for this text
        self.history: list[tuple[int, str]] = [(m.start, m.entity) for m in known]
        self.aliases: dict[str, list[str]] = defaultdict(list)  # existing id -> new aliases
        self.acronyms: dict[str, tuple[str, bool]] = {}  # acronym -> (defining candidate text, misspelt)
        self.name_parts: set[str] = set()  # last words of the text's longer names: maybe surnames
        for mention in known:
            self.names.setdefault(normalize_name(mention.text), mention.entity)

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
        self._settle_types()
        self.mentions.sort(key=lambda m: m.start)
        return Recognition(self.mentions, self.new, {k: v for k, v in self.aliases.items() if v})

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
            if owner is None or _is_acronym(owner.text):
                continue
            letters = acronym.replace(".", "")
            initials = _initials(owner.words)
            if letters in initials:
                self.acronyms[letters] = (owner.text, False)
            elif any(sorted(letters) == sorted(i) or _one_edit(letters, i) for i in initials):
                self.acronyms.setdefault(letters, (owner.text, True))

    # -- resolution

    def _link_single(self, candidate: Candidate, singles: dict[str, list[Candidate]]) -> bool:
        """Link a one-word name now if it is known, a short form, or plainly a new name."""
        word = candidate.words[0]
        if _is_acronym(word.replace(".", "")):
            return False
        if normalize_name(word) in self.names:
            self._attach(candidate, self.names[normalize_name(word)])
            return True
        if target := self._short_form(candidate, before_only=True):
            self._attach(candidate, target, short=True)
            return True
        if word in self.name_parts or (candidate.initial and not self._worth_creating(candidate, singles)):
            return False  # "Yeltsin" before "Boris Yeltsin": link it once the full name is known
        self._create_or_near(candidate)
        return True

    def _resolve(self, candidate: Candidate) -> str | None:
        key = normalize_name(candidate.text)
        if key in self.names:
            return self.names[key]
        words = candidate.words
        if len(words) > 1 and words[-1].lower() in PLACE_WORDS:
            base = self.names.get(normalize_name(" ".join(words[:-1])))
            if base:
                return base
        for entity_id, name in self._entity_names():
            if normalize_name(name).startswith(key + " of ") or normalize_name(name).startswith(key + " for "):
                return entity_id
        return None

    def _entity_names(self) -> list[tuple[str, str]]:
        """(id, name) of every entity mentioned so far in this text, latest first."""
        seen, names = set(), []
        for _, entity_id in reversed(self.history):
            if entity_id not in seen:
                seen.add(entity_id)
                names.append((entity_id, self._name_of(entity_id)))
        return names

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
        duplicate = self._same_surname(candidate)
        self._attach(candidate, entity_id, review=f"may be the same as {duplicate}" if duplicate else "")

    def _misspelt(self, name: str) -> tuple[str, str] | None:
        """(id, name) of a known name one edit away (a swap, a letter more or less or changed)."""
        if len(name) < 6 or _is_acronym(name):
            return None
        key = normalize_name(name)
        registry_names = [(n, i) for n, i in self.index.by_initial.get(key[:1], []) if i in self.registry.by_id] \
            if self.index is not None and self.registry is not None else []
        for known, entity_id in list(self.names.items()) + registry_names:
            if known[:1] == key[:1] and abs(len(known) - len(key)) <= 1 and known != key \
                    and not known.endswith("'s") and _one_edit(known, key):
                return entity_id, self._name_of(entity_id)
        return None

    def _same_surname(self, candidate: Candidate) -> str:
        """An existing person with the new person's surname: maybe one entity under two name forms."""
        words = candidate.words
        if self.registry is None or len(words) < 2 or words[0] not in self.gaz.given_names:
            return ""
        for entity in self.registry:
            parts = entity.name.split()
            if entity.type == "person" and len(parts) > 1 and parts[-1] == words[-1]:
                return entity.id
        return ""

    def _create(self, candidate: Candidate) -> str:
        name = candidate.text
        if candidate.owner:
            name = f"{candidate.owner}'s {name}"
        taken = set(self.new) | (set(self.registry.by_id) if self.registry else set())
        entity_id = entity_id_for(name, taken)
        self.new[entity_id] = NewEntity(entity_id, name, "", description=describe(self.text, candidate))
        self.names[normalize_name(name)] = entity_id
        return entity_id

    def _attach(self, candidate: Candidate, entity_id: str, review: str = "", short: bool = False) -> None:
        """Record a mention of `entity_id`, learning its name form and type evidence.

        A short form ("Washington" for MaliVai Washington) says nothing about the type by its
        own spelling, only by the words around it.
        """
        short = short or (len(candidate.words) == 1 and len(self._name_of(entity_id).split()) > 1
                          and self._looks_person(entity_id))
        key = normalize_name(candidate.text)
        if key not in self.names and not review:
            self.names[key] = entity_id
            if not candidate.owner:  # "Foreign Ministry" alone would name every country's
                self._learn_alias(entity_id, candidate.text)
        if entity_id in self.new and not candidate.caps_line:
            for type_id, score in score_types(candidate, self.text, self.gaz, context_only=short).items():
                self.scores[entity_id][type_id] += score
        self.history.append((candidate.start, entity_id))
        known_type = "" if entity_id in self.new else self.registry.by_id[entity_id].type
        self.mentions.append(Mention(candidate.start, candidate.end, candidate.text, entity_id, known_type, review))

    def _learn_alias(self, entity_id: str, alias: str) -> None:
        name = self._name_of(entity_id)
        if normalize_name(alias) == normalize_name(name):
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
        if _is_acronym(word.replace(".", "")) and self._link_acronym(candidate):
            return
        if normalize_name(word) in self.names:
            self._attach(candidate, self.names[normalize_name(word)])
        elif target := self._short_form(candidate):
            self._attach(candidate, target, short=True)
        elif _is_acronym(word.replace(".", "")) or (word in self.name_parts and not candidate.initial):
            self._attach(candidate, self._create(candidate))

    def _link_acronym(self, candidate: Candidate) -> bool:
        letters = candidate.text.replace(".", "")
        definition = self.acronyms.get(letters)
        misspelt = definition is not None and definition[1]
        if definition is None:
            near = [a for a, (_, bad) in self.acronyms.items()
                    if not bad and (sorted(a) == sorted(letters) or _one_edit(a, letters))]
            if not near:
                return self._link_registry_acronym(candidate, letters)
            definition, misspelt = self.acronyms[near[0]], True
        owner = self.names.get(normalize_name(definition[0]))
        if owner is None:
            return False
        if misspelt:
            good = next((a for a, (n, bad) in self.acronyms.items() if n and not bad
                         and self.names.get(normalize_name(n)) == owner), None)
            hint = f"'{letters}' looks like a misspelling of '{good}'" if good else \
                f"'{letters}' does not match the initials of '{self._name_of(owner)}'"
            self._attach(candidate, owner, review=hint)
        else:
            self._attach(candidate, owner)
        return True

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
        """The nearest person mentioned before (else after) whose name has this word."""
        word = candidate.words[0]
        order = sorted((p for p in self.history if p[0] < candidate.start), reverse=True)
        if not before_only:
            order += sorted(p for p in self.history if p[0] > candidate.start)
        for _, entity_id in order:
            parts = self._name_of(entity_id).split()
            fits = word == parts[-1] or (word == parts[0] and word in self.gaz.given_names)
            if len(parts) > 1 and fits and word not in self.gaz.honorifics and self._looks_person(entity_id):
                return entity_id
        return None

    def _looks_person(self, entity_id: str) -> bool:
        if entity_id not in self.new:
            return self.registry is not None and self.registry.by_id[entity_id].type == "person"
        scores = self.scores[entity_id]
        return bool(scores) and max(scores, key=scores.get) == "person"

    def _worth_creating(self, candidate: Candidate, singles: dict[str, list[Candidate]]) -> bool:
        """A lone capitalised word starting a sentence is a name only with other evidence."""
        word = candidate.words[0]
        if word in self.gaz.places or word in self.gaz.given_names:
            return True
        _, nxt, _ = _neighbours(self.text, candidate)
        if nxt in OFFICERS | ORG_NOUNS | SPEECH_VERBS | PLACE_WORDS:
            return True  # "Taliban spokesman ...", "Itar-Tass news agency ...", "Kosevo stadium"
        if re.search(r"\b" + re.escape(word.lower()) + r"\b", self.text):
            return False
        return any(not other.initial for other in singles[word])

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
        if key in self.names:
            return self.names[key]
        for entity_id, name in self._entity_names():
            if len(name.split()) > 1 and key == normalize_name(name.split()[-1]) and self._looks_person(entity_id):
                return entity_id
        titled = phrase.title()
        if self.gaz.place_tier(titled) == 1 and _is_acronym(phrase) is False:
            candidate = Candidate(0, 0, titled, titled.split(), True)
            return self._create(candidate)
        return None

    # -- types

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


def describe(text: str, candidate: Candidate) -> str:
    """A one-line description from the words around a name's first mention, if they say who it is.

    "Taliban spokesman, Zabihullah Mujahid" and "Ahmad Massoud, the leader of the National
    Resistance Front" both say who someone is; nothing is invented when the text does not.
    """
    phrase = _role_phrase_before(text, candidate.start) or _apposition_after(text, candidate.end)
    if not phrase:
        return ""
    return phrase[0].upper() + phrase[1:] + "."


def _role_phrase_before(text: str, start: int) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start].rstrip()
    if before.endswith(","):
        before = before[:-1]
    words = before.split()
    roles = gazetteer().roles
    if not words or words[-1].lower() not in roles:
        return ""
    kept: list[str] = []
    for word in reversed(words):
        if len(kept) >= 6 or word.lower() in STOP_BACK or (kept and re.search(r"[,.;:!?\"“”)]$", word)):
            break
        kept.insert(0, word)
    while len(kept) > 1 and kept[0][:1].islower() and re.search(r"['’]s$|^(?:its|their|his|her|our)$", kept[0]):
        kept.pop(0)
    return " ".join(kept)


def _apposition_after(text: str, end: int) -> str:
    match = re.match(r",\s+(?:the|a|an)\s+([^,.;:()\"“”\n]+)", text[end:])
    if not match:
        return ""
    phrase = match.group(1).strip()
    roles = gazetteer().roles
    return phrase if any(w.lower() in roles for w in phrase.split()[:4]) else ""
