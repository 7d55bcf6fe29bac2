"""The border-flow simulator: who reaches the Canada–US border each month, which route they take, and what
the law does to them on it.

The chance of being turned back on each route is never coded here: it comes from evaluating a fixed
synthetic population with :func:`stca.law.evaluate_frame` under the rules in force each month (or a
scenario's policy variant). See docs/simulator.md for the model and every assumption.

>>> from stca.flows import SCENARIOS
>>> sorted(SCENARIOS)[:3]
['close-roxham', 'law', 'no-agreement']
"""

from __future__ import annotations

from collections.abc import Callable

from stca.flows._charts import write_html, write_png
from stca.flows._checks import check_rows
from stca.flows._choice import Route
from stca.flows._model import SERIES
from stca.flows._northbound import Northbound, northbound_checks, simulate_northbound
from stca.flows._observed import LAST_DATA_MONTH
from stca.flows._report import compare_frame, summary_rows, write_params, write_series, write_validation
from stca.flows._run import (
    ALL_MONTHS,
    DEFAULT_TRAIN_UNTIL,
    LAST_MONTH,
    Prepared,
    Result,
    horizon,
    make_client,
    prepare,
    run_dask,
    run_local,
)
from stca.flows._scenarios import MODES, SCENARIOS, Mode, Scenario, get_scenario, is_scenario
from stca.flows._validation import mase, naive_scale

__all__ = [
    "ALL_MONTHS",
    "DEFAULT_TRAIN_UNTIL",
    "LAST_DATA_MONTH",
    "LAST_MONTH",
    "MODES",
    "SCENARIOS",
    "SERIES",
    "Mode",
    "Northbound",
    "Prepared",
    "Result",
    "Route",
    "Scenario",
    "check_rows",
    "compare_frame",
    "get_scenario",
    "horizon",
    "is_scenario",
    "make_client",
    "mase",
    "naive_scale",
    "northbound_checks",
    "prepare",
    "run_dask",
    "run_local",
    "simulate",
    "simulate_northbound",
    "summary_rows",
    "write_html",
    "write_params",
    "write_png",
    "write_series",
    "write_validation",
]


def simulate(scenario: str = "law", *, runs: int = 200, seed: int = 0, train_until: str = DEFAULT_TRAIN_UNTIL,
             client: object | None = None, close_from: str | None = None,
             progress: Callable[[int, int], None] | None = None, end: str = LAST_MONTH,
             mode: Mode = "policy-conditional") -> Result:
    """Prepare and run one scenario; on ``client`` (a ``distributed.Client``) or, when None, in this process.

    Args:
        scenario: a name of :data:`SCENARIOS`.
        runs: Monte Carlo replications (each with its own parameter draw and demand path).
        seed: makes the run reproducible, whatever the number of workers.
        train_until: first month withheld from calibration (``YYYY-MM``).
        client: a Dask client; None runs the blocks here.
        close_from: closing month of the ``close-roxham`` scenario.
        progress: called as ``progress(tasks_done, tasks_total)``.
        end: last month simulated (the work stops there).
        mode: ``policy-conditional`` (every date of the law known) or ``real-time`` (scenario ``law`` only: the
            months from ``train_until`` on under the rules in force or announced at the cutoff).
    """
    prepared = prepare(get_scenario(scenario, close_from), train_until=train_until, seed=seed, end=end, mode=mode)
    if client is None:
        return run_local(prepared, runs, seed)
    return run_dask(prepared, runs, seed, client, progress)
