"""Every entity mention exported in the W3C Web Annotation data model (https://www.w3.org/TR/annotation-model/).

One collection per article in `annotations/<slug>.jsonld` and one for the whole site in `annotations.jsonld`.
Each mention is an Annotation whose target is the article, selected by a TextQuoteSelector (the mention's text
plus up to 32 characters either side, taken from the plain text readers see), and whose body is the entity page.
URLs are absolute when site.yml sets base_url, otherwise relative to the site root.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .graph import SiteGraph
from .parse import ParsedDocument

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
CONTEXT_LENGTH = 32  # characters of prefix and suffix


def site_url(config: SiteConfig, path: str) -> str:
    return config.base_url.rstrip("/") + "/" + path if config.base_url else path


def quote_selector(doc: ParsedDocument, offset: int, exact: str) -> dict[str, str]:
    text = doc.text
    return {"type": "TextQuoteSelector", "exact": exact,
            "prefix": text[max(0, offset - CONTEXT_LENGTH):offset],
            "suffix": text[offset + len(exact):offset + len(exact) + CONTEXT_LENGTH]}


def article_annotations(config: SiteConfig, graph: SiteGraph, slug: str) -> list[dict[str, Any]]:
    """One Annotation per resolved mention in the article's text (mentions inside notes are left out)."""
    doc = graph.documents[slug]
    page = site_url(config, f"articles/{slug}/")
    items = []
    for mention in doc.mentions:
        entity = graph.entity_for(slug, mention)
        if entity is None or mention.in_note:
            continue
        exact = doc.text[mention.offset:mention.offset + len(mention.text)]
        items.append({
            "@context": CONTEXT,
            "id": site_url(config, f"annotations/{slug}.jsonld#m-{mention.index + 1}"),
            "type": "Annotation",
            "motivation": "identifying",
            "body": site_url(config, f"entities/{entity.id}/"),
            "target": {"source": page, "selector": quote_selector(doc, mention.offset, exact)},
        })
    return items


def collection(config: SiteConfig, path: str, label: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"@context": CONTEXT, "id": site_url(config, path), "type": "AnnotationCollection", "label": label,
            "total": len(items), "first": {"type": "AnnotationPage", "startIndex": 0, "items": items}}


def items_json(items: list[dict[str, Any]]) -> str:
    """An article's annotations as JSON array members (no brackets): the piece the site-wide
    collection is joined from, so it never has to serialise every annotation again."""
    return json.dumps(items, ensure_ascii=False, separators=(",", ":"))[1:-1]


def joined_collection(config: SiteConfig, path: str, label: str, pieces: list[str], total: int) -> bytes:
    """The collection of `collection()`, with its items given as already serialised pieces."""
    shell = collection(config, path, label, [])
    head = json.dumps(shell, ensure_ascii=False, separators=(",", ":"))
    assert head.endswith('"items":[]}}')
    head = head.replace('"total":0', f'"total":{total}', 1)[:-len("]}}")]
    return (head + ",".join(p for p in pieces if p) + "]}}\n").encode("utf-8")


def annotation_json(data: dict[str, Any]) -> bytes:
    # Compact separators keep json on its C encoder: the site-wide collection is large.
    return (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.write_bytes(annotation_json(data))
