"""The column layout of bulk case files, derived from the law's own ``Facts`` model.

Why derived: the vocabulary (law.md §4) and its defaults (cases.yaml ``defaults``) live once, in
``stca.law``; a column list written out here again would drift. Each fact field becomes one column of a
fixed Arrow/polars type:

========================  =====================================================================
kind                      column type
========================  =====================================================================
enum                      string (the member name, e.g. ``LAND_POE``)
bool / int                boolean / int32
date                      date (``YYYY-MM-DD`` in CSV and JSON Lines)
instant                   timestamp with time zone UTC (ISO-8601 with offset in CSV / JSON Lines)
country                   string (ISO 3166-1 alpha-2)
list of enum / country    list of strings
family members            list of struct (one field per ``FamilyMember`` attribute)
========================  =====================================================================
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import polars as pl
from pydantic import BaseModel

from stca.law import Facts, FamilyMember
from stca.law.frame import FACT_COLUMNS as LAW_COLUMNS


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


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(inner type, optional?) of ``X | None``."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0], True
    return annotation, False


def _scalar(name: str, annotation: Any) -> tuple[str, pl.DataType, tuple[str, ...]]:
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return "enum", pl.String(), tuple(m.value for m in annotation)
    if annotation is bool:
        return "bool", pl.Boolean(), ()
    if annotation is int:
        return "int", pl.Int32(), ()
    if annotation is dt.datetime:
        return "instant", pl.Datetime("us", "UTC"), ()
    if annotation is dt.date:
        return "date", pl.Date(), ()
    if annotation is str or typing.get_origin(annotation) is typing.Annotated:
        return "country", pl.String(), ()
    raise TypeError(f"fact {name}: no bulk column type for {annotation!r}")


def _columns(model: type[BaseModel], law: dict[str, pl.DataType]) -> tuple[Column, ...]:
    out = []
    for name, field in model.model_fields.items():
        inner, _ = _unwrap(field.annotation)
        default = None if field.is_required() else field.default
        if isinstance(default, StrEnum):
            default = default.value
        if typing.get_origin(inner) is tuple:
            item = typing.get_args(inner)[0]
            if item is FamilyMember:
                struct = pl.Struct({c.name: c.dtype for c in MEMBER_COLUMNS})
                out.append(Column(name, "members", pl.List(struct), [], False, (), law[name]))
                continue
            kind, _dtype, allowed = _scalar(name, item)
            default = [d.value if isinstance(d, StrEnum) else d for d in field.default or ()]
            out.append(Column(name, f"list_{kind}", pl.List(pl.String()), default, False, allowed, law[name]))
            continue
        kind, dtype, allowed = _scalar(name, inner)
        out.append(Column(name, kind, dtype, default, field.is_required(), allowed, law[name]))
    return tuple(out)


_LAW_MEMBER = LAW_COLUMNS["family_members"]
assert isinstance(_LAW_MEMBER, pl.List) and isinstance(_LAW_MEMBER.inner, pl.Struct)
MEMBER_COLUMNS: tuple[Column, ...] = _columns(
    FamilyMember, {name: typing.cast(pl.DataType, dtype) for name, dtype in _LAW_MEMBER.inner.to_schema().items()}
)
FACT_COLUMNS: tuple[Column, ...] = _columns(Facts, LAW_COLUMNS)
BY_NAME: dict[str, Column] = {c.name: c for c in FACT_COLUMNS}
MEMBER_BY_NAME: dict[str, Column] = {c.name: c for c in MEMBER_COLUMNS}
FACT_SCHEMA: dict[str, pl.DataType] = {c.name: c.dtype for c in FACT_COLUMNS}
#: The typed columns ``stca.law.evaluate_frame`` takes, in its order.
LAW_SCHEMA: dict[str, pl.DataType] = dict(LAW_COLUMNS)
#: Columns added by bulk evaluation (contract.md §3), in output order.
RESULT_COLUMNS: tuple[str, ...] = (
    "stca_result", "deciding_provision", "other_ineligibility", "covid_direct_back", "uncertain",
)
