"""The guided interview (officers, saves a case) and the public "Check a case" page (no saving).

Each answer posts the whole form (htmx on ``change``; the "Update result" button without
JavaScript); the server re-runs ``stca.law.determine`` on the facts so far, chooses the next
questions from the determination (see ``_questions``) and renders the page again. The draft is kept
under its form token so the language toggle can re-open it; saving uses the same token as the
idempotency key, so a double click or a resubmitted form creates one case.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from stca.desk import services
from stca.desk.deps import CaseWorker, OptionalUser, Public, SessionDep, draft_owner
from stca.desk.domain import PROVINCES
from stca.desk.services import UserView
from stca.desk.web import _session
from stca.desk.web._asking import visible_questions
from stca.desk.web._form import (
    DRAFTS,
    RECORD_FIELDS,
    InterviewForm,
    apply_action,
    base_facts,
    error_key,
    parse_form,
)
from stca.desk.web._i18n import N_, toggle_url
from stca.desk.web._questions import QUESTIONS, SECTIONS, US_DIRECTION, section_title
from stca.desk.web._render import render
from stca.desk.web._router import router
from stca.desk.web._vocab import (
    CA_STATUSES,
    CLAIM_STATES,
    LOCATIONS,
    POLICIES,
    RELATIONSHIPS,
    TIME_ZONES,
    US_ASYLUM_FORUMS,
    US_STATUSES,
)
from stca.law import Determination, FactsError, determine

#: Encounter type recorded for each entry place (stca.desk.domain.EncounterType).
ENCOUNTER_BY_PLACE = {
    "LAND_POE": "LAND_POE",
    "BETWEEN_POES_LAND": "RCMP_INTERCEPTION",
    "AIRPORT": "AIRPORT",
    "HARBOUR_PORT": "INLAND",
    "OTHER_NON_POE": "INLAND",
}


def evaluate(state: InterviewForm) -> tuple[Determination | None, list[tuple[str, str]]]:
    """Run the engine on the answers so far; engine problems become errors next to their fields."""
    facts = state.facts()
    if facts is None or any(key not in RECORD_FIELDS for key in state.errors):
        return None, []
    try:
        return determine(facts, policy=state.policy_name()), []
    except FactsError as err:
        problems = [(error_key(p.field), p.message) for p in err.problems]
        for key, message in problems:
            state.errors.setdefault(key, message)
        return None, problems


#: The three uses of the interview page: a new case, new facts for a case, the public check.
TITLES = {"new": N_("Guided interview"), "edit": N_("Edit the facts of a case"), "public": N_("Check a case")}


def _page(
    request: Request,
    user: UserView | None,
    state: InterviewForm,
    *,
    mode: str,
    db: Session | None = None,
    case_id: int | None = None,
    flash: str = "",
) -> Response:
    determination, problems = evaluate(state)
    facts = state.facts() or {}
    visible = visible_questions(facts, determination, state.answers, policy=state.policy_name())
    shown = {q.key for q in visible}
    hidden = [q for q in QUESTIONS if q.key not in shown and q.key in state.answers]
    DRAFTS.put(draft_owner(request, user), state)
    base = {"new": "/interview", "public": "/check", "edit": f"/cases/{case_id}/facts"}[mode]
    sites = (
        []
        if db is None or mode != "new"
        else [(str(s.id), f"{s.province} · {s.name}") for s in services.list_sites(db) if s.active]
    )
    return render(
        request,
        "interview.html",
        {
            **_session.page_context(request, user),
            "toggle_url": toggle_url(
                request, _session.language(request), path=base, extra={"draft": state.token}
            ),
            "page_title": TITLES[mode],
            "mode": mode,
            "public": mode == "public",
            "case_id": case_id,
            "state": state,
            "visible": visible,
            "question_count": len(QUESTIONS),
            "hidden": hidden,
            "sections": SECTIONS,
            "section_title": section_title,
            "direction": state.direction,
            "us": state.direction == US_DIRECTION,
            "policies": POLICIES,
            "time_zones": TIME_ZONES,
            "us_statuses": US_STATUSES,
            "us_asylum_forums": US_ASYLUM_FORUMS,
            "d": determination,
            "problems": problems,
            "law_version": determination.law_version if determination else None,
            "form_action": base,
            "save_action": f"{base}/save" if mode == "edit" else "/interview/save",
            "relationships": RELATIONSHIPS,
            "locations": LOCATIONS,
            "ca_statuses": CA_STATUSES,
            "claim_states": CLAIM_STATES,
            "province_options": [(p, p) for p in PROVINCES],
            "site_options": [("", N_("Not assigned yet")), *sites],
            "flash": flash,
            "flash_kind": "error" if flash else "",
        },
    )


def _restore(request: Request, user: UserView | None) -> InterviewForm:
    token = request.query_params.get("draft", "")
    return DRAFTS.get(draft_owner(request, user), token) or InterviewForm()


async def _posted(request: Request) -> InterviewForm:
    form = await request.form()
    state = parse_form(form, form.getlist)
    apply_action(state, str(form.get("action") or ""))
    return state


def _done(request: Request, target: str) -> Response:
    """After saving: htmx follows ``HX-Redirect``; a plain form post gets a 303."""
    if request.headers.get("HX-Request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


@router.get("/interview", include_in_schema=False)
async def interview(request: Request, user: CaseWorker, db: SessionDep) -> Response:
    """Start an interview, or re-open a draft (``?draft=`` token, used by the language toggle)."""
    return _page(request, user, _restore(request, user), mode="new", db=db)


@router.post("/interview", include_in_schema=False)
async def interview_answer(request: Request, user: CaseWorker, db: SessionDep) -> Response:
    """Take the answers so far and show the next questions and the live determination."""
    state = await _posted(request)
    response = _page(request, user, state, mode="new", db=db)
    response.headers["HX-Replace-Url"] = f"/interview?draft={state.token}"
    return response


@router.get("/check", include_in_schema=False, dependencies=[Public])
async def check(request: Request, user: OptionalUser) -> Response:
    """Public page: anyone can see what the law gives for a situation; nothing is recorded."""
    return _page(request, user, _restore(request, user), mode="public")


@router.post("/check", include_in_schema=False, dependencies=[Public])
async def check_answer(request: Request, user: OptionalUser) -> Response:
    """Answer one more question on the public page (nothing is stored, so no session is needed)."""
    state = await _posted(request)
    response = _page(request, user, state, mode="public")
    response.headers["HX-Replace-Url"] = f"/check?draft={state.token}"
    return response


@router.post("/interview/save", include_in_schema=False)
async def interview_save(request: Request, user: CaseWorker, db: SessionDep) -> Response:
    """Record the case: encounter, claimant, relatives, fact snapshot and the engine's determination."""
    form = await request.form()
    state = parse_form(form, form.getlist)
    _require_record(state)
    determination, _ = evaluate(state)
    if determination is None or state.errors:
        return _page(request, user, state, mode="new", db=db)
    try:
        case, _created = services.create_case(db, user, _case_in(state), idempotency_key=state.token)
        if not case.determinations:
            services.determine_case(db, user, case.id, policy=state.policy_name())
    except services.InvalidInput as err:
        for problem in err.problems:
            state.errors.setdefault(_record_key(problem.field), problem.message)
        return _page(request, user, state, mode="new", db=db)
    except services.ServiceError as err:
        return _page(request, user, state, mode="new", db=db, flash=err.message)
    return _done(request, f"/cases/{case.id}?done=saved")


