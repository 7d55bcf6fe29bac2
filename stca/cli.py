"""The ``stca`` command line: one Typer app, commands contributed by the modules of ``stca._cli``."""

from __future__ import annotations

import importlib

import typer

from stca._cli._common import Group

app = typer.Typer(
    cls=Group,
    name="stca",
    help=(
        "The Canada–US Safe Third Country Agreement as code.\n\n"
        "Decide cases (check), read the law on a date (law), evaluate populations (bulk, synth, compare), "
        "run the case desk (serve, db, admin, audit), explore history (data), simulate border flows "
        "(simulate) and validate the simulator (validate)."
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)

# Each module exposes ``register(app)``; a module that is absent in a partial install is skipped.
_COMMAND_MODULES = ("law", "bulk", "data", "simulate", "validate", "desk", "demo")

for _name in _COMMAND_MODULES:
    try:
        _mod = importlib.import_module(f"stca._cli.{_name}")
    except ModuleNotFoundError as exc:  # pragma: no cover - only in a broken checkout
        if exc.name != f"stca._cli.{_name}":
            raise
        continue
    _mod.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
