"""``stca demo``: the three uses of stca, one after the other, with real commands and real output.

Each step runs the same ``stca`` command a user would type, so the demo doubles as a tour of the
command line: one determination in English and French, the law's changes on Protocol day, a synthetic
population evaluated in bulk and compared across policies, a flow-simulation scenario comparison with
its chart, and finally the case desk with demo data (until Ctrl-C).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from stca._cli._common import Command

EXAMPLE = {
    "entry_place": "BETWEEN_POES_LAND",
    "claim_at_entry": False,
    "entry_instant": "2023-06-10T14:00:00-04:00",
    "entry_local_date": "2023-06-10",
    "claim_local_date": "2023-06-13",
    "nationalities": ["HT"],
    "family_members": [{"relationship": "SISTER", "location": "CANADA", "ca_status": "PERMANENT_RESIDENT"}],
}


def _step(title: str, args: list[str], stdin: str | None = None) -> None:
    """Run one ``stca`` command as a child process; stopping the demo stops the child too."""
    from rich.console import Console
    from rich.rule import Rule

    console = Console()
    console.print(Rule(f"[bold]{title}"))
    console.print(f"[dim]$ stca {' '.join(args)}[/dim]")
    child = subprocess.Popen([sys.executable, "-m", "stca", *args], stdin=subprocess.PIPE if stdin else None,
                             text=True)
    try:
        child.communicate(stdin)
    except BaseException:  # Ctrl+C, SIGTERM (see _stop_on_sigterm), any failure: never leave the child behind
        child.terminate()  # the case desk (uvicorn) shuts down cleanly on SIGTERM
        try:
            child.wait(timeout=15)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        raise
    if child.returncode != 0:
        console.print(f"[red]step failed with exit status {child.returncode}[/red]")
        raise typer.Exit(child.returncode)


def _stop_on_sigterm() -> None:
    """SIGTERM (``kill``, a service manager) ends the demo like Ctrl+C does: through ``_step``'s clean-up.

    Python's default for SIGTERM is to die at once, which would leave the running step — the case desk
    server — orphaned and still listening."""

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)


def demo(
    out: Annotated[Path, typer.Option("--out", help="Where the demo writes its files.")] = Path("out/demo"),
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Start the case desk at the end.")] = True,
    rows: Annotated[int, typer.Option("--rows", help="Synthetic cases for the bulk step.")] = 200_000,
    runs: Annotated[int, typer.Option("--runs", help="Monte Carlo replications per scenario.")] = 200,
    port: Annotated[int, typer.Option("--port", help="Port of the case desk (0: any free port).")] = 8000,
) -> None:
    """Show all three uses: the law engine, bulk evaluation + the flow simulator, and the case desk."""
    _stop_on_sigterm()
    out.mkdir(parents=True, exist_ok=True)
    case = json.dumps(EXAMPLE)
    _step("1. Law engine — a between-ports crossing in June 2023, sister a permanent resident in Canada",
          ["check", "--pretty"], case)
    _step("   … the same case explained in French", ["check", "--lang", "fr", "--pretty"], case)
    _step("   … and under the 2004 rules (no Protocol): the 'Roxham Road loophole'",
          ["check", "--policy", "pre-protocol"], json.dumps({**EXAMPLE, "family_members": []}))
    _step("   What changed in the law on Protocol day", ["law", "--diff", "2023-03-24", "2023-03-26"])
    cases = out / "cases.parquet"
    _step(f"2. Bulk — {rows:,} synthetic cases", ["synth", "--rows", str(rows), "--seed", "7", str(cases)])
    _step("   … decided in bulk", ["bulk", str(cases), str(out / "decided.parquet")])
    _step("   … and how outcomes move from the Protocol-era law to the pre-Protocol rules",
          ["compare", str(cases), "--policy", "law", "--policy", "pre-protocol", "--html",
           str(out / "compare.html")])
    _step("3. Flow simulator — scenarios 2017-01 → 2030-12 with uncertainty bands",
          ["simulate", "--compare", "law,pre-protocol,close-roxham,whole-border", "--from", "2017-01",
           "--to", "2030-12", "--runs", str(runs), "--seed", "1", "--out", str(out / "simulation")])
    typer.echo(f"\nScenario comparison chart: {(out / 'simulation').resolve()}/  (PNG and interactive HTML)")
    if serve:
        _step("4. Case desk — demo data loaded; open the address below in a browser",
              ["serve", "--demo", "--port", str(port)])


def register(app: typer.Typer) -> None:
    """Add ``demo`` to the main app."""
    app.command("demo", cls=Command)(demo)
