"""site.yml: one typed, validated schema with its defaults in one place.

`editor_url` is for `build.py serve` only: the review page's "edit" links open a file at a line
through it, `{path}` (absolute, URL-quoted) and `{line}` filled in; the default opens VS Code,
`"subl://open?url=file://{path}&line={line}"` would open Sublime Text, and `""` shows no links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import GlossError, Problems
from .output import foreign_reason
from .symlinks import check_project
from .textfile import more_than, read_limited, unpublishable_error
from .yamlfile import load_mapping

MAX_CONFIG_BYTES = 1_000_000


@dataclass(frozen=True)
class EntityType:
    id: str
    label: str
    plural: str


DEFAULT_TYPES = (
    EntityType("person", "Person", "People"),
    EntityType("organization", "Organization", "Organizations"),
    EntityType("place", "Place", "Places"),
)


@dataclass
class IngestOptions:
    recognizer: str = "rules"
    default_tags: list[str] = field(default_factory=list)


@dataclass
class SiteConfig:
    root: Path
    title: str = "Gloss"
    description: str = ""
    base_url: str | None = None
    language: str = "en"
    author: str = ""
    entity_types: tuple[EntityType, ...] = DEFAULT_TYPES
    output_dir: str = "_site"
    output_dir_line: int | None = None  # where site.yml sets it, for messages about the folder
    link_mentions: str = "first"  # "first" in each paragraph, or "all"
    # An entity quoted in more articles than this gets a page of passages per year; its own page
    # shows the latest twenty (a busy entity's passages run to megabytes).
    passages_by_year_after: int = 100
    raw_html: bool = False
    editor_url: str = "vscode://file/{path}:{line}"
    ingest: IngestOptions = field(default_factory=IngestOptions)
    path: Path | None = None

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def theme_dir(self) -> Path:
        return self.root / "theme"

    @property
    def output_path(self) -> Path:
        return (self.root / self.output_dir).resolve()

    def type_ids(self) -> list[str]:
        return [t.id for t in self.entity_types]

    def entity_type(self, type_id: str) -> EntityType | None:
        return next((t for t in self.entity_types if t.id == type_id), None)


_SCALARS = {
    "title": str, "description": str, "base_url": (str, type(None)), "language": str,
    "author": str, "output_dir": str, "link_mentions": str, "raw_html": bool, "passages_by_year_after": int,
    "editor_url": str,
}
_KNOWN = set(_SCALARS) | {"entity_types", "ingest"}
_INGEST_KEYS = ("recognizer", "default_tags")


def schema_keys() -> list[str]:
    """Every key site.yml takes, in the reference's order (nested ones as "ingest.recognizer")."""
    return [*_SCALARS, "entity_types", *(f"ingest.{key}" for key in _INGEST_KEYS)]


def load_config(root: Path, problems: Problems | None = None) -> SiteConfig:
    """Read root/site.yml; a missing file means defaults (said as a warning)."""
    root = root.resolve()
    check_project(root)  # no symbolic link at site.yml or a folder Gloss reads (gloss/symlinks.py)
    path = root / "site.yml"
    config = SiteConfig(root=root)
    if not path.exists():
        if problems is not None:
            problems.warn("no site.yml found; using defaults", Path("site.yml"),
                          hint="create site.yml with at least 'title:'")
        return config
    config.path = path
    shown = Path("site.yml")  # messages name files relative to the project, as for content/
    data, size = read_limited(path, MAX_CONFIG_BYTES, shown)
    if data is None:
        raise GlossError(f"site.yml is {more_than(size, MAX_CONFIG_BYTES)} Gloss reads for it", shown,
                         hint="site.yml holds a few settings: is this the right file?")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GlossError(f"site.yml is not UTF-8 (byte {exc.start})", shown, hint="save it as UTF-8") from None
    if (error := unpublishable_error(text, shown, "site.yml")) is not None:
        raise error
    mapping = load_mapping(text, shown, what="site.yml")
    for key, line, first in mapping.duplicates if problems is not None else ():
        problems.warn(f"key '{key}' is given twice (first on line {first}): only this last value counts", shown,
                      line, 1, hint="delete one of them")
    path = shown
    for key, value in mapping.data.items():
        line = mapping.line_of(key)
        if key not in _KNOWN:
            raise GlossError(f"unknown key '{key}' in site.yml", path, line, 1,
                             hint=f"known keys: {', '.join(sorted(_KNOWN))}")
        if key in _SCALARS:
            _check_type(key, value, _SCALARS[key], path, line)
            setattr(config, key, value)
            if key == "output_dir":
                config.output_dir_line = line
        elif key == "entity_types":
            config.entity_types = _entity_types(value, path, line)
        elif key == "ingest":
            config.ingest = _ingest_options(value, path, line)
    _validate(config, mapping.line_of, path)
    _check_base_url(config.base_url, path, mapping.line_of("base_url"))
    return config


def _check_base_url(base_url: str | None, path: Path, line: int) -> None:
    """Only a web address: it starts every absolute link in the feed, sitemap and JSON-LD (a
    `javascript:` one would make each of them run a script)."""
    if base_url is None:
        return
    parts = urlsplit(base_url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in base_url.strip()):
        raise GlossError(f"'base_url' must be an http(s) address like https://example.org/, not {base_url!r}",
                         path, line, 1, hint="write the full address the site will be served from, or leave it out")