def _require_record(state: InterviewForm) -> None:
    for key, message in (
        ("given_name", N_("Enter the given name.")),
        ("family_name", N_("Enter the family name.")),
        ("place", N_("Enter the place of the encounter.")),
    ):
        if not state.record.get(key):
            state.errors[key] = message
    if "entry_local_date" not in state.answers and "entry_local_date" not in state.errors:
        state.errors["entry_local_date"] = N_("Enter the date of entry.")


def _record_key(field: str) -> str:
    if field.startswith("facts."):
        return error_key(field.removeprefix("facts."))
    if field.startswith("family_members"):
        return "family_members"
    return {"claimant_name": "family_name", "site_id": "site_code"}.get(field, field)


def _case_in(state: InterviewForm) -> dict[str, Any]:
    facts = state.facts() or {}
    place = facts.get("entry_place", "LAND_POE")
    encounter = ENCOUNTER_BY_PLACE[place]
    if place == "LAND_POE" and not facts.get("claim_at_entry", True):
        encounter = "INLAND"
    day = facts["entry_local_date"] if encounter == "RCMP_INTERCEPTION" else facts["claim_local_date"]
    site = state.record.get("site_code", "")
    encountered_at: dt.datetime | str = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12))
    if facts.get("entry_instant") and day == facts["entry_local_date"]:
        encountered_at = str(facts["entry_instant"])  # the time of entry the officer gave
    return {
        "encounter_type": encounter,
        "place": state.record["place"],
        "encountered_at": encountered_at,
        "province": state.record.get("province") or "QC",
        "claimant_name": f"{state.record['given_name']} {state.record['family_name']}",
        "family_members": [
            {"name": m["name"], "relationship": m.get("relationship", "OTHER")}
            for m in state.answers.get("family_members", [])
            if m.get("name")
        ],
        "facts": facts,
        "site_id": int(site) if site.isdigit() else None,
    }


