"""What the service layer takes and returns: pydantic inputs (validated) and read-only views.

Why views instead of ORM objects: the pages render after the database session is closed and the API
serialises the same objects, so a view is a plain, complete value — no lazy loading surprises.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, field_validator

from stca.desk.domain import PROVINCES, STCA_RESULTS, EncounterType

MAX_ID = 2**31 - 1
"""The largest id (and offset) accepted: PostgreSQL's ``integer``. SQLite would take up to 2⁶³ − 1, but
every database answers alike, so larger numbers are refused (or simply not found) everywhere."""

#: Civil time assumed when an encounter time is typed without an offset (most STCA claims: QC/ON).
DESK_ZONE = ZoneInfo("America/Toronto")


ENCOUNTER_FIRST = dt.date(2004, 1, 1)
ENCOUNTER_LAST = dt.date(2099, 12, 31)
"""Encounter dates the desk records: from 2004 (the year the STCA regulations were made; the engine decides
claims from their coming into force) to the end of 2099. Outside it, a date is a typing error."""


def no_nul(value: str) -> str:
    """Refuse the NUL character: no text the desk stores contains it, and PostgreSQL cannot store it."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character (\\u0000)")
    return value


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        return no_nul(value) if isinstance(value, str) else value


class _View(BaseModel):
    model_config = ConfigDict(from_attributes=True, frozen=True)


def _province(value: str) -> str:
    code = value.strip().upper()
    if code not in PROVINCES:
        raise ValueError(f"expected a province or territory code, one of {', '.join(PROVINCES)}")
    return code


# ---------------------------------------------------------------- inputs


class PersonIn(_In):
    """A family member named on the case (relationship in law.md §4 vocabulary, e.g. ``CHILD``)."""

    name: str = Field(min_length=1, max_length=200)
    relationship: str = Field(min_length=1, max_length=32)

    @field_validator("relationship")
    @classmethod
    def upper_relationship(cls, value: str) -> str:
        return value.upper()


class CaseIn(_In):
    """A new encounter. ``facts`` (law.md §4) is optional: without it the case starts with the facts
    implied by the encounter (see :func:`stca.desk.services.starting_facts`)."""

    encounter_type: EncounterType
    place: str = Field(min_length=1, max_length=200, examples=["Lacolle (St-Bernard-de-Lacolle) POE"])
    encountered_at: dt.datetime = Field(examples=["2024-05-01T10:30:00-04:00"])
    province: str = Field(examples=["QC"])
    claimant_name: str = Field(min_length=1, max_length=200)
    family_members: list[PersonIn] = Field(default_factory=list)
    facts: dict[str, Any] | None = None
    site_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    provenance: dict[str, Any] | None = None
    """What the officer answered: ``{"answered": [fact keys], "unknown": {fact key: reason}}``."""
    encounter_group: str | None = Field(default=None, max_length=40)
    """Cases of people crossing together share this key."""
    unaccompanied_minor: bool = False
    guardian_name: str | None = Field(default=None, max_length=200)
    guardian_contact: str | None = Field(default=None, max_length=200)

    @field_validator("province")
    @classmethod
    def check_province(cls, value: str) -> str:
        return _province(value)

    @field_validator("encountered_at")
    @classmethod
    def assume_desk_zone(cls, value: dt.datetime) -> dt.datetime:
        if not ENCOUNTER_FIRST <= value.date() <= ENCOUNTER_LAST:
            raise ValueError(f"must be between {ENCOUNTER_FIRST} and {ENCOUNTER_LAST}")
        return value if value.tzinfo else value.replace(tzinfo=DESK_ZONE)


class SiteIn(_In):
    """A reception site."""

    code: str = Field(min_length=2, max_length=32, pattern=r"^[A-Z0-9-]+$")
    name: str = Field(min_length=1, max_length=200)
    province: str
    beds: int = Field(ge=0, le=100_000)
    daily_intake: int = Field(ge=0, le=100_000)

    @field_validator("province")
    @classmethod
    def check_province(cls, value: str) -> str:
        return _province(value)


class OverrideIn(_In):
    """An eligibility officer's override: the result they find and why (required)."""

    result: str
    reason: str = Field(min_length=10, max_length=5000)

    @field_validator("result")
    @classmethod
    def known_result(cls, value: str) -> str:
        if value not in STCA_RESULTS:
            raise ValueError(f"expected one of {', '.join(STCA_RESULTS)}")
        return value


# ---------------------------------------------------------------- views


class UserView(_View):
    """A desk account without its password hash; also the ``actor`` passed to every service."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    national_scope: bool = False
    """Works on every case; otherwise only those of ``scope_provinces`` and ``scope_site_ids``."""
    scope_provinces: list[str] = []
    scope_site_ids: list[int] = []


class ScopeIn(_In):
    """Which cases an account works on: every case (``national``), or those of some regions (province
    codes) and reception sites. Officers see and change only cases in their scope."""

    national: bool = False
    provinces: list[str] = Field(default=[], max_length=len(PROVINCES))
    site_ids: list[int] = Field(default=[], max_length=1000)

    @field_validator("provinces")
    @classmethod
    def _provinces(cls, values: list[str]) -> list[str]:
        return sorted({_province(v) for v in values})


class SessionView(_View):
    """A signed-in session as its owner's administrator sees it (never its token)."""

    id: int
    user_id: int
    created_at: dt.datetime
    last_seen_at: dt.datetime
    expires_at: dt.datetime
    """Absolute end (``Settings.session_max_age_seconds`` after sign-in)."""
    idle_expires_at: dt.datetime
    """When it ends if unused (``Settings.session_idle_seconds`` after ``last_seen_at``)."""
    client: str
    user_agent: str


