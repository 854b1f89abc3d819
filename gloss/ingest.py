"""Ingest stage: seed files into articles with `[[…]]` mentions, plus stubs for new entities.

Every run is planned in full before anything is written, so a seed that fails leaves content/
as it was; a manifest of what ingest wrote lets it tell its own files from an editor's edits.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import SiteConfig
from .content import MAX_SOURCE_BYTES, Entity, EntityRegistry, is_slug, load_entities, parse_entity
from .dateline import dateline_front
from .errors import GlossError, Problems
from .journal import changing_content, write_changes
from .linking import NewEntity, Recognition, link_mentions
from .markup import escape_markdown
from .nameindex import NameIndex
from .recognize import Mention
from .rejected import Rejected, load_rejected
from .seedtext import MAX_SEED_BYTES, SeedDoc, headline_end, parse_seed, read_seed, safe_slug, summary_of
from .sitetypes import EVIDENCE_FILE, TypeEvidence, evidence_text, file_sha, load_evidence, settle
from .symlinks import link_refused
from .teams import team_cues, team_sections
from .textfile import UNPUBLISHABLE, more_than, read_limited

MANIFEST = ".gloss-ingest.json"
MANIFEST_KEYS = ("seed", "seed_sha256", "written_sha256")  # of each article's entry
# New entities one seed may bring: a long article names a few hundred, and a seed naming thousands is
# a dump of many articles (or not an article), whose stubs would bury content/entities/.
MAX_NEW_ENTITIES = 2000
RECOGNIZERS = ("rules",)
SEED_SUFFIXES = (".txt", ".md")


@dataclass
class IngestReport:
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    refused: list[tuple[Path, str]] = field(default_factory=list)
    proposals: list[Path] = field(default_factory=list)
    new_entities: list[Path] = field(default_factory=list)
    updated_entities: list[Path] = field(default_factory=list)
    review: list[GlossError] = field(default_factory=list)

    def summary(self) -> str:
        """One line a person reads, e.g. "1 article written, 14 new entities, 2 to review"."""
        parts = [_count(len(self.written), "article written", "articles written")]
        counts = ((self.skipped, "unchanged", "unchanged"),
                  (self.refused, "refused (edited by hand)", "refused (edited by hand)"),
                  (self.proposals, "proposal", "proposals"),
                  (self.new_entities, "new entity", "new entities"),
                  (self.updated_entities, "entity updated", "entities updated"),
                  (self.review, "to review", "to review"))
        parts += [_count(len(items), one, many) for items, one, many in counts if items]
        return ", ".join(parts)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


@dataclass
class Planned:
    """What one seed turns into, before anything is written."""

    seed: str
    seed_sha256: str
    article: Path  # relative to root
    article_text: str
    entities: dict[Path, str]  # new entity files: path -> text
    aliases: dict[str, list[str]]  # existing entity id -> new aliases
    review: list[GlossError]
    evidence: dict[str, dict[str, float]] = field(default_factory=dict)  # entity id -> type scores


# ---------------------------------------------------------------- public entry points

def annotate_text(text: str, registry: EntityRegistry | None, config: SiteConfig) -> list[dict]:
    """The names in `text` and what ingest links them to, as character offsets (the `annotate` command).

    Every name in the text is reported, a byline's too (ingest keeps it as the author, not as an
    entity); a dateline's place is linked as ingest links it: to a place, never to a person.
    """
    recognition = _without_rejected(_recognize(text, registry, config), load_rejected(config))
    mentions = _with_dateline(parse_seed(text), recognition, registry, config)
    return [{"start": m.start, "end": m.end, "text": m.text, "entity": m.entity, "type": m.type}
            for m in mentions]


def _with_dateline(doc: SeedDoc, recognition: Recognition, registry: EntityRegistry | None,
                   config: SiteConfig) -> list[Mention]:
    """The recognised mentions, with the dateline's place and region as ingest links them."""
    front = dateline_front(doc, recognition, registry, config.type_ids())
    if not front:
        return recognition.mentions
    region = front.get("region")
    parts = [(doc.dateline_start, doc.dateline, front.get("place")),
             (doc.region_start, doc.region, region.get("place") if isinstance(region, dict) else None)]
    added = [Mention(start, start + len(written), written, place, _type_of(place, recognition, registry))
             for start, written, place in parts if place]
    spans = [(m.start, m.end) for m in added]
    kept = [m for m in recognition.mentions if not any(m.start < e and s < m.end for s, e in spans)]
    return sorted(kept + added, key=lambda m: m.start)


