"""Interview drafts, what the officer answered, encounters, search, and "determine again" unchanged —
through the services on both databases (the browser tests of issue 11 drive the same through pages)."""

from __future__ import annotations

import datetime as dt
import uuid

from stca.desk import services

from .conftest import Desk, case_body

FACTS = {"entry_place": "LAND_POE", "entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01"}


def _users(desk: Desk) -> dict[str, services.UserView]:
    with desk.session() as db:
        return {u.role: u for u in services.list_users(db)}


def test_a_draft_is_kept_for_its_owner_only_and_replaced_as_the_officer_answers(desk: Desk) -> None:
    users = _users(desk)
    token = uuid.uuid4().hex
    with desk.session() as db:
        services.save_draft(db, users["intake_officer"], token, "/interview", {"answers": {"age_years": 16}})
        services.save_draft(db, users["intake_officer"], token, "/interview", {"answers": {"age_years": 17}})
        # Another officer can neither read nor overwrite it.
        services.save_draft(db, users["supervisor"], token, "/interview", {"answers": {"age_years": 99}})
        assert services.load_draft(db, users["supervisor"], token) is None
        assert services.load_draft(db, users["intake_officer"], token) == {"answers": {"age_years": 17}}
        services.discard_draft(db, users["intake_officer"], token)
        assert services.load_draft(db, users["intake_officer"], token) is None


def test_provenance_encounter_and_minor_are_recorded_and_search_finds_them(desk: Desk) -> None:
    users = _users(desk)
    group = uuid.uuid4().hex[:16]
    name = f"Search {uuid.uuid4().hex[:8]}"
    with desk.session() as db:
        first, _ = services.create_case(db, users["intake_officer"], case_body(
            claimant_name=name, facts=FACTS, encounter_group=group,
            provenance={"answered": ["entry_place", "entry_local_date"], "unknown": {"age_years": "no papers"}}))
        second, _ = services.create_case(db, users["supervisor"], case_body(
            claimant_name=f"{name} junior", facts={**FACTS, "age_years": 16}, encounter_group=group,
            unaccompanied_minor=True, guardian_name="Youth protection"))
        detail = services.get_case(db, first.id)
        assert detail.snapshots[0].provenance == {"answered": ["entry_place", "entry_local_date"],
                                                  "unknown": {"age_years": "no papers"}}
        assert [c.id for c in detail.linked_cases] == [second.id]
        assert services.get_case(db, second.id).guardian_name == "Youth protection"
        found = services.list_cases(db, search=name.lower())
        assert {c.id for c in found.items} == {first.id, second.id}
        mine = services.list_cases(db, search=name, created_by_id=users["intake_officer"].id)
        assert [c.id for c in mine.items] == [first.id]
        day = dt.date(2024, 5, 1)
        assert services.list_cases(db, search=name, date_from=day, date_to=day).total == 2
        assert services.list_cases(db, search=name, date_from=day + dt.timedelta(days=1)).total == 0


def test_determining_again_on_the_same_facts_and_law_adds_nothing(desk: Desk) -> None:
    users = _users(desk)
    with desk.session() as db:
        case, _ = services.create_case(db, users["intake_officer"], case_body(facts=FACTS))
        first = services.determine_case(db, users["eligibility_officer"], case.id)
        again = services.determine_case(db, users["eligibility_officer"], case.id)
        assert again.id == first.id
        assert len(services.get_case(db, case.id).determinations) == 1
        # A barred case is never offered a referral to the Board, nor an outcome before review.
        assert services.possible_transitions(db, case.id) == ["UNDER_REVIEW", "WITHDRAWN"]
        review = services.override_determination(db, users["eligibility_officer"], case.id, {
            "result": "NOT_BARRED", "reason": "Sister's citizenship certificate verified."})
        offered = services.possible_transitions(db, case.id)
        assert "REFERRED_TO_IRB" not in offered and "RETURNED_TO_US" not in offered
        services.approve_override(db, users["supervisor"], review.id)
        offered = services.possible_transitions(db, case.id)
        assert "REFERRED_TO_IRB" in offered and "RETURNED_TO_US" not in offered
