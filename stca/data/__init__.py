"""Sourced historical statistics shipped with stca.

Every row of every table carries a ``source`` (publication and URL) and a ``note``; nothing here is
interpolated. Gaps stay gaps: a month with no published figure has no row. ``SOURCES.md`` beside the
files describes coverage, known revisions and disagreements between sources.
"""

from __future__ import annotations

from stca.data._catalog import TABLES, Table, catalog, load, path_of

__all__ = ["TABLES", "Table", "catalog", "load", "path_of"]
