"""Issue 12, finding 7: a case's audit trail survives a long log (the page once read only the newest 5,000)."""

from __future__ import annotations

from sqlalchemy import insert, select

from stca.desk import audit, services
from stca.desk.models import AuditEntry

from .conftest import AUDIT_KEY, Desk, case_body

LATER_ROWS = 5_001
COLUMNS = ("seq", "at", "actor", "entity", "entity_id", "action", "before", "after", "prev_hash", "hash")


def test_the_case_page_keeps_its_whole_trail_after_5000_later_rows(fresh_desk: Desk) -> None:
    intake = fresh_desk.as_role("intake_officer")
    case = intake.post("/api/v1/cases", json=case_body(claimant_name="Long Log")).json()
    with fresh_desk.session() as db, db.begin():  # 5,001 rows about other things, chained under the key
        last = db.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
        prev, seq, rows = last.hash, last.seq, []
        for i in range(LATER_ROWS):
            seq += 1
            row = AuditEntry(seq=seq, at=audit.utcnow(), actor="admin", entity="site", entity_id=str(i),
                             action="update", before=None, after={"beds": i}, prev_hash=prev)
            row.hash = prev = audit.row_hash(row, AUDIT_KEY.encode())
            rows.append({c: getattr(row, c) for c in COLUMNS})
        db.execute(insert(AuditEntry), rows)
    with fresh_desk.session() as db:
        trail = services.case_audit_trail(db, case["id"])
    assert [(r.entity, r.action) for r in trail] == [("fact_snapshot", "create"), ("case", "create")]
    page = intake.get(f"/cases/{case['id']}", headers={"Accept": "text/html"})
    assert page.status_code == 200
    rows = page.text.split('id="audit-table"')[1].split("</table>")[0]
    assert f'<td class="num">{trail[-1].seq}</td>' in rows and "No audit entry" not in rows
