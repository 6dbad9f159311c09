"""The access map of one connector as inline SVG, and the same edges as a table.

Left, the principals the trust admits; in the middle, the role; right, what it may assume,
grouped by account (the ``/sym/`` roles of each account its policies name, the current one
marked) and, drawn apart, every escape with its witness ARN. An edge's status is in its text
and its stroke (solid: decided, dashed: inconclusive, thick: an escape), never in colour alone;
each edge's node names the statement and policy that grant it and links to that place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from .layout import LINE_H, PAD, Group, Node, cut, layered
from .picture import (
    ANYONE,
    AWS,
    BEYOND,
    MAYBE,
    NO,
    NOT_DECIDED,
    NOT_KNOWN,
    NOT_NEEDED,
    NOT_PINNED,
    PINNED,
    SELF,
    SELF_CHANGE,
    SERVICE,
    SYM,
    UNKNOWN,
    YES,
    ConnectorPicture,
    Grant,
    Where,
)

Cite = Callable[[Where | None], tuple[str, str]]  # a place -> (its file:line, the href of its excerpt)

KIND_WORDS = {
    SYM: "Sym's runtime",
    SELF: "the role itself",
    AWS: "not Sym",
    SERVICE: "not Sym",
    ANYONE: "anyone",
    UNKNOWN: "not known",
}
EXTERNAL_ID_WORDS = {
    PINNED: "External ID pinned",
    NOT_PINNED: "External ID NOT pinned",
    NOT_KNOWN: "External ID not known",
    NOT_NEEDED: "no External ID needed",
}
STATUS_WORDS = {YES: "yes", MAYBE: "maybe (inconclusive)", NO: "no"}


@dataclass(frozen=True)
class Edge:
    """One edge of the map, as the table lists it and the SVG draws it."""

    source: str  # node id
    target: str
    key_from: str  # what the edge joins, for people and tests: principal:<who>, role, account:<id>, escape:<witness>
    key_to: str
    kind: str  # trust | reach | escape
    status: str  # YES | MAYBE
    grant: Grant
    note: str  # what it means, or what would decide it


def edges_of(p: ConnectorPicture) -> tuple[list[Node], list[Group], list[Edge]]:
    """The map's nodes, groups and edges (targets the role cannot reach are nodes without an edge)."""
    nodes: list[Node] = []
    edges: list[Edge] = []
    groups: list[Group] = []
    for i, a in enumerate(p.admits):
        nid = f"p{i}"
        status = "" if a.status == YES else " · maybe"
        ext = EXTERNAL_ID_WORDS.get(a.external_id, a.external_id) if a.kind != SELF else "assumes itself"
        trust = f"trust {a.grant.statement}".strip() + _at(a.grant)
        nodes.append(Node(nid, (a.who, f"{KIND_WORDS.get(a.kind, a.kind)}{status}", ext, trust), 0))
        note = "; ".join(x for x in (ext, a.external_id_detail, a.reason) if x)
        edges.append(Edge(nid, "role", f"principal:{a.who}", "role", "trust", a.status, a.grant, note))
    role = p.role
    lines = [role.name, f"path {role.path}", f"in {role.account}"]
    if role.tags is None:
        lines.append(f"tags not known ({role.tags_detail})" if role.tags_detail else "tags not known")
    else:
        lines.append("tags: " + (", ".join(k for k, _ in role.tags) or "none"))
    if role.missing_tags:
        lines.append("missing tags: " + ", ".join(role.missing_tags))
    lines.append(
        f"boundary: {role.boundary.origin}" if role.boundary is not None else "no permissions boundary"
    )
    if p.drift:
        lines.append(
            f"DRIFT: {len(p.drift)} difference{'s' if len(p.drift) != 1 else ''} from the deployed role"
        )
    nodes.append(Node("role", tuple(lines), 1))
    if p.reaches:
        groups.append(Group("safelist", "/sym/ roles, by account", 2))
    for i, t in enumerate(p.reaches):
        nid = f"t{i}"
        account = (
            f"{t.account} (current account)" if t.current and "this account" not in t.account else t.account
        )
        if t.current and t.account == "this account":
            account = "this account (current account)"
        state = {YES: t.roles, MAYBE: f"{t.roles} · maybe", NO: f"{t.roles} · NOT reachable"}[t.status]
        grant = t.grants[0] if t.grants else Grant("", "")
        more = f" (+{len(t.grants) - 1})" if len(t.grants) > 1 else ""
        shown = [account, state] + (_via_lines(grant, more) if t.grants else ["named by no policy"])
        nodes.append(Node(nid, tuple(shown), 2, "safelist"))
        if t.status != NO:
            edges.append(
                Edge("role", nid, "role", f"account:{t.account}", "reach", t.status, grant, t.reason)
            )
    if p.accounts_left_out:
        nodes.append(
            Node("more", (f"{p.accounts_left_out} more accounts", "not drawn one by one"), 2, "safelist")
        )
    if p.escapes:
        groups.append(Group("escapes", "Beyond /sym/ or the safelist", 2))
    for i, e in enumerate(p.escapes):
        nid = f"e{i}"
        head = {
            BEYOND: "ESCAPE",
            SELF_CHANGE: "ESCAPE: changes its own permissions",
            NOT_DECIDED: "NOT DECIDED",
        }[e.kind]
        if e.status == MAYBE and e.kind == BEYOND:
            head = "MAYBE AN ESCAPE"
        shown = [head]
        if e.witness:
            shown.append(e.witness)
        if e.value:
            shown.append(f"via {e.value}")
        shown += _via_lines(e.grant) if e.grant.policy else [e.reason]
        nodes.append(Node(nid, tuple(shown), 2, "escapes"))
        key = e.witness or e.value or e.reason
        edges.append(Edge("role", nid, "role", f"escape:{key}", "escape", e.status, e.grant, e.reason))
    return nodes, groups, edges


