"""Render stage: the content of each kind of page, made from the site graph and put through the
theme's templates (gloss/templates.py).

Which pages there are and which an edit touches is gloss/pageplan.py; where they live, gloss/urls.py;
their JSON-LD, gloss/jsonld.py; writing them to disk, gloss/pagewriter.py.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import heapq
import itertools
import json
import operator
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from .annotations import annotation_json, annotation_page, article_annotations, site_collection
from .config import SiteConfig
from .content import Article, Entity
from .errors import GlossError
from .graph import MentionSite, SiteGraph, article_year
from .jsonld import COMPACT_JSON, StructuredData
from .markup import MENTION_PLACEHOLDER
from .pageplan import PageSpec
from .parse import ParsedDocument
from .svggraph import Edge, Node, circle_graph, ego_graph
from .symlinks import check_tree
from .templates import jinja_env, template_error
from .timeline import timeline
from .urls import (
    archive_url,
    article_url,
    climb_to_root,
    entity_url,
    entity_year_url,
    relative,
    tag_url,
)
from .words import counted, in_words

# ---------------------------------------------------------------- what render rules read


class MentionTags(NamedTuple):
    """How a mention of one entity is drawn from pages at one depth: the tags around its text, all
    but the anchor id made once per build (an article page draws a dozen mentions)."""

    head: str  # the opening tag up to its id's value
    tail: str  # the rest of the opening tag, after the id's value
    close: str

    @classmethod
    def make(cls, entity: Entity, href: str, linked: bool, card: str) -> MentionTags:
        """The first mention of an entity in its paragraph is a link; later ones are quieter."""
        kind = html_text(entity.type)
        if linked:
            return cls(f'<a href="{html_text(href)}" class="mention mention-{kind}" id="', f'" {card}>', "</a>")
        return cls(f'<span class="mention mention-{kind} mention-repeat" id="', f'" {card}>', "</span>")


def card_attributes(entity: Entity) -> str:
    """The escaped data-* and title attributes of an entity's mentions, made once per entity."""
    return (f'data-entity="{escape(entity.id)}" data-type="{escape(entity.type)}" data-name="{escape(entity.name)}" '
            f'data-description="{escape(entity.description)}" title="{escape(_card_title(entity))}"')


_HTML_SPECIAL = re.compile("[&<>'\"]")


