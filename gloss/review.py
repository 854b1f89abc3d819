"""Review tools: list entities with their mention counts, merge two entities, rename an id.

`merge` and `rename` rewrite `[[…]]` mentions found by the real Markdown parser, so a `[[…]]`
inside a code span or block is left alone. Every change is planned first and written only when
the whole plan is known to be sound; it is then written all or none (gloss/journal.py), and a
command stopped half way is finished or undone by the next one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from .config import SiteConfig
from .content import (
    Entity,
    EntityRegistry,
    display_path,
    is_slug,
    load_entities,
    normalize_name,
    slugify,
    split_front_matter,
)
from .errors import GlossError, Problems
from .ingest import add_aliases
from .journal import write_changes
from .markup import create_markdown
from .symlinks import read_bytes
from .words import counted


@dataclass
class SourceMention:
    """A `[[target|text]]` in a file: offsets into the file's whole text."""

    start: int  # of "[["
    target_start: int
    target_end: int
    target: str  # as written (not normalised)
    has_text: bool  # whether a "|text" part follows the target
    line: int
    in_table: bool = False  # in a table cell, where the bar is written "\\|"


@dataclass
class Plan:
    """Every file a review command changes: new texts, and files to delete."""

    writes: dict[Path, str] = field(default_factory=dict)  # absolute path -> new text
    deletes: list[Path] = field(default_factory=list)
    renamed: dict[Path, Path] = field(default_factory=dict)  # new path -> the old one, whose mode it keeps
    rewritten: int = 0  # mentions changed
    summary: str = ""  # what the command does, in one line a person reads

    def changed_files(self) -> list[Path]:
        return sorted({*self.writes, *self.deletes})


# ---------------------------------------------------------------- finding mentions in a file

def find_mentions(text: str, path: Path, raw_html: bool = False) -> list[SourceMention]:
    """Every mention in a content file (front matter excluded), located by the Markdown parser."""
    _, body, body_line = split_front_matter(text, path)
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found: dict[int, SourceMention] = {}
    previous = ""
    for token in create_markdown(raw_html).parse(body):
        if token.type == "inline" and token.children and token.map is not None:
            src_lines = token.content.split("\n")
            cell = previous in ("td_open", "th_open")
            for child in token.children:
                if child.type == "gloss_mention":
                    mention = _locate(text, lines, starts, token, src_lines, child, body_line, path, found, cell)
                    found[mention.start] = mention
        previous = token.type
    return sorted(found.values(), key=lambda m: m.start)


def _locate(text: str, lines: list[str], starts: list[int], inline: Token, src_lines: list[str], child: Token,
            body_line: int, path: Path, taken: dict[int, SourceMention], cell: bool) -> SourceMention:
    """Map a parser mention (line offset and column inside its block) to an offset in the file."""
    line_offset, col = child.meta["line_offset"], child.meta["col"]
    line_index = body_line - 1 + inline.map[0] + line_offset
    file_line, src_line = lines[line_index], src_lines[line_offset]
    shift = len(file_line.rstrip()) - len(src_line.rstrip())  # what the block stripped: indent, "> ", "- "
    start = starts[line_index] + shift + col - 1
    written = src_line[col - 1:].split("]]", 1)[0]  # "[[target|text" as the parser saw it
    if cell:
        written = written.replace("|", "\\|")  # the table rule took the backslash out of the cell
    if not text.startswith(written, start) or start in taken:  # a table cell: search the line itself
        start = _nearest(starts[line_index], file_line, written, shift + col - 1, path, line_index + 1, taken)
    close = text.find("]]", start + 2)
    inner = text[start + 2:close]
    bar = inner.find("\\|" if cell else "|")
    target_end = start + 2 + (bar if bar >= 0 else len(inner))
    return SourceMention(start, start + 2, target_end, text[start + 2:target_end], bar >= 0, line_index + 1, cell)


def _nearest(line_start: int, line: str, written: str, guess: int, path: Path, line_no: int,
             taken: dict[int, SourceMention]) -> int:
    positions = [i for i in range(len(line)) if line.startswith(written, i) and line_start + i not in taken]
    if not positions:
        raise GlossError("cannot find this mention in the file's text", path, line_no, None,
                         hint="put the mention on one line, then try again")
    return line_start + min(positions, key=lambda i: abs(i - guess))


# ---------------------------------------------------------------- the site's files

