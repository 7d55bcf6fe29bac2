"""Route choice: a multinomial logit over five ways to claim in Canada and the option of not crossing.

Utility of route *j* for a person of profile *k* in month *t* (not crossing has utility 0):

    V = ASC_j − β_tb · TB[j, t, k] − w_inel · β_tb · INEL[j, t, k] − c_air · [j = AIRPORT and k cannot fly]

``TB`` and ``INEL`` are the law engine's answers (share of the month the person would be turned back /
found ineligible on that route). The two between-ports corridors share the engine's answer for a
between-ports entry; ``close-roxham`` overrides the Quebec corridor's TB with 1. Displacement between
corridors follows from the logit's proportional substitution (IIA): when one route gets worse, its users
spread over the others in proportion to their shares — an assumption stated in docs/simulator.md.

Routes are named by :class:`Route` (never by position) and parameters by :data:`PARAM_NAMES`; a parameter
draw is a row of a ``(B, len(PARAM_NAMES))`` array so that thousands of draws are evaluated at once.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Route(IntEnum):
    """The choice model's routes, in the order of every choice axis (not crossing is the implicit reference)."""

    LAND_POE = 0
    BETWEEN_QC = 1
    BETWEEN_OTHER = 2
    INLAND = 3
    AIRPORT = 4


#: Choice-model route names, in :class:`Route` order.
CHOICES: tuple[str, ...] = tuple(r.name for r in Route)
#: Which engine route (``_turnback.LEGAL_ROUTES`` index) decides each choice: the land port; a between-ports
#: entry claiming on interception (both corridors); a between-ports entry claiming 15 days later; the airport.
LEGAL_OF_CHOICE: dict[Route, int] = {Route.LAND_POE: 0, Route.BETWEEN_QC: 1, Route.BETWEEN_OTHER: 1,
                                     Route.INLAND: 2, Route.AIRPORT: 3}
#: Routes whose turned-back people are "turned back at the US border" in the published counts: the land
#: port and both corridors (an unseen crosser claiming inland is not at the border).
AT_BORDER: tuple[Route, ...] = (Route.LAND_POE, Route.BETWEEN_QC, Route.BETWEEN_OTHER)
#: Extra disutility of a flight for someone who needs a visa and has none (carrier rules, not STCA law).
AIR_INFEASIBLE_COST = 5.0
#: Ineligibility on another IRPA 101(1) ground weighs this fraction of being turned back (assumption).
INELIGIBLE_WEIGHT = 0.6

#: Calibrated parameters, the columns of a parameter draw. ``a_qc`` is the Quebec corridor's constant (the
#: scale of latent demand against not crossing); the other constants are relative to it.
PARAM_NAMES: tuple[str, ...] = ("a_poe", "a_other", "a_inland", "a_air", "beta_tb", "a_qc")
#: Column of each parameter in a draw.
P: dict[str, int] = {name: i for i, name in enumerate(PARAM_NAMES)}
#: Constant of each route relative to the Quebec corridor (None = the corridor itself).
RELATIVE_ASC: dict[Route, str | None] = {Route.LAND_POE: "a_poe", Route.BETWEEN_QC: None,
                                         Route.BETWEEN_OTHER: "a_other", Route.INLAND: "a_inland",
                                         Route.AIRPORT: "a_air"}


def route_arrays(tb: np.ndarray, inel: np.ndarray, close_qc: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Engine arrays (…, legal route, month, profile) → choice arrays (…, :class:`Route`, month, profile).

    The one place where engine answers become route arrays (factual, scenario, and ``close-roxham``).

    Args:
        tb, inel: ``LegalOutcomes.turned_back`` / ``.ineligible`` (or their ``_split`` versions, with a
            leading axis for the days outside / inside the COVID-19 closure).
        close_qc: optional bool per month; where true the Quebec corridor turns everyone back (an
            enforcement posture of the ``close-roxham`` scenario, not a rule of law).
    """
    legal = [LEGAL_OF_CHOICE[r] for r in Route]
    ctb = np.take(tb, legal, axis=-3)
    cin = np.take(inel, legal, axis=-3)
    if close_qc is not None and close_qc.any():
        ctb[..., Route.BETWEEN_QC, close_qc, :] = 1.0
        cin[..., Route.BETWEEN_QC, close_qc, :] = 0.0
    return ctb, cin


def asc(params: np.ndarray) -> np.ndarray:
    """Alternative-specific constants (B, len(Route)) from parameter draws (B, len(PARAM_NAMES))."""
    a_qc = params[:, P["a_qc"]]
    out = np.empty((params.shape[0], len(Route)), dtype=np.float32)
    for route, name in RELATIVE_ASC.items():
        out[:, route] = a_qc + (params[:, P[name]] if name else 0.0)
    return out


def probabilities(params: np.ndarray, ctb: np.ndarray, cin: np.ndarray, can_fly: np.ndarray,
                  ineligible_weight: float = INELIGIBLE_WEIGHT, air_cost: float = AIR_INFEASIBLE_COST) -> np.ndarray:
    """Choice probabilities (B, route, month, profile) for parameter draws (B, len(PARAM_NAMES)).

    ``ineligible_weight`` and ``air_cost`` are the fixed constants above, arguments only so that the
    sensitivity analysis (:mod:`stca.flows._sensitivity`) can vary them.

    >>> z = np.zeros((5, 1, 1), dtype=np.float32)
    >>> draw = np.zeros((1, len(PARAM_NAMES)))
    >>> draw[0, P["a_qc"]] = 2.0
    >>> p = probabilities(draw, z, z, np.array([True]))
    >>> round(float(p[0, :, 0, 0].sum()), 4)  # five routes with constant 2: 5e²/(1 + 5e²)
    0.9736
    """
    beta = params[:, P["beta_tb"]].astype(np.float32)[:, None, None, None]
    v = asc(params)[:, :, None, None] - beta * ctb[None] - (np.float32(ineligible_weight) * beta) * cin[None]
    v[:, Route.AIRPORT] -= np.float32(air_cost) * (~can_fly).astype(np.float32)[None, None, :]
    ev = np.exp(v, dtype=np.float32)
    return ev / (1.0 + ev.sum(axis=1, keepdims=True))
