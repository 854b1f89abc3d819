"""bench.ab, the revision-against-revision timer: what it reports, not how fast anything is."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, run_gloss, tree_hash

from bench.corpus import write_feature_site


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


def test_the_second_bench_corpus_builds_cleanly_and_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    for name in ("one", "two"):
        write_feature_site(tmp_path / name, 60)
    assert tree_hash(tmp_path / "one" / "content") == tree_hash(tmp_path / "two" / "content")
    site = tmp_path / "one"
    shutil.copytree(ROOT / "theme", site / "theme")
    result = run_gloss(site, "build", "--no-search")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout and "warning" not in result.stdout
    lengths = sorted(len(p.read_text().split()) for p in (site / "content/articles").glob("*.md"))
    assert lengths[0] < 400 and lengths[-1] > 1500  # long-form: lengths spread widely, unlike the news corpus
