"""Aggregates and exports for analysts: counts by dimension, CSV and Parquet, never personal data."""

from __future__ import annotations

import io

import polars as pl

from stca.desk import services

from .conftest import Desk, case_body

SECRET_NAME = "Zebulon Quixotic-Name"
SECRET_RELATIVE = "Wilhelmina Unmistakable"


def test_exports_have_counts_and_no_names_or_ids(desk: Desk) -> None:
    intake = desk.as_role("intake_officer")
    body = case_body(claimant_name=SECRET_NAME, province="PE", encountered_at="2019-07-04T09:00:00-03:00",
                     family_members=[{"name": SECRET_RELATIVE, "relationship": "SPOUSE"}])
    case = intake.post("/api/v1/cases", json=body).json()
    intake.post(f"/api/v1/cases/{case['id']}/determinations")

    analyst = desk.as_role("analyst")
    rows = analyst.get("/api/v1/stats/counts", params={"by": ["month", "province", "stca_result"]}).json()
    assert {"month": "2019-07", "province": "PE", "stca_result": "BARRED"}.items() <= next(
        r for r in rows if r["month"] == "2019-07" and r["province"] == "PE").items()
    for fmt in ("csv", "parquet"):
        response = analyst.get("/api/v1/stats/export", params={"format": fmt, "by": ["month", "province",
                                                                                   "encounter_type", "status",
                                                                                   "deciding_provision"]})
        assert response.status_code == 200
        raw = response.content
        assert SECRET_NAME.encode() not in raw and SECRET_RELATIVE.encode() not in raw
        assert case["reference"].encode() not in raw
        table = (pl.read_csv(io.BytesIO(raw), schema_overrides={"count": pl.Int64}) if fmt == "csv"
                 else pl.read_parquet(io.BytesIO(raw)))
        assert set(table.columns) == {"month", "province", "encounter_type", "status", "deciding_provision", "count",
                                      "shown"}
        assert table.height >= 1 and table.filter(pl.col("count").is_between(1, 4)).height == 0


def test_unknown_dimension_is_refused_by_name(desk: Desk) -> None:
    analyst = desk.as_role("analyst")
    response = analyst.get("/api/v1/stats/counts", params={"by": ["claimant_name"]})
    assert response.status_code == 422 and response.json()["problems"][0]["field"] == "by"
    assert analyst.get("/api/v1/cases").status_code == 403  # analysts never see case lists


def _counts_in(desk: Desk, month: str) -> dict[tuple[str, str], int]:
    """(result, provision) → count for the Nunavut cases of one month (no other test records there),
    counted without small-cell suppression (which hides counts this small from analysts)."""
    with desk.session() as db:
        table = services.aggregate_counts(db, ["month", "province", "stca_result", "deciding_provision"],
                                          threshold=1)
    return {(r["stca_result"], r["deciding_provision"]): r["count"] for r in table.iter_rows(named=True)
            if r["province"] == "NU" and r["month"] == month}


def test_counts_follow_an_approved_override_but_not_a_pending_or_rejected_one(desk: Desk) -> None:
    """The final outcome of a case is the engine's result until a supervisor approves an override."""
    intake, officer = desk.as_role("intake_officer"), desk.as_role("eligibility_officer")
    supervisor, analyst = desk.as_role("supervisor"), desk.as_role("analyst")
    ids = []
    for name in (SECRET_NAME, SECRET_RELATIVE):
        body = case_body(claimant_name=name, province="NU", encountered_at="2016-02-10T10:00:00-05:00",
                         family_members=[])
        case = intake.post("/api/v1/cases", json=body).json()
        assert intake.post(f"/api/v1/cases/{case['id']}/determinations").status_code == 201
        ids.append(case)
    engine = ("BARRED", "IRPA 101(1)(e); IRPR 159.3")
    assert _counts_in(desk, "2016-02") == {engine: 2}

    reviews = []
    for case in ids:
        override = officer.post(f"/api/v1/cases/{case['id']}/review/override", json={
            "result": "NOT_BARRED", "reason": "Brother's permanent resident card verified with IRCC."})
        assert override.status_code == 201, override.text
        reviews.append(override.json()["id"])
    assert _counts_in(desk, "2016-02") == {engine: 2}  # pending overrides are not in effect

    assert supervisor.post(f"/api/v1/reviews/{reviews[0]}/approve", json={"reason": "Seen."}).status_code == 200
    rejected = supervisor.post(f"/api/v1/reviews/{reviews[1]}/reject", json={"reason": "Card not verified."})
    assert rejected.status_code == 200
    assert _counts_in(desk, "2016-02") == {engine: 1, ("NOT_BARRED", "OVERRIDE"): 1}

    # The page and the exports show the same aggregates, still without any name or reference.
    page = analyst.get("/analyst", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "approved by a supervisor" in page.text
    exported = analyst.get("/api/v1/stats/export", params={"format": "csv", "by": ["province", "stca_result"]})
    for raw in (page.text.encode(), exported.content):
        assert SECRET_NAME.encode() not in raw and SECRET_RELATIVE.encode() not in raw
        assert not any(case["reference"].encode() in raw for case in ids)
    assert b"NU,NOT_BARRED,,<5" in exported.content  # one case: suppressed
    assert analyst.get("/api/v1/stats/counts", params={"by": ["province"], "date_from": "2016-02-01",
                                                       "date_to": "2016-02-29"}).status_code == 422
