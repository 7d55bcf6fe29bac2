"""``stca bulk`` file to file, against a plain Parquet read + write of the same file, and its memory.

Figures:
* ``stca bulk`` Parquet → Parquet on 1,000,000 synthetic cases, wall time of the whole command, against
  a child process that only reads the file with pyarrow and writes it back (same compression): target
  ratio ≤ 2.
* peak resident memory of ``stca bulk`` streaming 10,000,000 rows (``wait4`` rusage of the child):
  target < 1 GiB.
"""

from __future__ import annotations

import sys

from benchmarks._data import synth_file
from benchmarks._harness import VENV_BIN, Figure, run_child, scratch_dir

_PLAIN_COPY = (
    "import sys, pyarrow.parquet as pq\n"
    "pq.write_table(pq.read_table(sys.argv[1]), sys.argv[2])\n"
)


def _bulk_vs_copy(rows: int) -> Figure:
    source = synth_file(rows)
    out = scratch_dir() / f"bulk-out-{rows}.parquet"
    copy = scratch_dir() / f"copy-{rows}.parquet"
    stca = str(VENV_BIN / "stca")
    plain = min(run_child([sys.executable, "-c", _PLAIN_COPY, str(source), str(copy)]).seconds for _ in range(2))
    bulk = min(run_child([stca, "bulk", str(source), str(out), "--no-progress"]).seconds for _ in range(2))
    return Figure(f"stca bulk Parquet → Parquet, {rows:,} cases", rows / bulk, "cases/s",
                  baseline=f"plain pyarrow read + write (child process): {plain:.2f} s; stca bulk: {bulk:.2f} s",
                  ratio=bulk / plain, target="≤ 2× the plain copy", met=bulk / plain <= 2)


def _memory(rows: int) -> Figure:
    source = synth_file(rows)
    out = scratch_dir() / f"bulk-mem-{rows}.parquet"
    child = run_child([str(VENV_BIN / "stca"), "bulk", str(source), str(out), "--no-progress"])
    idle = run_child([str(VENV_BIN / "stca"), "--help"])
    out.unlink(missing_ok=True)
    return Figure(f"stca bulk peak RSS, {rows:,} rows streamed", child.peak_rss_mib, "MiB",
                  baseline=f"stca --help peak RSS {idle.peak_rss_mib:.0f} MiB; bulk took {child.seconds:.1f} s",
                  ratio=child.peak_rss_mib / idle.peak_rss_mib, target="< 1024 MiB",
                  met=child.peak_rss_mib < 1024)


def run(quick: bool = False) -> list[Figure]:
    """Bulk against a plain copy; memory while streaming."""
    return [_bulk_vs_copy(200_000 if quick else 1_000_000), _memory(1_000_000 if quick else 10_000_000)]
