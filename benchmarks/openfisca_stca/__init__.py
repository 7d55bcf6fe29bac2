"""The Canadian STCA rules at a land port of entry as an OpenFisca tax-benefit system (for benchmarks).

Scope: claims made in Canada by persons arriving from the US at a land port of entry — IRPR 159.1–159.7
with the family (159.5(a)–(d)), minor (e), document (f), visa (g) and return (h) exceptions, 159.6 and
the IRPA 101(1)(e) default. It exists to measure stca's evaluator against an established rules engine on
the same cases; stca's own rules are in ``stca.law``.
"""

from __future__ import annotations

from openfisca_core.taxbenefitsystems import TaxBenefitSystem

from benchmarks.openfisca_stca.entities import entities
from benchmarks.openfisca_stca.formulas import CLAIM_FORMULAS, DECISIONS, PERSON_FORMULAS, Decision
from benchmarks.openfisca_stca.inputs import CLAIM_INPUTS, PERSON_INPUTS


class StcaLandPortSystem(TaxBenefitSystem):
    """Entities, input variables and formulas of the land-port rules."""

    def __init__(self) -> None:
        super().__init__(entities)
        for variable in (*PERSON_INPUTS, *CLAIM_INPUTS, *PERSON_FORMULAS, *CLAIM_FORMULAS):
            self.add_variable(variable)


__all__ = ["DECISIONS", "Decision", "StcaLandPortSystem"]
