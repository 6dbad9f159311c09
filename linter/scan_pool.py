"""Checking root modules in worker processes: roots are independent, results come back in order.

The pool forks, so the workers inherit the parent's state (parsed folders, module trees,
the compiled grammar) instead of receiving it; without ``fork`` or processes, roots are
checked in this process.
"""

from __future__ import annotations

from .scan_cache import check_root_cached
from .scan_root import State

_WORKER_STATE: State | None = None


def run_roots(state: State, roots: list, jobs: int):
    """Check each root, in order; in worker processes when there are enough of them."""
    if jobs > 1 and len(roots) >= 4 * jobs and state.view is None and not state.deployed:
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            global _WORKER_STATE
            from .load.hcl import warm_up

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
        yield check_root_cached(state, root)


def _root_task(root):
    assert _WORKER_STATE is not None, "set by the parent before the pool forks"
    return check_root_cached(_WORKER_STATE, root)
