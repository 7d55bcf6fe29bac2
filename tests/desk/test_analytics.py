"""Aggregates and exports for analysts: counts by dimension, CSV and Parquet, never personal data."""

from __future__ import annotations

import io

import polars as pl

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
        table = pl.read_csv(io.BytesIO(raw)) if fmt == "csv" else pl.read_parquet(io.BytesIO(raw))
        assert set(table.columns) == {"month", "province", "encounter_type", "status", "deciding_provision", "count"}
        assert table["count"].sum() >= 1


def test_unknown_dimension_is_refused_by_name(desk: Desk) -> None:
    analyst = desk.as_role("analyst")
    response = analyst.get("/api/v1/stats/counts", params={"by": ["claimant_name"]})
    assert response.status_code == 422 and response.json()["problems"][0]["field"] == "by"
    assert analyst.get("/api/v1/cases").status_code == 403  # analysts never see case lists
