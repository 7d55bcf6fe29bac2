"""Capacity, aggregates, audit and account routes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import BaseModel, ConfigDict, Field

from stca.desk import services
from stca.desk.api._params import PathId
from stca.desk.deps import (
    Admin,
    AnalystUser,
    Auditor,
    CapacityViewer,
    SessionDep,
    SiteManager,
    idle_timeout,
    session_token,
)
from stca.desk.domain import Role

router = APIRouter(prefix="/api/v1")


class SitePatch(BaseModel):
    """Capacity changes; omitted fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    beds: int | None = Field(default=None, ge=0, le=100_000)
    daily_intake: int | None = Field(default=None, ge=0, le=100_000)
    active: bool | None = None


class UserIn(BaseModel):
    """A new account; ``scope`` says which cases it works on (none unless given)."""

    model_config = ConfigDict(extra="forbid")

    username: str
    password: str
    role: str
    display_name: str | None = None
    scope: services.ScopeIn | None = None


class UserPatch(BaseModel):
    """Account changes (a new password or a deactivation ends the account's sessions)."""

    model_config = ConfigDict(extra="forbid")

    active: bool | None = None
    password: str | None = None
    scope: services.ScopeIn | None = None


@router.get("/sites", tags=["capacity"])
def list_sites(db: SessionDep, user: CapacityViewer, province: str | None = None,
               as_of: dt.date | None = None) -> list[services.SiteView]:
    """Sites with beds, occupancy (open cases assigned) and the day's intake."""
    return services.list_sites(db, province=province, as_of=as_of)


@router.post("/sites", tags=["capacity"], status_code=status.HTTP_201_CREATED)
def create_site(body: services.SiteIn, db: SessionDep, user: SiteManager) -> services.SiteView:
    """Open a reception site."""
    return services.create_site(db, user, body)


@router.patch("/sites/{site_id}", tags=["capacity"])
def update_site(site_id: PathId, body: SitePatch, db: SessionDep, user: SiteManager) -> services.SiteView:
    """Change beds, daily intake, or close/reopen a site."""
    return services.update_site_capacity(db, user, site_id, beds=body.beds, daily_intake=body.daily_intake,
                                         active=body.active)


@router.get("/capacity", tags=["capacity"])
def capacity(db: SessionDep, user: CapacityViewer, as_of: dt.date | None = None) -> list[services.ProvinceCapacity]:
    """Beds and occupancy per province."""
    return services.capacity_by_province(db, as_of=as_of)


_By = Annotated[list[str], Query(description=f"group by any of {', '.join(services.AGGREGATE_DIMENSIONS)}")]


@router.get("/stats/counts", tags=["statistics"])
def counts(db: SessionDep, user: AnalystUser, by: _By = ["month"],  # noqa: B006 - FastAPI copies defaults
           date_from: dt.date | None = None, date_to: dt.date | None = None) -> list[dict[str, Any]]:
    """Case counts per combination of dimensions (no names, references or ids). Small cells are
    suppressed: ``count`` null and ``shown`` ``<5`` (1–4) or ``x`` (hidden so a small one cannot be
    worked out from a total); a date range must be whole months with ``month`` among ``by`` (or whole
    years with ``year``)."""
    return services.aggregate_counts(db, by, date_from=date_from, date_to=date_to).to_dicts()


@router.get("/stats/export", tags=["statistics"], response_class=Response, responses={200: {
    "description": "The counts as a file.",
    "content": {"text/csv": {"schema": {"type": "string"}},
                "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}}}})
def export(db: SessionDep, user: AnalystUser, format: Literal["csv", "parquet"] = "csv",
           by: _By = ["month", "province"],  # noqa: B006
           date_from: dt.date | None = None, date_to: dt.date | None = None) -> Response:
    """The same counts as a CSV or Parquet file."""
    data = services.export_aggregates(db, by, format, date_from=date_from, date_to=date_to)
    media = "text/csv; charset=utf-8" if format == "csv" else "application/vnd.apache.parquet"
    return Response(data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="stca-counts.{format}"'})


@router.get("/audit/verify", tags=["audit"])
def verify(db: SessionDep, user: Auditor) -> dict[str, Any]:
    """Recompute the audit hash chain; names the first broken row."""
    return services.verify_audit(db).to_dict()


@router.get("/audit", tags=["audit"])
def audit(db: SessionDep, user: Auditor, entity: str | None = None, entity_id: str | None = None,
          limit: Annotated[int, Query(ge=1, le=5000)] = 200) -> list[services.AuditView]:
    """Audit rows, newest first. An administrator, who cannot open cases, gets case rows with names,
    references and free text redacted (``services.redact_audit``)."""
    rows = services.audit_trail(db, entity=entity, entity_id=entity_id, limit=limit)
    return services.redact_audit(rows) if user.role == Role.ADMIN else rows


@router.get("/users", tags=["accounts"])
def list_users(db: SessionDep, user: Admin) -> list[services.UserView]:
    """All accounts."""
    return services.list_users(db)


@router.post("/users", tags=["accounts"], status_code=status.HTTP_201_CREATED)
def create_user(body: UserIn, db: SessionDep, user: Admin) -> services.UserView:
    """Create an account."""
    return services.create_user(db, user, username=body.username, password=body.password, role=body.role,
                                display_name=body.display_name, scope=body.scope)


@router.patch("/users/{user_id}", tags=["accounts"])
def update_user(user_id: PathId, body: UserPatch, request: Request, db: SessionDep, user: Admin) -> services.UserView:
    """Deactivate/reactivate an account, set its password or its scope. A new password or a
    deactivation ends the account's sessions (an administrator's own current session is kept)."""
    if body.password is not None:
        services.set_password(db, user, user_id, body.password,
                              keep_session=session_token(request) if user_id == user.id else None)
    if body.scope is not None:
        services.set_scope(db, user, user_id, body.scope)
    if body.active is not None:
        return services.set_user_active(db, user, user_id, body.active)
    found = next((u for u in services.list_users(db) if u.id == user_id), None)
    if found is None:
        raise services.NotFound("user", user_id)
    return found


@router.get("/users/{user_id}/sessions", tags=["accounts"])
def user_sessions(user_id: PathId, request: Request, db: SessionDep, user: Admin) -> list[services.SessionView]:
    """The account's open sessions (when and from where they started, when they end)."""
    return services.list_sessions(db, user_id, idle=idle_timeout(request))


@router.delete("/users/{user_id}/sessions", tags=["accounts"])
def end_user_sessions(user_id: PathId, db: SessionDep, user: Admin) -> dict[str, int]:
    """End every open session of the account (e.g. a lost laptop)."""
    return {"ended": services.revoke_sessions(db, user, user_id)}


@router.delete("/users/{user_id}/sessions/{session_id}", tags=["accounts"])
def end_user_session(user_id: PathId, session_id: PathId, db: SessionDep, user: Admin) -> dict[str, int]:
    """End one session of the account."""
    ended = services.revoke_sessions(db, user, user_id, session_ids=[session_id])
    if not ended:
        raise services.NotFound("open session", session_id)
    return {"ended": ended}
