"""Shared machinery of the benchmarks: the ``Figure`` record, timers, child-process memory, machine facts.

Every benchmark reports each speed as a ratio against a baseline measured in the same run on the same
machine, so a figure means the same thing on a laptop and on a 2-core CI box.
"""

from __future__ import annotations

import gc
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Figure:
    """One measured figure.

    Attributes:
        name: what was measured, e.g. ``"evaluate_frame, 1M cases"``.
        value: the measurement, in ``unit``.
        unit: ``"s"``, ``"µs"``, ``"cases/s"``, ``"MiB"`` …
        baseline: what the value is compared with, with its own measurement (text for the table).
        ratio: value relative to the baseline (how it is defined is said in ``baseline``).
        target: the goal as text, e.g. ``"≥ 10 M/s"``; empty when there is none.
        met: whether the goal is met (``None`` when there is no goal).
    """

    name: str
    value: float
    unit: str
    baseline: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None


def best_of(fn: Callable[[], object], repeat: int = 7, warmup: int = 1) -> float:
    """Minimum wall time of ``fn()`` in seconds over ``repeat`` runs (the least disturbed by the machine)."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def per_call_percentiles(fn: Callable[[], object], calls: int) -> tuple[float, float]:
    """(p50, p99) wall time of single calls of ``fn`` in seconds."""
    timings = []
    clock = time.perf_counter
    for _ in range(min(calls // 10, 1000)):
        fn()
    for _ in range(calls):
        start = clock()
        fn()
        timings.append(clock() - start)
    timings.sort()
    return statistics.median(timings), timings[int(0.99 * (len(timings) - 1))]


@dataclass(frozen=True)
class ChildRun:
    """Wall time and peak resident memory of one child process."""

    seconds: float
    peak_rss_mib: float
    returncode: int


#: Runs a command and prints its wall time and its peak RSS (KiB) as the last line of standard output.
#: Why a launcher: a child forked from this (large) benchmark process inherits this process's RSS high-water
#: mark in ``ru_maxrss``; forked from a fresh small interpreter, the figure is the command's own.
_LAUNCHER = """
import resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
seconds = time.perf_counter() - start
sys.stderr.buffer.write(done.stderr)
print(seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.returncode)
"""


def run_child(args: Sequence[str], *, stdin: bytes | None = None, env: dict[str, str] | None = None) -> ChildRun:
    """Run a command; report its wall time and peak resident memory (``RUSAGE_CHILDREN`` of a launcher)."""
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *args], input=stdin, capture_output=True, env=env, cwd=REPO_ROOT,
        check=False,
    )
    seconds, maxrss_kib, returncode = proc.stdout.decode().split()[-3:]
    if int(returncode) != 0 or proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({returncode}): {proc.stderr.decode()[-2000:]}")
    return ChildRun(float(seconds), int(maxrss_kib) / 1024, int(returncode))


def self_peak_rss_mib() -> float:
    """Peak RSS of this process so far, in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def machine() -> str:
    """CPU model and core count, as ``lscpu`` reports them (falls back to ``platform``)."""
    model = ""
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            if line.startswith("Model name:"):
                model = line.split(":", 1)[1].strip()
    except (OSError, subprocess.CalledProcessError):
        model = platform.processor()
    return f"{model or 'unknown CPU'}, {os.cpu_count()} cores, Python {platform.python_version()}"


def scratch_dir() -> Path:
    """A directory for benchmark files (large; kept out of the repository and reused between runs)."""
    path = Path(os.environ.get("STCA_BENCH_DIR", "/tmp/stca-bench"))
    path.mkdir(parents=True, exist_ok=True)
    return path
