"""Rebuilds do only what an edit needs, and give exactly what a cold build gives."""

from __future__ import annotations

import fcntl
import multiprocessing
import pickle
import random
import re
import shutil
from pathlib import Path

import pytest
from conftest import ROOT, run_gloss, tree_hash

from bench.corpus import write_site
from gloss.builder import SiteBuilder
from gloss.config import load_config
from gloss.errors import BuildFailed, Problems
from gloss.workers import PARALLEL_MIN, PIPE_SIZE, _widen_pipes


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
        "articles/panjshir-falls/index.html",  # its "more on these people" now shares the Taliban, not Kabul
        "entities/kabul/index.html", "entities/taliban/index.html",  # mention removed / added
        "entities/kabul/card.json", "entities/taliban/card.json",  # and their cards' counts with it
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


def test_damaged_compiled_templates_are_compiled_again(built: Path, tmp_path: Path) -> None:
    compiled = sorted((built / ".gloss-cache/templates").iterdir())
    assert compiled  # the first build kept the theme's templates compiled
    for path in compiled:
        path.write_bytes(path.read_bytes()[:40])  # cut short: Jinja2's own header check passes
    edit(built / "content/articles/talks.md", "reporters", "journalists")
    result = run_gloss(built, "build", "--no-search")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert output(built) == cold_build(built, tmp_path)
    assert any(path.stat().st_size > 40 for path in compiled)  # those this build needed, written again


def test_output_is_identical_with_one_and_with_two_workers(tmp_path: Path) -> None:
    site = tmp_path / "gen"
    write_site(site, PARALLEL_MIN + 50)  # enough files for the builder to parse (and read) them in workers
    shutil.copytree(ROOT / "theme", site / "theme")
    one = cold_build(site, tmp_path / "a", "--workers", "1")
    two = cold_build(site, tmp_path / "b", "--workers", "2")
    assert one == two and len(one) > 2 * PARALLEL_MIN
    big = SiteBuilder(load_config(site), search=False, workers=2)
    big.files.full_documents_up_to = 0  # as on a big site: the render workers read documents back from the cache
    big.build(Problems())
    assert output(site) == one


def test_a_build_with_workers_leaves_a_state_the_next_builds_trust(tmp_path: Path) -> None:
    """With workers, the state is pickled while they render (SiteBuilder.save_state)."""
    site = tmp_path / "gen"
    write_site(site, PARALLEL_MIN + 50)
    shutil.copytree(ROOT / "theme", site / "theme")
    assert run_gloss(site, "build", "--no-search", "--workers", "2").returncode == 0
    assert "nothing changed" in run_gloss(site, "build", "--no-search", "--workers", "2").stdout
    article = sorted((site / "content/articles").glob("*.md"))[3]
    edit(article, "\n---\n", "\n---\nA new first paragraph.\n\n")
    result = run_gloss(site, "build", "--no-search", "--workers", "2")
    assert "(full)" not in result.stdout and 0 < written(result.stdout) < 10, result.stdout
    assert output(site) == cold_build(site, tmp_path)


def test_worker_pool_pipes_are_widened_to_hold_a_chunk_of_parse_results() -> None:
    """A speed measure with a silent fallback: this says when a Python upgrade makes it fall back."""
    pool = multiprocessing.get_context("fork").Pool(1)
    try:
        _widen_pipes(pool)
        for queue in (pool._outqueue, pool._inqueue):
            assert fcntl.fcntl(queue._reader.fileno(), fcntl.F_GETPIPE_SZ) == PIPE_SIZE
    finally:
        pool.terminate()


def test_file_read_by_a_worker_gets_the_same_located_error(tmp_path: Path) -> None:
    """On a cold build the parse workers read the files: an unreadable one is still named, with its line."""
    site = tmp_path / "gen"
    write_site(site, PARALLEL_MIN + 10)
    shutil.copytree(ROOT / "theme", site / "theme")
    bad = site / "content/articles/article-000007.md"
    bad.write_bytes("---\ntitle: Bad\n---\nCaf\xe9 au lait.\n".encode("latin-1"))
    messages = []
    for workers in ("1", "2"):
        shutil.rmtree(site / ".gloss-cache", ignore_errors=True)
        result = run_gloss(site, "build", "--no-search", "--workers", workers)
        assert result.returncode != 0 and not (site / "_site").exists()
        messages.append(result.stderr)
    expected = "content/articles/article-000007.md:4:4: file is not UTF-8 text: byte 0xE9 cannot be read as UTF-8"
    assert expected in messages[0] and messages[0] == messages[1]


def test_in_process_rebuild_reparses_only_the_edited_file(built: Path) -> None:
    builder = SiteBuilder(load_config(built), search=False)
    builder.build(Problems())
    edit(built / "content/articles/talks.md", "reporters", "journalists")
    model = builder.build(Problems())
    assert "(1 parsed)" in model.stages[0].summary
    assert model.written < model.pages_total


