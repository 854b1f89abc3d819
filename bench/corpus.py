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


# ---------------------------------------------------------------- a second corpus, of other statistics

# Long-form features rather than wire news: other words, other names, other shapes. A speed claim
# should hold on both (docs/performance.md): this one has articles from 150 to 4,000 words
# (log-normal, median about 800), fewer and longer paragraphs, lists, quotations, footnotes and
# CriticMarkup notes; N/2 entities whose names run to three and four words, with hyphens and
# accents; a steeper Zipf (s = 1.3) so a few entities are quoted everywhere; 2 to 60 mentions an
# article, in proportion to its length; dates over twelve years; twenty tags.
FEATURE_WORDS = (
    "memory landscape archive winter harvest river village generation silence journey language "
    "photograph letter kitchen garden workshop machine railway harbour lighthouse library museum "
    "remembered described wondered returned carried gathered painted written walked listened "
    "slowly quietly perhaps nevertheless meanwhile afterwards almost rarely entirely gently "
    "beneath beyond within among along toward upon whose whom which where when whether "
    "the a an of in on at by for with from into over under through between against without "
    "and but or yet so because although though unless until while as if than then "
    "old young long short bright dark cold warm narrow wide familiar strange ordinary "
    "she he they we it her his their our its one another every each some none few "
    "was were had has have would could might must should will can did does is are be been"
).split()
FEATURE_SYLLABLES = "an bel cor dra el fi gor hal ist jen kos lum mar nev or pa quen ros sel tor ur val wen yl".split()
FEATURE_ACCENTED = ["é", "ü", "ø", "ñ", "ç", "å"]
FEATURE_ORG_WORDS = ["Foundation", "Society", "Trust", "Collective", "Press", "Observatory", "Conservatory",
                     "Cooperative", "Museum", "Review"]
FEATURE_PLACE_WORDS = ["", " Hills", " Bay", "-on-Sea", " Heath", "", " Falls"]
FEATURE_TAGS = ["history", "science", "books", "music", "cities", "nature", "food", "travel", "ideas", "art",
                "film", "sport", "work", "family", "memory", "design", "language", "law", "faith", "technology"]


def _feature_word(rng: random.Random, syllables: int) -> str:
    word = "".join(rng.choice(FEATURE_SYLLABLES) for _ in range(syllables))
    if rng.random() < 0.08:
        at = rng.randrange(1, len(word))
        word = word[:at] + rng.choice(FEATURE_ACCENTED) + word[at + 1:]
    return word.capitalize()


def make_feature_entities(count: int, seed: int = 2) -> list[FakeEntity]:
    rng = random.Random(seed)
    entities, seen = [], set()
    while len(entities) < count:
        kind = rng.choice(["person", "person", "person", "organization", "place"])
        if kind == "person":
            parts = [_feature_word(rng, 2) for _ in range(rng.choice([2, 2, 3]))]
            if rng.random() < 0.15:
                parts[-1] += "-" + _feature_word(rng, 2)
            name, aliases = " ".join(parts), [parts[-1]]
            trade = rng.choice(["Writer", "Painter", "Historian", "Engineer", "Farmer"])
            description = f"{trade} from {_feature_word(rng, 3)}."
        elif kind == "organization":
            name = f"The {_feature_word(rng, 3)} {_feature_word(rng, 2)} {rng.choice(FEATURE_ORG_WORDS)}"
            aliases = [" ".join(name.split()[-2:])]
            description = "An institution."
        else:
            name = _feature_word(rng, 3) + rng.choice(FEATURE_PLACE_WORDS)
            aliases = []
            description = f"A place in {_feature_word(rng, 3)}."
        slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in name.lower())
        entity_id = "-".join(part for part in slug.split("-") if part)
        if not entity_id or entity_id in seen or any(a.lower() in seen for a in aliases):
            continue
        seen.add(entity_id)
        seen.update(a.lower() for a in aliases)
        entities.append(FakeEntity(entity_id, name, kind, aliases, description))
    return entities


