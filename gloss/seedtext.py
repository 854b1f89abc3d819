"""Seed reading and structure: title, dateline, byline, subheadings, paragraphs, sentences.

Ingest must never invent or drop words, so everything here works with offsets into the
seed's own text: a block is a slice of one seed line, and what is taken out of the body
(a headline, a dateline, a byline) is kept in front matter instead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .content import slugify
from .data import gazetteer
from .errors import GlossError
from .names import equivalents
from .textfile import more_than, read_limited, utf16_byte_order, without_unpublishable

MAX_TITLE_WORDS = 14
MAX_HEADING_WORDS = 10
END_PUNCTUATION = ".!?:;,\"'”’…)]"

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Wire copy's top and tail: each pattern is a general shape of news-agency copy, not a list of names.
# A place in capitals, maybe with its region: "LONDON", "N'DJAMENA", "MILWAUKEE, Wisconsin", "ROCHESTER, N.H."
PLACE = r"(?P<place>(?P<city>[A-Z][A-Z .'’-]*[A-Z])(?:, (?P<region>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*)*?))?)"
# A person's name word: "Larry", "McNeil", "O'Brien", "Jean-Paul" (never a word in capitals).
NAME_WORD = r"(?:[A-Z][a-z]*['’-]?)?[A-Z][a-z]+"
NAME = rf"{NAME_WORD}(?: (?:{NAME_WORD}|[A-Z]\.)){{0,2}} {NAME_WORD}"
ISO_DATE = r"\d{4}-\d{2}-\d{2}"
# "LONDON 1996-08-30", "MILWAUKEE, Wisconsin 1996-08-29", "Larry Fine NEW YORK 1996-08-30" (byline first).
DATELINE_LINE = re.compile(rf"^(?:(?P<author>{NAME}) )?{PLACE}[,.]?\s+(?P<date>{ISO_DATE})\s*$")
# "FARMINGTON HILLS, Mich." with the date alone on the next line.
DATELINE_PLACE_LINE = re.compile(rf"^{PLACE}[,.]?\s*$")
DATE_LINE = re.compile(rf"^(?P<date>{ISO_DATE})\s*$")
# A name alone on the line just before a dateline is the author's: "Larisa Sayenko".
NAME_LINE = re.compile(rf"^{NAME}$")
# "KABUL (Reuters) - ", "KABUL, Sept 6 (Reuters) - ", "ROCHESTER, N.H. (AP) -- " before the first sentence.
DATELINE_PREFIX = re.compile(
    rf"^{PLACE},?\s+(?:(?P<month>[A-Z][a-z]{{2,4}})\.?\s+(?P<day>\d{{1,2}})(?:,\s*(?P<year>\d{{4}}))?\s*)?"
    r"(?:\([A-Z][\w .&/-]{0,30}\)\s*)?[-–—]+\s+"
)
BYLINE = re.compile(r"^By\s+([A-Z][\w.'’-]*(?:\s+(?:and\s+)?[A-Z][\w.'’-]*){0,5})\s*$")
# Under a dateline, a service tag in parentheses, "(Adds deaths, other details)", "(Corrects spelling of
# name)"; copy that lost the opening bracket reads "Adds deaths, other details)".
WIRE_TAG = re.compile(r"^\([^()]{2,200}\)$")
WIRE_TAG_TAIL = re.compile(r"^[A-Z][^()]{1,200}\)$")
MAX_TAG_WORDS = 15
# The desk's sign-off at the end: "-- Warsaw Newsroom +48 22 653 9700"; and "(c) Reuters Limited 1996".
DESK_LINE = re.compile(r"^(?:--+|—|–)\s*\S")
COPYRIGHT_LINE = re.compile(r"^(?:\(c\)|©|copyright\b)", re.IGNORECASE)
MAX_DESK_WORDS = 15
SECTION_HEADLINE = re.compile(r"^([A-Z][A-Z &/]+?)\s+-\s+(.+)$")
# Abbreviations after which a full stop does not end a sentence.
INITIALS = re.compile(r"(?:[A-Z]\.)+[A-Z]")  # "A.G" before its last full stop
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "gov", "sen", "rep", "st",
    "jr", "sr", "inc", "corp", "co", "ltd", "no", "vs", "etc", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.n", "u.k", "e.g", "i.e", "mt", "ft",
}


@dataclass
class Block:
    """A heading or paragraph: `text` is seed[start:start + len(text)] exactly."""

    kind: str  # "heading" or "paragraph"
    text: str
    start: int


@dataclass
class SeedDoc:
    """A seed's parts. The wire copy's own structure (dateline, byline, service tags, the desk's
    sign-off) is kept apart from the body, with its spans in the seed: none of it is article text."""

    text: str
    title: str
    blocks: list[Block]
    date: dt.date | None = None
    dateline: str = ""  # the place as written: "MILWAUKEE"
    dateline_start: int = -1  # its offset in the seed
    region: str = ""  # the dateline's region as written: "Wisconsin"
    region_start: int = -1
    author: str = ""
    tags: list[str] = field(default_factory=list)
    wire_tags: list[str] = field(default_factory=list)  # "(Adds deaths, other details)", a repeated headline
    desk: list[str] = field(default_factory=list)  # "-- Warsaw Newsroom +48 22 653 9700", "(c) Reuters Limited 1996"
    wire_spans: list[tuple[int, int]] = field(default_factory=list)  # seed spans of all of the above

    def without_wire(self) -> str:
        """The seed with its wire structure blanked out (same length, same offsets): the text to
        look for names in, so a byline or a desk's sign-off never becomes an entity."""
        chars = list(self.text)
        for start, end in self.wire_spans:
            for index in range(start, end):
                if chars[index] != "\n":
                    chars[index] = " "
        return "".join(chars)