def _stored_facts(db: Session, case_id: int) -> dict[str, Any]:
    """The latest stored facts of a case (raises ``NotFound`` for an unknown case)."""
    return services.get_case(db, case_id).current_facts or {}


@router.get("/cases/{case_id}/facts", include_in_schema=False)
async def edit_facts(request: Request, case_id: int, user: CaseWorker, db: SessionDep) -> Response:
    """Re-open a case's latest facts in the interview; saving records a new version."""
    stored = _stored_facts(db, case_id)
    draft = DRAFTS.get(draft_owner(request, user), request.query_params.get("draft", ""))
    return _page(request, user, draft or InterviewForm.from_facts(stored), mode="edit", case_id=case_id)


@router.post("/cases/{case_id}/facts", include_in_schema=False)
async def edit_facts_answer(request: Request, case_id: int, user: CaseWorker, db: SessionDep) -> Response:
    """Live update while editing a case's facts."""
    stored = _stored_facts(db, case_id)
    state = await _posted(request)
    state.base = base_facts(stored)
    response = _page(request, user, state, mode="edit", case_id=case_id)
    response.headers["HX-Replace-Url"] = f"/cases/{case_id}/facts?draft={state.token}"
    return response


@router.post("/cases/{case_id}/facts/save", include_in_schema=False)
async def edit_facts_save(request: Request, case_id: int, user: CaseWorker, db: SessionDep) -> Response:
    """Save the edited facts as a new snapshot version and determine again."""
    form = await request.form()
    state = parse_form(form, form.getlist)
    state.base = base_facts(_stored_facts(db, case_id))
    determination, _ = evaluate(state)
    if determination is None or state.errors:
        return _page(request, user, state, mode="edit", case_id=case_id)
    try:
        services.append_facts(db, user, case_id, state.facts() or {}, note=str(form.get("note") or ""))
        services.determine_case(db, user, case_id, policy=state.policy_name())
    except services.InvalidInput as err:
        for problem in err.problems:
            state.errors.setdefault(_record_key(problem.field), problem.message)
        return _page(request, user, state, mode="edit", case_id=case_id)
    except services.ServiceError as err:
        return _page(request, user, state, mode="edit", case_id=case_id, flash=err.message)
    return _done(request, f"/cases/{case_id}?done=facts")
