"""Where a block checkov hands a check lives: the root module(s) it belongs to, from checkov's graph.

checkov calls a check with the block's configuration (its address, its first and last line) and
the file relative to the folder it scans (``/envs/prod/main.tf``). Its resource graph knows the
file on disk and, for a block of a module, the chain of module calls that renders it; the
outermost call is in the root module. ``locate`` reads only that from the graph: the verdicts
come from the command line's own scan of the root module folder (``roots``).

checkov renders a local module once per root module that calls it and calls the check once per
rendering, with the same block each time; ``locate`` then gives every root that renders it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Place:
    """A block of checkov's scan: the root module folders rendering it, and its file."""

    roots: tuple[str, ...]  # root module folders, absolute
    file: str  # the block's file on disk


def vertex_attributes(graph: Any) -> list[dict]:
    """The attribute dicts of a checkov graph's vertices (rustworkx, networkx or checkov's own)."""
    if not hasattr(graph, "nodes") and hasattr(graph, "vertices"):  # checkov's local graph object
        return [v.get_attribute_dict() for v in graph.vertices]
    nodes = graph.nodes
    items = nodes() if type(graph).__module__.startswith("rustworkx") else None
    if items is None:
        try:
            items = [data for _, data in nodes(data=True)]
        except TypeError:
            items = list(nodes())
    out = []
    for item in items:
        if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], dict):
            item = item[1]
        if isinstance(item, dict):
            out.append(item)
        elif hasattr(item, "get_attribute_dict"):  # pragma: no cover - other graph back ends
            out.append(item.get_attribute_dict())
    return out


def _module_field(obj: Any, name: str) -> Any:
    if isinstance(obj, str):
        try:
            obj = json.loads(obj)
        except ValueError:
            return None
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def root_file(vertex: dict) -> str:
    """The file of the root module a vertex belongs to: the outermost module call's file."""
    file = vertex.get("file_path_") or ""
    smo = vertex.get("source_module_object_")
    while smo is not None:
        file = _module_field(smo, "path") or file
        smo = _module_field(smo, "nested_tf_module")
    return str(file)


_INDEXES: list = []  # [(graph, index)]: the latest few graphs (checkov builds one per scan)


def _index(graph: Any) -> dict:
    """(block type, address) -> [(file, first line, root module folder)] of a graph, built once."""
    for g, known in _INDEXES:
        if g is graph:
            return known
    index: dict = {}
    for v in vertex_attributes(graph):
        file = v.get("file_path_")
        if not isinstance(file, str):
            continue
        root = os.path.dirname(os.path.abspath(root_file(v)))
        key = (v.get("block_type_"), v.get("__address__"))
        index.setdefault(key, []).append((file, v.get("__start_line__"), root))
    _INDEXES.insert(0, (graph, index))
    del _INDEXES[4:]
    return index


def _tail(scanned_file: str) -> str:
    """The part of checkov's relative file name that names the file: ``/../modules/c/main.tf``
    (a module outside the folder checkov scans) -> ``modules/c/main.tf``."""
    parts = [p for p in (scanned_file or "").replace("\\", "/").split("/") if p not in ("", ".")]
    while parts and parts[0] == "..":
        parts.pop(0)
    if ".." in parts:  # a path that climbs in the middle: only the file name is certain
        parts = parts[-1:]
    return "/".join(parts)


def locate(conf: dict, scanned_file: str, graph: Any, block_type: str = "resource") -> Place | None:
    """The place of the block checkov passed as ``conf`` (None when the graph does not hold it)."""
    if graph is None:
        return None
    address, line = conf.get("__address__"), conf.get("__start_line__")
    tail = _tail(scanned_file)
    files: list[str] = []
    roots: list[str] = []
    for file, start, root in _index(graph).get((block_type, address), ()):
        if line is not None and start not in (None, line):
            continue
        norm = file.replace("\\", "/")
        if tail and not (norm == tail or norm.endswith("/" + tail)):
            continue
        files.append(file)
        if root not in roots:
            roots.append(root)
    if not files:
        return None
    return Place(tuple(roots), files[0])
