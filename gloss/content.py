"""Load stage: content/ files into Article and Entity objects, and the registry of entities."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .errors import GlossError, Problems
from .journal import write_changes
from .textfile import UNPUBLISHABLE, char_name, more_than, read_limited, unpublishable_error, utf16_byte_order
from .yamlfile import YamlMapping, load_mapping

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Names Windows refuses as files: an id like this could not be checked out there.
RESERVED_IDS = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}

ARTICLE_KEYS = {"title", "date", "source", "summary", "tags", "draft", "author", "dateline", "updated", "wire_tags",
                "desk"}
ENTITY_KEYS = {"name", "type", "aliases", "description", "wikidata", "links", "source", "review", "confirmed"}


@dataclass(frozen=True)
class Dateline:
    """Where an article was filed: the place's name as shown ("London") and the place entity it
    links to, maybe with a region ("Wisconsin", linked or not)."""

    text: str
    place: str = ""  # entity id; "" when the dateline links nowhere
    region: str = ""
    region_place: str = ""
    line: int = 1  # front matter line of `dateline:`, for messages about it

    def __str__(self) -> str:
        return f"{self.text}, {self.region}" if self.region else self.text


@dataclass
class Article:
    slug: str
    path: Path  # as shown in messages: relative to the project root
    title: str
    body: str
    body_line: int  # file line (1-based) of the body's first line
    date: dt.date | None = None
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    author: str = ""
    dateline: Dateline | None = None
    wire_tags: list[str] = field(default_factory=list)  # the wire service's notes ingest took out of the body
    desk: list[str] = field(default_factory=list)
    draft: bool = False
    source: dict[str, Any] = field(default_factory=dict)
    sha256: str = ""


@dataclass
class Entity:
    id: str
    path: Path
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    description: str = ""
    wikidata: str | None = None
    links: dict[str, str] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    review: bool = False
    confirmed: bool = False  # a person vouched for it: ingest never retypes it, review never queues it
    sha256: str = ""
    name_line: int = 1  # file lines of 'name:' and 'aliases:', for messages about them
    aliases_line: int = 1

    def names(self) -> list[str]:
        return [self.name, *self.aliases]


def is_slug(text: str) -> bool:
    return bool(SLUG_RE.match(text)) and text not in RESERVED_IDS and len(text) <= 120


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII slug of `text` (accents folded); empty if nothing Latin is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    if slug in RESERVED_IDS:
        slug += "-1"
    return slug


def normalize_name(name: str) -> str:
    """The form names are compared in: case-folded, straight apostrophes, single spaces."""
    name = name.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(name.split()).casefold()


# ---------------------------------------------------------------- front matter

def split_front_matter(text: str, path: Path) -> tuple[YamlMapping, str, int]:
    """Split '---' front matter from the body; returns (mapping, body, body's first line)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:  # Windows (CRLF) and old Mac (CR) line ends: lines as an editor counts them
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise GlossError("no front matter: the file must start with a '---' line", path, 1, 1,
                         hint="add '---', then 'title: ...', then '---' at the top of the file")
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:index])
            mapping = load_mapping(yaml_text, path, line_offset=1, what="front matter")
            return mapping, "\n".join(lines[index + 1:]), index + 2
    raise GlossError("front matter is not closed", path, 1, 1,
                     hint="add a line with only '---' after the last front matter key")


def _require_str(mapping: YamlMapping, key: str, path: Path, required: bool = False) -> str:
    value = mapping.data.get(key)
    if value is None:
        if required:
            raise GlossError(f"missing '{key}' in front matter", path, mapping.first_line, 1,
                             hint=f"add '{key}: ...'")
        return ""
    if isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise GlossError(f"'{key}' must be text, not {type(value).__name__}", path, mapping.line_of(key), 1)
    if required and not value.strip():  # a page headed by nothing, links with no text
        raise GlossError(f"'{key}' is empty", path, mapping.line_of(key), 1, hint=f"write the {key} after '{key}:'")
    return value


def _str_list(mapping: YamlMapping, key: str, path: Path) -> list[str]:
    value = mapping.data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise GlossError(f"'{key}' must be a list of text, like [a, b]", path, mapping.line_of(key), 1)
    return [str(v) for v in value]


