"""The review queue and its fixes as the preview server uses them: the one place that calls
gloss/reviewqueue.py and gloss/fixes.py, so the page lists what `build.py review` lists and a
button runs what the command line runs.

A fix arrives from a browser as one of the queue's command lines ("build.py retype zorblat place").
It is run only when the current queue offers exactly that line, and only after every id in it has
passed `is_slug` and every type is one site.yml declares: nothing from a request reaches a file
path unchecked, even though the fix commands check again.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from urllib.parse import quote

from .config import SiteConfig
from .content import is_slug
from .errors import GlossError
from .fixes import parse_fix, run_fix
from .reviewqueue import build_queue, queue_json
from .urls import article_url, entity_url

ID_FIELDS = ("id", "old", "new", "article")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def queue_items(config: SiteConfig) -> list[dict]:
    """The queue as `build.py review --format json` gives it, each item with where to look added:
    `pages` (site paths of its entities), and for each passage its article's `url` and an `edit` link."""
    items = queue_json(build_queue(config))["items"]
    for item in items:
        item["pages"] = {e: "/" + entity_url(e) for e in item["entities"] if is_slug(e)}
        for passage in item["evidence"]:
            passage["url"] = _article_page(passage["article"])
            passage["edit"] = edit_link(config, passage["article"], passage["line"])
        if not item["evidence"]:  # an entity nothing mentions: its own file is the place to look
            files = [f"content/entities/{e}.md" for e in item["entities"] if is_slug(e)]
            item["files"] = [{"file": file, "edit": edit_link(config, file, 1)} for file in files]
    return items


def _article_page(article: str) -> str | None:
    path = Path(article)
    if path.parent.as_posix() == "content/articles" and is_slug(path.stem):
        return "/" + article_url(path.stem)
    return None


def edit_link(config: SiteConfig, relative: str, line: int) -> str | None:
    """site.yml's `editor_url` for a file of the site at a line; None when there is none to give."""
    if not config.editor_url:
        return None
    path = (config.root / relative).resolve()
    if not path.is_relative_to(config.root) or not path.is_file():
        return None
    # replace, not str.format: a "{path.__class__}" in site.yml must stay text
    return config.editor_url.replace("{path}", quote(str(path), safe="/")).replace("{line}", str(int(line)))


def checked_fix(config: SiteConfig, line: str) -> argparse.Namespace:
    """The parsed fix command, refused unless every id is an id and every type a declared type."""
    if CONTROL.search(line):
        raise GlossError("a fix command has no control characters", None, None, None)
    args = parse_fix(line)
    ids = [getattr(args, name) for name in ID_FIELDS if getattr(args, name, None) is not None]
    ids += list(getattr(args, "ids", None) or [])
    for value in ids:
        if not is_slug(value):
            raise GlossError(f"'{value}' is not an id", None, None, None,
                             hint="ids are lowercase letters, digits and hyphens")
    for name in ("type", "entity_type"):
        value = getattr(args, name, None)
        if value is not None and value not in config.type_ids():
            raise GlossError(f"entity type '{value}' is not declared in site.yml", None, None, None)
    return args


def apply_fix(config: SiteConfig, line: str) -> str:
    """Run one fix command line all or nothing, exactly as the command line does; what it did, in a line."""
    checked_fix(config, line)
    return run_fix(config, line)