@dataclass
class ContentFile:
    path: Path  # absolute
    shown: Path
    text: str
    mentions: list[SourceMention]


def content_files(config: SiteConfig) -> list[ContentFile]:
    """Every article and entity file with its mentions; a file that cannot be read stops the command."""
    files = []
    for folder in ("articles", "entities"):
        for path in sorted((config.content_dir / folder).glob("*.md")):
            if path.name.endswith(".ingest.md"):
                continue
            shown = display_path(path, config.root)
            try:
                text = read_bytes(path, shown).decode("utf-8")  # refuses a symbolic link
            except UnicodeDecodeError as exc:
                raise GlossError(f"file is not UTF-8 (byte {exc.start})", shown, None, None,
                                 hint="save it as UTF-8, then try again; nothing was changed") from None
            files.append(ContentFile(path, shown, text, find_mentions(text, shown, config.raw_html)))
    return files


def load_registry(config: SiteConfig) -> EntityRegistry:
    """The registry, refusing to work on a site whose entity files have errors."""
    problems = Problems()
    registry = EntityRegistry(load_entities(config, problems))
    if problems.errors:
        raise problems.errors[0]
    return registry


def _rewrite(text: str, mentions: list[SourceMention], new_id: str) -> str:
    """`[[old|text]]` -> `[[new|text]]`; a bare `[[Old Name]]` -> `[[new|Old Name]]`, so the shown text stays."""
    for mention in sorted(mentions, key=lambda m: m.start, reverse=True):
        if mention.has_text:
            text = text[:mention.target_start] + new_id + text[mention.target_end:]
        else:
            bar = "\\|" if mention.in_table else "|"
            text = text[:mention.target_start] + new_id + bar + text[mention.target_start:]
    return text


def _mentions_of(file: ContentFile, registry: EntityRegistry, entity_id: str, by_id_only: bool) -> list[SourceMention]:
    if by_id_only:
        return [m for m in file.mentions if m.target.strip() == entity_id]
    return [m for m in file.mentions if registry.candidates(" ".join(m.target.split())) == [entity_id]]


def _entity_path(config: SiteConfig, entity_id: str) -> Path:
    return config.content_dir / "entities" / f"{entity_id}.md"


# ---------------------------------------------------------------- merge

def plan_merge(config: SiteConfig, old_id: str, new_id: str) -> Plan:
    """Everything `merge OLD NEW` changes, or a GlossError saying why it must not."""
    registry = load_registry(config)
    old, new = _require(registry, old_id, config), _require(registry, new_id, config)
    if old_id == new_id:
        raise GlossError(f"cannot merge '{old_id}' into itself", old.path, 1, 1, hint="name two different entities")
    moved = _names_to_move(registry, old, new)
    plan = Plan()
    for file in content_files(config):
        if file.path == _entity_path(config, old_id):
            continue
        mentions = _mentions_of(file, registry, old_id, by_id_only=False)
        text = _rewrite(file.text, mentions, new_id) if mentions else file.text
        if file.path == _entity_path(config, new_id):
            text = _merged_entity_text(text, moved, old, registry, new_id, config)
        if text != file.text:
            plan.writes[file.path] = text
            plan.rewritten += len(mentions)
    plan.deletes.append(_entity_path(config, old_id))
    plan.summary = (f"merged {old_id} into {new_id}: {counted(plan.rewritten, 'mention')} rewritten in "
                    f"{counted(len(plan.writes), 'file')}, deleted content/entities/{old_id}.md")
    return plan


def _require(registry: EntityRegistry, entity_id: str, config: SiteConfig) -> Entity:
    entity = registry.get(entity_id)
    if entity is None:
        near = registry.candidates(entity_id)
        hint = f"did you mean the id {near[0]}?" if near else "`python build.py entities` lists every id"
        raise GlossError(f"no entity with the id '{entity_id}'", display_path(_entity_path(config, entity_id),
                                                                               config.root), None, None, hint=hint)
    return entity


def _names_to_move(registry: EntityRegistry, old: Entity, new: Entity) -> list[str]:
    """OLD's name and aliases that NEW does not have yet; refuses one that a third entity uses."""
    have = {normalize_name(n) for n in new.names()}
    moved = []
    for name in old.names():
        owners = [i for i in registry.candidates(name) if i not in (old.id, new.id)]
        if owners:
            raise GlossError(f"the name '{name}' of {old.id} also belongs to {', '.join(owners)}", old.path, 1, 1,
                             hint="remove it from one of them first, so it cannot mean two entities after the merge")
        if normalize_name(name) not in have:
            have.add(normalize_name(name))
            moved.append(name)
    return moved


