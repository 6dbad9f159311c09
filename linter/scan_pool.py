"""Checking root modules in worker processes: roots are independent, results come back in order.

Stored results are looked up in this process first (``scan_cache.run_roots``); only the roots
that missed are checked, in worker processes when there are enough of them: each worker loads,
parses and checks its roots (a module several roots call is parsed once per worker). The pool
forks, so the workers inherit the parent's state (the options, the rules, the loaded grammar)
instead of receiving it; without ``fork`` or processes, roots are checked in this process.
"""

from __future__ import annotations

from collections.abc import Iterator

from . import scan_root
from .scan_cache import run_roots as _with_stored_results
from .scan_root import State

_WORKER_STATE: State | None = None


def run_roots(state: State, roots: list, jobs: int) -> Iterator[tuple]:
    """Check each root (or reuse its stored result), in order."""
    return _with_stored_results(state, roots, lambda misses: _compute(state, misses, jobs))


def _compute(state: State, roots: list, jobs: int) -> Iterator[tuple]:
    """Check each root, in order; in worker processes when there are enough of them."""
    if jobs > 1 and len(roots) >= 4 * jobs and state.view is None and not state.deployed:
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            global _WORKER_STATE
            from .load.hcl import warm_up  # start-up: the parsers only when a file is parsed

            warm_up(state.opts.parser)  # load the grammar once, before the workers are forked
            _WORKER_STATE = state
            try:
                ctx = multiprocessing.get_context("fork")
                with ctx.Pool(jobs) as pool:
                    yield from pool.imap(_root_task, roots, chunksize=max(1, len(roots) // (jobs * 16)))
                return
            except OSError:
                pass  # no processes here: check the roots in this process
            finally:
                _WORKER_STATE = None
    for root in roots:
        yield scan_root.check_root(state, root)


def _root_task(root):
    assert _WORKER_STATE is not None, "set by the parent before the pool forks"
    return scan_root.check_root(_WORKER_STATE, root)
