"""Dated parameters of the law: every instant the rules turn on, stated once, with its citation.

Rules never contain a date; they name a parameter here. Policy variants (``_policy.py``) are new
parameter sets, so "what if the Protocol never came into force" is a parameter change, not a fork.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

#: Far past / far future used to switch a dated provision off entirely.
NEVER = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
ALWAYS = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Dated:
    """A parameter value with the instrument that sets it."""

    value: dt.datetime
    citation: str


def _day(y: int, m: int, d: int) -> dt.datetime:
    """A civil date as a parameter (compared against local civil dates)."""
    return dt.datetime(y, m, d, tzinfo=dt.UTC)


@dataclass(frozen=True)
class LawParameters:
    """The instants at which provisions start or stop applying (law.md §3 timeline, §5–6 constants).

    Date-valued parameters are compared with local civil dates (the claim date, the determination date);
    instant-valued ones (``protocol``, ``covid_start``) with the entry instant in UTC.
    """

    agreement: Dated = Dated(_day(2004, 12, 29), "IRPR 159.3 (SOR/2004-217); 69 FR 69480; Agreement in force")
    tsr_repeal: Dated = Dated(_day(2009, 7, 23), "SOR/2009-210 (repeal of former IRPR 159.6(c))")
    fc_2007_judgment: Dated = Dated(_day(2007, 11, 29), "CCR v. Canada, 2007 FC 1262")
    fca_2008_reversal: Dated = Dated(_day(2008, 6, 27), "Canada v. CCR, 2008 FCA 229")
    prior_claim_elsewhere: Dated = Dated(_day(2019, 6, 21), "IRPA 101(1)(c.1) (S.C. 2019, c. 29, s. 306)")
    one_year_bar_entries_after: Dated = Dated(_day(2020, 6, 24), "IRPA 101(1)(b.1), 101(1.1)")
    covid_start: Dated = Dated(
        dt.datetime(2020, 3, 21, 4, 0, 1, tzinfo=dt.UTC),
        "Minimizing the Risk of Exposure to COVID-19 in Canada Order (Prohibition of Entry into Canada "
        "from the United States), 00:00:01 EDT 2020-03-21",
    )
    covid_end: Dated = Dated(_day(2021, 11, 21), "P.C. 2021-0961 (new US-entry order in effect 2021-11-21)")
    protocol: Dated = Dated(
        dt.datetime(2023, 3, 25, 4, 1, tzinfo=dt.UTC),
        "Additional Protocol, in force 00:01 EDT 2023-03-25; SOR/2023-58; 88 FR 18227",
    )
    prior_claim_exclusion_159_01: Dated = Dated(_day(2023, 3, 25), "IRPR 159.01 (SOR/2023-58)")
    c12_claims_from: Dated = Dated(_day(2025, 6, 3), "S.C. 2026, c. 4 (Bill C-12): claims made on or after 2025-06-03")
    c12_law_from: Dated = Dated(_day(2026, 3, 26), "S.C. 2026, c. 4 (Bill C-12), royal assent 2026-03-26")
    #: Canada: IRPR 159.4(1.1) "less than 14 days after the day on which the claimant enters Canada".
    window_days_ca: int = 14
    #: US: 8 CFR 208.30(e)(6) "within 14 days after such crossing".
    window_days_us: int = 14
    #: Policy ``whole-border``: every land-border entry is treated as a port of entry, no time limit.
    whole_border: bool = False
    #: Policy ``suspended``: notice of suspension under IRPR 159.7 / Agreement Art. 10 in effect.
    suspended: bool = False
    extra: tuple[tuple[str, str], ...] = field(default=())

    def with_(self, **changes: object) -> LawParameters:
        """A copy with some parameters changed (used by policy variants)."""
        return replace(self, **changes)  # type: ignore[arg-type]

    def dated(self) -> dict[str, Dated]:
        """All dated parameters by name, for listing and diffing the law."""
        return {k: v for k, v in vars(self).items() if isinstance(v, Dated)}


LAW = LawParameters()
