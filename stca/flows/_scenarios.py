"""Named scenarios: a policy variant of the law engine, plus (for one) a simulator-level enforcement rule.

``law``, ``no-agreement``, ``pre-protocol``, ``whole-border`` and ``suspended`` are the engine's policy
variants (contract.md §4): the simulator asks the engine under that policy and changes nothing else.

``close-roxham`` is *not* a rule of law. It is the status quo (``law`` policy) plus an enforcement posture
in the Quebec corridor only: from ``close_from`` (default 2017-08, the month the 2017 surge peaked and
closing Roxham Road was first publicly demanded) every person crossing between ports in Quebec is
intercepted and returned to the United States, exactly as the COVID-19 direct-back order did in
2020–2021. The simulator sets the turn-back chance of the Quebec between-ports corridor to 1 for those
months; people respond through the same choice model (they displace to ports, other provinces, inland
claims or stay). Other provinces' corridors are untouched.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from stca.flows._model import Inputs
    from stca.law import Policy


@dataclass(frozen=True)
class Scenario:
    """A scenario: the law-engine policy it uses and, optionally, the month the Quebec corridor closes."""

    name: str
    policy: str
    close_quebec_corridor_from: str | None = None
    description: str = ""


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario("law", "law", description="The law in force at each date (status quo)."),
        Scenario("no-agreement", "no-agreement", description="No Safe Third Country Agreement at any date."),
        Scenario("pre-protocol", "pre-protocol",
                 description="The 2023 Additional Protocol never enters into force (Roxham loophole kept open)."),
        Scenario("close-roxham", "law", close_quebec_corridor_from="2017-08",
                 description="Law in force, plus the Quebec between-ports corridor closed by enforcement "
                             "(every crosser directed back) from 2017-08."),
        Scenario("whole-border", "whole-border",
                 description="Every land-border entry treated as a port of entry, no 14-day limit."),
        Scenario("suspended", "suspended", description="The Agreement suspended (IRPR 159.7 notice) at every date."),
    )
}


def get_scenario(name: str, close_from: str | None = None) -> Scenario:
    """Look a scenario up by name.

    Args:
        name: one of :data:`SCENARIOS`.
        close_from: overrides the closing month of ``close-roxham`` (``YYYY-MM``).

    Raises:
        KeyError: unknown name; the message lists the valid ones.
    """
    window = _window_scenario(name)
    if window is not None:
        return window
    if name not in SCENARIOS:
        raise KeyError(f"unknown scenario {name!r}; choose from {', '.join(SCENARIOS)} or window-days=N")
    s = SCENARIOS[name]
    if close_from is not None and s.close_quebec_corridor_from is not None:
        return Scenario(s.name, s.policy, close_from, s.description.replace("2017-08", close_from))
    return s


def _window_scenario(name: str) -> Scenario | None:
    """``window-days=N`` (contract.md §4): the law in force with the between-ports window set to N days."""
    from stca.law import PolicyError, parse_policy

    if not name.startswith("window-days="):
        return None
    try:
        policy = parse_policy(name)
    except PolicyError as exc:
        raise KeyError(str(exc)) from None
    return Scenario(policy.name, policy.name, description=f"The law in force with a {name[12:]}-day "
                    "between-ports window instead of 14 days.")


def is_scenario(name: str) -> bool:
    """Whether ``name`` names a scenario (a named one or ``window-days=N``)."""
    try:
        get_scenario(name)
    except KeyError:
        return False
    return True


#: The two ways a forecast may know the law (docs/validation/README.md): ``policy-conditional`` knows every
#: dated rule of the scenario, past and future (what a scenario tool must do: "if the Protocol comes into
#: force on 2023-03-25, then …"); ``real-time`` knows only the rules in force or announced at the cutoff.
Mode = Literal["policy-conditional", "real-time"]
MODES: tuple[Mode, ...] = ("policy-conditional", "real-time")

#: When each dated parameter of ``stca.law.LawParameters`` became public knowledge, with the announcement.
#: A parameter absent here became known when it took effect (all of those are before 2017). Retroactive
#: provisions (Bill C-12's dates of 2020-06-24 and 2025-06-03) count from royal assent: a bill can die.
ANNOUNCED: dict[str, tuple[dt.date, str]] = {
    "prior_claim_elsewhere": (dt.date(2019, 6, 21), "Budget Implementation Act, 2019, No. 1, royal assent"),
    "covid_start": (dt.date(2020, 3, 20), "Prime Minister's announcement and Order in Council of 2020-03-20"),
    "covid_end": (dt.date(2021, 11, 19), "Order in Council P.C. 2021-0961 announced 2021-11-19"),
    "protocol": (dt.date(2023, 3, 24), "Joint statement of the Prime Minister and the President, 2023-03-24; "
                 "SOR/2023-58 made the same day"),
    "prior_claim_exclusion_159_01": (dt.date(2023, 3, 24), "SOR/2023-58, made 2023-03-24"),
    "one_year_bar_entries_after": (dt.date(2026, 3, 26), "Bill C-12, royal assent"),
    "c12_claims_from": (dt.date(2026, 3, 26), "Bill C-12, royal assent"),
    "c12_law_from": (dt.date(2026, 3, 26), "Bill C-12, royal assent"),
}


def _known_on(name: str, value: dt.datetime, day: dt.date) -> bool:
    announced = ANNOUNCED.get(name, (value.date(), ""))[0]
    return announced < day


def realtime_policy_name(day: dt.date) -> str:
    """The engine policy of the ``real-time`` mode at a cutoff ``day``: ``law@D``, D the last announcement
    before ``day`` (so cutoffs with the same knowledge share one name, one engine evaluation and one cache).

    >>> realtime_policy_name(dt.date(2020, 2, 1)), realtime_policy_name(dt.date(2023, 4, 1))
    ('law@2019-06-21', 'law@2023-03-24')
    """
    from stca.law import LAW

    days = [ANNOUNCED.get(k, (v.value.date(), ""))[0] for k, v in LAW.dated().items()]
    return f"law@{max(d for d in days if d < day).isoformat()}"


def engine_policy(name: str) -> str | Policy:
    """What to hand ``stca.law.evaluate_frame`` for a policy name: the name itself, or for ``law@D`` the law
    as known on day D + 1 — every dated provision not announced by D switched off (never in force)."""
    if not name.startswith("law@"):
        return name
    from stca.law import LAW, NEVER, Dated, Policy

    day = dt.date.fromisoformat(name[4:]) + dt.timedelta(days=1)
    unknown = {k: Dated(NEVER, f"{v.citation} — not announced by {name[4:]}")
               for k, v in LAW.dated().items() if not _known_on(k, v.value, day)}
    return Policy(name, LAW.with_(**unknown))


def known_closure(name: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The COVID-19 closure ``[start, end)`` as known under policy ``name``: for ``law@D`` an end not announced
    by D is open-ended, and a start not announced means no closure at all."""
    if not name.startswith("law@"):
        return start, end
    day = dt.date.fromisoformat(name[4:]) + dt.timedelta(days=1)
    if ANNOUNCED["covid_start"][0] >= day:
        return dt.date.max, dt.date.max
    if ANNOUNCED["covid_end"][0] >= day:
        return start, dt.date.max
    return start, end