def _tags(mapping: YamlMapping, path: Path) -> list[str]:
    """Tags as slugs: each becomes a folder name under tags/, so it must be safe as one."""
    tags = []
    for tag in _str_list(mapping, "tags", path):
        slug = slugify(tag) or re.sub(r"[\W_]+", "-", tag.casefold()).strip("-")
        if not slug or slug in RESERVED_IDS:
            raise GlossError(f"tag {tag!r} has no letters or digits to make a page name from", path,
                             mapping.line_of("tags"), 1, hint="write tags as words, e.g. tags: [afghanistan]")
        tags.append(slug)
    return tags


def _date(mapping: YamlMapping, key: str, path: Path) -> dt.date | None:
    value = mapping.data.get(key)
    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    raise GlossError(f"'{key}' must be a date like 2021-09-06, not {value!r}", path, mapping.line_of(key), 1)


DATELINE_HINT = "write e.g. 'dateline: {place: london, text: London}', or only the text: 'dateline: London'"


def _dateline(mapping: YamlMapping, path: Path) -> Dateline | None:
    """`dateline: London`, or `{place: london, text: London, region: Wisconsin}` (the region may be
    a {place, text} mapping too). Whether the place exists is for the link stage to say."""
    value = mapping.data.get("dateline")
    if value is None or value == "":
        return None
    line = mapping.line_of("dateline")
    text, place = _place_ref(value, "dateline", path, line, {"text", "place", "region"})
    region, region_place = "", ""
    if isinstance(value, dict) and value.get("region") not in (None, ""):
        region, region_place = _place_ref(value["region"], "dateline's region", path, line, {"text", "place"})
    return Dateline(text, place, region, region_place, line)


def _place_ref(value: Any, what: str, path: Path, line: int, keys: set[str]) -> tuple[str, str]:
    """(text, place id) of a dateline or its region: plain text, or a {place, text} mapping."""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value), ""
    if not isinstance(value, dict):
        raise GlossError(f"'{what}' must be text or a mapping, not {type(value).__name__}", path, line, 1,
                         hint=DATELINE_HINT)
    unknown = sorted(str(k) for k in value if k not in keys)
    if unknown:
        raise GlossError(f"unknown key '{unknown[0]}' in the {what}", path, line, 1,
                         hint=f"its keys are {', '.join(sorted(keys))}; {DATELINE_HINT}")
    text, place = value.get("text"), value.get("place")
    if not isinstance(text, str) or not text.strip():
        raise GlossError(f"the {what} needs a 'text' (the place's name as shown)", path, line, 1, hint=DATELINE_HINT)
    if place is not None and not (isinstance(place, str) and is_slug(place)):
        raise GlossError(f"'place' in the {what} must be an entity id like london, not {place!r}", path, line, 1,
                         hint=DATELINE_HINT)
    return text, place or ""


def _warn_unknown(mapping: YamlMapping, known: set[str], path: Path, problems: Problems) -> None:
    for key in mapping.data:
        if key not in known:
            problems.warn(f"unknown front matter key '{key}' (ignored)", path, mapping.line_of(key), 1,
                          hint=f"known keys: {', '.join(sorted(known))}")
    warn_duplicates(mapping, path, problems)


def warn_duplicates(mapping: YamlMapping, path: Path | str, problems: Problems) -> None:
    for key, line, first in mapping.duplicates:
        problems.warn(f"key '{key}' is given twice (first on line {first}): only this last value counts", path,
                      line, 1, hint="delete one of them")


# ---------------------------------------------------------------- loading