def _type_of(entity_id: str, recognition: Recognition, registry: EntityRegistry | None) -> str:
    if entity_id in recognition.new_entities:
        return recognition.new_entities[entity_id].type
    return registry.by_id[entity_id].type if registry is not None else ""


def annotate_file(config: SiteConfig, path: Path, use_registry: bool = True) -> list[dict]:
    """`annotate FILE`: mentions with offsets into the file's text exactly as read (UTF-8, line ends kept).

    Recognition sees a copy of the same length with CR and a BOM turned into spaces/newlines, so
    every offset still indexes the original text.
    """
    shown = _relative(path if path.is_absolute() else Path.cwd() / path, config.root)
    if not path.is_file():
        raise GlossError("no such file", shown, None, None, hint="give the path of a UTF-8 text file")
    data, size = read_limited(path, MAX_SEED_BYTES, shown)
    if data is None:
        raise GlossError(f"file is {more_than(size, MAX_SEED_BYTES)} ingest takes for "
                         "one article", shown, None, None, hint="split it into one file per article")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GlossError(f"file is not UTF-8 (byte {exc.start})", shown, None, None,
                         hint="save it as UTF-8 in your editor") from None
    same_length = UNPUBLISHABLE.sub(" ", text.replace("\r\n", " \n").replace("\r", "\n").replace("\ufeff", " "))
    registry = EntityRegistry(load_entities(config, Problems())) if use_registry else None
    mentions = annotate_text(same_length, registry, config)
    for mention in mentions:
        mention["text"] = text[mention["start"]:mention["end"]]
    return mentions


def ingest_seeds(config: SiteConfig, seeds: list[Path] | None = None, force: bool = False) -> IngestReport:
    """Ingest `seeds` (default: every new or changed seed); refuse to overwrite hand edits.

    Every file, the manifest included, is written all or none (gloss/journal.py)."""
    _check_recognizer(config)
    with changing_content(config):
        return _ingest(config, seeds, force)


