"""Builds that are stopped half-way, or started twice at once, never damage the last good site."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build_held_at, interrupt_keeping_the_site, run_gloss, tree_hash, wait_while_running

ARTICLES = 500  # enough pages (PARALLEL_MIN) that they are rendered by worker processes


@pytest.fixture(scope="module")
def big_site_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few hundred generated articles, built once: the last good site the tests must keep."""
    sys.path.insert(0, str(ROOT))
    from bench.corpus import write_site

    root = tmp_path_factory.mktemp("big") / "site"
    root.mkdir()
    write_site(root, ARTICLES)
    shutil.copytree(ROOT / "theme", root / "theme")
    result = run_gloss(root, "build", "--no-ingest", "--no-search")
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture
def big_site(big_site_template: Path, tmp_path: Path) -> Path:
    """A copy whose next build is a full one (the theme changed), so it renders into a temp folder."""
    root = tmp_path / "site"
    shutil.copytree(big_site_template, root, symlinks=True)
    base = root / "theme/templates/base.html"
    base.write_text(base.read_text(encoding="utf-8") + "\n<!-- changed -->\n", encoding="utf-8")
    return root


def wait_until_rendering(root: Path, build: subprocess.Popen) -> None:
    """Block until the build has written pages into its temporary output folder (not only the
    marker that it makes the folder with)."""
    wait_while_running(lambda: any(p.name != ".gloss-output" for temp in root.glob("._site.tmp-*")
                                   for p in temp.iterdir()), build, "rendering")


def wait_until_locked(root: Path, build: subprocess.Popen) -> None:
    """Block until the build holds the project's build lock (the lock file names its process)."""
    lock = root / ".gloss-cache/build.lock"
    wait_while_running(lambda: lock.exists() and lock.read_text().strip() == str(build.pid), build, "taking the lock")


def stray_outputs(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("._site"))


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_interrupted_build_keeps_last_good_site_and_leaves_no_temp_folder(big_site: Path, signum: int,
                                                                          code: int) -> None:
    before = tree_hash(big_site / "_site")
    with build_held_at(big_site, "render", "--no-search", wait=False) as (build, _):
        wait_until_rendering(big_site, build)
        interrupt_keeping_the_site(build, signum, code)
    assert tree_hash(big_site / "_site") == before
    assert stray_outputs(big_site) == []


def test_next_build_removes_temp_folders_left_by_a_killed_build(big_site: Path) -> None:
    with build_held_at(big_site, "render", "--no-search", wait=False) as (build, _):
        wait_until_rendering(big_site, build)
        build.kill()  # SIGKILL: no chance to clean up
        build.communicate(timeout=60)  # its workers too: they hold its output pipes until they stop
    assert stray_outputs(big_site) != []
    result = run_gloss(big_site, "build", "--no-ingest", "--no-search")
    assert result.returncode == 0, result.stderr
    assert stray_outputs(big_site) == []
    assert "<!-- changed -->" in (big_site / "_site/index.html").read_text(encoding="utf-8")


def test_second_build_started_at_once_is_refused_and_first_one_finishes(big_site: Path) -> None:
    with build_held_at(big_site, "render", "--no-search", wait=False) as (first, release):
        wait_until_locked(big_site, first)
        wait_until_rendering(big_site, first)  # and held there, the lock still taken
        second = run_gloss(big_site, "build", "--no-ingest", "--no-search")
        assert second.returncode == 1
        assert f"another build is writing _site/ (pid {first.pid})" in second.stderr
        assert "hint: wait for it to finish" in second.stderr
        assert "Traceback" not in second.stderr
        release.touch()
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert stray_outputs(big_site) == []
    assert "<!-- changed -->" in (big_site / "_site/index.html").read_text(encoding="utf-8")


def test_site_moved_aside_by_a_build_stopped_mid_swap_is_restored(big_site_template: Path, tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(big_site_template, root, symlinks=True)
    before = tree_hash(root / "_site")
    (root / "_site").rename(root / "._site.old-999999")  # the first rename of swap_in happened, not the second
    bad = root / "content/articles/article-000000.md"
    bad.write_text(bad.read_text(encoding="utf-8") + "\n[[Nowhere at all]]\n", encoding="utf-8")
    result = run_gloss(root, "build", "--no-ingest", "--no-search")
    assert result.returncode == 1
    assert tree_hash(root / "_site") == before


def test_temp_files_of_a_build_killed_while_writing_in_place_are_removed(mini_site: Path) -> None:
    assert run_gloss(mini_site, "build", "--no-search").returncode == 0
    stale = mini_site / "_site/articles/talks/.index.html.gloss-tmp"
    stale.write_text("half a page")
    (mini_site / "._site.writing").touch()  # what commit_in_place leaves when killed (SIGKILL, power loss)
    assert run_gloss(mini_site, "build", "--no-search").returncode == 0
    assert not stale.exists() and not (mini_site / "._site.writing").exists()
