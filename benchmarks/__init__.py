"""Benchmarks of stca, run with ``.venv/bin/python -m benchmarks [--quick] [--only NAME]``.

Each ``bench_<area>.py`` defines ``run(quick: bool = False) -> list[Figure]``; see ``_harness.py``.
"""
