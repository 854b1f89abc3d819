"""Commands that change content/ do it all or none: `merge`, `rename` and `ingest` stopped at any
moment (Ctrl-C, SIGTERM, kill -9) leave content/ as it was or as the finished command leaves it,
once the next command has run; no temp file stays, and the next build succeeds.

A few tests stop the command at a known point with the GLOSS_TEST_STOP_AT hook (gloss/journal.py:
the process stops itself with SIGSTOP there), the others when a file of the change appears.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import ROOT, run_gloss, tree_hash, wait_stopped

ARTICLES = 200
JOURNAL = "content/.gloss-journal"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A generated site of a few hundred articles, the ids of its three most mentioned entities, and
    seeds naming them; with the content/ each command leaves when it runs to the end."""
    sys.path.insert(0, str(ROOT))
    from bench.corpus import make_entities, write_seeds, write_site

    base = tmp_path_factory.mktemp("journal")
    root = base / "site"
    root.mkdir()
    write_site(root, ARTICLES)
    shutil.copytree(ROOT / "theme", root / "theme")
    first, second, third = (e.id for e in make_entities(3, 7))
    write_seeds(root / "seeds", 60, make_entities(ARTICLES // 5, 7))
    commands = {"rename": ("rename", first, "renamed-entity"), "merge": ("merge", second, third),
                "ingest": ("ingest",)}
    finished = {}
    for name, command in commands.items():
        copy = base / name
        shutil.copytree(root, copy)
        result = run_gloss(copy, *command)
        assert result.returncode == 0, result.stderr
        finished[name] = tree_hash(copy / "content")
    return {"root": root, "commands": commands, "before": tree_hash(root / "content"), "finished": finished}


@pytest.fixture
def site(corpus: dict, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(corpus["root"], root)
    return root


def start(root: Path, command: tuple[str, ...], stop_at: str | None = None) -> subprocess.Popen:
    """The command, writing its threads' stacks to stderr on SIGABRT (see finish)."""
    env = {**os.environ, "PYTHONFAULTHANDLER": "1", **({"GLOSS_TEST_STOP_AT": stop_at} if stop_at else {})}
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root), *command], cwd=root,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(found: Callable[[], bool], process: subprocess.Popen, what: str) -> bool:
    """Block until `found()` holds; False if the command ended first (it may be that quick)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if found():
            return True
        if process.poll() is not None:
            return found()
        time.sleep(0.001)
    raise AssertionError(f"the command never got to {what}")


def finish(process: subprocess.Popen) -> tuple[str, str]:
    """What the command printed once it ended. One that has not ended two minutes after its signal
    hangs: its stacks (faulthandler, on SIGABRT) go into the failure."""
    try:
        return process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGABRT)
        raise AssertionError(f"the command hangs; its stacks:\n{process.communicate()[1][-6000:]}") from None


def strays(root: Path) -> list[str]:
    """Temp files and journals anywhere in the project."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if ".gloss-journal" in p.parts or p.name.endswith(".tmp") or ".tmp-" in p.name)


def assert_whole(root: Path, corpus: dict, name: str) -> str:
    """Once the next command (a build) ran, content/ is as before or as finished, with nothing left
    over, and the build succeeded."""
    built = run_gloss(root, "build", "--no-ingest", "--no-search")
    assert built.returncode == 0, built.stderr
    content = tree_hash(root / "content")
    assert content in (corpus["before"], corpus["finished"][name]), "content/ is half changed"
    assert strays(root) == []
    return "before" if content == corpus["before"] else "finished"


def listing(root: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under content/, with its inode and time: what a command's writing changes."""
    found = {}
    for base, folders, names in os.walk(root / "content"):
        for name in folders + names:
            with contextlib.suppress(FileNotFoundError):  # gone since the folder was listed
                info = os.lstat(os.path.join(base, name))
                found[os.path.join(base, name)] = (info.st_ino, info.st_mtime_ns)
    return found


MOMENTS = {  # whatever way a command writes: when its first file appears, and when it first replaces one
    "writing": lambda before, now: bool(now.keys() - before.keys()),
    "replacing": lambda before, now: any(now.get(path) != stamp for path, stamp in before.items()
                                         if path.endswith(".md")),
}


@pytest.mark.parametrize("name", ["rename", "merge"])
@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGKILL])
def test_command_stopped_while_writing_leaves_content_whole(site: Path, corpus: dict, name: str, moment: str,
                                                            signum: int):
    before = listing(site)
    process = start(site, corpus["commands"][name])
    seen = wait_for(lambda: MOMENTS[moment](before, listing(site)), process, moment)
    assert seen or moment == "replacing", "the command never wrote"  # its commit takes milliseconds
    process.send_signal(signum)
    out, err = finish(process)
    assert "Traceback" not in err
    if signum == signal.SIGINT and process.returncode == 130:
        assert ("interrupted; content/ was left as it was" in err
                or "interrupted; the change to content/ was finished before stopping" in err)
    assert_whole(site, corpus, name)


