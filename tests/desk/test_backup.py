"""Issue 12, finding 12: ``stca db backup`` and ``stca db restore``, on SQLite and PostgreSQL.

The backup is taken from a running desk; the restore goes into a new, empty database, which then holds
the same cases and an audit chain that verifies with the key. A restore over existing tables is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner, Result

from stca.cli import app
from stca.desk import backup, services
from stca.desk.db import make_engine, make_sessionmaker
from stca.desk.models import Case

from .conftest import AUDIT_KEY, Desk, case_body


def _stca(url: str, *args: str) -> Result:
    """``stca db …`` as the command line runs it (in process: pg_dump and pg_restore still run as programs)."""
    return CliRunner().invoke(app, ["db", *args], env={"STCA_DATABASE_URL": url, "STCA_AUDIT_KEY": AUDIT_KEY})


def test_backup_of_a_running_desk_restores_into_a_fresh_database(
    fresh_desk: Desk, new_database: Callable[[str], str], tmp_path: Path
) -> None:
    intake = fresh_desk.as_role("intake_officer")
    for i in range(3):
        assert intake.post("/api/v1/cases", json=case_body(claimant_name=f"Backed Up {i}")).status_code == 201
    archive = tmp_path / "desk.backup"
    made = _stca(fresh_desk.database_url, "backup", str(archive))
    assert made.exit_code == 0, made.output
    assert archive.stat().st_size > 0

    target = new_database(fresh_desk.backend)
    restored = _stca(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert "audit log intact: 8 rows" in restored.stdout  # 2 accounts, then 2 rows per case
    engine = make_engine(target)
    try:
        with make_sessionmaker(engine, audit_key=AUDIT_KEY.encode())() as db:
            assert db.scalar(select(func.count()).select_from(Case)) == 3
            assert {c.claimant_name for c in services.list_cases(db).items} == {f"Backed Up {i}" for i in range(3)}
            assert services.verify_audit(db).ok
    finally:
        engine.dispose()

    with pytest.raises(backup.BackupError, match="already has tables"):  # stored data is never overwritten
        backup.restore(archive, fresh_desk.database_url)
