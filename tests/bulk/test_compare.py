"""``compare``: counts checked against a small example computed by hand from law.md §5."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from stca.bulk import BulkInputError, parse_policy_spec
from stca.bulk.compare import compare_file, compare_frame
from stca.bulk.files import write_frame
from stca.bulk.report import comparison_long, write_csv, write_html

_SISTER_CITIZEN = [{"relationship": "SISTER", "location": "CANADA", "ca_status": "CANADIAN_CITIZEN",
                    "age_years": 30}]


@pytest.fixture()
def cases() -> pl.DataFrame:
    """Five claims. Under ``law`` → ``pre-protocol`` (no Additional Protocol, law.md §1.3):
    0 between ports 2023-06-01, no exception: BARRED (159.4(1.1)) → NOT_APPLICABLE (159.4(1)(a))
    1 the same with a sister who is a Canadian citizen: NOT_BARRED (159.5(a)) → NOT_APPLICABLE
    2 land port 2016, no exception: BARRED both
    3 airport 2024: NOT_APPLICABLE both (159.4(1)(c))
    4 between ports 2019: NOT_APPLICABLE both (159.4(1)(a))
    """
    rows = [
        ("QC", "HT", "BETWEEN_POES_LAND", "2023-06-01", []),
        ("QC", "CO", "BETWEEN_POES_LAND", "2023-06-01", _SISTER_CITIZEN),
        ("ON", "CO", "LAND_POE", "2016-06-01", []),
        ("ON", "NG", "AIRPORT", "2024-07-01", []),
        ("QC", "HT", "BETWEEN_POES_LAND", "2019-08-01", []),
    ]
    member = pl.Struct({"relationship": pl.String, "location": pl.String, "ca_status": pl.String,
                        "age_years": pl.Int64})
    return pl.DataFrame(
        {"province": [r[0] for r in rows], "nationalities": [[r[1]] for r in rows],
         "entry_place": [r[2] for r in rows], "entry_local_date": [r[3] for r in rows],
         "claim_local_date": [r[3] for r in rows], "claim_at_entry": [r[2] != "BETWEEN_POES_LAND" for r in rows],
         "family_members": [r[4] for r in rows]},
        schema_overrides={"family_members": pl.List(member)},
    )


def test_transition_matrix_provisions_and_breakdowns(cases: pl.DataFrame) -> None:
    cmp = compare_frame(cases, "law", "pre-protocol")
    assert (cmp.rows, cmp.changed) == (5, 2)
    matrix = {(r["result_a"], r["result_b"]): r["cases"] for r in cmp.transitions.iter_rows(named=True)}
    assert matrix == {("BARRED", "NOT_APPLICABLE"): 1, ("NOT_BARRED", "NOT_APPLICABLE"): 1,
                      ("BARRED", "BARRED"): 1, ("NOT_APPLICABLE", "NOT_APPLICABLE"): 2}
    moves = {(r["deciding_a"], r["deciding_b"]): r["cases"] for r in cmp.provisions.iter_rows(named=True)}
    assert moves == {("IRPR 159.4(1.1); IRPA 101(1)(e)", "IRPR 159.4(1)(a)"): 1,
                     ("IRPR 159.5(a)", "IRPR 159.4(1)(a)"): 1}
    province = {r["value"]: (r["cases"], r["changed"], r["barred_a"], r["barred_b"])
                for r in cmp.breakdowns["province"].iter_rows(named=True)}
    assert province == {"QC": (3, 2, 1, 0), "ON": (2, 0, 1, 1)}
    nationality = {r["value"]: (r["cases"], r["changed"]) for r in cmp.breakdowns["nationality"].iter_rows(named=True)}
    assert nationality == {"HT": (2, 1), "CO": (2, 1), "NG": (1, 0)}
    place = {r["value"]: r["changed"] for r in cmp.breakdowns["entry_place"].iter_rows(named=True)}
    assert place == {"BETWEEN_POES_LAND": 2, "LAND_POE": 0, "AIRPORT": 0}
    totals = {r["stca_result"]: (r["a"], r["b"]) for r in cmp.outcome_totals().iter_rows(named=True)}
    assert totals == {"BARRED": (2, 1), "NOT_BARRED": (1, 0), "NOT_APPLICABLE": (2, 4)}


def test_streamed_file_gives_the_same_counts(cases: pl.DataFrame, tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    write_frame(pl.concat([cases] * 400), path)
    cmp = compare_file(path, "law", "pre-protocol")
    assert (cmp.rows, cmp.changed) == (2_000, 800)
    assert cmp.breakdowns["province"].filter(pl.col("value") == "QC")["changed"].item() == 800


def test_determination_date_variant_moves_parallel_grounds_only() -> None:
    """Claim 24 days after a between-ports entry in July 2025: decided on the claim date, no IRPA 101(1)(b.2);
    decided on 2026-04-01 (after S.C. 2026, c. 4), (b.2) applies. The STCA outcome does not move."""
    frame = pl.DataFrame({"entry_place": ["BETWEEN_POES_LAND"], "entry_local_date": ["2025-07-01"],
                          "claim_local_date": ["2025-07-25"], "claim_at_entry": [False]})
    cmp = compare_frame(frame, "law", "law@2026-04-01")
    assert cmp.b == "law@2026-04-01" and cmp.changed == 0
    assert cmp.grounds.rows() == [("IRPA 101(1)(b.2)", 0, 1)]
    # A claim made after the chosen date keeps its own claim date (no decision precedes its claim).
    later = frame.with_columns(entry_local_date=pl.lit("2026-05-01"), claim_local_date=pl.lit("2026-05-25"))
    assert compare_frame(later, "law", "law@2026-04-01").grounds.rows() == [("IRPA 101(1)(b.2)", 1, 1)]


def test_reports_csv_and_html(cases: pl.DataFrame, tmp_path: Path) -> None:
    cmp = compare_frame(cases, "law", "pre-protocol")
    write_csv(cmp, tmp_path / "c.csv")
    back = pl.read_csv(tmp_path / "c.csv")
    assert back.filter(pl.col("section") == "transition")["cases"].sum() == 5
    assert back.filter(pl.col("section") == "policies").row(0, named=True)["changed"] == 2
    assert comparison_long(cmp).height == back.height
    write_html(cmp, tmp_path / "c.html")
    page = (tmp_path / "c.html").read_text()
    assert "Plotly.newPlot" in page and "IRPR 159.5(a)" in page
    assert "<script src=" not in page and len(page) > 1_000_000  # plotly.js embedded, no CDN


def test_bad_policy_names_the_option() -> None:
    with pytest.raises(BulkInputError, match="--policy: unknown policy 'no-such'"):
        parse_policy_spec("no-such")
    with pytest.raises(BulkInputError, match="NAME@YYYY-MM-DD"):
        parse_policy_spec("law@2026-13-01")
