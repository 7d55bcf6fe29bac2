"""Review workflow: confirm, override with four-eyes approval, and only valid status moves."""

from __future__ import annotations

from typing import Any

import httpx

from .conftest import Desk, case_body

BARRED_FACTS = {"entry_place": "LAND_POE", "entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01"}
REASON = "Brother's permanent residence card verified at interview (IRPR 159.5(a))."


def _determined(desk: Desk) -> tuple[httpx.Client, dict[str, Any]]:
    officer = desk.as_role("eligibility_officer")
    case = officer.post("/api/v1/cases", json=case_body(facts=BARRED_FACTS)).json()
    assert officer.post(f"/api/v1/cases/{case['id']}/determinations").status_code == 201
    return officer, case


def test_override_takes_effect_only_after_another_supervisor_approves(desk: Desk) -> None:
    officer, case = _determined(desk)
    cid = case["id"]
    review = officer.post(f"/api/v1/cases/{cid}/review/override", json={"result": "NOT_BARRED", "reason": REASON})
    assert review.status_code == 201 and review.json()["approval"] == "PENDING"
    state = officer.get(f"/api/v1/cases/{cid}").json()
    assert state["effective_result"] == "BARRED" and state["pending_override"] is True

    # Not in effect yet: no referral, and an officer cannot approve (route role) ...
    refer = officer.post(f"/api/v1/cases/{cid}/status", json={"status": "REFERRED_TO_IRB"})
    assert refer.status_code == 409
    assert officer.post(f"/api/v1/reviews/{review.json()['id']}/approve", json={}).status_code == 403

    # ... nor can a supervisor approve their own override (four eyes).
    supervisor = desk.as_role("supervisor")
    own = supervisor.post(f"/api/v1/cases/{cid}/review/override", json={"result": "NOT_APPLICABLE", "reason": REASON})
    assert own.status_code == 409  # one pending override at a time
    pending = supervisor.get("/api/v1/reviews/pending").json()
    assert review.json()["id"] in [r["id"] for r in pending]
    approved = supervisor.post(f"/api/v1/reviews/{review.json()['id']}/approve", json={"reason": "seen"})
    assert approved.status_code == 200 and approved.json()["in_effect"] is True
    state = officer.get(f"/api/v1/cases/{cid}").json()
    assert state["effective_result"] == "NOT_BARRED" and state["pending_override"] is False

    returned = officer.post(f"/api/v1/cases/{cid}/status", json={"status": "RETURNED_TO_US"})
    assert returned.status_code == 409  # result in effect is NOT_BARRED now
    referred = officer.post(f"/api/v1/cases/{cid}/status", json={"status": "REFERRED_TO_IRB"})
    assert referred.status_code == 200 and referred.json()["status"] == "REFERRED_TO_IRB"


def test_supervisor_cannot_approve_own_override_and_rejection_needs_a_reason(desk: Desk) -> None:
    _, case = _determined(desk)
    supervisor = desk.login("supervisor2")
    own = supervisor.post(f"/api/v1/cases/{case['id']}/review/override",
                          json={"result": "NOT_BARRED", "reason": REASON}).json()
    self_approval = supervisor.post(f"/api/v1/reviews/{own['id']}/approve", json={})
    assert self_approval.status_code == 403
    other = desk.as_role("supervisor")
    no_reason = other.post(f"/api/v1/reviews/{own['id']}/reject", json={"reason": ""})
    assert no_reason.status_code == 422 and no_reason.json()["problems"][0]["field"] == "reason"
    rejected = other.post(f"/api/v1/reviews/{own['id']}/reject", json={"reason": "card expired"})
    assert rejected.status_code == 200 and rejected.json()["approval"] == "REJECTED"
    state = other.get(f"/api/v1/cases/{case['id']}").json()
    assert state["effective_result"] == "BARRED" and state["pending_override"] is False


def test_override_needs_a_written_reason_and_a_different_result(desk: Desk) -> None:
    officer, case = _determined(desk)
    short = officer.post(f"/api/v1/cases/{case['id']}/review/override", json={"result": "NOT_BARRED", "reason": "x"})
    assert short.status_code == 422 and short.json()["problems"][0]["field"] == "reason"
    same = officer.post(f"/api/v1/cases/{case['id']}/review/override", json={"result": "BARRED", "reason": REASON})
    assert same.status_code == 422 and same.json()["problems"][0]["field"] == "result"


def test_invalid_transitions_are_rejected_and_leave_the_status(desk: Desk) -> None:
    officer = desk.as_role("eligibility_officer")
    case = officer.post("/api/v1/cases", json=case_body(facts=BARRED_FACTS)).json()
    cid = case["id"]
    for target, code in (("RETURNED_TO_US", 409), ("UNDER_REVIEW", 409), ("DETERMINED", 422), ("CLOSED", 422)):
        response = officer.post(f"/api/v1/cases/{cid}/status", json={"status": target})
        assert response.status_code == code, (target, response.text)
        assert response.json()["problems"][0]["field"] == "status"
    assert officer.post(f"/api/v1/cases/{cid}/review/confirm", json={}).status_code == 409
    assert officer.get(f"/api/v1/cases/{cid}").json()["status"] == "RECEIVED"

    officer.post(f"/api/v1/cases/{cid}/determinations")
    assert officer.post(f"/api/v1/cases/{cid}/review/confirm", json={"reason": "ok"}).status_code == 201
    assert officer.post(f"/api/v1/cases/{cid}/status", json={"status": "REFERRED_TO_IRB"}).status_code == 409
    done = officer.post(f"/api/v1/cases/{cid}/status", json={"status": "RETURNED_TO_US"})
    assert done.status_code == 200 and done.json()["allowed_transitions"] == []
    # A closed case cannot move, be re-determined or get new facts.
    assert officer.post(f"/api/v1/cases/{cid}/status", json={"status": "WITHDRAWN", "reason": "left"}).status_code \
        == 409
    assert officer.post(f"/api/v1/cases/{cid}/determinations").status_code == 409
    assert officer.post(f"/api/v1/cases/{cid}/facts", json={"facts": BARRED_FACTS}).status_code == 409
    history = [h["to_status"] for h in officer.get(f"/api/v1/cases/{cid}").json()["history"]]
    assert history == ["RECEIVED", "DETERMINED", "UNDER_REVIEW", "RETURNED_TO_US"]
