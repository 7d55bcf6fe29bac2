"""Accounts: login check, creation (admin or command line), deactivation, password change, scope, and
the server-side sessions that a sign-in opens.

Why sessions in the database: the cookie carries only a random token; the row says whose session it
is, when it was last used and when it ends, so logging out, a password change or reset and a
deactivation end it everywhere at once (OWASP ASVS V3.3), and an administrator can list and end them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from stca.desk.db import utcnow
from stca.desk.domain import Role
from stca.desk.models import Site, User, UserSession
from stca.desk.security import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    new_session_token,
    token_digest,
    verify_password,
)
from stca.desk.services._errors import Conflict, InvalidInput, NotFound, PermissionDenied, validate
from stca.desk.services._schemas import ScopeIn, SessionView, UserView
from stca.desk.services._unit import get_row, log, unit_of_work

#: How often a session's ``last_seen_at`` is written (at most; a tenth of the idle timeout when that is
#: shorter): often enough for the idle timeout, rarely enough that a burst of requests does not queue
#: behind the database's write lock.
TOUCH_EVERY = dt.timedelta(seconds=5)

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def _view(user: User) -> UserView:
    return UserView.model_validate(user)


def _public(user: User) -> dict[str, object]:
    return {"username": user.username, "display_name": user.display_name, "role": user.role, "active": user.active,
            "national_scope": user.national_scope, "scope_provinces": list(user.scope_provinces or []),
            "scope_site_ids": list(user.scope_site_ids or [])}


def _checked_scope(db: Session, scope: ScopeIn | dict[str, object] | None) -> ScopeIn:
    body = validate(ScopeIn, scope or {})
    if body.site_ids:
        known = set(db.scalars(select(Site.id).where(Site.id.in_(body.site_ids))).all())
        missing = [i for i in body.site_ids if i not in known]
        if missing:
            raise InvalidInput.one("site_ids", f"no reception site with id {missing[0]}")
    return body


def authenticate(db: Session, username: str, password: str) -> UserView | None:
    """The active user with this username and password, or ``None`` (same work either way)."""
    if "\x00" in username:  # no account can have it (and PostgreSQL refuses it as a parameter)
        username = ""
    user = db.scalar(select(User).where(User.username == username.strip().lower()))
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        return None
    if needs_rehash(user.password_hash):
        digest = hash_password(password)
        with unit_of_work(db):
            db.execute(update(User).where(User.id == user.id).values(password_hash=digest))
    return _view(user)


def get_user(db: Session, user_id: int) -> UserView | None:
    """The user behind a session, or ``None`` if unknown or deactivated."""
    user = get_row(db, User, user_id)
    return _view(user) if user is not None and user.active else None


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput.one("password", f"must have at least {MIN_PASSWORD_LENGTH} characters")


def create_user(
    db: Session,
    actor: UserView | None,
    *,
    username: str,
    password: str,
    role: str,
    display_name: str | None = None,
    scope: ScopeIn | dict[str, object] | None = None,
) -> UserView:
    """Create an account. ``actor`` is ``None`` only from the command line (``stca admin create-user``).

    ``scope`` says which cases an officer works on; without one the account sees no case (least
    privilege: a region, sites or national scope must be granted).
    """
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidInput.one("username", "2–64 characters: lower-case letters, digits, '.', '_' or '-'")
    if role not in {r.value for r in Role}:
        raise InvalidInput.one("role", f"expected one of {', '.join(r.value for r in Role)}")
    _check_password(password)
    granted = _checked_scope(db, scope)
    if db.scalar(select(User.id).where(User.username == name)) is not None:
        raise Conflict(f"username {name!r} is already taken", field="username")
    with unit_of_work(db):
        user = User(username=name, display_name=(display_name or name).strip() or name, role=role,
                    password_hash=hash_password(password), active=True, national_scope=granted.national,
                    scope_provinces=granted.provinces, scope_site_ids=granted.site_ids)
        db.add(user)
        db.flush()
        log(db, actor, "user", user.id, "create", None, _public(user))
    return _view(user)


def list_users(db: Session) -> list[UserView]:
    """Every account, by username."""
    users = db.scalars(select(User).order_by(User.username)).all()
    return [_view(u) for u in users]


def set_scope(db: Session, actor: UserView, user_id: int, scope: ScopeIn | dict[str, object]) -> UserView:
    """Grant an account national scope, or the cases of some regions and sites (replaces the old scope)."""
    granted = _checked_scope(db, scope)
    with unit_of_work(db):
        user = get_row(db, User, user_id)
        if user is None:
            raise NotFound("user", user_id)
        before = _public(user)
        user.national_scope = granted.national
        user.scope_provinces = granted.provinces
        user.scope_site_ids = granted.site_ids
        log(db, actor, "user", user.id, "set_scope", before, _public(user))
    return _view(user)


def set_user_active(db: Session, actor: UserView, user_id: int, active: bool) -> UserView:
    """Deactivate (or reactivate) an account; deactivating ends all its sessions at once."""
    if actor.id == user_id and not active:
        raise PermissionDenied("you cannot deactivate your own account", field="active")
    with unit_of_work(db):
        user = get_row(db, User, user_id)
        if user is None:
            raise NotFound("user", user_id)
        before = _public(user)
        user.active = active
        if not active:
            _revoke(db, user.id, "deactivated")
        log(db, actor, "user", user.id, "activate" if active else "deactivate", before, _public(user))
    return _view(user)


def set_password(db: Session, actor: UserView, user_id: int, new_password: str,
                 *, keep_session: str | None = None) -> None:
    """Replace a password (the audit row records that it changed, never the hash) and end every session
    of the account — except ``keep_session`` (a token), the one of a user changing their own password."""
    _check_password(new_password)
    digest = hash_password(new_password)
    with unit_of_work(db):
        user = get_row(db, User, user_id)
        if user is None:
            raise NotFound("user", user_id)
        user.password_hash = digest
        ended = _revoke(db, user.id, "password_changed",
                        keep=token_digest(keep_session) if keep_session else None)
        log(db, actor, "user", user.id, "set_password", None, {"username": user.username, "sessions_ended": ended})


# ---------------------------------------------------------------- sessions


def _revoke(db: Session, user_id: int, reason: str, *, keep: str | None = None) -> int:
    """End the open sessions of ``user_id`` inside the caller's unit of work; how many were open."""
    query = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.token_hash != keep)
    return int(db.execute(query.values(revoked_at=utcnow(), revoked_reason=reason)).rowcount or 0)  # type: ignore[attr-defined]


