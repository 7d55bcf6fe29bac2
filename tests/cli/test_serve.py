"""``stca serve`` on an empty database says how to create the first administrator, and serves on the port
it prints (``--port 0``: a free port chosen when the socket is bound, so no test has to guess one)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import httpx

from tests.conftest import stca_bin


def test_serve_on_an_empty_database_prints_the_command_for_the_first_administrator(tmp_path: Path) -> None:
    env = {**os.environ, "STCA_DATABASE_URL": f"sqlite:///{tmp_path / 'desk.sqlite3'}"}
    proc = subprocess.Popen([*stca_bin(), "serve", "--port", "0"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    seen: list[str] = []
    try:
        assert proc.stdout is not None
        for line in proc.stdout:  # blocks until the next line; the per-test timeout bounds it
            seen.append(line)
            if line.startswith("case desk on "):
                break
        found = re.search(r"case desk on (http://127\.0\.0\.1:(\d+))/", seen[-1])
        assert found and int(found.group(2)) > 0, seen
        # the socket is bound before the line is printed: the server answers as soon as it has started
        for line in proc.stdout:
            seen.append(line)
            if "Application startup complete" in line:
                break
        assert httpx.get(f"{found.group(1)}/healthz", timeout=10).json()["status"] == "ok"
    finally:
        proc.terminate()
        rest, _ = proc.communicate(timeout=30)
    output = "".join(seen) + rest
    assert "No account exists yet" in output, output
    assert "  stca admin create-user NAME --role admin\n" in output
    assert output.index("stca admin create-user") < output.index("case desk on")
