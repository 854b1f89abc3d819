"""The build: load → parse → link → render, doing only the work that changed since the last build.

A `SiteBuilder` remembers what it saw (file stamps, parsed documents, a hash of every page it
wrote). `build.py serve` keeps one alive between rebuilds; `build.py build` starts from the parse
cache in `.gloss-cache/`. Either way a rebuild re-parses only changed files, re-renders only pages
whose inputs changed, and rewrites only pages whose bytes changed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import gc
import hashlib
import multiprocessing
import multiprocessing.pool
import os
import pickle
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from markdown_it import MarkdownIt

from . import __version__, testpoints
from .cache import CACHE_FORMAT, SCHEMA, DocumentStore, ParseCache, cache_key
from .config import SiteConfig, check_output_folder
from .content import Article, Entity, EntityRegistry, parse_article, parse_entity, read_text, unread_sources
from .errors import BuildFailed, GlossError, Problems
from .graph import SiteGraph, build_graph, update_graph
from .markup import create_markdown
from .output import (
    MARKER,
    FreshFolder,
    SiteMixed,
    build_lock,
    clean_stale_outputs,
    clear_search_stale,
    commit_in_place,
    deferred_signals,
    mark_search_stale,
    new_temp_folder,
    page_hash,
    safe_target,
    search_stale_token,
    swap_in,
    temp_folder,
    write_marker,
)
from .parse import ParsedDocument, parse_document
from .render import Changes, PageSpec, Renderer, article_neighbours, jinja_env
from .symlinks import link_refused
from .words import counted

# On a site past FULL_DOCUMENTS_UP_TO articles a render worker is replaced by a fresh fork after this many
# batches of 48 pages: its copies of the builder's memory would grow without bound (4.7 GB for three
# processes at 100,000 articles). On a smaller one they stay small (85 MB more at the peak at 10,000),
# and a fresh worker's faults on memory its predecessor had already copied cost 0.5 CPU-s.
RENDER_BATCHES_PER_WORKER = 60
EVEN_PAGES = {"article", "article-annotations", "entity-card"}  # page kinds that each take about as long as any other
PIPE_SIZE = 1 << 20  # see _widen_pipes
FLUSH_BYTES = 4 << 20  # see _RenderJob.batch
STATE_FORMAT = 3  # .gloss-cache/state.pickle: 2, the page hashes in a second pickle (see save_state); 3: Dateline
PARALLEL_MIN = 400  # below this many files or pages, starting worker processes costs more than it saves
# Up to this many articles the builder holds every article's full parsed document (9 KB more each than
# a lightened one, see SiteBuilder._kept): reading them back from the parse cache costs 0.1 ms a page.
FULL_DOCUMENTS_UP_TO = 20_000


@dataclass
class StageReport:
    name: str
    summary: str
    seconds: float

    def line(self) -> str:
        return f"{self.name:<8} {self.summary:<52} {self.seconds * 1000:7.0f} ms"


class RenderMemory(NamedTuple):
    """What the builder keeps of a build that rendered, to tell what the next one changes."""

    resolved: dict[str, tuple[str | None, ...]]  # article slug -> entity id of each of its mentions
    articles: dict[str, Article]  # by slug, in the site's order
    neighbours: dict[str, tuple[str | None, str | None]]
    order: list[str]
    list_counts: tuple  # Renderer.list_counts()


@dataclass
class SourceEntry:
    """One content file as last read: its stamp, and what loading and parsing it gave."""

    stamp: tuple[int, int]
    key: str
    item: Article | Entity | None
    doc: ParsedDocument | None
    problems: list[GlossError]


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


def dateline_places(*articles: Article | None) -> set[str]:
    """The places the articles are datelined at: their pages list the articles."""
    return {place for a in articles if a is not None and a.dateline
            for place in (a.dateline.place, a.dateline.region_place) if place}


def stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return (info.st_mtime_ns, info.st_size)


# ---------------------------------------------------------------- loading one file (also in workers)

@dataclass
class SourceText:
    path: Path
    shown: Path  # relative to the project root, as messages show it
    stamp: tuple[int, int]
    text: str | None  # None: read by the worker that parses it (see SiteBuilder._reads_in_workers)
    key: str


_PARSERS: dict[bool, MarkdownIt] = {}


def markdown_parser(raw_html: bool) -> MarkdownIt:
    """One parser per process: building markdown-it's rule chains costs more than parsing an article."""
    if raw_html not in _PARSERS:
        _PARSERS[raw_html] = create_markdown(raw_html)
    return _PARSERS[raw_html]


