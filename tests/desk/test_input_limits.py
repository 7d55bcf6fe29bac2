"""Issue 12, finding 8: out-of-range numbers, dates, NUL bytes and unknown fields are 4xx naming the field.

Before these checks, ids ≥ 2⁶³ (SQLite) or ≥ 2³¹ (PostgreSQL) and an encounter in year 1 were 500s, a
NUL byte reached PostgreSQL (500), ``{"__bogus": 1}`` in a PATCH body was ignored, and ``%`` in a
search matched every case.
"""

from __future__ import annotations

import httpx

from .conftest import Desk, case_body

BIG = [2**31, 2**63, 10**30]


def _field(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    return str(response.json()["problems"][0]["field"])


def test_ids_and_offsets_beyond_the_integer_range_are_refused_by_name(desk: Desk) -> None:
    supervisor = desk.as_role("supervisor")
    for big in BIG:
        assert _field(supervisor.get(f"/api/v1/cases/{big}")) == "case_id"
        assert _field(supervisor.get(f"/api/v1/determinations/{big}/replay")) == "determination_id"
        assert _field(supervisor.post(f"/api/v1/reviews/{big}/approve", json={})) == "review_id"
        assert _field(supervisor.patch(f"/api/v1/sites/{big}", json={"beds": 1})) == "site_id"
        assert _field(supervisor.get("/api/v1/cases", params={"offset": big})) == "offset"
        assert _field(supervisor.get("/api/v1/cases", params={"site_id": big})) == "site_id"
        assert _field(supervisor.post("/api/v1/cases", json=case_body(site_id=big))) == "site_id"
        # The page door: no such case, not a server error.
        page = supervisor.get(f"/cases/{big}", headers={"Accept": "text/html"})
        assert page.status_code == 404


def test_encounter_dates_outside_the_documented_range_are_refused(desk: Desk) -> None:
    intake = desk.as_role("intake_officer")
    for when in ("0001-01-01T00:00:00", "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59", "1999-06-01T10:00:00"):
        response = intake.post("/api/v1/cases", json=case_body(encountered_at=when))
        assert _field(response) == "encountered_at"
        assert "2004-01-01" in response.json()["problems"][0]["message"]


def test_nul_bytes_are_refused_by_name_at_every_door(desk: Desk) -> None:
    anonymous = desk.anonymous()
    assert _field(anonymous.post("/api/v1/session", json={"username": "ad\x00min", "password": "x"})) == "username"
    intake = desk.as_role("intake_officer")
    assert _field(intake.post("/api/v1/cases", json=case_body(claimant_name="A\x00B"))) == "claimant_name"
    assert _field(intake.post("/api/v1/cases", json=case_body(
        family_members=[{"name": "C\x00", "relationship": "CHILD"}]))) == "family_members[0].name"
    assert _field(intake.get("/api/v1/cases", params={"search": "x\x00"})) == "search"
    # The login page (a form, not the API) answers as for any unknown account.
    page = desk.anonymous()
    form = page.get("/login", headers={"Accept": "text/html"})
    token = form.text.split('name="csrf_token" value="')[1].split('"')[0]
    answer = page.post("/login", data={"username": "ad\x00min", "password": "x", "csrf_token": token},
                       headers={"Accept": "text/html"})
    assert 400 <= answer.status_code < 500


def test_unknown_fields_in_bodies_are_refused(desk: Desk) -> None:
    supervisor = desk.as_role("supervisor")
    site = supervisor.get("/api/v1/sites").json()
    site_id = site[0]["id"] if site else supervisor.post("/api/v1/sites", json={
        "code": "LIM-1", "name": "Limits", "province": "QC", "beds": 5, "daily_intake": 1}).json()["id"]
    assert _field(supervisor.patch(f"/api/v1/sites/{site_id}", json={"__bogus": 1})) == "__bogus"
    assert _field(desk.as_role("admin").patch("/api/v1/users/1", json={"active": True, "role": "admin"})) == "role"
    assert _field(desk.anonymous().post("/api/v1/session", json={"username": "a", "password": "b", "x": 1})) == "x"


def test_search_wildcards_match_themselves(desk: Desk) -> None:
    intake = desk.as_role("intake_officer")
    for name in ("Wild 100% Card", "Wild 1000 Card", "Wild_Under", "WildXUnder"):
        assert intake.post("/api/v1/cases", json=case_body(claimant_name=name)).status_code == 201
    names = lambda q: {c["claimant_name"] for c in intake.get("/api/v1/cases", params={  # noqa: E731
        "search": q, "limit": 500}).json()["items"]}
    assert names("100%") == {"Wild 100% Card"}
    assert names("wild_") == {"Wild_Under"}
