"""Worst-case inputs of a given size, and a runner that ingests or builds them one by one and reports
the CPU time each took: what tests/test_fuzz.py runs under a memory limit (issue 19, point 6).

Each shape is what once made a stage quadratic or worse: thousands of distinct names (every new name
was compared with all before it), one endless sentence (each name read the whole line before it),
a registry name repeated 40,000 times, a title-case run of 100,000 words, a line of dots, thousands
of mentions in one paragraph (each mention's position counted from the paragraph's start; its
sentence copied for every mention; co-mentions paired every entity with every other), unclosed
`[[` (each searched to the paragraph's end).

    python tests/worstcase.py ingest|build ROOT BYTES SHAPE...   # one JSON line per shape
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import shutil
import sys
import time
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


def run(stage: str, template: Path, size: int, shapes: list[str]) -> None:
    """Ingest (or build) each shape in a copy of `template`, printing {shape, code, seconds, stderr}."""
    root = template.parent / "work"
    for shape in shapes:
        _fresh(root, template)
        if stage == "ingest":
            (root / "seeds").mkdir(exist_ok=True)
            (root / "seeds/huge.txt").write_text(seed(shape, size), encoding="utf-8")
            args = ["--root", str(root), "ingest"]
        else:
            body, entities = article(shape, size)
            for i in range(entities):
                (root / f"content/entities/e{i}.md").write_text(f"---\nname: E{i}\ntype: place\n---\n",
                                                                encoding="utf-8")
            (root / "content/articles/huge.md").write_text(f"---\ntitle: Huge\ndate: 2021-09-06\n---\n{body}\n",
                                                           encoding="utf-8")
            args = ["--root", str(root), "build", "--no-search", "--no-ingest", "--workers", "1"]
        start = time.process_time()
        code, err = _run(args)
        seconds = time.process_time() - start
        print(json.dumps({"shape": shape, "code": code, "seconds": round(seconds, 2), "stderr": err[-2000:]}),
              flush=True)
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    run(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]), sys.argv[4:])