def html_text(value: str) -> str:
    """What markupsafe.escape gives, as a plain str: the loops that build passages and mention tags
    call it hundreds of thousands of times, and making a Markup object each time cost more than the
    escaping."""
    return (value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


def _card_title(entity: Entity) -> str:
    return f"{entity.name} ({entity.type})" + (f": {entity.description}" if entity.description else "")


# ---------------------------------------------------------------- pages


@dataclass
class Page:
    path: str  # output file, relative to the site root, with "/" separators
    template: str
    context: dict[str, Any]
    root: str | None = None  # what its links start with; None: relative links (see `climb_to_root`)

    @property
    def url(self) -> str:
        return self.path[: -len("index.html")] if self.path.endswith("index.html") else self.path


def article_neighbours(slugs: list[str]) -> dict[str, tuple[str | None, str | None]]:
    return {slug: (slugs[i - 1] if i else None, slugs[i + 1] if i + 1 < len(slugs) else None)
            for i, slug in enumerate(slugs)}


class Renderer:
    """Turns a SiteGraph into pages using the theme; one method per kind of page."""

    def __init__(self, config: SiteConfig, graph: SiteGraph, md: MarkdownIt, build_time: dt.datetime,
                 env: jinja2.Environment | None = None) -> None:
        self.config = config
        self.graph = graph
        self.md = md
        self.build_time = build_time
        self.env = env or jinja_env(config)
        self._article_by_slug: dict[str, Article] | None = None
        self._cards: dict[str, str] = {}
        self._mention_tag_cache: dict[tuple[str, int, bool], MentionTags] = {}
        self.structured = StructuredData(config, graph)
        self._types = {t.id: t for t in config.entity_types}  # the entity types, for every template
        self._bodies: dict[str, str] = {}  # entity id -> its annotations' body (see article_annotations)
        self._passage_heads: dict[tuple[str, int], tuple[str, str, str]] = {}  # see passage_group_html
        self._whos_who_entries: dict[tuple[str, int], str] = {}  # (entity id, page depth) -> opening of its item
        self._neighbours: dict[str, tuple[str | None, str | None]] | None = None
        self._postings: dict[str, list[int]] = {}  # entity id -> places of the articles quoting it (see more_on)
        self._position: dict[str, int] | None = None  # slug -> place in the site's order
        self._said: dict[str, list[tuple[Article, int, str]]] | None = None  # see said_by
        self._more_heads: dict[tuple[str, int], str] = {}  # see more_html
        # slug -> (entity id, depth) -> HTML, kept by the builder between rebuilds; None: no keeping
        self.passage_cache: dict[str, dict[tuple[str, int], str]] | None = {}
        # Reads an article's full document when the graph holds a lightened one (set by the builder).
        self.load_document: Callable[[str], ParsedDocument] | None = None
        self._loaded: tuple[str, ParsedDocument] | None = None

    # -- body HTML

    def document(self, slug: str) -> ParsedDocument:
        """The article's parsed document with its HTML and text (an article page and its annotations,
        rendered one after the other, read it once)."""
        doc = self.graph.documents[slug]
        if not doc.light or self.load_document is None:
            return doc
        if self._loaded is None or self._loaded[0] != slug:
            self._loaded = (slug, self.load_document(slug))
        return self._loaded[1]

    def body_html(self, key: str, doc: ParsedDocument, page_path: str) -> Markup:
        ids = self.graph.resolved.get(key, ())
        tags: dict[int, tuple[str, str]] = {}
        seen_in_block: set[tuple[int, str]] = set()
        for mention in doc.mentions:
            entity_id = ids[mention.index]
            if entity_id is None:
                continue
            first = (mention.block, entity_id) not in seen_in_block
            if first:
                seen_in_block.add((mention.block, entity_id))
            drawn = self._mention_tags(entity_id, first or self.config.link_mentions == "all", page_path)
            tags[mention.index] = (f"{drawn.head}m-{mention.index + 1}{drawn.tail}", drawn.close)
        return Markup(fill_mentions(doc.html, tags))

    def _mention_tags(self, entity_id: str, linked: bool, page_path: str) -> MentionTags:
        key = (entity_id, page_path.count("/"), linked)  # relative links differ only by the page's depth
        drawn = self._mention_tag_cache.get(key)
        if drawn is None:
            entity = self.graph.registry.by_id[entity_id]
            card = self._cards.get(entity_id) or self._cards.setdefault(entity_id, card_attributes(entity))
            drawn = self._mention_tag_cache[key] = MentionTags.make(
                entity, relative(page_path, entity_url(entity_id)), linked, card)
        return drawn

    # -- pages

    def sitemap_urls(self) -> list[str]:
        urls = ["", "entities/", "tags/"]
        urls += [article_url(a.slug) for a in self.graph.articles]
        urls += [entity_url(e.id) for e in self.graph.registry]
        urls += [tag_url(t) for t in sorted(self.graph.tags)]
        urls += [archive_url(year) for year, _ in self.archive_years()]
        urls += [entity_year_url(i, year) for i, year in self.entity_year_pages()]
        return urls

    def article_page(self, article: Article) -> Page:
        path = article_url(article.slug) + "index.html"
        doc = self.document(article.slug)
        whos_who = self.whos_who(article, doc)
        dateline = self.dateline_html(article, path)
        more = self.more_on(article.slug, doc)
        return Page(path, "article.html", {
            "article": article, "body": lead_with(self.body_html(article.slug, doc, path), dateline),
            "dateline_html": dateline, "whos_who": whos_who, "whos_who_html": self.whos_who_html(whos_who, path),
            "notes": doc.notes,
            "json_ld": self.structured.article_json_ld(article), "more": more, "more_html": self.more_html(more, path),
        })

    def dateline_html(self, article: Article, page_path: str) -> Markup:
        """"London, Wisconsin —" with each place linked to its entity page (the theme sets it in small caps)."""
        dateline = article.dateline
        if dateline is None:
            return Markup("")
        parts = [self._dateline_part(dateline.text, dateline.place, page_path)]
        if dateline.region:
            parts.append(self._dateline_part(dateline.region, dateline.region_place, page_path))
        return Markup(f'<span class="dateline">{", ".join(parts)} —</span>')

    def _dateline_part(self, text: str, place: str, page_path: str) -> str:
        entity = self.graph.registry.get(place) if place else None
        if entity is None:
            return html_text(text)
        return (f'<a href="{html_text(relative(page_path, entity_url(place)))}" '
                f'class="dateline-place mention-{html_text(entity.type)}">{html_text(text)}</a>')

    def more_html(self, more: list[tuple[Article, list[Entity]]], page_path: str) -> Markup:
        """The "more on these people" list as HTML, made in Python like the who's-who list (as a template
        loop it doubled an article page's template time); `more`, the same as data, stays in the context."""
        out = []
        for other, shared in more:
            key = (other.slug, page_path.count("/"))  # an article is listed on many pages at one depth
            head = self._more_heads.get(key)
            if head is None:
                date = (f'<time datetime="{other.date.isoformat()}">{_long_date(other.date)}</time> · '
                        if other.date else "")
                head = self._more_heads[key] = (
                    f'    <li><a href="{html_text(relative(page_path, article_url(other.slug)))}">'
                    f'{html_text(other.title)}</a>\n      <span class="more-meta">{date}with ')
            out.append(f'{head}{html_text(in_words([e.name for e in shared]))}</span></li>\n')
        return Markup("".join(out))

    # "More on these people": the articles that quote most of the same entities. An entity quoted in
    # more articles than MORE_QUOTED_UP_TO (a country, the government) relates none of them: it would
    # make every article a neighbour of thousands, and reading their lists costs as much.
    MORE_ARTICLES = 5
    MORE_QUOTED_UP_TO = 100

    def more_on(self, slug: str, doc: ParsedDocument) -> list[tuple[Article, list[Entity]]]:
        """The MORE_ARTICLES articles quoting most of the entities `doc` quotes (those mentioned in its text,
        as on entity pages), each with the entities they share; ties go to the newer article."""
        ids = self.graph.resolved.get(slug, ())
        quoted = sorted({ids[m.index] for m in doc.mentions if ids[m.index] and not m.in_note})
        counted = [i for i in quoted if self.graph.article_count(i) <= self.MORE_QUOTED_UP_TO]
        # Articles by their place in the site's order, counted and sorted in C: a sort by place, then a
        # stable one by count, gives the most shared first, the newer first among equals.
        shares = Counter(itertools.chain.from_iterable(self.postings(i) for i in counted))
        shares.pop(self.position[slug], None)
        best = sorted(sorted(shares.items()), key=operator.itemgetter(1), reverse=True)[:self.MORE_ARTICLES]
        by_id, articles = self.graph.registry.by_id, self.graph.articles
        return [(articles[place], [by_id[i] for i in counted if _holds(self.postings(i), place)]) for place, _ in best]

    def postings(self, entity_id: str) -> list[int]:
        """The places in the site's order of the articles quoting the entity, in that order."""
        found = self._postings.get(entity_id)
        if found is None:
            position = self.position
            found = [position[sites[0].article.slug] for sites in self.graph.quoting_articles(entity_id)]
            self._postings[entity_id] = found
        return found

    @property
    def position(self) -> dict[str, int]:
        if self._position is None:
            self._position = {a.slug: i for i, a in enumerate(self.graph.articles)}
        return self._position

    def whos_who(self, article: Article, doc: ParsedDocument) -> list[dict[str, Any]]:
        ids, by_id = self.graph.resolved.get(article.slug, ()), self.graph.registry.by_id
        first_anchor: dict[str, str] = {}
        for mention in doc.mentions:
            entity_id = ids[mention.index]
            if entity_id and not mention.in_note and entity_id not in first_anchor:
                first_anchor[entity_id] = f"m-{mention.index + 1}"
        by_type: dict[str, list[tuple[Entity, int, str | None]]] = {}
        for entity_id, count in self.graph.article_entities.get(article.slug, Counter()).items():
            entity = by_id[entity_id]
            by_type.setdefault(entity.type, []).append((entity, count, first_anchor.get(entity_id)))
        groups = []
        for entity_type in self.config.entity_types:
            members = by_type.get(entity_type.id)
            if members:
                members.sort(key=lambda m: (-m[1], m[0].name.casefold()))
                groups.append({"type": entity_type, "entities": members})
        return groups

    def whos_who_html(self, groups: list[dict[str, Any]], page_path: str) -> Markup:
        """The who's-who list as HTML, made in Python like entity passages: as a template loop it took
        two thirds of an article page's template time. An entity's link and description are made once
        per build; only the count and the jump to its first mention differ between articles.
        (`whos_who`, the same list as data, stays in the template context for themes that draw their own.)"""
        out = []
        for group in groups:
            entity_type = group["type"]
            out.append(f'  <section class="whos-who-group">\n    <h3 class="type-{html_text(entity_type.id)}">'
                       f'{html_text(entity_type.plural)}</h3>\n    <ul>\n')
            for entity, count, anchor in group["entities"]:
                out.append(self._whos_who_entry(entity, page_path))
                if anchor:
                    out.append(f'<a class="jump" href="#{html_text(anchor)}">{counted(count, "mention")}'
                               f'<span class="visually-hidden">: go to the first mention of {html_text(entity.name)}'
                               ' in the text</span></a>')
                out.append("      </li>\n")
            out.append("    </ul>\n  </section>\n")
        return Markup("".join(out).removesuffix("\n"))

    def _whos_who_entry(self, entity: Entity, page_path: str) -> str:
        key = (entity.id, page_path.count("/"))  # relative links differ only by the page's depth
        entry = self._whos_who_entries.get(key)
        if entry is None:
            kind = html_text(entity.type)
            entry = (f'      <li class="entity-item type-{kind}">\n        <a href="'
                     f'{html_text(relative(page_path, entity_url(entity.id)))}" class="entity-link mention-{kind}">'
                     f'{html_text(entity.name)}</a>\n')
            if entity.description:
                entry += f'<span class="entity-description">— {html_text(entity.description)}</span>'
            self._whos_who_entries[key] = entry
        return entry

    # A busy entity (site.yml: passages_by_year_after) gets a page of passages per year, and its own
    # page shows the latest ones: its passages run to megabytes, and one edit would rewrite them all.
    ENTITY_LATEST = 20

    def is_busy(self, entity_id: str) -> bool:
        return self.graph.article_count(entity_id) > self.config.passages_by_year_after

    def entity_page(self, entity: Entity) -> Page:
        path = entity_url(entity.id) + "index.html"
        groups = self.graph.quoting_articles(entity.id)
        datelined = self.graph.datelines.get(entity.id, [])
        busy = self.is_busy(entity.id)
        shown = groups[:self.ENTITY_LATEST] if busy else groups
        passages = Markup("".join(self.passage_section(entity.id, sites, path) for sites in shown))
        strongest = self.companions(entity.id)
        related = [(self.graph.registry.by_id[i], n) for i, n in strongest[:12]]
        # Articles come newest first, undated last: the first and last dated ones bound the dates.
        last_seen = next((g[0].article.date for g in groups if g[0].article.date), None)
        first_seen = self.first_seen(entity.id)
        notes_doc = self.graph.entity_documents.get(entity.id)
        notes = self.body_html(f"entity:{entity.id}", notes_doc, path) if notes_doc and notes_doc.html else ""
        return Page(path, "entity.html", {
            "entity": entity, "entity_type": self.config.entity_type(entity.type), "passages": passages,
            "articles_count": len(groups), "years": self.graph.entity_years(entity.id) if busy else [],
            "mention_count": len(self.graph.sites.get(entity.id, [])), "related": related,
            "related_html": self.related_html(related, path),
            "first_seen": first_seen, "last_seen": last_seen, "notes_html": notes,
            "datelines": datelined[:self.ENTITY_LATEST], "datelines_count": len(datelined),
            "json_ld": self.structured.entity_json_ld(entity),
            "graph_svg": self.neighbourhood_graph(entity, path, strongest),
            "timeline": timeline(self._site_dates(entity.id), entity.name), "said": self.said_by(entity.id),
        })

    def _site_dates(self, entity_id: str) -> list[dt.date | None]:
        return [site.article.date for site in self.graph.sites.get(entity_id, ())]

    SAID_SHOWN = 10

    def said_by(self, entity_id: str) -> list[tuple[Article, int, str]]:
        """Who said what: the latest SAID_SHOWN quotations the articles attribute to the entity (see
        parse.attributed_quotes), as (article, mention index, quotation)."""
        if self._said is None:  # every entity's, in one pass over the articles (few have quotations)
            self._said = {}
            for article in self.graph.articles:
                quotes, ids = self.graph.documents[article.slug].quotes, self.graph.resolved.get(article.slug, ())
                for index, quotation in quotes:
                    if ids[index]:
                        self._said.setdefault(ids[index], []).append((article, index, quotation))
        return self._said.get(entity_id, [])[:self.SAID_SHOWN]

    def first_seen(self, entity_id: str) -> dt.date | None:
        """The date of the first dated article quoting the entity (its passages run newest first, undated last)."""
        return next((s.article.date for s in reversed(self.graph.sites.get(entity_id, ())) if s.article.date), None)

    def related_html(self, related: list[tuple[Entity, int]], page_path: str) -> Markup:
        """The "often mentioned with" list as HTML, made in Python like the who's-who list (as a template
        loop it took 62 of the 144 µs of an entity page's template; here, 20); `related` stays in the context."""
        out = []
        for other, count in related:
            kind, href = html_text(other.type), html_text(relative(page_path, entity_url(other.id)))
            out.append(f'      <li class="type-{kind}"><a href="{href}" '
                       f'class="entity-link mention-{kind}">{html_text(other.name)}</a>\n        <span class="count">'
                       f'{counted(count, "article")}</span></li>\n')
        return Markup("".join(out))

    def companions(self, entity_id: str) -> list[tuple[str, int]]:
        """The NEIGHBOURS entities most often in the same articles, strongest first, then by id
        (a busy entity has thousands: picked without sorting them all)."""
        return strongest(self.graph.co_mentions.get(entity_id, {}), self.NEIGHBOURS)

    def entity_year_page(self, entity: Entity, year: str) -> Page:
        path = entity_year_url(entity.id, year) + "index.html"
        groups = self.graph.quoting_by_year(entity.id).get(year, [])
        passages = Markup("".join(self.passage_section(entity.id, sites, path) for sites in groups))
        return Page(path, "entity-year.html", {
            "entity": entity, "entity_type": self.config.entity_type(entity.type), "year": year,
            "years": self.graph.years_quoting(entity.id), "passages": passages,
            "articles_count": len(groups),
        })

    def passage_section(self, entity_id: str, sites: list[MentionSite], page_path: str) -> str:
        """One article's passages on an entity's page. All entity pages are at one depth (and year pages
        at another), so the HTML depends only on the article: the builder keeps it between rebuilds,
        until the article changes."""
        article = sites[0].article
        if self.passage_cache is None:
            return passage_group_html(article, sites, page_path, self._passage_heads)
        kept = self.passage_cache.get(article.slug)
        if kept is None:
            kept = self.passage_cache[article.slug] = {}
        key = (entity_id, page_path.count("/"))  # an entity's page, or one of its year pages
        html = kept.get(key)
        if html is None:
            html = kept[key] = passage_group_html(article, sites, page_path, self._passage_heads)
        return html

    def entities_index(self) -> Page:
        grouped = self.graph.entities_by_type()
        groups = []
        for entity_type in self.config.entity_types:
            members = [(e, len(self.graph.sites.get(e.id, [])), self.graph.article_count(e.id))
                       for e in grouped.get(entity_type.id, [])]
            groups.append({"type": entity_type, "entities": members})
        return Page("entities/index.html", "entities.html", {"groups": groups, "graph_svg": self.index_graph()})

    # -- co-occurrence pictures (static SVG)

    GRAPH_LIMIT = 40  # the index's picture: the most mentioned, with labels readable on a phone
    INDEX_EDGES = 120
    NEIGHBOURS = 60  # ego_graph draws the 24 strongest; ties beyond that are settled by name among these

    def graph_node(self, entity: Entity, page_path: str, weight: int | None = None) -> Node:
        size = len(self.graph.sites.get(entity.id, [])) if weight is None else weight
        return Node(entity.id, entity.name, entity.type, size, relative(page_path, entity_url(entity.id)))

    def graph_edges(self, ids: set[str], limit: int) -> list[Edge]:
        """The `limit` strongest co-mention edges among `ids` (200 busy entities share ~20,000 pairs)."""
        ordered, pairs = sorted(ids), []
        for i, a in enumerate(ordered):  # look up each pair: a busy entity has thousands of companions
            shared = self.graph.co_mentions.get(a, {})
            pairs += [(-shared[b], a, b) for b in ordered[i + 1:] if b in shared]
        return [Edge(a, b, -n) for n, a, b in heapq.nsmallest(limit, pairs)]

    def index_graph(self) -> Markup:
        mentioned = [e for e in self.graph.registry if self.graph.sites.get(e.id)]
        mentioned.sort(key=lambda e: (-len(self.graph.sites[e.id]), e.id))
        shown = mentioned[:self.GRAPH_LIMIT]
        nodes = [self.graph_node(e, "entities/index.html") for e in shown]
        title = "Entities mentioned together" + (f" (the {len(shown)} most mentioned)" if len(mentioned) > len(shown)
                                                 else "")
        return Markup(circle_graph(nodes, self.graph_edges({n.id for n in nodes}, self.INDEX_EDGES),
                                   self.config.type_ids(), title, max_edges=self.INDEX_EDGES, linked=False))

    def neighbourhood_graph(self, entity: Entity, page_path: str,
                            strongest: list[tuple[str, int]] | None = None) -> Markup:
        """The entity and those mentioned in the same articles, sized by articles shared with it.

        Only the entity's own articles shape the picture, so an edit elsewhere never changes this page.
        """
        strongest = self.companions(entity.id) if strongest is None else strongest
        neighbours = [(self.graph_node(self.graph.registry.by_id[i], page_path, weight=n), n) for i, n in strongest]
        return Markup(ego_graph(self.graph_node(entity, page_path), neighbours, [],
                                f"{entity.name} and the entities mentioned with it"))

    HOME_ARTICLES = 30  # the rest are in the archive, one page per year
    FEED_ARTICLES = 50

    def home_page(self) -> Page:
        items = []
        for article in self.graph.articles[:self.HOME_ARTICLES]:
            counts = self.graph.article_entities.get(article.slug, Counter())
            top = [self.graph.registry.by_id[i] for i, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0]))[:5]]
            items.append((article, top))
        return Page("index.html", "home.html", {"items": items, "total": len(self.graph.articles),
                                                "years": self.archive_years()})

    def archive_years(self) -> list[tuple[str, int]]:
        return self.graph.article_years()

    def archive_page(self, year: str) -> Page:
        articles = [a for a in self.graph.articles if article_year(a) == year]
        return Page(archive_url(year) + "index.html", "archive.html",
                    {"year": year, "articles": articles, "years": self.archive_years()})

    def tags_index(self) -> Page:
        return Page("tags/index.html", "tags.html", {"tags": sorted((t, len(a)) for t, a in self.graph.tags.items())})

    def tag_page(self, tag: str, articles: list[Article]) -> Page:
        return Page(tag_url(tag) + "index.html", "tag.html", {"tag": tag, "articles": articles})

    def not_found_page(self) -> Page:
        """A host serves 404.html at any missing address, at any depth: its links cannot be relative.
        They are absolute with base_url, and from the host's root without it."""
        base = self.config.base_url
        return Page("404.html", "404.html", {}, root=base.rstrip("/") + "/" if base else "/")

    def search_page(self) -> Page:
        return Page("search/index.html", "search.html", {})

    def entities_data(self) -> Page:
        """entities.json: what hover cards show that depends on other articles (so article pages need not);
        `first_seen`, the date of the first dated article quoting the entity, where there is one."""
        data = {}
        for e in sorted(self.graph.registry, key=lambda e: e.id):
            entry = data[e.id] = {"name": e.name, "type": e.type, "description": e.description,
                                  "articles": self.graph.article_count(e.id),
                                  "mentions": len(self.graph.sites.get(e.id, [])), "url": entity_url(e.id)}
            first_seen = self.first_seen(e.id)
            if first_seen:
                entry["first_seen"] = first_seen.isoformat()
        # Compact, so json stays on its C encoder (indent= takes the pure-Python one: 4x slower).
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return Page("entities.json", "entities.json", {"data": Markup(text)})

    def entity_card(self, entity_id: str) -> bytes:
        """An entity's card file: the counts and dates a card shows that depend on other articles
        (name, type and description are on each mention). A card fetches it when it first opens."""
        sites = self.graph.sites.get(entity_id, [])  # newest article first, undated last
        last = next((s.article.date for s in sites if s.article.date), None)
        first = next((s.article.date for s in reversed(sites) if s.article.date), None)
        card = {"articles": self.graph.article_count(entity_id), "mentions": len(sites),
                "first": first.isoformat() if first else None, "last": last.isoformat() if last else None}
        return COMPACT_JSON.encode(card).encode("utf-8")

    # -- what to render, and rendering one page

    def entity_year_pages(self) -> list[tuple[str, str]]:
        """(entity id, year) of every year page, the busy entities' in id order."""
        busy = [i for i in sorted(self.graph.sites) if self.is_busy(i)]
        return [(i, year) for i in busy for year in self.graph.years_quoting(i)]

    def list_counts(self) -> tuple[list[tuple[str, int]], dict[str, int]]:
        """Articles per year and per tag: what the year and tag lists show."""
        return self.archive_years(), {tag: len(articles) for tag, articles in self.graph.tags.items()}

    def page_for(self, spec: PageSpec) -> Page:
        simple = {"home": self.home_page, "entities": self.entities_index, "tags": self.tags_index,
                  "404": self.not_found_page, "search": self.search_page, "entities.json": self.entities_data}
        if spec.kind in simple:
            return simple[spec.kind]()
        if spec.kind == "article":
            return self.article_page(self.article_by_slug[spec.key])
        if spec.kind == "entity":
            return self.entity_page(self.graph.registry.by_id[spec.key])
        if spec.kind == "entity-year":
            entity_id, year = spec.key.split("/")
            return self.entity_year_page(self.graph.registry.by_id[entity_id], year)
        if spec.kind == "tag":
            return self.tag_page(spec.key, self.graph.tags[spec.key])
        if spec.kind == "archive":
            return self.archive_page(spec.key)
        if spec.kind == "feed":
            return Page("feed.xml", "feed.xml", {"articles": self.graph.articles[:self.FEED_ARTICLES]})
        return Page(spec.path, spec.path, {})  # sitemap.xml, robots.txt: templates named as the file

    def render_spec(self, spec: PageSpec) -> bytes:
        if spec.kind == "article-annotations":
            items = article_annotations(self.config, self.graph, spec.key, self.document(spec.key), self._bodies)
            return annotation_page(self.config, spec.key, items, *self.neighbours[spec.key])
        if spec.kind == "entity-card":
            return self.entity_card(spec.key)
        if spec.kind == "annotations":
            total = sum(len(sites) for sites in self.graph.sites.values())  # a site is a mention outside notes
            return annotation_json(site_collection(self.config, [a.slug for a in self.graph.articles], total))
        return self.render_page(self.page_for(spec)).encode("utf-8")

    @property
    def neighbours(self) -> dict[str, tuple[str | None, str | None]]:
        """Each article's previous and next in the site's order: its annotation page links to them."""
        if self._neighbours is None:
            self._neighbours = article_neighbours([a.slug for a in self.graph.articles])
        return self._neighbours

    @property
    def article_by_slug(self) -> dict[str, Article]:
        if self._article_by_slug is None:
            self._article_by_slug = {a.slug: a for a in self.graph.articles}
        return self._article_by_slug

    def warm_up(self) -> None:
        """Compile every template once, before worker processes are forked from this one."""
        for name in self.env.list_templates():
            self._template(name, name)

    def copy_static(self, out_dir: Path) -> None:
        """theme/static/ as it is, refusing a symbolic link anywhere in it (gloss/symlinks.py)."""
        static = self.config.theme_dir / "static"
        if static.is_dir():
            check_tree(static, self.config.root)
            shutil.copytree(static, out_dir / "static", dirs_exist_ok=True)

    # -- writing

    def _template(self, name: str, needed_for: str) -> jinja2.Template:
        try:
            return self.env.get_template(name)
        except jinja2.TemplateNotFound as exc:
            raise GlossError(f"template '{exc.name}' is missing (needed for {needed_for})",
                             self.config.theme_dir / "templates", hint="restore it from the default theme") from None
        except jinja2.TemplateSyntaxError as exc:
            raise template_error(exc, self.config) from None

    def render_page(self, page: Page) -> str:
        template = self._template(page.template, page.path)
        root = climb_to_root(page.path) if page.root is None else page.root
        context = {"site": self.config, "page": page, "root": root,
                   "build_time": self.build_time, "renderer": self, "types": self._types, **page.context}
        try:
            return template.render(context)
        except jinja2.TemplateError as exc:
            raise GlossError(f"template '{page.template}' failed while rendering {page.path}: {exc}",
                             self.config.theme_dir / "templates" / page.template) from None


