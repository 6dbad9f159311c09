"""The scan: find the root modules under the given paths, check each (in worker processes when
there are several, with stored results for the roots whose files did not change), and gather the
results in a fixed order. ``run`` is the scan itself; ``results`` its options and result types;
``root`` one root module; ``pool`` the worker processes; ``cache`` and ``fileindex`` the stored
results and the index of the files they were made from; ``paths`` the paths a run shows;
``plans`` and ``planbind`` plan, state and export files and the roots they were made from;
``deployed`` the deployed inputs (``--deployed``); ``shard`` and ``merge`` a run split across CI
jobs and put back together.
"""

from .results import Options, RootResult, ScanResult
from .run import discover_dirs, scan

__all__ = ["Options", "RootResult", "ScanResult", "discover_dirs", "scan"]
