"""The column layout of bulk case files, read from the law's fact table (``stca.law.FACT_TABLE``).

Why derived: the vocabulary (law.md §4) and its defaults live once, on ``stca.law.Facts``; a column list
written out here again would drift. Each fact becomes one column, held in files as:

========================  =====================================================================
kind                      column type in a file
========================  =====================================================================
enum                      string (the member name, e.g. ``LAND_POE``)
bool / int                boolean / int64
date                      date (``YYYY-MM-DD`` in CSV and JSON Lines)
instant                   timestamp with time zone UTC (ISO-8601 in CSV / JSON Lines)
country                   string (ISO 3166-1 alpha-2)
list of enum / country    list of strings
family members            list of struct (one field per ``FamilyMember`` attribute)
========================  =====================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from stca.law import FACT_TABLE, MEMBER_TABLE, FactSpec
from stca.law.frame import FACT_COLUMNS as LAW_COLUMNS
from stca.law.frame import MEMBER_STRUCT, TEXT_COLUMNS, TEXT_MEMBER_STRUCT


@dataclass(frozen=True)
class Column:
    """One fact column.

    Attributes:
        name: the fact's name (law.md §4).
        kind: enum | bool | int | date | instant | country | list_enum | list_country | members.
        dtype: the type of the column as files hold it (enums as text), before the law's typing.
        default: the value a missing cell takes.
        required: whether the fact has no default.
        allowed: the members of an enum (or of a list of enums).
        law_dtype: the type ``stca.law.evaluate_frame`` takes (enums as ``pl.Enum``).
    """

    name: str
    kind: str
    dtype: pl.DataType
    default: Any
    required: bool
    allowed: tuple[str, ...] = ()
    law_dtype: pl.DataType | None = None


def _column(spec: FactSpec, text: Any, law: Any) -> Column:
    return Column(spec.name, spec.kind, text, spec.default, spec.required, spec.values, law)


MEMBER_COLUMNS: tuple[Column, ...] = tuple(
    _column(s, TEXT_MEMBER_STRUCT.to_schema()[s.name], MEMBER_STRUCT.to_schema()[s.name]) for s in MEMBER_TABLE)
FACT_COLUMNS: tuple[Column, ...] = tuple(_column(s, TEXT_COLUMNS[s.name], LAW_COLUMNS[s.name]) for s in FACT_TABLE)
BY_NAME: dict[str, Column] = {c.name: c for c in FACT_COLUMNS}
MEMBER_BY_NAME: dict[str, Column] = {c.name: c for c in MEMBER_COLUMNS}
FACT_SCHEMA: dict[str, pl.DataType] = {c.name: c.dtype for c in FACT_COLUMNS}
#: The typed columns ``stca.law.evaluate_frame`` takes, in its order.
LAW_SCHEMA: dict[str, pl.DataType] = dict(LAW_COLUMNS)
#: Columns added by bulk evaluation (contract.md §3), in output order.
RESULT_COLUMNS: tuple[str, ...] = (
    "stca_result", "deciding_provision", "other_ineligibility", "covid_direct_back", "uncertain", "law_known_on",
)
