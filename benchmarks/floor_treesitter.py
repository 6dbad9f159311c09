"""The floor of a compiled HCL parse: tree-sitter-hcl alone parses every ``.tf``/``.tfvars`` file under the folders.

Run as its own process (``python benchmarks/floor_treesitter.py FOLDER ...``), like
floor_hcl2.py. Exits 3 when tree-sitter or its HCL grammar is not installed.
"""

from __future__ import annotations

import sys

from floor_hcl2 import files_under


def main(argv: list[str]) -> int:
    try:
        import tree_sitter
        import tree_sitter_hcl
    except ImportError:
        print("tree-sitter-hcl is not installed", file=sys.stderr)
        return 3
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
    count = size = 0
    for root in argv:
        for path in files_under(root):
            with open(path, "rb") as fh:
                data = fh.read()
            parser.parse(data)
            count += 1
            size += len(data)
    print(f"{count} files, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
