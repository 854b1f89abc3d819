"""The mini site's whole output is pinned: a change to the HTML shows up as a diff in review."""

from __future__ import annotations

import difflib
from pathlib import Path

from golden import GOLDEN, build_mini


def test_mini_site_output_matches_golden_files(tmp_path: Path) -> None:
    out = build_mini(tmp_path)
    generated = {"static", "pagefind"}  # copied theme assets and the search index: not HTML to review
    built = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file() and not generated & set(p.parts))
    expected = sorted(str(p.relative_to(GOLDEN)) for p in GOLDEN.rglob("*") if p.is_file())
    assert built == expected, "pages added or removed: run `make golden` if intended"
    for rel in expected:
        got, want = (out / rel).read_text(), (GOLDEN / rel).read_text()
        if got != want:
            diff = "".join(difflib.unified_diff(want.splitlines(True), got.splitlines(True), rel, rel, n=2))
            raise AssertionError(f"{rel} differs from golden (run `make golden` if intended):\n{diff[:3000]}")