def _via(g: Grant) -> str:
    return f"{g} · {g.where}" if g.where is not None else str(g)


def _at(g: Grant) -> str:
    """`` · main.tf:43``: the file's name and line (the table and the node's title give the path)."""
    if g.where is None:
        return ""
    path, line, _ = g.where.user
    return f" · {path.rsplit('/', 1)[-1]}:{line}" if line else f" · {path.rsplit('/', 1)[-1]}"


def _via_lines(g: Grant, more: str = "") -> list[str]:
    """A node's lines naming the policy, then its statement and place."""
    tail = (g.statement + _at(g)).strip(" ·") + more
    return [g.policy, tail] if tail else [g.policy]


def svg(p: ConnectorPicture, ident: str, cite: Cite) -> str:
    """The map as an ``<svg role="img">`` with a title and a description of every edge."""
    nodes, groups, edges = edges_of(p)
    lay = layered(nodes, [(e.source, e.target) for e in edges], groups)
    out = [
        f'<svg class="map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {lay.width:.0f} {lay.height:.0f}" '
        f'width="{lay.width:.0f}" height="{lay.height:.0f}" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">Access map of {escape(p.address)}</title>',
        f'<desc id="{ident}-desc">{escape(describe_map(p, edges))}</desc>',
    ]
    for g in groups:
        b = lay.groups[g.id]
        out.append(
            f'<g class="group {g.id}"><rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="6"/>'
            f'<text x="{b.x + 8:.1f}" y="{b.y + 15:.1f}">{escape(g.title)}</text></g>'
        )
    for e in edges:
        d = lay.edges[(e.source, e.target)]
        label = (
            f"{e.key_from} → {e.key_to}: {STATUS_WORDS.get(e.status, e.status)}; granted by {_via(e.grant)}"
        )
        out.append(
            f'<g class="edge {e.kind} {e.status}" data-kind="{e.kind}" data-status="{e.status}" '
            f'data-from="{escape(e.key_from)}" data-to="{escape(e.key_to)}"><title>{escape(label)}</title>'
            f'<path d="{d}" marker-end="url(#{ident}-arrow)"/></g>'
        )
    for n in nodes:
        b = lay.nodes[n.id]
        classes = _node_classes(n.id, p)
        out.append(
            f'<g class="node {classes}" data-node="{n.id}"><title>{escape(" — ".join(n.lines))}</title>'
        )
        out.append(f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="4"/>')
        link = _node_link(n.id, p, cite)
        for i, line in enumerate(n.lines):
            y = b.y + PAD + LINE_H * (i + 1) - 4
            cls = ' class="head"' if i == 0 else ""
            tspan = f'<text x="{b.x + PAD:.1f}" y="{y:.1f}"{cls}>{escape(cut(line))}</text>'
            if link and i == len(n.lines) - 1:
                tspan = f'<a href="{escape(link)}" tabindex="-1">{tspan}</a>'
            out.append(tspan)
        out.append("</g>")
    out.insert(
        3,
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" '
        'markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    )
    out.append("</svg>")
    return "".join(out)


def _node_classes(nid: str, p: ConnectorPicture) -> str:
    if nid == "role":
        return "role" + (" drift" if p.drift else "")
    index = int(nid[1:]) if nid[1:].isdigit() else -1
    if nid.startswith("p"):
        a = p.admits[index]
        return f"principal {a.kind} {a.status}" + (" unpinned" if a.external_id == NOT_PINNED else "")
    if nid.startswith("t"):
        t = p.reaches[index]
        return f"target {t.status}" + (" current" if t.current else "")
    if nid.startswith("e"):
        e = p.escapes[index]
        return f"escape {e.status} {e.kind.replace(' ', '-')}"
    return "more"


def _node_link(nid: str, p: ConnectorPicture, cite: Cite) -> str:
    index = int(nid[1:]) if nid[1:].isdigit() else -1
    where = None
    if nid.startswith("p"):
        where = p.admits[index].grant.where
    elif nid.startswith("t") and p.reaches[index].grants:
        where = p.reaches[index].grants[0].where
    elif nid.startswith("e"):
        where = p.escapes[index].grant.where
    return cite(where)[1] if where is not None else ""


def _end(key: str, p: ConnectorPicture) -> str:
    """An edge's end in words: ``the role SymRuntimeConnectorProd``, ``/sym/ roles in 111122223333``."""
    kind, _, rest = key.partition(":")
    if kind == "role":
        return f"the role {p.role.name}"
    if kind == "account":
        return f"/sym/ roles in {rest}"
    if kind == "escape":
        return f"beyond /sym/: {rest}"
    return rest


def describe_map(p: ConnectorPicture, edges: list[Edge]) -> str:
    """The map in sentences, for a screen reader (the table below it lists every edge)."""
    trust = [e for e in edges if e.kind == "trust"]
    reach = [e for e in edges if e.kind == "reach"]
    esc = [e for e in edges if e.kind == "escape"]
    parts = [f"{len(trust)} principal{'s' if len(trust) != 1 else ''} may assume the role {p.role.name}"]
    parts += [f"{e.key_from.split(':', 1)[1]} ({STATUS_WORDS.get(e.status)}; {e.note})" for e in trust]
    if reach:
        parts.append(
            "it may assume /sym/ roles in "
            + ", ".join(f"{e.key_to.split(':', 1)[1]} ({STATUS_WORDS.get(e.status)})" for e in reach)
        )
    missed = [t.account for t in p.reaches if t.status == NO]
    if missed:
        parts.append("it cannot reach the /sym/ roles of " + ", ".join(missed))
    if esc:
        parts.append(
            f"{len(esc)} way{'s' if len(esc) != 1 else ''} beyond them: "
            + "; ".join(f"{e.key_to.split(':', 1)[1]} ({STATUS_WORDS.get(e.status)})" for e in esc)
        )
    else:
        parts.append("no escape beyond /sym/ roles of the safelisted accounts")
    return ". ".join(parts) + "."


def table(p: ConnectorPicture, ident: str, cite: Cite) -> str:
    """Every edge of the map as a table row: from, to, status, what grants it (linked), what it means."""
    _, _, edges = edges_of(p)
    rows = [
        f'<table class="edges" id="{ident}-edges"><caption>Edges of the access map</caption>',
        '<thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Status</th>'
        '<th scope="col">Granted by</th><th scope="col">What it means</th></tr></thead><tbody>',
    ]
    for e in edges:
        label, href = cite(e.grant.where)
        grant = escape(str(e.grant)) if e.grant.policy else ""
        if href:
            grant += f' at <a href="{escape(href)}">{escape(label)}</a>'
        rows.append(
            f'<tr class="{e.kind} {e.status}" data-kind="{e.kind}" data-status="{e.status}" '
            f'data-from="{escape(e.key_from)}" data-to="{escape(e.key_to)}">'
            f"<td>{escape(_end(e.key_from, p))}</td><td>{escape(_end(e.key_to, p))}</td>"
            f"<td>{escape(STATUS_WORDS.get(e.status, e.status))}</td><td>{grant}</td><td>{escape(e.note)}</td></tr>"
        )
    for t in p.reaches:
        if t.status == NO:
            rows.append(
                f'<tr class="reach no" data-kind="reach" data-status="no" data-from="role" '
                f'data-to="account:{escape(t.account)}"><td>{escape(_end("role", p))}</td>'
                f"<td>{escape(_end('account:' + t.account, p))}</td><td>no (not reachable)</td><td></td>"
                f"<td>{escape(t.reason)}</td></tr>"
            )
    rows.append("</tbody></table>")
    return "".join(rows)
