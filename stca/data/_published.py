"""When each shipped figure became public: the ``published`` date that vintage (real-time) analyses cut on.

Why: a forecast made on a date can only have used figures published before it. The 2017–2019 turn-back
counts, for instance, were published in November 2020 (a government answer to Parliament), so a model
calibrated "before 2020-02" must not see them, although the months they count are older.

Rules, applied per row, first match wins:

1. a ``published`` column in the CSV (ISO date), when the table has one and the cell is filled;
2. the date of the cited source, read from the parenthesised part of ``source`` before its URL: a day
   (``2017-04-19``) is that day; a month (``2017-08``, or ``2023-09/10``: the later month) is its last day; a
   year alone (``2018``) is 31 December — the latest day the source can have appeared, so a figure is never
   taken as known before it was;
3. :data:`SOURCE_DATES`, for sources whose citation carries no date (matched on a fragment of ``source``);
4. otherwise unknown (null): such a figure is never treated as known at any cutoff (a fact nobody dated is
   not assumed).

The date is the publication of the *cited* source. An official table may have appeared earlier; using the
citation is conservative (it can make a figure late, never early).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

import polars as pl

from stca.data._catalog import load

#: Sources without a date in their citation: (fragment of ``source``, publication date used, why).
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
)

_DATE = re.compile(r"(?<![\d/])((?:19|20)\d{2})(?:-(\d{2})(?:/(\d{2}))?(?:-(\d{2}))?)?(?![\d])")


def _last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def source_date(source: str | None) -> dt.date | None:
    """The publication date read from a ``source`` citation (rules 2–3 above), or None.

    >>> source_date("RCMP intercepted more asylum seekers (iPolitics, 2017-04-19) https://ipolitics.ca/2017/04/19/x")
    datetime.date(2017, 4, 19)
    >>> source_date("Skyrockets in July (Global News, 2017-08) http://globalnews.ca/n")
    datetime.date(2017, 8, 31)
    >>> source_date("RCMP withdraw (Western Standard, 2023-09/10) https://x"), source_date("Post (NP, 2018) http://x")
    (datetime.date(2023, 10, 31), datetime.date(2018, 12, 31))
    >>> source_date("RCMP intercepted over 20,000 asylum seekers in 2017 (Global News) https://g")
    datetime.date(2018, 1, 31)
    """
    if not source:
        return None
    for fragment, date, _why in SOURCE_DATES:
        if fragment in source:
            return date
    text = source.split("http", 1)[0]
    found: list[dt.date] = []
    for group in re.findall(r"\(([^()]*)\)", text):
        for year, month, later, day in _DATE.findall(group):
            y = int(year)
            if not month:
                found.append(dt.date(y, 12, 31))
            elif day and not later:
                found.append(dt.date(y, int(month), int(day)))
            else:
                found.append(_last_day(y, int(later or month)))
    return max(found) if found else None


def publication_rule(source: str | None, given: object = None) -> str:
    """Which rule above dates a row: ``column``, ``table`` (:data:`SOURCE_DATES`), ``citation`` or ``unknown``.

    >>> publication_rule("Story (Global News, 2017-08) http://x"), publication_rule("No date http://x")
    ('citation', 'unknown')
    """
    if given not in (None, ""):
        return "column"
    if source and any(fragment in source for fragment, _d, _w in SOURCE_DATES):
        return "table"
    return "citation" if source_date(source) is not None else "unknown"


def with_published(name: str) -> pl.DataFrame:
    """The shipped table ``name`` with ``published`` (Date, null = unknown) and ``published_by`` (the rule that
    dated it: ``column``, ``citation``, ``table`` or ``unknown``), by the rules above."""
    frame = load(name)
    sources = frame["source"].to_list()
    derived = [source_date(s) for s in sources]
    given: list[dt.date | None] = [None] * frame.height
    if "published" in frame.columns:
        given = [dt.date.fromisoformat(str(v)) if v not in (None, "") else None
                 for v in frame["published"].cast(pl.Utf8).to_list()]
        derived = [g if g is not None else d for g, d in zip(given, derived, strict=True)]
        frame = frame.drop("published")
    rules = [publication_rule(s, g) for s, g in zip(sources, given, strict=True)]
    return frame.with_columns(pl.Series("published", derived, dtype=pl.Date),
                              pl.Series("published_by", rules, dtype=pl.Utf8))


#: The tables calibration reads, each with a publication date per row (``stca validate`` lists them).
CALIBRATION_TABLES: tuple[str, ...] = ("rcmp_interceptions_monthly", "rcmp_interceptions_annual", "stca_returns",
                                       "asylum_claims_by_office")


def known_before(frame: pl.DataFrame, cutoff: dt.date | None) -> pl.DataFrame:
    """Rows of a :func:`with_published` frame published strictly before ``cutoff`` (all rows when None)."""
    if cutoff is None:
        return frame
    return frame.filter(pl.col("published").is_not_null() & (pl.col("published") < cutoff))
