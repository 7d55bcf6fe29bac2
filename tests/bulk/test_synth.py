"""Synthetic cases: valid for the law's own parser, deterministic for a seed, varied enough to matter."""

from __future__ import annotations

import polars as pl

from stca.bulk import evaluate_cases, synth_frame
from stca.bulk.synth import synth_chunks
from stca.law import parse_facts


def test_a_sample_passes_parse_facts() -> None:
    frame = synth_frame(5_000, seed=3).drop("case_id", "province")
    rows = frame.with_columns(pl.col("entry_instant").dt.to_string("%Y-%m-%dT%H:%M:%S%:z")).to_dicts()
    for row in rows[::5]:  # 1,000 cases through pydantic
        parse_facts(row)


def test_same_seed_same_cases_other_seed_other_cases() -> None:
    a, b, c = synth_frame(2_000, seed=9), synth_frame(2_000, seed=9), synth_frame(2_000, seed=10)
    assert a.equals(b)
    assert not a.equals(c)


def test_chunks_are_deterministic_and_ids_continue() -> None:
    first = pl.concat([pl.from_arrow(t) for t in synth_chunks(2_500, seed=4, chunk_rows=1_000)])  # type: ignore[misc]
    again = pl.concat([pl.from_arrow(t) for t in synth_chunks(2_500, seed=4, chunk_rows=1_000)])  # type: ignore[misc]
    assert first.equals(again)
    assert first["case_id"].to_list() == list(range(2_500))
    assert first.head(1_000).equals(synth_frame(1_000, seed=4))


def test_mix_covers_places_directions_members_and_every_outcome() -> None:
    frame = synth_frame(50_000, seed=1)
    assert set(frame["entry_place"]) == {"LAND_POE", "BETWEEN_POES_LAND", "AIRPORT", "HARBOUR_PORT", "OTHER_NON_POE"}
    assert set(frame["direction"]) == {"US_TO_CANADA", "CANADA_TO_US"}
    years = frame["claim_local_date"].dt.year()
    assert years.min() == 2004 and years.max() == 2026
    assert (years.is_between(2017, 2019)).mean() > (years.is_between(2010, 2012)).mean() * 3  # history's shape
    members = frame["family_members"].explode(empty_as_null=False, keep_nulls=False).struct.unnest()
    assert members.height > 30_000 and members["relationship"].n_unique() == 20
    assert (frame["age_years"] < 18).mean() > 0.1
    assert frame["death_penalty"].is_in(["CHARGED_OR_CONVICTED_US", "CHARGED_OR_CONVICTED_OTHER"]).sum() > 0
    assert frame["stateless"].sum() > 0 and frame["in_transit_removal_from_us"].sum() > 0
    results = evaluate_cases(frame)
    assert set(results["stca_result"].cast(pl.String)) == {"BARRED", "NOT_BARRED", "NOT_APPLICABLE"}
    assert results["deciding_provision"].n_unique() > 25
