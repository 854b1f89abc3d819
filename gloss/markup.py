"""Gloss's Markdown syntax as markdown-it-py plugins: entity mentions and CriticMarkup.

The rules only emit tokens (with the target or note in `meta`); resolving mention targets
against the entity registry happens later, in the graph stage. The mention render rules write
placeholders that the render stage replaces with links (see `mention_placeholder`).
"""

from __future__ import annotations

import bisect
import re
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

MENTION_OPEN = "[["
MENTION_CLOSE = "]]"


LONG_BLOCK = 4096  # characters: in a shorter block, counting from its start costs less than remembering


def _position(state: StateInline, pos: int) -> dict[str, int]:
    """Offset of `pos` inside the inline block, as (lines after its first line, column). The block's
    line ends are found once: counting them from its start for each of 40,000 mentions was quadratic."""
    src = state.src
    if len(src) < LONG_BLOCK:
        return {"line_offset": src.count("\n", 0, pos), "col": pos - src.rfind("\n", 0, pos)}
    ends = state.__dict__.get("gloss_line_ends")
    if ends is None:
        ends = state.gloss_line_ends = [match.start() for match in re.finditer("\n", src)]
    line = bisect.bisect_left(ends, pos)
    return {"line_offset": line, "col": pos - (ends[line - 1] if line else -1)}


def _find_close(state: StateInline, closing: str, start: int) -> int:
    """state.src.find(closing, start, state.posMax), remembered for the block: after a search from
    `since` found `at`, any search from between the two finds it too (and after a search found
    nothing, any later one), so a block of a thousand unclosed '[[' is not read a thousand times."""
    if len(state.src) < LONG_BLOCK:
        return state.src.find(closing, start, state.posMax)
    memo = state.__dict__.setdefault("gloss_closes", {})
    key = (closing, state.posMax)
    if (found := memo.get(key)) is not None:
        since, at = found
        if since <= start and (at < 0 or start <= at):
            return at
    at = state.src.find(closing, start, state.posMax)
    memo[key] = (start, at)
    return at


def _push_error(state: StateInline, start: int, end: int, message: str, hint: str) -> None:
    token = state.push("gloss_error", "", 0)
    token.content = state.src[start:end]
    token.meta = {"message": message, "hint": hint, **_position(state, start)}


def mention_rule(state: StateInline, silent: bool) -> bool:
    """`[[target]]` or `[[target|text shown]]`, e.g. `[[zabihullah-mujahid|Mujahid]]`."""
    src, start = state.src, state.pos
    if not src.startswith(MENTION_OPEN, start):
        return False
    close = _find_close(state, MENTION_CLOSE, start + 2)
    if close < 0:
        if not silent:
            _push_error(state, start, start + 2, "unclosed '[[': a mention needs a closing ']]'",
                        "write [[entity]] or [[entity|text shown]], or escape it as \\[[")
        state.pos = start + 2
        return True
    inner = src[start + 2:close]
    if not silent:
        problem = _mention_problem(inner)
        if problem:
            _push_error(state, start, close + 2, *problem)
        else:
            target, _, shown = inner.partition("|")
            shown = shown if "|" in inner else target
            # One token with the text shown, not an open, text and close token: the text is never
            # parsed further, and an article makes a dozen mentions.
            token = state.push("gloss_mention", "", 0)
            token.content = " ".join(shown.split()) if "\n" in shown else shown
            token.meta = {"target": " ".join(target.split()), **_position(state, start)}
    state.pos = close + 2
    return True


def _mention_problem(inner: str) -> tuple[str, str] | None:
    target, bar, shown = inner.partition("|")
    if MENTION_OPEN in inner:
        return ("mentions cannot be nested", "close the first mention with ']]' before starting another")
    if not target.strip():
        return ("mention has no entity: '[[" + inner + "]]'",
                "write the entity id or name before '|', e.g. [[taliban|the group]]")
    if bar and not shown.strip():
        return ("mention has an empty text after '|'", "write the text to show after '|', or drop the '|'")
    if "[" in target or "]" in target:
        return ("mention target contains a bracket", "use the entity id or name: [[entity|text]]")
    return None


