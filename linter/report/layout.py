"""A small layered layout: nodes in columns, boxed groups, edges as curves between neighbouring columns.

The access map is a graph of three layers (who may become the role, the role, what it may
become), so a Sugiyama-style layout reduces to a few steps done well: size each node from its
lines of text, order each layer by the mean position of its neighbours in the layer before (one
sweep each way, groups kept together), stack the layers' nodes with gaps, centre the layers on
one another, and draw each edge as a cubic curve from the right side of its source to the left
side of its target. Text widths are estimated from a monospace advance, so no font metrics are
needed and the result is the same on every machine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

CHAR_W = 7.2  # advance of a 12px monospace character
LINE_H = 16.0
PAD = 8.0
GAP_X = 64.0
GAP_Y = 14.0
GROUP_HEAD = 22.0
GROUP_PAD = 8.0
MAX_CHARS = 58  # longer lines are cut (the full text is in the node's <title>)
MARGIN = 12.0


@dataclass(frozen=True)
class Node:
    id: str
    lines: tuple[str, ...]
    layer: int
    group: str = ""  # the id of the group it belongs to, in its layer


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    layer: int


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


@dataclass
class Layout:
    width: float
    height: float
    nodes: dict[str, Box] = field(default_factory=dict)
    groups: dict[str, Box] = field(default_factory=dict)
    edges: dict[tuple[str, str], str] = field(default_factory=dict)  # (from, to) -> SVG path data
    order: dict[int, list[str]] = field(default_factory=dict)  # layer -> node ids, top to bottom


def cut(line: str, limit: int = MAX_CHARS) -> str:
    """A line as a node shows it: at most ``limit`` characters, an ellipsis where cut."""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def node_size(node: Node) -> tuple[float, float]:
    longest = max((len(cut(line)) for line in node.lines), default=0)
    return longest * CHAR_W + 2 * PAD, max(1, len(node.lines)) * LINE_H + 2 * PAD


def layered(nodes: Sequence[Node], edges: Sequence[tuple[str, str]], groups: Sequence[Group] = ()) -> Layout:
    """Positions for ``nodes`` (and their ``groups``) and paths for ``edges`` between them."""
    by_id = {n.id: n for n in nodes}
    layers = sorted({n.layer for n in nodes})
    members: dict[int, list[Node]] = {k: [n for n in nodes if n.layer == k] for k in layers}
    neighbours: dict[str, list[str]] = {n.id: [] for n in nodes}
    for a, b in edges:
        if a in by_id and b in by_id:
            neighbours[a].append(b)
            neighbours[b].append(a)
    order = _order(layers, members, neighbours)
    sizes = {n.id: node_size(n) for n in nodes}
    widths = {k: max((sizes[n.id][0] for n in members[k]), default=0.0) for k in layers}
    for k in layers:
        if any(n.group for n in members[k]):
            widths[k] += 2 * GROUP_PAD
            titles = [len(g.title) * CHAR_W + 2 * GROUP_PAD for g in groups if g.layer == k]
            widths[k] = max([widths[k], *titles])
    out = Layout(0.0, 0.0)
    x = MARGIN
    heights: dict[int, float] = {}
    for k in layers:
        y = 0.0
        current_group = None
        for nid in order[k]:
            n = by_id[nid]
            if n.group != current_group:
                if current_group:
                    y += GROUP_PAD + GAP_Y
                current_group = n.group
                if n.group:
                    out.groups[n.group] = Box(x, y, widths[k], 0.0)
                    y += GROUP_HEAD
            w, h = sizes[nid]
            inset = GROUP_PAD if n.group else 0.0
            out.nodes[nid] = Box(x + inset, y, (widths[k] - 2 * inset) if n.group else w, h)
            y += h + GAP_Y
        if current_group:
            y += GROUP_PAD
        heights[k] = max(0.0, y - GAP_Y)
        x += widths[k] + GAP_X
    total = max(heights.values(), default=0.0)
    for k in layers:  # centre each layer on the tallest
        shift = MARGIN + (total - heights[k]) / 2
        for nid in order[k]:
            box = out.nodes[nid]
            out.nodes[nid] = Box(box.x, box.y + shift, box.w, box.h)
    for gid in list(out.groups):
        inside = [out.nodes[n.id] for n in nodes if n.group == gid]
        top = min(box.y for box in inside) - GROUP_HEAD
        bottom = max(box.y + box.h for box in inside) + GROUP_PAD
        g = out.groups[gid]
        out.groups[gid] = Box(g.x, top, g.w, bottom - top)
    for a, b in edges:
        if a in out.nodes and b in out.nodes:
            out.edges[(a, b)] = _curve(out.nodes[a], out.nodes[b])
    out.width = x - GAP_X + MARGIN
    out.height = total + 2 * MARGIN
    out.order = order
    return out


def _order(
    layers: list[int], members: dict[int, list[Node]], neighbours: dict[str, list[str]]
) -> dict[int, list[str]]:
    """Each layer's nodes top to bottom: by the mean position of their neighbours in the layer
    before (then, for the first layer, the one after), keeping the nodes of a group together and
    the given order among equals."""
    order = {k: [n.id for n in members[k]] for k in layers}
    group = {n.id: n.group for k in layers for n in members[k]}

    def sweep(k: int, ref: int) -> None:
        pos = {nid: i for i, nid in enumerate(order[ref])}

        def centre(nid: str) -> float:
            seen = [pos[m] for m in neighbours[nid] if m in pos]
            return sum(seen) / len(seen) if seen else float(order[k].index(nid))

        first = {nid: i for i, nid in enumerate(order[k])}
        by_group: dict[str, list[str]] = {}
        for nid in order[k]:
            by_group.setdefault(group[nid], []).append(nid)
        ranked = sorted(
            by_group.items(),
            key=lambda kv: (
                sum(centre(n) for n in kv[1]) / len(kv[1]) if kv[0] == "" else min(first[n] for n in kv[1]),
                min(first[n] for n in kv[1]),
            ),
        )
        order[k] = [nid for _, ids in ranked for nid in sorted(ids, key=lambda n: (centre(n), first[n]))]

    for i in range(1, len(layers)):
        sweep(layers[i], layers[i - 1])
    if len(layers) > 1:
        sweep(layers[0], layers[1])
    return order


def _curve(a: Box, b: Box) -> str:
    x1, y1 = a.x + a.w, a.cy
    x2, y2 = b.x, b.cy
    if x2 < x1:  # a back edge: leave and enter from the left
        x1 = a.x
    mid = (x1 + x2) / 2
    return f"M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} {x2 - 2:.1f},{y2:.1f}"
