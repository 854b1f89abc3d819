"""The site's URL scheme: where each kind of page lives, and links between pages.

Every link a page makes is relative (climbing to the site root and down again), so a built site
works from any folder or sub-path; `base_url` is only for the feed, sitemap and structured data.
"""

from __future__ import annotations


def article_url(slug: str) -> str:
    return f"articles/{slug}/"


def entity_url(entity_id: str) -> str:
    return f"entities/{entity_id}/"


def entity_card_url(entity_id: str) -> str:
    """What a hover card fetches: a few dozen bytes, where the whole site's entities.json grows with it."""
    return f"entities/{entity_id}/card.json"


def entity_year_url(entity_id: str, year: str) -> str:
    return f"entities/{entity_id}/{year}/"


def archive_url(year: str) -> str:
    return f"archive/{year}/"


def tag_url(tag: str) -> str:
    return f"tags/{tag}/"


def climb_to_root(from_page: str) -> str:
    """The relative link from the page at `from_page` to the site's root folder ("" at the root)."""
    return "../" * from_page.count("/")


def relative(from_page: str, target: str) -> str:
    """A link from the page at `from_page` to the site path `target`, as a relative URL.

    Always climbs to the site root and back down: the same link text wherever the page is, and
    cheap enough to call for every link of every page.
    """
    up = climb_to_root(from_page)
    if target.startswith("#"):
        return target
    return (up + target) or "./"


__all__ = ["archive_url", "article_url", "climb_to_root", "entity_card_url", "entity_url", "entity_year_url",
           "relative", "tag_url"]
