"""Helpers every command shares: failing cleanly (exit 2, message on stderr, never a traceback)."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``message`` on standard error and exit with ``code`` (2 = bad input)."""
    sys.stderr.write(f"stca: {message}\n")
    raise typer.Exit(code)