@pytest.mark.parametrize("name", ["rename", "merge", "ingest"])
def test_killed_before_its_commit_the_next_command_removes_the_temp_files(site: Path, corpus: dict, name: str):
    process = start(site, corpus["commands"][name], stop_at="prepared")
    wait_stopped(process)
    assert list((site / JOURNAL).glob("*.tmp"))  # every new text is written, none is in place
    process.kill()
    finish(process)
    result = run_gloss(site, "check")
    assert "a command was stopped before it changed content/; its temporary files were removed" in result.stderr
    assert assert_whole(site, corpus, name) == "before"


@pytest.mark.parametrize("name", ["rename", "merge", "ingest"])
def test_killed_half_way_through_its_commit_the_next_command_finishes_it(site: Path, corpus: dict, name: str):
    process = start(site, corpus["commands"][name], stop_at="committing")
    wait_stopped(process)
    assert tree_hash(site / "content") != corpus["before"]  # half the files are in place
    process.kill()
    finish(process)
    result = run_gloss(site, "build", "--no-ingest", "--no-search")
    assert result.returncode == 0, result.stderr
    assert f"`{' '.join(corpus['commands'][name])}` was stopped while it wrote content/" in result.stderr
    assert "was finished now" in result.stderr
    assert assert_whole(site, corpus, name) == "finished"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_during_the_commit_is_held_until_the_change_is_whole(site: Path, corpus: dict, signum: int):
    process = start(site, corpus["commands"]["merge"], stop_at="committing")
    wait_stopped(process)
    process.send_signal(signum)
    process.send_signal(signal.SIGCONT)
    out, err = finish(process)
    assert process.returncode == (130 if signum == signal.SIGINT else 143), err
    assert "interrupted; the change to content/ was finished before stopping" in err
    assert "Traceback" not in err
    assert tree_hash(site / "content") == corpus["finished"]["merge"]
    assert strays(site) == []


def test_ctrl_c_before_the_commit_leaves_content_as_it_was(site: Path, corpus: dict):
    process = start(site, corpus["commands"]["rename"], stop_at="prepared")
    wait_stopped(process)
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGCONT)
    out, err = finish(process)
    assert process.returncode == 130, err
    assert "interrupted; content/ was left as it was" in err
    assert tree_hash(site / "content") == corpus["before"]
    assert strays(site) == []


def test_a_system_error_during_the_commit_puts_every_file_back(site: Path, corpus: dict):
    name, old, new = corpus["commands"]["rename"]
    process = start(site, (name, old, new), stop_at="committing")
    wait_stopped(process)
    (site / f"content/entities/{new}.md").mkdir()  # the new entity file cannot be moved into place
    process.send_signal(signal.SIGCONT)
    out, err = finish(process)
    assert process.returncode == 1
    assert (f"content/entities/{new}.md: the system refused to write content/entities/{new}.md (Is a directory); "
            "every file was put back as it was") in err
    assert "Traceback" not in err
    (site / f"content/entities/{new}.md").rmdir()
    assert tree_hash(site / "content") == corpus["before"]
    assert strays(site) == []