def _check_type(key: str, value: Any, expected: Any, path: Path, line: int) -> None:
    # YAML's true/false are bools, and bool is an int: do not let them pass as text or numbers.
    if (isinstance(value, bool) and expected is not bool) or not isinstance(value, expected):
        names = expected.__name__ if isinstance(expected, type) else "text"
        raise GlossError(f"'{key}' must be {_article(names)}, not {type(value).__name__} ({value!r})",
                         path, line, 1)


def _article(name: str) -> str:
    return {"str": "text", "bool": "true or false", "text": "text", "int": "a whole number"}.get(name, name)


def _entity_types(value: Any, path: Path, line: int) -> tuple[EntityType, ...]:
    from .content import is_slug  # content imports this module
    if not isinstance(value, list) or not value:
        raise GlossError("'entity_types' must be a non-empty list of {id, label, plural}", path, line, 1)
    types = []
    for item in value:
        if isinstance(item, str):
            item = {"id": item}
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise GlossError("each entry of 'entity_types' needs an 'id' (text)", path, line, 1)
        extra = set(item) - {"id", "label", "plural"}
        if extra:
            raise GlossError(f"unknown key '{sorted(extra)[0]}' in entity_types", path, line, 1,
                             hint="an entity type has id, label and plural")
        type_id = item["id"]
        if not is_slug(type_id):  # it names CSS classes and SVG attributes: a quote would end them
            raise GlossError(f"entity type id {type_id!r} is not a slug", path, line, 1,
                             hint="ids are lowercase letters, digits and hyphens, e.g. person")
        if any(t.id == type_id for t in types):
            raise GlossError(f"entity type '{type_id}' is declared twice", path, line, 1,
                             hint="declare each type once")
        label = str(item.get("label") or type_id.capitalize())
        types.append(EntityType(type_id, label, str(item.get("plural") or label + "s")))
    return tuple(types)


def _ingest_options(value: Any, path: Path, line: int) -> IngestOptions:
    if not isinstance(value, dict):
        raise GlossError("'ingest' must be a mapping", path, line, 1)
    options = IngestOptions()
    for key, item in value.items():
        if key == "recognizer":
            _check_type("ingest.recognizer", item, str, path, line)
            options.recognizer = item
        elif key == "default_tags":
            if not isinstance(item, list) or not all(isinstance(t, str) for t in item):
                raise GlossError("'ingest.default_tags' must be a list of text", path, line, 1)
            options.default_tags = item
        else:
            raise GlossError(f"unknown key 'ingest.{key}' in site.yml", path, line, 1,
                             hint="known: recognizer, default_tags")
    return options


def _validate(config: SiteConfig, line_of, path: Path) -> None:
    if config.link_mentions not in ("first", "all"):
        raise GlossError("'link_mentions' must be 'first' or 'all'", path, line_of("link_mentions"), 1)
    if config.passages_by_year_after < 1:
        raise GlossError("'passages_by_year_after' must be a whole number of articles, 1 or more",
                         path, line_of("passages_by_year_after"), 1, hint="the default is 100")
    _check_editor_url(config.editor_url, path, line_of("editor_url"))
    out = config.output_path
    forbidden = {config.root, config.content_dir.resolve(), config.seeds_dir.resolve(),
                 config.theme_dir.resolve(), (config.root / ".gloss-cache").resolve(), Path("/")}
    if out in forbidden or out in config.root.parents or config.root.is_relative_to(out):
        raise GlossError(f"output_dir '{config.output_dir}' would overwrite your project files",
                         path, line_of("output_dir"), 1,
                         hint="use a folder of its own, such as _site")
    for protected in (config.content_dir, config.seeds_dir, config.theme_dir, config.root / ".gloss-cache"):
        if out.is_relative_to(protected.resolve()):
            raise GlossError(f"output_dir '{config.output_dir}' is inside {protected.name}/",
                             path, line_of("output_dir"), 1, hint="use a folder of its own, such as _site")


def _check_editor_url(url: str, path: Path, line: int) -> None:
    """An editor's own scheme with the file's {path}; never one that runs script in the page."""
    if not url:
        return
    scheme = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", url)
    if not scheme or "{path}" not in url or scheme.group(1).lower() in ("javascript", "data", "vbscript"):
        raise GlossError("'editor_url' must be a URL with {path} (and {line}) in it", path, line, 1,
                         hint='e.g. "vscode://file/{path}:{line}", or "" for no edit links')


def check_output_folder(config: SiteConfig) -> None:
    """Refuse to build into a folder that Gloss did not make: a build replaces the output folder
    whole, so whatever else it held would be lost (see output.foreign_reason for the rule). Checked
    before every build and before `serve` (which would publish the folder), not when site.yml is
    read: `check`, `ingest` and the review commands never write there."""
    out = config.output_path
    reason = foreign_reason(out)
    if reason is None:
        return
    named = f"output_dir '{config.output_dir}'"
    if config.output_dir_line is None:
        named = f"the output folder '{config.output_dir}' (the default output_dir)"
    if out != config.root / config.output_dir:
        named += f", that is {out},"
    raise GlossError(f"{named} is not a folder Gloss may build into: {reason}", Path("site.yml"),
                     config.output_dir_line, 1 if config.output_dir_line else None,
                     hint="a build deletes everything in its output folder: set output_dir in site.yml to a "
                          "new or empty folder, such as _site, or move this one away (if an earlier Gloss "
                          "built it, delete it and build again)")
