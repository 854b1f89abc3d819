"""Nothing lost, nothing leaked: Gloss builds only into a folder it made, and a rebuild that fails or
is stopped while writing leaves the last good site (or says truly that it did not), with its search
index brought up to date by the next build."""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import (
    FIXTURES,
    ROOT,
    build_held_at,
    interrupt_keeping_the_site,
    permissions_apply,
    run_gloss,
)

TALKS = "content/articles/talks.md"
KEPT = "the last good site was kept"


def snapshot(root: Path) -> dict[str, str]:
    """Every file, folder and link under `root` (dot files too), with each file's bytes and each
    link's target: equal snapshots mean nothing was added, removed, moved or changed."""
    if not os.path.lexists(root):
        return {}
    if root.is_symlink() or not root.is_dir():
        return {".": f"file {hashlib.sha256(root.read_bytes()).hexdigest()}"}
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            rel = str(path.relative_to(root))
            if path.is_symlink():
                found[rel] = f"link {os.readlink(path)}"
            elif path.is_dir():
                found[rel] = "folder"
            else:
                found[rel] = f"file {hashlib.sha256(path.read_bytes()).hexdigest()}"
    return found


def litter(root: Path) -> list[str]:
    """What a write in place leaves behind when it goes wrong."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if p.name.endswith(".gloss-tmp") or p.name == "._site.writing")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the mini site with the default theme, not built yet."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    shutil.copytree(ROOT / "theme", root / "theme")
    return root


@pytest.fixture
def built(mini: Path) -> Path:
    """The mini site with its last good build (no search index). Built where it is: the build state
    names the output folder, so a copy's next build would be a full one."""
    result = run_gloss(mini, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    return mini


def set_output_dir(root: Path, value: str) -> int:
    """Put `output_dir: value` on line 2 of site.yml; returns that line's number."""
    (root / "site.yml").write_text(f"title: Mini\noutput_dir: '{value}'\n", encoding="utf-8")
    return 2


def fresh_build(root: Path, tmp_path: Path) -> dict[str, str]:
    """What a first build of `root`'s sources gives, in a copy without output or cache."""
    copy = tmp_path / "fresh"
    shutil.copytree(root, copy, symlinks=True, ignore=shutil.ignore_patterns("_site", ".gloss-cache", "._site*"))
    result = run_gloss(copy, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    return snapshot(copy / "_site")


def edit_talks(root: Path, extra: str = "\nMore talks in [[Kabul]] on Tuesday.\n") -> None:
    path = root / TALKS
    path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")


# ---------------------------------------------------------------- output_dir: only a folder Gloss made

def _git(root: Path) -> str:
    (root / ".git").mkdir()
    (root / ".git/HEAD").write_text("ref: refs/heads/main\n")
    (root / ".git/config").write_text("[core]\n")
    return ".git"


def _package(root: Path) -> str:
    (root / "gloss").mkdir()
    (root / "gloss/__init__.py").write_text("VERSION = 1\n")
    return "gloss"


def _docs(root: Path) -> str:
    (root / "docs").mkdir()
    (root / "docs/guide.md").write_text("# Guide\n")
    return "docs"


def _outside(root: Path) -> str:
    outside = root.parent / "outside"
    outside.mkdir()
    (outside / "report.txt").write_text("a document someone needs\n")
    return str(outside)


def _file(root: Path) -> str:
    (root / "README.md").write_text("# Read me\n")
    return "README.md"


def _link(root: Path) -> str:
    _outside(root)
    (root / "public").symlink_to(root.parent / "outside")
    return "public"


def _home(root: Path) -> str:
    home = root.parent / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh/id_ed25519").write_text("not a real key\n")
    (home / ".bashrc").write_text("export A=1\n")
    return str(home)


def _other_generator(root: Path) -> str:
    (root / "public").mkdir()
    for name in ("index.html", "404.html", "sitemap.xml"):
        (root / "public" / name).write_text(f"made by another generator: {name}\n")
    return "public"


def _gloss_site_made_a_repository(root: Path) -> str:
    assert run_gloss(root, "build", "--no-search").returncode == 0
    _git(root / "_site")
    return "_site"


REFUSED = {
    ".git": (_git, "it holds files Gloss did not make (HEAD, config) and no .gloss-output file"),
    "the code's own package": (_package, "it holds files Gloss did not make (__init__.py)"),
    "docs": (_docs, "it holds files Gloss did not make (guide.md)"),
    "a folder outside the project": (_outside, "it holds files Gloss did not make (report.txt)"),
    "the home folder": (_home, "it holds files Gloss did not make (.bashrc, .ssh)"),
    "a file": (_file, "it is a file, not a folder"),
    "a link to a folder Gloss did not make": (_link, "it holds files Gloss did not make (report.txt)"),
    "another generator's site": (_other_generator, "it holds files Gloss did not make (404.html, index.html"),
    "a Gloss site made a repository": (_gloss_site_made_a_repository,
                                       "it holds a .git repository, which a build would delete"),
}


@pytest.mark.parametrize("case", list(REFUSED.values()), ids=list(REFUSED))
def test_output_dir_that_gloss_did_not_make_is_refused_and_left_as_it_was(built: Path, tmp_path: Path,
                                                                        case: tuple[Callable, str]) -> None:
    make, reason = case
    value = make(built)
    line = set_output_dir(built, value)
    before = snapshot(tmp_path)  # the folder named, content/, the last good _site/ and all beside them
    assert "mini/content/articles/talks.md" in before and "mini/_site/index.html" in before
    result = run_gloss(built, "build", "--no-search")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"site.yml:{line}:1: output_dir '{value}'" in result.stderr
    assert "is not a folder Gloss may build into: " + reason in result.stderr
    assert "hint: a build deletes everything in its output folder: set output_dir in site.yml to a new or " \
           "empty folder" in result.stderr
    assert snapshot(tmp_path) == before  # the folder, the project, everything beside them: not a byte


def test_default_output_folder_holding_other_files_is_refused(mini: Path, tmp_path: Path) -> None:
    (mini / "_site").mkdir()
    (mini / "_site/notes.txt").write_text("mine\n")
    before = snapshot(tmp_path)
    result = run_gloss(mini, "build", "--no-search")
    assert result.returncode == 1
    assert ("site.yml: the output folder '_site' (the default output_dir) is not a folder Gloss may build into: "
            "it holds files Gloss did not make (notes.txt)") in result.stderr
    assert snapshot(tmp_path) == before


def test_serve_refuses_to_build_or_publish_a_folder_gloss_did_not_make(mini: Path, tmp_path: Path) -> None:
    set_output_dir(mini, _home(mini))
    before = snapshot(tmp_path)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(mini), "serve", "--port", "0"],
                            capture_output=True, text=True, cwd=mini, timeout=60)
    assert result.returncode == 1
    assert "is not a folder Gloss may build into: it holds files Gloss did not make" in result.stderr
    assert "serving" not in result.stdout
    assert snapshot(tmp_path) == before


