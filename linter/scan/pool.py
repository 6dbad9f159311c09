"""Checking root modules in worker processes: roots are independent, results come back in order.

Stored results are looked up in this process first (``cache.run_roots``); only the roots
that missed are checked, in worker processes when there are enough of them: each worker loads,
parses and checks its roots (a module several roots call is parsed once per worker). The pool
forks, so the workers inherit the parent's state (the options, the rules, the loaded grammar)
instead of receiving it; without ``fork`` or processes, roots are checked in this process.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import root as scan_root
from .cache import run_roots as _with_stored_results
from .results import RootOutcome
from .root import RootSetup

_WORKER_SETUP: RootSetup | None = None


def run_roots(setup: RootSetup, roots: list, jobs: int) -> Iterator[RootOutcome]:
    """Check each root (or reuse its stored result), in order."""
    return _with_stored_results(setup, roots, lambda misses: _compute(setup, misses, jobs))


def _compute(setup: RootSetup, roots: list, jobs: int) -> Iterator[RootOutcome]:
    """Check each root, in order; in worker processes when there are enough of them."""
    if jobs > 1 and len(roots) >= 4 * jobs and setup.view is None and not setup.deployed:
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            global _WORKER_SETUP
            from ..load.hcl import warm_up  # start-up: the parsers only when a file is parsed

            warm_up(setup.opts.parser)  # load the grammar once, before the workers are forked
            _WORKER_SETUP = setup
            try:
                ctx = multiprocessing.get_context("fork")
                with ctx.Pool(jobs) as pool:
                    yield from pool.imap(_root_task, roots, chunksize=max(1, len(roots) // (jobs * 16)))
                return
            except OSError:
                pass  # no processes here: check the roots in this process
            finally:
                _WORKER_SETUP = None
    for root in roots:
        yield scan_root.check_root(setup, root)


def _root_task(root) -> RootOutcome:
    assert _WORKER_SETUP is not None, "set by the parent before the pool forks"
    return scan_root.check_root(_WORKER_SETUP, root)