def parse_sources(kind: str, sources: list[SourceText], type_ids: list[str], raw_html: bool) -> list[SourceEntry]:
    """Check and parse article or entity files, every problem kept with its entry: all their front
    matter first, then all their bodies, so that each stage keeps its code in the processor's caches."""
    heads = [_parse_head(kind, source, type_ids) for source in sources]
    md = markdown_parser(raw_html)
    return [_parse_body(md, source, item, problems) for source, (item, problems) in zip(sources, heads, strict=True)]


def _parse_head(kind: str, source: SourceText, type_ids: list[str]) -> tuple[Article | Entity | None, Problems]:
    problems = Problems()
    try:
        if kind == "article":
            return parse_article(source.text, source.shown, problems), problems
        return parse_entity(source.text, source.shown, type_ids, problems), problems
    except GlossError as error:
        problems.add(error)
        return None, problems


def _parse_body(md: MarkdownIt, source: SourceText, item: Article | Entity | None, problems: Problems) -> SourceEntry:
    if item is not None:
        try:
            doc = parse_document(md, item.body, source.shown, item.body_line)
        except GlossError as error:
            problems.add(error)
        else:
            problems.items.extend(doc.problems)
            item.body = ""  # the parsed document holds all that later stages need
            return SourceEntry(source.stamp, source.key, item, doc, problems.items)
    return SourceEntry(source.stamp, source.key, None, None, problems.items)


def _read_and_parse(kind: str, sources: list[SourceText], type_ids: list[str], raw_html: bool,
                    options: str) -> list[SourceEntry]:
    """Parse `sources`, reading those the builder left to this worker first: all are read, then
    parsed (see parse_sources), rather than one file at a time."""
    read = [_read_source(source, options) for source in sources]
    parsed = iter(parse_sources(kind, [r for r in read if isinstance(r, SourceText)], type_ids, raw_html))
    return [r if isinstance(r, SourceEntry) else next(parsed) for r in read]


def _read_source(source: SourceText, options: str) -> SourceText | SourceEntry:
    """`source` with its text and cache key (read here if the builder left that to this worker), or
    the entry saying why it could not be read."""
    if source.text is not None:
        return source
    try:
        text = read_text(source.path, source.shown)
    except GlossError as error:
        return SourceEntry(source.stamp, "", None, None, [error])
    return SourceText(source.path, source.shown, source.stamp, text, cache_key(text, source.shown, options))


def _parse_pickled_chunk(job: tuple[str, list[SourceText], list[str], bool, str]) -> list[tuple[tuple, str, bytes]]:
    """In a worker: parse, and pickle each result once, as the parse cache stores it; the builder
    unpickles it and stores the same bytes, rather than pickling everything a second time.

    The chunk's files are all read, then their front matter all parsed, then their bodies, then all
    pickled, rather than one file at a time: each stage keeps its code in the processor's caches (as
    _RenderJob.batch does for pages)."""
    kind, sources, type_ids, raw_html, options = job
    return [(e.stamp, e.key, pickle.dumps((e.item, e.doc, e.problems), protocol=pickle.HIGHEST_PROTOCOL))
            for e in _read_and_parse(kind, sources, type_ids, raw_html, options)]


def in_workers_in_order(func: Callable[[Any], Any], jobs: list, workers: int) -> Iterator[Any]:
    """func over jobs in forked worker processes, each result as soon as it and those before it are
    done: the caller works on the first results while the workers make the rest."""
    yield from _pool_map(func, jobs, workers, ordered=True)


def in_workers(func: Callable[[Any], Any], jobs: list, workers: int, jobs_per_worker: int | None = None,
               meanwhile: Callable[[], None] | None = None) -> list:
    """func over jobs in worker processes forked from this one (so they share what is already
    loaded), results in any order. `meanwhile` is called once the workers have their jobs, before
    their results are taken in.

    `jobs_per_worker` replaces each worker by a fresh fork after that many jobs: reading Python
    objects writes their reference counts, so a long-lived worker ends up with its own copy of
    every page of the builder's memory it touched (4.7 GB for three processes at 100,000 articles).
    """
    return list(_pool_map(func, jobs, workers, ordered=False, jobs_per_worker=jobs_per_worker, meanwhile=meanwhile))


def _pool_map(func: Callable[[Any], Any], jobs: list, workers: int, ordered: bool,
              jobs_per_worker: int | None = None, meanwhile: Callable[[], None] | None = None) -> Iterator[Any]:
    """The pool is closed and joined, not terminated, when all went well: terminating idle workers
    can leave one holding the task queue's lock."""
    pool = _Pool(workers, maxtasksperchild=jobs_per_worker, context=multiprocessing.get_context("fork"))
    _widen_pipes(pool)
    try:
        results = (pool.imap if ordered else pool.imap_unordered)(func, jobs)
        if meanwhile is not None:
            meanwhile()
        yield from results
        pool.close()
        pool.join()
    except BaseException:
        pool.terminate()
        raise