def _ingest(config: SiteConfig, seeds: list[Path] | None, force: bool) -> IngestReport:
    root = config.root
    manifest = _load_manifest(config)
    problems = Problems()
    registry_entities = load_entities(config, problems)
    index = NameIndex([(name, e.id) for e in registry_entities for name in e.names()])
    report = IngestReport()
    writes: dict[Path, str] = {}
    evidence = load_evidence(config)
    rejected = load_rejected(config)
    touched: set[str] = set()  # entities this run brought new type evidence for
    to_plan = []
    for seed in _seed_list(config, seeds):
        shown = _relative(seed, root)
        if UNPUBLISHABLE.search(shown.as_posix()):  # it is written into the article's front matter
            raise GlossError(f"seed file name {shown.name!r} has a control character", shown.parent, None, None,
                             hint="rename the file")
        seed_file = read_seed(seed, shown)
        digest = hashlib.sha256(seed_file.data).hexdigest()
        owned = _article_of(manifest, shown.as_posix())
        unchanged = owned and manifest[owned]["seed_sha256"] == digest and (root / owned).exists()
        if unchanged and seeds is None and not force:  # a seed named on the command line is always redone
            report.skipped.append(Path(owned))
            continue
        doc = parse_seed(seed_file.text, markdown=shown.suffix == ".md")
        evidence.record_section(shown.as_posix(), " ".join(doc.tags[:1]), team_cues(doc.without_wire()))
        to_plan.append((shown, seed_file, digest, owned, doc))
    teams = team_sections(evidence.sections)  # every seed's section counted before any is linked
    for shown, seed_file, digest, owned, doc in to_plan:
        registry = EntityRegistry(registry_entities)
        plan = _plan(config, shown.as_posix(), doc, digest, registry, index, manifest, owned, writes, rejected,
                     teams)
        plan.review[:0] = seed_file.warnings
        if _decide(config, plan, manifest, force, report, writes, evidence):
            evidence.record(plan.article.as_posix(), plan.evidence)
            touched.update(plan.evidence)
        registry_entities = _grow(registry_entities, plan, config, index)
    if report.written:
        _settle_types(config, evidence, touched, writes, report)
        writes[Path("content") / EVIDENCE_FILE] = evidence_text(evidence)
    if report.written:
        writes[Path("content") / MANIFEST] = json.dumps(manifest, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    if writes:
        write_changes(config, {root / path: text for path, text in writes.items()}, [],
                      "ingest" + (" --force" if force else ""))
    return report


# ---------------------------------------------------------------- planning one seed

def _check_recognizer(config: SiteConfig) -> None:
    if config.ingest.recognizer not in RECOGNIZERS:
        raise GlossError(f"unknown ingest recognizer '{config.ingest.recognizer}'", config.path, None, None,
                         hint=f"use one of: {', '.join(RECOGNIZERS)}")


def _recognize(text: str, registry: EntityRegistry | None, config: SiteConfig,
               index: NameIndex | None = None, doc: SeedDoc | None = None,
               teams: set[str] | None = None) -> Recognition:
    _check_recognizer(config)
    if doc is None:
        return link_mentions(text, registry, config.type_ids(), index)
    section = " ".join(doc.tags[:1])
    return link_mentions(text, registry, config.type_ids(), index, headline_end(doc), section,
                         bool(section) and section in (teams or ()))


def _seed_list(config: SiteConfig, seeds: list[Path] | None) -> list[Path]:
    """The seeds to read; a symbolic link among them is refused (gloss/symlinks.py)."""
    if seeds is None:
        if not config.seeds_dir.is_dir():
            return []
        with os.scandir(config.seeds_dir) as listing:
            entries = [entry for entry in listing if os.path.splitext(entry.name)[1] in SEED_SUFFIXES]
        for entry in entries:
            if entry.is_symlink():
                raise link_refused(entry.path, os.path.relpath(entry.path, config.root))
        return sorted(Path(entry.path) for entry in entries if entry.is_file())
    found = []
    for seed in seeds:
        path = seed if seed.is_absolute() else config.root / seed
        if not path.is_file():
            raise GlossError(f"seed not found: {seed}", seed, None, None, hint="give the path of a .txt or .md file")
        found.append(path)
    return found


def _relative(path: Path, root: Path) -> Path:
    """`path` as shown in messages: the link's own name for a symbolic link, not where it points."""
    for candidate in (Path(os.path.abspath(path)), path.resolve()):
        if candidate.is_relative_to(root):
            return candidate.relative_to(root)
    return path


def _plan(config: SiteConfig, seed: str, doc: SeedDoc, digest: str, registry: EntityRegistry, index: NameIndex,
          manifest: dict, owned: str | None, writes: dict[Path, str], rejected: Rejected | None = None,
          teams: set[str] | None = None) -> Planned:
    """What the seed `doc` turns into; `teams`: the sections whose places' names stand for teams."""
    recognition = _without_rejected(_recognize(doc.without_wire(), registry, config, index, doc, teams), rejected)
    if len(recognition.new_entities) > MAX_NEW_ENTITIES:
        raise GlossError(f"seed names {len(recognition.new_entities):,} new entities, more than the "
                         f"{MAX_NEW_ENTITIES:,} ingest makes for one article", seed, None, None,
                         hint="split it into one file per article (or, if it is a list of names, it is not an "
                              "article: keep it out of seeds/)")
    dateline = dateline_front(doc, recognition, registry, config.type_ids())
    mentions = _in_body(doc, recognition.mentions)
    article = Path(owned) if owned else _free_article_path(config, doc.title, manifest, writes)
    body, review = _render_body(doc, mentions, recognition, article)
    front = _front_matter(doc, seed, digest, config, dateline)
    front_text = _dump_front(front)
    offset = front_text.count("\n")
    for warning in review:
        warning.line += offset
    wanted = article.with_name(safe_slug(doc.title, "article") + ".md")
    if not owned and article != wanted:
        review.insert(0, GlossError(
            f"the slug '{wanted.stem}' is taken by {wanted.as_posix()}, so this seed's article is "
            f"{article.as_posix()}", seed, None, None, severity="warning",
            hint="if both are the same article, delete one; else give one of them another title"))
    entities = _entity_files(config, recognition, article.stem)
    if len((front_text + body).encode("utf-8")) > MAX_SOURCE_BYTES:  # the build would refuse it
        raise GlossError(f"the article made of this seed would be more than the {MAX_SOURCE_BYTES / 1e6:.0f} MB a "
                         "build reads for one article", seed, None, None, hint="split it into one file per article")
    return Planned(seed, digest, article, front_text + body, entities, recognition.new_aliases, review,
                   recognition.evidence)


def _without_rejected(recognition: Recognition, rejected: Rejected | None) -> Recognition:
    """The recognition less every mention of a name an editor ruled out (`not-entity`, kept in
    content/rejected.yml), the new entities only those made, and no rejected name learnt as an alias."""
    if not rejected:
        return recognition
    kept = [m for m in recognition.mentions if m.text not in rejected]
    if len(kept) == len(recognition.mentions):
        return recognition
    linked = {m.entity for m in kept}
    new = {i: e for i, e in recognition.new_entities.items() if i in linked}
    for entity in new.values():
        entity.aliases = [a for a in entity.aliases if a not in rejected]
    aliases = {i: [a for a in names if a not in rejected] for i, names in recognition.new_aliases.items()}
    evidence = {i: scores for i, scores in recognition.evidence.items() if i in linked}
    return Recognition(kept, new, {i: names for i, names in aliases.items() if names}, evidence)


def _in_body(doc: SeedDoc, mentions: list[Mention]) -> list[Mention]:
    """Mentions inside the body's blocks (a headline or dateline moved to front matter has none).

    The blocks are in text order and apart, so only the last one starting before a mention can hold it."""
    starts = [b.start for b in doc.blocks]
    kept = []
    for mention in mentions:
        at = bisect.bisect_right(starts, mention.start) - 1
        if at >= 0 and mention.end <= starts[at] + len(doc.blocks[at].text):
            kept.append(mention)
    return kept


def _free_article_path(config: SiteConfig, title: str, manifest: dict, writes: dict[Path, str]) -> Path:
    base = safe_slug(title, "article")
    slug, n = base, 2
    while True:
        path = Path("content/articles") / f"{slug}.md"
        if is_slug(slug) and path.as_posix() not in manifest and path not in writes \
                and not (config.root / path).exists():
            return path
        slug, n = f"{base}-{n}", n + 1


def _front_matter(doc: SeedDoc, seed: str, digest: str, config: SiteConfig, dateline: dict | None) -> dict:
    """Title, date, dateline, author and the wire's tags: every word the body does not keep."""
    front: dict = {"title": doc.title}
    if doc.date:
        front["date"] = doc.date
    if dateline:
        front["dateline"] = dateline
    if doc.author:
        front["author"] = doc.author
    if doc.wire_tags:
        front["wire_tags"] = doc.wire_tags
    if doc.desk:
        front["desk"] = doc.desk
    front["source"] = {"file": seed, "sha256": digest}
    front["summary"] = summary_of([b.text for b in doc.blocks if b.kind == "paragraph"][:2])
    front["tags"] = sorted({*config.ingest.default_tags, *doc.tags})
    return front


def _dump_front(data: dict) -> str:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=10**6)
    return f"---\n{text}---\n"


