"""`make eval`, site level: ingest gold-linked documents into one site and score the registry a reader meets.

Each document becomes a seed of one temporary site, ingested in order by the real `ingest_seeds`.
The articles and entity files it writes are read back: each mention (body, title, a dateline linked
in front matter) is placed in its seed's text and matched one to one with the gold mentions, as
`evaluate.score_document` does. The figures, as issue #16 first measured them:

- mentions: "article body" scores the gold mentions inside the seed text the body holds (not the
  headline, dateline or byline); "whole text" scores every gold mention of the seed;
- clustering, over gold person/organization/place mentions with a qid (misc ones are optional): a
  mention's gold cluster is its qid, its predicted one the entity of the mention matched to it.
  "found" takes the mentions the site found (the issue's table); "all" takes every one, a missed
  mention being a cluster of its own;
- a split qid went to two or more entities; a conflated entity holds two or more qids; a junk entity
  has no mention matching a gold person, organization or place (a demonym's misc gold does not count);
- entity type accuracy: per entity with gold mentions, its type against their majority type (ties
  count either way).

And the review queue (issue #17), built on the same site before it is deleted, scored on its first
100 items: the share of conflated entities an item names; the share of split qids with two of their
entities in one item; the share of items that point at a real error: a duplicate whose entities
share a qid, or any other item whose entities share a qid or whose first entity is conflated, junk
or of the wrong type (an unmentioned entity file is an error by itself). An entity whose mentions
match only NIL gold (no qid) cannot show an error of its own: such items count as not real.
"""

from __future__ import annotations

import difflib
import json
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .config import load_config
from .content import EntityRegistry, load_entities, split_front_matter
from .errors import Problems
from .evaluate import Score, match_mentions, score_document
from .ingest import ingest_seeds
from .markup import create_markdown
from .parse import parse_document
from .reviewqueue import ReviewItem, build_queue

DEFAULT_SITE_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "aida_dev.jsonl"
GOLD_TYPES = ("person", "organization", "place")
WORST = 8
QUEUE_ITEMS = 100  # the first items of the review queue that are scored


# ---------------------------------------------------------------- reading the site back

@dataclass
class Predicted:
    """One mention a reader meets, placed in the seed's text."""

    start: int
    end: int
    text: str
    entity: str  # entity id; "?<article>#<n>" when the target resolves to no single entity
    type: str
    where: str  # "body", "title" or "dateline"


@dataclass
class SiteRun:
    """What ingest made of the documents: per document, the mentions a reader meets."""

    documents: list[dict]
    predicted: dict[str, list[Predicted]]  # document id -> mentions
    entities: dict[str, dict]  # entity id -> {"name", "type", "aliases"}
    seconds: float
    body: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # document id -> seed spans in the body
    unplaced: int = 0  # mentions whose text could not be found in the seed


def seed_name(index: int, document: dict) -> str:
    """Seed file name that keeps the documents' order when seeds/ is listed."""
    return f"{index:03d}_{document['id']}.txt"


def run_site(documents: list[dict], root: Path) -> SiteRun:
    """Ingest `documents` as the seeds of a new site at `root` (as `build.py ingest` does), then read
    back what it wrote."""
    (root / "content" / "articles").mkdir(parents=True)
    (root / "content" / "entities").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "site.yml").write_text("title: Gloss evaluation\n", encoding="utf-8")
    for index, document in enumerate(documents):
        (root / "seeds" / seed_name(index, document)).write_text(document["text"], encoding="utf-8")
    started = time.perf_counter()
    ingest_seeds(load_config(root))
    return read_site(root, documents, time.perf_counter() - started)