def test_killed_while_undoing_the_next_command_undoes_the_rest(site: Path, corpus: dict):
    process = start(site, corpus["commands"]["merge"], stop_at="committing")
    wait_stopped(process)
    process.kill()
    finish(process)
    # the first step of an undo (see gloss/journal.py): the journal says "undo", then files go back
    (site / JOURNAL / "journal.json").rename(site / JOURNAL / "undo.json")
    result = run_gloss(site, "check")
    assert "its change to" in result.stderr and "was undone now" in result.stderr
    assert assert_whole(site, corpus, "merge") == "before"


def test_a_second_command_is_refused_while_one_is_changing_content(site: Path, corpus: dict):
    first = start(site, corpus["commands"]["merge"], stop_at="prepared")
    wait_stopped(first)
    for command in (corpus["commands"]["rename"], ("check",), ("build", "--no-ingest", "--no-search")):
        result = run_gloss(site, *command)
        assert result.returncode == 1, command
        assert "another Gloss command is changing content/ right now" in result.stderr
    first.send_signal(signal.SIGCONT)
    out, err = finish(first)
    assert first.returncode == 0, err
    assert tree_hash(site / "content") == corpus["finished"]["merge"]


# ---------------------------------------------------------------- permissions

def test_rewritten_files_keep_their_mode_and_new_files_follow_the_umask(site: Path, corpus: dict):
    _, old, new = corpus["commands"]["rename"]
    mentioning = next(p for p in sorted((site / "content/articles").glob("*.md")) if f"[[{old}" in p.read_text())
    mentioning.chmod(0o640)
    (site / f"content/entities/{old}.md").chmod(0o664)
    previous = os.umask(0o027)
    try:
        result = run_gloss(site, "rename", old, new)
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    assert f"[[{new}" in mentioning.read_text()
    assert mentioning.stat().st_mode & 0o777 == 0o640
    assert (site / f"content/entities/{new}.md").stat().st_mode & 0o777 == 0o664  # the renamed file's own


def test_files_ingest_creates_follow_the_umask(site: Path):
    there = set((site / "content").rglob("*"))
    previous = os.umask(0o022)
    try:
        result = run_gloss(site, "ingest")
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    made = {p: p.stat().st_mode & 0o777 for p in set((site / "content").rglob("*")) - there}
    assert len(made) > 60
    assert set(made.values()) == {0o644}


@pytest.mark.parametrize("name", ["rename", "merge"])
def test_a_read_only_file_is_refused_by_name_and_nothing_changes(site: Path, corpus: dict, name: str):
    _, old, _ = corpus["commands"][name]
    locked = next(p for p in sorted((site / "content/articles").glob("*.md")) if f"[[{old}" in p.read_text())
    locked.chmod(0o444)
    before = tree_hash(site)
    result = run_gloss(site, *corpus["commands"][name])
    assert result.returncode == 1
    shown = locked.relative_to(site).as_posix()
    assert f"{shown}: {shown} is read-only, so nothing was changed" in result.stderr
    assert f"hint: to let Gloss change it, make it writable (chmod u+w {shown})" in result.stderr
    assert tree_hash(site) == before
    assert strays(site) == []


def test_a_read_only_article_ingest_would_rewrite_is_refused(site: Path, corpus: dict):
    assert run_gloss(site, "ingest").returncode == 0
    seed = sorted((site / "seeds").iterdir())[0]
    seed.write_text(seed.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    for article in (site / "content/articles").glob("*.md"):
        article.chmod(0o444)
    before = tree_hash(site / "content")
    result = run_gloss(site, "ingest")
    assert result.returncode == 1
    assert "is read-only, so nothing was changed" in result.stderr
    assert tree_hash(site / "content") == before