# ---------------------------------------------------------------- body

def _render_body(doc: SeedDoc, mentions: list[Mention], recognition: Recognition, article: Path
                 ) -> tuple[str, list[GlossError]]:
    """Markdown for the blocks, with `[[id|text]]` for each mention; warnings with body lines."""
    lines: list[str] = []
    review: list[GlossError] = []
    starts = [m.start for m in mentions]  # in text order
    for block in doc.blocks:
        if lines:
            lines.append("")
        prefix = "## " if block.kind == "heading" else ""
        end = block.start + len(block.text)
        inside = mentions[bisect.bisect_left(starts, block.start):bisect.bisect_left(starts, end)]
        text, columns = _mark_up(block.text, block.start, inside)
        for mention, col in zip(inside, columns, strict=True):
            if mention.review:
                review.append(GlossError(_review_message(mention), article, len(lines) + 1,
                                         col + len(prefix) + 1, severity="warning", hint=_review_hint(mention)))
        lines.append(prefix + text)
    return "\n".join(lines) + "\n", review


def _review_message(mention: Mention) -> str:
    return f"'{mention.text}' linked to {mention.entity}: {mention.review}"


def _review_hint(mention: Mention) -> str:
    if "type" in mention.review:
        return f"set the right type in content/entities/{mention.entity}.md, then delete its `review: true`"
    if mention.review.startswith("may be the same as "):
        other = mention.review.removeprefix("may be the same as ").split(" or ")[0]
        return f"if they are one entity, merge them: python build.py merge {mention.entity} {other}"
    return "if the link is right, correct the spelling in the article; else change the mention's target"


