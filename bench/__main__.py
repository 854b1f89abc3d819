"""`make bench`: Gloss against Hugo and Pelican on generated sites; prints a table of figures.

python -m bench [--sizes 1000,10000] [--runs 3] [--no-pelican] [--no-hugo] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import shlex
import shutil
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gloss.search import SEARCHED_PAGES, pagefind_command

from .corpus import CORPORA, make_entities, write_seeds, write_site
from .measure import (
    TRASH,
    MakeRun,
    Run,
    command,
    empty_trash,
    interleaved_runs,
    median_run,
    run_measured,
    set_aside,
    turn_by_turn,
)
from .others import hugo_binary, pelican_command, write_hugo_site, write_pelican_site
from .serve import idle_cpu, in_process, swap_mention, swap_one_mention, through_server

ROOT = Path(__file__).resolve().parent.parent
GLOSS = [sys.executable, str(ROOT / "build.py")]
PAGEFIND = pagefind_command() or [sys.executable, "-m", "pagefind"]  # run as the build runs it, for every site


def gloss(root: Path, *args: str) -> Run:
    return run_measured([*GLOSS, "--root", str(root), *args])


def gloss_build(root: Path, search: bool = False) -> MakeRun:
    return command([*GLOSS, "--root", str(root), "build", "--no-ingest", *([] if search else ["--no-search"])])


def hugo_and_pagefind(hugo_cmd: list[str], public: Path) -> MakeRun:
    """Hugo, then Pagefind over Hugo's output: what a Hugo site with search costs, as one command."""
    pagefind = [*PAGEFIND, "--site", str(public), "--quiet"]
    return command(["sh", "-c", f"{shlex.join(hugo_cmd)} && {shlex.join(pagefind)}"])


@dataclass
class HoverBytes:
    """What a card's first opening fetches on a built site: one entity's card.json (mean and largest,
    gzipped too), against the whole site's entities.json that cards fetched before (still written, as data)."""

    articles: int
    card_mean: float
    card_largest: int
    card_largest_gz: int
    whole: int
    whole_gz: int
    by_arithmetic: bool = False

    @classmethod
    def measure(cls, articles: int, site: Path) -> HoverBytes | None:
        cards = list(site.glob("entities/*/card.json"))
        if not cards:
            return None
        sizes = [p.stat().st_size for p in cards]
        largest = max(cards, key=lambda p: p.stat().st_size).read_bytes()
        whole = (site / "entities.json").read_bytes()
        return cls(articles, statistics.mean(sizes), len(largest), len(gzip.compress(largest)), len(whole),
                   len(gzip.compress(whole)))

    def times(self, factor: int) -> HoverBytes:
        """The same for `factor` (a power of ten) times the articles, without building that site: the corpus
        has `factor` times the entities, so entities.json grows `factor` times, while a card grows only by
        the digits of its two counts (the busiest entity's counts gain a digit each at ten times the articles)."""
        digits = 2 * (len(str(factor)) - 1)
        return HoverBytes(self.articles * factor, self.card_mean + digits / 2, self.card_largest + digits,
                          self.card_largest_gz + digits, self.whole * factor, self.whole_gz * factor, True)

    def row(self) -> str:
        note = " (by arithmetic)" if self.by_arithmetic else ""
        return (f"| {self.articles:>7,}{note:16} | {self.card_mean:12.0f} B | {self.card_largest:5} B "
                f"| {self.card_largest_gz:5} B | {self.whole:>20,} B | {self.whole_gz:>7,} B |")


HOVER_HEADER = ["",
                "| first hover, articles   | card.json mean | largest | gzipped | entities.json (before) | gzipped   |",
                "|-------------------------|---------------:|--------:|--------:|-----------------------:|----------:|"]


def pages_written(output: str) -> str:
    if "nothing changed since the last build" in output:
        return "0 (no-op)"
    match = re.search(r"wrote (\d+) of (\d+) pages", output)
    return "/".join(match.groups()) if match else "?"


def clean(root: Path, *names: str) -> None:
    for name in names:
        shutil.rmtree(root / name, ignore_errors=True)


def edit_article_and_entity(root: Path, counter: list[int]) -> None:
    """One mention removed and one added in one article, and one entity description changed."""
    counter[0] += 1
    article = sorted((root / "content/articles").glob("*.md"))[counter[0] * 7 % 50]
    swap_mention(article, sorted((root / "content/entities").glob("*.md"))[counter[0] % 40].stem, counter[0])
    described = sorted((root / "content/entities").glob("*.md"))[-1 - counter[0] % 40]
    described.write_text(re.sub(r"description: .*", f"description: Edited {counter[0]} times.",
                                described.read_text(), count=1))