# CriticMarkup: (opening, closing, token name). Highlight and point notes come first so that
# "{==" is not mistaken for something else.
CRITIC_MARKS = (
    ("{==", "==}", "highlight"),
    ("{>>", "<<}", "note"),
    ("{++", "++}", "insert"),
    ("{--", "--}", "delete"),
    ("{~~", "~~}", "substitute"),
)


def critic_rule(state: StateInline, silent: bool) -> bool:
    """CriticMarkup: `{==span==}{>>note<<}`, `{>>note<<}`, `{++add++}`, `{--cut--}`, `{~~a~>b~~}`."""
    src, start = state.src, state.pos
    if src[start] != "{":
        return False
    mark = next((m for m in CRITIC_MARKS if src.startswith(m[0], start)), None)
    if mark is None:
        return False
    opening, closing, kind = mark
    close = _find_close(state, closing, start + 3)
    if close < 0:
        if not silent:
            _push_error(state, start, start + 3, f"unclosed '{opening}': it needs a closing '{closing}'",
                        f"close it with '{closing}' in the same paragraph (CriticMarkup cannot span paragraphs)")
        state.pos = start + 3
        return True
    if not silent:
        if kind == "substitute":
            _push_substitution(state, start + 3, close)
        else:
            _push_wrapped(state, kind, start + 3, close, apart=kind == "note")
    state.pos = close + 3
    return True


def _tokenize_range(state: StateInline, start: int, end: int) -> None:
    """Parse src[start:end] as inline Markdown into the current token stream (as links do)."""
    old_pos, old_max = state.pos, state.posMax
    state.pos, state.posMax = start, end
    state.md.inline.tokenize(state)
    state.pos, state.posMax = old_pos, old_max


def _push_wrapped(state: StateInline, kind: str, start: int, end: int, apart: bool = False, **meta: Any) -> None:
    """`apart`: the wrapped text stands apart from the text before it (a note, the new text of a
    substitution), so the typographer, which reads the neighbouring tokens' content to pair quotes,
    reads a space there: `"valley"{>>From…<<}` closes its quote. (The render rules ignore it.)"""
    token = state.push(f"critic_{kind}_open", "", 1)
    token.meta = {**_position(state, start - 3), **meta}
    token.content = " " if apart else ""
    _tokenize_range(state, start, end)
    state.push(f"critic_{kind}_close", "", -1)


def _push_substitution(state: StateInline, start: int, end: int) -> None:
    middle = state.src.find("~>", start, end)
    if middle < 0:
        _push_error(state, start - 3, end + 3, "substitution needs '~>' between old and new text",
                    "write {~~old~>new~~}")
        return
    _push_wrapped(state, "delete", start, middle, substitute=True)
    _push_wrapped(state, "insert", middle + 2, end, apart=True)


# ---------------------------------------------------------------- plugins

def mention_plugin(md: MarkdownIt) -> None:
    """Register the `[[…]]` mention rule; its render rules write placeholders filled at render time."""
    md.inline.ruler.before("link", "gloss_mention", mention_rule)
    md.add_render_rule("gloss_mention", render_mention)
    md.add_render_rule("gloss_error", render_error)


def critic_plugin(md: MarkdownIt) -> None:
    """Register CriticMarkup notes and editorial corrections."""
    md.inline.ruler.before("emphasis", "critic", critic_rule)
    for kind in ("highlight", "note", "insert", "delete"):
        md.add_render_rule(f"critic_{kind}_open", render_critic_open)
        md.add_render_rule(f"critic_{kind}_close", render_critic_close)


