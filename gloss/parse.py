"""Parse stage: an article's Markdown into tokens, plus every annotation with its source place.

Nothing here knows about other articles or the registry: mention targets stay as written and
are resolved by the graph stage.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .errors import GlossError

# A sentence ends at its stop, before any closing quote or bracket, where the next one starts. The stop
# is matched rather than looked behind for: a pattern that starts with a character set is scanned
# for three times as fast.
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_UNDEFINED_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")


@dataclass(slots=True)
class Mention:
    """One `[[target|text]]` in a document, as written."""

    index: int
    target: str
    text: str
    line: int
    col: int
    block: int  # which paragraph/heading/list item it is in
    offset: int  # character offset in the document's plain text
    in_note: bool = False

    def __reduce__(self) -> tuple:
        # Pickled as its fields in a tuple: a slotted dataclass's own state methods pickle and unpickle
        # at less than half this speed, and every parse result crosses a process and the cache.
        return (Mention, (self.index, self.target, self.text, self.line, self.col, self.block, self.offset,
                          self.in_note))


@dataclass(slots=True)
class Note:
    index: int
    line: int
    text: str


@dataclass(slots=True)
class ParsedDocument:
    """Plain, picklable data: what the parse cache stores and the render stage reads."""

    path: Path
    html: str  # body HTML with mention placeholders (markup.mention_placeholder)
    mentions: list[Mention] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    problems: list[GlossError] = field(default_factory=list)
    text: str = ""  # the plain text readers see, blocks separated by blank lines
    blocks: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of each block in text
    snippets: list[tuple[str, int, int]] = field(default_factory=list)  # per mention: sentence, span in it
    quotes: list[tuple[int, str]] = field(default_factory=list)  # (mention index, what it is quoted saying)
    light: bool = False  # html, text, blocks and notes left out (see `lightened`)

    def lightened(self) -> ParsedDocument:
        """This document with only what linking reads (mentions and their sentences): a builder that
        can read the full one back from the parse cache holds this one instead, and its page and
        annotations read the rest (at 100,000 articles, a gigabyte less)."""
        return replace(self, html="", text="", blocks=[], notes=[], problems=[], light=True)

    def sentence_around(self, mention: Mention) -> tuple[str, int, int]:
        """The sentence holding `mention`, and the mention's (start, end) inside it."""
        return self.snippets[mention.index]


# A sentence longer than this is quoted as the words around its mention, about this long, between "…":
# a paragraph of one sentence and 40,000 mentions would otherwise be quoted whole 40,000 times.
SNIPPET_LIMIT = 600


def _snippets(doc: ParsedDocument) -> list[tuple[str, int, int]]:
    """Each mention's sentence, worked out once at parse time (and so cached with the parse). In a block
    of many sentences the mention's is found by bisection; a long sentence is cut out of the text once,
    and each of its mentions gets the part around it."""
    bounds: dict[int, list[tuple[int, int]]] = {}
    ends_of: dict[int, list[int]] = {}  # sentence ends, for blocks of many sentences
    long_sentences: dict[int, str] = {}  # start -> text, of the sentences longer than SNIPPET_LIMIT
    text, found = doc.text, []
    for mention in doc.mentions:
        block, offset = mention.block, mention.offset
        spans = bounds.get(block)
        if spans is None:
            start, end = doc.blocks[block]
            spans = bounds[block] = _sentences(text, start, end)
        if len(spans) <= 8:  # the first sentence ending after the mention's start, else the block's last
            for sentence_start, sentence_end in spans:  # noqa: B007 - the last one is kept when none fits
                if offset < sentence_end:
                    break
        else:
            ends = ends_of.get(block) or ends_of.setdefault(block, [e for _, e in spans])
            sentence_start, sentence_end = spans[min(bisect.bisect_right(ends, offset), len(spans) - 1)]
        if sentence_end - sentence_start <= SNIPPET_LIMIT:
            sentence = text[sentence_start:sentence_end].rstrip()
            local = offset - sentence_start
            found.append((sentence, local, min(local + len(mention.text), len(sentence))))
            continue
        sentence = long_sentences.get(sentence_start)
        if sentence is None:
            sentence = long_sentences[sentence_start] = text[sentence_start:sentence_end].rstrip()
        local = offset - sentence_start
        found.append(_clipped(sentence, local, min(local + len(mention.text), len(sentence))))
    return found


