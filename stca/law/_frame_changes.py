"""``could_change`` for a population: one vectorised evaluation per value tried, over the rows that left the
fact unset.

The rows, the values tried and their order are those of ``could_change`` (``_could_change.py``), so each
row's list equals what ``Determination.to_dict(could_change=True)`` gives for that case (the test suite
compares them); only ``deciding_rule``, which a population result does not carry, is left out.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa

from stca.law._could_change import probes
from stca.law._fact_table import FACT_TABLE
from stca.law._frame import FACT_COLUMNS, coherence_checks, normalize
from stca.law._policy import Policy, parse_policy
from stca.law._uncertain import DEFAULT_SWITCHES, Switches
from stca.law._vector import evaluate_normalized

#: One entry of the ``could_change`` column.
CHANGE_STRUCT = pl.Struct({"fact": pl.String, "values": pl.String, "stca_result": pl.String,
                           "deciding_provision": pl.String})


def could_change_frame(frame: pl.DataFrame | pa.Table, policy: str | Policy = "law",
                       switches: Switches | None = None) -> pl.Series:
    """Per row, what could change its ``stca_result``: a list of ``{fact, values, stca_result,
    deciding_provision}`` (``values`` as JSON text), in ``could_change``'s order.

    A fact counts as not given in a row when its column is absent or the cell is null. Columns that are
    not facts are ignored.

    Raises:
        FactsError: as ``evaluate_frame``.

    >>> import polars as pl
    >>> col = could_change_frame(pl.DataFrame({"entry_local_date": ["2019-01-01"],
    ...                                        "claim_local_date": ["2019-01-01"]}))
    >>> first = col[0][0]
    >>> first["fact"], first["values"], first["stca_result"]
    ('came_from_other_party', '[false]', 'NOT_APPLICABLE')
    """
    raw = frame if isinstance(frame, pl.DataFrame) else pl.DataFrame(pl.from_arrow(frame))
    raw = raw.select([c for c in raw.columns if c in FACT_COLUMNS])
    unset = {c: raw.get_column(c).is_null().to_numpy() for c in raw.columns}
    return could_change_typed(normalize(raw), unset, policy, switches)


def could_change_typed(typed: pl.DataFrame, unset: dict[str, np.ndarray], policy: str | Policy = "law",
                       switches: Switches | None = None) -> pl.Series:
    """``could_change_frame`` for rows already in ``FACT_COLUMNS`` form; ``unset[name]`` marks the rows
    that did not give fact ``name`` (a fact absent from ``unset`` was given by no row)."""
    pol = parse_policy(policy)
    sw = switches or DEFAULT_SWITCHES
    n = typed.height
    base = evaluate_normalized(typed, pol, sw).get_column("stca_result").cast(pl.String).to_numpy()
    found: list[dict[tuple[str, str, str], list[Any]]] = [{} for _ in range(n)]
    entry_day = typed.get_column("entry_local_date").to_numpy()
    for spec in FACT_TABLE:
        if spec.required:
            continue
        for probe, near in probes(spec, pol):
            patch = dict(probe) if isinstance(probe, dict) else {spec.name: probe}
            rows = np.ones(n, dtype=bool)
            for name in patch:
                if name in unset:
                    rows &= unset[name]
            if near is not None:
                rows &= np.abs(entry_day - np.datetime64(near)) <= np.timedelta64(1, "D")
            idx = np.flatnonzero(rows)
            if not idx.size:
                continue
            variant = _patched(typed, idx, patch)
            ok = ~variant.select(pl.any_horizontal([e.fill_null(False) for _, e, _ in coherence_checks()])).to_series()
            keep = idx[ok.to_numpy()]
            variant = variant.filter(ok)
            out = evaluate_normalized(variant, pol, sw)
            results = out.get_column("stca_result").cast(pl.String).to_numpy()
            provisions = out.get_column("deciding_provision").cast(pl.String).to_numpy()
            for j in np.flatnonzero(results != base[keep]):
                key = (spec.name, str(results[j]), str(provisions[j]))
                found[keep[j]].setdefault(key, []).append(patch[spec.name])
    rows_out = [[{"fact": f, "values": json.dumps(v), "stca_result": r, "deciding_provision": p}
                 for (f, r, p), v in row.items()] for row in found]
    return pl.Series("could_change", rows_out, dtype=pl.List(CHANGE_STRUCT))


def _patched(typed: pl.DataFrame, idx: np.ndarray, patch: dict[str, Any]) -> pl.DataFrame:
    """Rows ``idx`` of ``typed`` with the facts of ``patch`` set, typed as ``normalize`` types them."""
    one = normalize(pl.DataFrame([{"entry_local_date": "2000-01-01", "claim_local_date": "2000-01-01", **patch}],
                                 infer_schema_length=None), check=False)
    sub = typed[idx]
    picks = pl.Series(np.zeros(len(idx), dtype=np.uint32))
    return sub.with_columns([one.get_column(k).gather(picks).alias(k) for k in patch])
