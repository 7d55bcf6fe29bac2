"""Cases: the list (filter by status and province) and one case with its review actions.

The case page shows the encounter, claimant and relatives, every fact-snapshot version (an edit
re-opens the interview and saves a new version), every determination with its rule path, the reviews
and the audit trail. Actions are plain forms (they work without JavaScript) and are offered only to
the roles that may use them; the service layer re-checks the case rules (four-eyes approval, allowed
status moves) and its refusal is shown on the page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from stca.desk import services
from stca.desk.deps import CaseWorker, Reviewer, SessionDep, Supervisor
from stca.desk.domain import FINAL_STATUSES, PROVINCES, STCA_RESULTS, CaseStatus, Role
from stca.desk.services import UserView
from stca.desk.web import _session
from stca.desk.web._facts_view import change_rows, fact_rows, label_of
from stca.desk.web._i18n import N_
from stca.desk.web._messages import human
from stca.desk.web._render import render, translate
from stca.desk.web._router import router

REVIEW_ROLES = (Role.ELIGIBILITY_OFFICER, Role.SUPERVISOR)
APPROVE_ROLES = (Role.SUPERVISOR,)
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
    "unchanged": N_("Determined again: unchanged (same facts, same law); no new record was added."),
}


@router.get("/cases", include_in_schema=False)
async def case_list(request: Request, user: CaseWorker, db: SessionDep) -> Response:
    """Cases, newest first: search by name, reference or place; filter by status, province, site,
    encounter date and "my cases"; one page of ``PAGE_SIZE`` at a time."""
    q = request.query_params
    status = q.get("status") or None
    province = q.get("province") or None
    status = status if status in set(CaseStatus) else None
    province = province if province in PROVINCES else None
    search = (q.get("q") or "").strip()[:100] or None
    mine = q.get("mine") == "1"
    sites = services.list_sites(db)
    site = q.get("site") or ""
    site_id = next((s.id for s in sites if str(s.id) == site), None)
    errors: dict[str, str] = {}
    dates: dict[str, dt.date | None] = {}
    for key in ("from", "to"):
        text = (q.get(key) or "").strip()
        dates[key] = None
        if text:
            try:
                dates[key] = dt.date.fromisoformat(text) if len(text) == 10 else None
                if dates[key] is None:
                    raise ValueError(text)
            except ValueError:
                errors[key] = N_("Enter a real date as YYYY-MM-DD, for example 2023-06-10.")
    try:
        page_no = max(int(q.get("page", "1")), 1)
    except ValueError:
        page_no = 1
    page = services.list_cases(
        db, status=status, province=province, site_id=site_id, search=search,
        created_by_id=user.id if mine else None, date_from=dates["from"], date_to=dates["to"],
        limit=PAGE_SIZE, offset=(page_no - 1) * PAGE_SIZE, scope=user,
    )
    pending = services.pending_overrides(db, scope=user) if user.role in APPROVE_ROLES else []
    params = {"q": search or "", "status": status or "", "province": province or "", "site": site,
              "from": q.get("from") or "", "to": q.get("to") or "", "mine": "1" if mine else ""}
    pages = max((page.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)

    def page_url(number: int) -> str:
        return "/cases?" + urlencode({**{k: v for k, v in params.items() if v}, "page": number})

    return render(
        request,
        "cases.html",
        {
            **_session.page_context(request, user),
            "page": page,
            "pending": pending,
            "params": params,
            "status": status or "",
            "province": province or "",
            "statuses": [s.value for s in CaseStatus],
            "provinces": PROVINCES,
            "site_options": [(str(s.id), f"{s.province} · {s.name}") for s in sites],
            "page_no": page_no,
            "pages": pages,
            "page_url": page_url,
            "errors": errors,
        },
    )


@router.get("/cases/{case_id}", include_in_schema=False)
async def case_detail(request: Request, case_id: int, user: CaseWorker, db: SessionDep) -> Response:
    """One case: everything recorded about it, and what the current officer may do next."""
    flash = DONE_MESSAGES.get(request.query_params.get("done", ""), "")
    return _detail(request, user, db, case_id, flash=flash, flash_kind="success" if flash else "")


def case_audit(db: Session, case_id: int) -> list[services.AuditView]:
    """Audit rows about this case: the case row itself and rows (snapshots, reviews…) naming it."""
    return services.case_audit_trail(db, case_id)


def _detail(
    request: Request,
    user: UserView,
    db: Session,
    case_id: int,
    *,
    flash: str = "",
    flash_kind: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    try:
        case = services.get_case(db, case_id, scope=user)
    except services.NotFound:
        return render(
            request,
            "message.html",
            {
                **_session.page_context(request, user),
                "title": N_("Case not found"),
                "message": N_("No case has this number."),
            },
            status_code=404,
        )
    lang = _session.language(request)

    def tr(message: str) -> str:
        return translate(lang, message)

    rendered = {d.id: services.determination_in_language(db, d.id, lang) for d in case.determinations}
    versions = []
    for i, snapshot in enumerate(case.snapshots):
        previous = case.snapshots[i - 1].facts if i else {}
        direction = str(snapshot.facts.get("direction") or "US_TO_CANADA")
        rows, not_asked = fact_rows(snapshot.facts, snapshot.provenance, tr)
        changes = change_rows(services.diff_facts(previous, snapshot.facts), direction, tr) if i else []
        versions.append((snapshot, changes, rows, not_asked))
    latest = case.latest_determination
    pending = [r for r in case.reviews if r.approval == "PENDING"]
    override = next((r for r in reversed(case.reviews) if r.kind == "OVERRIDE" and r.in_effect
                     and latest is not None and r.determination_id == latest.id), None)
    unknown = (case.snapshots[-1].provenance or {}).get("unknown") if case.snapshots else None
    return render(
        request,
        "case.html",
        {
            **_session.page_context(request, user),
            "case": case,
            "versions": versions,
            "trail": case_audit(db, case_id),
            "rendered": rendered,
            "latest": latest,
            "pending_reviews": pending,
            "can_review": user.role in REVIEW_ROLES
            and latest is not None
            and not pending
            and case.status not in FINAL_STATUSES,
            "can_approve": user.role in APPROVE_ROLES and bool(pending),
            "can_transition": user.role in REVIEW_ROLES,
            "transitions": services.possible_transitions(db, case_id),
            "override": override,
            "unknown": unknown or {},
            "fact_label": lambda key: label_of(key, str((case.current_facts or {}).get("direction") or "")),
            "can_edit": case.status not in FINAL_STATUSES,
            "results": STCA_RESULTS,
            "errors": errors or {},
            "flash": flash,
            "flash_kind": flash_kind,
            "law_version": latest.law_version if latest else None,
        },
        status_code=status_code,
    )


async def _action(
    request: Request, user: UserView, db: Session, case_id: int, run: Any, done: str
) -> Response:
    """Common shape of a case action: call the service, then show the case with the outcome.

    The role and the CSRF token were checked by the route's dependency; the service checks the
    rules about the case itself and its refusal is shown on the case page, next to the form.
    """
    form = await request.form()
    values = {k: str(v).strip() for k, v in form.items()}
    try:
        run(values)
    except services.InvalidInput as err:
        errors = {p.field.split(".")[-1]: human(p.message) for p in err.problems}
        return _detail(
            request,
            user,
            db,
            case_id,
            flash=N_("The action was not recorded: see the messages below."),
            flash_kind="error",
            errors=errors,
            status_code=422,
        )
    except services.ServiceError as err:
        return _detail(
            request,
            user,
            db,
            case_id,
            flash=human(err.message),
            flash_kind="error",
            errors={err.field: human(err.message)} if err.field else None,
            status_code=err.status_code,
        )
    return RedirectResponse(f"/cases/{case_id}?done={done}", status_code=303)


@router.post("/cases/{case_id}/confirm", include_in_schema=False)
async def confirm(request: Request, case_id: int, user: Reviewer, db: SessionDep) -> Response:
    """Eligibility officer agrees with the engine's determination."""
    return await _action(
        request,
        user,
        db,
        case_id,
        lambda v: services.confirm_determination(db, user, case_id, reason=v.get("reason", "")),
        "confirmed",
    )


