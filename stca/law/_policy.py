"""Policy variants (contract.md §4): the same rules under different parameters, never a fork.

``law``           the law in force at each date (default);
``no-agreement``  no designation of the US at any date: IRPR 159.1–159.7 / 8 CFR 208.30(e)(6) never apply;
``pre-protocol``  the Additional Protocol and SOR/2023-58 never come into force: between-ports entries stay
                  outside the Agreement at every date (the "Roxham Road loophole" kept open), IRPR 159.01
                  never excludes a prior STCA-ineligible claim from IRPA 101(1)(c), and IRPA 101(1)(b.2),
                  defined by the 159.4(1.1) time limit, never applies;
``whole-border``  every land-border entry is treated as a port of entry at every date since 2004, with
                  no 14-day limit (and so no 101(1)(b.2));
``suspended``     a notice of suspension (IRPR 159.7; Agreement Art. 10(2)) is in effect at every date;
``window-days=N`` the between-ports window is N days (Canada: claim less than N days after the day of
                  entry; US: within N days after the crossing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from stca.law._context import Compiled, compile_params
from stca.law._params import LAW, NEVER, LawParameters

POLICY_NAMES: tuple[str, ...] = ("law", "no-agreement", "pre-protocol", "whole-border", "suspended")

DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "law": ("The law in force at each date.", "Le droit en vigueur à chaque date."),
    "no-agreement": ("No Safe Third Country Agreement at any date.", "Aucune Entente sur les tiers pays sûrs, à "
                     "aucune date."),
    "pre-protocol": ("The 2023 Additional Protocol never comes into force (between-ports entries stay outside "
                     "the Agreement).", "Le Protocole additionnel de 2023 n'entre jamais en vigueur (les entrées "
                     "entre les points d'entrée restent hors de l'Entente)."),
    "whole-border": ("Every land-border entry is treated as a port of entry, with no 14-day limit.",
                     "Toute entrée par la frontière terrestre est traitée comme un point d'entrée, sans délai de "
                     "14 jours."),
    "suspended": ("A notice suspending the Agreement is in effect (IRPR 159.7).",
                  "Un avis de suspension de l'Entente est en vigueur (RIPR 159.7)."),
    "window-days": ("The between-ports window is set to N days.", "Le délai entre les points d'entrée est fixé "
                    "à N jours."),
}

_WINDOW = re.compile(r"^window-days=(\d{1,4})$")


@dataclass(frozen=True, eq=False)
class Policy:
    """A named parameter set; ``name`` is what users type and what results report."""

    name: str
    params: LawParameters

    @cached_property
    def compiled(self) -> Compiled:
        """The parameters as day numbers and epoch seconds (computed once per policy)."""
        return compile_params(self.params)

    def describe(self, lang: str = "en") -> str:
        """One sentence saying what the policy changes."""
        key = "window-days" if self.name.startswith("window-days") else self.name
        en, fr = DESCRIPTIONS[key]
        return fr if lang == "fr" else en


class PolicyError(ValueError):
    """An unknown policy name; the message lists the valid ones."""


@lru_cache(maxsize=64)
def parse_policy(name: str | Policy) -> Policy:
    """Turn a policy name into parameters.

    >>> parse_policy("window-days=30").params.window_days_ca
    30
    """
    if isinstance(name, Policy):
        return name
    key = name.strip().lower()
    if key == "law":
        return Policy("law", LAW)
    if key == "no-agreement":
        return Policy(key, LAW.with_(agreement=_never(LAW.agreement.citation), protocol=_never(LAW.protocol.citation)))
    if key == "pre-protocol":
        # SOR/2023-58 as a whole never comes into force: 159.4(1.1) and the IRPR 159.01 carve-out alike
        return Policy(key, LAW.with_(protocol=_never(LAW.protocol.citation),
                                     prior_claim_exclusion_159_01=_never(LAW.prior_claim_exclusion_159_01.citation)))
    if key == "whole-border":
        return Policy(key, LAW.with_(whole_border=True))
    if key == "suspended":
        return Policy(key, LAW.with_(suspended=True))
    match = _WINDOW.match(key)
    if match:
        days = int(match.group(1))
        if days > 3650:
            raise PolicyError(f"policy window-days=N needs 0 <= N <= 3650, got {days}")
        return Policy(f"window-days={days}", LAW.with_(window_days_ca=days, window_days_us=days))
    raise PolicyError(
        f"unknown policy {name!r}; expected one of: {', '.join(POLICY_NAMES)}, window-days=N (N a number of days)"
    )


def _never(citation: str) -> object:
    from stca.law._params import Dated

    return Dated(NEVER, f"{citation} — never in force under this policy")
