"""Override files merged into a module's other files, as Terraform merges them.

``override.tf``, ``override.tf.json`` and files ending ``_override.tf`` / ``_override.tf.json``
(and OpenTofu's ``.tofu`` and ``.tofu.json`` ones, in an OpenTofu root) are set aside while a folder loads, then applied one by one in lexicographical order of their
names, each block in file order. A top-level block merges into the block of the other files with
the same header (type and labels; a provider's alias counts). Within it an argument replaces the
argument of the same name, and the nested blocks of one type replace every nested block of that
type (a ``dynamic "x"`` block counts as type ``x``), except a resource's ``lifecycle``, merged
argument by argument. ``locals`` merge value by value, whichever ``locals`` block holds the
value; a ``terraform`` block merges its settings, ``required_providers`` entry by entry.

A block with nothing to merge into, and a block type Terraform does not let an override file
hold, are errors naming the override file and line, as Terraform refuses them. Override files
keep their comments and lines (suppressions and reports read them); their blocks live on only
inside the merged blocks, whose replaced arguments keep the override file's spans.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..errors import LoadError
from ..model import Attribute, Block, Body, ParsedFile, literal_text

#: Top-level blocks merged by header; the others (moved, import, removed, check...) cannot be overridden.
_MERGED = ("resource", "data", "module", "provider", "variable", "output", "locals", "terraform")


def is_override_file(name: str) -> bool:
    """Is a file name (no folder) one of Terraform's (or OpenTofu's) override files?"""
    for ext in (".tf.json", ".tofu.json", ".tf", ".tofu"):
        if name.endswith(ext):
            stem = name[: -len(ext)]
            return stem == "override" or stem.endswith("_override")
    return False


def apply_overrides(files: list[ParsedFile]) -> tuple[list[ParsedFile], list[LoadError]]:
    """The module's files with every override file merged into the others (in the same order).

    A block or local value the other files define twice is an error, as in Terraform; the
    first definition is kept (in file-name order) and the second is not read.
    """
    names = {id(f): f.path.rsplit("/", 1)[-1] for f in files}
    overrides = sorted((f for f in files if is_override_file(names[id(f)])), key=lambda f: names[id(f)])
    primary = [f for f in files if not is_override_file(names[id(f)])]
    blocks, errors = _without_duplicates(primary)
    if not overrides and not errors:
        return files, []
    for ov in overrides:
        for block in ov.blocks:
            if block.type not in _MERGED:
                errors.append(
                    LoadError(ov.path, block.span.line, f"a {block.type} block cannot be overridden")
                )
                continue
            if block.type == "locals":
                errors.extend(_merge_locals(block, ov.path, primary, blocks))
                continue
            found = _find(block, primary, blocks)
            if found is None and block.type == "terraform" and primary:
                blocks[id(primary[0])].append(block)  # settings with no terraform block to merge into
                continue
            if found is None:
                message = f"{_address(block)}: no block of that name in the other files to override"
                errors.append(LoadError(ov.path, block.span.line, message))
                continue
            owner, i = found
            blocks[owner][i] = _merged(blocks[owner][i], block)
    out = []
    for f in files:
        if id(f) in blocks:
            out.append(dataclasses.replace(f, blocks=tuple(blocks[id(f)])))
        else:  # an override file: its blocks are merged; its comments and lines stay
            out.append(dataclasses.replace(f, blocks=()))
    return out, errors


def _without_duplicates(primary: list[ParsedFile]) -> tuple[dict, list[LoadError]]:
    """Each primary file's blocks, with second definitions of a block or local value left out."""
    errors: list[LoadError] = []
    seen: dict[tuple, str] = {}
    blocks: dict[int, list[Block]] = {}
    for f in primary:
        kept = []
        for b in f.blocks:
            if b.type == "locals":
                attrs = {}
                for name, attr in b.body.attributes.items():
                    first = seen.setdefault(("local", name), f"{f.path}:{attr.span.line}")
                    if first != f"{f.path}:{attr.span.line}":
                        errors.append(_duplicate(f.path, attr.span.line, f"local.{name}", first))
                    else:
                        attrs[name] = attr
                if len(attrs) != len(b.body.attributes):
                    b = dataclasses.replace(b, body=dataclasses.replace(b.body, attributes=attrs))
            elif b.type in _MERGED and b.type != "terraform":
                first = seen.setdefault(_header(b), f"{f.path}:{b.span.line}")
                if first != f"{f.path}:{b.span.line}":
                    errors.append(_duplicate(f.path, b.span.line, _address(b), first))
                    continue
            kept.append(b)
        blocks[id(f)] = kept
    return blocks, errors


