"""Measuring whole processes: wall time, CPU time (user + system, children included) and peak RSS.

Each command runs as a child process; ``os.wait4`` returns that child's own resource usage
(on Linux including the children it waited for, such as process-pool workers; peak RSS is
then the largest single process, not the sum). Commands compared with each other are run
interleaved (A, B, C, A, B, C, ...), so a change in machine load hits all of them alike.
"""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds
    rss_mb: float  # peak resident set size, MiB
    rc: int


@dataclass
class Series:
    label: str
    samples: list = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> bool:
        return bool(self.samples)

    def _values(self, attr: str) -> list:
        return [getattr(s, attr) for s in self.samples]

    @property
    def wall(self) -> float:
        return statistics.median(self._values("wall"))

    @property
    def wall_min(self) -> float:
        return min(self._values("wall"))

    @property
    def wall_max(self) -> float:
        return max(self._values("wall"))

    @property
    def cpu(self) -> float:
        return statistics.median(self._values("cpu"))

    @property
    def rss_mb(self) -> float:
        return statistics.median(self._values("rss_mb"))

    @property
    def rcs(self) -> list:
        return sorted(set(self._values("rc")))

    def to_dict(self) -> dict:
        out = {"label": self.label, "note": self.note, "samples": [asdict(s) for s in self.samples]}
        if self.samples:
            out.update(
                wall=self.wall,
                wall_min=self.wall_min,
                wall_max=self.wall_max,
                cpu=self.cpu,
                rss_mb=self.rss_mb,
            )
        return out


def _maxrss_mb(ru) -> float:
    # Linux reports KiB, macOS bytes
    return ru.ru_maxrss / (1024 * 1024) if sys.platform == "darwin" else ru.ru_maxrss / 1024


def run_once(
    cmd: list,
    *,
    env: dict | None = None,
    cwd: Path | None = None,
    stdout: Path | None = None,
    stderr: Path | None = None,
    timeout: float | None = None,
) -> Sample:
    """Run ``cmd`` once and return its wall time, CPU time and peak RSS."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL
    err = open(stderr, "wb") if stderr else subprocess.DEVNULL
    try:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [str(c) for c in cmd], stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True
        )
        timer = None
        if timeout:
            timer = threading.Timer(timeout, _kill_group, (proc.pid,))
            timer.daemon = True
            timer.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        if timer is not None:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        for fh in (out, err):
            if fh is not subprocess.DEVNULL:
                fh.close()
    return Sample(wall, ru.ru_utime + ru.ru_stime, _maxrss_mb(ru), proc.returncode)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


@dataclass
class Command:
    label: str
    argv: list
    env: dict | None = None
    cwd: Path | None = None
    before: object = None  # called before every run (e.g. to empty a cache folder)
    stdout: Path | None = None  # where the first run's output goes (the rest is discarded)
    stderr: Path | None = None
    timeout: float | None = None
    runs: int | None = None  # fewer runs than the group's (e.g. a slow competitor)
    ok_codes: tuple = (0, 1)


def measure_group(commands: list, runs: int, warmup: bool = False, log=None) -> dict:
    """Run every command ``runs`` times, interleaved; returns label -> Series."""
    series = {c.label: Series(c.label) for c in commands}
    if warmup:
        for c in commands:
            if c.before:
                c.before()
            try:
                run_once(c.argv, env=c.env, cwd=c.cwd, timeout=c.timeout)
            except OSError:
                pass
    for i in range(runs):
        for c in commands:
            if c.runs is not None and i >= c.runs:
                continue
            if c.before:
                c.before()
            if series[c.label].note.startswith("could not start"):
                continue
            try:
                s = run_once(
                    c.argv,
                    env=c.env,
                    cwd=c.cwd,
                    stdout=c.stdout if i == 0 else None,
                    stderr=c.stderr if i == 0 else None,
                    timeout=c.timeout,
                )
            except OSError as exc:  # e.g. an executable removed while the benchmark runs
                series[c.label].note = f"could not start: {exc.strerror or exc}"
                if log:
                    log(f"  {c.label}: {series[c.label].note}")
                continue
            series[c.label].samples.append(s)
            if s.rc not in c.ok_codes:
                series[c.label].note = f"exit code {s.rc}"
            if log:
                log(f"  {c.label}: {s.wall:.3f} s wall, {s.cpu:.3f} s CPU, {s.rss_mb:.0f} MiB, rc {s.rc}")
    return series
