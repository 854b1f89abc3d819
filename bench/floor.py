"""The Python floor: what markdown-it-py and Jinja2 alone cost on a generated site's article pages.

Each article is read, its front matter loaded with PyYAML's C loader, its body rendered by a plain
CommonMark markdown-it-py and put through a one-line Jinja2 template, and the page written to
articles/<slug>/index.html, on every core. No mentions, no entity pages, no annotations, no cache:
a lower bound for any generator built on these libraries, set beside Hugo in the bench table.

python -m bench.floor SITE OUTPUT
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

PAGE = ("<!doctype html><html><head><title>{{ title }}</title></head>"
        "<body><main><h1>{{ title }}</h1>{{ body }}</main></body></html>")

_md = MarkdownIt("commonmark")
_template = jinja2.Environment(autoescape=True).from_string(PAGE)


def render_article(job: tuple[Path, Path]) -> None:
    source, out = job
    _, front, body = source.read_text(encoding="utf-8").split("---\n", 2)
    meta = yaml.load(front, Loader=yaml.CSafeLoader)
    folder = out / "articles" / source.stem
    folder.mkdir(parents=True)
    page = _template.render(title=meta.get("title", ""), body=Markup(_md.render(body)))
    (folder / "index.html").write_text(page, encoding="utf-8")


def main(argv: list[str]) -> int:
    site, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True)
    jobs = [(path, out) for path in sorted((site / "content/articles").glob("*.md"))]
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        pool.map(render_article, jobs, chunksize=40)
    print(f"wrote {len(jobs)} of {len(jobs)} pages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