def row(name: str, run: Run, pages: str, hugo: float | None, paired: float | None = None) -> str:
    count = int(pages.split("/")[0]) if pages.split("/")[0].isdigit() else 0
    per_second = f"{count / run.seconds:8.0f}" if count and run.seconds and run.peak_mb else "       -"
    ratio = f"{run.seconds / hugo:6.2f}x" if hugo else "      -"
    if paired is not None:
        ratio += f" ({paired:.2f}x turn by turn)"
    peak = f"{run.peak_mb:8.0f}" if run.peak_mb else "       -"
    cpu = f"{run.cpu_seconds:8.2f}" if run.cpu_seconds else "       -"
    return f"| {name:<34} | {run.seconds:8.3f} | {cpu} | {peak} | {pages:>13} | {per_second} | {ratio} |"


def bench_size(n: int, runs: int, work: Path, hugo: bool, pelican: bool,
               pagefind: bool = True, corpus: str = "news") -> tuple[list[str], HoverBytes | None]:
    named = f"{n}" if corpus == "news" else f"{corpus}-{n}"
    site = work / f"gloss-{named}"
    # The corpus afresh each run: the edit cases change articles and entities, and on a kept copy
    # they would repeat an earlier run's edits (an entity's description already as edited, an article's
    # mentions already unlinked), timing smaller edits than they should.
    set_aside(site, "content")
    CORPORA[corpus](site, n)
    shutil.copytree(ROOT / "theme", site / "theme", dirs_exist_ok=True)  # a kept site gets today's theme
    lines = []
    hugo_cold = hugo_noop = None
    floor_cmd = [sys.executable, "-m", "bench.floor", str(site), str(site / "_floor")]
    cases: dict[str, tuple[MakeRun, Callable[[], None]]] = {}
    if hugo:
        hsite = work / f"hugo-{named}"
        if not hsite.exists():
            write_hugo_site(site, hsite)
        cmd = [hugo_binary(), "--quiet", "-s", str(hsite), "-d", str(hsite / "public")]
        cases["hugo"] = (command(cmd), lambda: set_aside(hsite, "public", "resources"))
    cases["floor"] = (command(floor_cmd, cwd=str(ROOT)), lambda: set_aside(site, "_floor"))
    cases["gloss"] = (gloss_build(site), lambda: set_aside(site, "_site", ".gloss-cache"))
    if hugo and pagefind:  # a site with search, both ways: Hugo then Pagefind over its output, and Gloss's build
        cases["hugo+pagefind"] = (hugo_and_pagefind(cmd, hsite / "public"),
                                  lambda: set_aside(hsite, "public", "resources"))
        cases["gloss+search"] = (gloss_build(site, search=True), lambda: set_aside(site, "_site", ".gloss-cache"))
    # The cold builds take turns (Hugo, the floor, Gloss, Hugo + Pagefind, Gloss with search, and again),
    # so that all see the same machine.
    done = dict(zip(cases, interleaved_runs(runs, list(cases.values())), strict=True))
    floor, cold = done["floor"], done["gloss"]
    hover = HoverBytes.measure(n, site / "_site")
    if hugo:
        noop = median_run(runs, command(cmd))
        hugo_cold, hugo_noop = done["hugo"].seconds, noop.seconds
        hugo_pages = str(sum(1 for _ in (hsite / "public").rglob("*.html")))
        lines.append(row(f"Hugo {n} cold", done["hugo"], hugo_pages, None))
        lines.append(row(f"Hugo {n} no-op rebuild", noop, hugo_pages, None))
        if pagefind:
            pf = median_run(1, command([*PAGEFIND, "--site", str(hsite / "public")]))
            lines.append(row(f"Pagefind on Hugo's {n}", pf, hugo_pages, None))
    if pelican and n <= 1000:
        psite = work / f"pelican-{named}"
        if not psite.exists():
            write_pelican_site(site, psite)
        pelican_run = median_run(max(1, runs - 1), command(pelican_command(psite)),
                                 lambda: set_aside(psite, "output"))
        lines.append(row(f"Pelican {n} cold", pelican_run, str(sum(1 for _ in (psite / "output").rglob("*.html"))),
                         hugo_cold))
    lines.append(row(f"Python floor {n} (articles only)", floor, pages_written(floor.output), hugo_cold))
    paired = turn_by_turn(cold, done["hugo"]) if hugo else None
    lines.append(row(f"Gloss {n} cold (no cache)", cold, pages_written(cold.output), hugo_cold, paired))
    if "gloss+search" in done:  # its ratio is to Hugo + Pagefind, not to Hugo alone
        with_search, base = done["gloss+search"], done["hugo+pagefind"]
        lines.append(row(f"Hugo {n} + Pagefind cold", base, hugo_pages, None))
        lines.append(row(f"Gloss {n} cold with search", with_search, pages_written(with_search.output), base.seconds,
                         turn_by_turn(with_search, base)))
    warm = median_run(runs, gloss_build(site))
    lines.append(row(f"Gloss {n} warm, nothing changed", warm, pages_written(warm.output), hugo_noop))
    counter = [0]
    edit = median_run(runs, gloss_build(site), lambda: edit_article_and_entity(site, counter))
    lines.append(row(f"Gloss {n} after 1 article + 1 entity edit", edit, pages_written(edit.output), hugo_noop))
    seconds, pages = in_process(site, max(9, runs), swap_one_mention)  # each run edits other entities
    lines.append(row(f"Gloss {n} one article edited, in serve", Run(seconds, 0, ""), pages, None))
    if pagefind:
        search = median_run(1, command([*PAGEFIND, "--site", str(site / "_site"),
                                        "--glob", SEARCHED_PAGES]))  # as the build runs it
        lines.append(row(f"Pagefind on Gloss's {n}", search, pages_written(cold.output), None))
    return lines, hover


