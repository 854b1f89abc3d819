"""The guide's two reference pages, made from the code so that they cannot drift from it.

`site.yml`'s keys come from the schema in gloss/config.py (their types and defaults from
`SiteConfig` itself) with a sentence each from `KEY_HELP`; the command line comes from the argparse
parser in gloss/cli.py. `make docs` writes both into docs/reference/, and a test fails when the
files there differ from what this module makes, or when a key has no sentence here.
"""

from __future__ import annotations

import argparse
import dataclasses
from pathlib import Path

from .config import DEFAULT_TYPES, IngestOptions, SiteConfig, schema_keys

# One sentence (or two) per site.yml key: what it does, for a person writing the file.
KEY_HELP: dict[str, str] = {
    "title": "The site's name: in every page's header and title, the feed and the search page.",
    "description": "One line about the site: the home page, the feed and each page's meta description.",
    "base_url": "The site's public address, such as `https://example.org/news/`. With it, the feed, "
                "sitemap, JSON-LD, annotations, canonical links and the 404 page use absolute URLs; "
                "internal links stay relative, so the site still works from any folder. Only http(s).",
    "language": "The language of the articles (`lang` of every page, the feed's language).",
    "author": "Who publishes the site: the feed's author and the articles' default publisher.",
    "entity_types": "The kinds of entity, each `{id, label, plural}`; an id is a lowercase slug. "
                    "Mentions are styled by type, and the entities index has a section per type.",
    "output_dir": "Where the site is built. Gloss writes only into a folder that is missing, empty or "
                  "made by Gloss; it refuses the project itself, `content/`, `seeds/`, `theme/` and `/`.",
    "link_mentions": "`first`: link the first mention of an entity in each paragraph and mark later ones "
                     "more quietly; `all`: link every mention.",
    "passages_by_year_after": "An entity quoted in more articles than this gets a page of passages per year "
                              "(`entities/<id>/<year>/`); its own page shows the latest twenty.",
    "raw_html": "Allow raw HTML in articles (sanitised with nh3); otherwise it is shown as text.",
    "ingest.recognizer": "The entity recogniser ingest uses (`rules`: rules and gazetteers, no model).",
    "ingest.default_tags": "Tags given to every article ingest writes.",
    "editor_url": "How the preview's \"edit\" links open a file at a line, e.g. "
                  "`vscode://file/{path}:{line}` (`{path}` is absolute).",
}


def _default(key: str) -> str:
    if key == "entity_types":
        return ", ".join(t.id for t in DEFAULT_TYPES)
    owner, name = (IngestOptions, key.split(".", 1)[1]) if key.startswith("ingest.") else (SiteConfig, key)
    found = {f.name: f for f in dataclasses.fields(owner)}.get(name)
    if found is None:
        return ""
    if found.default is not dataclasses.MISSING:
        value = found.default
    elif found.default_factory is not dataclasses.MISSING:
        value = found.default_factory()
    else:
        return ""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[]" if not value else ", ".join(map(str, value))
    return f"`{value}`" if value != "" else "empty"


def site_yml_reference() -> str:
    """docs/reference/site-yml.md."""
    lines = ["# `site.yml` reference", "",
             "<!-- Made by `make docs` from gloss/config.py and gloss/reference.py: edit those, not this. -->", "",
             "Every key is optional. A missing `site.yml` means these defaults (with a warning); an unknown "
             "key or a value of the wrong kind is an error naming its line.", "",
             "| key | default | what it does |", "|---|---|---|"]
    for key in schema_keys():
        lines.append(f"| `{key}` | {_default(key)} | {KEY_HELP.get(key, '')} |")
    lines += ["", "An example:", "", "```yaml", "title: Gloss Reader",
              "description: News articles with their people, organizations and places annotated.",
              "base_url: https://example.org/gloss/", "entity_types:",
              "  - {id: person, label: Person, plural: People}",
              "  - {id: organization, label: Organization, plural: Organizations}",
              "  - {id: place, label: Place, plural: Places}", "link_mentions: first", "ingest:",
              "  default_tags: [news]", "```", ""]
    return "\n".join(lines)


def cli_reference(parser: argparse.ArgumentParser) -> str:
    """docs/reference/cli.md: every command with its arguments, as `--help` gives them."""
    lines = ["# Command line reference", "",
             "<!-- Made by `make docs` from the argparse parser in gloss/cli.py: edit that, not this. -->", "",
             f"`python {parser.prog} [--root DIR] COMMAND …`; `make site`, `make serve` and `make test` wrap "
             "the usual ones. Exit codes: 0 success, 1 content errors (each printed as "
             "`path:line:col: message` with a hint), 2 usage errors.", ""]
    lines += _arguments(parser)
    for name, sub in _commands(parser):
        sub.formatter_class = _fixed_width  # the terminal's width must not change the page
        lines += [f"## `{name}`", "", (sub.description or _help_of(parser, name) or "").strip(), "",
                  "```", sub.format_usage().strip().replace("usage: ", ""), "```", ""]
        lines += _arguments(sub)
    return "\n".join(lines).rstrip("\n") + "\n"


def _fixed_width(prog: str) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(prog, width=100)


def _commands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    for action in parser._actions:  # argparse keeps its subcommands here and nowhere public
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices.items())
    return []


def _help_of(parser: argparse.ArgumentParser, name: str) -> str:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.dest == name:
                    return choice.help or ""
    return ""


def _arguments(parser: argparse.ArgumentParser) -> list[str]:
    rows = []
    for action in parser._actions:
        if isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)):
            continue
        names = ", ".join(action.option_strings) or action.metavar or action.dest
        if action.option_strings and action.nargs != 0:
            names += f" {action.metavar or action.dest.upper()}"
        if action.choices and not isinstance(action, argparse._SubParsersAction):
            names += " {" + ",".join(map(str, action.choices)) + "}"
        rows.append(f"| `{names}` | {(action.help or '').replace('|', '/')} |")
    return ["| argument | meaning |", "|---|---|", *rows, ""] if rows else []


def write_references(docs: Path, parser: argparse.ArgumentParser) -> list[Path]:
    """Write both pages into `docs`/reference/; the paths written."""
    folder = docs / "reference"
    folder.mkdir(parents=True, exist_ok=True)
    pages = {folder / "site-yml.md": site_yml_reference(), folder / "cli.md": cli_reference(parser)}
    for path, text in pages.items():
        path.write_text(text, encoding="utf-8")
    return list(pages)


if __name__ == "__main__":
    from .cli import make_parser

    for written in write_references(Path(__file__).resolve().parent.parent / "docs", make_parser()):
        print(f"wrote {written}")
