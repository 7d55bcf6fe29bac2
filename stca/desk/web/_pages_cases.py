"""Cases: the list (filter by status and province) and one case with its review actions.

The case page shows the encounter, claimant and relatives, every fact-snapshot version (an edit
re-opens the interview and saves a new version), every determination with its rule path, the reviews
and the audit trail. Actions are plain forms (they work without JavaScript) and are offered only to
the roles that may use them; the service layer re-checks the case rules (four-eyes approval, allowed
status moves) and its refusal is shown on the page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from stca.desk import services
from stca.desk.domain import PROVINCES, STCA_RESULTS, CaseStatus, Role
from stca.desk.web import _session
from stca.desk.web._i18n import N_
from stca.desk.web._render import render

router = APIRouter()

CASE_ROLES = (Role.INTAKE_OFFICER, Role.ELIGIBILITY_OFFICER, Role.SUPERVISOR, Role.ADMIN)
REVIEW_ROLES = (Role.ELIGIBILITY_OFFICER, Role.ADMIN)
APPROVE_ROLES = (Role.SUPERVISOR, Role.ADMIN)
TRANSITION_ROLES = (Role.ELIGIBILITY_OFFICER, Role.SUPERVISOR, Role.ADMIN)
PAGE_SIZE = 25
#: Confirmation shown after an action, by the code the redirect carries (never free text in a URL).
DONE_MESSAGES = {
    "saved": N_("The case was saved and determined."),
    "confirmed": N_("Determination confirmed."),
    "overridden": N_("Override recorded; it awaits a supervisor's approval."),
    "approved": N_("Override approved."),
    "rejected": N_("Override rejected."),
    "status": N_("Status changed."),
    "determined": N_("Determination recorded."),
    "facts": N_("New fact version saved and determined."),
}


@router.get("/cases", include_in_schema=False)
async def case_list(request: Request) -> Response:
    """Cases, newest first, filtered by status and province."""
    user = _session.page_user(request)
    if user is None:
        return _session.to_login(request)
    if user.role not in CASE_ROLES:
        return _session.forbidden(request)
    status = request.query_params.get("status") or None
    province = request.query_params.get("province") or None
    status = status if status in set(CaseStatus) else None
    province = province if province in PROVINCES else None
    try:
        offset = max(int(request.query_params.get("offset", "0")), 0)
    except ValueError:
        offset = 0
    with _session.db_session(request) as db:
        page = services.list_cases(db, status=status, province=province, limit=PAGE_SIZE, offset=offset)
        pending = services.pending_overrides(db) if user.role in APPROVE_ROLES else []
    return render(request, "cases.html", {
        **_session.page_context(request),
        "page": page,
        "pending": pending,
        "status": status or "",
        "province": province or "",
        "statuses": [s.value for s in CaseStatus],
        "provinces": PROVINCES,
        "offset": offset,
        "page_size": PAGE_SIZE,
    })


@router.get("/cases/{case_id}", include_in_schema=False)
async def case_detail(request: Request, case_id: int) -> Response:
    """One case: everything recorded about it, and what the current officer may do next."""
    user = _session.page_user(request)
    if user is None:
        return _session.to_login(request)
    if user.role not in CASE_ROLES:
        return _session.forbidden(request)
    flash = DONE_MESSAGES.get(request.query_params.get("done", ""), "")
    return _detail(request, case_id, flash=flash, flash_kind="success" if flash else "")


def _detail(request: Request, case_id: int, *, flash: str = "", flash_kind: str = "",
            errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    user = _session.page_user(request)
    try:
        with _session.db_session(request) as db:
            case = services.get_case(db, case_id)
            trail = services.audit_trail(db, entity="case", entity_id=str(case_id))
            lang = _session.language(request)
            rendered = {d.id: services.determination_in_language(db, d.id, lang) for d in case.determinations}
    except services.NotFound:
        return render(request, "message.html", {**_session.page_context(request),
                      "title": N_("Case not found"), "message": N_("No case has this number.")},
                      status_code=404)
    versions = []
    for i, snapshot in enumerate(case.snapshots):
        previous = case.snapshots[i - 1].facts if i else {}
        versions.append((snapshot, services.diff_facts(previous, snapshot.facts) if i else []))
    role = user.role if user else ""
    latest = case.latest_determination
    pending = [r for r in case.reviews if r.approval == "PENDING"]
    return render(request, "case.html", {
        **_session.page_context(request),
        "case": case,
        "versions": versions,
        "trail": trail,
        "rendered": rendered,
        "latest": latest,
        "pending_reviews": pending,
        "can_review": role in REVIEW_ROLES and latest is not None and not pending,
        "can_approve": role in APPROVE_ROLES and bool(pending),
        "can_transition": role in TRANSITION_ROLES,
        "can_edit": role in CASE_ROLES and case.status not in ("REFERRED_TO_IRB", "RETURNED_TO_US",
                                                              "INELIGIBLE_OTHER_GROUND", "WITHDRAWN"),
        "results": STCA_RESULTS,
        "errors": errors or {},
        "flash": flash,
        "flash_kind": flash_kind,
        "law_version": latest.law_version if latest else None,
    }, status_code=status_code)


async def _action(request: Request, case_id: int, roles: tuple[Role, ...], run: Any, done: str) -> Response:
    """Common shape of a case action: login, role, CSRF, call the service, show the outcome."""
    user = _session.page_user(request)
    if user is None:
        return _session.to_login(request)
    form = await request.form()
    if user.role not in roles:
        return _session.forbidden(request)
    if not _session.csrf_ok(request, str(form.get("csrf_token") or "")):
        return _detail(request, case_id, flash=N_("Your session changed; please try again."),
                       flash_kind="error", status_code=400)
    values = {k: str(v).strip() for k, v in form.items()}
    try:
        with _session.db_session(request) as db:
            run(db, user, values)
    except services.InvalidInput as err:
        errors = {p.field.split(".")[-1]: p.message for p in err.problems}
        return _detail(request, case_id, flash=N_("The action was not recorded: see the messages below."),
                       flash_kind="error", errors=errors, status_code=422)
    except services.ServiceError as err:
        return _detail(request, case_id, flash=err.message, flash_kind="error", status_code=err.status_code)
    return RedirectResponse(f"/cases/{case_id}?done={done}", status_code=303)


@router.post("/cases/{case_id}/confirm", include_in_schema=False)
async def confirm(request: Request, case_id: int) -> Response:
    """Eligibility officer agrees with the engine's determination."""
    return await _action(request, case_id, REVIEW_ROLES, lambda db, u, v: services.confirm_determination(
        db, u, case_id, reason=v.get("reason", "")), "confirmed")


