"""Graph stage: resolve every mention against the registry and build the cross-links."""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from .content import Article, Entity, EntityRegistry, slugify
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
    # doc key (an article's slug, or "entity:<id>" for an entity's notes) -> the entity id of each of its
    # mentions by index, None where it names no entity or several
    resolved: dict[str, tuple[str | None, ...]] = field(default_factory=dict)
    sites: dict[str, list[MentionSite]] = field(default_factory=dict)  # entity id -> passages, newest article first
    co_mentions: dict[str, Counter] = field(default_factory=dict)  # entity id -> {other id: shared articles}
    article_entities: dict[str, Counter] = field(default_factory=dict)  # slug -> {entity id: mentions}
    tags: dict[str, list[Article]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)  # mention target -> candidate ids, memoised
    link_problems: dict[str, list[GlossError]] = field(default_factory=dict)  # doc key -> unresolved mentions
    relinked: set[str] | None = None  # slugs `update_graph` linked again (None: all, by build_graph)
    # Memos of quoting_articles and quoting_by_year, per entity id; update_graph drops the touched ones.
    quoting: dict[str, list[list[MentionSite]]] = field(default_factory=dict)
    quoting_years: dict[str, dict[str, list[list[MentionSite]]]] = field(default_factory=dict)
    # Memos of article_count and years_quoting: the page list needs only these for every entity, and
    # grouping all passages for it would be done before the render workers start, on one core.
    counts: dict[str, int] = field(default_factory=dict)
    year_keys: dict[str, list[str]] = field(default_factory=dict)
    years: list[tuple[str, int]] | None = None  # memo of article_years
    # place id -> the articles datelined there (place or region), newest first: a dateline links the article
    # to its place (the place's page lists it) but is not a passage, so it is not in `sites`
    datelines: dict[str, list[Article]] = field(default_factory=dict)
    # id -> path of each entity file that could not be read: a mention of it is unknown for that reason
    broken: dict[str, str] = field(default_factory=dict)

    def linked_count(self) -> int:
        """Mentions that name exactly one entity, in articles and entity notes."""
        return sum(len(ids) - ids.count(None) for ids in self.resolved.values())

    def articles_mentioning(self, entity_id: str) -> list[Article]:
        return [sites[0].article for sites in self.quoting_articles(entity_id)]

    def article_count(self, entity_id: str) -> int:
        found = self.counts.get(entity_id)
        if found is None:
            grouped = self.quoting.get(entity_id)
            found = self.counts[entity_id] = (len(grouped) if grouped is not None else
                                              len({site.article.slug for site in self.sites.get(entity_id, ())}))
        return found

    def years_quoting(self, entity_id: str) -> list[str]:
        """The years of entity_years, without counting the articles of each."""
        found = self.year_keys.get(entity_id)
        if found is None:
            grouped = self.quoting_years.get(entity_id)
            if grouped is not None:
                years = set(grouped)
            else:  # distinct dates first: far fewer than passages
                dates = {site.article.date for site in self.sites.get(entity_id, ())}
                years = {date_year(date) for date in dates}
            found = self.year_keys[entity_id] = sorted(years, key=lambda year: year_order((year, 0)))
        return found

    def quoting_articles(self, entity_id: str) -> list[list[MentionSite]]:
        """The entity's passages grouped by article, newest article first."""
        found = self.quoting.get(entity_id)
        if found is None:
            groups: dict[str, list[MentionSite]] = {}
            for site in self.sites.get(entity_id, ()):
                groups.setdefault(site.article.slug, []).append(site)
            found = self.quoting[entity_id] = list(groups.values())
        return found

    def quoting_by_year(self, entity_id: str) -> dict[str, list[list[MentionSite]]]:
        """quoting_articles by year of the article, newest year first, "undated" last."""
        found = self.quoting_years.get(entity_id)
        if found is None:
            years: dict[str, list[list[MentionSite]]] = {}
            for sites in self.quoting_articles(entity_id):
                years.setdefault(article_year(sites[0].article), []).append(sites)
            found = self.quoting_years[entity_id] = dict(sorted(years.items(), key=lambda item: year_order(item)))
        return found

    def entity_years(self, entity_id: str) -> list[tuple[str, int]]:
        """(year, articles quoting the entity) newest first, "undated" last."""
        return [(year, len(groups)) for year, groups in self.quoting_by_year(entity_id).items()]

    def article_years(self) -> list[tuple[str, int]]:
        """(year, articles) newest first; undated articles last, under "undated"."""
        if self.years is None:
            self.years = sorted(Counter(article_year(a) for a in self.articles).items(), key=year_order)
        return self.years

    def entities_by_type(self) -> dict[str, list[Entity]]:
        grouped: dict[str, list[Entity]] = {}
        for entity in sorted(self.registry, key=lambda e: e.name.casefold()):
            grouped.setdefault(entity.type, []).append(entity)
        return grouped