@router.post("/cases/{case_id}/override", include_in_schema=False)
async def override(request: Request, case_id: int, user: Reviewer, db: SessionDep) -> Response:
    """Eligibility officer records a different result with a written reason (needs supervisor approval)."""
    return await _action(
        request,
        user,
        db,
        case_id,
        lambda v: services.override_determination(
            db, user, case_id, {"result": v.get("result", ""), "reason": v.get("reason", "")}
        ),
        "overridden",
    )


@router.post("/cases/{case_id}/reviews/{review_id}/approve", include_in_schema=False)
async def approve(
    request: Request, case_id: int, review_id: int, user: Supervisor, db: SessionDep
) -> Response:
    """Supervisor approves an override (not their own: the service enforces four eyes)."""
    return await _action(
        request,
        user,
        db,
        case_id,
        lambda v: services.approve_override(db, user, review_id, reason=v.get("approval_reason", "")),
        "approved",
    )


@router.post("/cases/{case_id}/reviews/{review_id}/reject", include_in_schema=False)
async def reject(
    request: Request, case_id: int, review_id: int, user: Supervisor, db: SessionDep
) -> Response:
    """Supervisor rejects an override (a reason is required)."""
    return await _action(
        request,
        user,
        db,
        case_id,
        lambda v: services.reject_override(db, user, review_id, reason=v.get("approval_reason", "")),
        "rejected",
    )


@router.post("/cases/{case_id}/status", include_in_schema=False)
async def transition(request: Request, case_id: int, user: Reviewer, db: SessionDep) -> Response:
    """Move the case along the workflow (only moves the service allows are offered)."""
    return await _action(
        request,
        user,
        db,
        case_id,
        lambda v: services.transition_case(
            db, user, case_id, v.get("to_status", ""), reason=v.get("status_reason", "")
        ),
        "status",
    )


@router.post("/cases/{case_id}/determine", include_in_schema=False)
async def redetermine(request: Request, case_id: int, user: CaseWorker, db: SessionDep) -> Response:
    """Run the engine again on the latest facts (e.g. after a new fact version)."""
    before = services.get_case(db, case_id).latest_determination
    done = await _action(
        request, user, db, case_id, lambda v: services.determine_case(db, user, case_id), "determined"
    )
    after = services.get_case(db, case_id).latest_determination
    if done.status_code == 303 and before is not None and after is not None and after.id == before.id:
        return RedirectResponse(f"/cases/{case_id}?done=unchanged", status_code=303)
    return done
