"""Every entity mention exported in the W3C Web Annotation data model (https://www.w3.org/TR/annotation-model/).

The site's AnnotationCollection is `annotations.jsonld`; its pages, one per article in the site's order
and chained by `prev` and `next`, are `annotations/<slug>.jsonld` (the model's own paging, section 5).
Each mention is an Annotation whose target is the article, selected by a TextQuoteSelector, and whose body is
the entity page. URLs are absolute when site.yml sets base_url; otherwise relative, as JSON-LD reads them: from
the file they are in (`annotations/<slug>.jsonld` links to `../entities/<id>/`).

The selector quotes the article body's text as a browser has it (its DOM textContent): the mention's text,
and up to 32 characters either side, stopping short of a sidenote, a note's number and a footnote. A client
may read the page's text with those or without them: either way the quote is found at the mention.
"""

from __future__ import annotations

import bisect
import html
import json
import re
from json.encoder import encode_basestring as json_string  # what json.dumps(ensure_ascii=False) uses
from typing import Any

from .config import SiteConfig
from .graph import SiteGraph
from .parse import ParsedDocument

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_LENGTH = 32  # characters of prefix and suffix
COLLECTION_PATH = "annotations.jsonld"


def page_path(slug: str) -> str:
    return f"annotations/{slug}.jsonld"


def site_url(config: SiteConfig, path: str, depth: int = 0) -> str:
    """`path` (from the site's root) as linked from a file `depth` folders down."""
    return config.base_url.rstrip("/") + "/" + path if config.base_url else "../" * depth + path


# The parts of the body HTML a quote stops at: a note's number and text, a footnote's mark, the footnotes.
_APART = re.compile(r'class="(?:note-ref|sidenote|footnote-ref|footnotes-sep|footnotes)\b')
_VOID = frozenset(("br", "hr", "img", "input", "wbr"))
_TAG = re.compile("<[^>]*>")  # no ">" is left unescaped in attribute values, nor "<" in text


class QuotableText:
    """An article body's text for TextQuoteSelectors (see the module's docstring): the body HTML (with its
    mention placeholders) without tags, entities read, the notes and footnotes left out; where each mention
    starts in it; and the places where something was left out, which a prefix or suffix does not cross."""

    def __init__(self, body_html: str) -> None:
        self.starts: dict[int, int] = {}
        self.cuts: list[int] = [0]
        if _APART.search(body_html):
            body_html = _mark_apart(body_html)
        parts, length = [], 0
        # Text and placeholders in turn: "M<index>" opens a mention, "C<index>" closes one, "X" is a cut.
        for i, part in enumerate(_TAG.sub("", body_html).split("\x00")):
            if i % 2:
                if part[0] == "M":
                    self.starts[int(part[1:])] = length
                elif part == "X":
                    self.cuts.append(length)
            else:
                text = html.unescape(part) if "&" in part else part
                parts.append(text)
                length += len(text)
        self.text = "".join(parts)
        self.cuts.append(length)

    def quote(self, index: int, length: int) -> tuple[str, str, str]:
        """(prefix, exact, suffix) of the mention `index`, `length` characters long."""
        start = self.starts[index]
        end = start + length
        before = self.cuts[bisect.bisect_right(self.cuts, start) - 1]
        after = self.cuts[bisect.bisect_left(self.cuts, end)]
        return (self.text[max(before, start - CONTEXT_LENGTH):start], self.text[start:end],
                self.text[end:min(after, end + CONTEXT_LENGTH)])


# Annotations and their pages are written as json.dumps(..., ensure_ascii=False, separators=(",", ":"))
# would write them, filled in with json's own string encoder: a third of the cost of building dicts and
# dumping them (10,000 pages at 10,000 articles).


