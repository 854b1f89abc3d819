"""Every entity mention exported in the W3C Web Annotation data model (https://www.w3.org/TR/annotation-model/).

The site's AnnotationCollection is `annotations.jsonld`; its pages, one per article in the site's order
and chained by `prev` and `next`, are `annotations/<slug>.jsonld` (the model's own paging, section 5).
Each mention is an Annotation whose target is the article, selected by a TextQuoteSelector (the mention's text
plus up to 32 characters either side, taken from the plain text readers see), and whose body is the entity page.
URLs are absolute when site.yml sets base_url, otherwise relative to the site root.
"""

from __future__ import annotations

import json
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


def site_url(config: SiteConfig, path: str) -> str:
    return config.base_url.rstrip("/") + "/" + path if config.base_url else path


# Annotations and their pages are written as json.dumps(..., ensure_ascii=False, separators=(",", ":"))
# would write them, filled in with json's own string encoder: a third of the cost of building dicts and
# dumping them (10,000 pages at 10,000 articles).


def article_annotations(config: SiteConfig, graph: SiteGraph, slug: str, doc: ParsedDocument,
                        bodies: dict[str, str] | None = None) -> list[str]:
    """One Annotation (as JSON) per resolved mention in the article's text `doc` (mentions inside notes
    are left out). `bodies` keeps each entity's body (its page's URL, as JSON) from page to page."""
    bodies = {} if bodies is None else bodies
    page = json_string(site_url(config, f"articles/{slug}/"))
    anchor = json_string(site_url(config, f"{page_path(slug)}#m-"))[:-1]  # the id's JSON string, unclosed
    text, ids = doc.text, graph.resolved.get(slug, ())
    items = []
    for mention in doc.mentions:
        entity_id = ids[mention.index]
        if entity_id is None or mention.in_note:
            continue
        body = bodies.get(entity_id)
        if body is None:
            body = bodies[entity_id] = json_string(site_url(config, f"entities/{entity_id}/"))
        start, end = mention.offset, mention.offset + len(mention.text)
        items.append(
            f'{{"@context":"{CONTEXT}","id":{anchor}{mention.index + 1}","type":"Annotation",'
            f'"motivation":"identifying","body":{body},"target":{{"source":{page},"selector":{{'
            f'"type":"TextQuoteSelector","exact":{json_string(text[start:end])},'
            f'"prefix":{json_string(text[max(0, start - CONTEXT_LENGTH):start])},'
            f'"suffix":{json_string(text[end:end + CONTEXT_LENGTH])}}}}}}}')
    return items


def annotation_page(config: SiteConfig, slug: str, items: list[str],
                    prev_slug: str | None, next_slug: str | None) -> bytes:
    """One article's annotations (from article_annotations) as one page of the site's collection, chained
    to its neighbours.

    No `startIndex` (a SHOULD in the model): it would make every page depend on the counts of all
    the pages before it, so adding one mention would rewrite thousands of files on a rebuild.
    """
    head = (f'{{"@context":"{CONTEXT}","id":{json_string(site_url(config, page_path(slug)))},'
            f'"type":"AnnotationPage","partOf":{json_string(site_url(config, COLLECTION_PATH))}')
    if prev_slug:
        head += f',"prev":{json_string(site_url(config, page_path(prev_slug)))}'
    if next_slug:
        head += f',"next":{json_string(site_url(config, page_path(next_slug)))}'
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

