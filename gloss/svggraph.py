"""Static SVG pictures of which entities appear together, made at build time (no JavaScript needed).

Two deterministic layouts, written by hand:
- `circle_graph`: every entity on a ring, grouped by type (a gap between types), the most mentioned
  first in each group; edges are curves through the inside of the ring, wider for entities that share
  more articles; labels stand radially outside the ring, so they never sit on the dense centre.
  The ring grows to keep one label line per node. Drawn `linked=False` (the entities index), it is one
  picture (role img, its strongest pairs in words as its description) rather than a link per entity.
- `ego_graph`: one entity in the centre and its most frequent companions around it.

Colours come from the page's CSS (classes `node-<type>`, `edge`), so the picture follows light and dark mode.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import NamedTuple

from .words import counted


def escape(text: str) -> str:
    """&, <, > and " as entities, as xml.sax.saxutils.escape does with the quote (importing that module
    pulls in urllib.request and ssl: a fifth of the command line's start-up time). Attributes here are
    double-quoted: a `"` in a type or a link would end one."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace('"', "&quot;")


LABEL_SPACE = 175  # room outside the ring for labels, in SVG units
LINE = 13.0  # arc length per node on the ring: one label line
MAX_LABEL = 26
# The unlinked picture (the entities index) is shown at its own size, its labels 13 px (the theme's CSS):
# room for the longest label, and a line a little taller than a label.
PICTURE_LABEL_SPACE = 215
PICTURE_LINE = 15.0


class Node(NamedTuple):  # a named tuple: an entity page makes sixty of them
    id: str
    label: str
    type: str
    weight: int  # mentions (node size)
    href: str


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    weight: int  # articles both appear in (edge width)


@functools.lru_cache(maxsize=8192)  # the same places, radii and widths come back on page after page
def _f(value: float) -> str:
    text = f"{value:.1f}"
    return "0" if text in ("-0.0", "0.0") else text.removesuffix(".0")


def _label(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL - 1].rstrip() + "…"


def _node_radius(weight: int, heaviest: int) -> float:
    return 3.0 + 5.0 * math.sqrt(weight / heaviest) if heaviest else 3.0


def _edge_width(weight: int, heaviest: int) -> float:
    return 0.6 + 3.4 * (weight / heaviest) if heaviest else 0.6


def _strongest(edges: list[Edge], keep: set[str], limit: int) -> list[Edge]:
    chosen = [e for e in edges if e.a in keep and e.b in keep and e.a != e.b]
    chosen.sort(key=lambda e: (-e.weight, e.a, e.b))
    return chosen[:limit]


def _open_svg(size: float, title: str, description: str, css_class: str, picture: bool = False) -> list[str]:
    """`picture`: one image to assistive technology, its parts not read one by one."""
    half = size / 2
    slug = css_class.replace(" ", "-")
    role = ' role="img"' if picture else ""
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" viewBox="{_f(-half)} {_f(-half)} '
            f'{_f(size)} {_f(size)}" width="{_f(size)}" height="{_f(size)}"{role} '
            f'aria-labelledby="{slug}-title {slug}-desc">',
            f'<title id="{slug}-title">{escape(title)}</title>',
            f'<desc id="{slug}-desc">{escape(description)}</desc>']


@functools.lru_cache(maxsize=8192)  # an entity is drawn on the pages of all its companions
def _node_texts(label: str, kind: str, href: str) -> tuple[str, str, str, str]:
    """A node's label as shown (cut short), its full name, type and link, escaped."""
    return escape(_label(label)), escape(label), escape(kind), escape(href)


def _node(node: Node, x: float, y: float, r: float, angle: float | None, center: bool = False,
          linked: bool = True) -> str:
    """A dot with its label (a link to the entity, if `linked`): radial (outside the ring) at `angle`, or
    below the dot for the centre."""
    shown, name, kind, href = _node_texts(node.label, node.type, node.href)
    if angle is None:
        label = (f'<text x="{_f(x)}" y="{_f(y + r + 14)}" text-anchor="middle" class="label label-center">'
                 f'{shown}</text>')
    else:
        degrees = math.degrees(angle)
        left = math.cos(angle) < -1e-9
        lx, ly = _f(x + (r + 5) * math.cos(angle)), _f(y + (r + 5) * math.sin(angle))
        rotate = degrees + 180 if left else degrees
        anchor = "end" if left else "start"
        label = (f'<text x="{lx}" y="{ly}" dy="0.35em" text-anchor="{anchor}" '
                 f'transform="rotate({_f(rotate)} {lx} {ly})" class="label">{shown}</text>')
    classes = "node node-center" if center else "node"
    opening, closing = (f'<a href="{href}" class="{classes} node-{kind}">', "</a>") if linked else \
        (f'<g class="{classes} node-{kind}">', "</g>")
    return (f'{opening}<title>{name} ({kind}, {counted(node.weight, "mention")})'
            f'</title><circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}"/>{label}{closing}')