def realtime_inputs(inputs: Inputs, months: tuple[str, ...], train_until: str) -> Inputs:
    """``inputs`` of the ``law`` scenario (simulated ``months``, from 2017-01) with every month from
    ``train_until`` on decided by the law as known at the cutoff (``real-time`` mode); the training months —
    all that calibration and demand inversion read — are unchanged, so the two modes share their posterior
    and their random numbers."""
    import dataclasses

    from stca.flows._choice import route_arrays
    from stca.flows._observed import cutoff_day
    from stca.flows._run import ALL_MONTHS
    from stca.flows._turnback import legal_outcomes

    known, _ = legal_outcomes(realtime_policy_name(cutoff_day(train_until)), ALL_MONTHS)
    if train_until not in months:  # nothing simulated after the cutoff
        return inputs
    t0, t_len = months.index(train_until), len(months)
    tb, inel = route_arrays(known.turned_back_split[:, :, :t_len], known.ineligible_split[:, :, :t_len])
    arrays = {}
    for name, new in (("fact_tb", tb), ("fact_inel", inel), ("scen_tb", tb), ("scen_inel", inel)):
        old = getattr(inputs, name).copy()
        old[..., t0:, :] = new[..., t0:, :]
        arrays[name] = old
    closure = inputs.closure.copy()
    closure[t0:] = known.closed_share[t0:t_len]
    return dataclasses.replace(inputs, closure=closure, **arrays)