@router.post("/cases/{case_id}/override", include_in_schema=False)
async def override(request: Request, case_id: int) -> Response:
    """Eligibility officer records a different result with a written reason (needs supervisor approval)."""
    return await _action(request, case_id, REVIEW_ROLES, lambda db, u, v: services.override_determination(
        db, u, case_id, {"result": v.get("result", ""), "reason": v.get("reason", "")}),
        "overridden")


@router.post("/cases/{case_id}/reviews/{review_id}/approve", include_in_schema=False)
async def approve(request: Request, case_id: int, review_id: int) -> Response:
    """Supervisor approves an override (not their own: the service enforces four eyes)."""
    return await _action(request, case_id, APPROVE_ROLES, lambda db, u, v: services.approve_override(
        db, u, review_id, reason=v.get("approval_reason", "")), "approved")


@router.post("/cases/{case_id}/reviews/{review_id}/reject", include_in_schema=False)
async def reject(request: Request, case_id: int, review_id: int) -> Response:
    """Supervisor rejects an override (a reason is required)."""
    return await _action(request, case_id, APPROVE_ROLES, lambda db, u, v: services.reject_override(
        db, u, review_id, reason=v.get("approval_reason", "")), "rejected")


@router.post("/cases/{case_id}/status", include_in_schema=False)
async def transition(request: Request, case_id: int) -> Response:
    """Move the case along the workflow (only moves the service allows are offered)."""
    return await _action(request, case_id, TRANSITION_ROLES, lambda db, u, v: services.transition_case(
        db, u, case_id, v.get("to_status", ""), reason=v.get("status_reason", "")), "status")


@router.post("/cases/{case_id}/determine", include_in_schema=False)
async def redetermine(request: Request, case_id: int) -> Response:
    """Run the engine again on the latest facts (e.g. after a new fact version)."""
    return await _action(request, case_id, CASE_ROLES, lambda db, u, v: services.determine_case(
        db, u, case_id), "determined")