class _Pool(multiprocessing.pool.Pool):
    """A pool whose workers end without a word when the builder is gone (killed): each would print a
    BrokenPipeError traceback on handing in its result. (Dying of SIGPIPE instead could leave the
    result pipe's lock held by the dead worker, and the next one waiting for it for ever.)"""

    @staticmethod
    def Process(ctx, *args, **kwds):  # noqa: N802 - the name multiprocessing.pool.Pool calls
        kwds["target"] = functools.partial(_quiet_worker, kwds["target"])
        return ctx.Process(*args, **kwds)


def _quiet_worker(worker: Callable[..., None], *args: Any) -> None:
    try:
        worker(*args)
    except BrokenPipeError:  # the builder closed the pipe by dying: there is no one left to tell
        os._exit(1)


def _widen_pipes(pool: multiprocessing.pool.Pool) -> None:
    """Give the pool's pipes 1 MB (Linux) instead of 64 KB: a chunk of parse results is about 400 KB,
    and a worker sending it through 64 KB waits at each piece for the builder's result thread, which
    waits for the interpreter lock (measured at 10,000 articles: 0.2-0.4 CPU-s less in the builder).
    Where the pipes or the call are not there, the pool works as it is."""
    with contextlib.suppress(AttributeError, OSError):
        for queue in (pool._outqueue, pool._inqueue):
            fcntl.fcntl(queue._reader.fileno(), fcntl.F_SETPIPE_SZ, PIPE_SIZE)


