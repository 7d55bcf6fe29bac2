"""Cases and their versioned facts: intake (idempotent), lookup, lists, new fact versions."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from stca.desk.audit import to_json
from stca.desk.db import utcnow
from stca.desk.domain import CaseStatus, EncounterType
from stca.desk.models import Case, Determination, FactSnapshot, Person, Site, StatusChange
from stca.desk.services._build import case_detail, load_case
from stca.desk.services._errors import Conflict, InvalidInput, NotFound, validate
from stca.desk.services._facts import normalise_facts
from stca.desk.services._schemas import (
    DESK_ZONE,
    MAX_ID,
    CaseDetail,
    CaseIn,
    CasePage,
    CaseSummary,
    SnapshotView,
    UserView,
)
from stca.desk.services._sites import check_case_scope, scope_clause
from stca.desk.services._unit import get_row, log, unit_of_work, usernames
from stca.desk.services._workflow import move


def starting_facts(encounter_type: str | EncounterType, encountered_at: dt.datetime) -> dict[str, Any]:
    """The facts (law.md §4) an encounter implies before the officer adds more.

    A land-port claim is made on arrival; an RCMP interception between ports is followed by a claim
    (``claim_at_entry`` false); an inland claim follows an ordinary admission. Dates are local (Toronto).

    >>> starting_facts("AIRPORT", dt.datetime(2024, 5, 1, 14, tzinfo=dt.UTC))["entry_place"]
    'AIRPORT'
    """
    kind = EncounterType(encounter_type)
    local = encountered_at.astimezone(DESK_ZONE)
    facts: dict[str, Any] = {
        "entry_local_date": local.date().isoformat(),
        "claim_local_date": local.date().isoformat(),
        "entry_instant": local.isoformat(timespec="seconds"),
    }
    if kind is EncounterType.LAND_POE:
        facts.update(entry_place="LAND_POE", claim_at_entry=True)
    elif kind is EncounterType.RCMP_INTERCEPTION:
        facts.update(entry_place="BETWEEN_POES_LAND", claim_at_entry=False)
    elif kind is EncounterType.AIRPORT:
        facts.update(entry_place="AIRPORT", claim_at_entry=True)
    else:
        facts.update(entry_place="LAND_POE", claim_at_entry=False, entered_at_poe_without_claim=True)
        del facts["entry_instant"]
    return facts


def _digest(data: CaseIn) -> str:
    body = json.dumps(data.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


def _existing(db: Session, actor: UserView, key: str, digest: str) -> CaseDetail | None:
    case = db.scalar(select(Case).where(Case.created_by_id == actor.id, Case.idempotency_key == key))
    if case is None:
        return None
    if case.request_digest != digest:
        raise Conflict("this Idempotency-Key was already used for a different case", field="Idempotency-Key")
    detail = case_detail(db, case)
    return detail


def create_case(
    db: Session, actor: UserView, data: CaseIn | Mapping[str, Any], *, idempotency_key: str | None = None
) -> tuple[CaseDetail, bool]:
    """Record a new encounter with its first fact snapshot (version 1).

    With ``idempotency_key`` a repeated submission (double click, retried request) returns the case
    created the first time and ``False``; the same key with different content is a :class:`Conflict`.
    """
    case_in = validate(CaseIn, data)
    if idempotency_key is not None and not 1 <= len(idempotency_key) <= 128:
        raise InvalidInput.one("Idempotency-Key", "must be 1–128 characters")
    digest = _digest(case_in)
    if idempotency_key and (found := _existing(db, actor, idempotency_key, digest)):
        return found, False
    raw_facts = case_in.facts if case_in.facts is not None else starting_facts(
        case_in.encounter_type, case_in.encountered_at)
    facts = normalise_facts(raw_facts, prefix="facts")
    if case_in.site_id is not None and get_row(db, Site, case_in.site_id) is None:
        raise InvalidInput.one("site_id", f"no reception site with id {case_in.site_id}")
    check_case_scope(actor, case_in.province, case_in.site_id)
    try:
        with unit_of_work(db):
            now = utcnow()
            case = Case(
                reference=f"pending-{uuid.uuid4().hex[:20]}", encounter_type=case_in.encounter_type.value,
                place=case_in.place, encountered_at=case_in.encountered_at.astimezone(dt.UTC),
                province=case_in.province, claimant_name=case_in.claimant_name,
                status=CaseStatus.RECEIVED.value, created_by_id=actor.id,
                created_at=now, updated_at=now, idempotency_key=idempotency_key, request_digest=digest,
                encounter_group=case_in.encounter_group, unaccompanied_minor=case_in.unaccompanied_minor,
                guardian_name=case_in.guardian_name, guardian_contact=case_in.guardian_contact,
            )
            db.add(case)
            db.flush()
            case.reference = f"{case.encountered_at.astimezone(DESK_ZONE).year}-{case.province}-{case.id:06d}"
            for p in case_in.family_members:
                case.people.append(Person(name=p.name, relationship=p.relationship))
            db.add(StatusChange(case_id=case.id, from_status=None, to_status=CaseStatus.RECEIVED,
                                reason="intake", by_id=actor.id))
            snap = FactSnapshot(case_id=case.id, version=1, facts=facts, note="intake", created_by_id=actor.id,
                                provenance=case_in.provenance)
            db.add(snap)
            db.flush()
            log(db, actor, "case", case.id, "create", None, {
                "reference": case.reference, "encounter_type": case.encounter_type, "place": case.place,
                "encountered_at": case.encountered_at, "province": case.province,
                "claimant_name": case.claimant_name, "family_members": [p.model_dump() for p in
                                                                         case_in.family_members],
            })
            log(db, actor, "fact_snapshot", snap.id, "create", None, {"case_id": case.id, "version": 1,
                                                                      "facts": facts})
            if case_in.site_id is not None:
                from stca.desk.services._sites import place_in_site

                place_in_site(db, actor, case, case_in.site_id)
    except Conflict:
        if idempotency_key and (found := _existing(db, actor, idempotency_key, digest)):
            return found, False  # a concurrent duplicate won the race; answer as it did
        raise
    detail = case_detail(db, case)
    return detail, True


def get_case(db: Session, case_id: int, *, scope: UserView | None = None) -> CaseDetail:
    """Everything about one case (:class:`NotFound` if there is none); with ``scope`` (the user reading
    it) the other cases of the same encounter are listed only when they are in that user's scope."""
    detail = case_detail(db, load_case(db, case_id))
    where = scope_clause(scope) if scope is not None else None
    if where is not None and detail.linked_cases:
        ids = [c.id for c in detail.linked_cases]
        visible = set(db.scalars(select(Case.id).where(Case.id.in_(ids), where)).all())
        detail = detail.model_copy(update={"linked_cases": [c for c in detail.linked_cases if c.id in visible]})
    return detail


