"""Canada → US: Swanton-sector Border Patrol apprehensions, and the US side of the Agreement per scenario."""

from __future__ import annotations

import numpy as np

from stca.flows import ALL_MONTHS, northbound_checks, simulate_northbound
from stca.flows._northbound import COLUMNS, figures

MONTHS = ALL_MONTHS[: ALL_MONTHS.index("2026-12") + 1]


def test_us_side_returns_between_ports_only_after_the_protocol_and_only_under_the_law() -> None:
    law = simulate_northbound(MONTHS, "2025-01", "law", 200, 3)
    pre = simulate_northbound(MONTHS, "2025-01", "pre-protocol", 200, 3)
    assert law is not None and pre is not None
    assert np.array_equal(law.encounters, pre.encounters)  # the rules change, not who crosses
    before, after = MONTHS.index("2023-02"), MONTHS.index("2024-06")
    assert law.returnable[:, before].sum() == 0 and pre.returnable[:, after].sum() == 0
    share = law.returnable[:, after].sum() / law.encounters[:, after].sum()
    assert 0.5 < share < 1.0  # most have no US exception (8 CFR 208.30(e)(6)(iii))
    frame = law.frame("2024-01", "2024-12")
    assert tuple(frame.columns) == COLUMNS and set(frame["measure"]) == {"encounters", "returnable_if_claiming"}


def test_fiscal_year_totals_hold_and_held_out_years_are_checked() -> None:
    fitted = {c["check"]: c for c in northbound_checks(simulate_northbound(MONTHS, "2025-01", "law", 200, 4))}
    fy24 = fitted["Swanton USBP FY2024 Oct-Jul"]  # 15,612, exact, in training: a constraint
    assert fy24["status"] == "calibration" and abs(float(fy24["model_mean"]) - 15612) < 0.05 * 15612
    blind = {c["check"]: c for c in northbound_checks(simulate_northbound(MONTHS, "2023-02", "law", 200, 4))}
    assert blind["Swanton USBP FY2024"]["status"] == "held out"
    assert simulate_northbound(MONTHS, "2019-06", "law", 10, 0) is None  # nothing published before: no guess


def test_only_exact_figures_anchor_the_path() -> None:
    exact = {f.label: f.exact for f in figures()}
    assert exact["FY2024"] and exact["FY2023"]  # notes quoting *other* sources' bounds do not demote a row
    assert not exact["2024-06"] and not exact["2023-03"]  # "more than 3,300"; preliminary
