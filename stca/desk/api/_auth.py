"""API login: a session cookie plus a CSRF token the client echoes in ``X-CSRF-Token``.

Why the session and not bearer tokens: the pages and the API share one login and one revocation
path (deactivating an account ends both). ``POST /api/v1/session`` takes JSON only, which a cross-site
HTML form cannot send, so it needs no CSRF token; every later unsafe call does.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from stca.desk import services
from stca.desk.deps import CurrentUser, NotAuthenticated, Public, SessionDep, csrf_token, login, logout

router = APIRouter(prefix="/api/v1/session", tags=["session"])


class LoginIn(BaseModel):
    """Credentials."""

    model_config = ConfigDict(extra="forbid")

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=1024)


class SessionOut(BaseModel):
    """Who is logged in and the CSRF token to send with unsafe requests."""

    user: services.UserView
    csrf_token: str


@router.post("", dependencies=[Public])
def create_session(body: LoginIn, request: Request, db: SessionDep) -> SessionOut:
    """Log in; sets the session cookie. Wrong credentials: 401 (which part was wrong is not said)."""
    user = services.authenticate(db, body.username, body.password)
    if user is None:
        raise NotAuthenticated("wrong username or password")
    return SessionOut(user=user, csrf_token=login(request, user))


@router.get("/csrf", dependencies=[Public])
def read_csrf(request: Request) -> dict[str, str]:
    """A CSRF token for this browser session, also before login (for anonymous form posts)."""
    return {"csrf_token": csrf_token(request)}


@router.get("")
def read_session(request: Request, user: CurrentUser) -> SessionOut:
    """The current user and CSRF token."""
    return SessionOut(user=user, csrf_token=csrf_token(request))


@router.delete("")
def delete_session(request: Request, user: CurrentUser) -> dict[str, Any]:
    """Log out (needs the CSRF token like every unsafe call)."""
    logout(request)
    return {"logged_out": user.username}
