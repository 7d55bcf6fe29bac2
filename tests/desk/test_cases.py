"""Intake, versioned facts, stored and replayed determinations, and the anonymous determinations API."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from stca.desk.models import AuditEntry, Case, FactSnapshot

from .conftest import Desk, case_body

FACTS = {"entry_place": "LAND_POE", "entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01"}


def _counts(desk: Desk) -> tuple[int, int, int]:
    with desk.session() as db:
        return (db.scalar(select(func.count(Case.id))) or 0, db.scalar(select(func.count(FactSnapshot.id))) or 0,
                db.scalar(select(func.count(AuditEntry.seq))) or 0)


def test_anonymous_determination_object_array_language_and_policy(desk: Desk) -> None:
    client = desk.anonymous()
    one = client.post("/api/v1/determinations", json=FACTS)
    assert one.status_code == 200
    body = one.json()
    assert body["stca_result"] == "BARRED"
    for key in ("deciding_provision", "path", "other_ineligibility", "covid_direct_back", "uncertain",
                "explanation", "law_version"):
        assert key in body
    many = client.post("/api/v1/determinations", params={"lang": "fr"}, json=[FACTS, {**FACTS, "age_years": 16}])
    assert many.status_code == 200 and len(many.json()) == 2
    assert many.json()[0]["explanation"] != body["explanation"]  # French text
    no_agreement = client.post("/api/v1/determinations", params={"policy": "no-agreement"}, json=FACTS)
    assert no_agreement.json()["stca_result"] == "NOT_APPLICABLE"


def test_anonymous_determination_bad_input_names_the_field(desk: Desk) -> None:
    client = desk.anonymous()
    bad = client.post("/api/v1/determinations", json={**FACTS, "age_years": "old"})
    assert bad.status_code == 422
    assert [p["field"] for p in bad.json()["problems"]] == ["age_years"]
    unknown = client.post("/api/v1/determinations", json={**FACTS, "entry_plase": "LAND_POE"})
    assert unknown.json()["problems"][0]["field"] == "entry_plase"
    in_array = client.post("/api/v1/determinations", json=[FACTS, {**FACTS, "claim_local_date": "2024-04-01"}])
    assert in_array.status_code == 422
    assert in_array.json()["problems"][0]["field"] == "[1].claim_local_date"
    policy = client.post("/api/v1/determinations", params={"policy": "martial-law"}, json=FACTS)
    assert policy.status_code == 422 and policy.json()["problems"][0]["field"] == "policy"
    not_json = client.post("/api/v1/determinations", content=b"{nope", headers={"content-type": "application/json"})
    assert not_json.status_code == 422 and "traceback" not in not_json.text.lower()
    assert not_json.json()["problems"][0]["field"] == "(body)"


def test_double_submit_with_idempotency_key_creates_one_case(desk: Desk) -> None:
    client = desk.as_role("intake_officer")
    key = uuid.uuid4().hex
    body = case_body(claimant_name="Idem Potent")
    first = client.post("/api/v1/cases", json=body, headers={"Idempotency-Key": key})
    second = client.post("/api/v1/cases", json=body, headers={"Idempotency-Key": key})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert client.get("/api/v1/cases", params={"search": "Idem Potent"}).json()["total"] == 1
    reused = client.post("/api/v1/cases", json=case_body(claimant_name="Someone Else"),
                         headers={"Idempotency-Key": key})
    assert reused.status_code == 409 and reused.json()["problems"][0]["field"] == "Idempotency-Key"


def test_concurrent_double_submit_creates_one_case(desk: Desk) -> None:
    client = desk.as_role("intake_officer")
    key, body = uuid.uuid4().hex, case_body(claimant_name="Race Condition")
    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(lambda _: client.post("/api/v1/cases", json=body, headers={"Idempotency-Key": key}),
                                  range(4)))
    assert {r.status_code for r in responses} == {201}
    assert len({r.json()["id"] for r in responses}) == 1
    assert client.get("/api/v1/cases", params={"search": "Race Condition"}).json()["total"] == 1


def test_editing_facts_appends_a_version_and_keeps_the_old_one(desk: Desk) -> None:
    client = desk.as_role("intake_officer")
    case = client.post("/api/v1/cases", json=case_body(facts=FACTS)).json()
    assert [s["version"] for s in case["snapshots"]] == [1]
    newer = client.post(f"/api/v1/cases/{case['id']}/facts", json={"facts": {**FACTS, "age_years": 16},
                                                                   "note": "passport shows 16"})
    assert newer.status_code == 201 and newer.json()["version"] == 2
    versions = client.get(f"/api/v1/cases/{case['id']}/facts").json()
    assert [(v["version"], v["facts"]["age_years"]) for v in versions] == [(1, 35), (2, 16)]


def test_determination_is_stored_with_versions_and_replays_identically(desk: Desk) -> None:
    import stca

    client = desk.as_role("eligibility_officer")
    case = client.post("/api/v1/cases", json=case_body(facts=FACTS)).json()
    det = client.post(f"/api/v1/cases/{case['id']}/determinations").json()
    assert det["stca_result"] == "BARRED" and det["engine_version"] == stca.__version__
    assert det["policy"] == "law" and det["law_version"] and det["path"][0]["rule"]
    assert det["snapshot_version"] == 1
    replay = client.get(f"/api/v1/determinations/{det['id']}/replay").json()
    assert replay["same"] is True and replay["differences"] == []
    french = client.get(f"/api/v1/determinations/{det['id']}", params={"lang": "fr"}).json()
    assert french["result"]["explanation"] != det["result"]["explanation"]
    assert client.get(f"/api/v1/cases/{case['id']}").json()["status"] == "DETERMINED"


def test_replay_reports_a_difference_when_the_stored_record_disagrees(desk: Desk) -> None:
    from stca.desk import services
    from stca.desk.models import Determination

    client = desk.as_role("eligibility_officer")
    case = client.post("/api/v1/cases", json=case_body(facts=FACTS)).json()
    det = client.post(f"/api/v1/cases/{case['id']}/determinations").json()
    with desk.session() as db:  # simulate an engine that decided differently back then
        row = db.get(Determination, det["id"])
        assert row is not None
        row.result = {**row.result, "stca_result": "NOT_BARRED"}
        db.commit()
        report = services.replay_determination(db, det["id"])
    assert report.same is False and report.differences[0].startswith("stca_result")


def test_bad_input_names_the_field_and_changes_nothing(desk: Desk) -> None:
    client = desk.as_role("intake_officer")
    before = _counts(desk)
    cases = [
        case_body(province="ZZ"),
        case_body(encounter_type="BY_SEA"),
        case_body(facts={**FACTS, "claim_local_date": "2024-04-01"}),
        case_body(facts={**FACTS, "family_members": [{"relationship": "CHILD", "age_years": -1}]}),
        case_body(family_members=[{"name": "", "relationship": "CHILD"}]),
        case_body(site_id=987654),
    ]
    fields = []
    for body in cases:
        response = client.post("/api/v1/cases", json=body)
        assert response.status_code == 422, response.text
        assert "Traceback" not in response.text
        fields.append(response.json()["problems"][0]["field"])
    assert _counts(desk) == before
    assert fields == ["province", "encounter_type", "facts.claim_local_date", "facts.family_members[0].age_years",
                      "family_members[0].name", "site_id"]
    good = client.post("/api/v1/cases", json=case_body(facts=FACTS)).json()
    before = _counts(desk)
    bad_facts = client.post(f"/api/v1/cases/{good['id']}/facts", json={"facts": {**FACTS, "marital": "MAYBE"}})
    assert bad_facts.status_code == 422 and bad_facts.json()["problems"][0]["field"] == "facts.marital"
    assert _counts(desk) == before
    assert client.get(f"/api/v1/cases/{good['id']}").json()["status"] == "RECEIVED"