def _clipped(sentence: str, start: int, end: int) -> tuple[str, int, int]:
    """The sentence and the mention's span in it; a long sentence cut at spaces to about SNIPPET_LIMIT
    characters around the mention, with "…" where it was cut."""
    if len(sentence) <= SNIPPET_LIMIT:  # long only with the spaces at its end
        return sentence, start, end
    reach = max(0, SNIPPET_LIMIT - (end - start)) // 2
    low, high = max(0, start - reach), min(len(sentence), end + reach)
    if low > 0:
        space = sentence.find(" ", low, start)
        low = space + 1 if space >= 0 else low
    if high < len(sentence):
        space = sentence.rfind(" ", end, high)
        high = space if space > end else high
    head, tail = ("…" if low > 0 else ""), ("…" if high < len(sentence) else "")
    shift = len(head) - low
    return head + sentence[low:high] + tail, start + shift, end + shift


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, sentence_start = [], start
    for match in _SENTENCE_END.finditer(text, start, end):
        spans.append((sentence_start, match.start() + 1))
        sentence_start = match.end()
    spans.append((sentence_start, end))
    return spans


def parse_document(md: MarkdownIt, body: str, path: Path, first_line: int) -> ParsedDocument:
    """Tokenize `body` and collect mentions, notes and syntax problems with file positions."""
    tokens = md.parse(body, {})
    doc = ParsedDocument(path=path, html="")
    _Walker(doc, first_line).walk(tokens)
    doc.html = md.renderer.render(tokens, md.options, {})
    doc.snippets = _snippets(doc)
    doc.quotes = attributed_quotes(doc)
    return doc


# ---------------------------------------------------------------- who said what

# English verbs of saying, in the forms news copy uses them: a quotation next to a mention and one of
# these is what the mentioned one said. (A general list, as a grammar book gives it.)
SPEECH_VERBS = ("said|says|told|tells|added|adds|insisted|insists|tweeted|tweets|wrote|writes|stated|states|"
                "declared|declares|claimed|claims|warned|warns|explained|explains|noted|notes|asked|asks|"
                "replied|replies|answered|answers|announced|announces|acknowledged|acknowledges|argued|argues|"
                "continued|continues|posted|posts|commented|comments|responded|responds|urged|urges|"
                "recalled|recalls|admitted|admits|confirmed|confirms|denied|denies|vowed|vows|promised|"
                "promises|predicted|predicts|stressed|stresses|insisted|remarked|remarks|shouted|shouts")
_QUOTATION = re.compile(r"“([^“”]{2,})”")
_WORDS = r"(?:[^\W\d_][\w’'.-]*\s+){0,5}"  # a short title or description: "Taliban spokesman "
_PAREN = r"(?:\s*\([^()]*\))?"  # an abbreviation after a name: "(NRF)"
# Each pattern reads the text between the quotation and the mention ("between"), then past the mention
# on the side away from the quotation ("beyond").
_QUOTE_THEN_SPEAKER = (re.compile(rf",?\s+{_WORDS}"), re.compile(rf"{_PAREN}\s+(?:{SPEECH_VERBS})\b"))
_QUOTE_VERB_SPEAKER = (re.compile(rf",?\s+(?:{SPEECH_VERBS})\s+{_WORDS}"), re.compile(rf"{_PAREN}\s*(?:[.,;]|$)"))
_SPEAKER_VERB_QUOTE = re.compile(rf"{_PAREN}\s+(?:{SPEECH_VERBS})(?:\s+(?:that|[^\W\d_]+)){{0,2}}\s*[,:]?\s*")


def attributed_quotes(doc: ParsedDocument) -> list[tuple[int, str]]:
    """The quotations of the text a mention is said to have said: `“…,” Mujahid said`, `“…,” said
    Taliban spokesman Zabihullah Mujahid`, `Mujahid said: “…”` (the nearest such mention, one per
    quotation). Read from each block's text, so a quotation of several sentences counts whole."""
    found = []
    by_block: dict[int, list[Mention]] = {}
    for mention in doc.mentions:
        if not mention.in_note:
            by_block.setdefault(mention.block, []).append(mention)
    for block, mentions in by_block.items():
        start, end = doc.blocks[block]
        text = doc.text[start:end]
        if "“" not in text:
            continue
        for quotation in _QUOTATION.finditer(text):
            speaker = _speaker(text, quotation, [(m, m.offset - start) for m in mentions])
            if speaker is not None:
                found.append((speaker.index, quotation.group(1).strip().rstrip(",").strip()))
    return sorted(found)


