"""Rebuilds do only what an edit needs, and give exactly what a cold build gives."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_gloss, tree_hash

from bench.corpus import write_site
from gloss.builder import SiteBuilder
from gloss.config import load_config
from gloss.errors import Problems


def output(root: Path) -> dict[str, str]:
    """Hashes of the built site, without Pagefind's index (it has its own ids)."""
    return {k: v for k, v in tree_hash(root / "_site").items() if not k.startswith("pagefind/")}


def cold_build(root: Path, tmp: Path, *args: str) -> dict[str, str]:
    """Build a copy of `root` from nothing (no cache, no output) and return its output."""
    copy = tmp / "cold"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("_site", ".gloss-cache", "._site*"))
    result = run_gloss(copy, "build", "--no-search", *args)
    assert result.returncode == 0, result.stderr
    return output(copy)


def written(result_stdout: str) -> int:
    return int(re.search(r"wrote (\d+) of", result_stdout).group(1))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


@pytest.fixture
def built(mini_site: Path) -> Path:
    assert run_gloss(mini_site, "build", "--no-search").returncode == 0
    return mini_site


def test_warm_build_after_an_edit_equals_a_cold_build(built: Path, tmp_path: Path) -> None:
    edit(built / "content/articles/talks.md", "spoke to reporters", "spoke to reporters about the [[Taliban]]")
    edit(built / "content/entities/kabul.md", "Capital of Afghanistan.", "Largest city of Afghanistan.")
    assert run_gloss(built, "build", "--no-search").returncode == 0
    assert output(built) == cold_build(built, tmp_path)


def test_added_and_removed_articles_relink_the_annotation_pages_around_them(built: Path, tmp_path: Path) -> None:
    articles = built / "content/articles"
    dates = sorted(p.read_text().split("date: ")[1][:10] for p in articles.glob("*.md"))
    (articles / "between.md").write_text(f"---\ntitle: Between\ndate: {dates[0]}\n---\nIn [[Kabul]].\n")
    assert run_gloss(built, "build", "--no-search").returncode == 0
    assert output(built) == cold_build(built, tmp_path / "added")
    (articles / "between.md").unlink()
    assert run_gloss(built, "build", "--no-search").returncode == 0
    assert output(built) == cold_build(built, tmp_path / "removed")


def test_one_article_edit_rewrites_exactly_the_affected_pages(built: Path) -> None:
    before = output(built)
    edit(built / "content/articles/talks.md", "spoke to reporters in [[kabul|the capital]]",
         "spoke to reporters about the [[Taliban]]")
    result = run_gloss(built, "build", "--no-search")
    after = output(built)
    changed = sorted(k for k in after if before.get(k) != after[k])
    assert changed == sorted([
        "articles/talks/index.html", "annotations/talks.jsonld",  # the article (the collection's total is the same)
        "entities/kabul/index.html", "entities/taliban/index.html",  # mention removed / added
        "entities/zabihullah-mujahid/index.html",  # its co-mentions changed
        "index.html",  # the home page shows the article's top entities
        "entities/index.html", "entities.json", "feed.xml",  # lists with mention counts or full text
    ])
    assert written(result.stdout) == len(changed)


def test_nothing_changed_writes_nothing_and_keeps_modification_times(built: Path) -> None:
    times = {p: p.stat().st_mtime_ns for p in (built / "_site").rglob("*.html")}
    result = run_gloss(built, "build", "--no-search")
    assert "nothing changed since the last build" in result.stdout
    edit(built / "content/articles/talks.md", "reporters", "journalists")
    run_gloss(built, "build", "--no-search")
    unchanged = built / "_site/entities/panjshir/index.html"
    assert unchanged.stat().st_mtime_ns == times[unchanged]


def test_template_change_rebuilds_all_but_keeps_unchanged_files(built: Path) -> None:
    page = built / "_site/articles/talks/index.html"
    mtime = page.stat().st_mtime_ns
    tags = built / "theme/templates/tags.html"
    tags.write_text(tags.read_text().replace("<h1>Tags</h1>", "<h1>All tags</h1>"))
    result = run_gloss(built, "build", "--no-search")
    assert "(full)" in result.stdout and written(result.stdout) == 1
    assert "<h1>All tags</h1>" in (built / "_site/tags/index.html").read_text()
    assert page.stat().st_mtime_ns == mtime


def test_deleted_article_is_removed_from_the_output(built: Path, tmp_path: Path) -> None:
    (built / "content/articles/talks.md").unlink()
    assert run_gloss(built, "build", "--no-search").returncode == 0
    assert not (built / "_site/articles/talks").exists()
    assert output(built) == cold_build(built, tmp_path)


def test_corrupt_cache_is_ignored_with_a_warning(built: Path) -> None:
    for name in ("parse.sqlite", "state.pickle"):
        (built / ".gloss-cache" / name).write_bytes(b"this is not a cache" * 100)
    edit(built / "content/articles/talks.md", "reporters", "journalists")
    result = run_gloss(built, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "is unreadable" in result.stderr or "is corrupt" in result.stderr
    assert "journalists" in (built / "_site/articles/talks/index.html").read_text()


def test_output_is_identical_with_one_and_with_two_workers(tmp_path: Path) -> None:
    site = tmp_path / "gen"
    write_site(site, 250)  # 500+ pages: enough for the builder to fork workers
    shutil.copytree(ROOT / "theme", site / "theme")
    one = cold_build(site, tmp_path / "a", "--workers", "1")
    two = cold_build(site, tmp_path / "b", "--workers", "2")
    assert one == two and len(one) > 500


def test_in_process_rebuild_reparses_only_the_edited_file(built: Path) -> None:
    builder = SiteBuilder(load_config(built), search=False)
    builder.build(Problems())
    edit(built / "content/articles/talks.md", "reporters", "journalists")
    model = builder.build(Problems())
    assert "(1 parsed)" in model.stages[0].summary
    assert model.written < model.pages_total
