"""Reception capacity: sites with beds and a daily intake, occupancy, placements and transfers.

Occupancy is computed, never stored: the open cases (status not final) assigned to a site. A site is
full when occupancy reaches its beds, or when the day's placements reach its daily intake; a placement
into a full or closed site is refused so the desk never plans beyond what exists.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, false, or_, select
from sqlalchemy.orm import Session

from stca.desk.db import utcnow
from stca.desk.domain import FINAL_STATUSES, PROVINCES, CaseStatus
from stca.desk.models import Case, Determination, Review, Site, Transfer
from stca.desk.services._build import case_detail, load_case, site_views, transfer_views
from stca.desk.services._errors import Conflict, InvalidInput, NotFound, validate
from stca.desk.services._schemas import CaseDetail, ProvinceCapacity, SiteIn, SiteView, TransferView, UserView
from stca.desk.services._unit import get_row, log, unit_of_work


def _site_dict(s: Site) -> dict[str, object]:
    return {"code": s.code, "name": s.name, "province": s.province, "beds": s.beds, "daily_intake": s.daily_intake,
            "active": s.active}


# ---------------------------------------------------------------- scope: regions and sites


def in_scope(user: UserView, province: str, site_id: int | None) -> bool:
    """Whether ``user`` works on a case of ``province`` placed at ``site_id``: national scope, the case's
    region (province), or its reception site."""
    return (user.national_scope or province in user.scope_provinces
            or (site_id is not None and site_id in user.scope_site_ids))


def scope_clause(user: UserView) -> ColumnElement[bool] | None:
    """The SQL condition on ``cases`` equal to :func:`in_scope` (``None``: every case)."""
    if user.national_scope:
        return None
    parts: list[ColumnElement[bool]] = []
    if user.scope_provinces:
        parts.append(Case.province.in_(user.scope_provinces))
    if user.scope_site_ids:
        parts.append(Case.site_id.in_(user.scope_site_ids))
    return or_(*parts) if parts else false()


def case_location(db: Session, kind: str, ident: int) -> tuple[str, int | None] | None:
    """(province, site id) of the case that a ``case``, ``determination`` or ``review`` id belongs to;
    ``None`` when there is no such row (the route then answers 404 itself)."""
    query = select(Case.province, Case.site_id)
    if kind == "case":
        query = query.where(Case.id == ident)
    elif kind == "determination":
        query = query.join(Determination, Determination.case_id == Case.id).where(Determination.id == ident)
    elif kind == "review":
        query = query.join(Review, Review.case_id == Case.id).where(Review.id == ident)
    else:
        raise ValueError(f"unknown kind {kind!r}")
    row = db.execute(query).first() if -(2**31) <= ident < 2**31 else None
    return (row[0], row[1]) if row is not None else None


def check_case_scope(actor: UserView | None, province: str, site_id: int | None, field: str = "province") -> None:
    """Refuse to record or move a case outside ``actor``'s scope (the command line has no actor)."""
    if actor is not None and actor.role != "admin" and not in_scope(actor, province, site_id):
        raise InvalidInput.one(field, "outside your regions and sites; choose one of them")


def list_sites(db: Session, *, province: str | None = None, as_of: dt.date | None = None) -> list[SiteView]:
    """Sites (optionally of one province) with occupancy and the day's intake, by province then code."""
    query = select(Site).order_by(Site.province, Site.code)
    if province:
        if province.upper() not in PROVINCES:
            raise InvalidInput.one("province", f"expected one of {', '.join(PROVINCES)}")
        query = query.where(Site.province == province.upper())
    views = site_views(db, list(db.scalars(query).all()), as_of)
    return views


def get_site(db: Session, site_id: int) -> SiteView:
    """One site with its occupancy today."""
    site = get_row(db, Site, site_id)
    if site is None:
        raise NotFound("site", site_id)
    view = site_views(db, [site])[0]
    return view


def create_site(db: Session, actor: UserView, data: SiteIn | dict[str, object]) -> SiteView:
    """Add a reception site."""
    body = validate(SiteIn, data)
    if db.scalar(select(Site.id).where(Site.code == body.code)) is not None:
        raise Conflict(f"site code {body.code} is already used", field="code")
    with unit_of_work(db):
        site = Site(**body.model_dump(), active=True)
        db.add(site)
        db.flush()
        log(db, actor, "site", site.id, "create", None, _site_dict(site))
    return get_site(db, site.id)


def update_site_capacity(
    db: Session, actor: UserView, site_id: int, *, beds: int | None = None, daily_intake: int | None = None,
    active: bool | None = None,
) -> SiteView:
    """Change a site's beds, daily intake or open/closed state (occupancy may exceed new beds; it shows)."""
    for name, value in (("beds", beds), ("daily_intake", daily_intake)):
        if value is not None and not 0 <= value <= 100_000:
            raise InvalidInput.one(name, "must be between 0 and 100000")
    with unit_of_work(db):
        site = get_row(db, Site, site_id)
        if site is None:
            raise NotFound("site", site_id)
        before = _site_dict(site)
        if beds is not None:
            site.beds = beds
        if daily_intake is not None:
            site.daily_intake = daily_intake
        if active is not None:
            site.active = active
        log(db, actor, "site", site.id, "update", before, _site_dict(site))
    return get_site(db, site_id)


