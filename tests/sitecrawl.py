"""Crawl a built site: every internal href/src must point at a file (and anchor) that exists."""

from __future__ import annotations

import posixpath
import urllib.request
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import html5lib

LINK_ATTRS = (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src"))
NS = "{http://www.w3.org/1999/xhtml}"


def parse_html(text: str, strict: bool = False):
    return html5lib.HTMLParser(strict=strict, namespaceHTMLElements=True).parse(text)


def links_and_ids(text: str) -> tuple[list[str], set[str]]:
    tree = parse_html(text)
    links = [el.get(attr) for tag, attr in LINK_ATTRS for el in tree.iter(NS + tag) if el.get(attr)]
    ids = {el.get("id") for el in tree.iter() if el.get("id")}
    return links, ids


def is_internal(link: str) -> bool:
    parts = urlsplit(link)
    return not parts.scheme and not parts.netloc and not link.startswith("mailto:")


def broken_links(site: Path) -> list[str]:
    """Every internal link in every HTML file of `site` that points nowhere, as 'page: link'."""
    pages = {str(p.relative_to(site)).replace("\\", "/"): p for p in site.rglob("*.html")}
    ids = {}
    problems = []
    for rel, path in sorted(pages.items()):
        links, page_ids = links_and_ids(path.read_text(encoding="utf-8"))
        ids[rel] = page_ids
        for link in links:
            if not is_internal(link):
                continue
            target, fragment = _resolve(rel, link)
            if target is None or not (site / target).is_file():
                problems.append(f"{rel}: {link}")
            elif fragment:
                problems.extend(_missing_anchor(site, target, fragment, rel, link, ids))
    return problems


def _resolve(page: str, link: str) -> tuple[str | None, str]:
    parts = urlsplit(link)
    path = unquote(parts.path)
    if not path:
        return page, parts.fragment
    if path.startswith("/"):  # from the host's root, where the site is (the 404 page's links)
        page, path = "", path.lstrip("/") or "."
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if joined.startswith(".."):
        return None, ""
    if path.endswith("/") or joined == ".":
        joined = posixpath.join("" if joined == "." else joined, "index.html")
    return joined, parts.fragment


def _missing_anchor(site: Path, target: str, fragment: str, rel: str, link: str, ids: dict) -> list[str]:
    if target not in ids:
        ids[target] = links_and_ids((site / target).read_text(encoding="utf-8"))[1] if target.endswith(".html") \
            else set()
    return [] if fragment in ids[target] else [f"{rel}: {link} (no element with id '{fragment}')"]


def crawl_http(start: str, limit: int = 2000) -> tuple[set[str], list[str]]:
    """Follow every internal link from `start` over HTTP; returns (pages seen, failures)."""
    seen, failures, queue = set(), [], [start]
    prefix = start
    while queue and len(seen) < limit:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                body = response.read().decode("utf-8", "replace")
                kind = response.headers.get("Content-Type", "")
        except Exception as exc:  # noqa: BLE001 - every failure is a finding
            failures.append(f"{url}: {exc}")
            continue
        if "html" not in kind:
            continue
        for link in links_and_ids(body)[0]:
            if is_internal(link):
                absolute = urljoin(url, link).split("#")[0]
                if not absolute.startswith(prefix):
                    failures.append(f"{url}: {link} leaves {prefix}")
                elif absolute not in seen:
                    queue.append(absolute)
    return seen, failures
