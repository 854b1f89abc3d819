"""The review desk of `build.py serve`: the queue as a page, and fixes applied from the browser.

Only the preview server has it, and only on a loopback address; nothing here is ever written to
the built site. Its endpoints:
- GET  /__gloss/review       the queue, most consequential first, with passages, edit links, buttons;
- GET  /__gloss/review.json  the same for the marks and cards on article pages (gloss/review.js);
- POST /__gloss/fix          {"fix": "build.py retype zorblat place"}, one of the queue's own lines.
A POST needs, beyond the Host and Origin checks every request passes (gloss/serve_guard.py), this
run's random token in `X-Gloss-Token` and a JSON body (which a page of another site cannot send
without asking first). The fix writes the files; the watcher then rebuilds and reloads the pages.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from collections import Counter
from collections.abc import Callable
from html import escape
from pathlib import Path

from tornado import ioloop, web

from .config import SiteConfig
from .errors import GlossError
from .serve_review import apply_fix, queue_items

ASSETS = {"review.js": "application/javascript", "review.css": "text/css"}
PAGE_LIMIT = 200  # items shown at once; ?limit=N shows more


class ReviewDesk:
    """This run's token, and the queue, kept until the site is rebuilt or a fix is applied.

    The queue reads the whole site (5 s at 2,000 articles), so it is made in a worker thread, one
    at a time, and only when asked for. The review page and a fix always wait for the current
    queue; the marks on an article page may show the one from before the last hand edit while the
    new one is made (never one from before a fix: a fix drops it)."""

    def __init__(self, config: SiteConfig, version: Callable[[], int]) -> None:
        self.config = config
        self.token = secrets.token_urlsafe(32)
        self.version = version  # moves on with every rebuild (gloss/serve.py BuildStatus)
        self.applied = 0
        self.lock = threading.Lock()
        self.cached: tuple[tuple[int, int], list[dict]] | None = None

    def items(self, fresh: bool = True) -> list[dict]:
        key = (self.version(), self.applied)
        cached = self.cached
        if cached is not None and not fresh and cached[0][1] == self.applied and cached[0] != key:
            if not self.lock.locked():
                threading.Thread(target=self.items, daemon=True).start()
            return cached[1]
        with self.lock:
            if self.cached is None or self.cached[0] != key:
                self.cached = (key, queue_items(self.config))
            return self.cached[1]

    def token_ok(self, given: str) -> bool:
        return hmac.compare_digest(given.encode(), self.token.encode())

    def apply(self, line: str) -> str:
        try:
            return apply_fix(self.config, line)
        finally:
            self.applied += 1  # whatever happened on disk, the queue is read again

    def head(self) -> bytes:
        """What serve adds to every page it serves: the token, the marks and cards script."""
        return (f'<meta name="gloss-review-token" content="{self.token}">'
                '<script src="/__gloss/review.js" defer></script>').encode()


class _DeskHandler(web.RequestHandler):
    desk: ReviewDesk

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")

    async def queue(self, fresh: bool = True) -> list[dict] | None:
        """The queue, or None after answering with why there is none (the site cannot be read)."""
        try:
            return await ioloop.IOLoop.current().run_in_executor(None, self.desk.items, fresh)
        except GlossError as error:
            self.set_status(503)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(f"the review queue cannot be made: {error.format()}\n")
            return None


class ReviewPageHandler(_DeskHandler):
    async def get(self) -> None:
        items = await self.queue()
        if items is None:
            return
        try:
            limit = max(1, int(self.get_argument("limit", str(PAGE_LIMIT))))
        except ValueError:
            limit = PAGE_LIMIT
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(review_page(self.desk.config, items, limit))


class ReviewJsonHandler(_DeskHandler):
    """The queue; `?entity=ID` (repeated) keeps only the items about those entities (a page's)."""

    async def get(self) -> None:
        wanted = set(self.get_arguments("entity"))
        items = await self.queue(fresh=not wanted)
        if items is not None:
            if wanted:
                items = [item for item in items if wanted.intersection(item["entities"])]
            self.set_header("Content-Type", "application/json")
            self.finish(json.dumps({"items": items}, ensure_ascii=False))


class FixHandler(_DeskHandler):
    async def post(self) -> None:
        if not self.desk.token_ok(self.request.headers.get("X-Gloss-Token", "")):
            return self._answer(403, "this page's review token is missing or out of date: reload the page")
        if self.request.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            return self._answer(415, "send the fix as JSON")
        try:
            line = json.loads(self.request.body)["fix"]
        except (ValueError, KeyError, TypeError):
            return self._answer(400, 'send {"fix": "<one of the queue\'s commands>"}')
        items = await self.queue()
        if items is None:
            return None
        if not isinstance(line, str) or line not in {fix for item in items for fix in item["fix"]}:
            return self._answer(409, "the queue no longer offers this fix: reload the page")
        try:
            message = self.desk.apply(line)
        except GlossError as error:
            return self._answer(422, error.format())
        print(f"review: {message}", flush=True)
        return self._answer(200, message)

    def _answer(self, status: int, message: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"ok": status == 200, "message": message}, ensure_ascii=False))


