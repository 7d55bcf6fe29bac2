"""Every shipped row says when its source was published (or that nobody knows), and cutoffs can use it."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from stca.data import TABLES, known_before, latest_publication, load

ISO = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def test_every_table_has_a_published_column_in_iso_form() -> None:
    for name in TABLES:
        frame = load(name)
        assert "published" in frame.columns, name
        known = frame["published"].drop_nulls().to_list()
        assert all(ISO.match(v) for v in known), name
        assert all(latest_publication(v) is not None for v in known)
        assert frame["source"].null_count() == 0, name


def test_a_cell_counts_up_to_the_last_day_it_can_denote() -> None:
    cells = ["2019-09-16", "2019-09", "2019", None]
    days = [latest_publication(c) for c in cells]
    assert days == [dt.date(2019, 9, 16), dt.date(2019, 9, 30), dt.date(2019, 12, 31), None]
    frame = pl.DataFrame({"x": [1, 2, 3, 4], "known_on": days}, schema_overrides={"known_on": pl.Date})
    assert known_before(frame, dt.date(2019, 10, 1))["x"].to_list() == [1, 2]
    assert known_before(frame, dt.date(2020, 1, 1))["x"].to_list() == [1, 2, 3]


def test_added_figures_carry_their_source_date() -> None:
    monthly = load("rcmp_interceptions_monthly").filter(pl.col("month").is_in(["2019-07", "2019-08"]))
    assert dict(zip(monthly["month"], monthly["interceptions"], strict=True)) == {"2019-07": 1874, "2019-08": 1762}
    assert set(monthly["published"]) == {"2019-09-16"}
    lacolle = load("asylum_claims_by_office").filter(pl.col("period") == "2025-04")
    assert lacolle["claims"].to_list() == [2733] and "CBSA" in lacolle["note"][0]