def article_year(article: Article) -> str:
    return date_year(article.date)


def date_year(date: dt.date | None) -> str:
    return str(date.year) if date else "undated"


def year_order(item: tuple[str, int]) -> tuple:
    return item[0] == "undated", -int(item[0]) if item[0].isdigit() else 0


def article_order(article: Article) -> tuple:
    """Newest first; undated articles last, then by title for a stable order."""
    return (article.date is None, -(article.date.toordinal() if article.date else 0), article.title.casefold())


def build_graph(
    articles: list[Article],
    documents: dict[str, ParsedDocument],
    entity_documents: dict[str, ParsedDocument],
    registry: EntityRegistry,
    problems: Problems,
    broken: dict[str, str] | None = None,
) -> SiteGraph:
    """`broken`: id -> path of each entity file with an error (mentions of it say so)."""
    graph = SiteGraph(sorted(articles, key=article_order), documents, entity_documents, registry,
                      broken=broken or {})
    for key, doc in list(entity_documents.items()):
        _resolve_document(graph, f"entity:{key}", doc)
    # Co-mentions are counted at the end, each entity's in one Counter call (in C): the ids of the
    # entities in every article it is in, one after the other. Counting them article by article
    # took 0.15 s at 10,000 articles, with one core idle.
    together: dict[str, list[str]] = {}
    for article in graph.articles:
        ids = co_mentioned(_link_article(graph, article, graph.sites, graph.counts))
        for entity_id in ids:
            found = together.get(entity_id)
            if found is None:
                together[entity_id] = list(ids)
            else:
                found += ids
    graph.co_mentions = {entity_id: Counter(ids) for entity_id, ids in together.items()}
    _list_tags(graph)
    _list_datelines(graph)
    _drop_self_pairs(graph, graph.co_mentions)
    _report(graph, problems)
    return graph


def update_graph(
    old: SiteGraph,
    articles: list[Article],
    documents: dict[str, ParsedDocument],
    problems: Problems,
) -> SiteGraph:
    """`old` with only the edited, added and removed articles linked again; the entities must be the
    ones `old` was built with. Linking everything again costs 0.5 s at 10,000 articles, this a few ms.

    An article counts as edited when its Article or ParsedDocument is a different object: the builder
    keeps the same objects for files whose text did not change.
    """
    before = {a.slug: a for a in old.articles}
    now = {a.slug: a for a in articles}
    changed = {slug for slug in before.keys() | now.keys()
               if before.get(slug) is not now.get(slug) or old.documents.get(slug) is not documents.get(slug)}
    # Sorting 10,000 articles and listing their tags again is most of an update: skip both when the
    # edited articles keep their place and tags (the usual case: text edited).
    in_place = all(slug in before and slug in now and article_order(before[slug]) == article_order(now[slug])
                   and before[slug].tags == now[slug].tags for slug in changed)
    ordered = [now[a.slug] for a in old.articles] if in_place else sorted(articles, key=article_order)
    graph = SiteGraph(ordered, documents, old.entity_documents, old.registry,
                      resolved=dict(old.resolved), sites=dict(old.sites), co_mentions=dict(old.co_mentions),
                      article_entities=dict(old.article_entities), lookups=old.lookups,
                      link_problems=dict(old.link_problems), quoting=dict(old.quoting),
                      quoting_years=dict(old.quoting_years), counts=dict(old.counts), year_keys=dict(old.year_keys),
                      broken=old.broken)
    touched: set[str] = set()  # entities whose passages or companions change
    for slug in changed & before.keys():
        counts = graph.article_entities.pop(slug)
        touched.update(counts)
        _count_co_mentions(graph.co_mentions, counts, -1, copy=True)
        graph.resolved.pop(slug, None)
        graph.link_problems.pop(slug, None)
    added_sites: dict[str, list[MentionSite]] = {}
    for slug in changed & now.keys():
        counts = _link_article(graph, now[slug], added_sites)
        touched.update(counts)
        _count_co_mentions(graph.co_mentions, counts, 1, copy=True)
    position = {a.slug: i for i, a in enumerate(graph.articles)}

    def order(site: MentionSite) -> tuple[int, int]:
        return position[site.article.slug], site.mention.index

    for entity_id in touched:
        for memo in (graph.quoting, graph.quoting_years, graph.counts, graph.year_keys):
            memo.pop(entity_id, None)
        # The unchanged articles keep their order among themselves: insert into it, never sort it.
        sites = [s for s in graph.sites.get(entity_id, ()) if s.article.slug not in changed]
        for site in added_sites.get(entity_id, []):
            bisect.insort(sites, site, key=order)
        if sites:
            graph.sites[entity_id] = sites
        else:
            graph.sites.pop(entity_id, None)
    if in_place:
        graph.years = old.years  # no article added, removed or given another date
        edited = {tag for slug in changed for tag in now[slug].tags}
        graph.tags = {tag: [now[a.slug] for a in listed] if tag in edited else listed
                      for tag, listed in old.tags.items()}
    else:
        _list_tags(graph)
    if any(a.dateline for slug in changed for a in (before.get(slug), now.get(slug)) if a):
        _list_datelines(graph)
    else:
        graph.datelines = old.datelines
    _drop_self_pairs(graph, {i: graph.co_mentions[i] for i in touched if i in graph.co_mentions})
    graph.relinked = changed
    _report(graph, problems)
    return graph


