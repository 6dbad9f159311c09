"""The command line with the parse cache switched on, for a CLI that does not read the cache yet.

``python benchmarks/cached_cli.py ARGS...`` runs ``sym-connector-lint ARGS...`` with every
``FileLoader`` given a ``ParseCache`` in $SYM_CONNECTOR_LINT_CACHE_DIR. The benchmark uses it
only when ``sym-connector-lint --help`` offers no ``--cache-dir``; the results say so.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    from sym_connector_lint.cache import ENV_CACHE_DIR, ParseCache
    from sym_connector_lint.load import files

    folder = os.environ[ENV_CACHE_DIR]
    original = files.FileLoader.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        if getattr(self, "cache", None) is None:
            self.cache = ParseCache(folder)

    files.FileLoader.__init__ = init
    from sym_connector_lint.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
