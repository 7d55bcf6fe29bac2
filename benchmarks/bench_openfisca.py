"""stca's evaluator side by side with OpenFisca on the same land-port cases.

The Canadian land-port rules (IRPR 159.5(a)–(h), 159.6, IRPA 101(1)(e) default, with CA-R01–R04 and
the inland-after-admission case) are written as an OpenFisca tax-benefit system in
``benchmarks/openfisca_stca`` (claim = group entity of a claimant and relatives). Both engines run on
the same 1,000,000 synthetic cases arriving from the US at a land port of entry; the results
(``stca_result`` and ``deciding_provision``) must be equal row for row, and the figure is the speed ratio.

Timed: stca ``evaluate_frame`` on typed columns; OpenFisca building the simulation with
``SimulationBuilder``, setting the inputs and calculating ``stca_decision``. Not timed on either side:
turning file columns into the engine's input (stca's normalisation, OpenFisca's numpy arrays).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from benchmarks._data import SEED
from benchmarks._harness import Figure, best_of
from stca.bulk import normalise
from stca.bulk.synth import synth_chunks


def land_port_cases(rows: int) -> pl.DataFrame:
    """``rows`` typed synthetic cases, all US → Canada at a land port of entry."""
    parts, have, k = [], 0, 0
    while have < rows:
        chunk = normalise(pl.from_arrow(next(iter(synth_chunks(1_000_000, [SEED, 99, k])))))  # type: ignore[arg-type]
        chunk = chunk.filter((pl.col("direction") == "US_TO_CANADA") & (pl.col("entry_place") == "LAND_POE"))
        parts.append(chunk)
        have += chunk.height
        k += 1
    return pl.concat(parts).head(rows).drop("case_id", "province")


def run(quick: bool = False) -> list[Figure]:
    """Equality and speed ratio against OpenFisca."""
    from benchmarks.openfisca_stca.simulate import prepare
    from benchmarks.openfisca_stca.simulate import run as openfisca_run
    from stca.law import evaluate_frame

    rows = 100_000 if quick else 1_000_000
    cases = land_port_cases(rows)
    inputs = prepare(cases)
    ours = evaluate_frame(cases)
    theirs_result, theirs_provision = openfisca_run(inputs)
    same_result = ours["stca_result"].cast(pl.String).to_numpy() == theirs_result
    same_provision = ours["deciding_provision"].cast(pl.String).to_numpy() == theirs_provision
    mismatches = int((~(same_result & same_provision)).sum())
    if mismatches:
        first = int(np.argmax(~(same_result & same_provision)))
        print(f"  first mismatch, row {first}: stca {ours['stca_result'][first]} {ours['deciding_provision'][first]}"
              f" / OpenFisca {theirs_result[first]} {theirs_provision[first]}")
    stca_s = best_of(lambda: evaluate_frame(cases))
    openfisca_s = best_of(lambda: openfisca_run(inputs), repeat=2)
    members = int(cases["family_members"].list.len().sum())
    return [
        Figure(f"OpenFisca vs stca, {rows:,} land-port cases ({members:,} relatives): speed-up", openfisca_s / stca_s,
               "×", baseline=f"OpenFisca {openfisca_s:.2f} s ({rows / openfisca_s / 1e6:.2f} M/s); "
               f"stca {stca_s:.3f} s ({rows / stca_s / 1e6:.2f} M/s)",
               ratio=openfisca_s / stca_s, target="stca ≥ 20× faster", met=openfisca_s / stca_s >= 20),
        Figure("rows where OpenFisca and stca disagree (result or deciding provision)", mismatches, "rows",
               baseline=f"of {rows:,}", target="0", met=mismatches == 0),
    ]