def _duplicate(path: str, line: int, what: str, first: str) -> LoadError:
    return LoadError(path, line, f"duplicate {what}: first defined at {first}; not read again")


def _address(block: Block) -> str:
    labels = [str(label) for label in block.labels]
    prefix = {"resource": "", "data": "data.", "module": "module.", "variable": "var."}.get(block.type)
    if prefix is not None:
        return prefix + ".".join(labels)
    return " ".join([block.type, *labels])


def _header(block: Block) -> tuple:
    if block.type == "provider":
        alias = block.body.attributes.get("alias")
        return (block.type, *block.labels, literal_text(alias.expr) if alias is not None else None)
    return (block.type, *block.labels)


def _find(block: Block, primary: list[ParsedFile], blocks: dict) -> tuple[int, int] | None:
    key = _header(block)
    for f in primary:
        for i, b in enumerate(blocks[id(f)]):
            if b.type == block.type and _header(b) == key:
                return id(f), i
    return None


def _merge_locals(block: Block, path: str, primary: list[ParsedFile], blocks: dict) -> list[LoadError]:
    errors = []
    for name, attr in block.body.attributes.items():
        for f in primary:
            held = [
                (i, b)
                for i, b in enumerate(blocks[id(f)])
                if b.type == "locals" and name in b.body.attributes
            ]
            if held:
                i, b = held[0]
                attrs = dict(b.body.attributes)
                attrs[name] = attr
                blocks[id(f)][i] = dataclasses.replace(b, body=dataclasses.replace(b.body, attributes=attrs))
                break
        else:
            errors.append(
                LoadError(
                    path,
                    attr.span.line,
                    f"local.{name}: no local value of that name in the other files to override",
                )
            )
    return errors


def _nested_type(b: Block) -> str:
    return str(b.labels[0]) if b.type == "dynamic" and b.labels else b.type


def _merged(base: Block, over: Block) -> Block:
    if base.type == "terraform":
        return dataclasses.replace(base, body=_merged_terraform(base.body, over.body))
    attrs = dict(base.body.attributes)
    attrs.update(over.body.attributes)
    replaced = {_nested_type(b) for b in over.body.blocks}
    nested = [b for b in base.body.blocks if _nested_type(b) not in replaced]
    for b in over.body.blocks:
        if base.type in ("resource", "data") and b.type == "lifecycle":
            old = next((x for x in base.body.blocks if x.type == "lifecycle"), None)
            if old is not None:
                b = dataclasses.replace(old, body=_by_argument(old.body, b.body))
        nested.append(b)
    return dataclasses.replace(base, body=Body(attrs, tuple(nested)))


def _by_argument(base: Body, over: Body) -> Body:
    attrs: dict[str, Attribute] = dict(base.attributes)
    attrs.update(over.attributes)
    return Body(attrs, base.blocks)


def _merged_terraform(base: Body, over: Body) -> Body:
    """Settings one by one: ``required_providers`` entry by entry, a backend or cloud block replaces both."""
    attrs = dict(base.attributes)
    attrs.update(over.attributes)
    nested: list[Any] = list(base.blocks)
    for b in over.blocks:
        if b.type == "required_providers":
            old = next((x for x in nested if x.type == "required_providers"), None)
            if old is not None:
                nested[nested.index(old)] = dataclasses.replace(old, body=_by_argument(old.body, b.body))
                continue
        elif b.type in ("backend", "cloud"):
            nested = [x for x in nested if x.type not in ("backend", "cloud")]
        else:
            nested = [x for x in nested if x.type != b.type]
        nested.append(b)
    return Body(attrs, tuple(nested))
