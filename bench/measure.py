"""Wall time and peak memory (whole process tree, sampled) of a command.

Times come from runs that are not watched, and peaks from one more run that is: sampling the tree's
memory every 20 ms took a quarter of a core (2.8 CPU-s in a 12 s build), which a build using both
cores pays for in wall time and one leaving a core idle (Hugo) does not.

Memory is the proportional set size (PSS) summed over the tree: forked workers share the parent's
pages copy-on-write, and summing their resident sizes would count each shared page once per process.
For a single process, like Hugo (threads, not processes), PSS and RSS are the same pages.
"""

from __future__ import annotations

import itertools
import os
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psutil


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str
    # User + system time of the command and of every child it waited for (a build's workers): steadier
    # than wall time on a machine whose speed drifts, and it shows how much of two cores a tool uses.
    cpu_seconds: float = 0.0
    turns: list[float] = field(default_factory=list)  # interleaved_runs: each turn's wall time, in order


def run_measured(cmd: list[str], cwd: str | None = None, memory: bool = True, interval: float = 0.02) -> Run:
    """Run `cmd`; with `memory`, sampling the memory of it and all its children until it exits."""
    # Output goes to a file, not a pipe: a chatty command would fill the pipe and wait forever.
    with tempfile.TemporaryFile(mode="w+") as log:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, text=True)
        peak = _watch(proc, interval) if memory else 0
        proc.wait()
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        log.seek(0)
        output = log.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output[-2000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Run(seconds, peak / 2**20, output, cpu)


def _watch(proc: subprocess.Popen, interval: float) -> int:
    """Peak of the summed memory of `proc` and its children, sampled until it exits."""
    import psutil  # only `make bench` installs it (requirements-bench.txt); timing alone needs none

    watched = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(proportional_size(p) for p in tree))
        except psutil.Error:
            pass
        time.sleep(interval)
    return peak


def proportional_size(process: psutil.Process) -> int:
    """PSS in bytes from /proc/PID/smaps_rollup (cheap, unlike psutil's full smaps walk); RSS elsewhere."""
    import psutil

    try:
        with open(f"/proc/{process.pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return process.memory_info().rss
    except psutil.Error:
        return 0


MakeRun = Callable[[bool], Run]  # memory watched or not -> the run


def command(cmd: list[str], cwd: str | None = None) -> MakeRun:
    """A run of `cmd` for median_run and interleaved_runs, which say whether to watch its memory."""
    return lambda memory: run_measured(cmd, cwd=cwd, memory=memory)


def median_run(times: int, make_run: MakeRun, before: Callable[[], None] | None = None) -> Run:
    """Median wall time over `times` unwatched runs (each after `before`), and the peak memory of
    one more run."""
    runs = []
    for _ in range(times):
        if before:
            before()
        runs.append(make_run(False))
    if before:
        before()
    watched = make_run(True)
    return Run(statistics.median(r.seconds for r in runs), watched.peak_mb, runs[-1].output,
               statistics.median(r.cpu_seconds for r in runs))


def interleaved_runs(times: int, cases: list[tuple[MakeRun, Callable[[], None]]]) -> list[Run]:
    """Like median_run for each case, but taking turns: case 1, case 2, …, then again. This machine's
    speed drifts by a third within minutes, and back-to-back blocks of runs compared its moods, not
    the tools (Hugo's 10,000 cold build: 9.4 s in one run of the bench, 12.5 s in the next)."""
    runs: list[list[Run]] = [[] for _ in cases]
    for memory in [False] * times + [True]:  # the last turn measures memory only
        for done, (make_run, before) in zip(runs, cases, strict=True):
            before()
            done.append(make_run(memory))
    return [Run(statistics.median(r.seconds for r in done[:-1]), done[-1].peak_mb, done[-2].output,
                statistics.median(r.cpu_seconds for r in done[:-1]), [r.seconds for r in done[:-1]])
            for done in runs]


def turn_by_turn(run: Run, base: Run) -> float:
    """The median of `run`'s time over `base`'s in the same turn of interleaved_runs: the machine's
    speed drifts within minutes, and a ratio of two medians can pair a fast minute with a slow one."""
    return statistics.median(mine / theirs for mine, theirs in zip(run.turns, base.turns, strict=True))


# Timed cold runs start from outputs moved aside, not deleted, for every tool alike: on this
# machine's ext4 (no journal), creating files just after tens of thousands were deleted makes the
# kernel skip over each recently freed inode (`recently_deleted`), which added 1.2 s to Hugo's
# 10,000 cold build and 2-4 s to Gloss's, and changed from run to run with the deletion history.
TRASH: list[Path] = []
_set_aside = itertools.count()


def set_aside(root: Path, *names: str) -> None:
    for name in names:
        if (root / name).exists():
            os.rename(root / name, TRASH[0] / f"{root.name}-{name.strip('.')}-{os.getpid()}-{next(_set_aside)}")


def empty_trash() -> None:
    """Delete what set_aside moved away, once nothing is being timed."""
    for trash in TRASH:
        shutil.rmtree(trash, ignore_errors=True)
        trash.mkdir()
