"""Route choice: a multinomial logit over five ways to claim in Canada and the option of not crossing.

Utility of route *j* for a person of profile *k* in month *t* (not crossing has utility 0):

    V = ASC_j − β_tb · TB[j, t, k] − β_inel · INEL[j, t, k] − 5 · [j = AIRPORT and k cannot fly]

``TB`` and ``INEL`` are the law engine's answers (share of the month the person would be turned back /
found ineligible on that route). The two between-ports corridors share the engine's answer for a
between-ports entry; ``close-roxham`` overrides the Quebec corridor's TB with 1. Displacement between
corridors follows from the logit's proportional substitution (IIA): when one route gets worse, its users
spread over the others in proportion to their shares — an assumption stated in docs/simulator.md.
"""

from __future__ import annotations

import numpy as np

#: Choice-model routes (not crossing is the implicit reference with utility 0).
CHOICES: tuple[str, ...] = ("LAND_POE", "BETWEEN_QC", "BETWEEN_OTHER", "INLAND", "AIRPORT")
#: Which engine route (``_turnback.LEGAL_ROUTES`` index) decides each choice.
LEGAL_OF_CHOICE: tuple[int, ...] = (0, 1, 1, 2, 3)
#: The corridor's attractiveness anchor: ASC of the Quebec corridor (fixes the scale of latent demand).
ASC_QUEBEC_CORRIDOR = 2.0
#: Extra disutility of a flight for someone who needs a visa and has none (carrier rules, not STCA law).
AIR_INFEASIBLE_COST = 5.0
#: Ineligibility on another IRPA 101(1) ground weighs this fraction of being turned back (assumption).
INELIGIBLE_WEIGHT = 0.6

#: Parameter vector layout shared by calibration and simulation.
PARAM_NAMES: tuple[str, ...] = ("a_poe", "a_other", "a_inland", "a_air", "beta_tb")


def route_arrays(tb: np.ndarray, inel: np.ndarray, close_qc: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Engine arrays (…, legal route, month, profile) → choice arrays (…, choice, month, profile).

    Args:
        tb, inel: ``LegalOutcomes.turned_back`` / ``.ineligible`` (or their ``_split`` versions, with a
            leading axis for the days outside / inside the COVID-19 closure).
        close_qc: optional bool per month; where true the Quebec corridor turns everyone back.
    """
    ctb = np.take(tb, list(LEGAL_OF_CHOICE), axis=-3)
    cin = np.take(inel, list(LEGAL_OF_CHOICE), axis=-3)
    if close_qc is not None:
        ctb[..., 1, close_qc, :] = 1.0
        cin[..., 1, close_qc, :] = 0.0
    return ctb, cin


def asc(params: np.ndarray) -> np.ndarray:
    """Alternative-specific constants (B, 5) from parameter draws (B, len(PARAM_NAMES))."""
    a0 = ASC_QUEBEC_CORRIDOR
    b = params.shape[0]
    out = np.empty((b, len(CHOICES)), dtype=np.float32)
    out[:, 0] = a0 + params[:, 0]
    out[:, 1] = a0
    out[:, 2] = a0 + params[:, 1]
    out[:, 3] = a0 + params[:, 2]
    out[:, 4] = a0 + params[:, 3]
    return out


def probabilities(params: np.ndarray, ctb: np.ndarray, cin: np.ndarray, can_fly: np.ndarray) -> np.ndarray:
    """Choice probabilities (B, choice, month, profile) for parameter draws (B, P).

    >>> z = np.zeros((5, 1, 1), dtype=np.float32)
    >>> p = probabilities(np.zeros((1, 5)), z, z, np.array([True]))
    >>> round(float(p[0, :, 0, 0].sum()), 4)  # five routes with ASC 2: 5e²/(1 + 5e²)
    0.9736
    """
    beta = params[:, 4].astype(np.float32)[:, None, None, None]
    v = asc(params)[:, :, None, None] - beta * ctb[None] - (INELIGIBLE_WEIGHT * beta) * cin[None]
    v[:, 4] -= AIR_INFEASIBLE_COST * (~can_fly).astype(np.float32)[None, None, :]
    ev = np.exp(v, dtype=np.float32)
    return ev / (1.0 + ev.sum(axis=1, keepdims=True))
