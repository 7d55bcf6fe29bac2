"""The guided interview (officers, saves a case) and the public "Check a case" page (no saving).

Each answer posts the whole form (htmx on ``change``; the "Update result" button without
JavaScript); the server re-runs ``stca.law.determine`` on the facts so far, chooses the next
questions from the determination (see ``_questions``) and renders the page again. The draft is kept
under its form token so the language toggle can re-open it; saving uses the same token as the
idempotency key, so a double click or a resubmitted form creates one case.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from stca.desk import services
from stca.desk.deps import CaseWorker, OptionalUser, Public, SessionDep, draft_owner
from stca.desk.domain import PROVINCES
from stca.desk.services import UserView
from stca.desk.web import _session
from stca.desk.web._asking import (
    MEMBER_LABELS,
    Pending,
    anchor,
    law_changes,
    member_fields,
    pending,
    visible_questions,
)
from stca.desk.web._form import (
    DRAFTS,
    InterviewForm,
    apply_action,
    base_facts,
    error_key,
    parse_form,
)
from stca.desk.web._i18n import N_, toggle_url
from stca.desk.web._questions import BY_KEY, QUESTIONS, SECTIONS, US_DIRECTION, Question, section_title
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


#: Engine problems shown in the page's language with the field's label (never the engine's English).
_PROBLEM_MESSAGES = {
    "claim_local_date": N_("The claim cannot be made before the date of entry."),
    "entry_time": N_("Enter the time as HH:MM on the 24-hour clock, e.g. 00:30."),
}
_GENERIC_PROBLEM = N_("This answer is not accepted together with the others: check it.")
#: Questions whose answers are shared by people crossing together (entered once for the encounter).
SHARED_KEYS = (*(q.key for q in QUESTIONS if q.section == "entry"), "entry_zone")


def evaluate(state: InterviewForm) -> tuple[Determination | None, list[tuple[str, str]]]:
    """Run the engine on the answers so far; engine problems become errors next to their fields."""
    facts = state.facts()
    if facts is None:
        return None, []
    # An answer not accepted is not in ``facts`` (it stays open, shown as typed, and blocks the result
    # through ``pending``); the others still choose the questions.
    try:
        return determine(facts, policy=state.policy_name()), []
    except FactsError as err:
        problems = []
        for p in err.problems:
            key = error_key(p.field)
            message = _PROBLEM_MESSAGES.get(key, _GENERIC_PROBLEM)
            problems.append((key, message))
            state.errors.setdefault(key, message)
        return None, problems


#: The three uses of the interview page: a new case, new facts for a case, the public check.
TITLES = {"new": N_("Guided interview"), "edit": N_("Edit the facts of a case"), "public": N_("Check a case")}
#: Labels of the case-record fields (for the error summary).
RECORD_LABELS = {
    "given_name": N_("Given name"),
    "family_name": N_("Family name"),
    "place": N_("Place of the encounter"),
    "province": N_("Province of the claim"),
    "site_code": N_("Reception site"),
    "note": N_("What changed, and why"),
    "guardian_name": N_("Name of the guardian or the person responsible"),
    "window_days": N_("Number of days of the between-ports window (N)"),
    "former_habitual_residence": N_("Country of former habitual residence"),
    "death_penalty_offence_punishable_by_death": N_(
        "Is the offence punishable by death where the person is charged or convicted?"),
    "entry_zone": N_("Time zone of the place of entry"),
}


def field_label(key: str, direction: str) -> tuple[str, int | None]:
    """(label msgid, relative's number or None) of a form field, for messages that name it."""
    if key in BY_KEY:
        return BY_KEY[key].text(direction)[0], None
    if key.startswith("fm-"):
        _fm, index, name = key.split("-", 2)
        return MEMBER_LABELS.get(name, N_("Family member")), int(index) + 1 if index.isdigit() else None
    return RECORD_LABELS.get(key, key), None


def questions_now(
    state: InterviewForm, determination: Determination | None
) -> tuple[list[Question], list[Pending], dict[str, list[tuple[str, str]]]]:
    """The questions shown, those still open (Save waits for them) and what each open one could change."""
    keep = {*state.unknown, *state.raw, *state.errors}
    could = law_changes(determination)
    visible = visible_questions(state.facts(), determination, state.answers, policy=state.policy_name(),
                                keep=keep, law_says=[k for k in could if k not in state.answers])
    return visible, pending(visible, state.answers, state.unknown, state.direction), could


def _page(
    request: Request,
    user: UserView | None,
    state: InterviewForm,
    *,
    mode: str,
    db: Session | None = None,
    case_id: int | None = None,
    flash: str = "",
    saving: bool = False,
) -> Response:
    determination, problems = evaluate(state)
    visible, waiting, could = questions_now(state, determination)
    if saving:
        for item in waiting:
            state.errors.setdefault(item.key, N_("Answer this question, or record it as unknown with a reason."))
    shown = {q.key for q in visible}
    hidden = [q for q in QUESTIONS if q.key not in shown and q.key in state.answers]
    base = {"new": "/interview", "public": "/check", "edit": f"/cases/{case_id}/facts"}[mode]
    if mode == "public" or user is None or db is None:
        DRAFTS.put(draft_owner(request, user), state)
    else:
        services.save_draft(db, user, state.token, base, state.to_json())
    sites = (
        []
        if db is None or mode != "new"
        else [(str(s.id), f"{s.province} · {s.name}") for s in services.list_sites(db) if s.active]
    )
    minor = isinstance(state.answers.get("age_years"), int) and state.answers["age_years"] < 18
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
            "pending": waiting,
            "could": could,
            "decided": determination is not None and not waiting,
            "question_count": len(QUESTIONS),
            "hidden": hidden,
            "sections": SECTIONS,
            "section_title": section_title,
            "field_label": lambda key: field_label(key, state.direction),
            "anchor": anchor,
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
            "minor": minor,
            "member_fields": member_fields,
            "flash": flash,
            "flash_kind": "error" if flash else "",
        },
    )