def _session_view(row: UserSession, idle: dt.timedelta) -> SessionView:
    return SessionView(id=row.id, user_id=row.user_id, created_at=row.created_at, last_seen_at=row.last_seen_at,
                       expires_at=row.expires_at, idle_expires_at=row.last_seen_at + idle, client=row.client,
                       user_agent=row.user_agent)


def start_session(db: Session, user: UserView, *, max_age: dt.timedelta, idle: dt.timedelta, client: str,
                  user_agent: str) -> tuple[str, SessionView]:
    """Open a session for ``user`` (just authenticated): its secret token (for the cookie) and its view."""
    token = new_session_token()
    now = utcnow()
    with unit_of_work(db):
        row = UserSession(token_hash=token_digest(token), user_id=user.id, created_at=now, last_seen_at=now,
                          expires_at=now + max_age, client=client[:64], user_agent=user_agent[:200])
        db.add(row)
        db.flush()
        view = _session_view(row, idle)
    return token, view


def session_user(db: Session, token: str, *, idle: dt.timedelta,
                 touch: bool = True) -> tuple[UserView, SessionView] | None:
    """The active user and open session behind ``token``, or ``None`` once it was ended, ran past its
    absolute end or sat unused for ``idle``, or its account was deactivated. ``touch`` counts this
    request as activity (the idle timeout starts again)."""
    now = utcnow()
    row = db.scalar(select(UserSession).where(UserSession.token_hash == token_digest(token)))
    user = db.get(User, row.user_id) if row is not None else None
    if (row is None or user is None or not user.active or row.revoked_at is not None or now >= row.expires_at
            or now >= row.last_seen_at + idle):
        return None
    if touch and now - row.last_seen_at >= min(TOUCH_EVERY, idle / 10):
        with unit_of_work(db):
            db.execute(update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now))
        row.last_seen_at = now
    return _view(user), _session_view(row, idle)


def end_session(db: Session, token: str, reason: str = "logout") -> None:
    """End one session (logging out)."""
    with unit_of_work(db):
        db.execute(update(UserSession).where(UserSession.token_hash == token_digest(token),
                                             UserSession.revoked_at.is_(None))
                   .values(revoked_at=utcnow(), revoked_reason=reason))


def list_sessions(db: Session, user_id: int, *, idle: dt.timedelta) -> list[SessionView]:
    """The open sessions of an account (not ended, not past either timeout), newest first."""
    if get_row(db, User, user_id) is None:
        raise NotFound("user", user_id)
    now = utcnow()
    rows = db.scalars(select(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None), UserSession.expires_at > now,
        UserSession.last_seen_at > now - idle).order_by(UserSession.id.desc())).all()
    return [_session_view(r, idle) for r in rows]


def revoke_sessions(db: Session, actor: UserView, user_id: int, *, session_ids: Sequence[int] | None = None) -> int:
    """End an account's sessions (all, or only ``session_ids``); returns how many were open."""
    with unit_of_work(db):
        user = get_row(db, User, user_id)
        if user is None:
            raise NotFound("user", user_id)
        query = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        if session_ids is not None:
            query = query.where(UserSession.id.in_(list(session_ids)))
        ended = int(db.execute(query.values(revoked_at=utcnow(), revoked_reason="revoked_by_admin"))
                    .rowcount or 0)  # type: ignore[attr-defined]
        log(db, actor, "user", user.id, "revoke_sessions", None,
            {"username": user.username, "sessions_ended": ended})
    return ended