def _merged_entity_text(text: str, moved: list[str], old: Entity, registry: EntityRegistry, new_id: str,
                        config: SiteConfig) -> str:
    """NEW's file with OLD's names added to its aliases, and OLD's notes (if any) appended."""
    if moved:
        text = add_aliases(text, moved)
    if old.body.strip():
        notes = (config.root / old.path).read_bytes().decode("utf-8")
        old_file = ContentFile(config.root / old.path, old.path, notes, find_mentions(notes, old.path))
        notes = _rewrite(notes, _mentions_of(old_file, registry, old.id, by_id_only=False), new_id)
        _, body, _ = split_front_matter(notes, old.path)
        text = text.rstrip("\n") + "\n\n" + body.strip("\n") + "\n"
    return text


# ---------------------------------------------------------------- rename

def plan_rename(config: SiteConfig, old_id: str, new_id: str) -> Plan:
    """Everything `rename OLD NEW` changes: the file's name and every mention written with the id."""
    registry = load_registry(config)
    old = _require(registry, old_id, config)
    if not is_slug(new_id):
        raise GlossError(f"'{new_id}' is not a valid entity id", old.path, None, None,
                         hint=f"ids are lowercase letters, digits and hyphens, e.g. {slugify(new_id) or 'name'}")
    target = _entity_path(config, new_id)
    if new_id == old_id or registry.get(new_id) is not None or target.exists():
        raise GlossError(f"an entity with the id '{new_id}' already exists", display_path(target, config.root),
                         None, None, hint=f"to make them one entity, use: python build.py merge {old_id} {new_id}")
    plan = Plan()
    source = _entity_path(config, old_id)
    for file in content_files(config):
        mentions = _mentions_of(file, registry, old_id, by_id_only=True)
        text = _rewrite(file.text, mentions, new_id) if mentions else file.text
        plan.rewritten += len(mentions)
        if file.path == source:
            plan.writes[target] = text
            plan.renamed[target] = source
        elif text != file.text:
            plan.writes[file.path] = text
    plan.deletes.append(source)
    plan.summary = (f"renamed {old_id} to {new_id}: {counted(plan.rewritten, 'mention')} rewritten, "
                    f"content/entities/{old_id}.md is now content/entities/{new_id}.md")
    return plan


# ---------------------------------------------------------------- applying a plan

def apply(config: SiteConfig, plan: Plan, command: str) -> None:
    """Write the plan all or none (gloss/journal.py); plan and apply inside `changing_content`."""
    write_changes(config, plan.writes, plan.deletes, command, plan.renamed)


# ---------------------------------------------------------------- entities table

@dataclass
class EntityRow:
    id: str
    name: str
    type: str
    mentions: int
    articles: list[str]
    review: bool


def entity_rows(config: SiteConfig, entity_type: str | None = None, sort: str = "name"
                ) -> tuple[list[EntityRow], Problems]:
    """Each entity with how often and where it is mentioned (article text, not notes)."""
    from .builder import load_model

    problems = Problems()
    model = load_model(config, problems, drafts=True)
    graph = model.graph
    rows = [EntityRow(e.id, e.name, e.type, len(graph.sites.get(e.id, [])),
                      [a.slug for a in graph.articles_mentioning(e.id)], e.review)
            for e in graph.registry if entity_type is None or e.type == entity_type]
    if sort == "mentions":
        rows.sort(key=lambda r: (-r.mentions, r.name.casefold()))
    else:
        rows.sort(key=lambda r: r.name.casefold())
    return rows, problems


def _some(items: list[str], shown: int = 3) -> str:
    more = f" and {len(items) - shown} more" if len(items) > shown else ""
    return ", ".join(items[:shown]) + more if items else "-"


def format_rows(rows: list[EntityRow]) -> str:
    """A plain table a person reads in a terminal."""
    header = ("id", "name", "type", "mentions", "articles")
    table = [(r.id, r.name + (" (review)" if r.review else ""), r.type, str(r.mentions),
              _some(r.articles)) for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) if table else len(h) for i, h in enumerate(header)]
    lines = []
    for row in [header, *table]:
        pairs = enumerate(zip(row, widths, strict=True))
        cells = [cell.rjust(width) if i == 3 else cell.ljust(width) for i, (cell, width) in pairs]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