def _restore(request: Request, user: UserView | None = None, db: Session | None = None) -> InterviewForm:
    """The draft named by ``?draft=``: the officer's own, kept server-side, or a public one in memory."""
    token = request.query_params.get("draft", "")
    if user is not None and db is not None and token:
        stored = services.load_draft(db, user, token)
        if stored is not None:
            return InterviewForm.from_json(stored)
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
    """Start an interview, or re-open a draft (``?draft=`` token: language toggle, Back, signing in again)."""
    return _page(request, user, _restore(request, user, db), mode="new", db=db)


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
    return _page(request, user, _restore(request), mode="public")


@router.post("/check", include_in_schema=False, dependencies=[Public])
async def check_answer(request: Request, user: OptionalUser) -> Response:
    """Answer one more question on the public page (nothing is stored, so no session is needed)."""
    state = await _posted(request)
    response = _page(request, user, state, mode="public")
    response.headers["HX-Replace-Url"] = f"/check?draft={state.token}"
    return response


@router.post("/interview/save", include_in_schema=False)
async def interview_save(request: Request, user: CaseWorker, db: SessionDep) -> Response:
    """Record the case: encounter, claimant, relatives, fact snapshot and the engine's determination.

    Refused (the page comes back with each field to complete) while a question that could change the
    result is neither answered nor recorded as unknown with a reason.
    """
    form = await request.form()
    state = parse_form(form, form.getlist)
    _require_record(state)
    determination, _ = evaluate(state)
    if determination is None or state.errors or questions_now(state, determination)[1]:
        return _page(request, user, state, mode="new", db=db, saving=True)
    following = str(form.get("action") or "") == "save_and_next"
    if following and not state.group:
        state.group = uuid.uuid4().hex[:16]
    try:
        case, _created = services.create_case(db, user, _case_in(state), idempotency_key=state.token)
        if not case.determinations:
            services.determine_case(db, user, case.id, policy=state.policy_name())
    except services.InvalidInput as err:
        for problem in err.problems:
            state.errors.setdefault(_record_key(problem.field), N_("This answer is not accepted: check it."))
        return _page(request, user, state, mode="new", db=db, saving=True)
    except services.ServiceError as err:
        return _page(request, user, state, mode="new", db=db, flash=err.message)
    services.discard_draft(db, user, state.token)
    if following:
        companion = InterviewForm(group=state.group)
        companion.answers = {k: v for k, v in state.answers.items() if k in SHARED_KEYS}
        companion.record = {k: v for k, v in state.record.items() if k in ("place", "province", "site_code")}
        companion.policy, companion.window_days = state.policy, state.window_days
        services.save_draft(db, user, companion.token, "/interview", companion.to_json())
        return _done(request, f"/interview?draft={companion.token}&after={case.id}")
    return _done(request, f"/cases/{case.id}?done=saved")