def get_case_by_reference(db: Session, reference: str) -> CaseDetail:
    """Look a case up by its printed reference, e.g. ``2024-QC-000012``."""
    case = db.scalar(select(Case).where(Case.reference == reference.strip()))
    if case is None:
        raise NotFound("case", reference)
    detail = case_detail(db, case)
    return detail


def _filtered(query: Select[Any], *, status: str | None, province: str | None, encounter_type: str | None,
              site_id: int | None, search: str | None, created_by_id: int | None = None,
              date_from: dt.date | None = None, date_to: dt.date | None = None) -> Select[Any]:
    if created_by_id is not None:
        query = query.where(Case.created_by_id == created_by_id)
    if date_from is not None:
        query = query.where(Case.encountered_at >= _day_start(date_from))
    if date_to is not None:
        query = query.where(Case.encountered_at < _day_start(date_to + dt.timedelta(days=1)))
    if status:
        query = query.where(Case.status == status)
    if province:
        query = query.where(Case.province == province.upper())
    if encounter_type:
        query = query.where(Case.encounter_type == encounter_type)
    if site_id is not None:
        query = query.where(Case.site_id == site_id)
    if search:
        # contains(autoescape=True): "%" and "_" typed by the officer match themselves, not any text
        wanted = search.strip().lower()
        query = query.where(or_(*(func.lower(column).contains(wanted, autoescape=True)
                                  for column in (Case.claimant_name, Case.reference, Case.place))))
    return query


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=DESK_ZONE).astimezone(dt.UTC)


