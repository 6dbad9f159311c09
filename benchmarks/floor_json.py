"""The floor of plan reading: ``json.load`` of the file, in a process of its own.

``python benchmarks/floor_json.py PLAN`` prints the number of resource changes it found.
"""

from __future__ import annotations

import json
import sys


def main(argv: list[str]) -> int:
    with open(argv[0], "rb") as fh:
        data = json.load(fh)
    print(f"{len(data.get('resource_changes') or [])} resource changes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