def parse_article(text: str, path: Path, problems: Problems) -> Article:
    mapping, body, body_line = split_front_matter(text, path)
    _warn_unknown(mapping, ARTICLE_KEYS, path, problems)
    draft = mapping.data.get("draft", False)
    if not isinstance(draft, bool):
        raise GlossError("'draft' must be true or false", path, mapping.line_of("draft"), 1)
    source = mapping.data.get("source") or {}
    if not isinstance(source, dict):
        raise GlossError("'source' must be a mapping like {file: ..., sha256: ...}", path,
                         mapping.line_of("source"), 1)
    slug = path.stem
    if not is_slug(slug):
        raise GlossError(f"article file name '{path.name}' is not a slug", path, 1, 1,
                         hint=f"rename it to lowercase letters, digits, hyphens, e.g. {slugify(slug) or 'article'}.md"
                              " (if another article has that name already, choose another: the name is its URL)")
    return Article(
        slug=slug, path=path, title=_require_str(mapping, "title", path, required=True), body=body,
        body_line=body_line, date=_date(mapping, "date", path), summary=_require_str(mapping, "summary", path),
        tags=_tags(mapping, path), author=_require_str(mapping, "author", path),
        dateline=_dateline(mapping, path), wire_tags=_str_list(mapping, "wire_tags", path),
        desk=_str_list(mapping, "desk", path), draft=draft, source=source,
    )


def parse_entity(text: str, path: Path, type_ids: list[str], problems: Problems) -> Entity:
    mapping, body, body_line = split_front_matter(text, path)
    _warn_unknown(mapping, ENTITY_KEYS, path, problems)
    entity_id = path.stem
    if not is_slug(entity_id):
        raise GlossError(f"entity id '{entity_id}' is not a slug", path, 1, 1,
                         hint=f"ids are lowercase letters, digits and hyphens, e.g. {slugify(entity_id) or 'name'}.md")
    entity_type = _require_str(mapping, "type", path) or "unknown"
    if entity_type not in type_ids:
        raise GlossError(f"entity type '{entity_type}' is not declared in site.yml", path,
                         mapping.line_of("type"), 1, hint=f"use one of: {', '.join(type_ids)}")
    links = mapping.data.get("links") or {}
    if not isinstance(links, dict) or not all(isinstance(v, str) for v in links.values()):
        raise GlossError("'links' must map names to URLs", path, mapping.line_of("links"), 1)
    for label, url in links.items():
        if not re.match(r"^https?://", url, re.IGNORECASE):
            raise GlossError(f"link '{label}' must be an http(s) URL, not {url!r}", path,
                             mapping.line_of("links"), 1, hint="write the full address, starting with https://")
    wikidata = mapping.data.get("wikidata")
    if wikidata is not None and not (isinstance(wikidata, str) and re.match(r"^Q\d+$", wikidata)):
        raise GlossError(f"'wikidata' must be an id like Q42, not {wikidata!r}", path, mapping.line_of("wikidata"), 1)
    review = mapping.data.get("review", False)
    name = _require_str(mapping, "name", path, required=True)
    aliases = _str_list(mapping, "aliases", path)
    if any(not alias.strip() for alias in aliases):
        problems.warn("an alias is empty (ignored)", path, mapping.line_of("aliases"), 1,
                      hint="remove it from 'aliases:', or write the other name there")
        aliases = [alias for alias in aliases if alias.strip()]
    _warn_own_names(entity_id, name, aliases, path, mapping.line_of("aliases"), problems)
    return Entity(
        id=entity_id, path=path, name=name, type=entity_type,
        aliases=aliases, description=_require_str(mapping, "description", path),
        wikidata=wikidata, links=dict(links), body=body, body_line=body_line, review=bool(review),
        confirmed=mapping.data.get("confirmed") is True,
        name_line=mapping.line_of("name"), aliases_line=mapping.line_of("aliases"),
    )


def _warn_own_names(entity_id: str, name: str, aliases: list[str], path: Path, line: int,
                    problems: Problems) -> None:
    """An alias repeating the entity's own name or id is a cycle that leads nowhere: harmless, but said."""
    own = {normalize_name(name), entity_id}
    for alias in aliases:
        if normalize_name(alias) in own:
            problems.warn(f"alias '{alias}' is this entity's own name or id (ignored)", path, line, 1,
                          hint="remove it from 'aliases:'")


def display_path(path: Path, root: Path) -> Path:
    try:
        return path.relative_to(root)
    except ValueError:
        return path


# An article or entity file; ingest writes none longer (a seed is 1 MB at most), and a build reading a
# larger one would only be slow.
MAX_SOURCE_BYTES = 4_000_000


