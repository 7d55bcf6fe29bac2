"""API login: a session cookie plus a CSRF token the client echoes in ``X-CSRF-Token``.

Why the session and not bearer tokens: the pages and the API share one login and one revocation
path (logging out, a password change or a deactivation ends both). ``POST /api/v1/session`` takes
JSON only, which a cross-site HTML form cannot send, so it needs no CSRF token; every later unsafe
call does. Failed logins are throttled per account and per client address (429 with ``Retry-After``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from stca.desk import services
from stca.desk.db import utcnow
from stca.desk.deps import (
    CurrentUser,
    NotAuthenticated,
    Public,
    SessionDep,
    csrf_token,
    login,
    logout,
    sign_in,
)

router = APIRouter(prefix="/api/v1/session", tags=["session"])


class LoginIn(BaseModel):
    """Credentials."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class SessionOut(BaseModel):
    """Who is logged in, the CSRF token to send with unsafe requests, and when the session ends."""

    user: services.UserView
    csrf_token: str
    expires_in: int
    """Seconds until the session ends if unused (the idle timeout, started again by every
    authenticated request, or the absolute end if nearer)."""
    idle_expires_at: dt.datetime
    expires_at: dt.datetime
    """The absolute end, however active the session is."""


def _out(request: Request, user: services.UserView, session: services.SessionView) -> SessionOut:
    left = min(session.idle_expires_at, session.expires_at) - utcnow()
    return SessionOut(user=user, csrf_token=csrf_token(request), expires_in=max(0, int(left.total_seconds())),
                      idle_expires_at=session.idle_expires_at, expires_at=session.expires_at)


@router.post("", dependencies=[Public], responses={429: {"description": "Too many failed logins; see Retry-After"}})
async def create_session(body: LoginIn, request: Request, db: SessionDep) -> SessionOut:
    """Log in; sets the session cookie. Wrong credentials: 401 (which part was wrong is not said)."""
    user = await sign_in(request, db, body.username, body.password)
    if user is None:
        raise NotAuthenticated("wrong username or password")
    login(request, db, user)
    return _out(request, user, request.state.desk_session)


@router.get("/csrf", dependencies=[Public])
def read_csrf(request: Request) -> dict[str, str]:
    """A CSRF token for this browser session, also before login (for anonymous form posts)."""
    return {"csrf_token": csrf_token(request)}


@router.get("")
def read_session(request: Request, user: CurrentUser) -> SessionOut:
    """The current user, CSRF token and remaining time. Like every authenticated request it counts as
    activity (the page's "Stay signed in" calls it), so ``expires_in`` is the whole idle timeout unless
    the absolute end is nearer."""
    return _out(request, user, request.state.desk_session)


@router.delete("")
def delete_session(request: Request, user: CurrentUser, db: SessionDep) -> dict[str, Any]:
    """Log out: the session ends in the database, so a saved copy of the cookie no longer works
    (needs the CSRF token like every unsafe call)."""
    logout(request, db)
    return {"logged_out": user.username}
