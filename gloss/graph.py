"""Graph stage: resolve every mention against the registry and build the cross-links."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from .content import Article, Entity, EntityRegistry
from .errors import GlossError, Problems
from .parse import Mention, ParsedDocument


@dataclass(slots=True)
class MentionSite:
    """Where an entity is mentioned: the passage an entity page quotes and links to."""

    article: Article
    mention: Mention
    sentence: str
    start: int  # mention's span inside `sentence`
    end: int


@dataclass
class SiteGraph:
    articles: list[Article]  # newest first
    documents: dict[str, ParsedDocument]  # article slug -> parsed body
    entity_documents: dict[str, ParsedDocument]  # entity id -> parsed notes
    registry: EntityRegistry
    resolved: dict[tuple[str, int], str] = field(default_factory=dict)  # (doc key, mention index) -> entity id
    sites: dict[str, list[MentionSite]] = field(default_factory=dict)  # entity id -> passages, newest article first
    co_mentions: dict[str, Counter] = field(default_factory=dict)  # entity id -> {other id: shared articles}
    article_entities: dict[str, Counter] = field(default_factory=dict)  # slug -> {entity id: mentions}
    tags: dict[str, list[Article]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)  # mention target -> candidate ids, memoised

    def entity_for(self, key: str, mention: Mention) -> Entity | None:
        entity_id = self.resolved.get((key, mention.index))
        return self.registry.get(entity_id) if entity_id else None

    def articles_mentioning(self, entity_id: str) -> list[Article]:
        seen: dict[str, Article] = {}
        for site in self.sites.get(entity_id, []):
            seen.setdefault(site.article.slug, site.article)
        return list(seen.values())

    def seen_range(self, entity_id: str) -> tuple[dt.date | None, dt.date | None]:
        dates = [a.date for a in self.articles_mentioning(entity_id) if a.date]
        return (min(dates), max(dates)) if dates else (None, None)

    def entities_by_type(self) -> dict[str, list[Entity]]:
        grouped: dict[str, list[Entity]] = {}
        for entity in sorted(self.registry, key=lambda e: e.name.casefold()):
            grouped.setdefault(entity.type, []).append(entity)
        return grouped


def article_order(article: Article) -> tuple:
    """Newest first; undated articles last, then by title for a stable order."""
    return (article.date is None, -(article.date.toordinal() if article.date else 0), article.title.casefold())


def build_graph(
    articles: list[Article],
    documents: dict[str, ParsedDocument],
    entity_documents: dict[str, ParsedDocument],
    registry: EntityRegistry,
    problems: Problems,
) -> SiteGraph:
    graph = SiteGraph(sorted(articles, key=article_order), documents, entity_documents, registry)
    for key, doc in list(entity_documents.items()):
        _resolve_document(graph, f"entity:{key}", doc, problems)
    for article in graph.articles:
        doc = documents[article.slug]
        counts = _resolve_document(graph, article.slug, doc, problems)
        graph.article_entities[article.slug] = counts
        for mention in doc.mentions:
            entity_id = graph.resolved.get((article.slug, mention.index))
            if entity_id and not mention.in_note:
                sentence, start, end = doc.sentence_around(mention)
                graph.sites.setdefault(entity_id, []).append(MentionSite(article, mention, sentence, start, end))
        for tag in article.tags:
            graph.tags.setdefault(tag, []).append(article)
        _count_co_mentions(graph, counts)
    _drop_self_pairs(graph)
    return graph


def _resolve_document(graph: SiteGraph, key: str, doc: ParsedDocument, problems: Problems) -> Counter:
    counts: Counter = Counter()
    known = graph.lookups
    for mention in doc.mentions:
        found = known.get(mention.target)
        if found is None:
            found = known[mention.target] = graph.registry.candidates(mention.target)
        if len(found) == 1:
            graph.resolved[(key, mention.index)] = found[0]
            counts[found[0]] += 1
        elif not found:
            problems.add(GlossError(
                f"unknown entity '{mention.target}'", doc.path, mention.line, mention.col,
                hint=f"create it with: python build.py new-entity \"{mention.target}\" --type person "
                     "(or organization/place), or fix the name"))
        else:
            names = ", ".join(f"{i} ({graph.registry.by_id[i].name})" for i in found)
            problems.add(GlossError(
                f"ambiguous entity '{mention.target}': it could be {names}", doc.path, mention.line, mention.col,
                hint=f"write the id instead, e.g. [[{found[0]}|{mention.text}]]"))
    return counts


def _count_co_mentions(graph: SiteGraph, counts: Counter) -> None:
    """Each pair of entities in the article shares one more article (Counter.update runs in C)."""
    ids = sorted(counts)
    for entity_id in ids:
        graph.co_mentions.setdefault(entity_id, Counter()).update(ids)


def _drop_self_pairs(graph: SiteGraph) -> None:
    for entity_id, bucket in graph.co_mentions.items():
        bucket.pop(entity_id, None)
