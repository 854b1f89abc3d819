"""Names an editor ruled out as entities: `content/rejected.yml`, part of the site's content.

`build.py not-entity NAME` adds a name; ingest never links a rejected name again, and `check`
warns where an article still links one. The file is a YAML list, so a person can read and edit it
(delete a line to let ingest link that name again).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .config import SiteConfig
from .content import display_path, normalize_name, read_text
from .errors import GlossError

REJECTED_FILE = "rejected.yml"
HEADER = ("# Names that are not entities. Ingest never links them again, and `python build.py check`\n"
          "# warns where an article still links one. `python build.py not-entity NAME` adds a name;\n"
          "# delete its line to let ingest link it again.\n")
HINT = "write it as a YAML list of names, one '- Name' line each"


@dataclass
class Rejected:
    """The rejected names, compared as names are (case and spacing never matter)."""

    names: dict[str, tuple[str, int]] = field(default_factory=dict)  # normalised -> (as written, file line)

    def __contains__(self, name: str) -> bool:
        return normalize_name(name) in self.names

    def __len__(self) -> int:
        return len(self.names)


def rejected_path(config: SiteConfig) -> Path:
    return config.content_dir / REJECTED_FILE


def load_rejected(config: SiteConfig) -> Rejected:
    """The site's rejected names; none when the file does not exist. A file that is not a list of
    names is a GlossError at its line."""
    path = rejected_path(config)
    if not path.is_file():
        return Rejected()
    shown = display_path(path, config.root)
    node = _compose(read_text(path, shown), shown)
    found = Rejected()
    if node is None:
        return found
    if not isinstance(node, yaml.SequenceNode):
        raise GlossError("the rejected names must be a list", shown, node.start_mark.line + 1, 1, hint=HINT)
    for item in node.value:
        if not isinstance(item, yaml.ScalarNode) or not item.value.strip():
            raise GlossError("each rejected name must be text", shown, item.start_mark.line + 1,
                             item.start_mark.column + 1, hint=HINT)
        found.names.setdefault(normalize_name(item.value), (item.value, item.start_mark.line + 1))
    return found


def _compose(text: str, shown: Path) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise GlossError(f"rejected names are not valid YAML: {exc.problem or exc.context}", shown,
                         mark.line + 1 if mark else None, mark.column + 1 if mark else None, hint=HINT) from None
    except yaml.YAMLError as exc:
        raise GlossError(f"rejected names are not valid YAML: {exc}", shown, None, None, hint=HINT) from None


def text_with(config: SiteConfig, names: list[str]) -> str:
    """The file's text with `names` added at its end (the lines before are kept as they are)."""
    path = rejected_path(config)
    current = read_text(path, display_path(path, config.root)) if path.is_file() else HEADER
    node = _compose(current, display_path(path, config.root))
    lines = "".join(yaml.safe_dump([n], allow_unicode=True, width=10**6) for n in names)
    if node is not None and node.flow_style:  # "[a, b]": rewritten as one name a line
        kept = [n.value for n in node.value]
        return HEADER + "".join(yaml.safe_dump([n], allow_unicode=True, width=10**6) for n in kept) + lines
    newline = "\r\n" if "\r\n" in current else "\n"
    if current and not current.endswith(("\n", "\r")):
        current += newline
    return current + lines.replace("\n", newline)


def rejected_mentions(config: SiteConfig, documents: dict, articles: list) -> list[GlossError]:
    """A warning at each article mention that shows a rejected name (`check`): an editor ruled it out
    as an entity, so the link is likely left over or made by hand by mistake. `documents` maps an
    article's slug to its parsed body (gloss/graph.py SiteGraph.documents)."""
    rejected = load_rejected(config)
    if not rejected:
        return []
    shown = display_path(rejected_path(config), config.root).as_posix()
    found = []
    for article in articles:
        doc = documents.get(article.slug)
        for mention in doc.mentions if doc is not None else []:
            if mention.text in rejected:
                line = rejected.names[normalize_name(mention.text)][1]
                found.append(GlossError(
                    f"'{mention.text}' is a rejected name ({shown}, line {line}), but it is linked here",
                    article.path, mention.line, mention.col, severity="warning",
                    hint=f"write it as plain text (python build.py not-entity \"{mention.text}\" unlinks it "
                         f"everywhere), or delete it from {shown} if it is an entity after all"))
    return found