def _mark_up(text: str, offset: int, mentions: list[Mention]) -> tuple[str, list[int]]:
    """Escape the text and wrap each mention; the column of each mention in the result."""
    out, columns, pos, length = [], [], 0, 0
    for mention in mentions:
        start, end = mention.start - offset, mention.end - offset
        piece = _escape_piece(text[pos:start], first=not out)
        markup = _mention_markup(mention)
        columns.append(length + len(piece))
        out += [piece, markup]
        length += len(piece) + len(markup)
        pos = end
    out.append(_escape_piece(text[pos:], first=not out))
    return "".join(out), columns


def _escape_piece(piece: str, first: bool) -> str:
    """escape_markdown for a piece of a line; only the line's first piece can start a block."""
    if first:
        return escape_markdown(piece)
    return escape_markdown("x" + piece)[1:]


def _mention_markup(mention: Mention) -> str:
    """`[[id|text]]`: the shown text is not Markdown inside a mention, so it is written as is."""
    if any(c in mention.text for c in "|[]\n"):
        return escape_markdown(mention.text)
    return f"[[{mention.entity}|{mention.text}]]"


# ---------------------------------------------------------------- entities

def _entity_files(config: SiteConfig, recognition: Recognition, slug: str) -> dict[Path, str]:
    files = {}
    for entity in recognition.new_entities.values():
        path = Path("content/entities") / f"{entity.id}.md"
        if not (config.root / path).exists():
            files[path] = _entity_text(entity, slug)
    return files


def _entity_text(entity: NewEntity, slug: str) -> str:
    data: dict = {"name": entity.name, "type": entity.type, "aliases": list(entity.aliases)}
    if entity.description:
        data["description"] = entity.description
    data["source"] = slug
    if entity.review:
        data["review"] = True
    return _dump_front(data)


def _grow(entities: list[Entity], plan: Planned, config: SiteConfig, index: NameIndex) -> list[Entity]:
    """The registry the next seed sees: this seed's new entities and aliases included (in `index` too)."""
    problems = Problems()
    grown = []
    for entity in entities:
        extra = plan.aliases.get(entity.id, [])
        grown.append(Entity(**{**entity.__dict__, "aliases": [*entity.aliases, *extra]}) if extra else entity)
        for alias in extra:
            index.add(alias, entity.id)
    for path, text in plan.entities.items():
        entity = parse_entity(text, path, config.type_ids(), problems)
        grown.append(entity)
        for name in entity.names():
            index.add(name, entity.id)
    return grown


ALIASES_LINE = re.compile(r"^aliases:.*(?:\n[ \t]+-.*|\n-.*)*", re.MULTILINE)


