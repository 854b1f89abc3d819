"""No symbolic link is followed: a link in seeds/, content/, theme/ or at site.yml is refused with a
message naming it and where it points, and nothing it points to is published or copied into content/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import run_gloss, tree_hash

MARKER = "SECRET-7f3a9c-NOT-FOR-PUBLISHING"
ARTICLE = f"---\ntitle: Leak {MARKER}\ndate: 2021-09-06\n---\n{MARKER} in [[Kabul]].\n"
ENTITY = f"---\nname: Leak {MARKER}\ntype: place\ndescription: {MARKER}\n---\n{MARKER}\n"
SEED = f"Leak {MARKER}\n\nKABUL, 6 September - {MARKER} said the Taliban in Kabul on Monday.\n"


@pytest.fixture
def built(mini_site: Path) -> Path:
    """The mini site, built once: the last good site that must stay as it is."""
    result = run_gloss(mini_site, "build", "--no-search")
    assert result.returncode == 0, result.stderr
    return mini_site


def outside(root: Path, rel: str, text: str) -> Path:
    """A file outside the project (as /etc/passwd would be), holding the marker."""
    path = root.parent / "elsewhere" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def link(root: Path, rel: str, target: Path) -> tuple[str, Path]:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, root / rel)
    return rel, target


def leaked(root: Path) -> list[str]:
    """Files under _site/ or content/ that hold the marker (not following links, as `find` would not)."""
    found = []
    for folder in ("_site", "content"):
        for base, _, names in os.walk(root / folder):
            for name in names:
                path = Path(base, name)
                if not path.is_symlink() and MARKER.encode() in path.read_bytes():
                    found.append(str(path.relative_to(root)))
    return found


CASES: dict[str, Callable[[Path], tuple[str, Path]]] = {
    "seed": lambda root: link(root, "seeds/leak.txt", outside(root, "passwd.txt", SEED)),
    "article": lambda root: link(root, "content/articles/leak.md", outside(root, "leak.md", ARTICLE)),
    "entity": lambda root: link(root, "content/entities/leak.md", outside(root, "leak.md", ENTITY)),
    "article inside the project": lambda root: _link_inside(root, "content/articles/leak.md", ARTICLE),
    "articles folder": lambda root: _swap_folder(root, "content/articles", ARTICLE),
    "template": lambda root: link(root, "theme/templates/article.html.new",
                                  outside(root, "article.html", MARKER)),
    "static file": lambda root: link(root, "theme/static/leak.txt", outside(root, "passwd", MARKER)),
    "static folder": lambda root: _fresh_checkout(link(root, "theme/static/more",
                                                       outside(root, "dir/passwd", MARKER).parent), root),
    "site.yml": lambda root: _swap_file(root, "site.yml", f"title: {MARKER}\n"),
}


def _link_inside(root: Path, rel: str, text: str) -> tuple[str, Path]:
    """A link to a file inside the project but outside content/ (as .git/config would be): refused too."""
    target = root / "notes" / "leak.md"
    target.parent.mkdir()
    target.write_text(text, encoding="utf-8")
    return link(root, rel, target)


def _fresh_checkout(made: tuple[str, Path], root: Path) -> tuple[str, Path]:
    """As in CI, no build state: a linked folder changes no file's stamp, so a build with state
    sees nothing to do (and publishes nothing new); one from scratch copies theme/static/."""
    shutil.rmtree(root / ".gloss-cache")
    return made


def _swap_folder(root: Path, rel: str, text: str) -> tuple[str, Path]:
    """Replace a folder of the project by a link to an outside folder holding a copy plus the marker."""
    target = root.parent / "elsewhere" / "folder"
    target.parent.mkdir(parents=True, exist_ok=True)
    (root / rel).rename(target)
    (target / "leak.md").write_text(text, encoding="utf-8")
    return link(root, rel, target)


def _swap_file(root: Path, rel: str, text: str) -> tuple[str, Path]:
    target = outside(root, rel, (root / rel).read_text(encoding="utf-8").replace("title: Mini", "") + text)
    (root / rel).unlink()
    return link(root, rel, target)


@pytest.mark.parametrize("case", CASES)
def test_build_refuses_a_symbolic_link_and_publishes_nothing(built: Path, case: str):
    if case == "template":  # replace the real template by the link, once the site was built with it
        (built / "theme/templates/article.html").unlink()
        CASES[case](built)
        (built / "theme/templates/article.html.new").rename(built / "theme/templates/article.html")
        rel, target = "theme/templates/article.html", built.parent / "elsewhere" / "article.html"
    else:
        rel, target = CASES[case](built)
    before, content = tree_hash(built / "_site"), tree_hash(built / "content")
    result = run_gloss(built, "build", "--no-search")  # ingest first, then the build
    assert result.returncode == 1, result.stdout
    assert f"{rel} is a symbolic link to {target.resolve()}; Gloss does not follow links" in result.stderr
    assert "hint: replace the link by a copy of the file or folder it points to" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_hash(built / "_site") == before
    assert tree_hash(built / "content") == content
    assert leaked(built) == []


@pytest.mark.parametrize("case", ["article", "entity", "articles folder", "site.yml"])
def test_check_refuses_a_symbolic_link(mini_site: Path, case: str):
    rel, target = CASES[case](mini_site)
    result = run_gloss(mini_site, "check")
    assert result.returncode == 1
    assert f"{rel} is a symbolic link to {target.resolve()}" in result.stderr


def test_a_seed_named_on_the_command_line_that_is_a_link_is_refused(mini_site: Path):
    rel, target = CASES["seed"](mini_site)
    before = tree_hash(mini_site / "content")
    result = run_gloss(mini_site, "ingest", rel)
    assert result.returncode == 1
    assert f"{rel} is a symbolic link to {target.resolve()}" in result.stderr
    assert tree_hash(mini_site / "content") == before
    assert leaked(mini_site) == []


@pytest.mark.parametrize("command", [("merge", "taliban", "kabul"), ("rename", "kabul", "kabul-city")])
def test_content_commands_refuse_a_linked_content_file_and_change_nothing(mini_site: Path, command: tuple):
    rel, target = CASES["entity"](mini_site)
    before = tree_hash(mini_site / "content")
    result = run_gloss(mini_site, *command)
    assert result.returncode == 1, result.stdout
    assert f"{rel} is a symbolic link to {target.resolve()}" in result.stderr
    assert tree_hash(mini_site / "content") == before
    assert leaked(mini_site) == []
