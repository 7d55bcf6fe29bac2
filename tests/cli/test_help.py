"""Every ``--help`` screen labels values the way users type them: TEXT, PATH, INTEGER; flags unlabelled.

Rendered in process with typer's test runner (the same Rich help a terminal shows), for every command and
group of the ``stca`` app, so a command added later is checked too.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from stca._cli._common import Command, Group
from stca.cli import app


def _paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [prefix]
    for name, sub in getattr(command, "commands", {}).items():
        found += _paths(sub, (*prefix, name))
    return found


ROOT_COMMAND = typer.main.get_command(app)
PATHS = _paths(ROOT_COMMAND)


def test_every_command_and_group_uses_the_project_classes() -> None:
    def walk(command: Any) -> list[Any]:
        return [command, *(c for sub in getattr(command, "commands", {}).values() for c in walk(sub))]

    everything = walk(ROOT_COMMAND)
    assert len(everything) >= 17
    for command in everything:
        assert isinstance(command, Group if hasattr(command, "commands") else Command), command.name


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(p) or "stca" for p in PATHS])
def test_help_has_clean_type_labels(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "160", "NO_COLOR": "1"}, color=False)
    assert result.exit_code == 0, result.output
    text = result.output
    assert not re.search(r"<(str|bool|int|path|list\[[^\]]*\]|int range|float)[^>]*>", text), text
    usage = next(line for line in text.splitlines() if "Usage:" in line)
    assert "{" not in usage, usage
    help_line = next(line for line in text.splitlines() if line.strip("│ ").startswith("--help"))
    assert re.search(r"--help\s+Show this message", help_line), help_line
