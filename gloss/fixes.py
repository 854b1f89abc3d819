"""Fixes an editor applies to what ingest guessed: retype, confirm, unlink, split, not-entity.

Each command is planned in full as a `Plan` (gloss/review.py, like `merge` and `rename`) and
refused, with nothing changed, when any part of it cannot be done; `apply` then writes it all or
nothing. `run_fix` runs one command given as a command line, so the review page of `build.py
serve` runs exactly what the terminal runs.
"""

from __future__ import annotations

import argparse
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import yaml

from .config import SiteConfig
from .content import Entity, EntityRegistry, display_path, is_slug, normalize_name, parse_entity, split_front_matter
from .errors import GlossError, Problems
from .journal import changing_content
from .markup import escape_markdown
from .rejected import load_rejected, rejected_path, text_with
from .review import (
    ContentFile,
    Plan,
    SourceMention,
    _entity_path,
    _mentions_of,
    _require,
    _rewrite,
    apply,
    content_files,
    load_registry,
    plan_merge,
    plan_rename,
)
from .words import counted

KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:")


# ---------------------------------------------------------------- front matter edits

def _edit_front(text: str, set_keys: dict[str, object], drop: set[str]) -> str:
    """The file with top-level front matter keys set or dropped; every other line kept as it is."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    out, todo, skipping = [lines[0]], dict(set_keys), False
    for line in lines[1:end]:
        key = KEY_LINE.match(line)
        if skipping and not key and line.strip():
            continue  # a continuation of a key being replaced or dropped
        skipping = False
        name = key.group(1) if key else None
        if name in drop or name in todo:
            skipping = True
            if name in todo:
                out.append(_yaml_line(name, todo.pop(name), newline))
            continue
        out.append(line)
    out += [_yaml_line(k, v, newline) for k, v in todo.items()]
    return "".join(out + lines[end:])


def _yaml_line(key: str, value: object, newline: str) -> str:
    return yaml.safe_dump({key: value}, allow_unicode=True, width=10**6).rstrip("\n") + newline


def _edited_entity(config: SiteConfig, entity: Entity, set_keys: dict[str, object], drop: set[str]) -> str:
    """The entity file's new text, checked by reading it back as the loader will."""
    path = config.root / entity.path
    text = path.read_bytes().decode("utf-8")
    new = _edit_front(text, set_keys, drop)
    try:
        edited = parse_entity(new, entity.path, config.type_ids(), Problems())
    except GlossError:
        edited = None
    if edited is None or any(getattr(edited, k) != v for k, v in set_keys.items()) \
            or any(getattr(edited, k, False) for k in drop):
        raise GlossError("cannot edit this file's front matter safely", entity.path, 1, 1,
                         hint="edit it by hand: " + ", ".join([*(f"set '{k}: {v}'" for k, v in set_keys.items()),
                                                               *(f"delete '{k}:'" for k in sorted(drop))]))
    return new


# ---------------------------------------------------------------- retype and confirm

def plan_retype(config: SiteConfig, entity_id: str, new_type: str) -> Plan:
    """`retype ID TYPE`: the entity's type set by a person, so confirmed (ingest never retypes it)."""
    entity = _require(load_registry(config), entity_id, config)
    if new_type not in config.type_ids():
        raise GlossError(f"entity type '{new_type}' is not declared in site.yml", "site.yml", None, None,
                         hint=f"use one of: {', '.join(config.type_ids())}")
    plan = Plan(summary=f"retyped {entity_id} from {entity.type} to {new_type}, confirmed")
    if entity.type == new_type and entity.confirmed and not entity.review:
        plan.summary = f"{entity_id} is already a confirmed {new_type}; nothing changed"
        return plan
    text = _edited_entity(config, entity, {"type": new_type, "confirmed": True}, {"review"})
    plan.writes[config.root / entity.path] = text
    return plan


def plan_confirm(config: SiteConfig, entity_id: str, *more: str) -> Plan:
    """`confirm ID…`: a person vouches for the entity as it is: `confirmed: true`, no `review: true`."""
    registry = load_registry(config)
    plan = Plan()
    done = []
    for one in dict.fromkeys((entity_id, *more)):
        entity = _require(registry, one, config)
        if entity.confirmed and not entity.review:
            continue
        plan.writes[config.root / entity.path] = _edited_entity(config, entity, {"confirmed": True}, {"review"})
        done.append(one)
    plan.summary = f"confirmed {', '.join(done)}" if done else "already confirmed; nothing changed"
    return plan


# ---------------------------------------------------------------- unlink

