"""stca — the Canada–US Safe Third Country Agreement as code.

The Python API in one import::

    from stca import determine, evaluate_frame
    determine({"entry_place": "LAND_POE", "entry_local_date": "2016-06-01",
               "claim_local_date": "2016-06-01"}).stca_result          # 'BARRED'

``determine`` decides one case (``stca.law.determine``), ``evaluate_frame`` a polars DataFrame or Arrow
table of cases, vectorised (``stca.law.evaluate_frame``); ``rules_on`` and ``diff`` read the law as data.
Names are imported on first use so that ``import stca`` stays cheap for the command line.
"""

from __future__ import annotations

from typing import Any

__version__ = "1.0.0"
__all__ = ["FactsError", "determine", "diff", "evaluate_frame", "parse_facts", "rules_on"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        import stca.law

        return getattr(stca.law, name)
    raise AttributeError(f"module 'stca' has no attribute {name!r}")
