"""A policy statement where it is written, in either spelling: a JSON-shaped object
(``jsonencode({...})``, a heredoc, a file) or a ``statement`` block of an
``aws_iam_policy_document``. Fixers ask for an element (Resource, Action) and its
conditions, and change them, without caring which spelling the author chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..iam.policy import Policy, Statement
from .render import HCL, ListV, ObjV, Raw, Ref, render
from .scope import Doc
from .source import Change, FixUnavailable
from .syntax import (
    OBJECT,
    STRING,
    TUPLE,
    BodyView,
    Item,
    Node,
    elems,
    get,
    insert_member,
    items,
    remove_element,
    remove_member,
    rename_key,
    replace,
    string_value,
)

# the JSON element name -> the policy document argument
_ARGS = {
    "Resource": "resources",
    "NotResource": "not_resources",
    "Action": "actions",
    "NotAction": "not_actions",
    "Effect": "effect",
    "Sid": "sid",
}


@dataclass
class CondEntry:
    """One ``operator { key = values }`` condition where it is written."""

    operator: str
    key: str
    values: Node | None  # the values as written (a string, a list, a reference)
    # object spelling: the operator's member in Condition, and the key's member in the operator
    op_item: Item | None = None
    key_item: Item | None = None
    op_node: Node | None = None  # the operator's map
    # block spelling: the condition block
    block: BodyView | None = None


class Stmt:
    """One statement as written (``node``: an object; ``block``: a policy document's statement)."""

    def __init__(self, doc: Doc, node: Node | None = None, block: BodyView | None = None):
        self.doc = doc
        self.node = node
        self.block = block

    @property
    def is_block(self) -> bool:
        return self.block is not None

    def element(self, name: str) -> Node | None:
        """The value of an element (``Resource``), as written."""
        if self.block is not None:
            return self.block.attr(_ARGS.get(name, name))
        assert self.node is not None
        it = get(self.node, name)
        return it.value if it is not None else None

    def text_of(self, name: str) -> str | None:
        n = self.element(name)
        return string_value(n) if n is not None else None

    def remove(self) -> list[Change]:
        """Remove the whole statement (the document keeps its others)."""
        if len([w for w in self.doc.statements() if w is not None]) < 2:
            raise FixUnavailable("the statement is the document's only one")
        if self.block is not None:
            return _remove_block(self.block)
        assert self.doc.node is not None and self.node is not None
        it = get(self.doc.node, "Statement")
        if it is None or it.value.kind != TUPLE:
            raise FixUnavailable("the statements are not written as a list")
        index = next((i for i, e in enumerate(elems(it.value)) if e.start == self.node.start), None)
        if index is None:
            raise FixUnavailable("the statement is not in the list")
        return remove_element(it.value, index)

    # ------------------------------------------------------------------ conditions
    def conditions(self) -> list[CondEntry]:
        out: list[CondEntry] = []
        if self.block is not None:
            for cb in self.block.blocks("condition"):
                test, var = cb.attr("test"), cb.attr("variable")
                t = string_value(test) if test is not None else None
                v = string_value(var) if var is not None else None
                if t is None or v is None:
                    raise FixUnavailable("a condition block whose test or variable is not a literal")
                out.append(CondEntry(t, v, cb.attr("values"), block=cb))
            return out
        assert self.node is not None
        cond = get(self.node, "Condition")
        if cond is None:
            return out
        if cond.value.kind != OBJECT:
            raise FixUnavailable("the Condition element is not written as an object")
        for op in items(cond.value):
            if op.key is None or op.value.kind != OBJECT:
                raise FixUnavailable("a condition operator is not written as an object")
            for k in items(op.value):
                if k.key is None:
                    raise FixUnavailable("a condition key is an expression")
                out.append(CondEntry(op.key, k.key, k.value, op, k, op.value))
        return out

    def condition_node(self) -> Node | None:
        if self.node is None:
            return None
        it = get(self.node, "Condition")
        return it.value if it is not None else None

    def remove_condition(self, c: CondEntry) -> list[Change]:
        if c.block is not None:
            return _remove_block(c.block)
        assert c.op_node is not None and c.op_item is not None and c.key_item is not None
        cond = self.condition_node()
        assert cond is not None
        if len(items(c.op_node)) == 1:
            if len(items(cond)) == 1:  # the only condition: the whole Condition element goes
                assert self.node is not None
                whole = get(self.node, "Condition")
                assert whole is not None
                return remove_member(self.node, whole)
            return remove_member(cond, c.op_item)
        return remove_member(c.op_node, c.key_item)

    def rename_operator(self, c: CondEntry, new_op: str) -> list[Change]:
        """``c``'s operator becomes ``new_op`` for ``c``'s key only (other keys keep theirs)."""
        if c.block is not None:
            test = c.block.attr("test")
            assert test is not None
            return replace(test, new_op)
        assert c.op_node is not None and c.op_item is not None
        cond = self.condition_node()
        assert cond is not None
        target = next((o for o in items(cond) if o.key == new_op), None)
        if len(items(c.op_node)) == 1 and target is None:
            return rename_key(cond, c.op_item, new_op)
        moved = self._value_of(c)
        return [*self.remove_condition(c), *self._add_to(cond, target, new_op, c.key, moved)]

    def _value_of(self, c: CondEntry) -> Any:
        assert c.values is not None
        return Raw(c.values.text, c.values.lang)

    def _add_to(self, cond: Node, target: Item | None, op: str, key: str, value: Any) -> list[Change]:
        if target is not None:
            if target.value.kind != OBJECT:
                raise FixUnavailable(f"the {op} condition is not written as an object")
            if get(target.value, key, ignore_case=True) is not None:
                raise FixUnavailable(f"{op} already has a condition on {key}")
            return insert_member(target.value, key, value)
        return insert_member(cond, op, ObjV(((key, value),)))

    def add_condition(self, op: str, key: str, value: Any) -> list[Change]:
        """Add ``op { key = value }`` (``value`` one value: a block's ``values`` gets a list of it)."""
        if self.block is not None:
            values = render(ListV((value,)), HCL) if self.block.lang == HCL else None
            text = f'condition {{\ntest = "{op}"\nvariable = "{key}"\nvalues = {values}\n}}'
            member = ("condition", ObjV((("test", op), ("variable", key), ("values", ListV((value,))))))
            return self.block.insert(text, member)
        assert self.node is not None
        cond = self.condition_node()
        if cond is None:
            return insert_member(self.node, "Condition", ObjV(((op, ObjV(((key, value),))),)))
        if cond.kind != OBJECT:
            raise FixUnavailable("the Condition element is not written as an object")
        target = next((o for o in items(cond) if o.key == op), None)
        return self._add_to(cond, target, op, key, value)


def _remove_block(block: BodyView) -> list[Change]:
    src = block.src
    if src is None or block.lang != HCL:
        raise FixUnavailable("the block is not in a file that can be edited")
    start, end = block.range()
    line_start = src.line_start(start)
    stop = src.text.find("\n", end)
    stop = len(src.text) if stop < 0 else stop
    if src.text[line_start:start].strip() == "" and src.text[end:stop].strip() == "":
        return [Change(src, line_start, min(stop + 1, len(src.text)), "")]
    return [Change(src, start, end, "")]


def statement_syntax(doc: Doc, policy: Policy, st: Statement, tree: Any = None) -> Stmt:
    """The written statement that is ``st`` of ``policy`` (FixUnavailable when it cannot be told)."""
    written = doc.statements()
    if doc.kind == "pdoc":
        assert doc.body is not None
        merged = any(doc.body.attr(a) is not None for a in _MERGED) or doc.body.blocks("dynamic")
        if merged:
            return _by_sid(doc, st, tree, 0)
    if len(written) != len(policy.statements) or st.index >= len(written) or written[st.index] is None:
        raise FixUnavailable("the statements are not written one by one")
    w = written[st.index]
    out = Stmt(doc, block=w) if doc.kind == "pdoc" else Stmt(doc, node=w)
    sid = out.text_of("Sid")
    if isinstance(st.sid, str) and sid is not None and sid != st.sid:
        raise FixUnavailable("the written statements do not match the policy")
    return out


_MERGED = ("source_policy_documents", "override_policy_documents", "source_json", "override_json")


def _by_sid(doc: Doc, st: Statement, tree: Any, depth: int) -> Stmt:
    """The one statement written with ``st``'s Sid in a document or the documents it merges."""
    if not isinstance(st.sid, str) or not st.sid:
        raise FixUnavailable("statements merged from other documents: only a statement with a Sid is found")
    hits = _sid_hits(doc, st.sid, tree, depth)
    if len(hits) != 1:
        raise FixUnavailable(f"no one statement {st.sid} is written")
    return hits[0]


def _sid_hits(doc: Doc, sid: str, tree: Any, depth: int) -> list[Stmt]:
    if depth > 5:
        return []
    hits = []
    for w in doc.statements():
        if w is None:
            continue
        s = Stmt(doc, block=w) if doc.kind == "pdoc" else Stmt(doc, node=w)
        if s.text_of("Sid") == sid:
            hits.append(s)
    if doc.kind == "pdoc" and tree is not None:
        assert doc.body is not None
        for arg in _MERGED:
            n = doc.body.attr(arg)
            for e in list_items(n) if n is not None else []:
                inner = tree.document(e, doc.hops)
                if inner is not None:
                    hits.extend(_sid_hits(inner, sid, tree, depth + 1))
    return hits


def list_items(n: Node | None) -> list[Node]:
    """A value written as a list, or the one value written alone."""
    if n is None:
        return []
    return elems(n) if n.kind == TUPLE else [n]


__all__ = ["STRING", "CondEntry", "Ref", "Stmt", "list_items", "remove_element", "statement_syntax"]