class AssetHandler(web.RequestHandler):
    def get(self, name: str) -> None:
        self.set_header("Content-Type", ASSETS[name])
        self.set_header("Cache-Control", "no-cache")
        self.finish(Path(__file__).with_name(name).read_bytes())


def handlers(desk: ReviewDesk) -> list[tuple]:
    for handler in (ReviewPageHandler, ReviewJsonHandler, FixHandler):
        handler.desk = desk
    return [(r"/__gloss/review/?", ReviewPageHandler), (r"/__gloss/review\.json", ReviewJsonHandler),
            (r"/__gloss/fix", FixHandler), (r"/__gloss/(review\.js|review\.css)", AssetHandler)]


# ---------------------------------------------------------------- the page

def review_page(config: SiteConfig, items: list[dict], limit: int) -> str:
    counts = Counter(item["kind"] for item in items)
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.most_common())
    shown = "".join(_item(number, item) for number, item in enumerate(items[:limit], start=1))
    more = (f'<p><a href="?limit={len(items)}">Show all {len(items)} items</a></p>'
            if len(items) > limit else "")
    empty = "<p>Nothing to review: ingest guessed nothing that needs a look.</p>" if not items else ""
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Review · {escape(config.title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/__gloss/review.css">
</head>
<body class="gloss-review-page">
<main id="main">
<h1>Review: {len(items)} item{"" if len(items) == 1 else "s"}</h1>
<p class="review-summary">{escape(summary)}{" · most consequential first" if items else ""} ·
<a href="/">back to the site</a></p>
{empty}<ol class="review-queue">
{shown}</ol>
{more}</main>
</body>
</html>
"""


def _item(number: int, item: dict) -> str:
    pages = item.get("pages", {})
    names = ", ".join(f'<a href="{escape(pages[e])}">{escape(e)}</a>' if e in pages else escape(e)
                      for e in item["entities"])
    mentions = item["mentions"]
    passages = "".join(_passage(p) for p in item["evidence"])
    passages += "".join(_file(f) for f in item.get("files", []))
    buttons = "".join(f'<button type="button" class="review-fix" data-fix="{escape(fix)}">'
                      f'{escape(fix.removeprefix("build.py "))}</button>' for fix in item["fix"])
    return f"""<li class="review-item kind-{escape(item['kind'])}" id="item-{number}">
<h2><span class="review-kind">{escape(item['kind'])}</span> {names}</h2>
<p class="review-why">{escape(item['why'])} · {mentions} mention{"" if mentions == 1 else "s"}</p>
<ul class="review-evidence">{passages}</ul>
<div class="review-fixes" role="group" aria-label="Fixes">{buttons}</div>
<p class="review-result" role="status"></p>
</li>
"""


def _passage(passage: dict) -> str:
    where = f"{passage['article']}:{passage['line']}"
    place = f'<a href="{escape(passage["url"])}">{escape(where)}</a>' if passage.get("url") else escape(where)
    edit = (f' <a class="review-edit" href="{escape(passage["edit"])}">edit<span class="visually-hidden"> '
            f'{escape(where)}</span></a>' if passage.get("edit") else "")
    return f'<li><blockquote>{escape(passage["text"])}</blockquote><p class="review-where">{place}{edit}</p></li>'


def _file(file: dict) -> str:
    edit = (f' <a class="review-edit" href="{escape(file["edit"])}">edit<span class="visually-hidden"> '
            f'{escape(file["file"])}</span></a>' if file.get("edit") else "")
    return f'<li><p class="review-where">{escape(file["file"])}{edit}</p></li>'
