"""Shared test helpers: throwaway sites in temp folders built from {path: text}."""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from gloss.testpoints import PAUSE_ENV

# Tests interrupt Gloss with Ctrl+C (SIGINT). A shell starts a background job (`make test &`, nohup)
# with SIGINT ignored, and every process it starts inherits that: the interrupted command would
# run on. A handler (unlike "ignored") is not inherited, so Gloss's processes get the default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def tree_hash(root: Path) -> dict[str, str]:
    """Path -> sha256 of every file under root: compare before and after to prove nothing changed."""
    if not root.exists():
        return {}
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def run_gloss(root: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the real command line, as a user would."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--root", str(root), *args],
                          capture_output=True, text=True, cwd=root, timeout=300)


def wait_while_running(found: Callable[[], bool], process: subprocess.Popen, what: str,
                       timeout: float = 120) -> None:
    """Block until `found()` holds, failing if `process` ends first: the state a test acts on. The
    timeout only bounds a test that fails; a passing one waits no longer than the state takes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found():
            return
        assert process.poll() is None, f"the command ended before {what}: {process.communicate()}"
        time.sleep(0.002)
    raise AssertionError(f"the command never got to {what}")


def wait_stopped(process: subprocess.Popen) -> None:
    """Block until the command stopped itself at its GLOSS_TEST_STOP_AT point (gloss/journal.py)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        pid, status = os.waitpid(process.pid, os.WNOHANG | os.WUNTRACED)
        if pid:
            assert os.WIFSTOPPED(status), f"the command ended before its stop point: {process.stderr.read()}"
            return
        time.sleep(0.005)
    raise AssertionError("the command never stopped")


@contextlib.contextmanager
def build_held_at(root: Path, point: str, *args: str, wait: bool = True) -> Iterator[tuple[subprocess.Popen, Path]]:
    """`build` in a subprocess whose processes each wait at a test point (gloss/testpoints.py) until
    the file it yields exists: whatever the test does in between, the build is still running. With
    `wait`, the `with` starts only once a process is there. Released and reaped at the end whatever
    happened."""
    release = root.parent / f"release-{point}"
    build = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--root", str(root), "build", "--no-ingest",
                              *args], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env={**os.environ, PAUSE_ENV: f"{point}:{release}"})
    try:
        if wait:
            wait_while_running(lambda: Path(f"{release}.waiting").exists(), build, f"the '{point}' point")
        yield build, release
    finally:
        release.touch()
        if build.poll() is None:
            build.kill()
        build.communicate()


def interrupt_keeping_the_site(build: subprocess.Popen, signum: int, code: int) -> str:
    """Stop a build held at a test point with `signum`: it must exit with `code`, saying (without a
    traceback) that the last good site was kept. Returns what it printed on stderr."""
    build.send_signal(signum)
    _, err = build.communicate(timeout=60)
    assert build.returncode == code, err
    assert "interrupted; the last good site was kept" in err
    assert "Traceback" not in err
    return err


def permissions_apply() -> None:
    """For a subprocess (preexec_fn): make file permissions bind it even when the tests run as root,
    by dropping from its capability bounding set the rights to override them (CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH, CAP_FOWNER), which the program it runs then does not get."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "cannot drop a capability")


@pytest.fixture
def make_site(tmp_path: Path):
    """make_site({path: text}, theme=True) -> root of a new project in a temp folder."""

    def make(files: dict[str, str], theme: bool = True) -> Path:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        if theme:
            shutil.copytree(ROOT / "theme", root / "theme", dirs_exist_ok=True)
        (root / "content" / "articles").mkdir(parents=True, exist_ok=True)
        (root / "content" / "entities").mkdir(parents=True, exist_ok=True)
        return write_tree(root, files)

    return make


@pytest.fixture
def mini_site(tmp_path: Path) -> Path:
    """A copy of tests/fixtures/mini with the default theme."""
    root = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", root)
    shutil.copytree(ROOT / "theme", root / "theme")
    return root
