"""Reception capacity: occupancy from open cases, full sites refused, transfers between provinces."""

from __future__ import annotations

import uuid

from .conftest import Desk, case_body


def _site(desk: Desk, province: str, beds: int, daily: int = 50) -> dict:
    admin = desk.as_role("admin")
    code = f"{province}-T{uuid.uuid4().hex[:6].upper()}"
    response = admin.post("/api/v1/sites", json={"code": code, "name": f"Test {code}", "province": province,
                                                  "beds": beds, "daily_intake": daily})
    assert response.status_code == 201, response.text
    return response.json()


def test_occupancy_counts_open_cases_and_a_full_site_is_refused(desk: Desk) -> None:
    site = _site(desk, "QC", beds=2)
    intake = desk.as_role("intake_officer")
    a = intake.post("/api/v1/cases", json=case_body(site_id=site["id"])).json()
    intake.post("/api/v1/cases", json=case_body(site_id=site["id"]))
    view = next(s for s in intake.get("/api/v1/sites", params={"province": "QC"}).json() if s["id"] == site["id"])
    assert (view["occupied"], view["free_beds"], view["intake_today"]) == (2, 0, 2)
    full = intake.post("/api/v1/cases", json=case_body(site_id=site["id"]))
    assert full.status_code == 409 and full.json()["problems"][0]["field"] == "site_id"

    officer = desk.as_role("eligibility_officer")
    officer.post(f"/api/v1/cases/{a['id']}/status", json={"status": "WITHDRAWN", "reason": "left the country"})
    view = next(s for s in intake.get("/api/v1/sites").json() if s["id"] == site["id"])
    assert view["occupied"] == 1  # a closed case frees its bed


def test_daily_intake_limit(desk: Desk) -> None:
    site = _site(desk, "MB", beds=10, daily=1)
    intake = desk.as_role("intake_officer")
    assert intake.post("/api/v1/cases", json=case_body(province="MB", site_id=site["id"])).status_code == 201
    second = intake.post("/api/v1/cases", json=case_body(province="MB", site_id=site["id"]))
    assert second.status_code == 409 and "daily intake" in second.json()["detail"]


def test_transfer_between_provinces_moves_the_bed_and_is_recorded(desk: Desk) -> None:
    quebec, ontario = _site(desk, "QC", beds=5), _site(desk, "ON", beds=5)
    intake = desk.as_role("intake_officer")
    case = intake.post("/api/v1/cases", json=case_body(site_id=quebec["id"])).json()
    assert case["site"]["code"] == quebec["code"]
    no_reason = intake.post(f"/api/v1/cases/{case['id']}/transfers", json={"to_site_id": ontario["id"], "reason": ""})
    assert no_reason.status_code == 422
    moved = intake.post(f"/api/v1/cases/{case['id']}/transfers",
                        json={"to_site_id": ontario["id"], "reason": "Montréal shelters full"})
    assert moved.status_code == 201
    transfer = moved.json()
    assert (transfer["from_province"], transfer["to_province"], transfer["by"]) == ("QC", "ON", "intake")
    sites = {s["id"]: s for s in intake.get("/api/v1/sites").json()}
    assert sites[quebec["id"]]["occupied"] == 0 and sites[ontario["id"]]["occupied"] == 1
    detail = intake.get(f"/api/v1/cases/{case['id']}").json()
    assert detail["site"]["province"] == "ON" and detail["transfers"][0]["reason"] == "Montréal shelters full"
    capacity = {p["province"]: p for p in intake.get("/api/v1/capacity").json()}
    assert capacity["ON"]["occupied"] >= 1


def test_site_capacity_update_and_validation(desk: Desk) -> None:
    site = _site(desk, "NB", beds=3)
    supervisor = desk.as_role("supervisor")
    assert supervisor.patch(f"/api/v1/sites/{site['id']}", json={"beds": 9}).json()["beds"] == 9
    bad = supervisor.patch(f"/api/v1/sites/{site['id']}", json={"beds": -1})
    assert bad.status_code == 422 and bad.json()["problems"][0]["field"] == "beds"
    dup = desk.as_role("admin").post("/api/v1/sites", json={"code": site["code"], "name": "dup", "province": "NB",
                                                             "beds": 1, "daily_intake": 1})
    assert dup.status_code == 409 and dup.json()["problems"][0]["field"] == "code"
