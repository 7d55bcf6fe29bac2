"""Turn rows into the views of ``_schemas`` (one place, so pages and API show the same thing)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stca.desk.domain import OPEN_STATUSES, Approval, CaseStatus, ReviewKind
from stca.desk.models import Case, Determination, FactSnapshot, Review, Site, StatusChange, Transfer
from stca.desk.services._errors import NotFound
from stca.desk.services._schemas import (
    DESK_ZONE,
    CaseDetail,
    CaseSummary,
    DeterminationView,
    PersonView,
    ReviewView,
    SiteView,
    SnapshotView,
    StatusChangeView,
    TransferView,
)
from stca.desk.services._unit import get_row, usernames


def load_case(db: Session, case_id: int) -> Case:
    """The case row or :class:`NotFound`."""
    case = get_row(db, Case, case_id)
    if case is None:
        raise NotFound("case", case_id)
    return case


def day_bounds(as_of: dt.date | None) -> tuple[dt.datetime, dt.datetime]:
    """UTC start and end of a desk-local calendar day (default: today in Toronto time)."""
    day = as_of or dt.datetime.now(DESK_ZONE).date()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=DESK_ZONE)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)


def site_views(db: Session, sites: list[Site], as_of: dt.date | None = None) -> list[SiteView]:
    """Sites with occupancy = open cases assigned to them, and intake = placements that day."""
    ids = [s.id for s in sites]
    if not ids:
        return []
    occupied = dict(
        db.execute(
            select(Case.site_id, func.count())
            .where(Case.site_id.in_(ids), Case.status.in_([s.value for s in OPEN_STATUSES]))
            .group_by(Case.site_id)
        ).all()
    )
    start, end = day_bounds(as_of)
    intake = dict(
        db.execute(
            select(Case.site_id, func.count())
            .where(Case.site_id.in_(ids), Case.site_assigned_at >= start, Case.site_assigned_at < end)
            .group_by(Case.site_id)
        ).all()
    )
    out = []
    for s in sites:
        occ = int(occupied.get(s.id, 0))
        out.append(SiteView(
            id=s.id, code=s.code, name=s.name, province=s.province, beds=s.beds,
            daily_intake=s.daily_intake, active=s.active, occupied=occ, free_beds=max(s.beds - occ, 0),
            intake_today=int(intake.get(s.id, 0)), occupancy_rate=round(occ / s.beds, 4) if s.beds else 0.0,
        ))
    return out


def determination_view(d: Determination, version: int, by: str) -> DeterminationView:
    """A stored determination as a view."""
    return DeterminationView(
        id=d.id, case_id=d.case_id, snapshot_id=d.snapshot_id, snapshot_version=version,
        engine_version=d.engine_version, law_version=d.law_version, policy=d.policy,
        stca_result=d.stca_result, deciding_provision=d.deciding_provision,
        other_ineligibility=list(d.other_ineligibility), covid_direct_back=d.covid_direct_back,
        uncertain=list(d.uncertain), path=list(d.path), result=dict(d.result), created_by=by,
        created_at=d.created_at,
    )


def review_in_effect(r: Review) -> bool:
    """A confirmation is in effect at once; an override only once a supervisor approved it."""
    return r.kind == ReviewKind.CONFIRM or r.approval == Approval.APPROVED


def review_views(db: Session, reviews: list[Review]) -> list[ReviewView]:
    """Reviews with the usernames and case references resolved."""
    names = usernames(db, {r.officer_id for r in reviews} | {r.approver_id for r in reviews})
    refs = dict(db.execute(select(Case.id, Case.reference).where(
        Case.id.in_({r.case_id for r in reviews}))).all()) if reviews else {}
    return [
        ReviewView(
            id=r.id, case_id=r.case_id, case_reference=refs[r.case_id], determination_id=r.determination_id,
            kind=r.kind, result=r.result, reason=r.reason, officer=names[r.officer_id], created_at=r.created_at,
            approval=r.approval, approver=names.get(r.approver_id) if r.approver_id else None,
            approved_at=r.approved_at, approval_reason=r.approval_reason, in_effect=review_in_effect(r),
        )
        for r in reviews
    ]


def transfer_views(db: Session, transfers: list[Transfer]) -> list[TransferView]:
    """Transfers with site codes, usernames and case references resolved."""
    if not transfers:
        return []
    names = usernames(db, {t.by_id for t in transfers})
    site_ids = {t.to_site_id for t in transfers} | {t.from_site_id for t in transfers if t.from_site_id}
    codes = dict(db.execute(select(Site.id, Site.code).where(Site.id.in_(site_ids))).all())
    refs = dict(db.execute(select(Case.id, Case.reference).where(
        Case.id.in_({t.case_id for t in transfers}))).all())
    return [
        TransferView(
            id=t.id, case_id=t.case_id, case_reference=refs[t.case_id],
            from_site=codes.get(t.from_site_id) if t.from_site_id else None, to_site=codes[t.to_site_id],
            from_province=t.from_province, to_province=t.to_province, reason=t.reason, by=names[t.by_id],
            at=t.at,
        )
        for t in transfers
    ]


def latest_review(db: Session, case_id: int, determination_id: int) -> Review | None:
    """The newest review of the given determination that is not a rejected override."""
    return db.scalar(
        select(Review)
        .where(Review.case_id == case_id, Review.determination_id == determination_id,
               Review.approval != Approval.REJECTED)
        .order_by(Review.id.desc())
        .limit(1)
    )


def effective_result(db: Session, case_id: int) -> tuple[str | None, bool]:
    """(result in force, whether an override awaits approval) for the latest determination."""
    det = db.scalar(select(Determination).where(Determination.case_id == case_id)
                    .order_by(Determination.id.desc()).limit(1))
    if det is None:
        return None, False
    review = latest_review(db, case_id, det.id)
    if review is None:
        return det.stca_result, False
    if review.approval == Approval.PENDING:
        return det.stca_result, True
    return (review.result if review_in_effect(review) else det.stca_result), False


def case_detail(db: Session, case: Case) -> CaseDetail:
    """Everything about a case, assembled with a handful of queries."""
    from stca.desk.services._review import allowed_transitions

    snaps = db.scalars(select(FactSnapshot).where(FactSnapshot.case_id == case.id)
                       .order_by(FactSnapshot.version)).all()
    dets = db.scalars(select(Determination).where(Determination.case_id == case.id)
                      .order_by(Determination.id)).all()
    reviews = db.scalars(select(Review).where(Review.case_id == case.id).order_by(Review.id)).all()
    transfers = db.scalars(select(Transfer).where(Transfer.case_id == case.id).order_by(Transfer.id)).all()
    history = db.scalars(select(StatusChange).where(StatusChange.case_id == case.id)
                         .order_by(StatusChange.id)).all()
    names = usernames(db, {case.created_by_id} | {s.created_by_id for s in snaps}
                      | {d.created_by_id for d in dets} | {h.by_id for h in history})
    versions = {s.id: s.version for s in snaps}
    site = site_views(db, [case.site])[0] if case.site else None
    effective, pending = effective_result(db, case.id)
    return CaseDetail(
        id=case.id, reference=case.reference, encounter_type=case.encounter_type, place=case.place,
        encountered_at=case.encountered_at, province=case.province, claimant_name=case.claimant_name,
        status=case.status, site=site,
        family_members=[PersonView.model_validate(p) for p in case.people],
        created_by=names[case.created_by_id], created_at=case.created_at, updated_at=case.updated_at,
        snapshots=[SnapshotView(id=s.id, case_id=s.case_id, version=s.version, facts=dict(s.facts), note=s.note,
                                created_by=names[s.created_by_id], created_at=s.created_at,
                                provenance=s.provenance) for s in snaps],
        determinations=[determination_view(d, versions[d.snapshot_id], names[d.created_by_id]) for d in dets],
        reviews=review_views(db, list(reviews)),
        transfers=transfer_views(db, list(transfers)),
        history=[StatusChangeView(from_status=h.from_status, to_status=h.to_status, reason=h.reason,
                                  by=names[h.by_id], at=h.at) for h in history],
        allowed_transitions=allowed_transitions(CaseStatus(case.status)),
        effective_result=effective,
        pending_override=pending,
        encounter_group=case.encounter_group,
        linked_cases=_linked(db, case),
        unaccompanied_minor=bool(case.unaccompanied_minor),
        guardian_name=case.guardian_name,
        guardian_contact=case.guardian_contact,
    )


def _linked(db: Session, case: Case) -> list[CaseSummary]:
    """The other cases of the same encounter, oldest first."""
    if not case.encounter_group:
        return []
    others = db.scalars(select(Case).where(Case.encounter_group == case.encounter_group, Case.id != case.id)
                        .order_by(Case.id)).all()
    return [
        CaseSummary(id=c.id, reference=c.reference, encounter_type=c.encounter_type, place=c.place,
                    encountered_at=c.encountered_at, province=c.province, claimant_name=c.claimant_name,
                    status=c.status, site_code=None, stca_result=effective_result(db, c.id)[0],
                    created_at=c.created_at, updated_at=c.updated_at)
        for c in others
    ]
