"""YAML loading that keeps line numbers, so errors point into the user's file."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # the C loader is several times faster; fall back where libyaml is missing
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from .errors import GlossError
from .textfile import UNPUBLISHABLE, char_name


@dataclass
class YamlMapping:
    """A loaded YAML mapping plus the 1-based line of each top-level key."""

    data: dict[str, Any]
    key_lines: dict[str, int] = field(default_factory=dict)
    first_line: int = 1
    # (key, its line, the line where it was given first) of each key given twice in one mapping: YAML
    # keeps the last value without a word, so an edit to the first one would silently do nothing
    duplicates: list[tuple[str, int, int]] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.first_line)


def load_mapping(text: str, path: str | Path, line_offset: int = 0, what: str = "YAML") -> YamlMapping:
    """Parse `text` as a YAML mapping; `line_offset` maps fragment lines to file lines."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else line_offset + 1
        col = mark.column + 1 if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        context = exc.context_mark
        if exc.problem and exc.context and context is not None and context.line != (mark.line if mark else -1):
            # e.g. an unclosed '[' is only noticed lines later: say where it was opened
            problem += f" ({exc.context} that starts at line {context.line + 1 + line_offset}, " \
                       f"column {context.column + 1})"
        raise GlossError(
            f"{what} is not valid YAML: {problem}", path, line, col,
            hint="check indentation, colons and quotes on this line (quote text containing ': ')",
        ) from None
    except yaml.YAMLError as exc:
        raise GlossError(f"{what} is not valid YAML: {exc}", path, line_offset + 1, 1) from None
    except (ValueError, OverflowError) as exc:  # a well-formed value that is not real, e.g. 2021-02-30
        line, col = _bad_value_place(node)
        raise GlossError(f"{what} has a value that cannot be read: {exc}", path, line + line_offset, col,
                         hint="dates are written 2021-09-06 and must exist; quote the value to keep it as text",
                         ) from None
    finally:
        loader.dispose()
    if data is None:
        return YamlMapping({}, {}, line_offset + 1)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a single value ({type(data).__name__})"
        raise GlossError(
            f"{what} must be a mapping of keys to values, but it is {kind}",
            path, line_offset + 1, 1, hint="write it as 'key: value' lines",
        )
    lines = {}
    for key_node, _value in node.value:
        lines[str(key_node.value)] = key_node.start_mark.line + 1 + line_offset
    bad = [k for k in data if not isinstance(k, str)]
    if bad:
        raise GlossError(f"{what} keys must be text, not {bad[0]!r}", path, line_offset + 1, 1)
    duplicates = _check_nodes(node, text, path, line_offset, what)
    return YamlMapping(data, lines, line_offset + 1, duplicates)


def _check_nodes(root: yaml.MappingNode, text: str, path: str | Path, line_offset: int, what: str
                 ) -> list[tuple[str, int, int]]:
    """The keys given twice in a mapping (at any depth); an error at a text value holding a character
    no page can hold (written as an escape, "\\e": the file itself was checked when it was read, so
    only a text with a backslash can have one). Most front matter has neither, and is looked at fast."""
    duplicates: list[tuple[str, int, int]] = []
    escapes, anchors = "\\" in text, "&" in text
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if anchors:  # an alias is its anchor's node again (maybe inside itself): each is looked at once
            if id(node) in seen:
                continue
            seen.add(id(node))
        if type(node) is yaml.MappingNode:
            pairs = node.value
            if len({key.value for key, _ in pairs if type(key) is yaml.ScalarNode}) < len(pairs):
                duplicates += _repeated(node, line_offset)
            for key, value in pairs:
                if escapes or type(value) is not yaml.ScalarNode:
                    stack.append(value)
                if escapes or type(key) is not yaml.ScalarNode:
                    stack.append(key)
        elif type(node) is yaml.SequenceNode:
            stack.extend(n for n in node.value if escapes or type(n) is not yaml.ScalarNode)
        elif isinstance(node.value, str) and (found := UNPUBLISHABLE.search(node.value)):
            raise GlossError(f"{what} has a control character, {char_name(found.group())}, in a value: no page "
                             "or feed can hold it", path, node.start_mark.line + 1 + line_offset,
                             node.start_mark.column + 1, hint="remove its escape (such as \\e, \\a or \\x1b) "
                                                              "from the quoted text")
    return sorted(duplicates, key=lambda d: d[1])


def _repeated(node: yaml.MappingNode, line_offset: int) -> list[tuple[str, int, int]]:
    seen: dict[str, int] = {}
    found = []
    for key, _ in node.value:
        if isinstance(key, yaml.ScalarNode):
            line = key.start_mark.line + 1 + line_offset
            if key.value in seen:
                found.append((key.value, line, seen[key.value]))
            else:
                seen[key.value] = line
    return found


def _bad_value_place(root: yaml.Node | None) -> tuple[int, int]:
    """(line, column) of the first date that does not exist, else of the document's start."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop(0)
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":timestamp"):
            parts = node.value[:10].split("-")
            try:
                dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except (ValueError, IndexError, OverflowError):
                return node.start_mark.line + 1, node.start_mark.column + 1
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
    return 1, 1
