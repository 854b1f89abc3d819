"""The write stage of a build: pages rendered (in worker processes on a big site) and stored.

A full build writes every page into a new temp folder, hard-linking the files of pages whose bytes
did not change; an incremental one hands back the changed pages' bytes, which the builder writes
in place all at once (gloss/output.py `commit_in_place`). Either way each page's hash is returned,
so the next build can tell which pages changed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from . import testpoints
from .output import FreshFolder, page_hash, safe_target
from .pageplan import PageSpec
from .render import Renderer
from .workers import PARALLEL_MIN, in_workers

# On a site past FULL_DOCUMENTS_UP_TO articles (gloss/sources.py) a render worker is replaced by a fresh
# fork after this many batches of 48 pages: its copies of the builder's memory would grow without bound
# (4.7 GB for three processes at 100,000 articles). On a smaller one they stay small (85 MB more at the
# peak at 10,000), and a fresh worker's faults on memory its predecessor had already copied cost 0.5 CPU-s.
RENDER_BATCHES_PER_WORKER = 60
EVEN_PAGES = {"article", "article-annotations", "entity-card"}  # page kinds that each take about as long as any other
FLUSH_BYTES = 4 << 20  # see _RenderJob.batch

PageResult = tuple[str, str | None, bool | bytes | None]  # see _RenderJob.store


def render_pages(renderer: Renderer, specs: list[PageSpec], target: Path, previous: Path | None,
                 hashes: dict[str, str | None], workers: int, renew_workers: bool,
                 meanwhile: Callable[[], None]) -> list[PageResult]:
    """Render `specs` into `target`, a new folder beside the site `previous` (a full build), or
    the site itself (previous None: the pages' bytes come back to be written in place).
    `meanwhile` is called while worker processes render, if there are any."""
    job = _RenderJob(renderer, target, previous, hashes)
    if len(specs) < PARALLEL_MIN or workers < 2:
        return job.run(specs)
    renderer.warm_up()
    job.specs = specs
    _RenderJob.current = job
    try:
        # Small batches handed out as workers free up: page costs differ a thousandfold (a busy
        # entity's page against an annotation file), and big fixed chunks leave a core idle.
        # Articles, the many cheap and even pages, go last: with a list or a busy entity's page
        # (up to 0.2 s at 10,000 articles) in the last batches, one core would wait for the other.
        order = sorted(range(len(specs)), key=lambda i: specs[i].kind in EVEN_PAGES)
        batches = [order[i:i + 48] for i in range(0, len(order), 48)]
        renewal = RENDER_BATCHES_PER_WORKER if renew_workers else None
        parts = in_workers(_render_chunk, batches, workers, jobs_per_worker=renewal, meanwhile=meanwhile)
        return [pair for part in parts for pair in part]
    finally:
        _RenderJob.current = None


class _RenderJob:
    """Renders pages and writes those whose bytes changed; reused unchanged files are hard-linked."""

    current: _RenderJob | None = None  # what forked workers render (set before the fork)

    def __init__(self, renderer: Renderer, target: Path, previous: Path | None,
                 hashes: dict[str, str | None]) -> None:
        self.renderer, self.target, self.previous, self.hashes = renderer, target, previous, hashes
        self.fresh = FreshFolder(target)  # used when target is a new folder (previous is set)
        self.specs: list[PageSpec] = []

    def run(self, specs: list[PageSpec]) -> list[PageResult]:
        self.specs = specs
        return self.batch(specs)

    def batch(self, specs: list[PageSpec]) -> list[PageResult]:
        """Render a few pages, then store them, and again: a page rendered right after writing a file
        took a seventh longer (the system calls push the renderer's code and data out of the
        processor's caches). At most about FLUSH_BYTES of pages wait to be stored."""
        done: list[PageResult] = []
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

    def store(self, spec: PageSpec, data: bytes) -> PageResult:
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


def _render_chunk(indices: list[int]) -> list[PageResult]:
    job = _RenderJob.current
    job.renderer.passage_cache = None  # a worker's copy would be thrown away with it: not worth its memory
    return job.batch([job.specs[i] for i in indices])




__all__ = ["PageResult", "render_pages"]
