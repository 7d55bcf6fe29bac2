"""Issue 12 (benchmarks and tests): kill -9 during concurrent intakes loses nothing acknowledged.

A real ``stca serve`` (two worker processes on SQLite, where they contend for the write lock) takes
intakes from 8 concurrent clients; once 20 are acknowledged
the whole process group gets SIGKILL. After a restart every acknowledged case is there, whole (its
family member, first fact version, status change and both audit rows), no case is half-written, a
retried key answers the case it created, and the audit chain verifies with the key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import httpx
import pytest
from sqlalchemy import func, select

from benchmarks._desk import INTAKE_BODY, DeskProcess, LoadReport, login, prepare, run_load
from stca.desk import services
from stca.desk.db import make_engine, make_sessionmaker
from stca.desk.models import AuditEntry, Case, FactSnapshot, Person, StatusChange

from .conftest import AUDIT_KEY, BACKENDS, start_desk

ACKNOWLEDGED_BEFORE_KILL = 20


@pytest.mark.parametrize("backend", BACKENDS)
def test_kill_9_during_intakes_loses_no_acknowledged_case(backend: str, new_database: Callable[[str], str]) -> None:
    url = new_database(backend)
    prepare(url, AUDIT_KEY)
    desk = DeskProcess.start(url, AUDIT_KEY, workers=2 if backend == "sqlite" else 1)
    try:
        cookies, headers = login(desk.base_url)
        stop = threading.Event()
        report = LoadReport(seconds=0.0, notify_at=ACKNOWLEDGED_BEFORE_KILL)
        crowd = threading.Thread(target=run_load, args=(desk.base_url,), kwargs={
            "clients": 8, "seconds": 60, "write_share": 1.0, "cookies": cookies, "headers": headers,
            "stop": stop, "report": report})
        crowd.start()
        assert report.reached.wait(timeout=60), report.errors[:3]
        desk.kill()  # mid-intake: 8 requests are in flight
        stop.set()
        crowd.join(timeout=60)
    finally:
        desk.kill()
    assert len(report.acknowledged) >= ACKNOWLEDGED_BEFORE_KILL, report.errors[:3]

    restarted = start_desk(backend, url, accounts={})  # the same database, served again (migrations: no-op)
    try:
        cookies, headers = login(restarted.base_url)
        with httpx.Client(base_url=restarted.base_url, cookies=cookies, headers=headers, timeout=30) as client:
            key, case_id = next(iter(report.acknowledged.items()))
            again = client.post("/api/v1/cases", json=INTAKE_BODY, headers={"Idempotency-Key": key})
            assert again.status_code == 201 and again.json()["id"] == case_id
            assert again.headers.get("Idempotent-Replayed") == "true"
    finally:
        restarted.stop()

    engine = make_engine(url)
    try:
        with make_sessionmaker(engine, audit_key=AUDIT_KEY.encode())() as db:
            stored = set(db.scalars(select(Case.id)).all())
            assert set(report.acknowledged.values()) <= stored  # every acknowledged case is there
            for model, column in ((Person, Person.case_id), (FactSnapshot, FactSnapshot.case_id),
                                  (StatusChange, StatusChange.case_id)):
                per_case = dict(db.execute(select(column, func.count()).select_from(model).group_by(column)).all())
                assert per_case == dict.fromkeys(stored, 1), model.__name__  # none half-written
            audited = dict(db.execute(select(AuditEntry.case_id, func.count()).where(AuditEntry.case_id.is_not(None))
                                      .group_by(AuditEntry.case_id)).all())
            assert audited == dict.fromkeys(stored, 2)
            assert services.verify_audit(db).ok
    finally:
        engine.dispose()

