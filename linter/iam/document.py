"""Assemble an ``aws_iam_policy_document`` data source into the JSON-shaped policy IAM reads.

The one place that knows how the AWS provider builds the document: source documents first,
then the data source's own ``statement`` blocks (a statement whose ``sid`` is already there
replaces it), then the override documents, merged the same way. The HCL evaluator evaluates
the block's arguments and hands them here as ``DocumentBlock`` values; the assembly itself
knows no evaluator.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..evaluate import functions as fn
from ..model import Span
from ..values import LDict, LList, LStr, Template, origins_of, span_of, structured_document, unknown
from .policy import MAX_DEPTH, text_depth

# The arguments of each nested block the assembly reads; a front door evaluates only these.
STATEMENT_ARGS = ("sid", "effect", "actions", "not_actions", "resources", "not_resources")
PRINCIPAL_ARGS = ("type", "identifiers")
CONDITION_ARGS = ("test", "variable", "values")
SOURCE_ARGS = ("source_policy_documents", "source_json")
OVERRIDE_ARGS = ("override_policy_documents", "override_json")
NESTED_BLOCKS = ("principals", "not_principals", "condition")


@dataclass(frozen=True)
class Arg:
    """One evaluated argument of a block, and where it is written."""

    value: Any
    span: Span | None


@dataclass(frozen=True)
class DocumentBlock:
    """A ``statement`` (or ``principals``, ``condition``) block with its arguments evaluated.

    ``blocks`` holds the nested blocks by type, in order. A ``dynamic`` block whose
    ``for_each`` is not known is one block with ``known=False`` (its span is the dynamic block).
    """

    span: Span | None
    args: Mapping[str, Arg] = field(default_factory=dict)
    blocks: Mapping[str, Sequence[DocumentBlock]] = field(default_factory=dict)
    known: bool = True

    def value(self, name: str, default: Any = None) -> Any:
        a = self.args.get(name)
        return default if a is None else a.value


def assemble(
    sources: Sequence[Any],
    statements: Sequence[DocumentBlock],
    overrides: Sequence[Any],
    span: Span | None,
    version: Any = None,
) -> Any:
    """The policy document (an ``LDict``), or an Unknown naming what could not be read.

    ``sources`` and ``overrides`` are the evaluated values of the source and override
    arguments (structures or JSON text); ``version`` is the data source's ``version``
    argument (``2012-10-17`` when not set). In the statement blocks ``&{...}`` is written for
    an IAM policy variable (``${...}`` would be Terraform's interpolation): the provider turns it
    into ``${...}`` in the document.
    """
    unknown_parts: list[str] = []
    merged: list = []
    for d in sources:
        merged.extend(statements_of(d, unknown_parts, span))
    own = []
    for block in statements:
        if not block.known:
            unknown_parts.append("dynamic statement blocks")
            continue
        own.append(_policy_variables(statement(block)))
    merged = merge_by_sid(merged, own)
    for d in overrides:
        merged = merge_by_sid(merged, statements_of(d, unknown_parts, span))
    if unknown_parts:
        return unknown("policy document not known", "; ".join(unknown_parts), span)
    if version is None:
        version = LStr("2012-10-17", span)
    return LDict({"Version": version, "Statement": LList(merged, span)}, span)


def _policy_variables(value: Any) -> Any:
    """``&{`` read as ``${`` in every string of a statement block, as the provider writes them."""
    if isinstance(value, Template):
        if not any(isinstance(p, str) and "&{" in p for p in value.parts):
            return value
        parts = [p.replace("&{", "${") if isinstance(p, str) else p for p in value.parts]
        return Template(tuple(parts), value.span, value.origins, value.ref)
    if isinstance(value, str):
        return LStr(value.replace("&{", "${"), span_of(value), origins_of(value)) if "&{" in value else value
    if isinstance(value, LDict):
        out = LDict({k: _policy_variables(v) for k, v in value.items()}, value.span)
        out.key_spans = value.key_spans
        return out
    if isinstance(value, LList):
        return LList([_policy_variables(v) for v in value], value.span)
    if isinstance(value, dict):
        return {k: _policy_variables(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_policy_variables(v) for v in value]
    return value


def documents(value: Any) -> list:
    """The documents of a source or override argument: a list of them, one, or none."""
    if isinstance(value, list):
        return list(value)
    return [] if value is None else [value]


def statement(block: DocumentBlock) -> LDict:
    """One ``statement`` block as an IAM statement (``Sid``, ``Effect``, ``Action``...)."""
    span = block.span
    st = LDict({}, span)

    def put(key: str, name: str, listy: bool = True) -> None:
        a = block.args.get(name)
        if a is None:
            return
        v = a.value
        if listy and isinstance(v, list):
            v = LList(list(v), a.span)
        st[key] = v
        st.key_spans[key] = a.span

    put("Sid", "sid", listy=False)
    eff = block.args.get("effect")
    st["Effect"] = eff.value if eff is not None else LStr("Allow", span)
    if eff is not None:
        st.key_spans["Effect"] = eff.span
    put("Action", "actions")
    put("NotAction", "not_actions")
    put("Resource", "resources")
    put("NotResource", "not_resources")
    for block_type, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        blocks = block.blocks.get(block_type) or ()
        if blocks:
            st[key] = _principal(blocks, span)
            st.key_spans[key] = _first_span(blocks, span)
    conds = block.blocks.get("condition") or ()
    if conds:
        st["Condition"] = _condition(conds, span)
        st.key_spans["Condition"] = _first_span(conds, span)
    return st


def _first_span(blocks: Sequence[DocumentBlock], default: Span | None) -> Span | None:
    return blocks[0].span if blocks[0].span is not None else default


def _principal(blocks: Sequence[DocumentBlock], span: Span | None) -> Any:
    principal = LDict({}, _first_span(blocks, span))
    for b in blocks:
        if not b.known:
            return unknown("dynamic principals not known", span=b.span)
        tv = b.value("type")
        iv = b.value("identifiers", LList([]))
        if not isinstance(tv, str):
            return unknown("principal type not known", span=b.span)
        if tv == "*":
            return LStr("*", b.span)
        existing = principal.setdefault(str(tv), LList([], b.span))
        existing.extend(iv if isinstance(iv, list) else [iv])
        principal.key_spans[str(tv)] = b.span
    return principal


def _condition(blocks: Sequence[DocumentBlock], span: Span | None) -> Any:
    cond = LDict({}, _first_span(blocks, span))
    for b in blocks:
        if not b.known:
            return unknown("dynamic conditions not known", span=b.span)
        test, var, values = b.value("test"), b.value("variable"), b.value("values")
        if not isinstance(test, str) or not isinstance(var, str):
            cond.setdefault("?", LDict({}, b.span))[str(len(cond))] = unknown(
                "condition test or variable not known", span=b.span
            )
            continue
        op = cond.setdefault(str(test), LDict({}, b.span))
        op[str(var)] = values if not isinstance(values, list) else LList(list(values), b.span)
        op.key_spans[str(var)] = b.span
        cond.key_spans[str(test)] = b.span
    return cond


def statements_of(d: Any, unknown_parts: list, span: Span | None = None) -> list:
    """The statements of a source or override policy document (a structure or JSON text).

    What cannot be read is named in ``unknown_parts`` (the document is then not known).
    """
    d = structured_document(d)
    if isinstance(d, str):
        if text_depth(d) > MAX_DEPTH:
            unknown_parts.append(f"a source document nested deeper than {MAX_DEPTH} levels")
            return []
        try:
            d = fn.jsondecode([d], span)
        except fn.FunctionError:
            unknown_parts.append("a source document that is not JSON")
            return []
    if not isinstance(d, dict):
        unknown_parts.append("a source document not known")
        return []
    st = d.get("Statement")
    if isinstance(st, dict):
        return [st]
    if isinstance(st, list):
        return list(st)
    if st is not None:
        unknown_parts.append("statements not known")
    return []


def merge_by_sid(base: list, newer: list) -> list:
    """``newer`` statements over ``base``: one with a ``Sid`` already present replaces it."""
    out = list(base)
    for st in newer:
        sid = st.get("Sid") if isinstance(st, dict) else None
        if isinstance(sid, str) and sid:
            for i, old in enumerate(out):
                if isinstance(old, dict) and old.get("Sid") == sid:
                    out[i] = st
                    break
            else:
                out.append(st)
        else:
            out.append(st)
    return out