def circle_graph(nodes: list[Node], edges: list[Edge], type_order: list[str], title: str,
                 max_edges: int = 600, linked: bool = True) -> str:
    """All `nodes` on a ring grouped by type; the `max_edges` strongest edges between them."""
    if not nodes:
        return ""
    rank = {t: i for i, t in enumerate(type_order)}
    ordered = sorted(nodes, key=lambda n: (rank.get(n.type, len(rank)), -n.weight, n.label.casefold(), n.id))
    groups = len({n.type for n in ordered})
    gap = 2 if groups > 1 else 0
    slots = len(ordered) + gap * groups
    line, label_space = (LINE, LABEL_SPACE) if linked else (PICTURE_LINE, PICTURE_LABEL_SPACE)
    radius = max(110.0, slots * line / (2 * math.pi))
    heaviest = max(n.weight for n in ordered)
    places: dict[str, tuple[float, float, float]] = {}
    slot, previous = 0, None
    for node in ordered:
        if previous is not None and node.type != previous:
            slot += gap
        previous = node.type
        angle = 2 * math.pi * slot / slots - math.pi / 2
        places[node.id] = (radius * math.cos(angle), radius * math.sin(angle), angle)
        slot += 1
    kept = _strongest(edges, set(places), max_edges)
    heaviest_edge = max((e.weight for e in kept), default=0)
    description = (f"{len(ordered)} entities on a ring, grouped by type; {len(kept)} lines join entities mentioned in "
                   "the same articles, wider for more shared articles.")
    if not linked:
        description += _strongest_in_words(kept, {n.id: n.label for n in ordered})
    out = _open_svg(2 * (radius + label_space), title, description, "cograph", picture=not linked)
    out.append('<g class="edges">')
    for edge in kept:
        (ax, ay, _), (bx, by, _) = places[edge.a][:3], places[edge.b][:3]
        cx, cy = (ax + bx) * 0.2, (ay + by) * 0.2  # pulled towards the centre: a curve inside the ring
        out.append(f'<path class="edge" d="M{_f(ax)} {_f(ay)}Q{_f(cx)} {_f(cy)} {_f(bx)} {_f(by)}" '
                   f'stroke-width="{_f(_edge_width(edge.weight, heaviest_edge))}"/>')
    out.append('</g><g class="nodes">')
    for node in ordered:
        x, y, angle = places[node.id]
        out.append(_node(node, x, y, _node_radius(node.weight, heaviest), angle, linked=linked))
    out.append("</g></svg>")
    return "\n".join(out)


def _strongest_in_words(edges: list[Edge], labels: dict[str, str], count: int = 10) -> str:
    """The picture's strongest lines as a sentence: what a reader who cannot see it would look for."""
    if not edges:
        return ""
    pairs = "; ".join(f"{labels[e.a]} and {labels[e.b]}, {counted(e.weight, 'article')}" for e in edges[:count])
    return f" The strongest: {pairs}."


@functools.lru_cache(maxsize=64)
def _ring(count: int, radius: float) -> tuple[tuple[float, float, float], ...]:
    """(x, y, angle) of `count` places evenly round a circle, the first at the top: the same for
    every entity page with as many companions."""
    angles = [2 * math.pi * i / count - math.pi / 2 for i in range(count)]
    return tuple((radius * math.cos(angle), radius * math.sin(angle), angle) for angle in angles)


def ego_graph(center: Node, neighbours: list[tuple[Node, int]], edges: list[Edge], title: str,
              limit: int = 24) -> str:
    """`center` in the middle, its `limit` strongest companions (node, shared articles) around it."""
    chosen = sorted(neighbours, key=lambda item: (-item[1], item[0].label.casefold(), item[0].id))[:limit]
    if not chosen:
        return ""
    radius = max(100.0, len(chosen) * LINE * 1.6 / (2 * math.pi))
    heaviest = max([center.weight, *(n.weight for n, _ in chosen)])
    heaviest_edge = max(w for _, w in chosen)
    places = {node.id: spot for (node, _), spot in zip(chosen, _ring(len(chosen), radius), strict=True)}
    description = (f"{center.label} in the centre, joined to the {len(chosen)} entities most often mentioned in the "
                   "same articles; wider lines for more shared articles.")
    out = _open_svg(2 * (radius + LABEL_SPACE), title, description, "cograph egograph")
    out.append('<g class="edges">')
    for edge in _strongest(edges, set(places), 200):
        (ax, ay, _), (bx, by, _) = places[edge.a], places[edge.b]
        out.append(f'<path class="edge edge-side" d="M{_f(ax)} {_f(ay)}Q{_f((ax + bx) * 0.3)} {_f((ay + by) * 0.3)} '
                   f'{_f(bx)} {_f(by)}" stroke-width="{_f(_edge_width(edge.weight, heaviest_edge) * 0.5)}"/>')
    for node, weight in chosen:
        x, y, _ = places[node.id]
        out.append(f'<line class="edge" x1="0" y1="0" x2="{_f(x)}" y2="{_f(y)}" '
                   f'stroke-width="{_f(_edge_width(weight, heaviest_edge))}"/>')
    out.append('</g><g class="nodes">')
    for node, _ in chosen:
        x, y, angle = places[node.id]
        out.append(_node(node, x, y, _node_radius(node.weight, heaviest), angle))
    out.append(_node(center, 0, 0, _node_radius(center.weight, heaviest) + 2, None, center=True))
    out.append("</g></svg>")
    return "\n".join(out)
