"""The validation metrics on hand-computed examples."""

from __future__ import annotations

import math

import pytest

from stca.flows._validation import Forecast, coverage, last_value, mase, metrics, naive_scale, seasonal_naive


def test_scale_uses_only_consecutive_published_months() -> None:
    # pairs (Jan,Feb)=|14-10|=4, (Feb,Mar)=|11-14|=3; (Mar,May) is not consecutive → 3.5
    assert naive_scale({"2020-01": 10, "2020-02": 14, "2020-03": 11, "2020-05": 50}) == 3.5
    with pytest.raises(ValueError, match="consecutive"):
        naive_scale({"2020-01": 1, "2020-03": 2})


def test_mase_and_coverage_by_hand() -> None:
    actual = {"2021-01": 100.0, "2021-02": 40.0, "2021-03": 10.0}
    point = {"2021-01": 90.0, "2021-02": 60.0, "2021-03": 10.0}
    # |errors| = 10, 20, 0 → mean 10; scale 5 → 2
    assert mase(actual, point, 5.0) == 2.0
    band = Forecast(point, {"2021-01": 95.0, "2021-02": 30.0, "2021-03": 0.0},
                    {"2021-01": 120.0, "2021-02": 50.0, "2021-03": 5.0})
    assert coverage(actual, band) == pytest.approx(2 / 3)  # Jan and Feb inside, Mar (10 > 5) outside


def test_baselines_by_hand() -> None:
    train = {"2019-01": 100.0, "2019-02": 200.0, "2019-03": 100.0, "2020-01": 150.0, "2020-02": 300.0}
    lv = last_value(train, ["2020-03", "2020-05"])
    assert lv.point == {"2020-03": 300.0, "2020-05": 300.0}
    assert lv.hi["2020-05"] - lv.point["2020-05"] > lv.hi["2020-03"] - lv.point["2020-03"]  # band widens
    sn = seasonal_naive(train, ["2020-03", "2021-01", "2020-07"])
    assert sn.point == {"2020-03": 100.0, "2021-01": 150.0, "2020-07": 300.0}  # July: no July → last value


def test_metrics_rows_share_one_scale() -> None:
    train = {"2019-01": 100.0, "2019-02": 120.0, "2019-03": 90.0}
    held = {"2019-04": 0.0, "2019-05": 100.0}
    model = Forecast({"2019-04": 0.0, "2019-05": 100.0}, {"2019-04": 0.0, "2019-05": 50.0},
                     {"2019-04": 10.0, "2019-05": 150.0})
    rows = metrics(train, held, model, {"2019-04"})
    by = {(r["method"], r["subset"]): r for r in rows}
    assert by[("model", "all held-out months")]["mase"] == 0.0
    assert by[("model", "all held-out months")]["coverage_90"] == 1.0
    # last value 90: errors 90 and 10 → 50 / scale 25 (|120-100|=20, |90-120|=30) = 2
    assert by[("last value", "all held-out months")]["mase"] == pytest.approx(2.0)
    assert by[("last value", "regime-shift months")]["n"] == 1
    assert not math.isnan(float(by[("seasonal naive", "regime-shift months")]["mase"]))  # type: ignore[arg-type]


def test_band_width_is_reported_next_to_coverage() -> None:
    train = {"2019-01": 100.0, "2019-02": 120.0, "2019-03": 90.0}
    held = {"2019-04": 0.0, "2019-05": 100.0}
    model = Forecast({"2019-04": 0.0, "2019-05": 100.0}, {"2019-04": 0.0, "2019-05": 50.0},
                     {"2019-04": 10.0, "2019-05": 150.0})
    by = {(r["method"], r["subset"]): r for r in metrics(train, held, model, {"2019-04"})}
    assert by[("model", "all held-out months")]["band_width"] == pytest.approx(55.0)  # (10 + 100) / 2
    assert by[("model", "regime-shift months")]["band_width"] == pytest.approx(10.0)
    assert by[("model", "all held-out months")]["mean_actual"] == pytest.approx(50.0)
    assert float(by[("last value", "all held-out months")]["band_width"]) > 0  # type: ignore[arg-type]
