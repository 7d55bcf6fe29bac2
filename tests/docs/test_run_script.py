"""``./run``: its help is exactly its header, and setting up prints only its own progress lines."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import ROOT

HELP = """\
stca — the two commands of the README, and two more.
  ./run demo    set up, then show the law engine, bulk evaluation, the flow simulator and the case desk
  ./run test    set up, then run ruff, mypy and the whole test suite (unit, docs, database, browser)
  ./run bench   set up, then run the benchmarks (python -m benchmarks)
  ./run help    this text
Anything else is passed to the stca command line inside the project's environment: ./run check case.json
"""


def test_help_is_exactly_the_header() -> None:
    for flag in ("--help", "-h", "help"):
        done = subprocess.run([str(ROOT / "run"), flag], capture_output=True, text=True, timeout=30)
        assert (done.returncode, done.stdout, done.stderr) == (0, HELP, ""), flag


def test_python_probe_is_silent_about_versions_it_skips(tmp_path: Path) -> None:
    """pyenv puts shims for every installed version on PATH; a shim of an unselected version fails loudly.

    ``need_python`` must pass over it without letting its complaint through, and pick the next Python."""
    for name in ("python3.13", "python3.12"):
        shim = tmp_path / name
        shim.write_text("#!/bin/sh\necho 'pyenv: command not found' >&2\necho noise\nexit 127\n")
        shim.chmod(0o755)
    (tmp_path / "python3.11").symlink_to("/bin/false")
    real = subprocess.run(["bash", "-c", "command -v python3"], capture_output=True, text=True).stdout.strip()
    (tmp_path / "python3").symlink_to(real)
    function = subprocess.run(["sed", "-n", "/^need_python()/,/^}/p", str(ROOT / "run")], capture_output=True,
                              text=True, check=True).stdout
    assert function.startswith("need_python()")
    done = subprocess.run(["bash", "-c", function + "\nneed_python"], capture_output=True, text=True, timeout=30,
                          env={"PATH": f"{tmp_path}:/usr/bin:/bin"})
    assert (done.returncode, done.stdout, done.stderr) == (0, "python3\n", "")
