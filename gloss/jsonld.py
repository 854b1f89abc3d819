"""Structured data: the schema.org JSON-LD in each article and entity page's <script> element.

A NewsArticle names every entity it mentions as a Person, Organization or Place, with its aliases
and its Wikidata and other links, so that search engines and re-users can tell who is meant. Each
entity's object is made and written once per build: an article page lists a dozen.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from markupsafe import Markup

from .config import SiteConfig
from .content import Article, Entity
from .graph import SiteGraph
from .urls import article_url, entity_url

# json.dumps makes an encoder at each call with any argument besides the object: one, made once.
JSON = json.JSONEncoder(ensure_ascii=False)
COMPACT_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


class StructuredData:
    """The JSON-LD of one build's pages."""

    def __init__(self, config: SiteConfig, graph: SiteGraph) -> None:
        self.config = config
        self.graph = graph
        self._things: dict[str, dict[str, Any]] = {}  # entity id -> its schema.org JSON-LD object
        self._things_json: dict[str, str] = {}  # and that object as JSON

    def absolute(self, path: str) -> str | None:
        return self.config.base_url.rstrip("/") + "/" + path if self.config.base_url else None

    def article_json_ld(self, article: Article) -> Markup:
        counts = self.graph.article_entities.get(article.slug, Counter())
        data = {
            "@context": "https://schema.org", "@type": "NewsArticle", "headline": article.title,
            "datePublished": article.date.isoformat() if article.date else None,
            "description": article.summary or None,
            "author": {"@type": "Person", "name": article.author} if article.author else None,
            "dateline": str(article.dateline) if article.dateline else None,
            "mentions": sorted(counts), "url": self.absolute(article_url(article.slug)),
            "inLanguage": self.config.language, "keywords": article.tags,
        }
        mentions = ", ".join(self._thing_json(self.graph.registry.by_id[i]) for i in data["mentions"])
        return json_ld(data, {"mentions": f"[{mentions}]"})

    def entity_json_ld(self, entity: Entity) -> Markup:
        return json_ld({"@context": "https://schema.org", **self._thing(entity),
                        "description": entity.description or None})

    def _thing(self, entity: Entity) -> dict[str, Any]:
        """The entity as a schema.org object, made once per build: each article page lists a dozen."""
        thing = self._things.get(entity.id)
        if thing is None:
            thing = self._things[entity.id] = self._make_thing(entity)
        return thing

    def _thing_json(self, entity: Entity) -> str:
        """_thing as JSON, written once per build: each article page lists a dozen."""
        text = self._things_json.get(entity.id)
        if text is None:
            text = self._things_json[entity.id] = JSON.encode(self._thing(entity))
        return text

    def _make_thing(self, entity: Entity) -> dict[str, Any]:
        kind = {"person": "Person", "organization": "Organization", "place": "Place"}.get(entity.type, "Thing")
        same_as = list(entity.links.values())
        if entity.wikidata:
            same_as.append(f"https://www.wikidata.org/wiki/{entity.wikidata}")
        thing: dict[str, Any] = {"@type": kind, "name": entity.name}
        if entity.aliases:
            thing["alternateName"] = entity.aliases
        if same_as:
            thing["sameAs"] = same_as
        url = self.absolute(entity_url(entity.id))
        if url:
            thing["url"] = url
        return thing


def json_ld(data: dict[str, Any], encoded: dict[str, str] | None = None) -> Markup:
    """JSON for a <script> element: '<', '>' and '&' escaped so text cannot close the element. Values
    empty or None are left out; `encoded` gives the JSON of some keys' values, written beforehand."""
    clean = {k: v for k, v in data.items() if v not in (None, [], "")}
    text = _dumps_in_order(clean, encoded) if encoded else JSON.encode(clean)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def _dumps_in_order(data: dict[str, Any], encoded: dict[str, str]) -> str:
    """What json.dumps(data) writes, with the values of `encoded`'s keys as given there."""
    pieces: list[str] = []
    run: dict[str, Any] = {}
    for key, value in data.items():
        if key in encoded:
            if run:
                pieces.append(JSON.encode(run)[1:-1])
                run = {}
            pieces.append(f"{JSON.encode(key)}: {encoded[key]}")
        else:
            run[key] = value
    if run:
        pieces.append(JSON.encode(run)[1:-1])
    return "{" + ", ".join(pieces) + "}"


__all__ = ["COMPACT_JSON", "JSON", "StructuredData", "json_ld"]