def bench_ingest(work: Path, seeds: int, registry_size: int) -> list[str]:
    site = work / f"ingest-{seeds}"
    clean(site, ".")
    (site / "content/articles").mkdir(parents=True)
    (site / "content/entities").mkdir(parents=True)
    (site / "site.yml").write_text("title: Ingest bench\n")
    registry = make_entities(registry_size, seed=3)
    for e in registry:
        (site / f"content/entities/{e.id}.md").write_text(
            f"---\nname: {e.name}\ntype: {e.type}\naliases: [{', '.join(e.aliases)}]\n"
            f"description: {e.description}\n---\n")
    write_seeds(site / "seeds", seeds, registry)
    run = gloss(site, "ingest")
    count = str(sum(1 for _ in (site / "content/articles").glob("*.md")))
    return [row(f"Ingest {seeds} seeds, {registry_size} entities", run, count, None)]


def bench_serve(work: Path, runs: int) -> list[str]:
    """Save one article → rebuild finished, on the example site and a generated 2,000-article one;
    the idle server's CPU on a generated 10,000-article one, with file events and with polling."""
    example = work / "serve-example"
    clean(example, ".")
    for name in ("content", "theme"):
        shutil.copytree(ROOT / name, example / name)
    shutil.copy(ROOT / "site.yml", example / "site.yml")
    big = work / "serve-2000"
    clean(big, ".")
    write_site(big, 2000)
    shutil.copytree(ROOT / "theme", big / "theme")
    lines = []
    for name, site in (("example", example), ("2000 articles", big)):
        seconds, pages = in_process(site, runs)
        lines.append(f"| serve, {name}: rebuild after one save (in the server) | {seconds:8.3f} | pages {pages:>11} |")
        seconds, pages = through_server(site, runs)
        lines.append(f"| serve, {name}: save → rebuilt, watcher included | {seconds:8.3f} | pages {pages:>11} |")
    huge = work / "serve-10000"
    clean(huge, ".")
    write_site(huge, 10_000)
    shutil.copytree(ROOT / "theme", huge / "theme")
    for how, args in (("file events", ()), ("polling (--poll)", ("--poll",))):
        clean(huge, "_site", ".gloss-cache")  # each run builds and indexes the site, then idles
        percent = idle_cpu(huge, 10.0, *args)
        lines.append(f"| serve, 10000 articles: idle, {how}: % of a core over 10 s | {percent:8.2f} | |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-pelican", action="store_true")
    parser.add_argument("--no-ingest", action="store_true")
    parser.add_argument("--no-serve", action="store_true")
    parser.add_argument("--no-pagefind", action="store_true")
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="news",
                        help="the cold and edit cases' generator (bench/corpus.py): news, or features")
    parser.add_argument("--workdir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "gloss-bench")
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    TRASH.append(args.workdir / ".trash")
    empty_trash()  # left by an interrupted run
    try:
        return run(args)
    finally:
        empty_trash()


def run(args: argparse.Namespace) -> int:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    columns = ["case" + " " * 30, "median s", "CPU s   ", "peak MB ", "pages written", "pages/s ", "/ Hugo "]
    print("| " + " | ".join(columns) + " |")
    print("|" + "|".join("-" * (len(c) + 1) + ("-" if i == 0 else ":") for i, c in enumerate(columns)) + "|")
    hovers = []
    for n in (int(s) for s in args.sizes.split(",") if s):
        lines, hover = bench_size(n, args.runs, args.workdir, not args.no_hugo, not args.no_pelican,
                                  not args.no_pagefind, args.corpus)
        for line in lines:
            print(line, flush=True)
        if hover:
            hovers.append(hover)
    if hovers:  # and for ten times the largest site, by arithmetic (a build of it would take too long)
        print("\n".join(HOVER_HEADER + [h.row() for h in hovers] + [hovers[-1].times(10).row()]), flush=True)
    if not args.no_ingest:
        for line in bench_ingest(args.workdir, 1000, 5000):
            print(line, flush=True)
    if not args.no_serve:
        print("\n| live preview                                             | median s | written/total |")
        print("|----------------------------------------------------------|---------:|---------------|")
        for line in bench_serve(args.workdir, args.runs):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