# ---------------------------------------------------------------- the builder

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
        self.sources: dict[str, dict[Path, SourceEntry]] = {"article": {}, "entity": {}}
        self.page_hashes: dict[str, str | None] = {}  # None: written by a first build, not hashed
        self.resolved: dict[str, tuple[str, ...]] = {}  # article slug -> entity ids its mentions resolve to
        self.theme_stamp: tuple = ()
        self.rendered_articles: dict[str, Article] = {}  # the last render's articles, in its order
        self.list_counts: tuple = ((), {})  # and its Renderer.list_counts()
        self.neighbours: dict[str, tuple[str | None, str | None]] = {}
        self.article_order: list[str] = []
        self.passage_cache: dict[str, dict[str, str]] = {}  # see Renderer.passage_section
        self.page_set: tuple = ()  # Renderer.page_set() at the last build, with the specs and paths it gave
        self.specs: list[PageSpec] = []
        self.spec_paths: set[str] | None = None
        self.graph: SiteGraph | None = None  # the last one linked, updated in place of relinking everything
        self.linked_with: list[int] = []  # ids of the entity objects it was linked with
        self.registry_warnings: list[GlossError] = []
        self.jinja_env: jinja2.Environment | None = None
        self.previous_keys: dict[str, dict[Path, str]] = {}
        self.changed: dict[str, set[str]] = {"article": set(), "entity": set()}  # stems re-read in this build
        # What changed since the last build that rendered: a failed build renders nothing, so its
        # changes carry over to the next one, with the slugs linked again (None: every one).
        self.unrendered: dict[str, set[str]] = {"article": set(), "entity": set()}
        self.relinked_since_render: set[str] | None = None
        self.scanned: dict[str, dict[Path, tuple[int, int]]] = {}
        self._paths: dict[str, dict[str, Path]] = {}  # file name -> Path, per kind
        self.saved_stamps: dict[str, dict[Path, tuple[int, int]]] = {}  # from .gloss-cache/state.pickle
        self.search_report: StageReport | None = None
        self.search_ran = False  # Pagefind ran in this build (on a full build's new folder)
        self.site_changed = False  # this build has changed the output folder (see build)
        self.state_loaded = False
        self.prepared_state: bytes | None = None  # see save_state
        self.full_documents_up_to = FULL_DOCUMENTS_UP_TO
        self.light_documents = False  # see _kept: once the site has grown past full_documents_up_to

    # -- state kept between runs of build.py

    @property
    def state_path(self) -> Path | None:
        return self.cache_dir / "state.pickle" if self.cache_dir else None

    @property
    def search_marker(self) -> Path | None:
        """A file that says pages changed since Pagefind last indexed the output folder (written by
        any build that changes pages without indexing them: --no-search, serve, one interrupted or
        failed); the next build with search indexes the site, even if nothing else changed."""
        return self.cache_dir / "search-stale" if self.cache_dir else None

    def _state_signature(self) -> tuple:
        """What the saved state is only good for: the parse cache's format (the state names the
        cached parse of each file, by its key) and the settings (pages rendered with others — a
        site.yml edited while `serve` ran, or between builds — are not to be trusted)."""
        settings = hashlib.sha256(repr(self.config).encode()).hexdigest()
        return (STATE_FORMAT, __version__, CACHE_FORMAT, SCHEMA, str(self.config.output_path), self.drafts, settings)

    def load_state(self, problems: Problems) -> None:
        self.state_loaded = True
        path = self.state_path
        if path is None or not path.exists():
            return
        try:
            with open(path, "rb") as handle:
                state = pickle.load(handle)
                if state.get("signature") != self._state_signature():
                    return
                page_hashes = pickle.load(handle)
            self.page_hashes, self.theme_stamp = page_hashes, state["theme_stamp"]
            self.resolved = state["resolved"]
            self.rendered_articles, self.previous_keys = state["articles"], state["keys"]
            self.list_counts = state["list_counts"]
            self.saved_stamps, self.neighbours = state["stamps"], state["neighbours"]
            self.article_order = list(self.rendered_articles)
        except Exception as exc:  # noqa: BLE001 - any unreadable state means: build from scratch
            problems.warn(f"build state {path} is unreadable ({type(exc).__name__}); rebuilding everything",
                          path, hint="nothing to do: .gloss-cache/ is rebuilt as needed")
            self.page_hashes, self.theme_stamp = {}, ()

    def save_state(self) -> None:
        """Remember what the output folder holds; after a failed build it holds less than the sources
        say, so no state is kept at all (the next build is then a full one).

        The file holds two pickles: all but the page hashes (made while the workers render, when a
        build has workers: see _render), then the hashes, known only once every page is written."""
        path = self.state_path
        prepared, self.prepared_state = self.prepared_state, None
        if path is None:
            return
        if any(self.unrendered.values()) or self.relinked_since_render:
            path.unlink(missing_ok=True)
            return
        if prepared is None:
            memory = RenderMemory(self.resolved, self.rendered_articles, self.neighbours, self.article_order,
                                  self.list_counts)
            prepared = self._state_without_hashes(memory, self.theme_stamp)
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(".tmp")
        with open(temp, "wb") as handle:
            handle.write(prepared)
            pickle.dump(self.page_hashes, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)

    def _state_without_hashes(self, memory: RenderMemory, theme_stamp: tuple) -> bytes:
        """The state as it will be once `memory` is rendered, but for the page hashes, pickled."""
        stamps = {kind: {p: e.stamp for p, e in entries.items()} for kind, entries in self.sources.items()}
        keys = {kind: {p: e.key for p, e in entries.items()} for kind, entries in self.sources.items()}
        state = {"signature": self._state_signature(), "stamps": stamps, "theme_stamp": theme_stamp,
                 "resolved": memory.resolved, "articles": memory.articles, "keys": keys,
                 "neighbours": memory.neighbours, "list_counts": memory.list_counts}
        return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)

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
                if clean_stale_outputs(out) and self.state_path:
                    self.state_path.unlink(missing_ok=True)  # the site holds pages it does not know: a full build
                self.load_state(problems)
            stages: list[StageReport] = []
            self.changed = {"article": set(), "entity": set()}
            self.scanned = self._rescan(changed_paths) or {kind: self._scan(kind) for kind in ("article", "entity")}
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
            self.previous_keys = {}
            if self.save_every_build:
                self.save_state()
            elif self.state_path and self.state_path.exists():
                self.state_path.unlink()  # it no longer describes the output; save_state() writes one that does
        except BaseException:
            if self.site_changed and self.state_path:
                self.state_path.unlink(missing_ok=True)
            raise

    def _theme_stamp(self) -> tuple:
        files = [self.config.root / "site.yml", *sorted(self.config.theme_dir.rglob("*"))]
        return tuple((str(p), stamp(p)) for p in files if p.is_file())

    def _scan(self, kind: str) -> dict[Path, tuple[int, int]]:
        """Every source file with its stamp, by name; os.scandir, as pathlib's glob and sorting by
        Path cost a tenth of a second at 12,000 files, on every rebuild. A symbolic link is refused
        (gloss/symlinks.py): is_symlink() costs no system call."""
        folder = self.config.content_dir / ("articles" if kind == "article" else "entities")
        try:
            with os.scandir(folder) as listing:
                entries = [entry for entry in listing
                           if entry.name.endswith(".md") and not entry.name.endswith(".ingest.md")]
        except FileNotFoundError:
            return {}
        link = next((entry for entry in entries if entry.is_symlink()), None)
        if link is not None:
            raise link_refused(link.path, os.path.relpath(link.path, self.config.root))
        found = [(entry.name, entry.stat()) for entry in entries if entry.is_file()]
        paths = self._paths.setdefault(kind, {})  # the same Path objects every time: cheaper to hash
        for name, _ in found:
            if name not in paths:
                paths[name] = folder / name
        return {paths[name]: (info.st_mtime_ns, info.st_size) for name, info in sorted(found)}

    def _rescan(self, changed_paths: list[str] | None) -> dict[str, dict[Path, tuple[int, int]]] | None:
        """The last scan with only `changed_paths` looked at again; None when a full scan is needed
        (no scan yet, or a path that is not an article or entity file, such as a seed or the theme)."""
        if changed_paths is None or not self.scanned:
            return None
        folders = {self.config.content_dir / "articles": "article", self.config.content_dir / "entities": "entity"}
        scanned = {kind: dict(found) for kind, found in self.scanned.items()}
        for name in changed_paths:
            path = Path(name)
            kind = folders.get(path.parent)
            if kind is None or path.suffix != ".md" or path.name.endswith(".ingest.md"):
                return None
            path = self._paths.setdefault(kind, {}).setdefault(path.name, path)
            try:
                scanned[kind][path] = stamp(path)
            except FileNotFoundError:
                scanned[kind].pop(path, None)
        return scanned

    def _nothing_changed(self, theme_stamp: tuple, out: Path) -> bool:
        """The fast no-op: every stamp as last time and the output still there."""
        saved = self.saved_stamps
        if self.sources["article"] or self.sources["entity"]:
            saved = {kind: {p: e.stamp for p, e in entries.items()} for kind, entries in self.sources.items()}
        if not saved or theme_stamp != self.theme_stamp or not out.is_dir() or not self.page_hashes:
            return False
        return all(self.scanned[kind] == saved.get(kind) for kind in ("article", "entity"))

    def _unchanged_model(self, problems: Problems, stages: list[StageReport]) -> SiteModel:
        """Nothing to do; errors and warnings of the last build still stand (it succeeded, so warnings only)."""
        for entries in self.sources.values():
            for entry in entries.values():
                for problem in entry.problems:
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
            parsed = self._refresh(cache)
            if cache:
                cache.save()
        finally:
            if cache:
                cache.close()
        article_entries = [e for e in self.sources["article"].values() if isinstance(e.item, Article)]
        entity_entries = [e for e in self.sources["entity"].values() if isinstance(e.item, Entity)]
        articles = [e.item for e in article_entries]
        entities = [e.item for e in entity_entries]
        for entries in self.sources.values():
            for entry in entries.values():
                for problem in entry.problems:
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
            broken = {path.stem: str(path.relative_to(self.config.root)) for path, e in self.sources["entity"].items()
                      if e.item is None}
            graph = build_graph(articles, docs, entity_docs, registry, problems, broken)
        for warning in self.registry_warnings:
            problems.add(warning)
        self.graph, self.linked_with = graph, linked_with
        for kind, stems in self.changed.items():
            self.unrendered[kind] |= stems
        if graph.relinked is None or self.relinked_since_render is None:
            self.relinked_since_render = None
        else:
            self.relinked_since_render |= graph.relinked
        return graph

    def _refresh(self, cache: ParseCache | None) -> int:
        """Re-read article and entity files whose stamp changed, parsing only those whose text changed
        (both kinds in one pool of workers); returns how many were parsed."""
        plans = {kind: self._to_parse(kind, cache) for kind in ("article", "entity")}
        todo = [(kind, source) for kind, (sources, _) in plans.items() for source in sources]
        for (kind, source), (entry, blob) in zip(todo, self._parse_all(todo), strict=True):
            if source.text is None:  # read by a worker: what _read does for the others
                self._note_read(kind, source.path, entry.key)
            stored = (cache is not None and entry.item is not None
                      and cache.put(entry.key, blob or (entry.item, entry.doc, entry.problems)))
            entry.doc = self._kept(kind, entry.doc, stored)
            self.sources[kind][source.path] = entry
        for kind, (_, added) in plans.items():
            if added:  # kept in file name order, for a stable parse and link order
                self.sources[kind] = dict(sorted(self.sources[kind].items()))
        return len(todo)

    def _to_parse(self, kind: str, cache: ParseCache | None) -> tuple[list[SourceText], bool]:
        """Take in files gone, untouched or found in the cache; the rest, and whether files were added."""
        known = self.sources[kind]
        found = self.scanned[kind] if self.scanned else self._scan(kind)
        if kind == "article" and len(found) > self.full_documents_up_to:
            self.light_documents = True
        for gone in known.keys() - found.keys():
            del known[gone]
            self.changed[kind].add(gone.stem)
        added = bool(found.keys() - known.keys())
        self.changed[kind].update(p.stem for p in self.previous_keys.get(kind, {}) if p not in found)
        to_read: list[tuple[Path, tuple[int, int]]] = []
        saved_stamps, saved_keys = self.saved_stamps.get(kind, {}), self.previous_keys.get(kind, {})
        for path, file_stamp in found.items():
            old = known.get(path)
            if old is not None and old.stamp == file_stamp:
                continue
            # Untouched since the last build of an earlier process: its parse is in the cache under
            # the key that build saved, without reading the file (as the no-op check trusts stamps).
            saved_key = saved_keys.get(path) if saved_stamps.get(path) == file_stamp else None
            if cache and saved_key and (hit := cache.get(saved_key)):
                known[path] = SourceEntry(file_stamp, saved_key, hit[0], self._kept(kind, hit[1], True), hit[2])
                continue
            to_read.append((path, file_stamp))
        return self._unparsed_sources(kind, to_read, known, cache), added

    def _reads_in_workers(self, known: dict[Path, SourceEntry], cache: ParseCache | None, count: int) -> bool:
        """A first build with an empty cache (a fresh clone, or `.gloss-cache/` deleted) has nothing to
        compare a file with: the parse workers read and hash the files, instead of this process
        reading all of them before the first parse starts (0.4 s at 10,000 articles)."""
        return (not known and (cache is None or cache.empty) and count >= PARALLEL_MIN and self.workers >= 2)

    def _unparsed_sources(self, kind: str, to_read: list[tuple[Path, tuple[int, int]]],
                          known: dict[Path, SourceEntry], cache: ParseCache | None) -> list[SourceText]:
        """Read the files in `to_read` (or leave that to the parse workers); those the cache lacks."""
        if self._reads_in_workers(known, cache, len(to_read)):
            return [SourceText(path, path.relative_to(self.config.root), file_stamp, None, "")
                    for path, file_stamp in to_read]
        to_parse: list[SourceText] = []
        for path, file_stamp in to_read:
            source = self._read(kind, path, file_stamp, known)
            if source is None:
                continue
            hit = cache.get(source.key) if cache else None
            if hit is not None:
                item, doc, problems = hit
                known[path] = SourceEntry(file_stamp, source.key, item, self._kept(kind, doc, True), problems)
            else:
                to_parse.append(source)
        return to_parse

    def _kept(self, kind: str, doc: ParsedDocument | None, stored: bool) -> ParsedDocument | None:
        """What to hold of a document: on a big site, an article's, once in the parse cache, without
        its HTML and text (Renderer.document reads those back for the pages that show them)."""
        if doc is None or not stored or kind != "article" or not self.light_documents:
            return doc
        return doc.lightened()

    def _read(self, kind: str, path: Path, file_stamp: tuple[int, int],
              known: dict[Path, SourceEntry]) -> SourceText | None:
        """Read a changed file; None when its text is what we already parsed (only touched)."""
        shown = path.relative_to(self.config.root)
        self.changed[kind].add(path.stem)
        try:
            text = read_text(path, shown)
        except GlossError as error:
            known[path] = SourceEntry(file_stamp, "", None, None, [error])
            return None
        key = cache_key(text, shown, self._cache_options(kind))
        old = known.get(path)
        self._note_read(kind, path, key)
        if old is not None and old.key == key:
            known[path] = SourceEntry(file_stamp, key, old.item, old.doc, old.problems)
            self.changed[kind].discard(path.stem)
            return None
        return SourceText(path, shown, file_stamp, text, key)

    def _note_read(self, kind: str, path: Path, key: str) -> None:
        """A file was read: it changed, unless its text is as at the last build (only our memory of it
        was lost)."""
        self.changed[kind].add(path.stem)
        if self.previous_keys.get(kind, {}).get(path) == key:
            self.changed[kind].discard(path.stem)

    def _parse_all(self, todo: list[tuple[str, SourceText]]) -> Iterator[tuple[SourceEntry, bytes | None]]:
        """Parsed entries in the order of `todo`, each with its pickled form when a worker made one."""
        type_ids, raw_html = self.config.type_ids(), self.config.raw_html
        if len(todo) < PARALLEL_MIN or self.workers < 2:
            for kind, source in todo:
                yield _read_and_parse(kind, [source], type_ids, raw_html, self._cache_options(kind))[0], None
            return
        # Small chunks of one kind each: a worker left with a big last one would keep the other core idle.
        jobs = []
        for kind in ("article", "entity"):
            sources = [source for of_kind, source in todo if of_kind == kind]
            options = self._cache_options(kind)
            jobs += [(kind, sources[i:i + 40], type_ids, raw_html, options) for i in range(0, len(sources), 40)]
        for part in in_workers_in_order(_parse_pickled_chunk, jobs, self.workers):
            for file_stamp, key, blob in part:
                yield SourceEntry(file_stamp, key, *pickle.loads(blob)), blob

    # -- render

    def _relinked(self, graph: SiteGraph) -> set[str]:
        """The articles linked again since the last build that rendered."""
        if self.relinked_since_render is None:
            return graph.documents.keys() | self.resolved.keys()
        return self.relinked_since_render

    def _remembered(self, graph: SiteGraph, list_counts: tuple) -> RenderMemory:
        """What to remember once this build has rendered: each relinked article's resolved mentions
        (the others' are as last time), the articles, their neighbours and order, the list counts."""
        relinked = self._relinked(graph)
        resolved = dict(self.resolved)
        for slug in relinked:
            doc = graph.documents.get(slug)
            if doc is None:
                resolved.pop(slug, None)
            else:
                resolved[slug] = graph.resolved[slug]
        articles = {a.slug: a for a in graph.articles}
        order = list(articles)
        # The usual edit adds, removes or moves no article: the neighbours are as last time.
        neighbours = self.neighbours if order == self.article_order else article_neighbours(order)
        return RenderMemory(resolved, articles, neighbours, order, list_counts)

    def _changes(self, graph: SiteGraph, page_paths: set[str], now: RenderMemory) -> Changes:
        """What changed since the last build that rendered (a full build, which renders every page,
        has no need to know)."""
        changes = Changes(entities=set(self.unrendered["entity"]), previous=self.rendered_articles,
                          previous_lists=self.list_counts)
        relinked = self._relinked(graph)
        slugs = set(self.unrendered["article"])
        slugs |= {s for s in relinked if now.resolved.get(s) != self.resolved.get(s)}
        for slug in slugs:
            changes.articles.add(slug)
            changes.quoted[slug] = {i for i in (*now.resolved.get(slug, ()), *self.resolved.get(slug, ())) if i}
            changes.mentions |= changes.quoted[slug]
            changes.mentions |= dateline_places(now.articles.get(slug), self.rendered_articles.get(slug))
            if now.articles.get(slug) != self.rendered_articles.get(slug):
                changes.listed.add(slug)
        if now.neighbours is not self.neighbours:
            changes.neighbours = {s for s, pair in now.neighbours.items() if self.neighbours.get(s) != pair}
        changes.page_set = bool(changes.neighbours) or page_paths != self.page_hashes.keys()
        if page_paths != self.page_hashes.keys():
            changes.entity_years = {p.split("/")[1] for p in page_paths ^ self.page_hashes.keys()
                                    if p.startswith("entities/") and p.count("/") == 3}
        return changes

    def _cache_options(self, kind: str) -> str:
        """What besides the text and path changes a parse: part of every cache key."""
        return f"{kind}:{self.config.raw_html}:{','.join(self.config.type_ids())}"

    def _document_loader(self) -> Callable[[str], ParsedDocument] | None:
        """Full article documents for the renderer, read back from the parse cache (see _kept)."""
        if self.cache_dir is None:
            return None
        store = DocumentStore(self.cache_dir)
        folder = self.config.content_dir / "articles"

        def load(slug: str) -> ParsedDocument:
            path = folder / f"{slug}.md"  # an article's slug is its file name
            entry = self.sources["article"][path]
            doc = store.get(entry.key)
            if doc is None:  # the cache lost it (deleted under our feet): parse the file again
                again = _read_and_parse("article", [SourceText(path, entry.item.path, entry.stamp, None, "")],
                                        self.config.type_ids(), self.config.raw_html, self._cache_options("article"))[0]
                if not again.key:  # it can no longer be read
                    raise again.problems[0]
                if again.key != entry.key:
                    raise GlossError("the file changed while the site was being built", entry.item.path,
                                     hint="build again")
                doc = again.doc
            return doc

        return load

    def _rendered(self, memory: RenderMemory) -> None:
        self.resolved, self.rendered_articles, self.neighbours, self.article_order, self.list_counts = memory
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
        page_set = renderer.page_set()
        if page_set != self.page_set:  # a list of 22,000 pages at 10,000 articles: made again only if it changes
            self.page_set, self.specs, self.spec_paths = page_set, renderer.page_specs(), None
        specs = self.specs
        paths = self.spec_paths = self.spec_paths or {s.path for s in specs}
        memory = self._remembered(model.graph, renderer.list_counts())
        if full:
            todo = specs
            self.passage_cache = {}
        else:
            changes = self._changes(model.graph, paths, memory)
            for slug in changes.articles:
                self.passage_cache.pop(slug, None)
            affected = renderer.affected(changes)
            todo = [s for s in specs if s.path in affected or s.path not in self.page_hashes]
        renderer.passage_cache = self.passage_cache  # filled only by pages rendered in this process
        renderer.load_document = self._document_loader()
        removed = sorted(set(self.page_hashes) - paths)
        self.prepared_state = None

        def prepare_state() -> None:  # in this process's idle time while the workers render
            if self.save_every_build and self.state_path:
                self.prepared_state = self._state_without_hashes(memory, theme_stamp)

        try:
            results = self._render_pages(renderer, todo, out, full, prepare_state)
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

    def _render_pages(self, renderer: Renderer, specs: list[PageSpec], out: Path, full: bool,
                      meanwhile: Callable[[], None]) -> list[tuple]:
        """Render `specs`; a full build writes into a temp folder (which _render removes if it
        fails), an incremental one in place. `meanwhile` is called while worker processes render,
        if there are any."""
        target = new_temp_folder(out) if full else out
        job = _RenderJob(renderer, target, out if full else None, self.page_hashes)
        try:
            if len(specs) < PARALLEL_MIN or self.workers < 2:
                return job.run(specs)
            renderer.warm_up()
            job.specs = specs
            _RenderJob.current = job
            # Small batches handed out as workers free up: page costs differ a thousandfold (a busy
            # entity's page against an annotation file), and big fixed chunks leave a core idle.
            # Articles, the many cheap and even pages, go last: with a list or a busy entity's page
            # (up to 0.2 s at 10,000 articles) in the last batches, one core would wait for the other.
            order = sorted(range(len(specs)), key=lambda i: specs[i].kind in EVEN_PAGES)
            batches = [order[i:i + 48] for i in range(0, len(order), 48)]
            renewal = RENDER_BATCHES_PER_WORKER if self.light_documents else None
            parts = in_workers(_render_chunk, batches, self.workers, jobs_per_worker=renewal, meanwhile=meanwhile)
            return [pair for part in parts for pair in part]
        finally:
            _RenderJob.current = None

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


