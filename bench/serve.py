"""Live preview figures: from saving one article to the rebuild finishing, pages written, and the
CPU the server uses while nothing changes."""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from gloss.builder import SiteBuilder
from gloss.config import load_config
from gloss.errors import Problems

ROOT = Path(__file__).resolve().parent.parent
MENTION = re.compile(r"\[\[([a-z0-9-]+)(?:\|([^\]]+))?\]\]")  # [[id|text]] or [[id]]


def edit_one_article(site: Path, n: int) -> Path:
    """Unlink the first mention of one article, or link it again: a real change every time."""
    article = sorted((site / "content/articles").glob("*.md"))[0]
    text = article.read_text()
    if n % 2 == 0:
        first = MENTION.search(text)
        shown = first.group(2) or first.group(1)
        text = text[:first.start()] + f"<!--{first.group(1)}-->" + shown + text[first.end():]
    else:
        text = re.sub(r"<!--([a-z0-9-]+)-->([^\s,.;:]+(?: [A-Z][^\s,.;:]*)*)", r"[[\1|\2]]", text, count=1)
    article.write_text(text)
    return article


def in_process(site: Path, runs: int, edit: Callable[[Path, int], Path] | None = None) -> tuple[float, str]:
    """What `serve` does after a save, timed inside one long-lived builder told which file changed."""
    edit = edit or edit_one_article
    builder = SiteBuilder(load_config(site), search=False, save_every_build=False)
    builder.build(Problems())
    times, pages = [], ""
    for n in range(runs):
        changed = edit(site, n)
        start = time.perf_counter()
        model = builder.build(Problems(), changed_paths=[str(changed)])
        times.append(time.perf_counter() - start)
        pages = f"{model.written}/{model.pages_total}"
    return statistics.median(times), pages


def swap_one_mention(site: Path, n: int) -> Path:
    """In one article, one mention removed and another added (the issue's one-article edit)."""
    article = sorted((site / "content/articles").glob("*.md"))[n * 7 % 50]
    swap_mention(article, sorted((site / "content/entities").glob("*.md"))[n % 40].stem, n)
    return article


def swap_mention(article: Path, entity_id: str, n: int) -> None:
    """Unlink the article's first mention and add one of `entity_id` at its end."""
    text = article.read_text()
    first = MENTION.search(text)
    text = text[:first.start()] + (first.group(2) or first.group(1)) + text[first.end():]
    article.write_text(text.rstrip("\n") + f" Edit {n} names [[{entity_id}]].\n")


def start_server(site: Path, *args: str) -> tuple[subprocess.Popen, list[tuple[float, str]]]:
    """`build.py serve` on a free port, and its output lines with the time each came, as they come."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(site), "serve", "--port", "0",
                             *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[tuple[float, str]] = []
    threading.Thread(target=lambda: [lines.append((time.perf_counter(), line)) for line in proc.stdout],
                     daemon=True).start()
    return proc, lines


def idle_cpu(site: Path, seconds: float = 10.0, *args: str) -> float:
    """Percent of one core the server process uses while nothing changes, sampled over `seconds` once
    it serves and its first search index is written (Pagefind runs in the background after a build)."""
    import psutil

    proc, lines = start_server(site, *args)
    try:
        _wait(lambda: any(text.startswith("search:") for _, text in lines), 1800)
        server = psutil.Process(proc.pid)
        before, start = server.cpu_times(), time.perf_counter()
        time.sleep(seconds)
        after, elapsed = server.cpu_times(), time.perf_counter() - start
        assert not server.children(), "the server still runs another process: not idle"
        return 100 * (after.user - before.user + after.system - before.system) / elapsed
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def through_server(site: Path, runs: int) -> tuple[float, str]:
    """The same through the real server: from the file write to its "rebuilt" line (the watcher included)."""
    proc, lines = start_server(site)
    try:
        _wait(lambda: any("serving " in line for _, line in lines), 600)
        times, pages = [], ""
        for n in range(runs):
            seen = len(lines)
            start = time.perf_counter()
            edit_one_article(site, n + 1)
            _wait(lambda seen=seen: any(t.startswith("rebuilt after") for _, t in lines[seen:]), 120)
            stamp, line = next((at, text) for at, text in lines[seen:] if text.startswith("rebuilt after"))
            times.append(stamp - start)
            pages = "/".join(re.search(r"wrote (\d+) of (\d+)", line).groups())
            time.sleep(0.5)
        return statistics.median(times), pages
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait(check, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for the server")
        time.sleep(0.02)