def _feature_sentence(rng: random.Random, mention: str | None) -> str:
    words = [rng.choice(FEATURE_WORDS) for _ in range(rng.randint(8, 34))]
    if mention is not None:
        words.insert(rng.randint(1, len(words) - 1), mention)
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice("....?")


def _feature_body(rng: random.Random, words: int, mentions: list[str]) -> list[str]:
    """Paragraphs of 3 to 9 sentences until about `words` words, the mentions spread over them, with
    now and then a list, a quotation, a footnote and an editor's note."""
    sentences = max(len(mentions), words // 20)
    slots = dict(zip(rng.sample(range(sentences), len(mentions)), mentions, strict=True))
    blocks, footnotes, at = [], [], 0
    while at < sentences:
        size = rng.randint(3, 9)
        paragraph = " ".join(_feature_sentence(rng, slots.get(i)) for i in range(at, min(at + size, sentences)))
        at += size
        roll = rng.random()
        if roll < 0.06:
            paragraph += f"[^{len(footnotes) + 1}]"
            footnotes.append(f"[^{len(footnotes) + 1}]: {_feature_sentence(rng, None)}")
        elif roll < 0.10:
            paragraph += " {>>" + _feature_sentence(rng, None) + "<<}"
        elif roll < 0.14:
            paragraph = "> " + paragraph
        blocks.append(paragraph)
        if 0.14 <= roll < 0.17:
            blocks.append("\n".join(f"- {_feature_sentence(rng, None)}" for _ in range(rng.randint(2, 5))))
    if rng.random() < 0.5:
        blocks.insert(len(blocks) // 2, f"## {' '.join(rng.choice(FEATURE_WORDS) for _ in range(3)).capitalize()}")
    return blocks + footnotes


def write_feature_site(root: Path, articles: int, seed: int = 5) -> None:
    """Like write_site, with the feature corpus's statistics (see FEATURE_WORDS above)."""
    rng = random.Random(seed)
    entities = make_feature_entities(max(articles // 2, 10), seed)
    weights = [1.0 / (rank + 1) ** 1.3 for rank in range(len(entities))]
    (root / "content/articles").mkdir(parents=True, exist_ok=True)
    (root / "content/entities").mkdir(parents=True, exist_ok=True)
    (root / "site.yml").write_text("title: Features\nbase_url: https://features.example/\n", encoding="utf-8")
    for e in entities:
        aliases = "[" + ", ".join(f'"{a}"' for a in e.aliases) + "]"
        (root / f"content/entities/{e.id}.md").write_text(
            f'---\nname: "{e.name}"\ntype: {e.type}\naliases: {aliases}\ndescription: {e.description}\n---\n',
            encoding="utf-8")
    start = dt.date(2014, 1, 1)
    for n in range(articles):
        words = min(4000, max(150, int(rng.lognormvariate(6.7, 0.6))))
        chosen = rng.choices(entities, weights=weights, k=min(60, max(2, words // 50)))
        mentions = [f"[[{e.id}|{rng.choice([e.name, *e.aliases])}]]" for e in chosen]
        date = start + dt.timedelta(days=rng.randrange(365 * 12))
        tags = rng.sample(FEATURE_TAGS, rng.randint(1, 4))
        title = " ".join(rng.choice(FEATURE_WORDS) for _ in range(rng.randint(3, 9))).capitalize()
        author = f"{_feature_word(rng, 2)} {_feature_word(rng, 3)}"
        text = (f"---\ntitle: {title}\ndate: {date.isoformat()}\nauthor: {author}\ntags: [{', '.join(tags)}]\n---\n"
                + "\n\n".join(_feature_body(rng, words, mentions)) + "\n")
        (root / f"content/articles/feature-{n:06d}.md").write_text(text, encoding="utf-8")


CORPORA = {"news": write_site, "features": write_feature_site}