def test_state_saved_under_other_settings_is_not_trusted(built: Path) -> None:
    """A builder that renders with the settings it started with saves its state after site.yml changed
    (as `serve` did): the next build must not take those pages for ones made with the new settings."""
    builder = SiteBuilder(load_config(built), search=False)
    edit(built / "site.yml", "title: Mini", "title: Mini Renamed")
    builder.build(Problems())  # site.yml's stamp changed: a full build, still with the old title
    result = run_gloss(built, "build", "--no-search")
    assert "nothing changed" not in result.stdout
    assert "<title>Mini Renamed</title>" in (built / "_site/index.html").read_text()


def test_in_process_rebuild_renders_with_an_edited_template(mini_site: Path) -> None:
    """`serve` keeps one builder, whose Jinja2 environment does not look at template times itself."""
    builder = SiteBuilder(load_config(mini_site), search=False)
    builder.build(Problems())
    tags = mini_site / "theme/templates/tags.html"
    tags.write_text(tags.read_text().replace("<h1>Tags</h1>", "<h1>All tags</h1>"))
    builder.build(Problems())
    assert "<h1>All tags</h1>" in (mini_site / "_site/tags/index.html").read_text()


class RandomEditor:
    """Edits a generated site the way people do: one change at a time, each kind of change."""

    MENTION = re.compile(r"\[\[([a-z0-9-]+)\|([^\]]+)\]\]")

    def __init__(self, site: Path, seed: int) -> None:
        self.site, self.rng, self.count = site, random.Random(seed), 0

    def files(self, kind: str) -> list[Path]:
        return sorted((self.site / "content" / kind).glob("*.md"))

    def edit(self) -> str:
        self.count += 1
        kinds = ["unlink", "link", "retitle", "redate", "retag", "add", "remove", "describe", "new-entity",
                 "prose"]
        kind = self.rng.choice(kinds)
        article = self.rng.choice(self.files("articles"))
        text = article.read_text()
        entity = self.rng.choice(self.files("entities"))
        if kind == "unlink" and (found := self.MENTION.search(text)):
            text = text[:found.start()] + found.group(2) + text[found.end():]
        elif kind == "link":
            text = text.rstrip("\n") + f" Also [[{entity.stem}]] here.\n"
        elif kind == "retitle":
            text = re.sub(r"title: .*", f"title: Retitled {self.count}", text, count=1)
        elif kind == "redate":
            day = f"20{self.rng.randint(18, 25)}-0{self.rng.randint(1, 9)}-1{self.count % 9}"
            text = re.sub(r"date: .*", f"date: {day}", text, count=1)
        elif kind == "retag":
            text = re.sub(r"tags: .*", f"tags: [tag{self.count % 4}]", text, count=1)
        elif kind == "add":
            article = article.with_name(f"added-{self.count}.md")
            text = text.replace("title: ", f"title: Added {self.count} ", 1)
        elif kind == "remove":
            article.unlink()
            return f"{kind} {article.name}"
        elif kind == "describe":
            entity.write_text(re.sub(r"description: .*", f"description: Edit {self.count}.", entity.read_text(),
                                     count=1))
            return f"{kind} {entity.name}"
        elif kind == "new-entity":
            (entity.parent / f"new-{self.count}.md").write_text(
                f"---\nname: Newcomer {self.count}\ntype: person\n---\n")
            text = text.rstrip("\n") + f" Then [[new-{self.count}|Newcomer]] spoke.\n"
        elif kind == "prose":
            text = text.replace(" the ", " a ", 1)
        article.write_text(text)
        return f"{kind} {article.name}"


def test_long_lived_builder_matches_a_cold_build_after_every_kind_of_edit(tmp_path: Path) -> None:
    site = tmp_path / "gen"
    write_site(site, 40)
    shutil.copytree(ROOT / "theme", site / "theme")
    with open(site / "site.yml", "a") as config:
        config.write("passages_by_year_after: 6\n")  # some entities with year pages, some without
    builder = SiteBuilder(load_config(site), search=False, workers=1)
    builder.files.full_documents_up_to = 0  # lightened documents, read back from the cache, as on a big site;
    builder.build(Problems())  # the cold builds it is compared with hold full ones
    editor = RandomEditor(site, seed=7)
    for step in range(24):
        done = editor.edit()
        builder.build(Problems())
        assert output(site) == cold_build(site, tmp_path), f"step {step}: {done}"


