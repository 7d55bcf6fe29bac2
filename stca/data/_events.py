"""Dated rule changes used to annotate charts (law.md §3 timeline; citations as there).

These are labels for pictures, not rules: what each change *does* to a case is decided by ``stca.law``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """A dated change shown on history and scenario charts; ``end`` is set for periods."""

    start: dt.date
    label: str
    citation: str
    end: dt.date | None = None


EVENTS: tuple[Event, ...] = (
    Event(dt.date(2004, 12, 29), "STCA in force (2004-12-29)", "IRPR 159.1–159.7, SOR/2004-217"),
    Event(dt.date(2017, 1, 27), "2017 surge begins (US travel ban, TPS reviews)", "RCMP monthly statistics"),
    Event(dt.date(2020, 3, 21), "COVID-19 direct-back order", "Orders in Council under the Quarantine Act",
          end=dt.date(2021, 11, 21)),
    Event(dt.date(2023, 3, 25), "Additional Protocol: between-ports claims covered", "SOR/2023-58; IRPR 159.4(1.1)"),
    Event(dt.date(2026, 3, 26), "Bill C-12: IRPA 101(1)(b.1), (b.2)", "S.C. 2026, c. 4"),
)