class PersonView(_View):
    """A named family member."""

    id: int
    name: str
    relationship: str


class SnapshotView(_View):
    """One version of a case's facts."""

    id: int
    case_id: int
    version: int
    facts: dict[str, Any]
    note: str
    created_by: str
    created_at: dt.datetime
    provenance: dict[str, Any] | None = None
    """What the officer answered and recorded as unknown (None: every field as recorded)."""


class DeterminationView(_View):
    """A stored determination; ``result`` is the full contract §2 JSON as produced then."""

    id: int
    case_id: int
    snapshot_id: int
    snapshot_version: int
    engine_version: str
    law_version: str
    policy: str
    stca_result: str
    deciding_provision: str
    other_ineligibility: list[str]
    covid_direct_back: bool
    uncertain: list[str]
    path: list[dict[str, Any]]
    result: dict[str, Any]
    created_by: str
    created_at: dt.datetime


class ReplayReport(_View):
    """Re-running a stored determination on its stored facts with today's engine."""

    determination_id: int
    same: bool
    differences: list[str]
    engine_version_then: str
    engine_version_now: str
    law_version_then: str
    law_version_now: str
    replayed: dict[str, Any]


class ReviewView(_View):
    """A confirmation or override and its supervisor sign-off."""

    id: int
    case_id: int
    case_reference: str
    determination_id: int
    kind: str
    result: str
    reason: str
    officer: str
    created_at: dt.datetime
    approval: str
    approver: str | None
    approved_at: dt.datetime | None
    approval_reason: str | None
    in_effect: bool


class StatusChangeView(_View):
    """One workflow move."""

    from_status: str | None
    to_status: str
    reason: str
    by: str
    at: dt.datetime


class TransferView(_View):
    """A move between reception sites."""

    id: int
    case_id: int
    case_reference: str
    from_site: str | None
    to_site: str
    from_province: str | None
    to_province: str
    reason: str
    by: str
    at: dt.datetime


class SiteView(_View):
    """A reception site with its occupancy (open cases assigned to it) on ``as_of``."""

    id: int
    code: str
    name: str
    province: str
    beds: int
    daily_intake: int
    active: bool
    occupied: int
    free_beds: int
    intake_today: int
    occupancy_rate: float


class ProvinceCapacity(_View):
    """Beds and occupancy summed over a province's active sites."""

    province: str
    sites: int
    beds: int
    occupied: int
    free_beds: int
    daily_intake: int
    intake_today: int


class CaseSummary(_View):
    """A case in a list."""

    id: int
    reference: str
    encounter_type: str
    place: str
    encountered_at: dt.datetime
    province: str
    claimant_name: str
    status: str
    site_code: str | None
    stca_result: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


class CasePage(_View):
    """One page of a case list and the total matching."""

    items: list[CaseSummary]
    total: int
    limit: int
    offset: int


class CaseDetail(_View):
    """Everything about one case, for the case page and the API."""

    id: int
    reference: str
    encounter_type: str
    place: str
    encountered_at: dt.datetime
    province: str
    claimant_name: str
    status: str
    site: SiteView | None
    family_members: list[PersonView]
    created_by: str
    created_at: dt.datetime
    updated_at: dt.datetime
    snapshots: list[SnapshotView]
    determinations: list[DeterminationView]
    reviews: list[ReviewView]
    transfers: list[TransferView]
    history: list[StatusChangeView]
    allowed_transitions: list[str]
    effective_result: str | None
    """The result in force: the latest determination, or an approved override of it."""
    pending_override: bool
    encounter_group: str | None = None
    linked_cases: list[CaseSummary] = Field(default_factory=list)
    """The other people of the same encounter (crossing together)."""
    unaccompanied_minor: bool = False
    guardian_name: str | None = None
    guardian_contact: str | None = None

    @property
    def current_facts(self) -> dict[str, Any] | None:
        """Facts of the latest snapshot."""
        return self.snapshots[-1].facts if self.snapshots else None

    @property
    def latest_determination(self) -> DeterminationView | None:
        """The most recent determination, if any."""
        return self.determinations[-1] if self.determinations else None


class AuditView(_View):
    """One audit row."""

    seq: int
    at: dt.datetime
    actor: str | None
    entity: str
    entity_id: str
    action: str
    before: Any
    after: Any
    hash: str


class DemoSummary(_View):
    """What :func:`stca.desk.services.seed_demo` created."""

    users: dict[str, str]
    """username → password (demo only)."""
    sites: int
    cases: int
