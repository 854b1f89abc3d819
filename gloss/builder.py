"""The build: load → parse → graph → render, written to a temporary folder and swapped in whole."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .annotations import write_annotations
from .config import SiteConfig
from .content import Article, Entity, EntityRegistry, load_articles, load_entities
from .errors import BuildFailed, GlossError, Problems
from .graph import SiteGraph, build_graph
from .markup import create_markdown
from .parse import ParsedDocument, parse_document
from .render import Renderer
from .search import index_site


@dataclass
class StageReport:
    name: str
    summary: str
    seconds: float

    def line(self) -> str:
        return f"{self.name:<8} {self.summary:<52} {self.seconds * 1000:7.0f} ms"


@dataclass
class SiteModel:
    """Everything loaded, parsed and linked: what `check` inspects and `build` renders."""

    articles: list[Article]
    entities: list[Entity]
    graph: SiteGraph
    problems: Problems
    stages: list[StageReport] = field(default_factory=list)


def _timed(stages: list[StageReport], name: str, func: Callable, summary: Callable) -> object:
    start = time.perf_counter()
    value = func()
    stages.append(StageReport(name, summary(value), time.perf_counter() - start))
    return value


def load_model(config: SiteConfig, problems: Problems, drafts: bool = False) -> SiteModel:
    """Load, parse and link the whole site, collecting every problem rather than stopping at one."""
    stages: list[StageReport] = []

    def load() -> tuple[list[Article], list[Entity]]:
        return load_articles(config, problems), load_entities(config, problems)

    articles, entities = _timed(stages, "load", load,
                                lambda v: f"{_n(len(v[0]), 'article')}, {_n(len(v[1]), 'entity', 'entities')}")
    if not drafts:
        articles = [a for a in articles if not a.draft]
    registry = EntityRegistry(entities)
    for name, ids in registry.conflicts():
        problems.warn(f"the name '{name}' is shared by {', '.join(ids)}; mentions of it are ambiguous",
                      registry.by_id[ids[1]].path, 1, 1, hint="keep the name on one entity, or always link by id")
    md = create_markdown(raw_html=config.raw_html)

    def parse() -> tuple[dict[str, ParsedDocument], dict[str, ParsedDocument]]:
        docs = {a.slug: parse_document(md, a.body, a.path, a.body_line) for a in articles}
        entity_docs = {e.id: parse_document(md, e.body, e.path, e.body_line) for e in entities if e.body.strip()}
        for doc in [*docs.values(), *entity_docs.values()]:
            for problem in doc.problems:
                problems.add(problem)
        return docs, entity_docs

    docs, entity_docs = _timed(stages, "parse", parse,
                               lambda v: _n(sum(len(d.mentions) for d in v[0].values()), "mention"))
    graph = _timed(stages, "link", lambda: build_graph(articles, docs, entity_docs, registry, problems),
                   lambda g: f"{_n(len(g.sites), 'entity', 'entities')} mentioned, "
                             f"{_n(len(problems.errors), 'error')}")
    return SiteModel(articles, entities, graph, problems, stages)


def build_site(config: SiteConfig, problems: Problems, drafts: bool = False,
               build_time: dt.datetime | None = None) -> SiteModel:
    """Build into a temporary folder beside the output and swap it in only if all went well."""
    model = load_model(config, problems, drafts)
    if problems.errors:
        raise BuildFailed(problems)
    out = config.output_path
    clean_stale_outputs(out)
    temp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    renderer = Renderer(config, model.graph, create_markdown(raw_html=config.raw_html),
                        build_time or dt.datetime.now(dt.UTC).replace(microsecond=0))
    try:
        count = _timed(model.stages, "render", lambda: renderer.write(temp), lambda n: _n(n, "page"))
        _timed(model.stages, "annotate", lambda: write_annotations(config, model.graph, temp),
               lambda n: _n(n, "annotation") + " (W3C Web Annotation)")
        _timed(model.stages, "search", lambda: index_site(temp, problems, config.path), lambda s: s)
        swap_in(temp, out)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    model.stages.append(StageReport("write", f"{_n(count, 'page')} in {_shown(out, config.root)}/", 0.0))
    return model


def swap_in(temp: Path, out: Path) -> None:
    """Replace `out` by `temp` with two renames, so readers never see a half-written site."""
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
    if out.exists():
        os.rename(out, old)
    os.rename(temp, out)
    shutil.rmtree(old, ignore_errors=True)


def clean_stale_outputs(out: Path) -> None:
    """Remove temporary folders left by an interrupted build."""
    if not out.parent.is_dir():
        return
    for stale in out.parent.glob(f".{out.name}.*-*"):
        if stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _n(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural or word + 's')}"


__all__ = ["GlossError", "SiteModel", "build_site", "load_model"]
