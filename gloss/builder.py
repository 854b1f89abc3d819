"""The build: load → parse → link → render, doing only the work that changed since the last build.

A `SiteBuilder` runs the stages and remembers what it saw: the files (gloss/sources.py), what the
last render saw (gloss/incremental.py), a hash of every page it wrote (gloss/pagewriter.py).
`build.py serve` keeps one alive between rebuilds; `build.py build` starts from the parse cache and
state in `.gloss-cache/`. Either way a rebuild re-parses only changed files, re-renders only pages
whose inputs changed, and rewrites only pages whose bytes changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .cache import DocumentStore, ParseCache
from .config import SiteConfig, check_output_folder
from .content import Article, Entity, EntityRegistry, unread_sources
from .errors import BuildFailed, GlossError, Problems
from .graph import SiteGraph, build_graph, update_graph
from .incremental import NOTHING_RENDERED, RenderMemory, StateFile, changes_since, remembered
from .output import (
    MARKER,
    SiteMixed,
    build_lock,
    clean_stale_outputs,
    clear_search_stale,
    commit_in_place,
    deferred_signals,
    mark_search_stale,
    new_temp_folder,
    search_stale_token,
    swap_in,
    temp_folder,
    write_marker,
)
from .pageplan import PageSpec, affected, page_set, page_specs
from .pagewriter import render_pages
from .parse import ParsedDocument
from .render import Renderer
from .sources import SourceEntry, SourceSet, markdown_parser, stamp
from .templates import jinja_env
from .words import counted


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
    pages_total: int = 0
    rendered: int = 0
    written: int = 0
    removed: int = 0

class SiteBuilder:
    """Builds one site again and again, each time doing only what changed."""

    def __init__(self, config: SiteConfig, drafts: bool = False, workers: int | None = None,
                 search: bool = True, use_cache: bool = True, save_every_build: bool = True) -> None:
        self.config = config
        # `serve` saves its state once, when it stops: pickling it costs 0.2 s at 10,000 articles.
        self.save_every_build = save_every_build
        self.drafts = drafts
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        self.search = search
        self.cache_dir = config.root / ".gloss-cache" if use_cache else None
        self.files = SourceSet(config, self.workers)
        self.state = StateFile(self.cache_dir / "state.pickle", config, drafts) if self.cache_dir else None
        self.page_hashes: dict[str, str | None] = {}  # None: written by a first build, not hashed
        self.theme_stamp: tuple = ()
        self.last = NOTHING_RENDERED  # what the last build that rendered saw
        self.passage_cache: dict[str, dict[str, str]] = {}  # see Renderer.passage_section
        self.page_set: tuple = ()  # pageplan.page_set() at the last build, with the specs and paths it gave
        self.specs: list[PageSpec] = []
        self.spec_paths: set[str] | None = None
        self.graph: SiteGraph | None = None  # the last one linked, updated in place of relinking everything
        self.linked_with: list[int] = []  # ids of the entity objects it was linked with
        self.registry_warnings: list[GlossError] = []
        self.jinja_env: jinja2.Environment | None = None
        # What changed since the last build that rendered: a failed build renders nothing, so its
        # changes carry over to the next one, with the slugs linked again (None: every one).
        self.unrendered: dict[str, set[str]] = {"article": set(), "entity": set()}
        self.relinked_since_render: set[str] | None = None
        self.search_report: StageReport | None = None
        self.search_ran = False  # Pagefind ran in this build (on a full build's new folder)
        self.site_changed = False  # this build has changed the output folder (see build)
        self.state_loaded = False
        self.prepared_state: bytes | None = None  # see save_state

    # -- state kept between runs of build.py

    @property
    def search_marker(self) -> Path | None:
        """A file that says pages changed since Pagefind last indexed the output folder (written by
        any build that changes pages without indexing them: --no-search, serve, one interrupted or
        failed); the next build with search indexes the site, even if nothing else changed."""
        return self.cache_dir / "search-stale" if self.cache_dir else None

    def load_state(self, problems: Problems) -> None:
        self.state_loaded = True
        if self.state is None:
            return
        try:
            saved = self.state.load()
        except Exception as exc:  # noqa: BLE001 - any unreadable state means: build from scratch
            problems.warn(f"build state {self.state.path} is unreadable ({type(exc).__name__}); rebuilding everything",
                          self.state.path, hint="nothing to do: .gloss-cache/ is rebuilt as needed")
            return
        if saved is not None:
            self.last, self.page_hashes, self.theme_stamp = saved.memory, saved.page_hashes, saved.theme_stamp
            self.files.saved_stamps, self.files.previous_keys = saved.stamps, saved.keys

    def save_state(self) -> None:
        """Remember what the output folder holds; after a failed build it holds less than the sources
        say, so no state is kept at all (the next build is then a full one)."""
        prepared, self.prepared_state = self.prepared_state, None
        if self.state is None:
            return
        if any(self.unrendered.values()) or self.relinked_since_render:
            self.state.forget()
            return
        if prepared is None:
            prepared = self._state_without_hashes(self.last, self.theme_stamp)
        self.state.save(prepared, self.page_hashes)

    def _state_without_hashes(self, memory: RenderMemory, theme_stamp: tuple) -> bytes:
        return self.state.pickled(memory, self.files.stamps(), self.files.keys(), theme_stamp)

    # -- one build

    def build(self, problems: Problems, build_time: dt.datetime | None = None,
              changed_paths: list[str] | None = None) -> SiteModel:
        """Bring the output folder up to date with the sources; raise BuildFailed on any error.

        `changed_paths`, from a watcher that knows them, spares a look at every source file's stamp.
        """
        # A build makes a great many small objects and few reference cycles: the cyclic garbage
        # collector would rescan the growing heap again and again (measured: 7.0 s → 4.5 s of parsing
        # at 10,000 articles with it off). It is turned back on when the build ends.
        was_enabled = gc.isenabled()
        gc.disable()
        self.site_changed = self.search_ran = False
        try:
            return self._build(problems, build_time, changed_paths)
        except BaseException as error:
            # What the command line says: "the last good site was kept" only if it is true.
            with contextlib.suppress(AttributeError):
                error.site_updated = self.site_changed  # type: ignore[attr-defined]
            raise
        finally:
            if was_enabled:
                gc.enable()

    def _build(self, problems: Problems, build_time: dt.datetime | None, changed_paths: list[str] | None) -> SiteModel:
        out = self.config.output_path
        check_output_folder(self.config)  # before anything is made, even the lock (swap_in checks again)
        with build_lock(self.config.root / ".gloss-cache" / "build.lock", out):
            if not self.state_loaded:  # the first build of this process: tidy up after any interrupted one
                if clean_stale_outputs(out) and self.state:
                    self.state.forget()  # the site holds pages it does not know: a full build
                self.load_state(problems)
            stages: list[StageReport] = []
            self.files.look(changed_paths)
            theme_stamp = self._theme_stamp()
            if self._nothing_changed(theme_stamp, out):
                model = self._unchanged_model(problems, stages)
            else:
                model = self.load_model(problems, stages)
                if problems.errors:
                    raise BuildFailed(problems)
                self._render_and_remember(model, theme_stamp, build_time, problems)
            self._refresh_search(out, problems, model)
            return model

    def _render_and_remember(self, model: SiteModel, theme_stamp: tuple, build_time: dt.datetime | None,
                             problems: Problems) -> None:
        """Render, then save the state. If anything stops that after the output folder changed, the
        saved state describes the site before this build: it is deleted, so that the next build
        compares nothing with it (a source put back as it was would otherwise keep its new page)."""
        try:
            self._render(model, theme_stamp, build_time, problems)
            self.theme_stamp = theme_stamp
            self.files.previous_keys = {}
            if self.save_every_build:
                self.save_state()
            elif self.state:
                self.state.forget()  # it no longer describes the output; save_state() writes one that does
        except BaseException:
            if self.site_changed and self.state:
                self.state.forget()
            raise

    def _theme_stamp(self) -> tuple:
        files = [self.config.root / "site.yml", *sorted(self.config.theme_dir.rglob("*"))]
        return tuple((str(p), stamp(p)) for p in files if p.is_file())

    def _nothing_changed(self, theme_stamp: tuple, out: Path) -> bool:
        """The fast no-op: every stamp as last time and the output still there."""
        if theme_stamp != self.theme_stamp or not out.is_dir() or not self.page_hashes:
            return False
        return self.files.unchanged()

    def _unchanged_model(self, problems: Problems, stages: list[StageReport]) -> SiteModel:
        """Nothing to do; errors and warnings of the last build still stand (it succeeded, so warnings only)."""
        for problem in self.files.problems():
            problems.add(problem)
        problems.items.extend(unread_sources(self.config))
        stages.append(StageReport("check", "nothing changed since the last build", 0.0))
        model = SiteModel([], [], None, problems, stages)  # type: ignore[arg-type]
        model.pages_total = len(self.page_hashes)
        return model

    # -- load, parse and link

    def load_model(self, problems: Problems, stages: list[StageReport] | None = None) -> SiteModel:
        """Load, parse and link the whole site, collecting every problem rather than stopping at one."""
        stages = stages if stages is not None else []
        start = time.perf_counter()
        cache = ParseCache(self.cache_dir, problems) if self.cache_dir else None
        try:
            parsed = self.files.refresh(cache)
            if cache:
                cache.save()
        finally:
            if cache:
                cache.close()
        article_entries = [e for e in self.files.entries["article"].values() if isinstance(e.item, Article)]
        entity_entries = [e for e in self.files.entries["entity"].values() if isinstance(e.item, Entity)]
        articles = [e.item for e in article_entries]
        entities = [e.item for e in entity_entries]
        for problem in self.files.problems():
            problems.add(problem)
        problems.items.extend(unread_sources(self.config))
        loaded = f"{counted(len(articles), 'article')}, {counted(len(entities), 'entity', 'entities')}"
        stages.append(StageReport("load", f"{loaded} ({parsed} parsed)", time.perf_counter() - start))
        if not self.drafts:
            article_entries = [e for e in article_entries if not e.item.draft]
            articles = [e.item for e in article_entries]
        start = time.perf_counter()
        graph = self._link(article_entries, entity_entries, problems)
        linked = (f"{counted(graph.linked_count(), 'mention')} linked to "
                  f"{counted(len(graph.sites), 'entity', 'entities')}")
        errors = counted(len(problems.errors), "error")
        stages.append(StageReport("link", f"{linked}, {errors}", time.perf_counter() - start))
        return SiteModel(articles, entities, graph, problems, stages)

    def _link(self, article_entries: list[SourceEntry], entity_entries: list[SourceEntry],
              problems: Problems) -> SiteGraph:
        """The link stage: only the edited articles again when the entities are as last time."""
        articles = [e.item for e in article_entries]
        docs = {e.item.slug: e.doc for e in article_entries}
        entity_docs = {e.item.id: e.doc for e in entity_entries if e.doc and e.doc.html.strip()}
        linked_with = [id(item) for item in (*(e.item for e in entity_entries), *entity_docs.values())]
        # The same entity objects as last time means no entity file changed (the old graph keeps the old
        # objects alive, so no new object can have an old one's id).
        if self.graph is not None and linked_with == self.linked_with:
            graph = update_graph(self.graph, articles, docs, problems)
        else:
            registry = EntityRegistry([e.item for e in entity_entries])
            self.registry_warnings = registry.conflict_warnings()
            broken = {path.stem: str(path.relative_to(self.config.root))
                      for path, e in self.files.entries["entity"].items() if e.item is None}
            graph = build_graph(articles, docs, entity_docs, registry, problems, broken)
        for warning in self.registry_warnings:
            problems.add(warning)
        self.graph, self.linked_with = graph, linked_with
        for kind, stems in self.files.changed.items():
            self.unrendered[kind] |= stems
        if graph.relinked is None or self.relinked_since_render is None:
            self.relinked_since_render = None
        else:
            self.relinked_since_render |= graph.relinked
        return graph

    # -- render

    def _relinked(self, graph: SiteGraph) -> set[str]:
        """The articles linked again since the last build that rendered."""
        if self.relinked_since_render is None:
            return graph.documents.keys() | self.last.resolved.keys()
        return self.relinked_since_render

    def _document_loader(self) -> Callable[[str], ParsedDocument] | None:
        """Full article documents for the renderer, read back from the parse cache (see SourceSet._kept)."""
        if self.cache_dir is None:
            return None
        store = DocumentStore(self.cache_dir)
        folder = self.config.content_dir / "articles"

        def load(slug: str) -> ParsedDocument:
            path = folder / f"{slug}.md"  # an article's slug is its file name
            doc = store.get(self.files.entries["article"][path].key)
            if doc is None:  # the cache lost it (deleted under our feet): parse the file again
                doc = self.files.parse_again(path)
            return doc

        return load

    def _rendered(self, memory: RenderMemory) -> None:
        self.last = memory
        self.unrendered = {"article": set(), "entity": set()}
        self.relinked_since_render = set()

    def _render(self, model: SiteModel, theme_stamp: tuple, build_time: dt.datetime | None,
                problems: Problems) -> None:
        start = time.perf_counter()
        out = self.config.output_path
        full = theme_stamp != self.theme_stamp or not self.page_hashes or not out.is_dir()
        if full or self.jinja_env is None:
            self.jinja_env = jinja_env(self.config, self.cache_dir / "templates" if self.cache_dir else None)
        renderer = Renderer(self.config, model.graph, markdown_parser(self.config.raw_html),
                            build_time or dt.datetime.now(dt.UTC).replace(microsecond=0), self.jinja_env)
        pages = page_set(renderer)
        if pages != self.page_set:  # a list of 22,000 pages at 10,000 articles: made again only if it changes
            self.page_set, self.specs, self.spec_paths = pages, page_specs(renderer), None
        specs = self.specs
        paths = self.spec_paths = self.spec_paths or {s.path for s in specs}
        memory = remembered(self.last, self._relinked(model.graph), model.graph, renderer.list_counts())
        if full:
            todo = specs
            self.passage_cache = {}
        else:
            changes = changes_since(self.last, memory, self._relinked(model.graph), self.unrendered, paths,
                                    self.page_hashes.keys())
            for slug in changes.articles:
                self.passage_cache.pop(slug, None)
            touched = affected(renderer, changes)
            todo = [s for s in specs if s.path in touched or s.path not in self.page_hashes]
        renderer.passage_cache = self.passage_cache  # filled only by pages rendered in this process
        renderer.load_document = self._document_loader()
        removed = sorted(set(self.page_hashes) - paths)
        self.prepared_state = None

        def prepare_state() -> None:  # in this process's idle time while the workers render
            if self.save_every_build and self.state:
                self.prepared_state = self._state_without_hashes(memory, theme_stamp)

        try:
            # A full build writes into a new folder (removed below if it fails), an incremental one in place.
            target = new_temp_folder(out) if full else out
            results = render_pages(renderer, todo, target, out if full else None, self.page_hashes, self.workers,
                                   self.files.light_documents, prepare_state)
            written = sum(1 for _, _, done in results if done)
            hashes = [(path, digest) for path, digest, _ in results]
            if full:
                self._finish_full_build(renderer, out, problems)
            else:
                self._commit(out, [(path, data) for path, _, data in results if data], removed)
        except BaseException:  # stopped at any point (Ctrl+C too): a full build's new folder goes
            if full:
                shutil.rmtree(temp_folder(out), ignore_errors=True)
            raise
        for path in removed:
            self.page_hashes.pop(path, None)
        self.page_hashes.update(hashes)
        self._rendered(memory)
        model.pages_total, model.rendered, model.written, model.removed = len(specs), len(todo), written, len(removed)
        summary = f"wrote {written} of {len(specs)} pages" + (f", removed {len(removed)}" if removed else "")
        search = self.search_report
        seconds = time.perf_counter() - start - (search.seconds if search else 0)
        model.stages.append(StageReport("render", summary + (" (full)" if full else ""), seconds))
        if search:
            model.stages.append(search)
            self.search_report = None

    def _finish_full_build(self, renderer: Renderer, out: Path, problems: Problems) -> None:
        """Index the new folder for search, then swap it in: the index always matches the pages, or
        the search marker says it does not."""
        temp = temp_folder(out)
        renderer.copy_static(temp)
        indexed = self._index_search(temp, problems)
        if not indexed:
            self._mark_search_stale()
        with deferred_signals():  # Ctrl+C now would find the new site in place: said so (see build)
            swap_in(temp, out)
            self.site_changed = True
        if indexed and self.search_marker:
            self.search_marker.unlink(missing_ok=True)

    def _commit(self, out: Path, writes: list[tuple[str, bytes]], removed: list[str]) -> None:
        """Write an incremental build's pages in place, all or none (see commit_in_place)."""
        if not writes and not removed:
            return
        self._mark_search_stale()
        with deferred_signals():  # a Ctrl+C held during the commit arrives once it is noted as done
            try:
                commit_in_place(out, writes, removed)
            except SiteMixed:
                self.page_hashes = {}  # the folder holds pages of two builds: the next build is a full one
                self.site_changed = True
                raise
            self.site_changed = True
        if not (out / MARKER).is_file():  # a folder built by a Gloss from before the marker
            write_marker(out)

    def _mark_search_stale(self) -> None:
        if self.search_marker:
            mark_search_stale(self.search_marker)

    def _refresh_search(self, out: Path, problems: Problems, model: SiteModel) -> None:
        """Index the output folder in place when pages changed since Pagefind last ran on it (in this
        build or one that was stopped, failed, or ran without search)."""
        marker = self.search_marker
        if not self.search or self.search_ran or marker is None or not out.is_dir():
            return
        token = search_stale_token(marker)
        if token is None:
            return
        if self._index_search(out, problems):
            clear_search_stale(marker, token)
        if self.search_report:
            model.stages.append(self.search_report)
            self.search_report = None

    def _index_search(self, folder: Path, problems: Problems) -> bool:
        """Run Pagefind on `folder` (if this build has search); whether the index was written."""
        if not self.search:
            return False
        from .search import index_site

        start = time.perf_counter()
        self.search_ran = True
        indexed, summary = index_site(folder, problems, self.config.path)
        self.search_report = StageReport("search", summary, time.perf_counter() - start)
        return indexed


# ---------------------------------------------------------------- entry points used by the CLI

def build_site(config: SiteConfig, problems: Problems, drafts: bool = False,
               build_time: dt.datetime | None = None, workers: int | None = None,
               search: bool = True) -> SiteModel:
    """One build from the command line: starts from the state and cache in .gloss-cache/."""
    return SiteBuilder(config, drafts=drafts, workers=workers, search=search).build(problems, build_time)


def load_model(config: SiteConfig, problems: Problems, drafts: bool = False) -> SiteModel:
    """Load, parse and link everything without writing anything (for `check`)."""
    return SiteBuilder(config, drafts=drafts, use_cache=False, workers=1).load_model(problems)


__all__ = ["GlossError", "SiteBuilder", "SiteModel", "build_site", "load_model"]
