"""law.md §9 A1: a claim in the US heard by an immigration judge in removal proceedings (8 CFR 1240.11(g))."""

from __future__ import annotations

from typing import Any

import polars as pl

from stca.law import POINTS, SOURCES, determine, evaluate_frame

BASE = {"direction": "CANADA_TO_US", "entry_place": "LAND_POE", "entry_local_date": "2019-09-10",
        "claim_local_date": "2019-09-10"}


def _both(**facts: Any) -> tuple[str, str]:
    d = determine({**BASE, **facts})
    row = evaluate_frame(pl.DataFrame([{**BASE, **facts}], infer_schema_length=None)).row(0, named=True)
    assert (row["stca_result"], row["deciding_provision"]) == (d.stca_result, d.deciding_provision)
    return d.stca_result, d.deciding_provision


def test_the_judge_bars_and_the_explanation_says_what_follows() -> None:
    d = determine({**BASE, "us_forum": "REMOVAL_PROCEEDINGS"})
    assert (d.stca_result, d.deciding_provision) == ("BARRED", "8 CFR 1240.11(g)(2); INA 208(a)(2)(A)")
    en, fr = d.explanation("en"), d.explanation("fr")
    assert "withholding of removal" in en and "Convention Against Torture" in en and "removed to Canada" in en
    assert "suspension du renvoi" in fr and "torture" in fr
    assert _both() == ("BARRED", "8 CFR 208.30(e)(6)(i); INA 208(a)(2)(A)")


def test_public_interest_is_dhs_alone_before_the_judge() -> None:
    assert _both(us_forum="REMOVAL_PROCEEDINGS", us_public_interest_determination=True) == (
        "NOT_BARRED", "8 CFR 1240.11(g)(3); 8 CFR 208.30(e)(6)(iii)(F)")
    assert _both(us_public_interest_determination=True) == ("NOT_BARRED", "8 CFR 208.30(e)(6)(iii)(F)")


def test_between_ports_within_the_window_before_the_judge() -> None:
    facts = {"entry_place": "BETWEEN_POES_LAND", "claim_at_entry": False, "entry_local_date": "2023-06-01",
             "claim_local_date": "2023-06-05"}
    assert _both(**facts)[1].startswith("8 CFR 208.30(e)(6) (between ports")
    assert _both(**facts, us_forum="REMOVAL_PROCEEDINGS")[1] == "8 CFR 1240.11(g)(2); INA 208(a)(2)(A)"


def test_the_forum_is_ignored_for_claims_in_canada() -> None:
    case = {"entry_local_date": "2019-09-10", "claim_local_date": "2019-09-10"}
    a, b = determine(case), determine({**case, "us_forum": "REMOVAL_PROCEEDINGS"})
    assert a.to_dict() == b.to_dict()


def test_section_9_readings_cite_known_sources() -> None:
    by_id = {p.id: p for p in POINTS}
    for pid in ("US-TPS-PAROLE", "CA-PROTOCOL-TRANSITION"):
        assert "§9" in by_id[pid].section and by_id[pid].sources
    assert all(s in SOURCES for p in POINTS for s in p.sources)