class _RenderJob:
    """Renders pages and writes those whose bytes changed; reused unchanged files are hard-linked."""

    current: _RenderJob | None = None  # what forked workers render (set before the fork)

    def __init__(self, renderer: Renderer, target: Path, previous: Path | None,
                 hashes: dict[str, str | None]) -> None:
        self.renderer, self.target, self.previous, self.hashes = renderer, target, previous, hashes
        self.fresh = FreshFolder(target)  # used when target is a new folder (previous is set)
        self.specs: list[PageSpec] = []

    def run(self, specs: list[PageSpec]) -> list[tuple[str, str | None, bool | bytes | None]]:
        self.specs = specs
        return self.batch(specs)

    def batch(self, specs: list[PageSpec]) -> list[tuple[str, str | None, bool | bytes | None]]:
        """Render a few pages, then store them, and again: a page rendered right after writing a file
        took a seventh longer (the system calls push the renderer's code and data out of the
        processor's caches). At most about FLUSH_BYTES of pages wait to be stored."""
        done: list[tuple[str, str | None, bool | bytes | None]] = []
        waiting: list[tuple[PageSpec, bytes]] = []
        size = 0
        for spec in specs:
            data = self.renderer.render_spec(spec)
            waiting.append((spec, data))
            size += len(data)
            if size >= FLUSH_BYTES:
                done += [self.store(*page) for page in waiting]
                waiting, size = [], 0
        done += [self.store(*page) for page in waiting]
        testpoints.pause("render")
        return done

    def store(self, spec: PageSpec, data: bytes) -> tuple[str, str | None, bool | bytes | None]:
        """(path, hash of its bytes, what was done): in a temp folder, whether the file was written;
        in place, the bytes to write (or None), written later all at once by `commit_in_place`."""
        digest, unchanged = self.compare(spec.path, data)
        if self.previous is None:
            return spec.path, digest, None if unchanged and safe_target(self.target, spec.path).exists() else data
        if unchanged and _link_previous(self.previous, spec.path, safe_target(self.target, spec.path)):
            return spec.path, digest, False
        self.fresh.write(spec.path, data)
        return spec.path, digest, True

    def compare(self, rel: str, data: bytes) -> tuple[str | None, bool]:
        """The page's hash, and whether the last build wrote the same bytes. A first build has nothing
        to compare with and remembers no hashes (hashing 22,000 pages took 0.3 CPU-s); a later one
        compares such a page with the file itself."""
        if not self.hashes:
            return None, False
        digest = page_hash(data)
        known = self.hashes.get(rel, "")
        if known is None:
            return digest, _file_holds(self.previous or self.target, rel, data)
        return digest, known == digest


def _file_holds(folder: Path, rel: str, data: bytes) -> bool:
    try:
        with open(safe_target(folder, rel), "rb") as handle:
            return handle.read() == data
    except OSError:
        return False


def _link_previous(previous: Path, rel: str, path: Path) -> bool:
    """Reuse the last build's file for an unchanged page, so its modification time stays."""
    old = previous / rel
    if not old.is_file():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(old, path)
    except OSError:
        shutil.copy2(old, path)
    return True


def _render_chunk(indices: list[int]) -> list[tuple[str, str | None, bool | bytes | None]]:
    job = _RenderJob.current
    job.renderer.passage_cache = None  # a worker's copy would be thrown away with it: not worth its memory
    return job.batch([job.specs[i] for i in indices])


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
