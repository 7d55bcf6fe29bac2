"""The case page with a long audit log: its trail is one index lookup, whatever the log's length.

Figure: wall time of ``GET /cases/{id}`` (HTML, rendered by the app in process, SQLite) with 100,000
audit rows about other things in the log, against the same page measured in the same run before those
rows were added. Targets: ≤ 50 ms, and ≤ 2× the page over a near-empty log. Before the index, the page
read the newest 5,000 rows and filtered them in Python (0.35–0.4 s, and trails older than that were lost).
"""

from __future__ import annotations

import statistics
import time
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import insert

from benchmarks._harness import Figure, scratch_dir

KEY = "bench-audit-key-" + "b" * 32
PASSWORD = "bench-password-long"


def _page_ms(client: TestClient, path: str, calls: int) -> float:
    for _ in range(3):
        assert client.get(path).status_code == 200
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return statistics.median(times) * 1000


def _fill(app: object, rows: int) -> None:
    """Append ``rows`` correctly chained audit rows about sites (none about the measured case)."""
    from stca.desk import audit
    from stca.desk.models import AuditEntry

    with app.state.sessionmaker() as db, db.begin():  # type: ignore[attr-defined]
        last = db.query(AuditEntry).order_by(AuditEntry.seq.desc()).first()
        prev, seq = (last.hash, last.seq) if last else (audit.GENESIS_HASH, 0)
        batch: list[dict[str, object]] = []
        for i in range(rows):
            seq += 1
            row = AuditEntry(seq=seq, at=audit.utcnow(), actor="admin", entity="site", entity_id=str(i % 50),
                             action="update", before={"beds": i}, after={"beds": i + 1}, prev_hash=prev)
            row.hash = prev = audit.row_hash(row, KEY.encode())
            batch.append({c: getattr(row, c) for c in ("seq", "at", "actor", "entity", "entity_id", "action",
                                                       "before", "after", "prev_hash", "hash")})
            if len(batch) == 5000:
                db.execute(insert(AuditEntry), batch)
                batch = []
        if batch:
            db.execute(insert(AuditEntry), batch)


def run(quick: bool = False) -> list[Figure]:
    """The case page before and after 100,000 (quick: 20,000) unrelated audit rows."""
    from stca.desk import services
    from stca.desk.app import create_app
    from stca.desk.config import Settings
    from stca.desk.db import upgrade

    rows = 20_000 if quick else 100_000
    url = f"sqlite:///{scratch_dir() / f'case-page-{uuid.uuid4().hex[:8]}.sqlite3'}"
    upgrade(url)
    app = create_app(Settings(database_url=url, secret_key="bench-secret-" + "s" * 32, audit_key=KEY))
    try:
        with app.state.sessionmaker() as db:
            services.create_user(db, None, username="sup", password=PASSWORD, role="supervisor")
        with TestClient(app) as client:
            login = client.post("/api/v1/session", json={"username": "sup", "password": PASSWORD})
            client.headers["X-CSRF-Token"] = login.json()["csrf_token"]
            case = client.post("/api/v1/cases", json={
                "encounter_type": "LAND_POE", "place": "Lacolle", "encountered_at": "2024-05-01T10:30:00-04:00",
                "province": "QC", "claimant_name": "Bench Claimant"}).json()
            client.post(f"/api/v1/cases/{case['id']}/determinations")
            path = f"/cases/{case['id']}"
            client.headers["Accept"] = "text/html"
            calls = 15 if quick else 40
            empty = _page_ms(client, path, calls)
            _fill(app, rows)
            full = _page_ms(client, path, calls)
    finally:
        app.state.engine.dispose()
    return [Figure(f"case page, {rows:,} other rows in the audit log", full, "ms",
                   baseline=f"same page over a near-empty log: {empty:.1f} ms (median of {calls})",
                   ratio=full / empty, target="≤ 50 ms and ≤ 2× the near-empty log",
                   met=full <= 50 and full / empty <= 2)]
