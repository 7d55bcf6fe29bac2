"""Run the benchmarks: ``.venv/bin/python -m benchmarks [--quick] [--only NAME ...] [--json FILE]``.

Discovers every ``benchmarks/bench_<name>.py``, runs its ``run(quick)`` and prints one table of figures,
each with the baseline it was measured against in the same run. Exit status 1 if a target was missed
(so CI can watch it), 2 on bad arguments.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import sys
import time
import traceback
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks._harness import Figure, machine

HERE = Path(__file__).resolve().parent


def _available() -> list[str]:
    return sorted(p.stem.removeprefix("bench_") for p in HERE.glob("bench_*.py"))


def _format_value(fig: Figure) -> str:
    value = fig.value
    if abs(value) >= 1e6:
        text = f"{value / 1e6:,.2f} M"
    elif abs(value) >= 1e4:
        text = f"{value / 1e3:,.1f} k"
    else:
        text = f"{value:,.3g}"
    return f"{text} {fig.unit}"


def _markdown(figures: list[tuple[str, Figure]], quick: bool) -> str:
    """The figures as a Markdown table, headed by the machine and the date they were measured on."""
    lines = [f"Measured {time.strftime('%Y-%m-%d')} on {machine()}{' (quick run)' if quick else ''}.", "",
             "| benchmark | figure | value | ratio to baseline | baseline (same run) | target | met |",
             "|---|---|---|---|---|---|---|"]
    for name, fig in figures:
        ratio = "" if fig.ratio is None else f"{fig.ratio:,.2f}×"
        met = "" if fig.met is None else ("yes" if fig.met else "**no**")
        cells = [name, fig.name, _format_value(fig), ratio, fig.baseline, fig.target, met]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, run the selected benchmarks, print the table; return the exit status."""
    names = _available()
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller inputs (a smoke run, figures indicative)")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help=f"run only this benchmark (repeatable); one of: {', '.join(names)}")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--markdown", type=Path, metavar="FILE",
                        help="also write the figures as a Markdown table (for docs/benchmarks.md and the README)")
    args = parser.parse_args(argv)
    unknown = [n for n in args.only if n not in names]
    if unknown:
        parser.error(f"--only: unknown benchmark {', '.join(unknown)} (choose from {', '.join(names)})")
    selected = args.only or names

    console = Console(width=None if sys.stdout.isatty() else 150)
    console.print(f"[bold]stca benchmarks[/] on {machine()}{' (quick)' if args.quick else ''}")
    figures: list[tuple[str, Figure]] = []
    failed: list[str] = []
    for name in selected:
        console.print(f"» bench_{name} …")
        start = time.perf_counter()
        try:
            module = importlib.import_module(f"benchmarks.bench_{name}")
            for fig in module.run(quick=args.quick):
                figures.append((name, fig))
        except Exception:  # a broken benchmark must not hide the others' figures
            failed.append(name)
            console.print(f"[red]bench_{name} failed:[/]\n{traceback.format_exc()}")
        console.print(f"  done in {time.perf_counter() - start:.1f} s")

    table = Table(title="Figures (each ratio is against a baseline measured in this run)", show_lines=True)
    for col, width in (("figure / baseline", 70), ("value", 16), ("ratio", 9), ("target", 24), ("met", 4)):
        table.add_column(col, min_width=min(width, 16), max_width=width, overflow="fold")
    for name, fig in figures:
        met = "" if fig.met is None else ("[green]yes[/]" if fig.met else "[red]NO[/]")
        ratio = "" if fig.ratio is None else f"{fig.ratio:,.2f}×"
        label = f"[bold]{name}[/]: {fig.name}" + (f"\n[dim]{fig.baseline}[/]" if fig.baseline else "")
        table.add_row(label, _format_value(fig), ratio, fig.target, met)
    console.print(table)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(
            {"machine": machine(), "quick": args.quick,
             "figures": [{"bench": n, **dataclasses.asdict(f)} for n, f in figures], "failed": failed},
            indent=2))
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(_markdown(figures, quick=args.quick), encoding="utf-8")
    missed = [f.name for _, f in figures if f.met is False]
    if failed or missed:
        console.print(f"[red]failed benchmarks: {failed}; missed targets: {missed}[/]")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
