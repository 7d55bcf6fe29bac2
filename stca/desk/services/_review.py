"""Review of determinations and the moves to a final outcome.

Four-eyes rule: an eligibility officer may confirm the engine's determination (in effect at once) or
override it with a written reason; an override takes effect only when a *different* person with the
supervisor role approves it. Final outcomes must agree with the result in effect: a case is returned
to the US only if that result is BARRED, and referred to the IRB only if it is not.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from stca.desk.db import utcnow
from stca.desk.domain import MANUAL_TARGETS, TRANSITIONS, Approval, CaseStatus, ReviewKind
from stca.desk.models import Case, Determination, Review
from stca.desk.services._build import case_detail, effective_result, latest_review, load_case, review_views
from stca.desk.services._errors import Conflict, InvalidInput, NotFound, PermissionDenied, ServiceError, validate
from stca.desk.services._schemas import CaseDetail, OverrideIn, ReviewView, UserView
from stca.desk.services._sites import scope_clause
from stca.desk.services._unit import get_row, log, unit_of_work
from stca.desk.services._workflow import check_move, move


def allowed_transitions(status: str | CaseStatus) -> list[str]:
    """Statuses an officer may request next from ``status`` (for the case page's buttons).

    >>> allowed_transitions("DETERMINED")
    ['UNDER_REVIEW', 'WITHDRAWN']
    """
    current = CaseStatus(status)
    return [s.value for s in CaseStatus if s in TRANSITIONS[current] and s in MANUAL_TARGETS and s != current]


def _latest_determination(db: Session, case: Case) -> Determination:
    det = db.scalar(select(Determination).where(Determination.case_id == case.id)
                    .order_by(Determination.id.desc()).limit(1))
    if det is None or case.status not in (CaseStatus.DETERMINED, CaseStatus.UNDER_REVIEW):
        raise Conflict(f"a case in status {case.status} has no current determination to review; determine it first",
                       field="status")
    if effective_result(db, case.id)[1]:
        raise Conflict("an override of this determination already awaits supervisor approval", field="status")
    return det


def _review_dict(r: Review) -> dict[str, object]:
    return {"case_id": r.case_id, "determination_id": r.determination_id, "kind": r.kind, "result": r.result,
            "reason": r.reason, "approval": r.approval}


def _one_view(db: Session, review: Review) -> ReviewView:
    view = review_views(db, [review])[0]
    return view


def confirm_determination(db: Session, actor: UserView, case_id: int, *, reason: str = "") -> ReviewView:
    """Confirm the latest determination (in effect at once); status → UNDER_REVIEW."""
    if len(reason) > 5000:
        raise InvalidInput.one("reason", "at most 5000 characters")
    with unit_of_work(db):
        case = load_case(db, case_id)
        det = _latest_determination(db, case)
        review = Review(case_id=case.id, determination_id=det.id, kind=ReviewKind.CONFIRM, result=det.stca_result,
                        reason=reason.strip(), officer_id=actor.id, approval=Approval.NOT_NEEDED)
        db.add(review)
        db.flush()
        move(db, actor, case, CaseStatus.UNDER_REVIEW, reason="determination confirmed")
        log(db, actor, "review", review.id, "confirm", None, _review_dict(review))
    return _one_view(db, review)


def override_determination(db: Session, actor: UserView, case_id: int, data: OverrideIn | dict[str, str]) -> ReviewView:
    """Propose a different result with a written reason; it waits for a supervisor's approval."""
    body = validate(OverrideIn, data)
    with unit_of_work(db):
        case = load_case(db, case_id)
        det = _latest_determination(db, case)
        if body.result == det.stca_result:
            raise InvalidInput.one("result", f"the determination already says {det.stca_result}; confirm it instead")
        review = Review(case_id=case.id, determination_id=det.id, kind=ReviewKind.OVERRIDE, result=body.result,
                        reason=body.reason, officer_id=actor.id, approval=Approval.PENDING)
        db.add(review)
        db.flush()
        move(db, actor, case, CaseStatus.UNDER_REVIEW, reason="override proposed")
        log(db, actor, "review", review.id, "override", None, _review_dict(review))
    return _one_view(db, review)


def _pending(db: Session, actor: UserView, review_id: int) -> Review:
    review = get_row(db, Review, review_id)
    if review is None:
        raise NotFound("review", review_id)
    if review.kind != ReviewKind.OVERRIDE or review.approval != Approval.PENDING:
        raise Conflict(f"review {review_id} is not an override awaiting approval (it is {review.approval})",
                       field="review_id")
    if review.officer_id == actor.id:
        raise PermissionDenied("an override must be approved by someone other than the officer who made it",
                               field="review_id")
    return review


def approve_override(db: Session, actor: UserView, review_id: int, *, reason: str = "") -> ReviewView:
    """A supervisor approves an override; from now on its result is the one in effect."""
    with unit_of_work(db):
        review = _pending(db, actor, review_id)
        before = _review_dict(review)
        review.approval, review.approver_id, review.approved_at = Approval.APPROVED, actor.id, utcnow()
        review.approval_reason = reason.strip() or None
        load_case(db, review.case_id).updated_at = utcnow()
        log(db, actor, "review", review.id, "approve", before, _review_dict(review))
    return _one_view(db, review)


def reject_override(db: Session, actor: UserView, review_id: int, *, reason: str) -> ReviewView:
    """A supervisor rejects an override (reason required); the engine's determination stays in effect."""
    if len(reason.strip()) < 3:
        raise InvalidInput.one("reason", "say why the override is rejected (at least 3 characters)")
    with unit_of_work(db):
        review = _pending(db, actor, review_id)
        before = _review_dict(review)
        review.approval, review.approver_id, review.approved_at = Approval.REJECTED, actor.id, utcnow()
        review.approval_reason = reason.strip()
        load_case(db, review.case_id).updated_at = utcnow()
        log(db, actor, "review", review.id, "reject", before, _review_dict(review))
    return _one_view(db, review)


def pending_overrides(db: Session, *, scope: UserView | None = None) -> list[ReviewView]:
    """Overrides awaiting a supervisor, oldest first (the supervisor's queue; only cases in ``scope``)."""
    query = select(Review).where(Review.approval == Approval.PENDING).order_by(Review.id)
    where = scope_clause(scope) if scope is not None else None
    if where is not None:
        query = query.join(Case, Case.id == Review.case_id).where(where)
    reviews = db.scalars(query).all()
    views = review_views(db, list(reviews))
    return views


def _check_outcome(db: Session, case: Case, to: CaseStatus, reason: str) -> None:
    if to in (CaseStatus.INELIGIBLE_OTHER_GROUND, CaseStatus.WITHDRAWN) and len(reason.strip()) < 3:
        raise InvalidInput.one("reason", f"say why the case is {to} (at least 3 characters)")
    if to not in (CaseStatus.REFERRED_TO_IRB, CaseStatus.RETURNED_TO_US):
        return
    det = db.scalar(select(Determination).where(Determination.case_id == case.id)
                    .order_by(Determination.id.desc()).limit(1))
    review = latest_review(db, case.id, det.id) if det else None
    if review is None or review.approval == Approval.PENDING:
        raise Conflict("the determination must be confirmed, or an override approved, before a final outcome",
                       field="status")
    result, _ = effective_result(db, case.id)
    if to is CaseStatus.RETURNED_TO_US and result != "BARRED":
        raise Conflict(f"the result in effect is {result}; only a BARRED claimant is returned to the US",
                       field="status")
    if to is CaseStatus.REFERRED_TO_IRB and result == "BARRED":
        raise Conflict("the result in effect is BARRED; a barred claim is not referred to the IRB", field="status")


def possible_transitions(db: Session, case_id: int) -> list[str]:
    """The statuses :func:`transition_case` would accept now (given a reason), for the case page.

    Runs the same checks as the move itself, so a page never offers a move it would then refuse.
    """
    case = load_case(db, case_id)
    offered = []
    for name in allowed_transitions(CaseStatus(case.status)):
        try:
            check_move(case, CaseStatus(name))
            _check_outcome(db, case, CaseStatus(name), "reason given")
        except ServiceError:
            continue
        offered.append(name)
    return offered


def transition_case(db: Session, actor: UserView, case_id: int, to_status: str, *, reason: str = "") -> CaseDetail:
    """Move a case to UNDER_REVIEW or a final outcome, if the workflow and the result in effect allow it."""
    try:
        to = CaseStatus(to_status)
    except ValueError:
        raise InvalidInput.one("status", f"unknown status {to_status!r}") from None
    if to not in MANUAL_TARGETS:
        raise InvalidInput.one("status", f"{to} is reached by recording facts or determining, not directly; "
                                         f"choose one of {', '.join(sorted(MANUAL_TARGETS))}")
    with unit_of_work(db):
        case = load_case(db, case_id)
        check_move(case, to)
        _check_outcome(db, case, to, reason)
        move(db, actor, case, to, reason=reason.strip())
    detail = case_detail(db, case)
    return detail
