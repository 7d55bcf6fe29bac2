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

import polars as pl
import pyarrow as pa

from stca.law._frame import (
    FACT_COLUMNS,
    MEMBER_STRUCT,
    REQUIRED,
    TEXT_COLUMNS,
    TEXT_MEMBER_STRUCT,
    coherence_checks,
    law_known_on,
    normalize,
)
from stca.law._frame_changes import CHANGE_STRUCT, could_change_frame, could_change_typed
from stca.law._policy import Policy as _Policy
from stca.law._uncertain import Switches as _Switches
from stca.law._vector import RESULT_COLUMNS, evaluate_normalized
from stca.law._vector import evaluate_frame as _evaluate

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
    "law_known_on",
    "normalize",
]


def evaluate_frame(frame: pl.DataFrame | pa.Table, policy: str | _Policy = "law",
                   switches: _Switches | None = None) -> pl.DataFrame:
    """Decide every row of a population; return the input with the result columns appended, in order.

    The result columns are ``RESULT_COLUMNS`` then ``law_known_on`` (today's date for a case decided after
    today, else null: see ``Determination.law_known_on``).

    Args:
        frame: one row per case; columns are facts of law.md §4 (see ``FACT_COLUMNS``) in any form
            ``normalize`` accepts. Missing columns and nulls take the defaults of cases.yaml;
            ``entry_local_date`` and ``claim_local_date`` are required. Other columns (ids, names,
            provinces) are carried through, unless one looks like a misspelt fact.
        policy: a policy name of contract.md §4 or a ``Policy``.
        switches: readings of UNCERTAIN points.

    Raises:
        FactsError: naming the column, the first bad row and the value.
    """
    df = frame if isinstance(frame, pl.DataFrame) else pl.DataFrame(pl.from_arrow(frame))
    out = _evaluate(df, policy, switches)
    return out.with_columns(law_known_on(df))