def _holds(places: list[int], place: int) -> bool:
    """Whether the sorted list `places` holds `place`."""
    at = bisect.bisect_left(places, place)
    return at < len(places) and places[at] == place


def fill_mentions(html: str, tags: dict[int, tuple[str, str]]) -> str:
    """Replace each mention placeholder by its opening or closing tag (`tags`: by mention index)."""
    parts = MENTION_PLACEHOLDER.split(html)  # text, then "M" or "C" and an index, then text…
    for i in range(1, len(parts), 3):
        parts[i] = tags[int(parts[i + 1])][0 if parts[i] == "M" else 1]
        parts[i + 1] = ""
    return "".join(parts)


def passage_group_html(article: Article, sites: list[MentionSite], page_path: str,
                       heads: dict[tuple[str, int], tuple[str, str, str]] | None = None) -> str:
    """One article's passages on an entity's page, made in Python rather than in the template: a busy
    entity is quoted thousands of times, and a template loop per quote costs ten times as much. The
    markup is fixed here; the theme styles it through its classes.

    One quote per sentence, with every mention of the entity in it marked; "read in context" links to
    the first of them. `heads` keeps each article's heading from group to group: an article is quoted
    on the pages of every entity it mentions.
    """
    key = (article.slug, page_path.count("/"))  # links are relative: they differ only by the page's depth
    head = heads.get(key) if heads is not None else None
    if head is None:
        href, title = relative(page_path, article_url(article.slug)), html_text(article.title)
        date = _time_element(article.date) if article.date else ""
        head = (f'<section class="passage-group" aria-labelledby="passages-{article.slug}">'
                f'<h3 id="passages-{article.slug}"><a href="{href}">{title}</a></h3><p class="passage-meta">{date}',
                href, title)
        if heads is not None:
            heads[key] = head
    opening, href, title = head
    if len(sites) == 1:  # most articles quote an entity once
        return f'{opening}1 mention</p><ul class="passage-list">{_quote_html(sites, href, title)}</ul></section>\n'
    out = [f'{opening}{len(sites)} mentions</p><ul class="passage-list">']
    first = 0
    for i, site in enumerate(sites):
        later = sites[i + 1] if i + 1 < len(sites) else None
        if (later is None or later.mention.block != site.mention.block or later.sentence != site.sentence
                or later.start < site.end):
            out.append(_quote_html(sites[first:i + 1], href, title))
            first = i + 1
    out.append("</ul></section>\n")
    return "".join(out)


