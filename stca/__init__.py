"""stca — the Canada–US Safe Third Country Agreement as code.

The Python API in one import::

    from stca import determine, evaluate_frame
    determine({"entry_place": "LAND_POE", "entry_local_date": "2016-06-01",
               "claim_local_date": "2016-06-01"}).stca_result          # 'BARRED'

``determine`` decides one case (``stca.law.determine``), ``evaluate_frame`` a polars DataFrame or Arrow
table of cases, vectorised (``stca.law.evaluate_frame``); ``rules_on`` and ``diff`` read the law as data.
``stca.law`` loads numpy, pyarrow and polars only when a population is evaluated, so ``import stca``
stays cheap for the command line.
"""

from stca.law import FactsError, could_change, determine, diff, evaluate_frame, parse_facts, rules_on

__version__ = "1.0.0"
__all__ = ["FactsError", "could_change", "determine", "diff", "evaluate_frame", "parse_facts", "rules_on"]
