"""The graph a long-lived builder updates equals the one linked from scratch."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT
from test_incremental import RandomEditor

from bench.corpus import write_site
from gloss.builder import SiteBuilder
from gloss.config import load_config
from gloss.errors import Problems
from gloss.graph import SiteGraph


def shape(graph: SiteGraph) -> dict:
    """What pages are made from, with articles and mentions named by slug and index."""
    return {
        "articles": [a.slug for a in graph.articles],
        "resolved": graph.resolved,
        "sites": {e: [(s.article.slug, s.mention.index, s.sentence, s.start, s.end) for s in sites]
                  for e, sites in graph.sites.items()},
        "co_mentions": {e: dict(c) for e, c in graph.co_mentions.items()},
        "article_entities": {slug: dict(c) for slug, c in graph.article_entities.items()},
        "tags": {t: [a.slug for a in articles] for t, articles in graph.tags.items()},
        "problems": sorted(str(p) for found in graph.link_problems.values() for p in found),
        # memoised per entity, and kept by an update for the entities it does not touch
        "per_entity": {e: (graph.article_count(e), graph.years_quoting(e), graph.entity_years(e),
                           [[s.mention.index for s in sites] for sites in graph.quoting_articles(e)])
                       for e in sorted(graph.registry.by_id)},
    }


def test_updated_graph_equals_a_graph_linked_from_scratch(tmp_path: Path) -> None:
    site = tmp_path / "gen"
    write_site(site, 30)
    shutil.copytree(ROOT / "theme", site / "theme")
    builder = SiteBuilder(load_config(site), search=False, workers=1, use_cache=False)
    builder.load_model(Problems())
    editor = RandomEditor(site, seed=11)
    updates = 0
    for _ in range(40):
        editor.edit()
        updated = builder.load_model(Problems()).graph
        updates += updated.relinked is not None
        fresh = SiteBuilder(load_config(site), workers=1, use_cache=False).load_model(Problems()).graph
        assert shape(updated) == shape(fresh)
    assert updates >= 20  # most edits touch only articles, and take the update path
