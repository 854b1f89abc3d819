"""Worker processes for the build: forked pools that parse files and render pages.

Forked, not spawned, so each worker shares what the builder has already loaded; a pool's pipes are
widened, and its workers end quietly when the builder is killed. Used by gloss/sources.py (parse)
and gloss/pagewriter.py (render); neither knows how the pool works.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Iterator
from typing import Any

PIPE_SIZE = 1 << 20  # see _widen_pipes
PARALLEL_MIN = 400  # below this many files or pages, starting worker processes costs more than it saves


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


__all__ = ["PARALLEL_MIN", "PIPE_SIZE", "in_workers", "in_workers_in_order"]