def _shown(text: str, mention: SourceMention) -> tuple[str, int]:
    """The text a mention shows, and where the mention ends in the file."""
    close = text.find("]]", mention.target_end)
    if not mention.has_text:
        return " ".join(mention.target.split()), close + 2
    shown = text[mention.target_end + (2 if mention.in_table else 1):close]
    return " ".join(shown.split()), close + 2


def _unlinked(text: str, mentions: list[SourceMention]) -> str:
    """`[[target|text]]` -> `text`, escaped so that it reads as the same plain text."""
    for mention in sorted(mentions, key=lambda m: m.start, reverse=True):
        shown, end = _shown(text, mention)
        line_start = mention.start == 0 or text[mention.start - 1] == "\n"
        plain = escape_markdown(shown) if line_start else escape_markdown("x" + shown)[1:]
        if mention.in_table:
            plain = plain.replace("|", "\\|")
        text = text[:mention.start] + plain + text[end:]
    return text


@dataclass
class _Site:
    """What an unlink needs: the registry, every file with its mentions, and the datelines."""

    registry: EntityRegistry
    files: list[ContentFile]
    datelines: dict[str, int]  # entity id -> articles whose dateline names it

    @classmethod
    def load(cls, config: SiteConfig) -> _Site:
        registry = load_registry(config)
        files = content_files(config)
        datelines: dict[str, int] = {}
        for file in files:
            if file.path.parent.name == "articles":
                for target in _dateline_targets(file):
                    for found in registry.candidates(target)[:1]:
                        datelines[found] = datelines.get(found, 0) + 1
        return cls(registry, files, datelines)

    def references(self, entity_id: str, texts: dict[Path, str], config: SiteConfig) -> int:
        """Mentions of the entity left in `texts` (the planned texts), its own notes aside, and datelines."""
        own = _entity_path(config, entity_id)
        count = self.datelines.get(entity_id, 0)
        for file in self.files:
            if file.path == own:
                continue
            text = texts.get(file.path, file.text)
            mentions = file.mentions if text == file.text else _find(text, file, config)
            count += sum(1 for m in mentions if self.registry.candidates(" ".join(m.target.split())) == [entity_id])
        return count


def _find(text: str, file: ContentFile, config: SiteConfig) -> list[SourceMention]:
    from .review import find_mentions

    return find_mentions(text, file.shown, config.raw_html)


def _dateline_targets(file: ContentFile) -> list[str]:
    """Entity ids or names an article's front matter dateline points at."""
    try:
        front, _, _ = split_front_matter(file.text, file.shown)
    except GlossError:
        return []
    value = front.data.get("dateline")
    if isinstance(value, str):
        return [m.split("|")[0] for m in re.findall(r"\[\[([^\]]+)\]\]", value)]
    if not isinstance(value, dict):
        return []
    region = value.get("region")
    places = [value.get("place"), region.get("place") if isinstance(region, dict) else None]
    return [p for p in places if isinstance(p, str) and p]


def _article_file(config: SiteConfig, site: _Site, article: str) -> ContentFile:
    """The article `--in` names: its slug, file name or path."""
    slug = Path(article).stem if article.endswith(".md") else article.strip("/").rsplit("/", 1)[-1]
    for file in site.files:
        if file.path.parent.name == "articles" and file.path.stem == slug:
            return file
    raise GlossError(f"no article '{article}'", display_path(config.content_dir / "articles", config.root), None,
                     None, hint="give the article's slug, the name of its file in content/articles/ without .md")


def plan_unlink(config: SiteConfig, entity_id: str, in_article: str | None = None, text: str | None = None,
                lines: list[int] | None = None) -> Plan:
    """`unlink ID [--in ARTICLE] [--text TEXT] [--line N]`: those mentions go back to plain text; the
    entity file goes once nothing mentions it (its own notes aside)."""
    site = _Site.load(config)
    _require(site.registry, entity_id, config)
    if lines and not in_article:
        raise GlossError("--line needs --in: a line is a line of one article's file", None, None, None,
                         hint=f"e.g. unlink {entity_id} --in ARTICLE --line {lines[0]}")
    files = [_article_file(config, site, in_article)] if in_article else site.files
    plan = Plan()
    for file in files:
        mentions = [m for m in _on_lines(_mentions_of(file, site.registry, entity_id, by_id_only=False), lines)
                    if text is None or normalize_name(_shown(file.text, m)[0]) == normalize_name(text)]
        if mentions:
            plan.writes[file.path] = _unlinked(file.text, mentions)
            plan.rewritten += len(mentions)
    if (in_article or text) and not plan.rewritten:
        where = f" in {in_article}" if in_article else ""
        shown = f" shown as '{text}'" if text else ""
        raise GlossError(f"no mention of {entity_id}{shown}{where}{_line_words(lines)}",
                         display_path(_entity_path(config, entity_id), config.root), None, None,
                         hint=f"`python build.py review` lists where {entity_id} is mentioned")
    gone = _delete_unmentioned(config, site, [entity_id], plan)
    plan.summary = (f"unlinked {counted(plan.rewritten, 'mention')} of {entity_id} in "
                    f"{counted(len(plan.writes), 'file')}"
                    + (f"; deleted {', '.join(gone)}" if gone else ""))
    return plan