def _link_article(graph: SiteGraph, article: Article, sites: dict[str, list[MentionSite]],
                  article_counts: dict[str, int] | None = None) -> Counter:
    """Resolve an article's mentions, add the passages it gives each entity to `sites` (mentions inside
    notes give none), and return how often it mentions each entity. `article_counts`, when given, counts
    the article for each entity it gives passages to (SiteGraph.article_count, made here at no cost)."""
    doc = graph.documents[article.slug]
    linked = _resolve_document(graph, article.slug, doc)
    quoted = set()
    for mention, entity_id in linked:
        if not mention.in_note:
            sentence, start, end = doc.sentence_around(mention)
            site = MentionSite(article, mention, sentence, start, end)
            found = sites.get(entity_id)
            if found is None:
                sites[entity_id] = [site]
            else:
                found.append(site)
            quoted.add(entity_id)
    dateline_problems = _check_dateline(graph, article)
    if dateline_problems:
        graph.link_problems.setdefault(article.slug, []).extend(dateline_problems)
    if article_counts is not None:
        for entity_id in quoted:
            article_counts[entity_id] = article_counts.get(entity_id, 0) + 1
    counts = graph.article_entities[article.slug] = Counter(entity_id for _, entity_id in linked)
    return counts


def _list_tags(graph: SiteGraph) -> None:
    for article in graph.articles:
        for tag in article.tags:
            graph.tags.setdefault(tag, []).append(article)


def _list_datelines(graph: SiteGraph) -> None:
    graph.datelines = {}
    for article in graph.articles:
        if article.dateline:
            for place in dict.fromkeys((article.dateline.place, article.dateline.region_place)):
                if place in graph.registry.by_id:
                    graph.datelines.setdefault(place, []).append(article)


def _check_dateline(graph: SiteGraph, article: Article) -> list[GlossError]:
    """A dateline's place and region must be entities, and not people."""
    dateline, found = article.dateline, []
    if dateline is None:
        return found
    for place, text in ((dateline.place, dateline.text), (dateline.region_place, dateline.region)):
        entity = graph.registry.get(place) if place else None
        if place and entity is None and place in graph.broken:
            found.append(_broken_entity(graph, place, f"unknown place '{place}' in the dateline", article.path,
                                        dateline.line, 1))
        elif place and entity is None:
            found.append(GlossError(
                f"unknown place '{place}' in the dateline", article.path, dateline.line, 1,
                hint=f"create it with: python build.py new-entity \"{text}\" --type place --id {place}, "
                     "or fix the id"))
        elif entity is not None and entity.type == "person":
            found.append(GlossError(
                f"the dateline's place '{place}' is a person ({entity.name})", article.path, dateline.line, 1,
                severity="warning", hint="link the dateline to a place entity, or correct the entity's type"))
    return found