def read_text(path: Path, shown: Path) -> str:
    """A content file's text: UTF-8, of a sane size, and holding no character a page cannot."""
    data, size = read_limited(path, MAX_SOURCE_BYTES, shown)
    if data is None:
        raise GlossError(f"file is {more_than(size, MAX_SOURCE_BYTES)} Gloss reads "
                         "for one article or entity", shown, None, None,
                         hint="split it into several articles")
    if byte_order := utf16_byte_order(data):
        raise GlossError(f"file is UTF-16 ({'little' if byte_order.endswith('le') else 'big'}-endian) text, not "
                         "UTF-8", shown, None, None,
                         hint="save it as UTF-8 in your editor (\"UTF-8\", not \"Unicode\")")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        what = "binary data, not text" if b"\x00" in data[:8192] else "not UTF-8 text"
        raise GlossError(f"file is {what}: byte 0x{data[exc.start]:02X} cannot be read as UTF-8", shown, line, col,
                         hint="save it as UTF-8 in your editor (Latin-1 and Windows-1252 text is not read as is)",
                         ) from None
    if (error := unpublishable_error(text, shown)) is not None:
        raise error
    return text


MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")


def unread_sources(config: SiteConfig) -> list[GlossError]:
    """A warning for each folder, and each Markdown file not named *.md, in content/articles/ and
    content/entities/: Gloss reads only the *.md files right there, and an article saved as
    "Notes.MD" or put in a subfolder would otherwise be left out without a word."""
    found = []
    for kind in ("articles", "entities"):
        folder = config.content_dir / kind
        try:
            with os.scandir(folder) as listing:
                entries = sorted((entry.name, entry.is_dir()) for entry in listing if not entry.name.startswith("."))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for name, is_dir in entries:
            shown = display_path(folder / name, config.root)
            if is_dir:
                found.append(GlossError(f"folder {name}/ is not read: {kind} are the *.md files in "
                                        f"content/{kind}/ itself", shown, severity="warning",
                                        hint=f"move its files up into content/{kind}/"))
            elif name.lower().endswith(MARKDOWN_SUFFIXES) and not name.endswith(".md"):
                found.append(GlossError(f"{name} is not read: only files named *.md are", shown, severity="warning",
                                        hint=f"rename it to {name.rsplit('.', 1)[0]}.md"))
    return found


def load_entities(config: SiteConfig, problems: Problems) -> list[Entity]:
    entities = []
    type_ids = config.type_ids()
    for path in sorted((config.content_dir / "entities").glob("*.md")):
        shown = display_path(path, config.root)
        try:
            entities.append(parse_entity(read_text(path, shown), shown, type_ids, problems))
        except GlossError as error:
            problems.add(error)
    return entities


# ---------------------------------------------------------------- registry

