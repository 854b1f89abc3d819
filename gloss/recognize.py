"""Entity recognition for ingest: finding names in a text and the evidence for their type.

Registry names are found with an Aho-Corasick automaton; new candidates by rules that read
capitalisation, a few shipped word lists (gloss/data) and the words around a name. Deciding
which entity each name means is the next step's job (gloss/linking.py). Everything works on
one text at a time with plain offsets, so the same result serves the article writer and
`annotate` (the evaluation's interface).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Container
from dataclasses import dataclass, field

from .data import Gazetteer, gazetteer
from .seedtext import DATELINE_LINE, is_all_caps, safe_slug, split_sentences

TOKEN = re.compile(r"[^\W\d_]\w*(?:['’.&-][^\W_]\w*)*")
CONNECTORS = {"de", "da", "del", "della", "dello", "delle", "dei", "degli", "di", "do", "dos", "das", "du", "des",
              "van", "von", "der", "den", "bin", "ibn", "le", "la", "wa"}
ORG_CONNECTORS = {"of", "for"}
ARTICLE_NAME = re.compile(r"(?:al|el|ad|ash|as|at|az|ar|an|ul)-[A-Z]")  # "Ayman al-Zawahiri", "Inzamam-ul-Haq"
LEGAL_FORMS = {"Ltd", "Limited", "Inc", "Incorporated", "Plc", "PLC", "Corp", "Corporation", "Co", "AG", "SA", "NV",
               "BV", "AB", "ASA", "GmbH", "SpA", "Pty", "LLC"}
# Kinds of place before "of" and a place's name ("Republic of Ireland", "Gulf of Mexico").
PLACES_OF = {"Republic", "Kingdom", "City", "Isle", "Island", "Islands", "Gulf", "Bay", "Cape", "Strait", "Sea",
             "Province", "State", "Port", "Emirate", "Principality", "Duchy", "Straits", "Lake", "Coast"}
# Arabic and Urdu compound names joined by a particle: "Inzamam-ul-Haq", "Salah-ud-Din", "Ata-ur-Rehman".
LINKED_NAME = re.compile(r"[A-Z][a-z]+-u[lrdnsz]-[A-Z][a-z]+")
# A quotation on one line: a title or a slogan when its words are in title case.
QUOTED = re.compile(r"[\"“]([^\"“”\n]{5,80})[\"”]")
TITLE_SMALL_WORDS = {"a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "with", "from", "by"}
# Words after which "of" continues a name: "Federal Republic of Yugoslavia", "World Series of Golf".
OF_HEADS = {"Republic", "Series", "Nation", "House", "Kingdom", "Isle", "Gulf", "Bay", "Cape", "Strait", "Sea",
            "Cup", "Games", "Championship", "Championships", "Museum", "Chamber", "Duke", "Prince", "Princess",
            "Bishop", "Archbishop", "Sultan", "Emir", "Court", "Province", "State", "City", "Port"}
# A new sentence or clause starts after these: quotes, brackets, colons, a headline's " - ".
OPENS_SENTENCE = re.compile(r"(?:[\"“‘(:]|\s[-–—]+|--)\s*$")
HYPHEN_PREFIXES = {"anti", "pro", "ex", "non", "post", "pre", "neo", "mid", "pan", "trans", "inter"}
PLACE_WORDS = {"province", "valley", "region", "district", "city", "river", "state", "county", "island",
               "islands", "mountains", "village", "town", "border", "capital", "peninsula", "lake", "sea"}
# "the province of Yunnan", "the coast of Newfoundland", "north of Kabul": a place's name follows.
PLACE_OF = PLACE_WORDS | {"coast", "port", "suburb", "suburbs", "outskirts", "north", "south", "east", "west",
                          "northeast", "northwest", "southeast", "southwest", "centre", "center"}
# ", Scotland." / ", Canada, fell": a bigger place after a comma says the name before it is a place.
IN_PLACE = re.compile(r",\s+([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)(?=\s*(?:[.;:)\n]|,\s+[a-z]|$))")
PLACE_PREPOSITIONS = {"in", "from", "to", "near", "across", "at", "into", "outside", "inside", "throughout"}
PEOPLE_PREPOSITIONS = {"from", "to"}  # of PLACE_PREPOSITIONS, those that take people as often
SPEECH_VERBS = {"said", "says", "told", "added", "tweeted", "insisted", "claimed", "wrote", "argued", "stated"}
POSSESSOR_ROLES = {"spokesman", "spokeswoman", "spokesperson", "leader", "deputy", "chief", "official",
                   "officials", "government", "forces", "members", "head"}
ACRONYM_DEF = re.compile(r"\s\(([A-Z][A-Z&.]{1,7}s?)\)")
# Last words of place names ("Wall Street", "Central Clinical Hospital", "Chechen Republic").
PLACE_HEADS = {"street", "square", "avenue", "road", "house", "republic", "east", "west", "north", "south",
               "ocean", "bay", "gulf", "airport", "stadium", "hospital", "park", "bridge", "palace", "hills",
               "beach", "coast", "strait", "canal", "heights", "plaza", "forest", "desert", "prison"}
# Buildings and grounds after a place's name: "the Kosevo stadium", "Charles de Gaulle airport".
FACILITIES = {"airport", "stadium", "hospital", "prison", "palace", "sanatorium", "hotel", "motel", "square"}
# Nouns after an organisation's name ("Tanjug news agency", "Interfax said"): not people, not places.
ORG_NOUNS = {"agency", "news", "newspaper", "daily", "weekly", "company", "firm", "group", "bank", "party", "club",
             "team", "side", "network", "channel", "magazine", "unit", "subsidiary", "shares", "stock",
             "board", "management", "executives", "fans", "players", "coach", "manager", "striker",
             "midfielder", "defender", "goalkeeper", "skipper", "chairman", "shareholders",
             "forward", "winger", "pitcher", "outfielder", "batsman", "bowler", "goal", "movement", "flight",
             "guerrillas", "gunmen", "militants", "members", "supporters"}
# Nouns that name what an organisation is, right before its name: "the news weekly Der Spiegel",
# "the Yugoslav news agency Tanjug", "the official newspaper Granma", "the national airline El Al".
ORG_BEFORE = {"agency", "newspaper", "daily", "weekly", "magazine", "airline", "carrier", "broadcaster",
              "network", "channel", "company", "firm", "bank", "insurer", "club", "publisher", "station",
              "team", "group", "party", "conglomerate", "maker"}
# Sports: a town is its team after these words ("against Karlsruhe", "joined Newcastle").
TEAM_BEFORE = {"against", "beat", "beating", "joined", "v", "vs", "versus", "defeated", "hosts", "host",
               "visiting"}
TEAM_AFTER = {"beat", "team-mate", "teammate"}
# What only a team does or has, said of a place's name: "victory over X", "homered for X", "X won".
TEAM_PAIRS = {("victory", "over"), ("win", "over"), ("winners", "over"), ("lead", "over"), ("defeat", "by"),
              ("loss", "to"), ("lost", "to"), ("draw", "with"), ("drew", "with"), ("draw", "at"), ("win", "at"),
              ("homered", "for"), ("homer", "for"), ("scored", "for"), ("played", "for"), ("signed", "for"),
              ("debut", "for"), ("signed", "from"), ("transfer", "from"), ("joined", "from")}
# What a team is called just before its name: "champions Bath", "title rivals Essex".
TEAM_TITLES = {"champions", "holders", "rivals", "favourites", "favorites", "underdogs", "outsiders", "runners-up"}
TEAM_VERBS = {"won", "lost", "drew", "trailed", "rallied", "edged", "clinched", "routed", "thrashed", "scored"}
OFFICERS = {"ceo", "chairman", "spokesman", "spokeswoman", "spokesperson", "president", "chief", "executive",
            "executives", "official", "officials", "director"}
# "in May", "since May", "the May crackdown": the month, not Theresa May.
MONTH_BEFORE = {"in", "since", "until", "till", "by", "during", "from", "through", "throughout", "before", "after",
                "last", "next", "early", "late", "mid", "of", "the", "a", "this", "each", "every", "between"}
COMPASS = {"North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Northeast",
           "Northwest", "Southeast", "Southwest"}
# Role words that say who someone is only with an owner ("Reagan's wife"), and forms of address.
RELATIONS = {"wife", "husband", "mother", "father", "son", "daughter", "brother", "sister", "teammate"}
ADDRESS = {"mr", "mrs", "ms", "dr"}
QUALIFIERS = {"former", "deputy", "acting", "vice", "senior", "chief", "then"}
# Titles followed by a portfolio: "Secretary of State", "Minister for Foreign Affairs", "Chief of Staff".
PORTFOLIO_ROLES = {"secretary", "minister", "head", "chief", "chancellor", "commissioner"}
# The most words a name has ("Organization for Security and Cooperation in Europe" has 7): a longer
# run of capitalised words is a passage in title case, and trimming it word by word would be quadratic.
MAX_NAME_WORDS = 24
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
    """An entity a text names that the registry does not hold: its entity file is made at ingest."""

    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    review: bool = False


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
        """Capitalised, or an Arabic name with its article ("al-Zawahiri", "el-Sheikh")."""
        return self.text[0].isupper() or ARTICLE_NAME.match(self.text) is not None


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
    first_name: str = ""  # "Tom" in "(Tom) Seaver": a first name in brackets before the surname
    surname: str = ""  # "Hussein" in "Saddam (Hussein)": a surname in brackets after the name
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
        elif not token.cap and run and (joined := _connects(text, run, tokens, index)):
            run.extend(tokens[index:index + joined + 1])
            index += joined
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


def _connects(text: str, run: list[Token], tokens: list[Token], index: int) -> int:
    """How many small words at `index` join the run to the capitalised word after them: 1 for "de"
    in "Charles de Gaulle" or "of" in "Bank of Japan", 2 for "van der" in "Joost van der Westhuizen"
    and "de la" in "Oscar de la Hoya"; 0 when they do not."""
    word = tokens[index].text
    if not _joins(text, run[-1], tokens[index]):
        return 0
    if word in CONNECTORS and index + 2 < len(tokens) and tokens[index + 1].text in CONNECTORS \
            and tokens[index + 2].cap and _joins(text, tokens[index], tokens[index + 1]) \
            and _joins(text, tokens[index + 1], tokens[index + 2]):
        return 2
    if index + 1 >= len(tokens) or not tokens[index + 1].cap or not _joins(text, tokens[index], tokens[index + 1]):
        return 0
    if word in CONNECTORS:
        return 1
    heads = gazetteer().org_cues | OF_HEADS
    return int(word in ORG_CONNECTORS and (any(t.text in gazetteer().org_cues for t in run) or run[-1].text in heads
                                           or (_company_head(run) and _legal_form_ends(text, tokens, index + 1))))


def _company_head(run: list[Token]) -> bool:
    """Whether the words before "of" may begin a company's name: not a person's ("Lynn Reaser of
    Barnett Banks Inc") nor one word opening a sentence ("Shares of Douglas & Lomason Co")."""
    return run[0].text not in gazetteer().given_names and not (len(run) == 1 and run[0].initial)


def _legal_form_ends(text: str, tokens: list[Token], index: int) -> bool:
    """Whether the capitalised words from `index` end in a company's legal form ("Gold Fields of
    South Africa Ltd"): the "of" before them is inside the company's name."""
    for position in range(index, min(index + 5, len(tokens))):
        if not tokens[position].cap or (position > index and not _joins(text, tokens[position - 1], tokens[position])):
            return False
        if tokens[position].text.rstrip(".") in LEGAL_FORMS:
            return True
    return False


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
            for whole, role in _split_run(text, run, gaz):
                if len(whole) > MAX_NAME_WORDS:
                    continue  # a passage set in title case, not a name
                for part in _country_apart(whole, gaz):
                    candidate = _trim(text, part, gaz, lower_words)
                    if candidate:
                        candidate.caps_line = caps
                        candidate.role_before = (role if part is whole or part[0] is not whole[0] else "") \
                            or candidate.role_before
                        candidate.owner = _owner(text, tokens, candidate, gaz)
                        candidates.append(candidate)
    candidates = _bracketed_first_names(text, _without_ordinary_words(text, candidates, gaz), gaz)
    candidates = _merge_acronym_owners(text, _outside_quoted_titles(text, candidates))
    return _names_around_brackets(text, candidates, gaz)


def _outside_quoted_titles(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """Drop names inside a quoted title or slogan of three words or more in title case ("Ice Cold
    in Alex", "Hands of Stone", "Air Bag Safety: Everyone Buckled"): its words belong to the
    work's name, not to a person or place of their own."""
    titles = [(m.start(1), m.end(1)) for m in QUOTED.finditer(text) if _title_case(m.group(1))]
    if not titles:
        return candidates
    return [c for c in candidates if not any(start <= c.start and c.end <= end for start, end in titles)]


def _title_case(phrase: str) -> bool:
    words = TOKEN.findall(phrase)
    return len(words) >= 3 and all(w[:1].isupper() or w in TITLE_SMALL_WORDS for w in words) \
        and any(w[:1].isupper() for w in words)


def _bracketed_first_names(text: str, candidates: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    """"(Tom) Seaver", "(Olympic champion Lindsay) Davenport": a given name in brackets right
    before a capitalised word is that person's first name, added by the writer to a quote; it is
    no entity of its own, and it says the surname after it is a person's. "Saddam (Hussein)": a
    word in brackets after a name completes it the same way."""
    kept: list[Candidate] = []
    for index, candidate in enumerate(candidates):
        after = candidates[index + 1] if index + 1 < len(candidates) else None
        opening = text.rfind("(", max(0, candidate.start - 40), candidate.start)
        bracketed = opening >= 0 and ")" not in text[opening:candidate.start]
        if after is not None and len(candidate.words) == 1 and candidate.text in gaz.given_names \
                and text[candidate.end:after.start] == ") " and bracketed:
            after.first_name = candidate.text
            continue
        if after is not None and len(candidate.words) == len(after.words) == 1 and not is_acronym(after.text) \
                and text[candidate.end:after.start] == " (" and text.startswith(")", after.end) \
                and not gaz.place_tier(after.text) and not gaz.place_tier(candidate.text):
            candidate.surname = after.text  # "regime of Saddam (Hussein)": the writer completes the name
        kept.append(candidate)
    return kept


def _names_around_brackets(text: str, candidates: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    """"Alan John Percivale (A.J.P.) Taylor", "James Leander (Leo) Nichols": initials or a given name
    in brackets inside a person's name; the whole is one name (its words without the bracket)."""
    found = []
    for candidate in candidates:
        if len(candidate.words) < 2 or candidate.words[0] not in gaz.given_names:
            continue
        match = BRACKETED_MIDDLE.match(text, candidate.end)
        if match and (INITIALS_WORD.fullmatch(match.group(1)) or match.group(1) in gaz.given_names) \
                and not gaz.place_tier(match.group(2)) and match.group(2) not in gaz.org_cues:
            found.append(Candidate(candidate.start, match.end(), text[candidate.start:match.end()],
                                   [*candidate.words, match.group(2)], candidate.initial,
                                   role_before=candidate.role_before))
    if not found:
        return candidates
    covered = [(c.start, c.end) for c in found]
    kept = [c for c in candidates if not any(start <= c.start and c.end <= end for start, end in covered)]
    return sorted(kept + found, key=lambda c: c.start)


def _without_ordinary_words(text: str, candidates: list[Candidate], gaz: Gazetteer) -> list[Candidate]:
    """Drop a lone capitalised word that is an ordinary English word (or "May") when it starts a
    sentence ("Police said", "Analysts expect") and the text does not also use it as a name, alone
    inside a sentence or ending a longer name ("Theresa May ... May said"); and when it heads an
    "X of Y" name cut in two ("ending War of Spanish Succession"): it is no name by itself."""
    named = {c.words[-1] for c in candidates if not c.caps_line and (len(c.words) > 1 or not c.initial)}

    def ordinary(c: Candidate) -> bool:
        if len(c.words) > 1 or c.caps_line or c.dateline or not _ordinary(c.words[0], gaz):
            return False
        return (c.initial and c.words[0] not in named) or bool(re.match(r" of (?:the )?[A-Z]", text[c.end:c.end + 9]))

    return [c for c in candidates if not ordinary(c)]


def _ordinary(word: str, gaz: Gazetteer) -> bool:
    """An ordinary English word, not a place, a given name or an acronym ("AIDS")."""
    if word.isupper() or _known_word(word, gaz):
        return False
    return word.lower() in gaz.words or word == "May"


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
    cue_after = _cues_after(run, gaz)
    for index, token in enumerate(run):
        is_role = token.text.lower() in gaz.roles and index + 1 < len(run) and not cue_after[index]
        if _is_date_word(text, token, gaz) or is_role:
            if is_role:
                part = _before_title(part, gaz)
            if part:
                parts.append((part, role))
            part, role = [], (token.text.lower() if is_role else "")
        else:
            part.append(token)
    if part:
        parts.append((part, role))
    return parts


def _cues_after(run: list[Token], gaz: Gazetteer) -> list[bool]:
    """For each word of the run, whether an organisation cue comes later in it (one pass: a run
    can be a whole capitalised text)."""
    found, after = False, []
    for token in reversed(run):
        after.append(found)
        found = found or token.text in gaz.org_cues
    return after[::-1]


def _before_title(part: list[Token], gaz: Gazetteer) -> list[Token]:
    """The words before a title, less its portfolio: "British" of "British Prime Minister", "Hong Kong"
    of "Hong Kong Finance Secretary" and "Hong Kong Financial Secretary", nothing of "Privatisation
    Minister"."""
    while part and part[-1].text.lower() in gaz.common:
        part = part[:-1]
    if len(part) > 1 and part[-1].text.endswith("al") and part[-1].text.lower() in gaz.words \
            and gaz.place_tier(" ".join(t.text for t in part[:-1])):
        part = part[:-1]  # "Hong Kong Financial Secretary": a place, then its title
    if part and _ordinary(part[0].text, gaz) and not _names_something(part, gaz):
        return []  # "Holy Roman" of "Holy Roman Emperor Charles VI": the title's own words
    return part


def _names_something(part: list[Token], gaz: Gazetteer) -> bool:
    """Whether words before a title hold a place, a given name or a kind of organisation ("New
    Zealand", "New Democratic Party"), so they may be a name of their own."""
    words = [t.text for t in part]
    return any(w in gaz.org_cues or _known_word(w, gaz) for w in words) or any(
        gaz.place_tier(" ".join(words[i:j])) for i in range(len(words)) for j in range(i + 2, len(words) + 1))


def _is_date_word(text: str, token: Token, gaz: Gazetteer) -> bool:
    """"Monday", "January-June", and "May" when a date or a time word says it is the month."""
    if token.text in gaz.calendar or all(part in gaz.calendar for part in token.text.split("-")):
        return True
    if token.text != "May":
        return False
    before = re.search(r"(\w+)[\s-]+$", text[max(0, token.start - 20):token.start])
    return bool(re.match(r" \d", text[token.end:token.end + 2])) or bool(
        before and before.group(1).lower() in MONTH_BEFORE)


def _country_apart(run: list[Token], gaz: Gazetteer) -> list[list[Token]]:
    """"U.S. Federal Reserve", "U.S. Labour Day": a country's initials, then a name of its own (not
    "U.S. Treasury Department", an organisation of the country's by its name)."""
    at = next((i for i, t in enumerate(run) if t.text.lower() not in gaz.common), len(run))  # after "The"
    if len(run) > at + 1 and "." in run[at].text and gaz.place_tier(run[at].text) \
            and not any(t.text in gaz.org_cues for t in run[at + 1:]):
        return [run[:at + 1], run[at + 1:]]
    return [run]


def _trim(text: str, run: list[Token], gaz: Gazetteer, lower_words: set[str]) -> Candidate | None:
    run = list(run)
    role, title = _role_of_before(text, run[0].start, gaz), False
    while run and ((role and _ordinary(run[0].text, gaz)) or run[0].text in ORG_CONNECTORS):
        title = title or run[0].text not in ORG_CONNECTORS
        run.pop(0)  # "Secretary of State Warren Christopher", "Archbishop of Cape Town" cut at the title
    while run and _drop_first(run, gaz, lower_words):
        run.pop(0)
    while run and run[-1].text.lower() in ORG_CONNECTORS | CONNECTORS:
        run.pop()
    if not run or _demonym_prefix(run, gaz) == len(run) or _bare_title(run, gaz):
        return None
    start, end = run[0].start, run[-1].end
    return Candidate(start, end, text[start:end], [t.text for t in run], run[0].initial,
                     role_before=role if title else _role_before(text, start, gaz), possessive=run[-1].possessive)


def _bare_title(run: list[Token], gaz: Gazetteer) -> bool:
    """A title with no name: "Minister", "Foreign Minister", "the Prime Minister"."""
    *head, last = [t.text for t in run]
    return last.lower() in gaz.roles and all(w.lower() in gaz.common or _is_demonym(w, gaz) for w in head)


def _role_of_before(text: str, start: int, gaz: Gazetteer) -> str:
    """"secretary" when the run follows "Secretary of" (its first words are a portfolio), else ""."""
    match = re.search(r"(\w+) (?:of|for) (?:the )?$", text[max(0, start - 40):start])
    return match.group(1).lower() if match and match.group(1).lower() in PORTFOLIO_ROLES else ""


def _drop_first(run: list[Token], gaz: Gazetteer, lower_words: set[str]) -> bool:
    """Whether the run's first word is no part of the name ("The", "Afghan", a headline's "Top")."""
    first, word = run[0], run[0].text
    rest_has_cue = any(t.text in gaz.org_cues for t in run[1:])
    if word.lower() in gaz.common and (first.initial or word in {"The", "A", "An"} or len(run) == 1) \
            and not _starts_with_a_place(run, gaz):
        return True
    if len(run) == 1:
        return False
    prefix = _demonym_prefix(run, gaz)
    if prefix and not any(t.text in gaz.org_cues for t in run[prefix:]) \
            and not gaz.place_tier(" ".join(t.text for t in run)) \
            and not (len(run) == prefix + 1 and _ordinary(run[-1].text, gaz)):
        return True  # "Iraqi troops", "South Korean President Kim"; not "Czech Republic", "Korean War"
    if first.initial and word.lower() in gaz.words and _demonym_prefix(run[1:], gaz) == len(run) - 1:
        return True  # "Three Russian soldiers"
    if "." in word and gaz.place_tier(word) and not rest_has_cue:
        return True
    if not first.initial or (word.isupper() and not run[1].text.isupper()):
        return False  # "CITIC Pacific is ...": capitals mark an acronym, not a sentence's start
    if word.lower() in lower_words | gaz.roles and word not in gaz.given_names and run[1].text in gaz.given_names \
            and len(run) > 2:
        return True  # "Centre Walter Little followed up", after "from centre Walter Little": a word, then a name
    if word in gaz.org_cues and gaz.place_tier(" ".join(t.text for t in run[1:])):
        return False  # "(Air France chairman)": an organisation named after a place
    return not _known_word(word, gaz) and (  # a headline's first word is capitalised anyway
        word.lower() in lower_words or _known_rest(run, gaz, word.lower() in gaz.words))


def _starts_with_a_place(run: list[Token], gaz: Gazetteer) -> bool:
    """"New Zealand ...", "New York Mayor ...": the first word begins a place's name of several words."""
    words = [t.text for t in run]
    return any(gaz.place_tier(" ".join(words[:size])) for size in range(2, min(4, len(words)) + 1))


def _demonym_prefix(run: list[Token], gaz: Gazetteer) -> int:
    """How many words at the front of the run are a nationality: "German", "Iraqis", "South Korean",
    "North Africans", "Arab-Israeli"; 0 if none."""
    words = [t.text for t in run]
    for size in (3, 2):
        if len(words) >= size and " ".join(words[:size]) in gaz.demonyms:
            return size
    if len(words) >= 2 and words[0] in COMPASS and _is_demonym(words[1], gaz):
        return 2
    return 1 if words and _is_demonym(words[0], gaz) else 0


def _is_demonym(word: str, gaz: Gazetteer) -> bool:
    return word in gaz.demonyms or ("-" in word and all(p in gaz.demonyms for p in word.split("-")))


# "(A.J.P.) Taylor" after a name: the bracket, then one capitalised word ending the name.
BRACKETED_MIDDLE = re.compile(r" \(([^()\s]{1,12})\) ([A-Z][\w'’-]+)(?![\w'’-]| [A-Z])")
INITIALS_WORD = re.compile(r"(?:[A-Z]\.){2,}")
# The words a name defined by its acronym is read in: "U.N." whole, and the small words that may
# give a letter ("Interim Force in Lebanon (UNIFIL)") or not ("Bank of Japan (BOJ)" gives one).
ACRONYM_WORD = re.compile(r"(?:[A-Z]\.){2,}|[\w'’-]+")
ACRONYM_SMALL_WORDS = {"of", "for", "and", "in", "on", "the", "de"}


def _merge_acronym_owners(text: str, candidates: list[Candidate]) -> list[Candidate]:
    """"Organization for Security and Cooperation in Europe (OSCE)", "U.N. Interim Force in Lebanon
    (UNIFIL)": the initials show the whole name."""
    merged: list[Candidate] = []
    for match in ACRONYM_DEF.finditer(text):
        letters = match.group(1).replace(".", "").rstrip("s")
        base = max(0, match.start() - 120)
        words = list(ACRONYM_WORD.finditer(text, base, match.start()))
        if len(letters) < 2 or len(words) < 2:
            continue
        for first in range(len(words) - 1, max(-1, len(words) - 2 * len(letters) - 1), -1):
            if words[first].group()[0].isupper() and _spells(letters, [w.group() for w in words[first:]]):
                start, end = words[first].start(), words[-1].end()
                merged.append(Candidate(start, end, text[start:end], text[start:end].split(), False))
                break
    return sorted(_without_overlaps(candidates, merged), key=lambda c: c.start)


def _spells(letters: str, words: list[str]) -> bool:
    """Whether `words` give `letters`: each capitalised word its initial ("U.N." both letters), a
    small word ("of", "in") its initial or nothing, and no other word. (The letters each word may
    have reached, word by word: linear, however many small words.)"""
    reached = {0}
    for word in words:
        after = set()
        for at in reached:
            if "." in word:
                own = word.replace(".", "")
                if own.isupper() and letters.startswith(own, at):
                    after.add(at + len(own))
            elif word[0].isupper():
                if len(word) > 1 and letters[at:at + 1] == word[0]:
                    after.add(at + 1)
            elif word in ACRONYM_SMALL_WORDS:
                after.add(at)
                if letters[at:at + 1] == word[0].upper():
                    after.add(at + 1)
        if not after:
            return False
        reached = after
    return len(letters) in reached


def _nearby(merged: list[Candidate], index: int):
    """The merged names after `index` that can overlap it: each ends before its acronym and starts at
    most 120 characters before it, and the acronyms come in text order."""
    found = merged[index]
    for other in merged[index + 1:]:
        if other.end - 121 >= found.end:
            return
        yield other


def _without_overlaps(candidates: list[Candidate], merged: list[Candidate]) -> list[Candidate]:
    """The candidates no merged name overlaps, and each merged name no later one overlaps.

    Merged names are short (under 120 characters), so only those starting near a candidate can
    cover it: a bisect keeps this linear on a very long text.
    """
    kept = []
    for index, found in enumerate(merged):
        if not any(other.start < found.end and found.start < other.end for other in _nearby(merged, index)):
            kept.append(found)
    ends: dict[int, int] = {}  # the furthest end of the merged names starting at each offset
    for found in merged:
        ends[found.start] = max(found.end, ends.get(found.start, 0))
    starts = sorted(ends)
    result = []
    for candidate in candidates:
        low = bisect.bisect_left(starts, candidate.start - 121)
        high = bisect.bisect_left(starts, candidate.end)
        if not any(candidate.end > s and candidate.start < ends[s] for s in starts[low:high]):
            result.append(candidate)
    return result + kept


def _owner(text: str, tokens: list[Token], candidate: Candidate, gaz: Gazetteer) -> str:
    """"Iran" for "Foreign Ministry" in "Iran's Foreign Ministry": the organisation belongs to it."""
    if not any(w in gaz.org_cues for w in candidate.words):
        return ""
    at = bisect.bisect_right(tokens, candidate.start, key=lambda t: t.end)  # the word before the name
    previous = tokens[at - 1] if at else None
    if previous and previous.possessive and previous.cap and candidate.start - previous.end == 3:
        return previous.text
    return ""


def _known_rest(run: list[Token], gaz: Gazetteer, first_is_a_word: bool) -> bool:
    """The run without its first word is a known place, or starts with a given name after an
    English word (not "8 - Zinzan Brooke"); the whole is not a place."""
    whole = " ".join(t.text for t in run)
    rest = " ".join(t.text for t in run[1:])
    return not gaz.place_tier(whole) and (
        bool(gaz.place_tier(rest)) or (first_is_a_word and run[1].text in gaz.given_names))


def _known_word(word: str, gaz: Gazetteer) -> bool:
    return word in gaz.given_names or word in gaz.places or word in gaz.honorifics


def _role_before(text: str, start: int, gaz: Gazetteer) -> str:
    """The role word just before a name ("spokesman X", "president, X"), lower case."""
    match = re.search(r"(\w+),?\s+$", text[max(0, start - 40):start])
    if match and match.group(1).lower() in gaz.roles:
        return match.group(1).lower()
    return ""


# ---------------------------------------------------------------- types

def score_types(candidate: Candidate, text: str, gaz: Gazetteer, context_only: bool = False) -> dict[str, float]:
    """Evidence for each type from the name itself and the words around it."""
    scores: dict[str, float] = defaultdict(float)
    words = candidate.words
    prev, nxt, after = neighbours(text, candidate)
    if candidate.first_name:
        scores["person"] += 4
    if context_only:
        scores["person"] += 2 if not candidate.role_before else 3  # people go by their surname
        _context_scores(scores, prev, nxt, after, candidate, None)
        if frame := _place_frame(text, candidate, gaz):
            scores["place"] += frame
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
    if _place_of_a_place(words, gaz):
        scores["place"] += 4
    if words[0] in gaz.honorifics or (len(words) > 1 and words[0] in gaz.given_names):
        scores["person"] += 4
    elif words[0] in gaz.given_names and not tier:
        scores["person"] += 2  # "Hector", "Rachel": a given name alone is still a person's
    if candidate.role_before and (not candidate.possessive or len(words) > 1):
        scores["person"] += 3  # "President Hosni Mubarak's government" too
    if any(LINKED_NAME.fullmatch(word) for word in words):
        scores["person"] += 3  # "Inzamam-ul-Haq", "Ata-ur-Rehman": a given name joined by its particle
    _context_scores(scores, prev, nxt, after, candidate, tier)
    if frame := _place_frame(text, candidate, gaz):
        scores["place"] += frame
    if tier and (team := _team_frame(text, candidate)):
        scores["organization"] += team
    if is_acronym(candidate.text):
        scores["place" if tier else "organization"] += 2
    if not tier and _named_after_a_place(words, gaz):
        scores["organization"] += 2  # "Real Madrid", "Air France", "Rotor Volgograd": a club or company
    weak = not scores or (max(scores.values()) <= 1 and prev in PEOPLE_PREPOSITIONS)
    if len(words) > 1 and weak and prev != "the":
        # Nothing, or only a preposition people take too ("a letter from Marwan Jilani"), says
        # what it is: its shape does.
        scores["person" if _shaped_like_a_person(words, gaz) else "organization"] += 1.5 if scores else 1
    return scores


def _shaped_like_a_person(words: list[str], gaz: Gazetteer) -> bool:
    """Whether a name of unknown words could be a person's: it does not end in an ordinary
    English word ("Chittagong Cement", "Pirelli Cables"), has no set of capitals ("SC Freiburg",
    "LM Ericsson AB") nor small word but a particle ("World Series of Golf"; "de", "van" are
    fine), and is not an ordinary word before a place ("Standard Liege"). A surname
    that is a word ("Baker", "Bush") is no ordinary word in the list (it leaves out proper names);
    a short word ("Hla Than") or a first name that is a word ("Chipper Jones") may be a person's."""
    last = words[-1]
    if any(word.islower() and word not in CONNECTORS for word in words):
        return False  # "World Series of Golf": a person's name has no "of" or "for"
    if len(last) > 4 and last.lower() in gaz.words:
        return False
    if any(len(word) > 1 and word.isupper() for word in words):
        return False
    return not (words[0].lower() in gaz.words and any(gaz.place_tier(word) for word in words[1:]))


def _place_of_a_place(words: list[str], gaz: Gazetteer) -> bool:
    """"Federal Republic of Yugoslavia", "Holy City of Jerusalem", "Gulf of Mexico": a word for a
    kind of place, then "of" and a known place, names a place."""
    if "of" not in words:
        return False
    at = len(words) - 1 - words[::-1].index("of")
    return 0 < at < len(words) - 1 and words[at - 1] in PLACES_OF and bool(gaz.place_tier(" ".join(words[at + 1:])))


def _named_after_a_place(words: list[str], gaz: Gazetteer) -> bool:
    """A name of several words built on a well-known place and an ordinary word, that is no
    person's and no place's own ("Japan Tobacco", "Air France", "Rotor Volgograd"); not led by a
    given name or title, nor ended by a place word ("Wall Street"). A surname that is a place
    ("MaliVai Washington") stays a person's, and so does a first name that is one ("Chad Ogea")."""
    if len(words) < 2 or words[0] in gaz.given_names or words[0] in gaz.honorifics \
            or words[-1].lower() in PLACE_WORDS | PLACE_HEADS or "of" in words:
        return False
    places = [i for i, word in enumerate(words) if gaz.place_tier(word) == 1]
    others = [word for i, word in enumerate(words) if i not in places]
    return bool(places) and any(word.lower() in gaz.words or word in gaz.org_cues for word in others)


def context_scores(candidate: Candidate, text: str) -> dict[str, float]:
    """Evidence for each type from the surrounding words alone, not the name: what a place's name
    is standing for here ("beat England", "England captain")."""
    scores: dict[str, float] = defaultdict(float)
    prev, nxt, after = neighbours(text, candidate)
    _context_scores(scores, prev, nxt, after, candidate, None)
    if frame := _place_frame(text, candidate, gazetteer()):
        scores["place"] += frame
    if team := _team_frame(text, candidate):
        scores["organization"] += team
    return scores


def _place_frame(text: str, candidate: Candidate, gaz: Gazetteer) -> float:
    """3 when the words around a name frame it as a place: "the city of X", "X, Scotland"."""
    before = text[max(0, candidate.start - 30):candidate.start].split()
    if len(before) >= 2 and before[-1] == "of" and before[-2] in PLACE_OF:
        return 3.0
    found = IN_PLACE.match(text, candidate.end)
    if not found or found.group(1) == candidate.text:
        return 0.0
    place = found.group(1)  # "U.S." keeps its full stops, "Scotland." at a sentence's end does not
    return 3.0 if 1 in (gaz.place_tier(place), gaz.place_tier(place.rstrip("."))) else 0.0


def _team_frame(text: str, candidate: Candidate) -> float:
    """What a place's name stands for a team by: "victory over X", "played for X", "champions X"
    (4), "X won" (2).
    Said of a person these mean nothing of the kind, so only places are asked."""
    before = [w.lower().strip(",\"“") for w in text[max(0, candidate.start - 30):candidate.start].split()[-2:]]
    if tuple(before) in TEAM_PAIRS or (before and before[-1] in TEAM_TITLES):
        return 4.0
    after = text[candidate.end:candidate.end + 12].split()
    return 2.0 if after and after[0].strip(",.;") in TEAM_VERBS else 0.0


def place_frame(text: str, candidate: Candidate) -> bool:
    """Whether the words around a name frame it as a place: "the city of X", "X, Scotland"."""
    return bool(_place_frame(text, candidate, gazetteer()))


def team_cue(candidate: Candidate, text: str) -> bool:
    """Whether the words around a name say it is a team: "beat X", "against X", "X won"."""
    prev, nxt, _ = neighbours(text, candidate)
    return prev in TEAM_BEFORE or nxt in TEAM_AFTER or bool(_team_frame(text, candidate))


def neighbours(text: str, candidate: Candidate) -> tuple[str, str, list[str]]:
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
    if nxt in PLACE_WORDS or nxt in FACILITIES:
        scores["place"] += 3  # "Yunnan province", "the Kosevo stadium"
    if prev in PLACE_PREPOSITIONS and not candidate.possessive:  # not "in Jordan's film"
        scores["place"] += 1
    if nxt in ORG_NOUNS or prev in TEAM_BEFORE or nxt in TEAM_AFTER or prev in ORG_BEFORE:
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


def is_acronym(text: str) -> bool:
    letters = text.replace(".", "").replace("&", "")
    return 2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()


def entity_id_for(name: str, taken: Container[str]) -> str:
    """A new id from the name, unique among `taken` (ids already in use)."""
    base = safe_slug(name, "entity")
    entity_id, n = base, 2
    while entity_id in taken:
        entity_id, n = f"{base}-{n}", n + 1
    return entity_id


def describe(text: str, candidate: Candidate) -> str:
    """A one-line description from a clear apposition or title at a name's first mention, else "".

    "Ahmad Massoud, the leader of the National Resistance Front" gives "The leader of the National
    Resistance Front."; "Prime Minister John Major" and "Taliban spokesman, Zabihullah Mujahid" give
    their titles. Words that only happen to stand before a role word ("had backed security chief X")
    give nothing: no description is better than a wrong one.
    """
    phrase = _apposition_after(text, candidate.end) or _title_before(text, candidate.start)
    if not phrase:
        return ""
    return phrase[0].upper() + phrase[1:] + "."


APPOSITION = re.compile(r",\s+([^,.;:()\"“”\n]+?)(?=\s*(?:[,.;:)\n]|$)|\s+(?:who|whose|which|said|says)\b)")
NOT_IN_TITLE = {"had", "has", "have", "was", "were", "is", "are", "be", "been", "will", "would", "could", "also",
                *SPEECH_VERBS}


APPOSITION_REACH = 1000  # characters after a name looked at: an apposition has 14 words at most


def _apposition_after(text: str, end: int) -> str:
    """"X, the Y of Z," -> "the Y of Z": a noun phrase headed by a role word, closed by punctuation.

    Only APPOSITION_REACH characters are read: a text without punctuation would be read to its end
    for every name in it."""
    limit = end + APPOSITION_REACH
    match = APPOSITION.match(text, end, limit)
    if not match or (limit < len(text) and not text[match.end(1):limit].strip()):
        return ""  # none, or one cut by the reach: longer than any apposition
    words = match.group(1).split()
    if re.match(r"\.\S", text[match.end():match.end() + 2]) or len(words[-1]) == 1:
        return ""  # cut inside "U.S." or "Edward D. Jones"
    gaz = gazetteer()
    head = next((i for i, w in enumerate(words) if w.lower() in gaz.roles), None)
    if head is None or head > 4 or len(words) > 14 or words[head].lower() in ADDRESS:
        return ""
    start = 1 if words[0].lower() in {"the", "a", "an"} else 0
    before, after = words[start:head], words[head + 1:]
    if any(w.lower() in gaz.common - QUALIFIERS or w.lower() in NOT_IN_TITLE for w in before):
        return ""
    if after and (after[0] not in {"of", "for", "at", "to", "in"} or any(w.lower() in NOT_IN_TITLE for w in after)):
        return ""
    if words[head].lower() in RELATIONS and not after and not any(re.search(r"['’]s$", w) for w in before):
        return ""  # "X, a brother": whose?
    return " ".join(words)


def _title_before(text: str, start: int) -> str:
    """"Prime Minister X", "Iran's Foreign Ministry spokesman X", "former vice president, X": the
    title just before a name. Lower-case words count only next to a qualifier or an owner ("Kurdish
    rebel leader"); a lone lower-case role ("captain X") or words run into by chance give nothing."""
    words = _line_words_before(text, start)
    gaz = gazetteer()
    if not words or words[-1].lower() not in gaz.roles or words[-1].lower() in ADDRESS:
        return ""
    kept, pending = [words[-1]], []
    for index in range(len(words) - 2, -1, -1):
        word = words[index]
        initial = index == 0 or bool(re.search(r"[.!?:;\"“”]$", words[index - 1]))
        if len(kept) + len(pending) >= 6 or not re.fullmatch(r"[^\W\d_][\w'’.&-]*", word):
            break
        if word[0].isupper():
            ordinary = word.lower() in gaz.common or word.lower() in gaz.words
            if word.lower() in STOP_BACK or word in gaz.calendar or (initial and ordinary and kept[0].islower()):
                break  # "The", "Monday", a sentence's "Had" before "backed security chief"
            kept[:0] = [word, *pending]
            pending = []
        elif word.lower() in QUALIFIERS:
            kept[:0] = [word, *pending]
            pending = []
        elif not pending and word.lower() not in gaz.common | NOT_IN_TITLE \
                and not re.search(r"(?:ed|ing|[^s']s)$", word):
            pending.insert(0, word)  # a noun, maybe: "rebel" in "Kurdish rebel leader", not "backed"
        else:
            break
    owned = any(re.search(r"['’]s$", w) for w in kept)
    if kept[-1].lower() in RELATIONS and not owned:
        return ""
    if len(kept) == 1 and kept[0].islower():
        return ""
    return " ".join(kept)


def _line_words_before(text: str, start: int, enough: int = 10) -> list[str]:
    """The words of the line before `start` (less a comma just before it): all of them, or at least
    the last `enough` (more than _title_before reads) when the line is long. The window grows until
    it holds them, so a text of one long line costs no more per name than a short one."""
    reach = 256
    while True:
        low = max(0, start - reach)
        newline = text.rfind("\n", low, start)
        whole = newline >= 0 or low == 0
        line = text[newline + 1 if whole else low:start].rstrip()
        words = re.findall(r"\S+", line[:-1] if line.endswith(",") else line)
        if whole:
            return words
        if len(words) > enough:
            return words[1:]  # the window may cut the first
        reach *= 4