MAX_SEED_BYTES = 1_000_000  # one article; a longer file is a dump of many, and would only be slow to read
CONTROL_BYTES = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}


@dataclass
class SeedFile:
    """A seed as read: its text (UTF-8, "\n" line ends), its bytes, and what was done to read it."""

    text: str
    data: bytes
    warnings: list[GlossError] = field(default_factory=list)


def read_seed(path: Path, shown: Path | str) -> SeedFile:
    """The seed's text; refused when empty, binary, too large or in an unknown encoding.

    Latin-1 and Windows-1252 text is converted, with a warning: those are what word processors
    and older sites save, and refusing them would only make a person convert by hand.
    """
    data, size = read_limited(path, MAX_SEED_BYTES, shown)
    if data is None:
        raise GlossError(f"seed is {more_than(size, MAX_SEED_BYTES)} ingest "
                         "takes for one article", shown, None, None,
                         hint="split it into one file per article")
    if not data:
        raise GlossError("seed is empty (0 bytes)", shown, 1, 1,
                         hint="put the article's text in the file, or delete it")
    warnings = []
    if byte_order := utf16_byte_order(data):
        text, warning = _decode_utf16(data, byte_order, shown)
        warnings.append(warning)
    elif _looks_binary(data):
        raise GlossError("seed is a binary file, not text", shown, None, None,
                         hint="ingest reads plain-text (.txt) or Markdown (.md) articles")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            text, warning = _decode_legacy(data, exc.start, shown)
            warnings.append(warning)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, removed, first = without_unpublishable(text)
    if removed:
        warnings.append(GlossError(
            f"seed has {removed} control character(s), such as ESC or BEL: removed them (no page or feed can "
            "hold them)", shown, *first, severity="warning",
            hint="check the text around them in the article; they often come from copying out of a terminal "
                 "or a word processor"))
    if not text.strip():
        raise GlossError("seed has only whitespace, no text", shown, 1, 1,
                         hint="put the article's text in the file, or delete it")
    return SeedFile(text, data, warnings)


