"""All files or none, for every command that writes content/ (issue 19): ingest, new-entity, merge,
rename, retype, unlink, split, confirm and not-entity.

Each runs on a copy of tests/fixtures/review (with one seed for ingest) and is made to fail each
way it can: bad input; read-only folders; a full disk (a file size limit: the system refuses the
write); Ctrl-C before it reads content/, or once its new texts are written aside; kill -9 half-way
through putting them in place. Each failure names its cause, exits non-zero and leaves content/
byte for byte as it was; killed mid-commit, content/ is as the finished command leaves it once the
next command has run. The commands stop at known points (GLOSS_TEST_STOP_AT, gloss/journal.py):
nothing here depends on timing.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run_gloss, tree_hash, wait_stopped

SEED = "Rain in Kabul\n\nIt rained in Kabul on Monday, said Zabihullah Mujahid.\n"

# What succeeds on the fixture; a bad input (files to add, arguments) and the message it gets.
COMMANDS: dict[str, tuple[tuple[str, ...], dict[str, str], tuple[str, ...], str]] = {
    "ingest": (("ingest",), {"seeds/empty.txt": ""}, ("ingest",), "seeds/empty.txt:1:1: seed is empty (0 bytes)"),
    "new-entity": (("new-entity", "Herat", "--type", "place"), {}, ("new-entity", "Kabul", "--type", "place"),
                   "content/entities/kabul.md:1:1: entity 'kabul' already exists"),
    "merge": (("merge", "mujahid", "zabihullah-mujahid"), {}, ("merge", "mujahid", "nowhere"),
              "content/entities/nowhere.md: no entity with the id 'nowhere'"),
    "rename": (("rename", "kabul", "kabul-city"), {}, ("rename", "kabul", "Not_A_Slug"),
               "content/entities/kabul.md: 'Not_A_Slug' is not a valid entity id"),
    "retype": (("retype", "taliban", "place"), {}, ("retype", "kabul", "planet"),
               "entity type 'planet' is not declared in site.yml"),
    "unlink": (("unlink", "taliban"), {}, ("unlink", "kabul", "--in", "no-such-article"),
               "no article 'no-such-article'"),
    "split": (("split", "kabul", "--in", "second", "--as", "kabul-2"), {},
              ("split", "kabul", "--in", "second", "--as", "kabul"), "cannot split 'kabul' into itself"),
    "confirm": (("confirm", "kabul"), {}, ("confirm", "kabul", "nowhere"), "no entity with the id 'nowhere'"),
    "not-entity": (("not-entity", "Taliban"), {}, ("not-entity", " "), "give the name that is not an entity"),
}
LEFT = "content/ was left as it was"


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """content/ as each command leaves it when it runs to the end."""
    found = {}
    for name, (args, _, _, _) in COMMANDS.items():
        root = project(tmp_path_factory.mktemp(name))
        before = tree_hash(root / "content")
        result = run_gloss(root, *args)
        assert result.returncode == 0, result.stderr
        found[name] = tree_hash(root / "content")
        assert found[name] != before, f"{name} changed nothing: the cases below would prove nothing"
    return found


def project(where: Path) -> Path:
    root = where / "site"
    shutil.copytree(FIXTURES / "review", root)
    (root / "seeds").mkdir()
    (root / "seeds/rain.txt").write_text(SEED, encoding="utf-8")
    return root


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return project(tmp_path)


def strays(root: Path) -> list[str]:
    """Journals and temp files anywhere in the project."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*")
                  if ".gloss-journal" in p.parts or p.name.endswith((".tmp", ".part")))


def start(root: Path, args: tuple[str, ...], stop_at: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root), *args], cwd=root,
                            env={**os.environ, "GLOSS_TEST_STOP_AT": stop_at}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def assert_refused(result: subprocess.CompletedProcess | subprocess.Popen, stderr: str, code: int,
                   *messages: str) -> None:
    assert result.returncode == code, stderr
    for message in messages:
        assert message in stderr, f"{message!r} not in:\n{stderr}"
    assert "Traceback" not in stderr


