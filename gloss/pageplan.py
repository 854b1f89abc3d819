"""Which pages a site has, and which of them an edit touches.

`page_specs` lists every output file of the site with the kind of page and the article, entity or
tag it shows; `affected` turns what changed since the last build (`Changes`, made by
gloss/incremental.py) into the paths of the pages that show something that changed: the only ones
an incremental build renders. The rules read the renderer's view of the site (counts, postings,
years), so that a page and the rule saying when it changes look at the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from .content import Article
from .graph import article_year
from .urls import archive_url, article_url, entity_card_url, entity_url, entity_year_url, tag_url

if TYPE_CHECKING:
    from .render import Renderer

# Pages that read nothing from content, and lists that read all of it.
FIXED_PAGES = [("404.html", "404"), ("search/index.html", "search"), ("robots.txt", "robots")]
LIST_PAGES = [("index.html", "home"), ("entities/index.html", "entities"), ("tags/index.html", "tags"),
              ("entities.json", "entities.json"), ("feed.xml", "feed"), ("sitemap.xml", "sitemap"),
              ("annotations.jsonld", "annotations")]


class PageSpec(NamedTuple):
    """One output file, before rendering: what kind of page it is and for which article, entity or tag.
    (A named tuple: a site of 10,000 articles lists 22,000 of them on every rebuild.)"""

    path: str
    kind: str
    key: str = ""


@dataclass
class Changes:
    """What changed since the last build, as `affected` needs it."""

    articles: set[str] = field(default_factory=set)  # slugs: text, front matter or resolution changed, added, removed
    entities: set[str] = field(default_factory=set)  # ids whose file changed (name, type, description…)
    mentions: set[str] = field(default_factory=set)  # ids whose passages changed somewhere
    listed: set[str] = field(default_factory=set)  # slugs whose front matter changed, added or removed
    previous: dict[str, Article] = field(default_factory=dict)  # the last build's articles, in its order
    previous_lists: tuple = ((), {})  # the last build's Renderer.list_counts()
    neighbours: set[str] = field(default_factory=set)  # slugs whose previous or next article changed
    page_set: bool = False  # pages were added or removed, or the articles' order changed
    quoted: dict[str, set[str]] = field(default_factory=dict)  # changed slug -> entity ids it quotes, before and after
    entity_years: set[str] = field(default_factory=set)  # entity ids whose year pages were added or removed


def page_set(renderer: Renderer) -> tuple:
    """What decides `page_specs()`: equal values give equal lists."""
    return (tuple(a.slug for a in renderer.graph.articles), tuple(sorted(renderer.graph.registry.by_id)),
            tuple(sorted(renderer.graph.tags)), tuple(year for year, _ in renderer.archive_years()),
            tuple(renderer.entity_year_pages()))

def page_specs(renderer: Renderer) -> list[PageSpec]:
    """Every output of the site, in a stable order, with the inputs each one reads."""
    specs = [PageSpec(path, kind) for path, kind in FIXED_PAGES + LIST_PAGES]
    for article in renderer.graph.articles:
        specs.append(PageSpec(article_url(article.slug) + "index.html", "article", article.slug))
        specs.append(PageSpec(f"annotations/{article.slug}.jsonld", "article-annotations", article.slug))
    ids = sorted(renderer.graph.registry.by_id)
    specs += [PageSpec(entity_url(i) + "index.html", "entity", i) for i in ids]
    specs += [PageSpec(entity_card_url(i), "entity-card", i) for i in ids]
    specs += [PageSpec(entity_year_url(i, year) + "index.html", "entity-year", f"{i}/{year}")
              for i, year in renderer.entity_year_pages()]
    specs += [PageSpec(tag_url(tag) + "index.html", "tag", tag) for tag in sorted(renderer.graph.tags)]
    specs += [PageSpec(archive_url(year) + "index.html", "archive", year) for year, _ in renderer.archive_years()]
    return specs


def affected(renderer: Renderer, changes: Changes) -> set[str]:
    """Paths of the pages that read something in `changes`: the only ones a rebuild renders.

    Each rule mirrors what a page shows: an article page shows its entities' names and
    descriptions; an entity page its passages, its notes' mentions and its companions' names;
    archive and tag pages only front matter; the home page and the feed their first articles.
    """
    paths: set[str] = set()
    if changes.articles or changes.entities:
        paths.add("annotations.jsonld")
    if changes.mentions or changes.entities:
        paths.update(("entities/index.html", "entities.json"))
    if changes.page_set:
        paths.add("sitemap.xml")
    paths |= _lists_affected(renderer, changes)
    for slug in changes.articles:
        paths.update((article_url(slug) + "index.html", f"annotations/{slug}.jsonld"))
    paths.update(f"annotations/{slug}.jsonld" for slug in changes.neighbours)
    paths |= _more_affected(renderer, changes)
    shown_entities = set(changes.mentions) | set(changes.entities)
    for entity_id in changes.entities:
        paths.update(article_url(a.slug) + "index.html" for a in renderer.graph.articles_mentioning(entity_id))
        shown_entities.update(renderer.graph.co_mentions.get(entity_id, {}))
    if changes.entities:
        shown_entities.update(owner for owner in renderer.graph.entity_documents
                              if any(i in changes.entities for i in renderer.graph.resolved.get(f"entity:{owner}", ())))
    paths.update(entity_url(i) + "index.html" for i in shown_entities)
    paths.update(entity_card_url(i) for i in changes.mentions | changes.entities)  # counts and dates
    paths |= _year_pages_affected(renderer, changes)
    return paths

def _more_affected(renderer: Renderer, changes: Changes) -> set[str]:
    """The article pages whose "more on these people" list may show a changed article, or may change
    because one quotes other entities now: those quoting an entity the changed articles quote or
    quoted, unless it is quoted too widely to count (see more_on), before or after the change."""
    paths: set[str] = set()
    up_to = renderer.MORE_QUOTED_UP_TO + len(changes.articles)  # each changed article moves a count by one
    for entity_id in set().union(*changes.quoted.values()) if changes.quoted else ():
        if renderer.graph.article_count(entity_id) <= up_to:
            articles = renderer.graph.articles
            paths.update(article_url(articles[place].slug) + "index.html" for place in renderer.postings(entity_id))
    return paths

def _year_pages_affected(renderer: Renderer, changes: Changes) -> set[str]:
    """A year page shows its entity's name, the years it has pages for, and that year's passages."""
    whole = set(changes.entities) | changes.entity_years
    paths = {entity_year_url(i, year) + "index.html" for i in whole for year in renderer.graph.years_quoting(i)}
    for slug, entity_ids in changes.quoted.items():
        years = {article_year(a) for a in (changes.previous.get(slug), renderer.article_by_slug.get(slug)) if a}
        paths.update(entity_year_url(i, year) + "index.html" for i in entity_ids for year in years)
    return paths

def _lists_affected(renderer: Renderer, changes: Changes) -> set[str]:
    """The home page, feed, archive and tags pages that show a changed article."""
    paths: set[str] = set()
    before, now = list(changes.previous), [a.slug for a in renderer.graph.articles]
    years, tag_counts = renderer.list_counts()
    years_changed = years != changes.previous_lists[0]
    for path, count in (("index.html", renderer.HOME_ARTICLES), ("feed.xml", renderer.FEED_ARTICLES)):
        first = set(before[:count]) | set(now[:count])
        if changes.entities or (path == "index.html" and years_changed) or changes.articles & first:
            paths.add(path)
    listed = [a for slug in changes.listed
              for a in (changes.previous.get(slug), renderer.article_by_slug.get(slug)) if a]
    if years_changed:
        paths.update(archive_url(year) + "index.html" for year, _ in years)
    else:
        paths.update(archive_url(article_year(a)) + "index.html" for a in listed)
    paths.update(tag_url(tag) + "index.html" for a in listed for tag in a.tags)
    if tag_counts != changes.previous_lists[1]:
        paths.add("tags/index.html")
    return paths


__all__ = ["Changes", "PageSpec", "affected", "page_set", "page_specs"]
