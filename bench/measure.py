"""Wall time and peak memory (whole process tree, sampled) of a command."""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass

import psutil


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str


def run_measured(cmd: list[str], cwd: str | None = None, interval: float = 0.01) -> Run:
    """Run `cmd`, sampling the resident memory of it and all its children until it exits."""
    # Output goes to a file, not a pipe: a chatty command would fill the pipe and wait forever.
    with tempfile.TemporaryFile(mode="w+") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, text=True)
        peak = _watch(proc, interval)
        seconds = time.perf_counter() - start
        log.seek(0)
        output = log.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{output[-2000:]}")
    return Run(seconds, peak / 2**20, output)


def _watch(proc: subprocess.Popen, interval: float) -> int:
    """Peak of the summed resident memory of `proc` and its children, sampled until it exits."""
    watched = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [watched, *watched.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(interval)
    return peak


def median_run(times: int, make_run: Callable[[], Run], before: Callable[[], None] | None = None) -> Run:
    """Median wall time over `times` runs (each after `before`), with the largest peak memory."""
    runs = []
    for _ in range(times):
        if before:
            before()
        runs.append(make_run())
    seconds = statistics.median(r.seconds for r in runs)
    return Run(seconds, max(r.peak_mb for r in runs), runs[-1].output)
