"""Scoring of predicted mentions against gold ones (the `make eval` figures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gloss.evaluate import DEFAULT_DATA, Score, evaluate, load_documents, main, score_document


def gold(start: int, end: int, type_: str, optional: bool = False) -> dict:
    mention = {"start": start, "end": end, "surface": "x", "type": type_}
    if optional:
        mention["optional"] = True
    return mention


def pred(start: int, end: int, type_: str) -> dict:
    return {"start": start, "end": end, "text": "x", "type": type_}


def test_overlap_matches_one_to_one_and_counts_exact_spans_and_types():
    score = Score()
    score_document("x" * 40, [gold(0, 5, "person"), gold(10, 20, "place")],
                   [pred(0, 5, "person"), pred(12, 20, "organization"), pred(13, 15, "place")], score)
    assert (score.true_positive, score.false_positive, score.false_negative) == (2, 1, 0)
    assert score.exact == 1
    assert score.type_accuracy == 0.5
    assert score.precision == pytest.approx(2 / 3)
    assert score.recall == 1.0


def test_optional_gold_is_neither_rewarded_nor_punished():
    score = Score()
    score_document("x" * 40, [gold(0, 5, "misc", optional=True), gold(10, 12, "place")],
                   [pred(0, 5, "organization")], score)
    assert (score.true_positive, score.false_positive, score.false_negative) == (0, 0, 1)


def test_evaluate_runs_a_predictor_over_documents(tmp_path: Path):
    data = tmp_path / "gold.jsonl"
    doc = {"id": "d1", "text": "Angela Merkel visited Paris.",
           "mentions": [{"start": 0, "end": 13, "surface": "Angela Merkel", "type": "person"},
                        {"start": 22, "end": 27, "surface": "Paris", "type": "place"}]}
    data.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    from gloss.evaluate import gloss_predictor

    score = evaluate(load_documents(data), gloss_predictor(tmp_path))
    assert score.f1 == 1.0 and score.type_accuracy == 1.0


def test_main_prints_the_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    data = tmp_path / "gold.jsonl"
    data.write_text(json.dumps({"id": "d", "text": "Kabul fell.", "mentions": []}) + "\n", encoding="utf-8")
    assert main([str(data), "--articles-only"]) == 0
    out = capsys.readouterr().out
    assert "recogniser" in out and "gloss rules" in out


@pytest.mark.skipif(not DEFAULT_DATA.exists(), reason="the development set lives in ../shared/eval/")
def test_development_set_meets_the_targets():
    from gloss.evaluate import gloss_predictor

    score = evaluate(load_documents(DEFAULT_DATA), gloss_predictor(Path.cwd()))
    assert score.f1 >= 0.94 and score.precision >= 0.95 and score.type_accuracy >= 0.88