def read_site(root: Path, documents: list[dict], seconds: float = 0.0) -> SiteRun:
    """What a reader meets in the site at `root`: each article's mentions, placed in its document's
    text (found by the seed file its front matter names), and the entity files."""
    config = load_config(root)
    registry = EntityRegistry(load_entities(config, Problems()))
    by_seed = {f"seeds/{seed_name(index, d)}": d for index, d in enumerate(documents)}
    run = SiteRun(documents, {d["id"]: [] for d in documents},
                  {e.id: {"name": e.name, "type": e.type, "aliases": list(e.aliases)} for e in registry},
                  seconds)
    md = create_markdown()
    for path in sorted((root / "content" / "articles").glob("*.md")):
        front, body, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
        source = front.data.get("source")
        document = by_seed.get(source.get("file")) if isinstance(source, dict) else None
        if document is not None:
            run.predicted[document["id"]], run.body[document["id"]] = _read_article(
                md, front.data, body, document["text"], registry, path.stem, run)
    return run


def _read_article(md, front: dict, body: str, seed: str, registry: EntityRegistry, slug: str,
                  run: SiteRun) -> tuple[list[Predicted], list[tuple[int, int]]]:
    """Body, title and dateline mentions (the title's only when the body does not hold the headline),
    and the spans of the seed the body holds."""
    headline_end = seed.find("\n") if "\n" in seed else len(seed)
    found, spans = _place(md, body, seed, 0, registry, slug, "body", run)
    title = front.get("title")
    if isinstance(title, str) and not any(p.start < headline_end for p in found):
        found += [p for p in _place(md, title, seed, 0, registry, slug, "title", run)[0] if p.end <= headline_end]
    found += _dateline(md, front.get("dateline"), seed, headline_end, registry, slug, run)
    return sorted(found, key=lambda p: p.start), spans


def _dateline(md, value: object, seed: str, after: int, registry: EntityRegistry, slug: str,
              run: SiteRun) -> list[Predicted]:
    """A dateline in front matter linked to its place counts as a mention of the place's text there:
    `dateline: {place: <entity>, text: LONDON}`, or `dateline: "[[london|London]]"` written as a mention."""
    if isinstance(value, str) and "[[" in value:
        return _place(md, value, seed, after, registry, slug, "dateline", run)[0]
    if not isinstance(value, dict) or not isinstance(value.get("text"), str) or not value.get("place"):
        return []
    text = value["text"]
    start = _fold(seed).find(_fold(text), after)
    entity = registry.resolve(str(value["place"]))
    if start < 0 or entity is None:
        return []
    return [Predicted(start, start + len(text), seed[start:start + len(text)], entity.id, entity.type, "dateline")]


def _place(md, markdown: str, seed: str, lo: int, registry: EntityRegistry, slug: str, where: str,
           run: SiteRun) -> tuple[list[Predicted], list[tuple[int, int]]]:
    """The mentions in `markdown`, at their offsets in seed[lo:] (its blocks are found in order), and
    the spans of the seed its blocks hold."""
    doc = parse_document(md, markdown, Path(slug), 1)
    mapping = _align(doc.text, seed, doc.blocks, lo)
    spans = []
    for start, end in doc.blocks:
        inside = [m for m in mapping[start:end] if m is not None]
        if inside:
            spans.append((inside[0], inside[-1] + 1))
    found = []
    for mention in doc.mentions:
        span = _map_span(mapping, mention.offset, mention.offset + len(mention.text))
        if span is None:
            run.unplaced += 1
            continue
        entity = registry.resolve(mention.target)
        entity_id = entity.id if entity else f"?{slug}#{mention.index}"
        found.append(Predicted(span[0], span[1], seed[span[0]:span[1]], entity_id,
                               entity.type if entity else "unknown", where))
    return found, spans


MIN_RUN = 3  # characters: shorter common runs of a changed block and the seed are chance
MIN_SHARE = 0.8  # of a changed block's characters that must be found in the seed to align it


