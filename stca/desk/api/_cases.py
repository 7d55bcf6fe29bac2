"""Case routes: intake (idempotent), facts, determinations, review, status, placement."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field

from stca.desk import services
from stca.desk.api._params import MAX_ID, Offset, PathId, QueryId
from stca.desk.deps import CaseWorker, Placer, Reviewer, SessionDep, Supervisor

router = APIRouter(prefix="/api/v1", tags=["cases"])


class FactsIn(BaseModel):
    """A new version of the facts."""

    model_config = ConfigDict(extra="forbid")

    facts: dict[str, Any]
    note: str = Field(default="", max_length=2000)


class ReasonIn(BaseModel):
    """A written reason."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=5000)


class StatusIn(BaseModel):
    """A requested status move."""

    model_config = ConfigDict(extra="forbid")

    status: str
    reason: str = Field(default="", max_length=5000)


class SiteChoice(BaseModel):
    """A site to place a claimant in."""

    model_config = ConfigDict(extra="forbid")

    site_id: int = Field(ge=1, le=MAX_ID)


class TransferIn(BaseModel):
    """A transfer to another site."""

    model_config = ConfigDict(extra="forbid")

    to_site_id: int = Field(ge=1, le=MAX_ID)
    reason: str = Field(max_length=5000)


@router.get("/cases")
def list_cases(
    db: SessionDep, user: CaseWorker, status: str | None = None, province: str | None = None,
    encounter_type: str | None = None, site_id: QueryId = None, search: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50, offset: Offset = 0,
) -> services.CasePage:
    """Cases, newest encounter first, with filters."""
    return services.list_cases(db, status=status, province=province, encounter_type=encounter_type,
                               site_id=site_id, search=search, limit=limit, offset=offset, scope=user)


@router.post("/cases", status_code=status.HTTP_201_CREATED)
def create_case(
    body: services.CaseIn, db: SessionDep, user: CaseWorker, response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=128)] = None,
) -> services.CaseDetail:
    """Record an encounter. Send an ``Idempotency-Key`` so a retried submission creates one case."""
    detail, created = services.create_case(db, user, body, idempotency_key=idempotency_key)
    if not created:
        response.headers["Idempotent-Replayed"] = "true"
    return detail


@router.get("/cases/{case_id}")
def get_case(case_id: PathId, db: SessionDep, user: CaseWorker) -> services.CaseDetail:
    """Everything about a case."""
    return services.get_case(db, case_id, scope=user)


@router.get("/cases/{case_id}/facts")
def list_facts(case_id: PathId, db: SessionDep, user: CaseWorker) -> list[services.SnapshotView]:
    """Every version of the facts, oldest first."""
    return services.list_snapshots(db, case_id)


@router.post("/cases/{case_id}/facts", status_code=status.HTTP_201_CREATED)
def append_facts(case_id: PathId, body: FactsIn, db: SessionDep, user: CaseWorker) -> services.SnapshotView:
    """Record a new version of the facts (earlier versions are kept)."""
    return services.append_facts(db, user, case_id, body.facts, note=body.note)


@router.post("/cases/{case_id}/determinations", status_code=status.HTTP_201_CREATED)
def determine_case(case_id: PathId, db: SessionDep, user: CaseWorker,
                   policy: str = "law") -> services.DeterminationView:
    """Run the engine on the latest facts and store the result."""
    return services.determine_case(db, user, case_id, policy=policy)


@router.get("/determinations/{determination_id}")
def get_determination(determination_id: PathId, db: SessionDep, user: CaseWorker,
                      lang: Annotated[str, Query(pattern="^(en|fr)$")] = "en") -> dict[str, Any]:
    """A stored determination (``result`` re-rendered in ``lang``)."""
    view = services.get_determination(db, determination_id).model_dump(mode="json")
    if lang != "en":
        view["result"] = services.determination_in_language(db, determination_id, lang)
    return view


@router.get("/determinations/{determination_id}/replay")
def replay(determination_id: PathId, db: SessionDep, user: Reviewer) -> services.ReplayReport:
    """Re-run the stored facts with today's engine and list any difference."""
    return services.replay_determination(db, determination_id)


@router.post("/cases/{case_id}/review/confirm", status_code=status.HTTP_201_CREATED)
def confirm(case_id: PathId, body: ReasonIn, db: SessionDep, user: Reviewer) -> services.ReviewView:
    """Confirm the latest determination."""
    return services.confirm_determination(db, user, case_id, reason=body.reason)


@router.post("/cases/{case_id}/review/override", status_code=status.HTTP_201_CREATED)
def override(case_id: PathId, body: services.OverrideIn, db: SessionDep, user: Reviewer) -> services.ReviewView:
    """Propose a different result with a reason; a supervisor must approve it."""
    return services.override_determination(db, user, case_id, body)


@router.get("/reviews/pending")
def pending(db: SessionDep, user: Supervisor) -> list[services.ReviewView]:
    """Overrides awaiting approval."""
    return services.pending_overrides(db, scope=user)


@router.post("/reviews/{review_id}/approve")
def approve(review_id: PathId, body: ReasonIn, db: SessionDep, user: Supervisor) -> services.ReviewView:
    """Approve an override (not one's own)."""
    return services.approve_override(db, user, review_id, reason=body.reason)


@router.post("/reviews/{review_id}/reject")
def reject(review_id: PathId, body: ReasonIn, db: SessionDep, user: Supervisor) -> services.ReviewView:
    """Reject an override, with a reason."""
    return services.reject_override(db, user, review_id, reason=body.reason)


@router.post("/cases/{case_id}/status")
def change_status(case_id: PathId, body: StatusIn, db: SessionDep, user: Reviewer) -> services.CaseDetail:
    """Move the case to UNDER_REVIEW or a final outcome."""
    return services.transition_case(db, user, case_id, body.status, reason=body.reason)


@router.post("/cases/{case_id}/site")
def assign_site(case_id: PathId, body: SiteChoice, db: SessionDep, user: Placer) -> services.CaseDetail:
    """First placement in a reception site."""
    return services.assign_site(db, user, case_id, body.site_id)


@router.post("/cases/{case_id}/transfers", status_code=status.HTTP_201_CREATED)
def transfer(case_id: PathId, body: TransferIn, db: SessionDep, user: Placer) -> services.TransferView:
    """Transfer the claimant to another site (e.g. QC → ON)."""
    return services.transfer_case(db, user, case_id, to_site_id=body.to_site_id, reason=body.reason)


@router.get("/transfers")
def transfers(db: SessionDep, user: CaseWorker, case_id: QueryId = None,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[services.TransferView]:
    """Transfers, newest first."""
    return services.list_transfers(db, case_id=case_id, limit=limit, scope=user)
