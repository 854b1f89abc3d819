"""`python -m bench.ab REV [REV ...]`: cold builds of one generated site, revision against revision.

This machine's speed drifts by a third within minutes, more than most single changes save, so two
`make bench` runs an hour apart cannot tell whether a change helped. Here the revisions' cold builds
take turns on one corpus (and Hugo's, with --hugo), and the table gives, besides medians of wall
time, CPU time and each stage, the median of the paired differences against the first revision.

python -m bench.ab REV [REV ...] [--size 10000] [--runs 5] [--hugo] [--corpus features] [--workdir DIR]

REV is anything `git archive` takes (HEAD~3, a commit, a branch); "." is the working tree as it is.
Every revision runs on this checkout's interpreter and packages.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from .corpus import CORPORA
from .measure import TRASH, Run, empty_trash, run_measured, set_aside
from .others import hugo_binary, write_hugo_site

ROOT = Path(__file__).resolve().parent.parent
STAGES = ("load", "link", "render")


@dataclass
class Contender:
    """One revision (or Hugo) with the site it builds and the runs it made."""

    name: str
    command: list[str]
    site: Path
    outputs: tuple[str, ...]
    runs: list[Run] = field(default_factory=list)

    def stage_seconds(self, stage: str) -> list[float]:
        """A stage's time in each run, from the build's own report ("load ... 3811 ms")."""
        found = (re.search(rf"^{stage} .* (\d+) ms$", run.output, re.MULTILINE) for run in self.runs)
        return [int(match.group(1)) / 1000 for match in found if match]


def source_of(rev: str, work: Path) -> Path:
    """A folder holding `rev`'s files: this checkout for ".", else an extract of `git archive`."""
    if rev == ".":
        return ROOT
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--verify", f"{rev}^{{commit}}"],
                            capture_output=True, text=True, check=True).stdout.strip()
    folder = work / f"src-{commit[:12]}"
    if not (folder / "build.py").exists():
        shutil.rmtree(folder, ignore_errors=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", commit],
                                 capture_output=True, check=True).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
    return folder


def gloss_contender(rev: str, index: int, corpus: Path, work: Path) -> Contender:
    source = source_of(rev, work)
    site = work / f"site-{index}"
    set_aside(work, site.name)
    shutil.copytree(corpus / "content", site / "content")
    shutil.copy(corpus / "site.yml", site / "site.yml")
    shutil.copytree(source / "theme", site / "theme")  # each revision builds with its own theme
    command = [sys.executable, str(source / "build.py"), "--root", str(site), "build", "--no-ingest", "--no-search"]
    return Contender(rev, command, site, ("_site", ".gloss-cache"))


def hugo_contender(corpus: Path, work: Path) -> Contender:
    site = work / "hugo"
    set_aside(work, site.name)
    write_hugo_site(corpus, site)
    return Contender("Hugo", [hugo_binary(), "--quiet", "-s", str(site), "-d", str(site / "public")], site,
                     ("public", "resources"))


def take_turns(contenders: list[Contender], runs: int) -> None:
    """Each contender's cold build in turn, `runs` times, from outputs moved aside (see set_aside)."""
    for turn in range(runs):
        for contender in contenders:
            set_aside(contender.site, *contender.outputs)
            contender.runs.append(run_measured(contender.command, memory=False))
            print(f"  turn {turn + 1}: {contender.name} {contender.runs[-1].seconds:.2f} s", file=sys.stderr)


def median_seconds(contender: Contender) -> float:
    return statistics.median(run.seconds for run in contender.runs)


def paired_difference(contender: Contender, base: Contender) -> str:
    """Median, least and most of (this run − the base's run of the same turn)."""
    differences = [a.seconds - b.seconds for a, b in zip(contender.runs, base.runs, strict=True)]
    return f"{statistics.median(differences):+.2f} ({min(differences):+.2f} to {max(differences):+.2f})"


def table(contenders: list[Contender], hugo: Contender | None) -> list[str]:
    lines = ["| revision | wall s | CPU s | load s | link s | render s | Δ wall against the first, paired | / Hugo |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for contender in [*contenders, *([hugo] if hugo else [])]:
        wall = median_seconds(contender)
        cpu = statistics.median(run.cpu_seconds for run in contender.runs)
        stages = [contender.stage_seconds(stage) for stage in STAGES]
        cells = [f"{wall:.2f}", f"{cpu:.1f}", *(f"{statistics.median(found):.2f}" if found else "" for found in stages)]
        is_gloss = contender is not hugo
        cells.append(paired_difference(contender, contenders[0]) if is_gloss and contender is not contenders[0] else "")
        cells.append(f"{wall / median_seconds(hugo):.2f}×" if hugo and is_gloss else "")
        lines.append(f"| {contender.name} | {' | '.join(cells)} |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench.ab", description=__doc__.split("\n")[0])
    parser.add_argument("revisions", nargs="+", metavar="REV")
    parser.add_argument("--size", type=int, default=10_000, help="articles (default 10,000)")
    parser.add_argument("--runs", type=int, default=5, help="turns (default 5)")
    parser.add_argument("--hugo", action="store_true", help="Hugo's cold build takes turns too")
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="news",
                        help="bench/corpus.py's generator: news (default) or features (other word and name statistics)")
    parser.add_argument("--workdir", type=Path,
                        default=Path(os.environ.get("TMPDIR", "/tmp")) / "gloss-bench" / "ab")
    args = parser.parse_args(argv)
    work = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    TRASH.append(work / ".trash")
    empty_trash()  # left by an interrupted run
    try:
        corpus = work / "corpus"
        # The last run's corpus and sites are moved aside, not deleted: creating files just after
        # deleting thousands is slow on ext4 (see measure.set_aside), and the turns would pay for it.
        set_aside(work, corpus.name)
        CORPORA[args.corpus](corpus, args.size)
        contenders = [gloss_contender(rev, i, corpus, work) for i, rev in enumerate(args.revisions)]
        hugo = hugo_contender(corpus, work) if args.hugo else None
        take_turns([*([hugo] if hugo else []), *contenders], args.runs)
        print(f"{args.size} articles ({args.corpus} corpus), {args.runs} turns, "
              "cold builds (no cache, no search index)")
        print("\n".join(table(contenders, hugo)))
    finally:
        empty_trash()
    return 0


if __name__ == "__main__":
    sys.exit(main())
