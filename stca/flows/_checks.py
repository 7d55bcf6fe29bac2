"""Published counts the two validated series do not cover, set against the model's matching outputs.

Why a separate table: turn-backs are the quantity the Agreement acts on, yet only a handful of counts exist
(stca_returns), each over its own period and with its own definition. Each check states which model
series it is compared with (the mapping is the claim a reviewer should challenge), sums the model over the
same days (a partial month counts by its share of days) and says whether the figure was used for fitting
(``calibration``), lies in the training period without being used (``in-sample check``) or after it
(``held out``) — a count is in the training data only when its period ends before the cutoff *and* it was
published before the cutoff (the 2017–2019 counts appeared in November 2020).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from stca.flows._model import SERIES
from stca.flows._observed import TURN_BACK_YEARS, cutoff_day, day_share, returns_row
from stca.flows._run import Result

#: Turned back at the US border = STCA returns at land ports + returns of people who crossed between ports
#: (COVID-19 direct-back 2020–2021; Protocol returns from 2023-03-25). Not the inland route.
AT_BORDER = (("CA", "LAND_POE", "turned_back"), ("CA", "BETWEEN_POES_LAND", "turned_back"))


@dataclass(frozen=True)
class Check:
    """One published count and the model series it is compared with.

    Attributes:
        label: what was counted, in words.
        first, last: first and last day of the period (inclusive).
        published: the count.
        series: model series summed (province, route, measure).
        fitted: whether calibration uses it when the period is in the training data.
        period: its ``period`` in ``stca_returns`` (to find when it was published).
    """

    label: str
    first: dt.date
    last: dt.date
    published: float
    series: tuple[tuple[str, str, str], ...]
    fitted: bool = False
    period: str = ""


def checks() -> list[Check]:
    """Every turn-back count in ``stca_returns`` that has dates, plus the Roxham count across the reopening."""
    out = [Check(f"STCA turn-backs at land ports, {y}", dt.date(y, 1, 1), dt.date(y, 12, 31),
                 returns_row(str(y)), (AT_BORDER[0],), fitted=y >= 2017, period=str(y))
           for y in TURN_BACK_YEARS if y >= 2017]
    out += [
        Check("Turned back at the border (STCA + COVID-19 direct-back), 2020-01-01..09-23", dt.date(2020, 1, 1),
              dt.date(2020, 9, 23), returns_row("2020-01-01..2020-09-23"), AT_BORDER, fitted=True,
              period="2020-01-01..2020-09-23"),
        Check("COVID-19 direct-backs between ports, 2020-03-21..05-12", dt.date(2020, 3, 21), dt.date(2020, 5, 12),
              returns_row("2020-03-21..2020-05-12"), (AT_BORDER[1],), period="2020-03-21..2020-05-12"),
        Check("Returned to the US under the STCA, Jan–Aug 2024", dt.date(2024, 1, 1), dt.date(2024, 8, 31),
              returns_row("2024-01..2024-08"), AT_BORDER, period="2024-01..2024-08"),
        Check("Returned to the US under the STCA, Jan–Aug 2025", dt.date(2025, 1, 1), dt.date(2025, 8, 31),
              returns_row("2025-01..2025-08"), AT_BORDER, period="2025-01..2025-08"),
    ]
    return out


def check_rows(result: Result) -> list[dict[str, object]]:
    """Published vs simulated (mean, p05, p95 of the period total over replications) for every check."""
    months = result.prepared.months
    cut = result.prepared.observed.train_until
    rows: list[dict[str, object]] = []
    for c in checks():
        if c.last.strftime("%Y-%m") > months[-1]:
            continue  # beyond the simulated horizon (--to)
        weight = day_share(months, c.first, c.last + dt.timedelta(days=1))
        idx = [SERIES.index(s) for s in c.series]
        totals = (result.series[:, :, idx].sum(axis=2) * weight[None, :]).sum(axis=1)
        p05, p95 = np.quantile(totals, [0.05, 0.95])
        training = c.last.strftime("%Y-%m") < cut and _published_before(c.period, cut)
        status = ("calibration" if c.fitted else "in-sample check") if training else "held out"
        rows.append({"check": c.label, "published": c.published, "model_mean": float(totals.mean()),
                     "model_p05": float(p05), "model_p95": float(p95),
                     "inside_band": bool(p05 <= c.published <= p95), "status": status,
                     "model_series": " + ".join("/".join(s) for s in c.series)})
    return rows


def _published_before(period: str, cut: str) -> bool:
    try:
        returns_row(period, cutoff_day(cut))
    except LookupError:
        return False
    return True