@pytest.mark.parametrize("name", COMMANDS)
def test_bad_input_is_refused_and_changes_nothing(site: Path, name: str) -> None:
    _, files, args, message = COMMANDS[name]
    for rel, text in files.items():
        (site / rel).write_text(text, encoding="utf-8")
    before = tree_hash(site / "content")
    result = run_gloss(site, *args)
    assert_refused(result, result.stderr, 1, message)
    assert tree_hash(site / "content") == before
    assert strays(site) == []


FOLDERS = {"content/ itself": lambda root: [root / "content"],
           "every folder": lambda root: [root / "content", *(p for p in (root / "content").rglob("*") if p.is_dir())]}


@pytest.mark.parametrize("folders", FOLDERS)
@pytest.mark.parametrize("name", COMMANDS)
def test_read_only_folders_are_refused_by_name_and_nothing_changes(site: Path, name: str, folders: str) -> None:
    """A person's "do not touch", even for root, who could write there."""
    before = tree_hash(site / "content")
    locked = FOLDERS[folders](site)
    for folder in locked:
        folder.chmod(0o555)
    try:
        result = run_gloss(site, *COMMANDS[name][0])
    finally:
        for folder in locked:
            folder.chmod(0o755)
    assert_refused(result, result.stderr, 1, "is a read-only folder, so nothing was changed",
                   "hint: to let Gloss change it, make it writable (chmod u+w content")
    assert tree_hash(site / "content") == before
    assert strays(site) == []


def _no_file_may_grow() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (1, 1))  # each write past a byte fails, as on a full disk


@pytest.mark.parametrize("name", COMMANDS)
def test_a_write_the_system_refuses_names_the_file_and_changes_nothing(site: Path, name: str) -> None:
    before = tree_hash(site / "content")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(site), *COMMANDS[name][0]],
                            cwd=site, capture_output=True, text=True, timeout=300, preexec_fn=_no_file_may_grow)
    assert_refused(result, result.stderr, 1, ": the system refused this path: File too large",
                   f"hint: the file is larger than this system lets a program write (a quota or a limit, ulimit "
                   f"-f); then run the command again ({LEFT})")
    assert "content/" in result.stderr.split(": the system refused")[0]  # the file it was writing
    assert "last good site" not in result.stderr  # no build was involved
    assert tree_hash(site / "content") == before
    assert strays(site) == []


@pytest.mark.parametrize("stop_at", ["planning", "prepared"])
@pytest.mark.parametrize("name", COMMANDS)
def test_ctrl_c_before_the_change_leaves_content_as_it_was(site: Path, name: str, stop_at: str) -> None:
    """Stopped before it reads content/ (planning), or with every new text written aside (prepared)."""
    before = tree_hash(site / "content")
    process = start(site, COMMANDS[name][0], stop_at)
    wait_stopped(process)
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGCONT)
    out, err = process.communicate(timeout=120)
    assert_refused(process, err, 130, f"interrupted; {LEFT}")
    assert tree_hash(site / "content") == before
    assert strays(site) == []


@pytest.mark.parametrize("name", COMMANDS)
def test_killed_half_way_through_its_commit_the_next_command_finishes_it(site: Path, finished: dict,
                                                                          name: str) -> None:
    args = COMMANDS[name][0]
    process = start(site, args, "committing")
    wait_stopped(process)
    process.kill()
    process.communicate(timeout=120)
    assert strays(site) != []  # the journal: what the next command repairs from
    result = run_gloss(site, "check")
    assert f"content/.gloss-journal: warning: `{name}" in result.stderr
    assert "` was stopped while it wrote content/; its change to " in result.stderr
    assert "was finished now" in result.stderr
    assert tree_hash(site / "content") == finished[name]
    assert strays(site) == []