def _align(text: str, seed: str, blocks: list[tuple[int, int]], lo: int) -> list[int | None]:
    """For each character of `text`, its offset in seed[lo:] (None where it has none).

    Ingest keeps each block's words as they are, so a block is searched for from where the last
    one ended; a block it changed (case, a word) is aligned character by character instead, and
    left unaligned when too little of it is in the seed.
    """
    mapping: list[int | None] = [None] * len(text)
    folded = _fold(seed)
    cursor = lo
    for start, end in blocks:
        piece = _fold(text[start:end])
        if not piece.strip():
            continue
        at = folded.find(piece, cursor)
        if at >= 0:
            mapping[start:end] = range(at, at + len(piece))
            cursor = at + len(piece)
            continue
        window = folded[cursor:cursor + 2 * len(piece) + 200]
        matcher = difflib.SequenceMatcher(None, piece, window, autojunk=False)
        runs = [m for m in matcher.get_matching_blocks() if m.size >= MIN_RUN]
        if sum(m.size for m in runs) < MIN_SHARE * len(piece.strip()):
            continue
        for a, b, size in runs:
            mapping[start + a:start + a + size] = range(cursor + b, cursor + b + size)
        cursor += runs[-1].b + runs[-1].size
    return mapping


def _fold(text: str) -> str:
    """Lower case, one character for one (so offsets still hold)."""
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _map_span(mapping: list[int | None], start: int, end: int) -> tuple[int, int] | None:
    inside = [m for m in mapping[start:end] if m is not None]
    if not inside or inside[-1] + 1 - inside[0] > 2 * (end - start):
        return None
    return inside[0], inside[-1] + 1


# ---------------------------------------------------------------- scoring

@dataclass
class Link:
    """A gold person, organization or place with a real-world identity, and the entity the site gave it
    (None when no mention of the site matches it)."""

    document: str
    surface: str
    qid: str
    title: str
    type: str
    entity: str | None


@dataclass
class Clustering:
    precision: float = 0.0
    recall: float = 0.0

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


@dataclass
class Clusterings:
    """B-cubed, pairwise over all pairs, and pairwise over pairs from two different articles."""

    mentions: int
    bcubed: Clustering
    pairwise: Clustering
    cross: Clustering


@dataclass
class SiteScore:
    """Every figure of one site-level run; `as_json` holds them all, lists included."""

    documents: int
    gold_mentions: int
    body: Score  # gold mentions inside the article body, against body mentions
    with_headline: Score  # the body plus the headline (title) line
    whole: Score  # every gold mention of the seed: headline, dateline and byline too
    found: Clusterings  # over gold mentions the site found
    everything: Clusterings  # over every gold mention, a missed one a cluster of its own
    entity_type_accuracy: float
    typed_entities: int
    entities: int
    split: list[dict] = field(default_factory=list)
    conflated: list[dict] = field(default_factory=list)
    junk: list[dict] = field(default_factory=list)
    unmentioned: list[str] = field(default_factory=list)  # entity files no article mentions
    unplaced: int = 0
    seconds: float = 0.0
    qids: dict[str, set[str]] = field(default_factory=dict)  # entity -> qids of its gold-matched mentions
    wrong_type: set[str] = field(default_factory=set)  # entities whose type is not their mentions' majority
    queue: QueueScore | None = None

    @property
    def junk_without_gold(self) -> int:
        """Junk entities that match no gold mention at all, not even a misc one."""
        return sum(1 for j in self.junk if not j["gold"])

    def as_json(self) -> dict:
        def mentions(s: Score) -> dict:
            return {"precision": s.precision, "recall": s.recall, "f1": s.f1, "exact_f1": s.exact_f1,
                    "type_accuracy": s.type_accuracy, "true_positive": s.true_positive,
                    "false_positive": s.false_positive, "false_negative": s.false_negative}

        def clusterings(c: Clusterings) -> dict:
            return {"mentions": c.mentions, **{name: {"precision": x.precision, "recall": x.recall, "f1": x.f1}
                                               for name, x in (("bcubed", c.bcubed), ("pairwise", c.pairwise),
                                                               ("cross_article_pairwise", c.cross))}}

        return {
            "documents": self.documents, "gold_mentions": self.gold_mentions,
            "mentions_body": mentions(self.body), "mentions_body_and_headline": mentions(self.with_headline),
            "mentions_whole_text": mentions(self.whole),
            "clustering_found": clusterings(self.found), "clustering_all": clusterings(self.everything),
            "entity_type_accuracy": self.entity_type_accuracy, "typed_entities": self.typed_entities,
            "entities": self.entities, "split_count": len(self.split), "conflated_count": len(self.conflated),
            "junk_count": len(self.junk), "junk_without_gold_count": self.junk_without_gold,
            "unmentioned_count": len(self.unmentioned), "unplaced_mentions": self.unplaced,
            "ingest_seconds": self.seconds,
            "split": self.split, "conflated": self.conflated, "junk": self.junk, "unmentioned": self.unmentioned,
            "review_queue": self.queue.as_json() if self.queue else None,
        }


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _as_dicts(predicted: list[Predicted]) -> list[dict]:
    return [{"start": p.start, "end": p.end, "text": p.text, "type": p.type} for p in predicted]