def _require_record(state: InterviewForm) -> None:
    for key, message in (
        ("given_name", N_("Enter the given name.")),
        ("family_name", N_("Enter the family name.")),
        ("place", N_("Enter the place of the encounter.")),
    ):
        if not state.record.get(key):
            state.errors[key] = message


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
    minor = state.record.get("unaccompanied_minor") == "yes"
    return {
        "encounter_type": encounter,
        "place": state.record["place"],
        "encounter_group": state.group or None,
        "unaccompanied_minor": minor,
        "guardian_name": state.record.get("guardian_name") or None if minor else None,
        "guardian_contact": state.record.get("guardian_contact") or None if minor else None,
        "provenance": provenance(state),
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


def provenance(state: InterviewForm) -> dict[str, Any]:
    """What the officer answered and what they recorded as unknown, with the reason (stored)."""
    return {"answered": state.answered_facts(), "unknown": dict(state.unknown)}


def _stored_facts(db: Session, case_id: int) -> dict[str, Any]:
    """The latest stored facts of a case (raises ``NotFound`` for an unknown case)."""
    return services.get_case(db, case_id).current_facts or {}


@router.get("/cases/{case_id}/facts", include_in_schema=False)
async def edit_facts(request: Request, case_id: int, user: CaseWorker, db: SessionDep) -> Response:
    """Re-open a case's latest facts in the interview; saving records a new version."""
    case = services.get_case(db, case_id)
    if request.query_params.get("draft"):
        state = _restore(request, user, db)
    else:
        snap = case.snapshots[-1] if case.snapshots else None
        known = (snap.provenance or {}) if snap else {}
        state = InterviewForm.from_facts(case.current_facts or {}, known.get("answered"), known.get("unknown"))
    return _page(request, user, state, mode="edit", case_id=case_id, db=db)


@router.post("/cases/{case_id}/facts", include_in_schema=False)
async def edit_facts_answer(request: Request, case_id: int, user: CaseWorker, db: SessionDep) -> Response:
    """Live update while editing a case's facts."""
    stored = _stored_facts(db, case_id)
    state = await _posted(request)
    state.base = base_facts(stored)
    response = _page(request, user, state, mode="edit", case_id=case_id, db=db)
    response.headers["HX-Replace-Url"] = f"/cases/{case_id}/facts?draft={state.token}"
    return response


@router.post("/cases/{case_id}/facts/save", include_in_schema=False)
async def edit_facts_save(request: Request, case_id: int, user: CaseWorker, db: SessionDep) -> Response:
    """Save the edited facts as a new snapshot version (a note saying what changed is required)."""
    form = await request.form()
    state = parse_form(form, form.getlist)
    state.base = base_facts(_stored_facts(db, case_id))
    note = str(form.get("note") or "").strip()
    state.record["note"] = note
    if len(note) < 3:
        state.errors["note"] = N_("Say what changed and why (at least 3 characters).")
    determination, _ = evaluate(state)
    if determination is None or state.errors or questions_now(state, determination)[1]:
        return _page(request, user, state, mode="edit", case_id=case_id, db=db, saving=True)
    try:
        services.append_facts(db, user, case_id, state.facts() or {}, note=note, provenance=provenance(state))
        services.determine_case(db, user, case_id, policy=state.policy_name())
    except services.InvalidInput as err:
        for problem in err.problems:
            state.errors.setdefault(_record_key(problem.field), N_("This answer is not accepted: check it."))
        return _page(request, user, state, mode="edit", case_id=case_id, db=db, saving=True)
    except services.ServiceError as err:
        return _page(request, user, state, mode="edit", case_id=case_id, db=db, flash=err.message)
    services.discard_draft(db, user, state.token)
    return _done(request, f"/cases/{case_id}?done=facts")
