"""Entities: every person (claimant or relative) and the claim that groups them.

Design: a claim is a group entity with one ``claimant`` and any number of ``relatives``. Relatives'
facts (relationship, location, status in Canada …) are person-level inputs; the IRPR 159.5(a)–(d)
conditions are person-level formulas aggregated to the claim with ``claim.any(…, role=RELATIVE)``, the
way OpenFisca aggregates household members.
"""

from __future__ import annotations

from openfisca_core.entities import build_entity

Person = build_entity(
    key="person", plural="persons", label="A claimant or a relative of a claimant", is_person=True,
)

Claim = build_entity(
    key="claim",
    plural="claims",
    label="A refugee claim made in Canada at a land port of entry",
    roles=[
        {"key": "claimant", "plural": "claimants", "label": "Claimant", "max": 1},
        {"key": "relative", "plural": "relatives", "label": "Relative (IRPR 159.1 or not)"},
    ],
)

entities = [Person, Claim]