def _speaker(text: str, quotation: re.Match, mentions: list[tuple[Mention, int]]) -> Mention | None:
    """The mention said to speak the quotation, if one stands next to it with a verb of saying."""
    after = [(at, m) for m, at in mentions if at >= quotation.end()]
    for at, mention in sorted(after, key=lambda item: item[0]):
        between, beyond = text[quotation.end():at], text[at + len(mention.text):]
        if any(phrase.fullmatch(between) and rest.match(beyond)
               for phrase, rest in (_QUOTE_THEN_SPEAKER, _QUOTE_VERB_SPEAKER)):
            return mention
    before = [(at, m) for m, at in mentions if at + len(m.text) <= quotation.start()]
    for at, mention in sorted(before, key=lambda item: -item[0]):
        if _SPEAKER_VERB_QUOTE.fullmatch(text[at + len(mention.text):quotation.start()]):
            return mention
    return None


class _Walker:
    """One pass over the token stream that builds the plain text and the annotation lists."""

    def __init__(self, doc: ParsedDocument, first_line: int) -> None:
        self.doc = doc
        self.first_line = first_line
        self.parts: list[str] = []
        self.length = 0
        self.note_depth = 0
        self.note_parts: list[str] = []

    def walk(self, tokens: list[Token]) -> None:
        for token in tokens:
            if token.type == "inline" and token.children is not None:
                self._block(token)
        self.doc.text = "".join(self.parts)

    def _emit(self, text: str) -> None:
        if self.note_depth:
            self.note_parts.append(text)
        else:
            self.parts.append(text)
            self.length += len(text)

    def _block(self, inline: Token) -> None:
        if self.doc.blocks:
            self._emit("\n\n")
        start = self.length
        block_line = self.first_line + (inline.map[0] if inline.map else 0)
        children = inline.children or []
        for child in children:
            if child.type == "gloss_mention":
                self._mention(child, block_line)
            else:
                self._child(child, block_line)
        self.doc.blocks.append((start, self.length))

    def _child(self, token: Token, block_line: int) -> None:
        kind = token.type
        if kind in ("text", "code_inline"):
            self._text(token.content, block_line)
        elif kind in ("softbreak", "hardbreak"):
            self._emit(" ")
        elif kind == "critic_note_open":
            self.note_depth += 1
            self.note_parts = []
            token.meta["index"] = len(self.doc.notes)
            self.doc.notes.append(Note(len(self.doc.notes), block_line + token.meta["line_offset"], ""))
        elif kind == "critic_note_close":
            self.note_depth -= 1
            self.doc.notes[-1].text = "".join(self.note_parts).strip()
            token.meta = {"index": self.doc.notes[-1].index}
        elif kind == "gloss_error":
            meta = token.meta
            self.doc.problems.append(GlossError(meta["message"], self.doc.path, block_line + meta["line_offset"],
                                                meta["col"], meta["hint"]))
            self._emit(token.content)

    def _text(self, content: str, block_line: int) -> None:
        for match in _UNDEFINED_FOOTNOTE.finditer(content) if "[^" in content else ():
            self.doc.problems.append(GlossError(
                f"footnote [^{match.group(1)}] has no definition", self.doc.path, block_line, None,
                hint=f"add a line '[^{match.group(1)}]: your source' at the end of the article",
                severity="warning"))
        self._emit(content)

    def _mention(self, token: Token, block_line: int) -> None:
        meta, text = token.meta, token.content
        index = len(self.doc.mentions)
        meta["index"] = index
        self.doc.mentions.append(Mention(
            index=index, target=meta["target"], text=text, line=block_line + meta["line_offset"],
            col=meta["col"], block=len(self.doc.blocks), offset=self.length, in_note=bool(self.note_depth),
        ))
        self._text(text, block_line)
