"""Shared test helpers: throwaway sites in temp folders built from {path: text}."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

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
