"""Screenshots of the built site for the README: `make screenshots` (after `make site`).

Writes docs/screenshots/article-wide-light.png, article-wide-dark.png, article-narrow-light.png,
article-narrow-dark.png (375 px), entity-wide-light.png and entities-index-light.png, taken with
Debian's chromium through Playwright from the site in _site/ served on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402

SHOTS = [  # name, page kind, viewport width, colour scheme, full page
    ("article-wide-light", "article", 1400, "light", False),
    ("article-wide-dark", "article", 1400, "dark", False),
    ("article-narrow-light", "article", 375, "light", False),
    ("article-narrow-dark", "article", 375, "dark", False),
    ("entity-wide-light", "entity", 1400, "light", False),
    ("entities-index-light", "entities", 1400, "light", False),
]


def pick_pages(site: Path) -> dict[str, str]:
    """The newest article and the entity mentioned in the most articles."""
    articles = sorted(p.parent.name for p in (site / "articles").glob("*/index.html"))
    home = (site / "index.html").read_text(encoding="utf-8")
    article = next((a for a in sorted(articles, key=lambda a: home.find(f"articles/{a}/")) if f"articles/{a}/" in home),
                   articles[0] if articles else None)
    entities = json.loads((site / "entities.json").read_text(encoding="utf-8"))
    ranked = sorted(entities, key=lambda i: (-entities[i]["articles"], -entities[i]["mentions"], i))
    entity = ranked[0] if ranked else None
    if article is None or entity is None:
        raise SystemExit(f"{site} has no article or no entity: run `make site` first")
    return {"article": f"articles/{article}/", "entity": f"entities/{entity}/", "entities": "entities/"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "_site")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    if not (args.site / "index.html").exists():
        raise SystemExit(f"no built site in {args.site}: run `make site` first")
    from playwright.sync_api import sync_playwright

    pages = pick_pages(args.site)
    args.out.mkdir(parents=True, exist_ok=True)
    served = serve(args.site)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, kind, width, scheme, full in SHOTS:
                context = browser.new_context(viewport={"width": width, "height": 1000 if width > 600 else 812},
                                              color_scheme=scheme, device_scale_factor=1)
                page = context.new_page()
                page.goto(served.url + pages[kind])
                if kind == "article" and width > 600:  # show a hover card on the first mention
                    first = page.locator("a.mention").first
                    if first.count():
                        first.focus()  # the card opens at once; its count line fills when its file arrives
                        page.locator("#gloss-card .card-count:not(:empty)").wait_for()
                elif kind == "article":  # open the first note inline, scrolled into view
                    label = page.locator("label.note-ref").first
                    if label.count():
                        label.scroll_into_view_if_needed()
                        label.click()
                        page.evaluate("window.scrollBy(0, -200)")
                target = args.out / f"{name}.png"
                page.screenshot(path=str(target), full_page=full)
                print(f"wrote {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")
                context.close()
            browser.close()
    finally:
        served.server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
