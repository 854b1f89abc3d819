"""bench.ab, the revision-against-revision timer: what it reports, not how fast anything is."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_ab_times_the_working_tree_and_a_commit_in_turns_with_their_stages(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bench.ab", ".", "HEAD", "--size", "40", "--runs", "2",
                             "--workdir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    rows = [line.strip("|").split("|") for line in result.stdout.splitlines() if line.startswith("| ")]
    by_name = {cells[0].strip(): [c.strip() for c in cells[1:]] for cells in rows[1:]}
    assert list(by_name) == [".", "HEAD"]
    for cells in by_name.values():
        assert all(re.fullmatch(r"\d+\.\d+", cell) for cell in cells[:5]), cells  # wall, CPU, three stages
    paired = r"[+-]\d+\.\d\d \([+-]\d+\.\d\d to [+-]\d+\.\d\d\)"  # median (least to most) of the differences
    assert by_name["."][5] == "" and re.fullmatch(paired, by_name["HEAD"][5])
    assert result.stderr.count("turn ") == 4  # two turns of two builds
    assert list(tmp_path.glob("src-*/build.py"))  # HEAD's files, from git archive
    assert not any((tmp_path / ".trash").iterdir())  # the moved-aside outputs are deleted at the end
