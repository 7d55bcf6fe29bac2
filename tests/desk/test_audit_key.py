"""Issue 12, finding 6: a database user cannot rewrite the audit log unnoticed.

Each test plays someone with full rights on the database but not the audit key: they drop the
append-only trigger, then rewrite a row and re-hash every later one, or delete rows from the end.
The keyed chain catches the first; a signed checkpoint kept outside the database catches the second.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from typer.testing import CliRunner, Result

from stca.cli import app
from stca.desk import audit, services
from stca.desk.db import make_engine, make_sessionmaker, upgrade
from stca.desk.models import AuditEntry

from .conftest import AUDIT_KEY, BACKENDS, Desk, case_body


def _raw(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for sql in statements:
                conn.execute(text(sql))
    finally:
        engine.dispose()


def _drop_guard(desk: Desk) -> None:
    if desk.backend == "postgres":
        _raw(desk.database_url, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    else:
        _raw(desk.database_url, "DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete")


def _stca(url: str, *args: str) -> Result:
    """``stca audit …`` as the command line runs it (in process)."""
    return CliRunner().invoke(app, ["audit", *args], env={"STCA_DATABASE_URL": url, "STCA_AUDIT_KEY": AUDIT_KEY})


def _intake(desk: Desk, n: int) -> None:
    intake = desk.as_role("intake_officer")
    for i in range(n):
        assert intake.post("/api/v1/cases", json=case_body(claimant_name=f"Keyed {i}")).status_code == 201


def test_rewriting_a_row_and_rehashing_the_rest_is_detected(fresh_desk: Desk) -> None:
    _intake(fresh_desk, 3)
    _drop_guard(fresh_desk)
    # The forger rewrites a name and recomputes every later hash, with the algorithm but not the key.
    with fresh_desk.session() as db:
        rows = db.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    target = 3
    prev = audit.GENESIS_HASH
    updates = []
    for row in rows:
        if row.seq == target:
            row.after = {**row.after, "claimant_name": "Forged"}
        row.prev_hash = prev
        row.hash = hashlib.sha256((prev + audit.canonical(row)).encode()).hexdigest()
        prev = row.hash
        if row.seq >= target:
            updates.append((row.seq, row.prev_hash, row.hash, json.dumps(row.after)))
    engine = create_engine(fresh_desk.database_url)
    try:
        with engine.begin() as conn:
            for seq, prev_hash, new_hash, after in updates:
                conn.execute(text("UPDATE audit_log SET prev_hash = :p, hash = :h, after = :a WHERE seq = :s"),
                             {"p": prev_hash, "h": new_hash, "a": after, "s": seq})
    finally:
        engine.dispose()
    report = fresh_desk.as_role("admin").get("/api/v1/audit/verify").json()
    assert report["ok"] is False and report["first_bad_seq"] == target


def test_deleting_the_last_rows_is_caught_by_a_checkpoint(fresh_desk: Desk) -> None:
    _intake(fresh_desk, 2)
    with fresh_desk.session() as db:
        checkpoint = audit.checkpoint(db)
        assert checkpoint.seq == 6 and len(checkpoint.signature) == 64  # 2 accounts, then 2 rows per case
        assert services.verify_audit(db, against=checkpoint).ok

    _drop_guard(fresh_desk)
    _raw(fresh_desk.database_url, "DELETE FROM audit_log WHERE seq > 4")
    with fresh_desk.session() as db:
        assert services.verify_audit(db).ok  # what is left is a valid, shorter chain…
        truncated = services.verify_audit(db, against=checkpoint)  # …but not the one checkpointed
        assert truncated.ok is False and truncated.first_bad_seq == 5 and "deleted from the end" in str(
            truncated.problem)
        # A forged checkpoint (the attacker moves the head back) does not carry a valid signature.
        forged = services.verify_audit(db, against=audit.Checkpoint.from_dict({**checkpoint.to_dict(), "seq": 4}))
        assert forged.ok is False and "signature" in str(forged.problem)
    with pytest.raises(ValueError, match="seq"):
        audit.Checkpoint.from_dict({"hash": "0", "at": "x", "signature": "y"})


def test_checkpoint_and_verify_against_on_the_command_line(new_database: Callable[[str], str],
                                                           tmp_path: Path) -> None:
    url = new_database("sqlite")
    upgrade(url)
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine, audit_key=AUDIT_KEY.encode())() as db, db.begin():
            for i in range(3):
                audit.record(db, actor="intake", entity="case", entity_id=i + 1, action="create", after={"i": i})
    finally:
        engine.dispose()
    mark = tmp_path / "checkpoint.json"
    made = _stca(url, "checkpoint", "--output", str(mark))
    assert made.exit_code == 0 and "row 3" in made.stdout, made.output
    assert json.loads(mark.read_text())["seq"] == 3
    assert _stca(url, "verify", "--against", str(mark)).exit_code == 0
    _raw(url, "DROP TRIGGER audit_log_no_delete", "DELETE FROM audit_log WHERE seq = 3")
    cli = _stca(url, "verify", "--against", str(mark))
    assert cli.exit_code == 1 and "row 3" in cli.stderr and "deleted from the end" in cli.stderr
    mark.write_text("{}")
    bad = _stca(url, "verify", "--against", str(mark))
    assert bad.exit_code == 2 and "--against" in bad.stderr and "seq" in bad.stderr


def test_a_log_rebuilt_under_another_key_is_detected(fresh_desk: Desk) -> None:
    _intake(fresh_desk, 1)
    with fresh_desk.session() as db:
        checkpoint = audit.checkpoint(db)
    _drop_guard(fresh_desk)
    _raw(fresh_desk.database_url, "DELETE FROM audit_log")
    engine = make_engine(fresh_desk.database_url)
    try:  # the attacker replays an innocent history with a key of their own
        with make_sessionmaker(engine, audit_key=b"m" * 40)() as db, db.begin():
            audit.record(db, actor="intake", entity="case", entity_id=1, action="create", after={"x": 1})
            audit.record(db, actor="intake", entity="case", entity_id=1, action="status", after={"y": 2})
    finally:
        engine.dispose()
    with fresh_desk.session() as db:
        assert services.verify_audit(db).first_bad_seq == 1
        assert services.verify_audit(db, against=checkpoint).ok is False


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_reseals_a_legacy_chain_and_refuses_a_broken_one(
    backend: str, new_database: Callable[[str], str]
) -> None:
    key = AUDIT_KEY.encode()
    for broken in (False, True):
        url = new_database(backend)
        upgrade(url, "0001")
        prev = audit.GENESIS_HASH
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                for seq in (1, 2, 3):
                    after = {"case_id": 7, "version": seq}
                    row = AuditEntry(seq=seq, at=audit.utcnow(), actor="a", entity="fact_snapshot",
                                     entity_id=str(seq), action="create", before=None, after=after, prev_hash=prev)
                    digest = hashlib.sha256((prev + audit.canonical(row)).encode()).hexdigest()
                    if broken and seq == 2:
                        after = {"case_id": 7, "version": 99}
                    conn.execute(text("INSERT INTO audit_log (seq, at, actor, entity, entity_id, action, after, "
                                      "prev_hash, hash) VALUES (:s, :at, 'a', 'fact_snapshot', :e, 'create', "
                                      ":after, :p, :h)"),
                                 {"s": seq, "at": row.at.replace(tzinfo=None) if backend == "sqlite" else row.at,
                                  "e": str(seq), "after": json.dumps(after), "p": prev, "h": digest})
                    prev = digest
        finally:
            engine.dispose()
        if broken:
            with pytest.raises(RuntimeError, match="broken at row 2"):
                upgrade(url, audit_key=key)
            continue
        upgrade(url, audit_key=key)
        engine = make_engine(url)
        try:
            with make_sessionmaker(engine, audit_key=key)() as db:
                assert services.verify_audit(db).to_dict() == {"ok": True, "rows": 3, "first_bad_seq": None,
                                                               "problem": None}
                assert [r.seq for r in services.case_audit_trail(db, 7)] == [3, 2, 1]
            with make_sessionmaker(engine, audit_key=b"z" * 40)() as db:
                assert services.verify_audit(db).first_bad_seq == 1
        finally:
            engine.dispose()