class EntityRegistry:
    """Every entity, found by id, name or alias (case-insensitive)."""

    def __init__(self, entities: list[Entity]) -> None:
        self.by_id: dict[str, Entity] = {e.id: e for e in entities}
        self._by_name: dict[str, list[str]] = {}
        for entity in entities:
            for name in {normalize_name(n) for n in entity.names()}:
                self._by_name.setdefault(name, []).append(entity.id)

    def __len__(self) -> int:
        return len(self.by_id)

    def __iter__(self):
        return iter(self.by_id.values())

    def get(self, entity_id: str) -> Entity | None:
        return self.by_id.get(entity_id)

    def candidates(self, target: str) -> list[str]:
        """Ids `target` could mean: an exact id wins, else every entity with that name or alias."""
        target = target.strip()
        if target in self.by_id:
            return [target]
        return sorted(self._by_name.get(normalize_name(target), []))

    def closest(self, target: str, limit: int = 3) -> list[str]:
        """Ids of the entities whose id, name or alias is spelled most like `target` (a typo's fixes)."""
        spellings = {**{i: [i] for i in self.by_id}, **self._by_name}
        close = difflib.get_close_matches(normalize_name(target), spellings, n=limit, cutoff=0.7)
        return list(dict.fromkeys(i for spelling in close for i in sorted(spellings[spelling])))[:limit]

    def resolve(self, target: str) -> Entity | None:
        """The one entity `target` names, or None when it names none or several."""
        found = self.candidates(target)
        return self.by_id[found[0]] if len(found) == 1 else None

    def surface_forms(self) -> list[tuple[str, str]]:
        """(name or alias, entity id) pairs, for matching names in raw text."""
        return [(name, e.id) for e in self.by_id.values() for name in e.names()]

    def conflicts(self) -> list[tuple[str, list[str]]]:
        """Names shared by more than one entity."""
        return sorted((name, ids) for name, ids in self._by_name.items() if len(ids) > 1)

    def conflict_warnings(self) -> list[GlossError]:
        """One warning per shared name, at the 'aliases:' line that made it shared, plus cycles.

        A cycle here is two entities each listing the other's name (or id) as an alias: every
        mention of either name is ambiguous, and it usually means they are one entity, half merged.
        """
        shared = [(name, ids) for name, ids in self._by_name.items() if len(ids) > 1]
        warnings = [self._shared_warning(name, ids) for name, ids in sorted(shared)]
        warnings += self._id_alias_warnings()
        return warnings + self._cycle_warnings() + self._lookalike_warnings()

    def _shared_warning(self, name: str, ids: list[str]) -> GlossError:
        by_alias = [i for i in ids if normalize_name(self.by_id[i].name) != name]
        blamed = self.by_id[(by_alias or ids)[-1]]
        line = blamed.aliases_line if by_alias else blamed.name_line
        owners = [i for i in ids if i != blamed.id]
        return GlossError(f"the name '{name}' is shared by {', '.join(sorted(ids))}; mentions of it are ambiguous",
                          blamed.path, line, 1, severity="warning",
                          hint=f"keep the name on one entity ({', '.join(owners)} has it too), or always link by id")

    def _id_alias_warnings(self) -> list[GlossError]:
        found = []
        for entity in self.by_id.values():
            for alias in entity.aliases:
                other = alias.strip()
                if other != entity.id and other in self.by_id:
                    found.append(GlossError(
                        f"alias '{alias}' is the id of another entity, so [[{other}]] always means {other}",
                        entity.path, entity.aliases_line, 1, severity="warning",
                        hint=f"if {other} was merged into {entity.id}, delete {self.by_id[other].path}"))
        return found

    def _cycle_warnings(self) -> list[GlossError]:
        by_name: dict[str, list[Entity]] = {}
        for entity in self.by_id.values():
            by_name.setdefault(normalize_name(entity.name), []).append(entity)
        found = []
        for entity in self.by_id.values():
            named = [o for a in entity.aliases
                     for o in [*by_name.get(normalize_name(a), []), self.by_id.get(a.strip())]]
            for other in {o.id: o for o in named if o is not None}.values():
                if other.id > entity.id and _names_other(other, entity):
                    found.append(GlossError(
                        f"entities {entity.id} and {other.id} list each other as aliases (a cycle)",
                        entity.path, entity.aliases_line, 1, severity="warning",
                        hint=f"if they are one entity, keep {entity.id}.md, delete {other.id}.md and "
                             f"add '{other.id}' to the aliases of {entity.id}"))
        return found


    def _lookalike_warnings(self) -> list[GlossError]:
        """Two names that look the same and are spelt with other letters ("Kаbul" with a Cyrillic "а"
        beside "Kabul"): links to one never find the other, and a reader cannot tell them apart.
        Said once, at the name made of letters from more than one script (else the later id's)."""
        by_look: dict[str, dict[str, tuple[Entity, str]]] = {}
        for entity in self.by_id.values():
            for name in entity.names():
                by_look.setdefault(lookalike_key(name), {}).setdefault(normalize_name(name), (entity, name))
        found = []
        for spellings in by_look.values():
            if len(spellings) < 2:
                continue
            named = sorted(spellings.values(), key=lambda item: (_mixes_scripts(item[1]), item[0].id))
            (entity, name), (other, other_name) = named[-1], named[-2]
            line = entity.name_line if name == entity.name else entity.aliases_line
            found.append(GlossError(
                f"the name '{name}' looks like '{other_name}' of {other.id} but is spelt with other letters "
                f"({_odd_letters(name, other_name)})", entity.path, line, 1, severity="warning",
                hint="retype the name with the letters of one alphabet; if they are one entity, merge them"))
        return found