def _on_lines(mentions: list[SourceMention], lines: list[int] | None) -> list[SourceMention]:
    """The mentions on these lines of their file (all of them when no line is given)."""
    return [m for m in mentions if not lines or m.line in lines]


def _line_words(lines: list[int] | None) -> str:
    if not lines:
        return ""
    return f" on line {lines[0]}" if len(lines) == 1 else f" on lines {', '.join(map(str, lines))}"


def _delete_unmentioned(config: SiteConfig, site: _Site, ids: list[str], plan: Plan) -> list[str]:
    """Plan the deletion of each entity file in `ids` that nothing mentions once `plan` is written."""
    gone = []
    for entity_id in ids:
        if site.references(entity_id, plan.writes, config) == 0:
            path = _entity_path(config, entity_id)
            plan.writes.pop(path, None)
            plan.deletes.append(path)
            gone.append(display_path(path, config.root).as_posix())
    return gone


# ---------------------------------------------------------------- split

def plan_split(config: SiteConfig, entity_id: str, in_article: str, new_id: str, name: str | None = None,
               new_type: str | None = None, lines: list[int] | None = None) -> Plan:
    """`split ID --in ARTICLE --as NEW [--line N]`: the entity's mentions in that article (on those
    lines) move to NEW, an entity made for them (named `--name`, else after its id), or one that
    exists already."""
    site = _Site.load(config)
    old = _require(site.registry, entity_id, config)
    file = _article_file(config, site, in_article)
    mentions = _on_lines(_mentions_of(file, site.registry, entity_id, by_id_only=False), lines)
    if not mentions:
        raise GlossError(f"{file.shown} does not mention {entity_id}{_line_words(lines)}", file.shown,
                         lines[0] if lines else None, None,
                         hint=f"`python build.py review` lists where {entity_id} is mentioned")
    if new_id == entity_id:
        raise GlossError(f"cannot split '{entity_id}' into itself", old.path, None, None,
                         hint="give the new entity another id with --as")
    plan = Plan(rewritten=len(mentions))
    plan.writes[file.path] = _rewrite(file.text, mentions, new_id)
    target = site.registry.get(new_id)
    if target is not None:
        plan.summary = f"moved {counted(len(mentions), 'mention')} of {entity_id} in {file.shown} to {new_id}"
        return plan
    path = _new_entity(config, site, old, new_id, name, new_type, file, plan)
    plan.summary = (f"moved {counted(len(mentions), 'mention')} of {entity_id} in {file.shown} to {new_id} "
                    f"(new entity {display_path(path, config.root).as_posix()})")
    return plan


def _new_entity(config: SiteConfig, site: _Site, old: Entity, new_id: str, name: str | None,
                new_type: str | None, file: ContentFile, plan: Plan) -> Path:
    path = _entity_path(config, new_id)
    shown = display_path(path, config.root)
    if not is_slug(new_id):
        raise GlossError(f"'{new_id}' is not a valid entity id", shown, None, None,
                         hint="ids are lowercase letters, digits and hyphens, e.g. england-cricket")
    if path.exists():
        raise GlossError(f"{shown} exists but is not a valid entity", shown, None, None,
                         hint="run `python build.py check` and fix it first")
    name = " ".join((name or _name_from_id(old, new_id)).split())
    owners = site.registry.candidates(name)
    if owners:
        raise GlossError(f"the name '{name}' already belongs to {', '.join(owners)}", shown, None, None,
                         hint=f"give the new entity its own name with --name, or move the mentions to "
                              f"{owners[0]} with --as {owners[0]}")
    new_type = new_type or old.type
    if new_type not in config.type_ids():
        raise GlossError(f"entity type '{new_type}' is not declared in site.yml", "site.yml", None, None,
                         hint=f"use one of: {', '.join(config.type_ids())}")
    front = {"name": name, "type": new_type, "aliases": [], "source": file.path.stem}
    text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, default_flow_style=None, width=10**6)
    plan.writes[path] = f"---\n{text}---\n"
    return path


