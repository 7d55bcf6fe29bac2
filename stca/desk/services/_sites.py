"""Reception capacity: sites with beds and a daily intake, occupancy, placements and transfers.

Occupancy is computed, never stored: the open cases (status not final) assigned to a site. A site is
full when occupancy reaches its beds, or when the day's placements reach its daily intake; a placement
into a full or closed site is refused so the desk never plans beyond what exists.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from stca.desk.db import utcnow
from stca.desk.domain import FINAL_STATUSES, PROVINCES, CaseStatus
from stca.desk.models import Case, Site, Transfer
from stca.desk.services._build import case_detail, load_case, site_views, transfer_views
from stca.desk.services._errors import Conflict, InvalidInput, NotFound, validate
from stca.desk.services._schemas import CaseDetail, ProvinceCapacity, SiteIn, SiteView, TransferView, UserView
from stca.desk.services._unit import get_row, log, unit_of_work


def _site_dict(s: Site) -> dict[str, object]:
    return {"code": s.code, "name": s.name, "province": s.province, "beds": s.beds, "daily_intake": s.daily_intake,
            "active": s.active}


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


def list_transfers(db: Session, *, case_id: int | None = None, limit: int = 100) -> list[TransferView]:
    """Transfers, newest first (of one case, or all)."""
    if not 1 <= limit <= 1000:
        raise InvalidInput.one("limit", "must be between 1 and 1000")
    query = select(Transfer).order_by(Transfer.id.desc()).limit(limit)
    if case_id is not None:
        query = query.where(Transfer.case_id == case_id)
    views = transfer_views(db, list(db.scalars(query).all()))
    return views