def _inside(mention: dict, spans: list[tuple[int, int]]) -> bool:
    return any(start <= mention["start"] and mention["end"] <= end for start, end in spans)


def score_site(run: SiteRun) -> SiteScore:
    """Mention, clustering and registry figures of one ingested site."""
    body, with_headline, whole = Score(), Score(), Score()
    links: list[Link] = []
    uses: dict[str, list[tuple[str, str, dict | None]]] = defaultdict(list)  # entity -> (doc, text, gold)
    for document in run.documents:
        text, gold, predicted = document["text"], document["mentions"], run.predicted[document["id"]]
        spans = run.body.get(document["id"], [])
        headline = [(0, text.find("\n") if "\n" in text else len(text))]
        in_body = [p for p in predicted if p.where == "body"]
        score_document(text, [g for g in gold if _inside(g, spans)], _as_dicts(in_body), body)
        score_document(text, [g for g in gold if _inside(g, spans + headline)],
                       _as_dicts([p for p in predicted if p.where in ("body", "title")]), with_headline)
        score_document(text, gold, _as_dicts(predicted), whole)
        matched = {j: i for i, j in match_mentions(gold, _as_dicts(predicted))}
        by_predicted = {i: j for j, i in matched.items()}
        for j, g in enumerate(gold):
            if g.get("qid") and g["type"] in GOLD_TYPES:
                entity = predicted[matched[j]].entity if j in matched else None
                links.append(Link(document["id"], g["surface"], g["qid"], g.get("title", ""), g["type"], entity))
        for i, p in enumerate(predicted):
            uses[p.entity].append((document["id"], p.text, gold[by_predicted[i]] if i in by_predicted else None))
    type_accuracy, typed = entity_type_accuracy(uses, run.entities)
    qids = {e: {g["qid"] for _, _, g in found if g is not None and g.get("qid") and g["type"] in GOLD_TYPES}
            for e, found in uses.items()}
    return SiteScore(
        documents=len(run.documents), gold_mentions=sum(len(d["mentions"]) for d in run.documents),
        body=body, with_headline=with_headline, whole=whole,
        found=clustering_scores([link for link in links if link.entity is not None]),
        everything=clustering_scores(links),
        entity_type_accuracy=type_accuracy, typed_entities=typed, entities=len(run.entities),
        split=split_qids(links), conflated=conflated_entities(uses), junk=junk_entities(uses, run.entities),
        unmentioned=sorted(e for e in run.entities if e not in uses), unplaced=run.unplaced, seconds=run.seconds,
        qids=qids, wrong_type=wrong_types(uses, run.entities))


def _clusters(links: list[Link]) -> tuple[list[str], list[str]]:
    """Gold and predicted cluster keys per link; an unfound mention is a cluster of its own."""
    gold = [link.qid for link in links]
    predicted = [link.entity if link.entity is not None else f"\0{n}" for n, link in enumerate(links)]
    return gold, predicted


