"""The parse stage of a build: the site's article and entity files, read, checked and parsed, and
which of them changed since the last build.

`SourceSet` keeps every file's stamp, cache key and parse between builds; a build re-reads only
files whose stamp changed and re-parses only those whose text changed (from the parse cache in
`.gloss-cache/` when a file's text was parsed before). Big batches are parsed in worker processes
(gloss/workers.py), which also run the module-level functions here.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from .cache import ParseCache, cache_key
from .config import SiteConfig
from .content import Article, Entity, parse_article, parse_entity, read_text
from .errors import GlossError, Problems
from .markup import create_markdown
from .parse import ParsedDocument, parse_document
from .symlinks import link_refused
from .workers import PARALLEL_MIN, in_workers_in_order

# Up to this many articles the builder holds every article's full parsed document (9 KB more each than
# a lightened one, see SourceSet._kept): reading them back from the parse cache costs 0.1 ms a page.
FULL_DOCUMENTS_UP_TO = 20_000


@dataclass
class SourceEntry:
    """One content file as last read: its stamp, and what loading and parsing it gave."""

    stamp: tuple[int, int]
    key: str
    item: Article | Entity | None
    doc: ParsedDocument | None
    problems: list[GlossError]



def stamp(path: Path) -> tuple[int, int]:
    info = path.stat()
    return (info.st_mtime_ns, info.st_size)


# ---------------------------------------------------------------- loading one file (also in workers)

@dataclass
class SourceText:
    path: Path
    shown: Path  # relative to the project root, as messages show it
    stamp: tuple[int, int]
    text: str | None  # None: read by the worker that parses it (see SourceSet._reads_in_workers)
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
    gloss/pagewriter.py does for pages)."""
    kind, sources, type_ids, raw_html, options = job
    return [(e.stamp, e.key, pickle.dumps((e.item, e.doc, e.problems), protocol=pickle.HIGHEST_PROTOCOL))
            for e in _read_and_parse(kind, sources, type_ids, raw_html, options)]

# ---------------------------------------------------------------- the site's files, between builds

class SourceSet:
    """The article and entity files as last read and parsed, by kind and path, and what changed."""

    def __init__(self, config: SiteConfig, workers: int) -> None:
        self.config = config
        self.workers = workers
        self.entries: dict[str, dict[Path, SourceEntry]] = {"article": {}, "entity": {}}
        self.changed: dict[str, set[str]] = {"article": set(), "entity": set()}  # stems re-read in this build
        self.scanned: dict[str, dict[Path, tuple[int, int]]] = {}
        self._paths: dict[str, dict[str, Path]] = {}  # file name -> Path, per kind
        # From .gloss-cache/state.pickle: each file's stamp and cache key at the last build of an earlier process.
        self.saved_stamps: dict[str, dict[Path, tuple[int, int]]] = {}
        self.previous_keys: dict[str, dict[Path, str]] = {}
        self.full_documents_up_to = FULL_DOCUMENTS_UP_TO
        self.light_documents = False  # see _kept: once the site has grown past full_documents_up_to

    def look(self, changed_paths: list[str] | None) -> None:
        """Start a build: every file's stamp (or only those of `changed_paths`, when a watcher knows them)."""
        self.changed = {"article": set(), "entity": set()}
        self.scanned = self.rescan(changed_paths) or {kind: self.scan(kind) for kind in ("article", "entity")}

    def stamps(self) -> dict[str, dict[Path, tuple[int, int]]]:
        """Each file's stamp as last read (or as the saved state has it, before the first read)."""
        if self.entries["article"] or self.entries["entity"]:
            return {kind: {p: e.stamp for p, e in entries.items()} for kind, entries in self.entries.items()}
        return self.saved_stamps

    def keys(self) -> dict[str, dict[Path, str]]:
        return {kind: {p: e.key for p, e in entries.items()} for kind, entries in self.entries.items()}

    def unchanged(self) -> bool:
        """Every file's stamp as at the last build (the fast no-op)."""
        saved = self.stamps()
        return bool(saved) and all(self.scanned[kind] == saved.get(kind) for kind in ("article", "entity"))

    def problems(self) -> Iterator[GlossError]:
        for entries in self.entries.values():
            for entry in entries.values():
                yield from entry.problems

    def scan(self, kind: str) -> dict[Path, tuple[int, int]]:
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

    def rescan(self, changed_paths: list[str] | None) -> dict[str, dict[Path, tuple[int, int]]] | None:
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

    def refresh(self, cache: ParseCache | None) -> int:
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
            self.entries[kind][source.path] = entry
        for kind, (_, added) in plans.items():
            if added:  # kept in file name order, for a stable parse and link order
                self.entries[kind] = dict(sorted(self.entries[kind].items()))
        return len(todo)

    def _to_parse(self, kind: str, cache: ParseCache | None) -> tuple[list[SourceText], bool]:
        """Take in files gone, untouched or found in the cache; the rest, and whether files were added."""
        known = self.entries[kind]
        found = self.scanned[kind] if self.scanned else self.scan(kind)
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
        key = cache_key(text, shown, self.cache_options(kind))
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
                yield _read_and_parse(kind, [source], type_ids, raw_html, self.cache_options(kind))[0], None
            return
        # Small chunks of one kind each: a worker left with a big last one would keep the other core idle.
        jobs = []
        for kind in ("article", "entity"):
            sources = [source for of_kind, source in todo if of_kind == kind]
            options = self.cache_options(kind)
            jobs += [(kind, sources[i:i + 40], type_ids, raw_html, options) for i in range(0, len(sources), 40)]
        for part in in_workers_in_order(_parse_pickled_chunk, jobs, self.workers):
            for file_stamp, key, blob in part:
                yield SourceEntry(file_stamp, key, *pickle.loads(blob)), blob

    def cache_options(self, kind: str) -> str:
        """What besides the text and path changes a parse: part of every cache key."""
        return f"{kind}:{self.config.raw_html}:{','.join(self.config.type_ids())}"

    def parse_again(self, path: Path) -> ParsedDocument | None:
        """An article's document read and parsed anew, for when the parse cache lost it."""
        entry = self.entries["article"][path]
        again = _read_and_parse("article", [SourceText(path, entry.item.path, entry.stamp, None, "")],
                                self.config.type_ids(), self.config.raw_html, self.cache_options("article"))[0]
        if not again.key:  # it can no longer be read
            raise again.problems[0]
        if again.key != entry.key:
            raise GlossError("the file changed while the site was being built", entry.item.path, hint="build again")
        return again.doc


__all__ = ["SourceEntry", "SourceSet", "SourceText", "markdown_parser", "parse_sources", "stamp"]
