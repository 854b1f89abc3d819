"""A deterministic generator of realistic sites for benchmarks: articles, entities, raw seeds.

N articles of about 600 words (9 paragraphs and a subheading), about 12 mentions each drawn
Zipf-like from N/5 entities of the three default types; entity files with aliases and
descriptions. The same N always gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

WORDS = (
    "the of and to in a is that for on was with as said by at from it its have has be are were been "
    "government officials minister report week after before during while under over against between "
    "people country city region forces talks agreement security economy market prices election vote "
    "police court law plan new first last year month day statement spokesman according told reporters "
    "would could should may might will also more most than other such some many several two three "
    "political military support leaders group members public health water border trade bank oil "
    "national international local state capital council committee party opposition president "
    "announced expected continued increased reduced warned called agreed rejected confirmed denied "
    "meeting visit crisis conflict peace aid budget tax workers industry farmers schools hospital "
    "since about into through without across around toward despite because however although"
).split()
SYLLABLES = "ka ra mi lo ta ne so vu ba di fe go ha ji ku le ma no pe qui ri sa te ul ve wa xi yo za".split()
ORG_WORDS = ["Ministry", "Council", "Front", "Party", "Bank", "Agency", "Union", "Institute", "Company", "Group"]
PLACE_WORDS = ["", "", " City", " Province", " Valley", ""]
ROLES = ["spokesman", "minister", "analyst", "commander", "governor", "economist", "director", "envoy"]


@dataclass
class FakeEntity:
    id: str
    name: str
    type: str
    aliases: list[str]
    description: str


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(syllables)).capitalize()


def make_entities(count: int, seed: int = 1) -> list[FakeEntity]:
    rng = random.Random(seed)
    entities, seen = [], set()
    while len(entities) < count:
        kind = rng.choice(["person", "person", "organization", "place"])
        if kind == "person":
            first, last = _word(rng, 2), _word(rng, 3)
            name, aliases = f"{first} {last}", [last]
            description = f"{rng.choice(ROLES).capitalize()} of {_word(rng, 3)}."
        elif kind == "organization":
            core = _word(rng, 3)
            name = f"{core} {rng.choice(ORG_WORDS)}"
            aliases = ["".join(w[0] for w in name.split()).upper() + core[1].upper()]
            description = f"{rng.choice(['Political', 'Financial', 'Armed', 'Civic'])} organization."
        else:
            name = _word(rng, 3) + rng.choice(PLACE_WORDS)
            aliases = []
            description = f"{rng.choice(['Province', 'City', 'Region', 'River valley'])} in {_word(rng, 3)}."
        entity_id = name.lower().replace(" ", "-")
        if entity_id in seen or any(a.lower() in seen for a in aliases):
            continue
        seen.add(entity_id)
        seen.update(a.lower() for a in aliases)
        entities.append(FakeEntity(entity_id, name, kind, aliases, description))
    return entities


def _zipf_weights(count: int) -> list[float]:
    return [1.0 / (rank + 1) for rank in range(count)]


def _sentence(rng: random.Random, mention: str | None) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 20))]
    if mention is not None:
        words.insert(rng.randint(1, len(words) - 1), mention)
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def article_paragraphs(rng: random.Random, mentions: list[str]) -> list[str]:
    """Nine paragraphs of about 65 words; the mentions spread over them."""
    slots = {i: m for i, m in zip(rng.sample(range(36), len(mentions)), mentions, strict=True)}
    return [" ".join(_sentence(rng, slots.get(p * 4 + s)) for s in range(4)) for p in range(9)]


def write_site(root: Path, articles: int, seed: int = 7) -> None:
    """A whole Gloss project: site.yml, content/articles, content/entities (theme copied by caller)."""
    rng = random.Random(seed)
    entities = make_entities(max(articles // 5, 10), seed)
    weights = _zipf_weights(len(entities))
    (root / "content/articles").mkdir(parents=True, exist_ok=True)
    (root / "content/entities").mkdir(parents=True, exist_ok=True)
    (root / "site.yml").write_text("title: Bench\nbase_url: https://bench.example/\n", encoding="utf-8")
    for e in entities:
        aliases = "[" + ", ".join(e.aliases) + "]"
        (root / f"content/entities/{e.id}.md").write_text(
            f"---\nname: {e.name}\ntype: {e.type}\naliases: {aliases}\ndescription: {e.description}\n---\n",
            encoding="utf-8")
    start = dt.date(2020, 1, 1)
    for n in range(articles):
        chosen = rng.choices(entities, weights=weights, k=12)
        mentions = [f"[[{e.id}|{rng.choice([e.name, *e.aliases])}]]" for e in chosen]
        paragraphs = article_paragraphs(rng, mentions)
        paragraphs.insert(5, f"## {' '.join(rng.choice(WORDS) for _ in range(4)).capitalize()}")
        date = start + dt.timedelta(days=n % 1500)
        tags = rng.sample(["politics", "economy", "security", "health", "energy", "diplomacy"], 2)
        text = (f"---\ntitle: {_sentence(rng, None)[:-1][:60].rstrip()}\ndate: {date.isoformat()}\n"
                f"summary: {_sentence(rng, None)}\ntags: [{', '.join(tags)}]\n---\n" + "\n\n".join(paragraphs) + "\n")
        (root / f"content/articles/article-{n:06d}.md").write_text(text, encoding="utf-8")


def write_seeds(folder: Path, count: int, registry: list[FakeEntity], seed: int = 11) -> None:
    """Raw 3 KB news texts naming registry entities (and a few new names) as plain text."""
    rng = random.Random(seed)
    weights = _zipf_weights(len(registry))
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        names = [rng.choice([e.name, *e.aliases]) for e in rng.choices(registry, weights=weights, k=10)]
        names += [f"{_word(rng, 2)} {_word(rng, 3)}" for _ in range(2)]
        paragraphs = article_paragraphs(rng, names)[:7]
        title = _sentence(rng, None)[:-1][:70].rsplit(" ", 1)[0]
        (folder / f"seed-{n:05d}.txt").write_text(title + "\n" + "\n".join(paragraphs) + "\n", encoding="utf-8")
