"""The catalogue of shipped tables and the one function that reads them.

The files are read from the installed package (``importlib.resources``), never from the network.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import polars as pl


@dataclass(frozen=True)
class Table:
    """One shipped CSV: its name (file stem), what a row is, and its key columns."""

    name: str
    description: str
    key: tuple[str, ...]


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "rcmp_interceptions_monthly",
            "RCMP interceptions of asylum claimants between ports of entry, by month and province",
            ("month", "province"),
        ),
        Table(
            "rcmp_interceptions_annual",
            "RCMP interceptions between ports of entry, annual totals by province",
            ("year", "province"),
        ),
        Table(
            "rcmp_interceptions_periods",
            "RCMP interceptions over multi-month, year-to-date or daily periods",
            ("period_start", "period_end", "province"),
        ),
        Table(
            "asylum_claims_by_office",
            "Asylum claims by office or location type (land POE, airport, inland, intercepted)",
            ("period", "location_or_office_type", "province"),
        ),
        Table(
            "cbp_northern_encounters",
            "US CBP encounters on the northern border (OFO at ports, USBP between ports, sectors)",
            ("period", "component", "sector"),
        ),
        Table(
            "stca_returns",
            "Persons returned to the United States under the STCA or the COVID-19 direct-back orders",
            ("period", "measure", "location"),
        ),
        Table(
            "us_policy_events",
            "Dated US policy events that may drive northbound and southbound flows (travel bans, TPS and parole "
            "terminations, enforcement orders)",
            ("date", "event"),
        ),
        Table(
            "crossing_points",
            "Named crossing points (ports of entry and irregular crossings) with coordinates where sourced",
            ("name",),
        ),
    )
}


def path_of(name: str) -> Path:
    """Return the path of a shipped table's CSV file.

    Raises:
        KeyError: ``name`` is not a shipped table; the message lists the valid names.
    """
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; shipped tables: {', '.join(sorted(TABLES))}")
    return Path(str(resources.files("stca.data") / "files" / f"{name}.csv"))


def load(name: str) -> pl.DataFrame:
    """Read one shipped table as a polars DataFrame (all rows, with ``source``, ``note`` and ``published``)."""
    return pl.read_csv(path_of(name), infer_schema_length=None, schema_overrides={"published": pl.Utf8})


def latest_publication(published: str | None) -> dt.date | None:
    """The last day a row's source can have been published, from its ``published`` cell; None when unknown.

    ``published`` holds the date at the precision the source gives (ISO 8601: ``YYYY-MM-DD``, ``YYYY-MM`` or
    ``YYYY``); a month or a year counts up to its last day, so a figure is never treated as known earlier than
    it can have been.

    >>> latest_publication("2019-06"), latest_publication("2020"), latest_publication(None)
    (datetime.date(2019, 6, 30), datetime.date(2020, 12, 31), None)
    """
    if not published:
        return None
    parts = [int(x) for x in published.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(parts[0], 12, 31)


def catalog() -> list[Table]:
    """All shipped tables, in a stable order."""
    return [TABLES[k] for k in sorted(TABLES)]