def clustering_scores(links: list[Link]) -> Clusterings:
    """B-cubed, pairwise, and pairwise over pairs from two different articles."""
    gold, predicted = _clusters(links)
    both = Counter(zip(gold, predicted, strict=True))
    gold_size, predicted_size = Counter(gold), Counter(predicted)
    n = len(links)
    bcubed = Clustering(
        sum(both[g, p] / predicted_size[p] for g, p in zip(gold, predicted, strict=True)) / n if n else 0.0,
        sum(both[g, p] / gold_size[g] for g, p in zip(gold, predicted, strict=True)) / n if n else 0.0)
    pairs = Clustering(*_pair_ratios(_pairs(both), _pairs(gold_size), _pairs(predicted_size)))
    # Cross-article pairs: all pairs less those inside one document.
    documents = [link.document for link in links]
    in_both = Counter(zip(documents, gold, predicted, strict=True))
    in_gold, in_predicted = Counter(zip(documents, gold, strict=True)), Counter(zip(documents, predicted, strict=True))
    cross = Clustering(*_pair_ratios(_pairs(both) - _pairs(in_both), _pairs(gold_size) - _pairs(in_gold),
                                     _pairs(predicted_size) - _pairs(in_predicted)))
    return Clusterings(n, bcubed, pairs, cross)


