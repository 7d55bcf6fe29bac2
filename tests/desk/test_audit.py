"""The hash-chained audit log: every change recorded, verification, and tamper detection."""

from __future__ import annotations

import subprocess

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from stca.desk import services

from .conftest import AUDIT_KEY, Desk, case_body


def test_changes_are_audited_with_before_and_after(desk: Desk) -> None:
    intake = desk.as_role("intake_officer")
    case = intake.post("/api/v1/cases", json=case_body(claimant_name="Audit Me")).json()
    trail = desk.as_role("supervisor").get("/api/v1/audit", params={"entity": "case",
                                                                     "entity_id": str(case["id"])}).json()
    actions = [(row["actor"], row["action"]) for row in trail]
    assert ("intake", "create") in actions
    created = next(row for row in trail if row["action"] == "create")
    assert created["before"] is None and created["after"]["claimant_name"] == "Audit Me"
    verify = desk.as_role("admin").get("/api/v1/audit/verify").json()
    assert verify["ok"] is True and verify["rows"] >= 2


def _raw(desk: Desk, sql: str) -> None:
    engine = create_engine(desk.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


def test_database_rejects_update_and_delete_of_audit_rows_and_fact_versions(fresh_desk: Desk) -> None:
    fresh_desk.as_role("intake_officer").post("/api/v1/cases", json=case_body())
    for sql in ("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1", "DELETE FROM audit_log WHERE seq = 1",
                "UPDATE fact_snapshots SET note = 'rewritten'", "DELETE FROM fact_snapshots"):
        with pytest.raises(DBAPIError, match="append-only"):
            _raw(fresh_desk, sql)


def test_tampering_with_raw_sql_is_detected_at_the_first_broken_row(fresh_desk: Desk) -> None:
    intake = fresh_desk.as_role("intake_officer")
    for i in range(3):
        intake.post("/api/v1/cases", json=case_body(claimant_name=f"Chain {i}"))
    admin = fresh_desk.as_role("admin")
    assert admin.get("/api/v1/audit/verify").json()["ok"] is True

    # Someone with database rights drops the guard and rewrites history.
    if fresh_desk.backend == "postgres":
        _raw(fresh_desk, "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    else:
        _raw(fresh_desk, "DROP TRIGGER audit_log_no_update")
    target = 4
    if fresh_desk.backend == "postgres":
        _raw(fresh_desk, f"UPDATE audit_log SET after = '{{\"claimant_name\": \"Forged\"}}'::json WHERE seq = {target}")
    else:
        _raw(fresh_desk, f"UPDATE audit_log SET after = '{{\"claimant_name\": \"Forged\"}}' WHERE seq = {target}")

    report = admin.get("/api/v1/audit/verify").json()
    assert report["ok"] is False and report["first_bad_seq"] == target
    with fresh_desk.session() as db:
        assert services.verify_audit(db).first_bad_seq == target

    from conftest import stca_bin  # the repository's root conftest

    cli = subprocess.run([*stca_bin(), "audit", "verify"], capture_output=True, text=True,
                         env={"STCA_DATABASE_URL": fresh_desk.database_url, "STCA_AUDIT_KEY": AUDIT_KEY,
                              "PATH": "/usr/bin:/bin", "HOME": "/tmp"}, timeout=120)
    assert cli.returncode == 1 and f"row {target}" in cli.stderr
