"""Pagefind runs as the last build step; without it the build says so and the site still works."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from conftest import run_gloss

from gloss import search
from gloss.builder import build_site
from gloss.config import load_config
from gloss.errors import Problems

SITE = {
    "site.yml": "title: T\n",
    "content/entities/kabul.md": "---\nname: Kabul\ntype: place\naliases: [Kabol]\n---\n",
    "content/articles/a.md": "---\ntitle: A\ndate: 2021-01-01\n---\nIn [[Kabul]] today.\n",
}


def test_build_writes_the_search_index(make_site) -> None:
    root = make_site(SITE)
    result = run_gloss(root, "build", "--no-ingest")
    assert result.returncode == 0, result.stderr
    assert "search index written" in result.stdout
    assert (root / "_site/pagefind/pagefind.js").is_file()
    assert not list(root.glob("._site.*"))  # indexed in the temporary folder, then swapped in whole
    entity = (root / "_site/entities/kabul/index.html").read_text(encoding="utf-8")
    assert 'data-pagefind-body data-pagefind-weight="9" data-pagefind-meta="aliases">Kabol' in entity  # rank high


def indexed_pages(site: Path) -> dict[str, dict]:
    """What Pagefind keeps of each page (its fragments: gzipped JSON after a signature)."""
    pages = {}
    for fragment in (site / "pagefind/fragment").iterdir():
        data = gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd")
        page = json.loads(data)
        pages[page["url"]] = page
    return pages


def test_search_indexes_each_passage_once_and_entities_by_what_names_them(make_site) -> None:
    root = make_site({**SITE, "site.yml": "title: T\npassages_by_year_after: 1\n",  # Kabul gets a page for 2021
                      "content/articles/b.md": "---\ntitle: B\ndate: 2021-02-01\n---\n"
                                               "Rain fell on [[Kabul]] all week.\n"})
    assert run_gloss(root, "build", "--no-ingest").returncode == 0
    assert (root / "_site/entities/kabul/2021/index.html").is_file()
    pages = indexed_pages(root / "_site")
    assert sorted(pages) == ["/articles/a/", "/articles/b/", "/entities/kabul/"]  # no lists, indexes or years
    kabul = pages["/entities/kabul/"]
    assert kabul["content"] == "Kabul. Kabol"  # its name and aliases: not the articles' sentences again
    assert kabul["filters"] == {"kind": ["entity"], "type": ["Place"]}
    assert kabul["meta"] == {"title": "Kabul", "aliases": "Kabol", "type": "place", "type_label": "Place"}
    assert "Rain fell on Kabul all week." in pages["/articles/b/"]["content"]
    assert pages["/articles/b/"]["filters"] == {"kind": ["article"]}


def test_missing_pagefind_warns_and_builds_the_rest(make_site, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site(SITE)
    monkeypatch.setattr(search, "pagefind_command", lambda: None)
    problems = Problems()
    model = build_site(load_config(root), problems)
    assert any(s.name == "search" and "Pagefind missing" in s.summary for s in model.stages)
    [warning] = [w for w in problems.warnings if "Pagefind" in w.message]
    assert "without its search index" in warning.message and "pip install" in warning.hint
    site = root / "_site"
    assert (site / "search/index.html").is_file() and (site / "articles/a/index.html").is_file()
    assert not (site / "pagefind").exists()


def test_failing_pagefind_is_a_warning_too(make_site, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    root = make_site(SITE)
    fake = tmp_path / "fake-pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 3\n")
    fake.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_command", lambda: [str(fake)])
    problems = Problems()
    build_site(load_config(root), problems)
    assert any("Pagefind failed: Error: something broke" in w.message for w in problems.warnings)
    assert (root / "_site/index.html").is_file()