def capacity_by_province(db: Session, *, as_of: dt.date | None = None) -> list[ProvinceCapacity]:
    """Beds, occupancy and intake summed per province over active sites."""
    views = site_views(db, list(db.scalars(select(Site).where(Site.active.is_(True))).all()), as_of)
    out = []
    for prov in PROVINCES:
        mine = [v for v in views if v.province == prov]
        if mine:
            out.append(ProvinceCapacity(
                province=prov, sites=len(mine), beds=sum(v.beds for v in mine),
                occupied=sum(v.occupied for v in mine), free_beds=sum(v.free_beds for v in mine),
                daily_intake=sum(v.daily_intake for v in mine), intake_today=sum(v.intake_today for v in mine),
            ))
    return out


def _check_room(db: Session, site: Site, field: str) -> None:
    if not site.active:
        raise Conflict(f"site {site.code} is closed", field=field)
    view = site_views(db, [site])[0]
    if view.occupied >= site.beds:
        raise Conflict(f"site {site.code} is full ({view.occupied}/{site.beds} beds)", field=field)
    if view.intake_today >= site.daily_intake:
        raise Conflict(f"site {site.code} reached its daily intake ({site.daily_intake})", field=field)


def place_in_site(db: Session, actor: UserView, case: Case, site_id: int, field: str = "site_id") -> Site:
    """Put a case in a site inside the caller's unit of work (checks room, records the placement)."""
    if not in_scope(actor, case.province, case.site_id):
        raise NotFound("case", case.id)
    site = get_row(db, Site, site_id)
    if site is None:
        raise InvalidInput.one(field, f"no reception site with id {site_id}")
    _check_room(db, site, field)
    before = {"site": case.site.code if case.site else None}
    case.site_id, case.site_assigned_at, case.updated_at = site.id, utcnow(), utcnow()
    db.flush()
    db.refresh(case)
    log(db, actor, "case", case.id, "assign_site", before, {"site": site.code})
    return site


def _open(case: Case) -> None:
    if CaseStatus(case.status) in FINAL_STATUSES:
        raise Conflict(f"case {case.reference} is closed ({case.status}); it occupies no bed", field="status")


def assign_site(db: Session, actor: UserView, case_id: int, site_id: int) -> CaseDetail:
    """First placement of a claimant; moving an already placed claimant is a transfer."""
    with unit_of_work(db):
        case = load_case(db, case_id)
        _open(case)
        if case.site_id is not None:
            raise Conflict("the case already has a site; record a transfer instead", field="site_id")
        place_in_site(db, actor, case, site_id)
    detail = case_detail(db, case)
    return detail


def transfer_case(db: Session, actor: UserView, case_id: int, *, to_site_id: int, reason: str) -> TransferView:
    """Move a claimant to another site (e.g. QC → ON), recording who, when and why."""
    if len(reason.strip()) < 3:
        raise InvalidInput.one("reason", "say why the claimant is transferred (at least 3 characters)")
    with unit_of_work(db):
        case = load_case(db, case_id)
        _open(case)
        if case.site_id == to_site_id:
            raise InvalidInput.one("to_site_id", "the claimant is already at this site")
        old = case.site
        site = place_in_site(db, actor, case, to_site_id, field="to_site_id")
        transfer = Transfer(case_id=case.id, from_site_id=old.id if old else None, to_site_id=site.id,
                            from_province=old.province if old else None, to_province=site.province,
                            reason=reason.strip(), by_id=actor.id)
        db.add(transfer)
        db.flush()
        log(db, actor, "transfer", transfer.id, "create", None, {
            "case_id": case.id, "from_site": old.code if old else None, "to_site": site.code,
            "from_province": transfer.from_province, "to_province": site.province, "reason": transfer.reason})
    view = transfer_views(db, [transfer])[0]
    return view


def list_transfers(db: Session, *, case_id: int | None = None, limit: int = 100,
                   scope: UserView | None = None) -> list[TransferView]:
    """Transfers, newest first (of one case, or all; only of cases in ``scope``'s regions and sites)."""
    if not 1 <= limit <= 1000:
        raise InvalidInput.one("limit", "must be between 1 and 1000")
    query = select(Transfer).order_by(Transfer.id.desc()).limit(limit)
    if case_id is not None:
        query = query.where(Transfer.case_id == case_id)
    where = scope_clause(scope) if scope is not None else None
    if where is not None:
        query = query.join(Case, Case.id == Transfer.case_id).where(where)
    views = transfer_views(db, list(db.scalars(query).all()))
    return views
