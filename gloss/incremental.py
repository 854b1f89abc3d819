"""What a build remembers of the last one, to render only the pages whose inputs changed.

`RenderMemory` is what the last build that rendered saw (each article's resolved mentions, the
articles, their order and neighbours, the list counts); `changes_since` compares it with this
build's and gives the `Changes` that gloss/pageplan.py turns into affected pages. The
memory, with every file's stamp and cache key and every page's hash, is kept between runs of
`build.py` in `.gloss-cache/state.pickle` (`StateFile`).
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any, NamedTuple

from . import __version__
from .cache import CACHE_FORMAT, SCHEMA
from .config import SiteConfig
from .content import Article
from .graph import SiteGraph
from .pageplan import Changes
from .render import article_neighbours

STATE_FORMAT = 3  # .gloss-cache/state.pickle: 2, the page hashes in a second pickle (see StateFile); 3: Dateline


class RenderMemory(NamedTuple):
    """What the builder keeps of a build that rendered, to tell what the next one changes."""

    resolved: dict[str, tuple[str | None, ...]]  # article slug -> entity id of each of its mentions
    articles: dict[str, Article]  # by slug, in the site's order
    neighbours: dict[str, tuple[str | None, str | None]]
    order: list[str]
    list_counts: tuple  # Renderer.list_counts()


NOTHING_RENDERED = RenderMemory({}, {}, {}, [], ((), {}))


def dateline_places(*articles: Article | None) -> set[str]:
    """The places the articles are datelined at: their pages list the articles."""
    return {place for a in articles if a is not None and a.dateline
            for place in (a.dateline.place, a.dateline.region_place) if place}


def remembered(last: RenderMemory, relinked: set[str], graph: SiteGraph, list_counts: tuple) -> RenderMemory:
    """What to remember once this build has rendered: each relinked article's resolved mentions
    (the others' are as last time), the articles, their neighbours and order, the list counts."""
    resolved = dict(last.resolved)
    for slug in relinked:
        doc = graph.documents.get(slug)
        if doc is None:
            resolved.pop(slug, None)
        else:
            resolved[slug] = graph.resolved[slug]
    articles = {a.slug: a for a in graph.articles}
    order = list(articles)
    # The usual edit adds, removes or moves no article: the neighbours are as last time.
    neighbours = last.neighbours if order == last.order else article_neighbours(order)
    return RenderMemory(resolved, articles, neighbours, order, list_counts)


def changes_since(last: RenderMemory, now: RenderMemory, relinked: set[str], unrendered: dict[str, set[str]],
                  page_paths: set[str], last_pages: set[str] | Any) -> Changes:
    """What changed since the last build that rendered (`last`), for an incremental build: the
    files re-read since then (`unrendered`), the articles linked again, and the pages there are now
    (`page_paths`) against those there were (`last_pages`, a set or a dict's keys)."""
    changes = Changes(entities=set(unrendered["entity"]), previous=last.articles, previous_lists=last.list_counts)
    slugs = set(unrendered["article"])
    slugs |= {s for s in relinked if now.resolved.get(s) != last.resolved.get(s)}
    for slug in slugs:
        changes.articles.add(slug)
        changes.quoted[slug] = {i for i in (*now.resolved.get(slug, ()), *last.resolved.get(slug, ())) if i}
        changes.mentions |= changes.quoted[slug]
        changes.mentions |= dateline_places(now.articles.get(slug), last.articles.get(slug))
        if now.articles.get(slug) != last.articles.get(slug):
            changes.listed.add(slug)
    if now.neighbours is not last.neighbours:
        changes.neighbours = {s for s, pair in now.neighbours.items() if last.neighbours.get(s) != pair}
    changes.page_set = bool(changes.neighbours) or page_paths != last_pages
    if page_paths != last_pages:
        changes.entity_years = {p.split("/")[1] for p in page_paths ^ last_pages
                                if p.startswith("entities/") and p.count("/") == 3}
    return changes


class SavedState(NamedTuple):
    memory: RenderMemory
    stamps: dict[str, dict[Path, tuple[int, int]]]
    keys: dict[str, dict[Path, str]]
    theme_stamp: tuple
    page_hashes: dict[str, str | None]


class StateFile:
    """`.gloss-cache/state.pickle`: two pickles, all but the page hashes (made while the workers
    render, when a build has workers), then the hashes, known only once every page is written."""

    def __init__(self, path: Path, config: SiteConfig, drafts: bool) -> None:
        self.path = path
        self.signature = state_signature(config, drafts)

    def load(self) -> SavedState | None:
        """The saved state, or None when there is none or it was saved with other settings; an
        unreadable file raises (the caller says so and builds everything)."""
        if not self.path.exists():
            return None
        with open(self.path, "rb") as handle:
            state = pickle.load(handle)
            if state.get("signature") != self.signature:
                return None
            page_hashes = pickle.load(handle)
        articles = state["articles"]
        memory = RenderMemory(state["resolved"], articles, state["neighbours"], list(articles), state["list_counts"])
        return SavedState(memory, state["stamps"], state["keys"], state["theme_stamp"], page_hashes)

    def pickled(self, memory: RenderMemory, stamps: dict, keys: dict, theme_stamp: tuple) -> bytes:
        """The state as it will be once `memory` is rendered, but for the page hashes."""
        state = {"signature": self.signature, "stamps": stamps, "theme_stamp": theme_stamp,
                 "resolved": memory.resolved, "articles": memory.articles, "keys": keys,
                 "neighbours": memory.neighbours, "list_counts": memory.list_counts}
        return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)

    def save(self, prepared: bytes, page_hashes: dict[str, str | None]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        with open(temp, "wb") as handle:
            handle.write(prepared)
            pickle.dump(page_hashes, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, self.path)

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)


def state_signature(config: SiteConfig, drafts: bool) -> tuple:
    """What a saved state is only good for: the parse cache's format (the state names the cached
    parse of each file, by its key) and the settings (pages rendered with others — a site.yml
    edited while `serve` ran, or between builds — are not to be trusted)."""
    settings = hashlib.sha256(repr(config).encode()).hexdigest()
    return (STATE_FORMAT, __version__, CACHE_FORMAT, SCHEMA, str(config.output_path), drafts, settings)


__all__ = ["NOTHING_RENDERED", "RenderMemory", "SavedState", "StateFile", "changes_since", "dateline_places",
           "remembered"]