def create_markdown(raw_html: bool = False) -> MarkdownIt:
    """The one Markdown parser Gloss uses: CommonMark + tables + footnotes + Gloss syntax, with
    markdown-it's typographer: curly quotes and apostrophes, dashes for "--" and "---", "…" for "...".
    (Mentions and CriticMarkup are read before it runs: it only sees their text.)"""
    md = MarkdownIt("commonmark", {"html": raw_html, "typographer": True})
    md.enable(["table", "replacements", "smartquotes"])
    md.use(footnote_plugin, inline=False)
    md.use(mention_plugin)
    md.use(critic_plugin)
    if raw_html:
        md.use(sanitize_plugin)
    else:  # with HTML off these rules only say no, but they are asked at every block and every '<'
        md.disable(["html_block", "html_inline"])
    md.core.ruler.at("normalize", normalize_rule)
    md.core.ruler.after("smartquotes", "gloss_lone_quotes", lone_quotes_rule)
    for kind in ("paragraph", "heading"):
        md.add_render_rule(f"{kind}_open", render_block_open)
        md.add_render_rule(f"{kind}_close", render_block_close)
    return md


def render_block_open(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
    """What markdown-it's generic renderToken writes for a paragraph or heading that holds its text
    directly, without its general checks; any other case is left to it. Together with the closing
    rule, 6 µs of the 37 µs that rendering a bench article's HTML took."""
    token = tokens[idx]
    if (token.hidden or token.attrs or idx + 1 == len(tokens) or tokens[idx + 1].type != "inline"
            or (idx and tokens[idx - 1].hidden)):
        return self.renderToken(tokens, idx, options, env)
    return f"<{token.tag}>"


def render_block_close(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    if token.hidden or token.attrs:
        return self.renderToken(tokens, idx, options, env)
    return f"</{token.tag}>\n"


def normalize_rule(state: StateCore) -> None:
    """markdown-it's own `normalize` (CR and CRLF line ends to LF, NUL to U+FFFD), without its two
    regular-expression passes over the whole text when there is nothing to replace: the first one
    replaces every line end, even "\\n" by "\\n" (13 µs of a bench article's 180)."""
    src = state.src
    if "\r" in src:
        src = src.replace("\r\n", "\n").replace("\r", "\n")
    if "\0" in src:
        src = src.replace("\0", "\ufffd")
    state.src = src


_OPENS_AFTER = frozenset(" \t\n([{‘“—–-/")


def lone_quotes_rule(state: StateCore) -> None:
    """markdown-it's smartquotes curls straight quotes in pairs only: text that mixes straight and curly
    ones (`“We will win," he said`) keeps its lone straight ones. Each is curled here by what is before
    it: nothing, a space, a dash or an opening bracket opens a quote; anything else closes one."""
    for block in state.tokens:
        if block.type != "inline" or not block.children or '"' not in block.content:
            continue
        before = " "
        for token in block.children:
            if token.type == "text" and '"' in token.content:
                token.content = _curl_double_quotes(token.content, before)
            if token.type in ("softbreak", "hardbreak"):
                before = " "
            elif token.content:
                before = token.content[-1]


def _curl_double_quotes(text: str, before: str) -> str:
    out = list(text)
    for i, char in enumerate(text):
        if char == '"':
            out[i] = "“" if (text[i - 1] if i else before) in _OPENS_AFTER else "”"
    return "".join(out)


# ---------------------------------------------------------------- raw HTML, when site.yml allows it

_TAG_START = re.compile(r"^<\s*(/)?\s*([a-zA-Z][a-zA-Z0-9-]*)")


def sanitize_plugin(md: MarkdownIt) -> None:
    """With `raw_html: true`, authors' HTML is kept but cleaned by nh3: no scripts, handlers or
    javascript: URLs. Only html_block/html_inline tokens are touched, never Gloss's own markup."""
    md.core.ruler.push("gloss_sanitize", sanitize_rule)


def sanitize_rule(state: StateCore) -> None:
    for token in state.tokens:
        if token.type == "html_block":
            cleaned = nh3.clean(token.content)
            token.content = cleaned + "\n" if cleaned and not cleaned.endswith("\n") else cleaned
        elif token.type == "inline" and token.children:
            token.children = _sanitize_inline(token.children)


def _sanitize_inline(children: list[Token]) -> list[Token]:
    """Clean inline HTML tag by tag, keeping open/close pairs balanced within the paragraph, so
    a stray '</div>' cannot close the page's own elements and an unclosed '<b>' ends with it."""
    stack: list[str] = []
    for child in children:
        if child.type == "html_inline":
            child.content = _clean_inline_tag(child.content, stack)
    if stack:
        closer = Token("html_inline", "", 0)
        closer.content = "".join(f"</{name}>" for name in reversed(stack))
        children = [*children, closer]
    return children


def _clean_inline_tag(tag: str, stack: list[str]) -> str:
    match = _TAG_START.match(tag)
    if match is None:  # a comment, declaration or processing instruction
        return ""
    closing, name = match.group(1), match.group(2).lower()
    if closing:
        if name not in stack:
            return ""
        closed = []
        while stack:
            closed.append(stack.pop())
            if closed[-1] == name:
                break
        return "".join(f"</{n}>" for n in closed)
    cleaned = nh3.clean(tag)
    end = f"</{name}>"
    if cleaned.endswith(end) and cleaned.startswith(f"<{name}"):
        stack.append(name)
        return cleaned[:-len(end)]
    return cleaned


# ---------------------------------------------------------------- rendering

def _esc(text: str) -> str:
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&#39;"))


def mention_placeholder(index: int, closing: bool = False) -> str:
    """Where a mention's tag goes. Tags are filled in at render time, once targets are resolved,
    so parsed HTML can be cached whatever the registry holds. Markdown-it turns NUL in input into
    U+FFFD, so no text can forge one."""
    return f"\x00{'C' if closing else 'M'}{index}\x00"


MENTION_PLACEHOLDER = re.compile("\x00([MC])(\\d+)\x00")


def render_mention(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
    """The mention's text between placeholders for its tags (see `mention_placeholder`)."""
    token = tokens[idx]
    index = token.meta["index"]
    return mention_placeholder(index) + escapeHtml(token.content) + mention_placeholder(index, closing=True)


def render_error(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
    return _esc(tokens[idx].content)


CRITIC_HTML = {
    "highlight": ('<mark class="critic-highlight">', "</mark>"),
    "insert": ('<ins class="critic-insert" title="Added by the editor">', "</ins>"),
    "delete": ('<del class="critic-delete" title="Removed by the editor">', "</del>"),
}


def render_note_open(number: int) -> str:
    """A numbered label that toggles the note on narrow screens; in the margin on wide ones. The search
    index leaves out the numbers (they would be glued to the words around them in its excerpts)."""
    return (f'<label for="note-{number}" class="note-ref" id="note-ref-{number}" aria-describedby="note-{number}-text"'
            ' data-pagefind-ignore>'
            f'<span class="visually-hidden">Note </span>{number}</label>'
            f'<input type="checkbox" id="note-{number}" class="note-toggle">'
            f'<span class="sidenote" id="note-{number}-text" role="note">'
            f'<a class="note-number" href="#note-ref-{number}" aria-label="Back to note {number} in the text"'
            ' data-pagefind-ignore>'
            f'{number}</a> ')


def render_critic_open(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
    token = tokens[idx]
    kind = token.type[len("critic_"):-len("_open")]
    if kind == "note":
        return render_note_open(token.meta["index"] + 1)
    if kind == "delete" and token.meta and token.meta.get("substitute"):
        return '<del class="critic-delete critic-substitute" title="Replaced by the editor">'
    return CRITIC_HTML[kind][0]


def render_critic_close(self: Any, tokens: list, idx: int, options: Any, env: dict) -> str:
    kind = tokens[idx].type[len("critic_"):-len("_close")]
    if kind == "note":
        return "</span>"
    return CRITIC_HTML[kind][1]


# ---------------------------------------------------------------- escaping for writers

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]{}<>&|])")
_BLOCK_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Escape plain text so Gloss's Markdown shows it exactly as written (used by ingest)."""
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), text)


def _escape_marker(marker: str) -> str:
    if marker[0].isdigit():
        return marker[:-1] + "\\" + marker[-1]
    return "\\" + marker