def test_marked_output_folder_is_rebuilt_and_keeps_its_marker(mini: Path) -> None:
    set_output_dir(mini, "public")
    assert run_gloss(mini, "build", "--no-search").returncode == 0
    marker = mini / "public/.gloss-output"
    assert marker.is_file()
    assert str(mini) not in marker.read_text() and "sitemap" not in marker.read_text()
    assert ".gloss-output" not in (mini / "public/sitemap.xml").read_text()
    base = mini / "theme/templates/base.html"
    base.write_text(base.read_text() + "\n<!-- changed -->\n")  # a full build: a new folder swapped in
    result = run_gloss(mini, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "(full)" in result.stdout
    assert "<!-- changed -->" in (mini / "public/index.html").read_text()
    assert marker.is_file()


def test_empty_output_folder_is_built_into(mini: Path) -> None:
    (mini / "public").mkdir()
    set_output_dir(mini, "public")
    assert run_gloss(mini, "build", "--no-search").returncode == 0
    assert (mini / "public/index.html").is_file() and (mini / "public/.gloss-output").is_file()


def test_output_folder_of_a_gloss_from_before_the_marker_is_rebuilt_and_marked(built: Path) -> None:
    (built / "_site/.gloss-output").unlink()
    edit_talks(built)
    result = run_gloss(built, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "More talks in" in (built / "_site/articles/talks/index.html").read_text()
    assert (built / "_site/.gloss-output").is_file()


def test_folders_beside_the_output_that_gloss_did_not_make_are_not_restored_or_removed(built: Path) -> None:
    shutil.rmtree(built / "_site")
    for name in ("._site.old-7", "._site.tmp-8"):
        (built / name).mkdir()
        (built / name / "keep.txt").write_text("someone's file\n")
    before = {name: snapshot(built / name) for name in ("._site.old-7", "._site.tmp-8")}
    result = run_gloss(built, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    assert {name: snapshot(built / name) for name in before} == before
    assert (built / "_site/.gloss-output").is_file() and not (built / "_site/keep.txt").exists()


# ---------------------------------------------------------------- a rebuild in place: all pages or none

def _folder_in_the_way(root: Path) -> None:
    """A folder where the rebuild must write one of its last pages: its earlier pages are written first."""
    page = root / "_site/entities/kabul/index.html"
    page.unlink()
    page.mkdir()
    (page / "other.txt").write_text("in the way\n")


def _folder_out_of_the_way(root: Path) -> None:
    shutil.rmtree(root / "_site/entities/kabul/index.html")


def _read_only_folder(root: Path) -> None:
    """The edited article's folder, read-only: its page comes after the home page and the lists."""
    (root / "_site/articles/talks").chmod(0o555)


def _file_size_limit() -> None:  # in the build's process, before it starts: no file may pass 64 KB
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


FAILURES = {  # what is in the way, the limit, the page named, what the system said of it, and the cure
    "a folder where a page must go": (_folder_in_the_way, None, "entities/kabul/index.html",
                                      "a folder stands where a page must go", _folder_out_of_the_way),
    # the feed holds the long article whole; the home page and the entity list come before it
    "the file size limit (as a full disk)": (lambda root: None, _file_size_limit, "feed.xml", "File too large",
                                             lambda root: None),
    "a read-only folder (no permission)": (_read_only_folder, permissions_apply, "articles/talks/index.html",
                                           "Permission denied",
                                           lambda root: (root / "_site/articles/talks").chmod(0o755)),
}


@pytest.mark.parametrize("case", list(FAILURES.values()), ids=list(FAILURES))
def test_rebuild_that_fails_while_writing_leaves_the_last_good_site(built: Path, tmp_path: Path,
                                                                    case: tuple) -> None:
    in_the_way, limit, page, refusal, cure = case
    in_the_way(built)
    # Pages before and after the one that fails change: index, feed, the article, its entities.
    edit_talks(built, "\nMore talks in [[Kabul]] and [[Panjshir]].\n\n" + "A long paragraph. " * 5000 + "\n")
    before = snapshot(built / "_site")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(built), "build", "--no-search"],
                            capture_output=True, text=True, cwd=built, timeout=300, preexec_fn=limit)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"{built / '_site' / page}: the system refused this path: {refusal}" in result.stderr
    assert KEPT in result.stderr  # and it is true:
    assert snapshot(built / "_site") == before
    assert litter(built) == []
    cure(built)
    result = run_gloss(built, "build", "--no-search")  # the cause removed, the next build finishes the work
    assert result.returncode == 0, result.stderr
    assert snapshot(built / "_site") == fresh_build(built, tmp_path)
    assert litter(built) == []


def test_rebuild_killed_while_swapping_pages_in_is_repaired_by_the_next_build(built: Path, tmp_path: Path) -> None:
    """What SIGKILL or a power cut leaves half-way through a rebuild's renames: some pages new, a
    temp file not yet renamed, and the marker saying which step it was in."""
    (built / "_site/articles/talks/index.html").write_text("<p>a page of a build that never finished</p>\n")
    (built / "_site/.feed.xml.gloss-tmp").write_text("<feed>half")
    (built / "_site/articles/new-one").mkdir()
    (built / "_site/articles/new-one/index.html").write_text("a new page of that build\n")
    (built / "._site.writing").write_text("swapping")
    result = run_gloss(built, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "(full)" in result.stdout  # the saved state no longer describes the folder: all of it is rebuilt
    assert snapshot(built / "_site") == fresh_build(built, tmp_path)
    assert litter(built) == []


def test_rebuild_killed_while_writing_its_temp_files_leaves_the_site_and_its_state(built: Path) -> None:
    """Killed before any page was replaced: the temp files go, and the saved state still holds."""
    before = snapshot(built / "_site")
    (built / "_site/.feed.xml.gloss-tmp").write_text("<feed>half")
    (built / "._site.writing").write_text("staging")
    result = run_gloss(built, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "nothing changed since the last build" in result.stdout
    assert snapshot(built / "_site") == before
    assert litter(built) == []


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_rebuild_interrupted_while_rendering_leaves_the_last_good_site(built: Path, tmp_path: Path, signum: int,
                                                                       code: int) -> None:
    """Stopped while its changed pages are rendered (held there by a test point): the message says
    the last good site was kept, and it was, byte for byte; the next build does the work."""
    edit_talks(built)
    before = snapshot(built / "_site")
    with build_held_at(built, "render", "--no-search") as (build, _):
        interrupt_keeping_the_site(build, signum, code)
    assert snapshot(built / "_site") == before
    assert litter(built) == []
    result = run_gloss(built, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    assert "(full)" not in result.stdout  # the saved state still describes the site: an incremental build
    assert snapshot(built / "_site") == fresh_build(built, tmp_path)


# ---------------------------------------------------------------- the search index follows the pages

def search_ran(result: subprocess.CompletedProcess) -> bool:
    return any(line.startswith("search") and "search index written" in line for line in result.stdout.splitlines())


def test_pages_written_without_search_are_indexed_by_the_next_build_with_search(mini: Path) -> None:
    assert search_ran(run_gloss(mini, "build"))
    edit_talks(mini)
    assert not search_ran(run_gloss(mini, "build", "--no-search"))
    result = run_gloss(mini, "build")  # nothing changed since, but the index is older than the pages
    assert result.returncode == 0, result.stderr
    assert "nothing changed since the last build" in result.stdout
    assert search_ran(result)
    assert not search_ran(run_gloss(mini, "build"))  # up to date now: not run again


def test_rebuild_interrupted_while_indexing_says_its_pages_are_written_and_next_build_indexes(mini: Path) -> None:
    assert search_ran(run_gloss(mini, "build"))
    edit_talks(mini, "\nA sentence only a later build indexes.\n")
    with build_held_at(mini, "search") as (build, _):  # Pagefind runs; the build waits for it
        build.send_signal(signal.SIGINT)
        out, err = build.communicate(timeout=60)
    assert build.returncode == 130, err
    assert "interrupted; the new pages were already written; the search index is brought up to date by the " \
           "next build" in err
    assert "Traceback" not in err
    assert "A sentence only a later build indexes." in (mini / "_site/articles/talks/index.html").read_text()
    result = run_gloss(mini, "build")
    assert result.returncode == 0, result.stderr
    assert search_ran(result)