def _looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than 1 in 20 control characters, in the first 8 KB."""
    head = data[:8192]
    return b"\0" in head or sum(b in CONTROL_BYTES for b in head) * 20 > len(head)


def _decode_utf16(data: bytes, byte_order: str, shown: Path | str) -> tuple[str, GlossError]:
    """UTF-16 text (what some Windows editors save as "Unicode"), with a warning that it was converted."""
    try:
        text = data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else byte_order)
    except UnicodeDecodeError as exc:
        raise GlossError(f"seed is UTF-16 text that cannot be read (byte {exc.start})", shown, None, None,
                         hint="save it as UTF-8 in your editor") from None
    name = "UTF-16 (little-endian)" if byte_order.endswith("le") else "UTF-16 (big-endian)"
    return text, GlossError(f"seed is not UTF-8: read it as {name} and wrote the article as UTF-8", shown,
                            severity="warning", hint="save seeds as UTF-8 to be sure")


def _decode_legacy(data: bytes, bad: int, shown: Path | str) -> tuple[str, GlossError]:
    """Text that is not UTF-8, read as Windows-1252 (Latin-1 plus curly quotes and dashes in 0x80-0x9F)."""
    line = data[:bad].count(b"\n") + data[:bad].count(b"\r") - data[:bad].count(b"\r\n") + 1
    col = bad - max(data.rfind(b"\n", 0, bad), data.rfind(b"\r", 0, bad))
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise GlossError(f"seed is not UTF-8, Latin-1 or Windows-1252 text (byte {exc.start} cannot be read)",
                         shown, line, col, hint="save it as UTF-8 in your editor") from None
    name = "Windows-1252" if any(0x80 <= b <= 0x9F for b in data) else "Latin-1"
    warning = GlossError(f"seed is not UTF-8: read it as {name} and wrote the article as UTF-8", shown, line, col,
                         hint="check the accented letters and quotes in the article; save seeds as UTF-8 to be sure",
                         severity="warning")
    return text, warning


# Letters of scripts without accents to fold: enough for a readable slug of a Cyrillic or Greek title.
TRANSLITERATION = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґαβγδεζηθικλμνξοπρσςτυφχψωάέήίόύώ",
    ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "ye", "yi", "g",
     "a", "v", "g", "d", "e", "z", "i", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "s", "t", "y",
     "f", "ch", "ps", "o", "a", "e", "i", "i", "o", "y", "o"], strict=True))


def transliterate(text: str) -> str:
    """Cyrillic and Greek letters in Latin ones; everything else as it was."""
    return "".join(_translit_char(c) for c in text)


def _translit_char(char: str) -> str:
    lower = char.lower()
    if lower not in TRANSLITERATION:
        return char
    latin = TRANSLITERATION[lower]
    return latin.capitalize() if char != lower else latin


def safe_slug(text: str, fallback: str) -> str:
    """A slug of `text` (accents folded, Cyrillic and Greek transliterated), else `fallback`-<hash of text>.

    The hash keeps slugs of different titles in other scripts (or made only of punctuation) apart.
    """
    slug = slugify(transliterate(text))
    if slug:
        return slug
    return f"{fallback}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}"


MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")


def _lines(text: str, markdown: bool) -> tuple[list[tuple[int, str]], set[int]]:
    """(offset, stripped line) for every non-blank line, and the offsets of Markdown headings.

    A Markdown seed's "# " marks are left out of the line: they are markup, not words.
    """
    found, marked, offset = [], set(), 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            start = offset + raw.index(stripped[0])
            marker = MARKDOWN_HEADING.match(stripped) if markdown else None
            if marker and stripped[marker.end():]:
                start, stripped = start + marker.end(), stripped[marker.end():]
                marked.add(start)
            found.append((start, stripped))
        offset += len(raw) + 1
    return found, marked


def parse_seed(text: str, markdown: bool = False) -> SeedDoc:
    """Find headline, dateline, byline, wire tags, subheadings and paragraphs of a seed.

    Only a Markdown seed (`markdown`) has "# " headings; in a plain-text seed "#" is a character.
    """
    lines, marked = _lines(text, markdown)
    doc = SeedDoc(text=text, title="", blocks=[])
    if len(lines) > 1 and (lines[0][0] in marked or reads_as_headline(lines[0][1]) or _top_matter_follows(lines)):
        doc.title, doc.tags = readable_headline(lines[0][1])
        lines = lines[1:]
    lines = _take_desk(doc, _take_top(doc, lines))
    for index, (start, line) in enumerate(lines):
        heading = start in marked or (index > 0 and reads_as_subheading(line))
        doc.blocks.append(Block("heading" if heading else "paragraph", line, start))
    if not doc.title:
        first = next((b for b in doc.blocks if b.kind == "paragraph"), None)
        doc.title = headline_from_sentence(first_sentence(first.text)) if first else "Untitled"
    return doc


def headline_end(doc: SeedDoc) -> int:
    """Where the seed's headline ends: its first line, when that became the title (else 0)."""
    first = doc.text.partition("\n")[0]
    taken = bool(first.strip()) and (not doc.blocks or doc.blocks[0].start > len(first))
    return len(first) if taken else 0