def _quote_html(sites: list[MentionSite], href: str, title: str) -> str:
    """One sentence (all of `sites` are in it, in order) with their mentions marked."""
    sentence, number = sites[0].sentence, sites[0].mention.index + 1
    if len(sites) == 1 and sites[0].end > sites[0].start and not _HTML_SPECIAL.search(sentence):
        # The usual quote: one mention, nothing to escape (one search instead of fifteen replaces).
        start, end = sites[0].start, sites[0].end
        marked = f"{sentence[:start]}<mark>{sentence[start:end]}</mark>{sentence[end:]}"
    else:
        at, parts = 0, []
        for site in sites:
            if site.start > at:
                parts.append(html_text(sentence[at:site.start]))
            if site.end > site.start:
                parts.append(f"<mark>{html_text(sentence[site.start:site.end])}</mark>")
            at = site.end
        if at < len(sentence):
            parts.append(html_text(sentence[at:]))
        marked = "".join(parts)
    return (f'<li><blockquote class="passage">{marked}</blockquote><a class="passage-link" '
            f'href="{href}#m-{number}">Read in context<span class="visually-hidden">: {title}, '
            f'mention {number}</span></a></li>')


def strongest(counts: dict[str, int], limit: int) -> list[tuple[str, int]]:
    """The `limit` highest counts, ties by key. Only those at least as high as the limit-th are
    sorted: a busy entity shares articles with thousands of others."""
    if len(counts) > limit:
        floor = heapq.nlargest(limit, counts.values())[-1]
        counts = {key: count for key, count in counts.items() if count >= floor}
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


@functools.lru_cache(maxsize=4096)
def _time_element(day: dt.date) -> str:
    """A passage group's date; an article's date is shown on the page of each entity it mentions."""
    return f'<time datetime="{day.isoformat()}">{_long_date(day)}</time> · '




def lead_with(body: Markup, lead: Markup) -> Markup:
    """The body with `lead` (a dateline) opening its first paragraph, else in a paragraph of its own."""
    if not lead:
        return body
    if body.startswith("<p>"):
        return Markup(f"<p>{lead} {body[3:]}")
    return Markup(f'<p class="dateline-line">{lead}</p>\n{body}')