def article_annotations(config: SiteConfig, graph: SiteGraph, slug: str, doc: ParsedDocument,
                        bodies: dict[str, str] | None = None) -> list[str]:
    """One Annotation (as JSON) per resolved mention in the article's text `doc` (mentions inside notes
    and footnotes are left out, as their text is: see QuotableText). `bodies` keeps each entity's body
    (its page's URL, as JSON) from page to page."""
    bodies = {} if bodies is None else bodies
    page = json_string(site_url(config, f"articles/{slug}/", 1))
    anchor = json_string(site_url(config, f"{page_path(slug)}#m-", 1))[:-1]  # the id's JSON string, unclosed
    ids = graph.resolved.get(slug, ())
    text = QuotableText(doc.html)
    items = []
    for mention in doc.mentions:
        entity_id = ids[mention.index]
        if entity_id is None or mention.in_note or mention.index not in text.starts:
            continue
        body = bodies.get(entity_id)
        if body is None:
            body = bodies[entity_id] = json_string(site_url(config, f"entities/{entity_id}/", 1))
        prefix, exact, suffix = text.quote(mention.index, len(mention.text))
        items.append(
            f'{{"@context":"{CONTEXT}","id":{anchor}{mention.index + 1}","type":"Annotation",'
            f'"motivation":"identifying","body":{body},"target":{{"source":{page},"selector":{{'
            f'"type":"TextQuoteSelector","exact":{json_string(exact)},'
            f'"prefix":{json_string(prefix)},"suffix":{json_string(suffix)}}}}}}}')
    return items


def annotation_page(config: SiteConfig, slug: str, items: list[str],
                    prev_slug: str | None, next_slug: str | None) -> bytes:
    """One article's annotations (from article_annotations) as one page of the site's collection, chained
    to its neighbours.

    No `startIndex` (a SHOULD in the model): it would make every page depend on the counts of all
    the pages before it, so adding one mention would rewrite thousands of files on a rebuild.
    """
    head = (f'{{"@context":"{CONTEXT}","id":{json_string(site_url(config, page_path(slug), 1))},'
            f'"type":"AnnotationPage","partOf":{json_string(site_url(config, COLLECTION_PATH, 1))}')
    if prev_slug:
        head += f',"prev":{json_string(site_url(config, page_path(prev_slug), 1))}'
    if next_slug:
        head += f',"next":{json_string(site_url(config, page_path(next_slug), 1))}'
    return f'{head},"items":[{",".join(items)}]}}\n'.encode()


def site_collection(config: SiteConfig, slugs: list[str], total: int) -> dict[str, Any]:
    """The site-wide AnnotationCollection: a small file pointing at the first and last article's page,
    rather than every annotation again in one file (52 MB at 10,000 articles)."""
    data: dict[str, Any] = {"@context": CONTEXT, "id": site_url(config, COLLECTION_PATH),
                            "type": "AnnotationCollection", "label": f"Entity mentions in {config.title}",
                            "total": total}
    if slugs:
        data["first"] = site_url(config, page_path(slugs[0]))
        data["last"] = site_url(config, page_path(slugs[-1]))
    return data


def annotation_json(data: dict[str, Any]) -> bytes:
    # Compact separators keep json on its C encoder.
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _mark_apart(body_html: str) -> str:
    """The body HTML with each note, note number and footnote (see _APART) replaced by a cut placeholder
    ("X" between NULs: markdown-it turns any NUL of the text into U+FFFD, so none is forged)."""
    pieces = body_html.split("<")
    out = [pieces[0]]
    skipping, depth = "", 0
    for piece in pieces[1:]:
        tag = piece[:piece.find(">")]
        name = tag.split(None, 1)[0].strip("/") if tag else ""
        if skipping:
            if name == skipping:
                depth += -1 if tag.startswith("/") else 1
                if not depth:
                    skipping = ""
                    out.append(piece[len(tag) + 1:])
            continue
        if 'class="' in tag and not tag.startswith("/") and _APART.search(tag):
            out.append("\x00X\x00")
            if name not in _VOID:
                skipping, depth = name, 1
            else:
                out.append(piece[len(tag) + 1:])
            continue
        out.append("<" + piece)
    return "".join(out)