def list_cases(
    db: Session,
    *,
    status: str | None = None,
    province: str | None = None,
    encounter_type: str | None = None,
    site_id: int | None = None,
    search: str | None = None,
    limit: int = 50,
    offset: int = 0,
    created_by_id: int | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    scope: UserView | None = None,
) -> CasePage:
    """Cases, newest encounter first, with the latest determination's result.

    ``search`` matches the claimant's name, the reference or the place; ``created_by_id`` gives one
    officer's own cases; ``date_from``/``date_to`` bound the encounter's local (Toronto) date;
    ``scope`` (a user) keeps only the cases of its regions and sites.
    """
    if not 1 <= limit <= 500:
        raise InvalidInput.one("limit", "must be between 1 and 500")
    if not 0 <= offset <= MAX_ID:
        raise InvalidInput.one("offset", f"must be between 0 and {MAX_ID}")
    if site_id is not None and not 1 <= site_id <= MAX_ID:
        raise InvalidInput.one("site_id", f"must be between 1 and {MAX_ID}")
    for name, value in (("status", status), ("province", province), ("encounter_type", encounter_type),
                        ("search", search)):
        if value is not None and "\x00" in value:
            raise InvalidInput.one(name, "must not contain the NUL character (\\u0000)")
    where = scope_clause(scope) if scope is not None else None

    def filtered(query: Select[Any]) -> Select[Any]:
        query = query if where is None else query.where(where)
        return _filtered(query, status=status, province=province, encounter_type=encounter_type,
                         site_id=site_id, search=search, created_by_id=created_by_id, date_from=date_from,
                         date_to=date_to)

    total = db.scalar(filtered(select(func.count(Case.id)))) or 0
    cases = db.scalars(filtered(select(Case))
                       .order_by(Case.encountered_at.desc(), Case.id.desc()).limit(limit).offset(offset)).all()
    latest = _latest_results(db, [c.id for c in cases])
    codes = dict(db.execute(select(Site.id, Site.code)).all())
    items = [
        CaseSummary(id=c.id, reference=c.reference, encounter_type=c.encounter_type, place=c.place,
                    encountered_at=c.encountered_at, province=c.province, claimant_name=c.claimant_name,
                    status=c.status, site_code=codes.get(c.site_id) if c.site_id else None,
                    stca_result=latest.get(c.id), created_at=c.created_at, updated_at=c.updated_at)
        for c in cases
    ]
    return CasePage(items=items, total=int(total), limit=limit, offset=offset)


def _latest_results(db: Session, case_ids: list[int]) -> dict[int, str]:
    if not case_ids:
        return {}
    newest = (select(func.max(Determination.id)).where(Determination.case_id.in_(case_ids))
              .group_by(Determination.case_id))
    rows = db.execute(select(Determination.case_id, Determination.stca_result)
                      .where(Determination.id.in_(newest))).all()
    return dict(rows)


def append_facts(
    db: Session, actor: UserView, case_id: int, facts: Mapping[str, Any], *, note: str = "",
    provenance: Mapping[str, Any] | None = None,
) -> SnapshotView:
    """Record a new version of the facts (the old versions stay); the case goes back to RECEIVED.

    ``provenance`` records what the officer answered and what is unknown, with the reason.
    """
    if not isinstance(facts, Mapping):
        raise InvalidInput.one("facts", "expected a JSON object of facts (law.md §4)")
    if len(note) > 2000:
        raise InvalidInput.one("note", "at most 2000 characters")
    normalised = normalise_facts(facts, prefix="facts")
    with unit_of_work(db):
        case = load_case(db, case_id)
        from stca.desk.services._build import effective_result

        if effective_result(db, case.id)[1]:
            raise Conflict("an override awaits supervisor approval; decide it before changing the facts",
                           field="facts")
        move(db, actor, case, CaseStatus.RECEIVED, reason="facts changed")
        version = (db.scalar(select(func.max(FactSnapshot.version)).where(FactSnapshot.case_id == case.id)) or 0) + 1
        snap = FactSnapshot(case_id=case.id, version=version, facts=normalised, note=note.strip(),
                            created_by_id=actor.id, provenance=dict(provenance) if provenance else None)
        db.add(snap)
        db.flush()
        log(db, actor, "fact_snapshot", snap.id, "create", None,
            {"case_id": case.id, "version": version, "facts": to_json(normalised), "note": snap.note})
    names = usernames(db, {actor.id})
    view = SnapshotView(id=snap.id, case_id=snap.case_id, version=snap.version, facts=dict(snap.facts),
                        note=snap.note, created_by=names[actor.id], created_at=snap.created_at,
                        provenance=snap.provenance)
    return view


def list_snapshots(db: Session, case_id: int) -> list[SnapshotView]:
    """Every fact version of a case, oldest first."""
    snaps = get_case(db, case_id).snapshots
    return snaps


def diff_facts(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[tuple[str, Any, Any]]:
    """Fields whose value differs between two fact versions: ``(field, old, new)`` in field order.

    >>> diff_facts({"age_years": 17, "marital": "NONE"}, {"age_years": 18, "marital": "NONE"})
    [('age_years', 17, 18)]
    """
    keys = list(old) + [k for k in new if k not in old]
    return [(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]
