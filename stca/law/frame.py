"""The law over a population: polars / Arrow in, polars out (imports numpy, pyarrow and polars).

A public module of its own so that ``stca.law`` itself stays light for one determination (``stca check``
imports no numpy, pyarrow or polars); ``stca.law.evaluate_frame`` and ``stca.law.could_change_frame``
load this module on first call.

>>> import polars as pl
>>> from stca.law.frame import evaluate_frame
>>> evaluate_frame(pl.DataFrame({"entry_local_date": ["2016-06-01"], "claim_local_date": ["2016-06-01"]}))[
...     "stca_result"].to_list()
['BARRED']
"""

from __future__ import annotations

from stca.law._frame import (
    FACT_COLUMNS,
    MEMBER_STRUCT,
    REQUIRED,
    TEXT_COLUMNS,
    TEXT_MEMBER_STRUCT,
    coherence_checks,
    normalize,
)
from stca.law._frame_changes import CHANGE_STRUCT, could_change_frame, could_change_typed
from stca.law._vector import RESULT_COLUMNS, evaluate_frame, evaluate_normalized

__all__ = [
    "CHANGE_STRUCT",
    "FACT_COLUMNS",
    "MEMBER_STRUCT",
    "REQUIRED",
    "RESULT_COLUMNS",
    "TEXT_COLUMNS",
    "TEXT_MEMBER_STRUCT",
    "coherence_checks",
    "could_change_frame",
    "could_change_typed",
    "evaluate_frame",
    "evaluate_normalized",
    "normalize",
]
