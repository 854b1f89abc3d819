"""An entity's type, settled from what every article says about it.

One article seldom says enough: "Santa Fe" in a dateline reads as a place, and only the story
about the company's shares says otherwise. Ingest keeps each article's type evidence for each
entity it links (`content/.gloss-types.json`, beside the ingest manifest), and after every run
gives each entity the type with the most evidence over all articles, so a later article can
correct an early guess.

A person's word is final: an entity file that a person wrote or edited (its text is no longer
what ingest wrote, by hash) or marked `confirmed: true` is never retyped.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import SiteConfig
from .errors import GlossError

EVIDENCE_FILE = ".gloss-types.json"
# A type must lead by this much before it replaces the one written: evidence is noisy, and a
# type flapping between ingests would be worse than a stable guess flagged for review.
LEAD = 2.0
TYPE_LINE = re.compile(r"^type:[^\n]*$", re.MULTILINE)
CONFIRMED_LINE = re.compile(r"^confirmed:\s*(?:true|yes)\s*$", re.MULTILINE | re.IGNORECASE)


@dataclass
class TypeEvidence:
    """Per entity, per article: the type scores that article's mentions gave."""

    by_entity: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    written: dict[str, str] = field(default_factory=dict)  # entity id -> sha256 of the file ingest wrote
    # section -> seed -> the seed's team cues (gloss/teams.py): which sections' places are teams
    sections: dict[str, dict[str, int]] = field(default_factory=dict)

    def record(self, article: str, scores: dict[str, dict[str, float]]) -> None:
        """This article's evidence, replacing what an earlier ingest of it said."""
        for per_article in self.by_entity.values():
            per_article.pop(article, None)
        for entity_id, types in scores.items():
            if types:
                self.by_entity.setdefault(entity_id, {})[article] = {t: round(s, 2) for t, s in types.items()}

    def record_section(self, seed: str, section: str, team_cues: int) -> None:
        """The seed's section and its team cues, replacing what an earlier ingest of it said."""
        for seeds in self.sections.values():
            seeds.pop(seed, None)
        self.sections = {name: seeds for name, seeds in self.sections.items() if seeds}
        if section:
            self.sections.setdefault(section, {})[seed] = team_cues

    def totals(self, entity_id: str) -> dict[str, float]:
        summed: dict[str, float] = defaultdict(float)
        for types in self.by_entity.get(entity_id, {}).values():
            for type_id, score in types.items():
                summed[type_id] += score
        return dict(summed)

    def articles(self, entity_id: str) -> int:
        return len(self.by_entity.get(entity_id, {}))


def evidence_path(config: SiteConfig) -> Path:
    return config.content_dir / EVIDENCE_FILE


def load_evidence(config: SiteConfig) -> TypeEvidence:
    path = evidence_path(config)
    if not path.exists():
        return TypeEvidence()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        evidence = TypeEvidence(dict(data.get("evidence", {})), dict(data.get("written", {})),
                                dict(data.get("sections", {})))
        if not _well_formed(evidence):
            raise ValueError("it is not what ingest writes (entity -> article -> type -> score, "
                             "entity -> file hash, and section -> seed -> count)")
        return evidence
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, TypeError, ValueError) as exc:
        raise GlossError(f"type evidence file is not valid: {exc}", path.relative_to(config.root), None, None,
                         hint="restore it from version control, or delete it (ingest then settles types "
                              "from the articles it ingests next)") from None


def _well_formed(evidence: TypeEvidence) -> bool:
    def number(value: object) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    return all(isinstance(articles, dict) and all(
        isinstance(types, dict) and all(isinstance(t, str) and number(s) for t, s in types.items())
        for types in articles.values()) for articles in evidence.by_entity.values()) \
        and all(isinstance(sha, str) for sha in evidence.written.values()) \
        and all(isinstance(seeds, dict) and all(isinstance(k, str) and number(n) for k, n in seeds.items())
                for seeds in evidence.sections.values())


def evidence_text(evidence: TypeEvidence) -> str:
    data = {"evidence": {k: evidence.by_entity[k] for k in sorted(evidence.by_entity)},
            "written": dict(sorted(evidence.written.items())),
            "sections": {k: dict(sorted(evidence.sections[k].items())) for k in sorted(evidence.sections)}}
    return json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def file_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def settle(evidence: TypeEvidence, entity_id: str, text: str, type_ids: list[str]) -> tuple[str, str] | None:
    """The entity file with its type set from all the evidence, and why; None to leave it.

    Only a file ingest wrote and nobody changed since (same hash), and not `confirmed`.
    """
    if evidence.written.get(entity_id) != file_sha(text):
        return None
    totals = {t: s for t, s in evidence.totals(entity_id).items() if t in type_ids}
    head = text[:text.find("\n---", 3) + 1]  # ingest's own file: its front matter is as ingest wrote it
    found = TYPE_LINE.search(head)
    current = found.group(0).partition(":")[2].strip() if found else ""
    if not totals or CONFIRMED_LINE.search(head):
        return None
    best = max(totals, key=lambda t: (totals[t], t == current))
    if best == current or totals[best] < totals.get(current, 0.0) + LEAD:
        return None
    line = yaml.safe_dump({"type": best}, default_flow_style=False).strip()
    why = (f"type changed from {current or 'none'} to {best} by the evidence of "
           f"{evidence.articles(entity_id)} articles ({_scores(totals)})")
    return TYPE_LINE.sub(line, head, count=1) + text[len(head):], why


def _scores(totals: dict[str, float]) -> str:
    return ", ".join(f"{t} {s:g}" for t, s in sorted(totals.items(), key=lambda kv: -kv[1]))
