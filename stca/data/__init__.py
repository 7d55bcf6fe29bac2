"""Sourced historical statistics shipped with stca.

Every row of every table carries a ``source`` (publication and URL), a ``note`` and the ``published`` date of
its source (ISO 8601 at the precision the source gives; empty when unknown); nothing here is
interpolated. Gaps stay gaps: a month with no published figure has no row. ``SOURCES.md`` beside the
files describes coverage, known revisions and disagreements between sources; :mod:`stca.data._canonical`
chooses one row per month (revised over preliminary) while keeping every row available.
"""

from __future__ import annotations

from stca.data._canonical import PROVINCES, annotated_monthly, month_grid, monthly_series
from stca.data._catalog import TABLES, Table, catalog, latest_publication, load, path_of
from stca.data._events import EVENTS, Event
from stca.data._published import SOURCE_DATES, known_before, source_date, with_published

__all__ = [
    "EVENTS",
    "PROVINCES",
    "SOURCE_DATES",
    "TABLES",
    "Event",
    "Table",
    "annotated_monthly",
    "catalog",
    "known_before",
    "latest_publication",
    "load",
    "month_grid",
    "monthly_series",
    "path_of",
    "source_date",
    "with_published",
]
