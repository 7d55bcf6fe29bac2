"""Build an OpenFisca simulation from stca bulk columns and run it.

Input preparation (not timed as rules): enum strings become codes, lists become booleans, family members
become persons attached to their claim. The timed part is ``run`` — building the populations and
computing ``stca_decision``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from openfisca_core.simulations import Simulation, SimulationBuilder

from benchmarks.openfisca_stca import DECISIONS, StcaLandPortSystem
from benchmarks.openfisca_stca.inputs import (
    DOCUMENTS,
    CaStatus,
    ClaimState,
    DeathPenalty,
    Location,
    Marital,
    Relationship,
)

#: One period for every case: the claim date is an input, so the period is only a label.
PERIOD = "2024"


def _codes(series: pl.Series, enum: type) -> np.ndarray:
    return series.cast(pl.Enum([m.name for m in enum])).to_physical().to_numpy().astype(np.int16)


@dataclass
class Inputs:
    """Numpy arrays ready for ``Simulation.set_input``."""

    claims: int
    person_claim: np.ndarray  # claim index of each person
    person_role: np.ndarray  # 0 claimant, 1 relative
    person: dict[str, np.ndarray]
    claim: dict[str, np.ndarray]


def prepare(frame: pl.DataFrame) -> Inputs:
    """Arrays from normalised stca columns (one row per claim; ``family_members`` list of struct)."""
    n = frame.height
    lengths = frame["family_members"].list.len().to_numpy().astype(np.int64)
    members = frame["family_members"].explode(empty_as_null=False, keep_nulls=False).struct.unnest()
    # Persons: claimant of claim i, then its relatives (sorted by claim).
    rel_claim = np.repeat(np.arange(n), lengths)
    person_claim = np.concatenate([np.arange(n), rel_claim])
    order = np.argsort(person_claim, kind="stable")
    role = np.concatenate([np.zeros(n, np.int16), np.ones(len(rel_claim), np.int16)])[order]

    def person_col(claimant: np.ndarray, relatives: np.ndarray) -> np.ndarray:
        return np.concatenate([claimant, relatives])[order]

    m = members.height
    person = {
        "age": person_col(frame["age_years"].to_numpy().astype(np.int32), members["age_years"].to_numpy()),
        "relationship": person_col(np.full(n, Relationship.OTHER.index, np.int16),
                                   _codes(members["relationship"], Relationship)),
        "location": person_col(np.full(n, Location.ELSEWHERE.index, np.int16), _codes(members["location"], Location)),
        "ca_status": person_col(np.full(n, CaStatus.NO_STATUS.index, np.int16),
                                _codes(members["ca_status"], CaStatus)),
        "claim_state": person_col(np.zeros(n, np.int16), _codes(members["claim_state"], ClaimState)),
        "permit_valid": person_col(np.ones(n, bool), members["permit_valid"].to_numpy() if m else np.ones(0, bool)),
        "work_permit_r206_1_b": person_col(np.zeros(n, bool), members["work_permit_r206_1_b"].to_numpy()
                                           if m else np.zeros(0, bool)),
    }
    docs = frame["documents_held"]
    claim = {
        "claim_date": frame["claim_local_date"].to_numpy().astype("datetime64[D]"),
        "agreement_suspended": frame["agreement_suspended"].to_numpy(),
        "came_from_us": frame["came_from_other_party"].to_numpy(),
        "us_national": frame["nationalities"].list.contains("US").to_numpy(),
        "stateless": frame["stateless"].to_numpy(),
        "former_habitual_residence_us": (frame["former_habitual_residence"] == "US").fill_null(False).to_numpy(),
        "claim_at_entry": frame["claim_at_entry"].to_numpy(),
        "marital": _codes(frame["marital"], Marital),
        "death_penalty": _codes(frame["death_penalty"], DeathPenalty),
        **{f"holds_{d.lower()}": docs.list.contains(d).to_numpy() for d in DOCUMENTS},
        **{name: frame[name].to_numpy() for name in (
            "accompanied_by_parent_or_legal_guardian", "parent_or_legal_guardian_in_canada",
            "parent_or_legal_guardian_in_us", "visa_required_canada", "visa_required_us",
            "refused_entry_us_no_claim_adjudicated", "ca_pr_removed_from_us_being_returned",
            "death_penalty_offence_punishable_by_death", "tsr_country_national", "excluded_from_tsr_230_3",
            "policy_accept_permits_as_documents")},
    }
    return Inputs(n, person_claim[order], role, person, claim)


_SYSTEM: StcaLandPortSystem | None = None


def system() -> StcaLandPortSystem:
    """The tax-benefit system (built once: loading variables is not part of a determination)."""
    global _SYSTEM
    if _SYSTEM is None:
        _SYSTEM = StcaLandPortSystem()
    return _SYSTEM


def build(inputs: Inputs) -> Simulation:
    """Populations and inputs, with OpenFisca's ``SimulationBuilder``."""
    tbs = system()
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("person", np.arange(len(inputs.person_claim)))
    claims = builder.declare_entity("claim", np.arange(inputs.claims))
    builder.join_with_persons(claims, inputs.person_claim, inputs.person_role.astype(np.int64))
    simulation = builder.build(tbs)
    for name, values in (*inputs.person.items(), *inputs.claim.items()):
        simulation.set_input(name, PERIOD, values)
    return simulation


def run(inputs: Inputs) -> tuple[np.ndarray, np.ndarray]:
    """(stca_result, deciding_provision) as string arrays, one per claim."""
    decision = np.asarray(build(inputs).calculate("stca_decision", PERIOD))
    results = np.array([r for _, r, _ in DECISIONS])
    citations = np.array([c for _, _, c in DECISIONS])
    return results[decision], citations[decision]