def _report(graph: SiteGraph, problems: Problems) -> None:
    for found in graph.link_problems.values():
        for problem in found:
            problems.add(problem)


def _resolve_document(graph: SiteGraph, key: str, doc: ParsedDocument) -> list[tuple[Mention, str]]:
    """Each mention that names exactly one entity, with its id; the others are kept as problems."""
    linked = []
    ids: list[str | None] = []
    known = graph.lookups
    found_problems = []
    for mention in doc.mentions:
        found = known.get(mention.target)
        if found is None:
            found = known[mention.target] = graph.registry.candidates(mention.target)
        ids.append(found[0] if len(found) == 1 else None)
        if len(found) == 1:
            linked.append((mention, found[0]))
        elif not found and (cause := _broken_target(graph, mention.target)):
            found_problems.append(_broken_entity(graph, cause, f"unknown entity '{mention.target}'", doc.path,
                                                 mention.line, mention.col))
        elif not found:
            found_problems.append(GlossError(
                f"unknown entity '{mention.target}'", doc.path, mention.line, mention.col,
                hint=_unknown_hint(graph.registry, mention.target)))
        else:
            names = ", ".join(f"{i} ({graph.registry.by_id[i].name})" for i in found)
            found_problems.append(GlossError(
                f"ambiguous entity '{mention.target}': it could be {names}", doc.path, mention.line, mention.col,
                hint=f"write the id instead, e.g. [[{found[0]}|{mention.text}]]"))
    graph.resolved[key] = tuple(ids)
    if found_problems:
        graph.link_problems[key] = found_problems
    return linked


def _unknown_hint(registry: EntityRegistry, target: str) -> str:
    """The entities the target may be a typo of, then how to create it."""
    create = (f"create it with: python build.py new-entity \"{target}\" --type person "
              "(or organization/place), or fix the name")
    close = registry.closest(target)
    if not close:
        return create
    options = " or ".join(f"`{i}` ({registry.by_id[i].name})" for i in close)
    return f"did you mean {options}? Otherwise {create}"
def _broken_target(graph: SiteGraph, target: str) -> str | None:
    """The id of the unreadable entity file a mention target names (as its id, or a name that makes it)."""
    if not graph.broken:
        return None
    for entity_id in (target.strip(), slugify(target)):
        if entity_id in graph.broken:
            return entity_id
    return None


def _broken_entity(graph: SiteGraph, entity_id: str, message: str, path: object, line: int, col: int | None
                   ) -> GlossError:
    """A mention of an entity whose file has an error: that error is the cause, said once at the file."""
    where = graph.broken[entity_id]
    return GlossError(f"{message}: {where} has an error, so {entity_id} is not loaded", path, line, col,
                      hint=f"fix the error reported in {where}; this mention will then link")


def _count_co_mentions(co_mentions: dict[str, Counter], counts: Counter, sign: int, copy: bool = False) -> None:
    """Each pair of entities in the article shares one more (or one fewer) article. Counter.update
    runs in C; `copy` first copies each Counter it changes, which may be shared with an older graph."""
    ids = co_mentioned(counts)
    for entity_id in ids:
        bucket = co_mentions.get(entity_id)
        bucket = Counter() if bucket is None else Counter(bucket) if copy else bucket
        if sign > 0:
            bucket.update(ids)
        else:
            bucket.subtract(ids)
            for other in ids:
                if bucket[other] <= 0:
                    del bucket[other]
        co_mentions[entity_id] = bucket


# An article counts towards "mentioned with" for this many of its entities, the most mentioned in it:
# all of them in any real article. Its pairs grow as the square, and one article naming 40,000
# entities made 1.6 billion.
CO_MENTION_LIMIT = 200


def co_mentioned(counts: Counter) -> list[str]:
    """The ids of an article's entities that count as mentioned with each other, sorted."""
    if len(counts) <= CO_MENTION_LIMIT:
        return sorted(counts)
    return sorted(sorted(counts, key=lambda entity_id: (-counts[entity_id], entity_id))[:CO_MENTION_LIMIT])


def _drop_self_pairs(graph: SiteGraph, buckets: dict[str, Counter]) -> None:
    """An entity is not its own companion; one never mentioned with another has no entry."""
    for entity_id, bucket in list(buckets.items()):
        bucket.pop(entity_id, None)
        if not bucket:
            del graph.co_mentions[entity_id]