# Letters of other alphabets that are drawn like Latin ones (from Unicode's confusables): what is left
# of a name when only its look counts.
_LOOKALIKES = str.maketrans(
    "АВЕІЈКМНОРСТУХЅҮҺԚԜӀаеіјорсухѕһԁԛԝӏΑΒΕΖΗΙΚΜΝΟΡΤΥΧαιινορυχ",
    "ABEIJKMHOPCTYXSYHQWIaeijopcyxshdqwlABEZHIKMNOPTYXaiivopux")


def lookalike_key(name: str) -> str:
    """`name` as it looks: compatibility forms folded (NFKC: "Ｋａｂｕｌ" is "Kabul"), letters drawn like
    Latin ones made Latin, then compared as names are (case and spacing ignored)."""
    return normalize_name(unicodedata.normalize("NFKC", name).translate(_LOOKALIKES))


def _script(char: str) -> str:
    return unicodedata.name(char, "?").split(" ")[0] if char.isalpha() else ""


def _mixes_scripts(name: str) -> bool:
    return len({_script(c) for c in name} - {""}) > 1


def _odd_letters(name: str, other: str) -> str:
    """The letters of `name` that `other` spells otherwise, with their alphabet: "а: CYRILLIC"."""
    odd = [c for c in dict.fromkeys(name) if c not in other and c.isalpha()]
    return ", ".join(f"{c}: {unicodedata.name(c, 'unknown').split(' ')[0].capitalize()}" for c in odd[:3]) or \
        "other characters"


def _names_other(entity: Entity, other: Entity) -> bool:
    """Whether one of `entity`'s aliases is `other`'s name or id."""
    return any(normalize_name(a) == normalize_name(other.name) or a.strip() == other.id for a in entity.aliases)


# ---------------------------------------------------------------- writing

def entity_file_text(name: str, entity_type: str, aliases: list[str], description: str,
                     extra: dict[str, Any] | None = None) -> str:
    import yaml

    data: dict[str, Any] = {"name": name, "type": entity_type, "aliases": aliases, "description": description}
    data.update(extra or {})
    front = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None, width=1000)
    return f"---\n{front}---\n"


def write_entity_stub(config: SiteConfig, name: str, entity_type: str, entity_id: str | None = None,
                      aliases: list[str] | None = None, description: str = "") -> Path:
    """Create content/entities/<id>.md; refuses to overwrite or to clash with a known name."""
    if entity_type not in config.type_ids():
        raise GlossError(f"entity type '{entity_type}' is not declared in site.yml", "site.yml",
                         hint=f"use one of: {', '.join(config.type_ids())}")
    for what, text in (("name", name), *(("alias", a) for a in aliases or []), ("description", description)):
        if not text.strip() and what != "description":
            raise GlossError(f"the {what} is empty", None, hint=f"give the entity's {what} in full")
        if found := UNPUBLISHABLE.search(text):
            raise GlossError(f"the {what} {text!r} has a control character, {char_name(found.group())}: no page or "
                             "feed can hold it", None, hint="type it again without it")
    entity_id = entity_id or slugify(name)
    if not entity_id:
        raise GlossError(f"cannot make an id from the name {name!r}: it has no Latin letters or digits", None,
                         hint="give one with --id, e.g. --id zabihullah-mujahid")
    if not is_slug(entity_id):
        raise GlossError(f"'{entity_id}' is not a valid entity id", None,
                         hint="use lowercase letters, digits and hyphens, e.g. --id zabihullah-mujahid")
    path = config.content_dir / "entities" / f"{entity_id}.md"
    if path.exists():
        raise GlossError(f"entity '{entity_id}' already exists", display_path(path, config.root), 1, 1,
                         hint="edit that file, or choose another --id")
    registry = EntityRegistry(load_entities(config, Problems()))
    for candidate in [name, *(aliases or [])]:
        taken = registry.candidates(candidate)
        if taken:
            raise GlossError(f"the name '{candidate}' already belongs to {', '.join(taken)}",
                             display_path(registry.by_id[taken[0]].path, config.root), 1, 1,
                             hint="add it as an alias there instead, or choose another name")
    write_changes(config, {path: entity_file_text(name, entity_type, aliases or [], description)}, [],
                  f"new-entity {entity_id}")
    return display_path(path, config.root)