def _name_from_id(old: Entity, entity_id: str) -> str:
    """"England (cricket)" for england-cricket split from England, as ingest names a place's team;
    else the id's words with capitals."""
    if entity_id.startswith(old.id + "-"):
        return f"{old.name} ({entity_id[len(old.id) + 1:].replace('-', ' ')})"
    return " ".join(word.capitalize() for word in entity_id.split("-"))


# ---------------------------------------------------------------- not an entity

def plan_not_entity(config: SiteConfig, name: str) -> Plan:
    """`not-entity NAME`: every mention shown as NAME goes back to plain text, entity files left
    unmentioned go, and the name is kept in content/rejected.yml so that ingest never links it again."""
    name = " ".join(name.split())
    if not name:
        raise GlossError("give the name that is not an entity", None, None, None, hint='e.g. not-entity "Cup"')
    rejected = load_rejected(config)
    site = _Site.load(config)
    plan = Plan()
    touched: dict[str, None] = {}
    for file in site.files:
        mentions = [m for m in file.mentions if normalize_name(_shown(file.text, m)[0]) == normalize_name(name)]
        for mention in mentions:
            touched.update(dict.fromkeys(site.registry.candidates(" ".join(mention.target.split()))))
        if mentions:
            plan.writes[file.path] = _unlinked(file.text, mentions)
            plan.rewritten += len(mentions)
    touched.update(dict.fromkeys(site.registry.candidates(name)))
    gone = _delete_unmentioned(config, site, list(touched), plan)
    done = [f"unlinked {counted(plan.rewritten, 'mention')} in {counted(len(plan.writes), 'file')}"]
    if name not in rejected:
        plan.writes[rejected_path(config)] = text_with(config, [name])
    done += [f"deleted {', '.join(gone)}"] if gone else []
    done += [f"added it to {display_path(rejected_path(config), config.root).as_posix()}"] \
        if name not in rejected else ["it was already rejected"]
    plan.summary = f"'{name}' is not an entity: " + "; ".join(done)
    return plan


# ---------------------------------------------------------------- command lines

class _Usage(argparse.ArgumentParser):
    """An argument parser that reports a bad fix command as a GlossError instead of exiting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise GlossError(f"{self.prog}: {message}", None, None, None, hint=f"see `python {self.prog} --help`")


def plan_fix(config: SiteConfig, args: argparse.Namespace) -> Plan:
    """The plan of one parsed fix command."""
    command = args.command
    if command == "merge":
        return plan_merge(config, args.old, args.new)
    if command == "rename":
        return plan_rename(config, args.old, args.new)
    if command == "retype":
        return plan_retype(config, args.id, args.type)
    if command == "unlink":
        return plan_unlink(config, args.id, args.article, args.text, args.lines)
    if command == "split":
        return plan_split(config, args.id, args.article, args.new, args.name, args.entity_type, args.lines)
    if command == "confirm":
        return plan_confirm(config, *args.ids)
    if command == "not-entity":
        return plan_not_entity(config, args.name)
    raise GlossError(f"'{command}' is not a fix command", None, None, None,
                     hint="use merge, rename, retype, unlink, split, confirm or not-entity")


def parse_fix(argv: list[str] | str) -> argparse.Namespace:
    """A fix command line ("retype kabul place", or as the queue writes it, "build.py retype kabul place")."""
    words = shlex.split(argv) if isinstance(argv, str) else list(argv)
    while words and (words[0].endswith("build.py") or words[0].startswith("python")):
        words = words[1:]
    from .cli import add_fix_parsers

    parser = _Usage(prog="build.py", add_help=False)
    add_fix_parsers(parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Usage))
    if not words or words[0].startswith("-") or "--help" in words or "-h" in words:
        raise GlossError("no fix command given", None, None, None,
                         hint="e.g. retype ID TYPE, unlink ID, split ID --in ARTICLE --as NEW, confirm ID")
    return parser.parse_args(words)


def run_fix(config: SiteConfig, argv: list[str] | str) -> str:
    """Parse one fix command line, apply it all or nothing, and say what it did in one line."""
    args = parse_fix(argv)
    words = shlex.split(argv) if isinstance(argv, str) else list(argv)
    with changing_content(config):
        plan = plan_fix(config, args)
        apply(config, plan, shlex.join(words[words.index(args.command):] if args.command in words else words))
    return plan.summary
