"""When each shipped figure became public: the day on which vintage (real-time) analyses cut.

Why: a forecast made on a date can only have used figures published before it. The 2017–2019 turn-back
counts, for instance, were published in November 2020 (a government answer to Parliament), so a model
calibrated "before 2020-02" must not see them, although the months they count are older.

Rules, applied per row, first match wins:

1. the row's ``published`` cell (ISO 8601 at the source's precision), read by
   :func:`stca.data.latest_publication` as the *last* day it can denote (a month counts to its last day, a
   year to 31 December), so a figure is never taken as known before it was;
2. :data:`SOURCE_DATES`, for sources whose ``published`` cell is empty (matched on a fragment of ``source``):
   an assumed, conservative date with the reason;
3. otherwise unknown: such a figure is never treated as known at any cutoff (a fact nobody dated is not
   assumed).

The date is the publication of the *cited* source. An official table may have appeared earlier; using the
citation is conservative (it can make a figure late, never early).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from stca.data._catalog import latest_publication, load

#: Sources whose ``published`` cell is empty: (fragment of ``source``, publication date assumed, why).
SOURCE_DATES: tuple[tuple[str, dt.date, str], ...] = (
    ("RCMP intercepted over 20,000 asylum seekers in 2017 (Global News)", dt.date(2018, 1, 31),
     "2017 annual total and December 2017; the same figures appear in La Presse/PC of 2018-01-29"),
    ("July-October 2022 (canucklaw.ca", dt.date(2022, 12, 31),
     "blog transcription of the IRCC table through October 2022; date not given, taken as the year's end"),
    ("At least 13,748 illegal entries into Canada", dt.date(2023, 4, 30),
     "blog transcription of the IRCC table through March 2023 (13,748 = Jan + Feb + Mar 2023); date not "
     "given, taken as the end of the month after the last month it counts"),
    ("CIMM - Irregular Border Crossers - November 18, 2022", dt.date(2022, 11, 18), "date in the title"),
    ("IRB PAC binder, Nov 2020", dt.date(2020, 11, 30), "November 2020 binder"),
    ("Sharp Rise in Asylum Seeker Returns to U.S. (CTN News citing Reuters/CBSA", dt.date(2025, 9, 30),
     "Reuters report on January–August 2025 CBSA statistics; taken as the end of the following month"),
    ("Canada asylum seekers Safe Third Country 2025 (Maple Newswire)", dt.date(2025, 12, 31),
     "2025 article, day not given"),
    ("Border Patrol reports 2.7 million migrant encounters in fiscal year 2022", dt.date(2022, 10, 31),
     "FY2022 (ended 2022-09-30) totals, reported the following month"),
    ("(Western Standard, 2023-09/10)", dt.date(2023, 10, 31), "September or October 2023: the later"),
    ("(National Post, 2018, mirrored", dt.date(2018, 12, 31), "2018 article, day not given: the year's end"),
    ("(Noovo Info, translation of CTV News, 2025-07)", dt.date(2025, 7, 31), "July 2025: the month's end"),
    ("(Noovo Info, 2025-04)", dt.date(2025, 4, 30), "April 2025: the month's end"),
)

def source_date(source: str | None) -> dt.date | None:
    """The date :data:`SOURCE_DATES` assumes for an undated ``source``, or None.

    >>> source_date("RCMP intercepted over 20,000 asylum seekers in 2017 (Global News) https://g")
    datetime.date(2018, 1, 31)
    >>> source_date("Story (Outlet, 2019-01-02) http://x") is None
    True
    """
    if not source:
        return None
    return next((date for fragment, date, _why in SOURCE_DATES if fragment in source), None)


def publication_rule(published: str | None, source: str | None) -> str:
    """Which rule dates a row: ``column``, ``table`` (:data:`SOURCE_DATES`) or ``unknown``.

    >>> publication_rule("2017-08", "Story (Global News, 2017-08) http://x"), publication_rule(None, "No date")
    ('column', 'unknown')
    """
    if latest_publication(published) is not None:
        return "column"
    return "table" if source_date(source) is not None else "unknown"


def with_published(name: str) -> pl.DataFrame:
    """The shipped table ``name`` with ``known_on`` (Date: the last day its source can have been published;
    null = unknown) and ``published_by`` (the rule that dated it), by the rules above."""
    frame = load(name)
    cells, sources = frame["published"].to_list(), frame["source"].to_list()
    days = [latest_publication(c) or source_date(s) for c, s in zip(cells, sources, strict=True)]
    rules = [publication_rule(c, s) for c, s in zip(cells, sources, strict=True)]
    return frame.with_columns(pl.Series("known_on", days, dtype=pl.Date), pl.Series("published_by", rules))


#: The tables calibration reads, each with a publication date per row (``stca validate`` lists them).
CALIBRATION_TABLES: tuple[str, ...] = ("rcmp_interceptions_monthly", "rcmp_interceptions_annual",
                                       "rcmp_interceptions_periods", "stca_returns", "asylum_claims_by_office")


def known_before(frame: pl.DataFrame, cutoff: dt.date | None) -> pl.DataFrame:
    """Rows of a :func:`with_published` frame published strictly before ``cutoff`` (all rows when None)."""
    if cutoff is None:
        return frame
    return frame.filter(pl.col("known_on").is_not_null() & (pl.col("known_on") < cutoff))