def test_failed_rebuild_in_between_still_renders_every_earlier_edit(built: Path, tmp_path: Path) -> None:
    builder = SiteBuilder(load_config(built), search=False)
    builder.build(Problems())
    edit(built / "content/articles/talks.md", "reporters", "journalists")
    edit(built / "content/articles/panjshir-falls.md", "[[Kabul]]", "[[Nowhere]]")  # an unknown entity
    with pytest.raises(BuildFailed):
        builder.build(Problems())
    edit(built / "content/articles/panjshir-falls.md", "[[Nowhere]]", "[[Kabul]]")
    builder.build(Problems())
    assert output(built) == cold_build(built, tmp_path)


def test_pages_render_from_the_sources_when_the_parse_cache_is_deleted_under_a_running_builder(
        built: Path, tmp_path: Path) -> None:
    builder = SiteBuilder(load_config(built), search=False)
    builder.files.full_documents_up_to = 0  # hold lightened documents, as on a big site
    builder.build(Problems())
    assert all(e.doc.light for e in builder.files.entries["article"].values())
    (built / ".gloss-cache/parse.sqlite").unlink()
    edit(built / "content/entities/kabul.md", "Capital of Afghanistan.", "Largest city of Afghanistan.")
    model = builder.build(Problems())
    assert model.written >= 2  # both articles mention Kabul: their pages read their full documents again
    assert output(built) == cold_build(built, tmp_path)


def test_a_mention_keeps_every_field_through_the_parse_cache() -> None:
    """Mention pickles itself as a tuple of its fields (for speed): a field added later must be in it."""
    from dataclasses import fields

    from gloss.parse import Mention

    kinds = {"int": lambda i: i + 7, "str": lambda i: f"value {i}", "bool": lambda i: True}
    mention = Mention(**{f.name: kinds[f.type](i) for i, f in enumerate(fields(Mention))})
    assert pickle.loads(pickle.dumps(mention)) == mention


def test_moving_a_dateline_rewrites_both_places_pages_as_a_cold_build_would(built: Path, tmp_path: Path) -> None:
    talks = built / "content/articles/talks.md"
    edit(talks, "date: 2021-09-07\n", "date: 2021-09-07\ndateline: {place: kabul, text: Kabul}\n")
    assert run_gloss(built, "build", "--no-search").returncode == 0
    assert "Filed from Kabul" in (built / "_site/entities/kabul/index.html").read_text()
    edit(talks, "{place: kabul, text: Kabul}", "{place: panjshir, text: Panjshir}")
    assert run_gloss(built, "build", "--no-search").returncode == 0
    assert "Filed from Kabul" not in (built / "_site/entities/kabul/index.html").read_text()
    assert "Filed from Panjshir" in (built / "_site/entities/panjshir/index.html").read_text()
    assert output(built) == cold_build(built, tmp_path)


def test_a_new_parse_cache_format_parses_and_renders_everything_again(built: Path, monkeypatch) -> None:
    """A parser change (as the typographer was) bumps CACHE_FORMAT: the files are untouched, but their
    cached parses, and the pages made from them, must not be trusted."""
    import gloss.cache
    import gloss.incremental

    assert "nothing changed" in run_gloss(built, "build", "--no-search").stdout
    for module in (gloss.cache, gloss.incremental):
        monkeypatch.setattr(module, "CACHE_FORMAT", gloss.cache.CACHE_FORMAT + 1, raising=False)
    model = SiteBuilder(load_config(built), search=False).build(Problems())
    assert "(6 parsed)" in model.stages[0].summary and "(full)" in model.stages[-1].summary


def test_more_on_these_people_follows_an_entity_becoming_too_widely_quoted_to_count(make_site, tmp_path: Path) -> None:
    """An entity quoted in more than Renderer.MORE_QUOTED_UP_TO articles relates none of them: when one
    edit takes it past that, or back, every page it related changes, and an incremental build follows."""
    from gloss.render import Renderer

    limit = Renderer.MORE_QUOTED_UP_TO
    files = {"site.yml": "title: T\n",
             "content/entities/country.md": "---\nname: Country\ntype: place\n---\n"}
    for n in range(limit):
        files[f"content/articles/a{n:03d}.md"] = f"---\ntitle: A{n}\ndate: 2021-01-01\n---\nIn [[country]].\n"
    root = make_site(files)
    builder = SiteBuilder(load_config(root), search=False, workers=1)
    builder.build(Problems())
    page = root / "_site/articles/a000/index.html"
    assert "More on these people" in page.read_text()  # the country relates all of them
    (root / "content/articles/one-more.md").write_text("---\ntitle: B\ndate: 2021-01-02\n---\nIn [[country]].\n")
    builder.build(Problems())
    assert "More on these people" not in page.read_text()  # now in limit + 1 articles: it relates none
    assert output(root) == cold_build(root, tmp_path / "past")
    (root / "content/articles/one-more.md").unlink()
    builder.build(Problems())
    assert "More on these people" in page.read_text()
    assert output(root) == cold_build(root, tmp_path / "back")
