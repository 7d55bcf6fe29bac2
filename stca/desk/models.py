"""The case-desk tables (SQLAlchemy 2 declarative).

Why the shapes: a determination must be replayable years later, so it stores the engine version,
law version, policy and the full rule path next to the exact fact snapshot it read; fact snapshots are
append-only versions (an edit is a new version); the audit log is a hash chain (see ``audit.py``).
Names of people live only in ``cases.claimant_name`` and ``people.name`` so aggregates can never
reach them by accident.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from stca.desk.db import Base, UtcDateTime, utcnow


class User(Base):
    """A desk account; ``role`` is one of :class:`stca.desk.roles.Role`."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    national_scope: Mapped[bool] = mapped_column(Boolean, default=False)
    """Sees and works on every case; otherwise only cases of ``scope_provinces`` or ``scope_site_ids``."""
    scope_provinces: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Regions (province codes) whose cases this account works on."""
    scope_site_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    """Reception sites whose cases this account works on."""


class UserSession(Base):
    """A signed-in browser or API client; the cookie holds a random token, the database only its hash.

    Why server-side: a session must end for good when its owner logs out, changes or loses their
    password, or is deactivated (OWASP ASVS V3.3), which a self-contained signed cookie cannot do.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    revoked_reason: Mapped[str | None] = mapped_column(String(32))
    client: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(200))


class Site(Base):
    """A reception site (shelter/hotel) in a province, with beds and a daily intake capacity."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    province: Mapped[str] = mapped_column(String(2), index=True)
    beds: Mapped[int] = mapped_column(Integer)
    daily_intake: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Case(Base):
    """One encounter with a claimant: where, when, who, and where the case stands."""

    __tablename__ = "cases"
    __table_args__ = (UniqueConstraint("created_by_id", "idempotency_key", name="uq_cases_idempotency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    encounter_type: Mapped[str] = mapped_column(String(32), index=True)
    place: Mapped[str] = mapped_column(String(200))
    encountered_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, index=True)
    province: Mapped[str] = mapped_column(String(2), index=True)
    claimant_name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(32), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    site_assigned_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    idempotency_key: Mapped[str | None] = mapped_column(String(128))
    request_digest: Mapped[str | None] = mapped_column(String(64))
    #: People crossing together are one encounter: their cases share this key (each has its own facts
    #: and determination, IRPR 159.5 applies person by person).
    encounter_group: Mapped[str | None] = mapped_column(String(40), index=True)
    #: A minor without a parent or legal guardian with them (IRPR 159.5(f)); who is acting for them.
    unaccompanied_minor: Mapped[bool] = mapped_column(Boolean, default=False)
    guardian_name: Mapped[str | None] = mapped_column(String(200))
    guardian_contact: Mapped[str | None] = mapped_column(String(200))

    people: Mapped[list[Person]] = relationship(order_by="Person.id", cascade="all")
    site: Mapped[Site | None] = relationship()


class Person(Base):
    """A family member travelling with or related to the claimant (names are personal data)."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    relationship: Mapped[str] = mapped_column(String(32))


class FactSnapshot(Base):
    """One version of a case's facts (law.md §4), normalised by ``stca.law.parse_facts``; never updated."""

    __tablename__ = "fact_snapshots"
    __table_args__ = (UniqueConstraint("case_id", "version", name="uq_snapshot_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: What the officer gave: ``{"answered": [fact keys], "unknown": {fact key: reason}}``; None for
    #: facts recorded through the API (every field as sent) or before the desk recorded it.
    provenance: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class InterviewDraft(Base):
    """An interview not yet saved, kept as the officer answers so nothing is lost (session expiry, Back).

    Only its owner can re-open it; it is deleted when the case is saved.
    """

    __tablename__ = "interview_drafts"

    token: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    path: Mapped[str] = mapped_column(String(200))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Determination(Base):
    """The engine's answer for one snapshot, with everything needed to replay it later."""

    __tablename__ = "determinations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("fact_snapshots.id"))
    engine_version: Mapped[str] = mapped_column(String(32))
    law_version: Mapped[str] = mapped_column(String(64))
    policy: Mapped[str] = mapped_column(String(64))
    stca_result: Mapped[str] = mapped_column(String(32), index=True)
    deciding_provision: Mapped[str] = mapped_column(String(200))
    other_ineligibility: Mapped[list[str]] = mapped_column(JSON)
    covid_direct_back: Mapped[bool] = mapped_column(Boolean)
    uncertain: Mapped[list[str]] = mapped_column(JSON)
    path: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Review(Base):
    """An eligibility officer's confirmation or override of a determination.

    An override takes effect only once a supervisor approves it (``approval`` = ``APPROVED``).
    """

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    determination_id: Mapped[int] = mapped_column(ForeignKey("determinations.id"))
    kind: Mapped[str] = mapped_column(String(16))
    result: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    approval: Mapped[str] = mapped_column(String(16))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    approval_reason: Mapped[str | None] = mapped_column(Text)


class StatusChange(Base):
    """One move of a case along the workflow, with who, when and why."""

    __tablename__ = "status_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class Transfer(Base):
    """A move of a claimant between reception sites (often between provinces, e.g. QC → ON)."""

    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    from_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    to_site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    from_province: Mapped[str | None] = mapped_column(String(2))
    to_province: Mapped[str] = mapped_column(String(2))
    reason: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class AuditEntry(Base):
    """One row of the append-only, hash-chained audit log (see :mod:`stca.desk.audit`)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str | None] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The case the row is about (``audit.case_of``), indexed with ``seq`` for a case's trail."""

    __table_args__ = (Index("ix_audit_log_case", "case_id", "seq"),)
