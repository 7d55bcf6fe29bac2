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

from dataclasses import dataclass


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
