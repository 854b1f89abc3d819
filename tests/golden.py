"""Golden output: the whole built site of tests/fixtures/mini, kept in tests/fixtures/mini-golden.

Run `make golden` after an intended change to the HTML; review the diff like any other change.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MINI = HERE / "fixtures" / "mini"
GOLDEN = HERE / "fixtures" / "mini-golden"


def build_mini(workdir: Path) -> Path:
    """Build a copy of the mini site with the project's theme; returns its output folder."""
    from gloss.cli import main

    site = workdir / "mini"
    shutil.copytree(MINI, site)
    shutil.copytree(ROOT / "theme", site / "theme")
    code = main(["--root", str(site), "build", "--no-ingest"])
    assert code == 0, "the mini site failed to build"
    return site / "_site"


def regenerate() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = build_mini(Path(tmp))
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(out, GOLDEN, ignore=shutil.ignore_patterns("static", "pagefind"))
    print(f"wrote {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    regenerate()
