"""The floor of HCL parsing: python-hcl2 alone parses every ``.tf``/``.tfvars`` file under the folders.

Run as its own process (``python benchmarks/floor_hcl2.py FOLDER ...``), so its time includes
starting Python and importing python-hcl2 and lark, like the linter's. The walk follows the
linter's (hidden folders and ``.terraform`` skipped). Prints the number of files and bytes.
"""

from __future__ import annotations

import os
import sys


def files_under(root: str):
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if not x.startswith(".") and x != "node_modules")
        for n in sorted(names):
            if n.endswith(".tf") or n.endswith(".tfvars"):
                yield os.path.join(d, n)


def main(argv: list[str]) -> int:
    from hcl2.api import parses_to_tree

    count = size = 0
    for root in argv:
        for path in files_under(root):
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            parses_to_tree(text)
            count += 1
            size += len(text)
    print(f"{count} files, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