def _top_matter_follows(lines: list[tuple[int, str]]) -> bool:
    """A short first line is the headline when a byline or dateline comes right after it."""
    return len(lines[0][1].split()) <= MAX_TITLE_WORDS and bool(
        _dateline_lines(lines, 1) or BYLINE.match(lines[1][1])
        or (NAME_LINE.match(lines[1][1]) and _dateline_lines(lines, 2)))


def _dateline_lines(lines: list[tuple[int, str]], index: int) -> int:
    """How many lines from `index` make a dateline: 1 ("LONDON 1996-08-30"), 2 (the date on the
    next line), or 0."""
    if index >= len(lines):
        return 0
    if DATELINE_LINE.match(lines[index][1]):
        return 1
    if index + 1 < len(lines) and DATELINE_PLACE_LINE.match(lines[index][1]) \
            and DATE_LINE.match(lines[index + 1][1]):
        return 2
    return 0


MAX_TOP_LINES = 6  # byline, dateline (two lines at most), service tags, a repeated headline


def _take_top(doc: SeedDoc, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Move the wire structure at the top (byline, dateline, service tags, the headline repeated)
    into `doc`, out of the body; then a dateline that starts the first sentence ("KABUL (Reuters) -")."""
    kept = list(lines)
    for _ in range(MAX_TOP_LINES):
        taken = _top_lines(doc, kept)
        if not taken:
            break
        doc.wire_spans += [(start, start + len(line)) for start, line in kept[:taken]]
        del kept[:taken]
    if kept and not doc.dateline and (match := DATELINE_PREFIX.match(kept[0][1])):
        start, line = kept[0]
        _set_place(doc, match, start)
        doc.date = _month_day_date(match.group("month"), match.group("day"), match.group("year"))
        doc.wire_spans.append((start, start + match.end()))
        kept[0] = (start + match.end(), line[match.end():])
    return kept


def _top_lines(doc: SeedDoc, lines: list[tuple[int, str]]) -> int:
    """How many lines at the top of `lines` are wire structure, recorded in `doc`; 0 when none."""
    if len(lines) < 2:  # the body keeps a line at least
        return 0
    start, line = lines[0]
    if not doc.dateline and (size := _dateline_lines(lines, 0)) and size < len(lines):
        match = DATELINE_LINE.match(line) or DATELINE_PLACE_LINE.match(line)
        _set_place(doc, match, start)
        date = (match if size == 1 else DATE_LINE.match(lines[1][1])).group("date")
        doc.date = _iso_date(date)
        if size == 1 and match.group("author"):
            doc.author = doc.author or match.group("author")
        return size
    if not doc.author and (match := BYLINE.match(line)):
        doc.author = match.group(1)
        return 1
    if not doc.author and not doc.dateline and NAME_LINE.match(line) and _dateline_lines(lines, 1):
        doc.author = line
        return 1
    if doc.dateline and (_is_wire_tag(line) or _repeats_headline(doc, line)):
        doc.wire_tags.append(line)
        return 1
    return 0


def _set_place(doc: SeedDoc, match: re.Match, start: int) -> None:
    doc.dateline, doc.dateline_start = match.group("city"), start + match.start("city")
    if match.group("region"):
        doc.region, doc.region_start = match.group("region"), start + match.start("region")


def _is_wire_tag(line: str) -> bool:
    """"(Adds deaths, other details)", or the same with its "(" lost (looked for only under a dateline)."""
    return len(line.split()) <= MAX_TAG_WORDS and bool(WIRE_TAG.match(line) or WIRE_TAG_TAIL.match(line))


def _repeats_headline(doc: SeedDoc, line: str) -> bool:
    """The headline again, or a variant of it in capitals ("WORLD MARKETS ROUND-UP" under "World
    Markets Overnight Summary"): most of its words are the headline's."""
    if not doc.title:
        return False
    words = _words_of(line)
    if words == _words_of(doc.title):
        return True
    if not is_all_caps(line) or len(words) > MAX_HEADING_WORDS:
        return False
    title = set(_words_of(doc.title))
    return 2 * sum(w in title for w in words) >= len(words) and any(w in title and w not in SMALL_WORDS for w in words)


def _words_of(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.casefold())


def _take_desk(doc: SeedDoc, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Move the desk's sign-off and a copyright line at the end into `doc`, out of the body."""
    kept = list(lines)
    while len(kept) > 1 and _is_desk_line(kept[-1][1]):
        start, line = kept.pop()
        doc.desk.insert(0, line)
        doc.wire_spans.append((start, start + len(line)))
    return kept


def _is_desk_line(line: str) -> bool:
    """"-- Dhaka Newsroom 880-2-506363", "-- Reuters Chicago Newsdesk", "(c) Reuters Limited 1996".

    A line opened by a single dash needs a phone number: in some languages that dash opens dialogue.
    """
    words = line.split()
    if len(words) > MAX_DESK_WORDS:
        return False
    if COPYRIGHT_LINE.match(line):
        return True
    if not DESK_LINE.match(line):
        return False
    phone = sum(c.isdigit() for c in line) >= 6
    signed = line.startswith("--") and len(words) <= 8 and all(w[:1].isupper() for w in words[1:] if w[:1].isalpha())
    return phone or signed


def _iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _month_day_date(month: str | None, day: str | None, year: str | None) -> dt.date | None:
    """A date only when the dateline gives the year too: a guessed year would be invented."""
    if not (month and day and year) or month.lower() not in MONTHS:
        return None
    try:
        return dt.date(int(year), MONTHS[month.lower()], int(day))
    except ValueError:
        return None


def reads_as_headline(line: str) -> bool:
    """Short, and either ALL CAPS or without a sentence's closing full stop."""
    words = line.split()
    if len(words) > MAX_TITLE_WORDS:
        return False
    if is_all_caps(line):
        return True
    return not line.rstrip().endswith((".", "!", "?", ",", ";", ":", "”", '"'))


def reads_as_subheading(line: str) -> bool:
    words = line.split()
    return (len(words) <= MAX_HEADING_WORDS and line[0].isupper() and not line.endswith(tuple(END_PUNCTUATION))
            and not any(q in line for q in "\"“”"))


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


SMALL_WORDS = {"a", "an", "the", "and", "or", "of", "in", "on", "at", "to", "for", "by", "as", "vs", "with", "from"}


def readable_headline(line: str) -> tuple[str, list[str]]:
    """An ALL-CAPS or "SECTION - HEADLINE" line as a title in title case, plus its section as a tag."""
    tags: list[str] = []
    if is_all_caps(line) and (match := SECTION_HEADLINE.match(line)):
        tags = [match.group(1).strip().lower()]
        line = match.group(2)
    line = line.strip().rstrip(".")
    if not is_all_caps(line):
        return line, tags
    words = line.split()
    titled = [w.lower() if i and w.lower() in SMALL_WORDS else title_word(w) for i, w in enumerate(words)]
    return " ".join(titled), tags


def title_word(word: str) -> str:
    """"ENGLAND" -> "England", "O'BRIEN" -> "O'Brien"; short words without vowels stay ("NFL")."""
    if len(word) <= 4 and not re.search(r"[AEIOUY]", word):
        return word
    parts = []
    for part in word.split("-"):
        titled = part[:1].upper() + part[1:].lower()
        parts.append(re.sub(r"^([A-Z]['’])([a-z])", lambda m: m.group(1) + m.group(2).upper(), titled))
    return "-".join(parts)


def headline_from_sentence(sentence: str) -> str:
    """A headline from a long first sentence: its first clause, never cut mid-word."""
    sentence = sentence.strip().rstrip(".!?")
    words = sentence.split()
    if len(words) <= MAX_TITLE_WORDS:
        return sentence
    clause = re.split(r",\s|;\s|\s[–—]\s", sentence)[0]
    if 4 <= len(clause.split()) <= MAX_TITLE_WORDS:
        return clause
    return " ".join(words[:MAX_TITLE_WORDS]) + "…"


# ---------------------------------------------------------------- sentences

# A match starts only where a run of stops starts: tried inside a long run ("......x") each start
# would scan the rest of it, and a line of a megabyte of dots took hours.
SENTENCE_END = re.compile(r"(?<![.!?…])[.!?…]+[\"'”’)\]]*(?=\s|$)")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`; knows common abbreviations and initials."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        end = match.end()
        if _is_abbreviation(text, match.start()) or not _next_starts_sentence(text, end):
            continue
        spans.append((start, end))
        start = _skip_space(text, end)
    if start < len(text.rstrip()):
        spans.append((start, len(text.rstrip())))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = re.search(r"([\w.]+)$", text[max(0, dot - 40):dot])  # a window: linear on a one-line seed
    if not word:
        return False
    token = word.group(1).lower()
    return token in ABBREVIATIONS or (len(token) == 1 and token.isalpha()) or _initials_of_a_name(word.group(1))


def _initials_of_a_name(token: str) -> bool:
    """"A.G." of "A.G. Edwards", "J.P." of "J.P. Morgan": initials go on to a name, unless they are
    a place's or a body's ("in the U.S. The next day")."""
    if not INITIALS.fullmatch(token):
        return False
    written = token + "."
    return not gazetteer().place_tier(written) and not equivalents(written)


NEXT_CHARACTER = re.compile(r"\s*(\S)")


def _next_starts_sentence(text: str, end: int) -> bool:
    following = NEXT_CHARACTER.match(text, end)
    return not following or not following.group(1).islower()


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def first_sentence(text: str) -> str:
    spans = split_sentences(text)
    return text[spans[0][0]:spans[0][1]] if spans else text


def summary_of(paragraphs: list[str], target: int = 160, limit: int = 300) -> str:
    """The first sentence or two, plain text, never cut mid-word."""
    text = " ".join(paragraphs)
    summary = ""
    for start, end in split_sentences(text):
        sentence = text[start:end]
        if summary and len(summary) + len(sentence) + 1 > limit:
            break
        summary = f"{summary} {sentence}".strip()
        if len(summary) >= target:
            break
    if len(summary) > limit:
        summary = summary[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return summary