def add_aliases(text: str, aliases: list[str]) -> str:
    """The entity file with `aliases` extended: only that front matter line changes."""
    end = text.find("\n---", 3)
    head, rest = text[:end + 1], text[end + 1:]
    match = ALIASES_LINE.search(head)
    current = yaml.safe_load(match.group(0))["aliases"] if match else []
    current = current if isinstance(current, list) else ([current] if current else [])
    merged = [*current, *(a for a in aliases if a not in current)]
    line = yaml.safe_dump({"aliases": merged}, sort_keys=False, allow_unicode=True, default_flow_style=None,
                          width=10**6).rstrip("\n")
    head = head[:match.start()] + line + head[match.end():] if match else head + line + "\n"
    return head + rest


# ---------------------------------------------------------------- deciding and writing

def _decide(config: SiteConfig, plan: Planned, manifest: dict, force: bool, report: IngestReport,
            writes: dict[Path, str], evidence: TypeEvidence) -> bool:
    """Write the article, or refuse when a person edited it since ingest wrote it (False)."""
    key = plan.article.as_posix()
    target = config.root / plan.article
    if target.exists() and not force and (key not in manifest
                                          or _sha(target.read_bytes()) != manifest[key]["written_sha256"]):
        proposal = plan.article.with_name(plan.article.stem + ".ingest.md")
        writes[proposal] = plan.article_text
        report.proposals.append(proposal)
        report.refused.append((plan.article, (
            f"edited by hand since ingest wrote it, so not overwritten; the seed's new version is in {proposal}: "
            f"compare with `diff {plan.article} {proposal}`, or rerun ingest with --force to overwrite")))
        return False
    writes[plan.article] = plan.article_text
    manifest[key] = {"seed": plan.seed, "seed_sha256": plan.seed_sha256,
                     "written_sha256": _sha(plan.article_text.encode("utf-8"))}
    report.written.append(plan.article)
    report.review.extend(plan.review)
    for path, text in plan.entities.items():
        writes[path] = text
        evidence.written[path.stem] = file_sha(text)
        report.new_entities.append(path)
    for entity_id, aliases in plan.aliases.items():
        path = Path("content/entities") / f"{entity_id}.md"
        current = writes.get(path) or (config.root / path).read_text(encoding="utf-8")
        writes[path] = add_aliases(current, aliases)
        if evidence.written.get(entity_id) == file_sha(current):  # still ingest's own file
            evidence.written[entity_id] = file_sha(writes[path])
        if path not in report.updated_entities:
            report.updated_entities.append(path)
    return True


def _settle_types(config: SiteConfig, evidence: TypeEvidence, touched: set[str], writes: dict[Path, str],
                  report: IngestReport) -> None:
    """Retype the entities ingest wrote whose evidence over every article now points elsewhere."""
    for entity_id in sorted(touched):
        path = Path("content/entities") / f"{entity_id}.md"
        if path not in writes and not (config.root / path).is_file():
            continue
        text = writes.get(path) or (config.root / path).read_text(encoding="utf-8")
        settled = settle(evidence, entity_id, text, config.type_ids())
        if settled is None:
            continue
        writes[path], why = settled
        evidence.written[entity_id] = file_sha(writes[path])
        report.review.append(GlossError(why, path, None, None, severity="warning",
                                        hint="if the type is right, keep it; else set it and add `confirmed: true`"))
        if path not in report.updated_entities and path not in report.new_entities:
            report.updated_entities.append(path)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _article_of(manifest: dict, seed: str) -> str | None:
    return next((article for article, entry in manifest.items() if entry.get("seed") == seed), None)


def _load_manifest(config: SiteConfig) -> dict:
    path = config.content_dir / MANIFEST
    if not path.exists():
        return {}
    hint = "restore it from version control, or delete it (ingest then treats every article as hand-edited)"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GlossError(f"ingest manifest is not valid JSON: {exc}", _relative(path, config.root), None, None,
                         hint=hint) from None
    if not isinstance(data, dict):
        raise GlossError(f"ingest manifest is not what ingest writes: a {type(data).__name__}, not a mapping of "
                         "articles", _relative(path, config.root), None, None, hint=hint)
    for article, entry in data.items():
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in MANIFEST_KEYS):
            raise GlossError(f"ingest manifest is not what ingest writes: the entry of '{article}' needs text "
                             f"values for {', '.join(MANIFEST_KEYS)}", _relative(path, config.root), None, None,
                             hint=hint)
    return data