def _pairs(sizes: Counter) -> int:
    return sum(k * (k - 1) // 2 for k in sizes.values())


def _pair_ratios(both: int, gold: int, predicted: int) -> tuple[float, float]:
    return (both / predicted if predicted else 0.0), (both / gold if gold else 0.0)


def split_qids(links: list[Link]) -> list[dict]:
    """Real entities whose found mentions went to two or more entities, most scattered first."""
    by_qid: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        if link.entity is not None:
            by_qid[link.qid].append(link)
    found = []
    for qid, group in by_qid.items():
        ids = Counter(link.entity for link in group)
        if len(ids) > 1:
            found.append({"qid": qid, "title": group[0].title, "entities": dict(ids.most_common()),
                          "stray": len(group) - ids.most_common(1)[0][1],
                          "surfaces": sorted({link.surface for link in group}),
                          "articles": sorted({link.document for link in group})})
    return sorted(found, key=lambda f: (-f["stray"], -len(f["entities"]), f["qid"]))


def conflated_entities(uses: dict[str, list[tuple[str, str, dict | None]]]) -> list[dict]:
    """Entities whose mentions are two or more real entities, most mixed first (misc mentions aside)."""
    found = []
    for entity, mentions in uses.items():
        linked = [g for _, _, g in mentions if g is not None and g.get("qid") and g["type"] in GOLD_TYPES]
        qids = Counter(g["qid"] for g in linked)
        if len(qids) > 1:
            titles = {g["qid"]: g.get("title", "") for g in linked}
            found.append({"entity": entity, "qids": {f"{q} {titles[q]}": k for q, k in qids.most_common()},
                          "stray": sum(qids.values()) - qids.most_common(1)[0][1],
                          "surfaces": sorted({text for _, text, _ in mentions}),
                          "articles": sorted({doc for doc, _, _ in mentions})})
    return sorted(found, key=lambda f: (-f["stray"], -len(f["qids"]), f["entity"]))


def junk_entities(uses: dict[str, list[tuple[str, str, dict | None]]], entities: dict[str, dict]) -> list[dict]:
    """Entity files none of whose mentions is a gold person, organization or place (most linked first).

    A mention that matches only an optional gold mention (a demonym, an event) does not save it.
    """
    found = []
    for entity, mentions in uses.items():
        if entity not in entities:
            continue
        if not any(g is not None and g["type"] in GOLD_TYPES and not g.get("optional") for _, _, g in mentions):
            found.append({"entity": entity, "type": entities[entity]["type"], "mentions": len(mentions),
                          "surfaces": sorted({text for _, text, _ in mentions}),
                          "gold": sorted({f"{g['surface']} ({g['type']})" for _, _, g in mentions if g}),
                          "articles": sorted({doc for doc, _, _ in mentions})})
    return sorted(found, key=lambda f: (-f["mentions"], f["entity"]))


def entity_type_accuracy(uses: dict[str, list[tuple[str, str, dict | None]]],
                         entities: dict[str, dict]) -> tuple[float, int]:
    """Share of entities (with gold-matched mentions) whose type is their mentions' majority gold type."""
    right = total = 0
    for entity, mentions in uses.items():
        types = Counter(g["type"] for _, _, g in mentions if g is not None and g["type"] in GOLD_TYPES)
        if entity not in entities or not types:
            continue
        total += 1
        right += types[entities[entity]["type"]] == max(types.values())  # a tie counts either type right
    return (right / total if total else 0.0), total


def wrong_types(uses: dict[str, list[tuple[str, str, dict | None]]], entities: dict[str, dict]) -> set[str]:
    """Entities whose type is not the majority gold type of their mentions (a tie is right)."""
    wrong = set()
    for entity, mentions in uses.items():
        types = Counter(g["type"] for _, _, g in mentions if g is not None and g["type"] in GOLD_TYPES)
        if entity in entities and types and types[entities[entity]["type"]] != max(types.values()):
            wrong.add(entity)
    return wrong


# ---------------------------------------------------------------- the review queue against the gold

@dataclass
class QueueScore:
    """The first `scored` items of the review queue against the gold (issue #17)."""

    items: int  # in the whole queue
    scored: int
    conflated_named: int
    conflated: int
    split_named: int
    split: int
    real: int
    seconds: float = 0.0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [items, real] among the scored
    missed_conflated: list[str] = field(default_factory=list)
    missed_split: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {**self.__dict__, "conflated_named_share": _share(self.conflated_named, self.conflated),
                "split_named_share": _share(self.split_named, self.split), "real_share": _share(self.real, self.scored)}


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def score_queue(items: list[ReviewItem], score: SiteScore, first: int = QUEUE_ITEMS) -> QueueScore:
    """How well the first `first` items point at the site's real errors."""
    top = items[:first]
    named = {e for item in top for e in item.entities}
    conflated = [c["entity"] for c in score.conflated]
    split = [(f"{s['qid']} {s['title']}", set(s["entities"])) for s in score.split]
    found = [any(len(ids & set(item.entities)) >= 2 for item in top) for _, ids in split]
    result = QueueScore(len(items), len(top), sum(e in named for e in conflated), len(conflated), sum(found),
                        len(split), 0, missed_conflated=[e for e in conflated if e not in named],
                        missed_split=[q for (q, _), hit in zip(split, found, strict=True) if not hit])
    errors = {*conflated, *(j["entity"] for j in score.junk), *score.wrong_type}
    for item in top:
        real = _real(item, score.qids, errors)
        counts = result.by_kind.setdefault(item.kind, [0, 0])
        counts[0] += 1
        counts[1] += real
        result.real += real
    return result


def _real(item: ReviewItem, qids: dict[str, set[str]], errors: set[str]) -> bool:
    """Whether an item points at an error the gold shows (see the module's docstring)."""
    shared = any(qids.get(a, set()) & qids.get(b, set()) for i, a in enumerate(item.entities)
                 for b in item.entities[i + 1:])
    if item.kind == "duplicate":
        return shared
    return item.kind == "unmentioned" or shared or item.entities[0] in errors


# ---------------------------------------------------------------- report

def report(score: SiteScore, source: str = "", worst: int = WORST) -> str:
    """The site-level tables, plain text."""
    named = f" ({source})" if source else ""
    lines = [f"site level{named}: {score.documents} documents ingested as one site in {score.seconds:.2f} s; "
             f"{score.gold_mentions} gold mentions, {score.entities} entity files"]
    lines += ["", f"{'mentions':<28} {'P':>6} {'R':>6} {'F1':>6} {'exact F1':>9} {'type acc':>9}"]
    for name, s in (("article body", score.body), ("body and headline", score.with_headline),
                    ("whole text (dateline too)", score.whole)):
        lines.append(f"{name:<28} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.exact_f1:9.3f} "
                     f"{s.type_accuracy:9.3f}")
    lines += ["", f"{'clustering by qid':<28} {'P':>6} {'R':>6} {'F1':>6}  (person/org/place mentions)"]
    for label, c in ((f"found ({score.found.mentions})", score.found),
                     (f"all, missed alone ({score.everything.mentions})", score.everything)):
        lines.append(label)
        for name, x in (("  B-cubed", c.bcubed), ("  pairwise, all pairs", c.pairwise),
                        ("  pairwise, cross-article", c.cross)):
            lines.append(f"{name:<28} {x.precision:6.3f} {x.recall:6.3f} {x.f1:6.3f}")
    per_hundred = 100 / score.documents if score.documents else 0.0
    lines += ["", f"{'registry':<28} {'count':>6} {'/100 art.':>9}"]
    for name, count in (("split qids", len(score.split)), ("conflated entities", len(score.conflated)),
                        ("junk entities", len(score.junk)), ("  of which match no gold", score.junk_without_gold),
                        ("entities no article links", len(score.unmentioned))):
        lines.append(f"{name:<28} {count:6d} {count * per_hundred:9.1f}")
    lines.append(f"{'entity type accuracy':<28} {score.entity_type_accuracy:6.3f}  "
                 f"(of {score.typed_entities} entities with gold mentions)")
    lines.append(f"{'ingest seconds':<28} {score.seconds:6.2f}")
    if score.unplaced:
        lines.append(f"{score.unplaced} mentions could not be placed in their seed's text (not scored)")
    lines += ["", "worst split qids (qid: entity ids with mention counts; surfaces; articles):"]
    lines += [f"  {f['qid']} {f['title']}: {_counts(f['entities'])}; {_few(f['surfaces'])}; {_few(f['articles'])}"
              for f in score.split[:worst]]
    lines += ["", "worst conflated entities (entity: qids with mention counts; surfaces; articles):"]
    lines += [f"  {f['entity']}: {_counts(f['qids'])}; {_few(f['surfaces'])}; {_few(f['articles'])}"
              for f in score.conflated[:worst]]
    lines += ["", "worst junk entities (entity type: mentions; surfaces; misc gold matched; articles):"]
    lines += [f"  {f['entity']} {f['type']}: {f['mentions']}; {_few(f['surfaces'])}; {_few(f['gold']) or '-'}; "
              f"{_few(f['articles'])}" for f in score.junk[:worst]]
    if score.queue is not None:
        lines += ["", *queue_report(score.queue)]
    return "\n".join(lines)


def queue_report(queue: QueueScore) -> list[str]:
    """The review queue's table: its first items against the gold, and what they missed."""
    lines = [f"review queue: the first {queue.scored} of {queue.items} items (built in {queue.seconds:.2f} s)",
             f"{'':<36} {'count':>9} {'share':>6}  target"]
    for name, part, whole, target in (("conflated entities named", queue.conflated_named, queue.conflated, "0.75"),
                                      ("split qids, two ids in one item", queue.split_named, queue.split, "0.75"),
                                      ("items pointing at a real error", queue.real, queue.scored, "0.50")):
        lines.append(f"{name:<36} {f'{part}/{whole}':>9} {_share(part, whole):6.3f}  {target}")
    lines.append("  by kind (items, real): " + ", ".join(f"{k} {n} ({r})" for k, (n, r) in queue.by_kind.items()))
    lines.append(f"  conflated entities not named: {_few(queue.missed_conflated, 12) or '-'}")
    lines.append(f"  split qids not named: {_few(queue.missed_split, 8) or '-'}")
    return lines


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} ×{n}" for key, n in counts.items())


def _few(items: list[str], limit: int = 4) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" (+{len(items) - limit})" if len(items) > limit else "")


def evaluate_site(documents: list[dict]) -> SiteScore:
    """Ingest `documents` into a throwaway site and score it, and the review queue built on it."""
    with tempfile.TemporaryDirectory(prefix="gloss-eval-site-") as folder:
        root = Path(folder) / "site"
        score = score_site(run_site(documents, root))
        started = time.perf_counter()
        items = build_queue(load_config(root))
        score.queue = score_queue(items, score)
        score.queue.seconds = time.perf_counter() - started
        return score


def write_json(score: SiteScore, path: Path) -> None:
    path.write_text(json.dumps(score.as_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
