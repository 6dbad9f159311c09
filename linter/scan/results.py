"""What a scan is given (``Options``) and what it gives back (``RootResult``, ``ScanResult``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..settings import Settings

if TYPE_CHECKING:
    from .shard import Shard


@dataclass
class Options:
    paths: list = field(default_factory=list)
    var_files: list = field(default_factory=list)
    vars: list = field(default_factory=list)  # "NAME=VALUE"
    env_vars: tuple = ()  # (name, text) of each TF_VAR_name environment variable, as Terraform reads them
    settings: Settings = field(default_factory=Settings)  # what the user configured (settings.py)
    plan: str | None = None  # --plan FILE: a plan whose facts bind the source folders' evaluation
    progress: Callable[[int, int], None] | None = None  # called with (done, total) steps as the scan goes
    cache: object | None = None  # a cache.ParseCache, or None
    jobs: int = 1  # worker processes that parse files
    shard: Shard | None = None  # check only the root modules it picks

    @property
    def parser(self) -> str | None:
        """The HCL parser (load.hcl.PARSERS; None: the default), a setting."""
        return self.settings.parser

    @property
    def max_file_bytes(self) -> int | None:
        return self.settings.max_file_bytes

    @property
    def deployed(self) -> tuple[str, ...]:
        """IAM exports or states the source is compared with (drift), a setting."""
        return self.settings.deployed


@dataclass
class RootResult:
    """One root module: its folder (as shown), its connectors and their findings."""

    dir: str
    folder: Path | None = None  # the folder on disk
    connectors: list = field(default_factory=list)  # of ConnectorInfo
    findings: list = field(default_factory=list)  # of Finding
    order: tuple = ()  # (PATH index, place among its root modules): where an unsharded run puts it
    deployed_matched: set = field(default_factory=set)  # deployed connectors this root's configuration has


@dataclass
class RootOutcome:
    """What checking one root module gives: its result, and what the run gathers beside it."""

    result: RootResult
    errors: list  # ErrorReport: input problems of this root
    notes: list  # the run's notes this root adds
    mode: str  # hcl | plan+source
    files: dict  # shown path -> parsed file (the parts reporters and suppressions read)
    loaded: set  # the folders it read
    watched: frozenset  # the other paths the result depends on: ("file", path), ("dir", path)


@dataclass
class ScanResult:
    findings: list = field(default_factory=list)  # of Finding
    connectors: list = field(default_factory=list)  # of ConnectorInfo
    errors: list = field(default_factory=list)  # of ErrorReport
    notes: list = field(default_factory=list)  # of str
    roots: int = 0
    modes: set = field(default_factory=set)  # "hcl", "plan", "plan+source", "deployed"
    root_results: list = field(default_factory=list)  # of RootResult, in scan order
    files: dict = field(default_factory=dict)  # shown path -> ParsedFile (lines and comments for reports)
    bases: list = field(default_factory=list)  # the scanned folders (Path), to find a shown path on disk
    rules_run: tuple = ()  # ids of the rules that ran
    suppressed: list = field(default_factory=list)  # of suppress.Suppressed, filled after the scan
    unchecked: dict = field(default_factory=dict)  # rule id -> why it checked nothing with these settings

    @property
    def default_fail_on_inconclusive(self) -> bool:
        """Off when every input was a plan with its source (the source decides), else on."""
        return self.modes != {"plan+source"}
