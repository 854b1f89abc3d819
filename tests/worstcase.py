"""Worst-case inputs of a given size, and a runner that ingests or builds each at several sizes and
reports the CPU time and peak memory each took: what tests/test_fuzz.py runs under a memory limit,
to check that 4 times the input costs about 4 times as much, not 16 (issue 19, point 6).

Each shape is what once made a stage quadratic or worse: thousands of distinct names (every new name
was compared with all before it), one endless sentence (each name read the whole line before it),
a registry name repeated 40,000 times, a title-case run of 100,000 words, a line of dots, thousands
of mentions in one paragraph (each mention's position counted from the paragraph's start; its
sentence copied for every mention; co-mentions paired every entity with every other), unclosed
`[[` (each searched to the paragraph's end).

    python tests/worstcase.py ingest|build ROOT SIZE[,SIZE...] SHAPE...   # one JSON line per shape and size
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import resource
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

SYLLABLES = ["ka", "lo", "mi", "ren", "dar", "vel", "tor", "sam", "qui", "bel", "nor", "zan", "fe", "rik", "ul", "pa",
             "gor", "hes", "wyn", "dro"]
HEADLINE = "Big Story Of The Day\n\n"


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _fill(size: int, unit: Callable[[], str]) -> str:
    """Units up to `size` bytes (of UTF-8) in all."""
    parts, length = [], 0
    while True:
        part = unit()
        if length + len(part.encode("utf-8")) > size:
            return "".join(parts)
        parts.append(part)
        length += len(part.encode("utf-8"))


def seed(shape: str, size: int) -> str:
    """A seed of about `size` characters (one line unless the shape is "lines")."""
    rng = random.Random(size)
    word = lambda: _word(rng)  # noqa: E731
    units: dict[str, Callable[[], str]] = {
        # a new two-word name in every sentence, its surname again, and an acronym defined for an organisation
        "names": lambda: (lambda a, b: f"{a} {b} met {b} and the {word()} Front ({a[0]}{b[0]}F) in {word()} on "
                                       f"Monday, officials said. ")(word(), word()),
        "one-sentence": lambda: f"{word()} {word()} met {word()} and ",
        "capitals": lambda: f"{word()} {word()} met {word()} in {word()}. ".upper(),
        "registry": lambda: "Kabul and the Taliban said Mujahid in Kabul. ",
        "title-case": lambda: word() + " ",
        "the": lambda: "The ",
        "acronyms": lambda: f"the {word()} {word()} Party ({''.join(rng.choice('ABCDEFGH') for _ in range(3))}) and ",
        "lines": lambda: f"{word()} {word()} said.\n\n",
        "surnames": lambda: f"{word()} Smith met Smith. Smith said ",
        "dots": lambda: "." * 1000,
    }
    return HEADLINE + _fill(size - len(HEADLINE), units[shape])


SEED_SHAPES = ["names", "one-sentence", "capitals", "registry", "title-case", "the", "acronyms", "lines",
               "surnames", "dots"]


def article(shape: str, size: int) -> tuple[str, int]:
    """An article body of about `size` characters: a short paragraph, then one long one; and how many
    entities it needs (e0 … e<n-1>, besides the mini site's)."""
    body, count = _long_paragraph(shape, size)
    return "A short paragraph first.\n\n" + body, count


def _long_paragraph(shape: str, size: int) -> tuple[str, int]:
    mentions = size // 30
    units = {
        "one-entity": ("see [[kabul|Kabul]] and ", 0),
        "sentences": ("See [[kabul|Kabul]]. ", 0),
        "line-breaks": ("see [[kabul|Kabul]]\n", 0),
        "unclosed": ("[[a ", 0),
        "critic": ("{==a ", 0),
        "notes": ("{==[[kabul|Kabul]]==}{>>note<<} ", 0),
        "brackets": ("[", 0),
    }
    if shape == "entities":  # one long sentence naming thousands of entities, each eight times
        count = max(1, mentions // 8)
        return "".join(f"with [[e{i % count}|E{i}]] and " for i in range(mentions)), count
    unit, count = units[shape]
    return unit * (size // len(unit)), count


ARTICLE_SHAPES = ["one-entity", "sentences", "line-breaks", "unclosed", "critic", "notes", "brackets", "entities"]


# ---------------------------------------------------------------- the runner (in its own process)

def _fresh(root: Path, template: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(template, root, symlinks=True)


def _run(args: list[str]) -> tuple[int, str]:
    from gloss.cli import main

    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(args)
    return code, err.getvalue()


def _forked(work: Callable[[], int]) -> tuple[int, resource.struct_rusage]:
    """Run `work` in a child forked from this process: its exit code, and its own CPU time and peak
    memory as the system counted them."""
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            code = work()
        finally:
            os._exit(code)
    _, status, usage = os.wait4(pid, 0)
    return os.waitstatus_to_exitcode(status), usage


def _write_input(stage: str, root: Path, shape: str, size: int) -> int:
    """Put one input of `shape` and `size` into the project at `root`."""
    if stage == "ingest":
        (root / "seeds").mkdir(exist_ok=True)
        (root / "seeds/huge.txt").write_text(seed(shape, size), encoding="utf-8")
        return 0
    body, entities = article(shape, size)
    for i in range(entities):
        (root / f"content/entities/e{i}.md").write_text(f"---\nname: E{i}\ntype: place\n---\n", encoding="utf-8")
    (root / "content/articles/huge.md").write_text(f"---\ntitle: Huge\ndate: 2021-09-06\n---\n{body}\n",
                                                   encoding="utf-8")
    return 0


def _command(stage: str, root: Path) -> list[str]:
    if stage == "ingest":
        return ["--root", str(root), "ingest"]
    return ["--root", str(root), "build", "--no-search", "--no-ingest", "--workers", "1"]


def _tail(path: Path, size: int = 2000) -> str:
    """The end of a file: an error output of megabytes, read whole, would grow this process."""
    if not path.exists():
        return ""
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - 4 * size))
        return handle.read().decode("utf-8", "replace")[-size:]


def run(stage: str, template: Path, sizes: list[int], shapes: list[str]) -> None:
    """Ingest (or build) each shape at each size in a copy of `template`, printing
    {shape, size, code, seconds, peak_mb, stderr}. Each run is a child forked from this process once a
    first run (not measured) has imported and compiled what every run needs, so that it pays only for
    its input; the inputs are made in children of their own, so that this process, whose memory each
    run starts with, stays as small as it was."""
    root, errors = template.parent / "work", template.parent / "stderr.txt"
    _fresh(root, template)
    _forked(lambda: _write_input(stage, root, shapes[0], min(sizes)))
    _run(_command(stage, root))

    def measured() -> int:
        code, err = _run(_command(stage, root))
        errors.write_text(err, encoding="utf-8")
        return code

    for shape in shapes:
        for size in sizes:
            _fresh(root, template)
            errors.unlink(missing_ok=True)
            _forked(lambda shape=shape, size=size: _write_input(stage, root, shape, size))
            code, usage = _forked(measured)
            print(json.dumps({"shape": shape, "size": size, "code": code,
                              "seconds": round(usage.ru_utime + usage.ru_stime, 3),
                              "peak_mb": round(usage.ru_maxrss / 1024, 1),
                              "stderr": _tail(errors)}), flush=True)
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    run(sys.argv[1], Path(sys.argv[2]), [int(size) for size in sys.argv[3].split(",")], sys.argv[4:])
