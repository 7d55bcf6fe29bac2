"""Accounts: login check, creation (admin or command line), deactivation, password change."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from stca.desk.domain import Role
from stca.desk.models import User
from stca.desk.security import MIN_PASSWORD_LENGTH, hash_password, needs_rehash, verify_password
from stca.desk.services._errors import Conflict, InvalidInput, NotFound, PermissionDenied
from stca.desk.services._schemas import UserView
from stca.desk.services._unit import get_row, log, unit_of_work

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def _view(user: User) -> UserView:
    return UserView.model_validate(user)


def _public(user: User) -> dict[str, object]:
    return {"username": user.username, "display_name": user.display_name, "role": user.role, "active": user.active}


def authenticate(db: Session, username: str, password: str) -> UserView | None:
    """The active user with this username and password, or ``None`` (same work either way)."""
    if "\x00" in username:  # no account can have it (and PostgreSQL refuses it as a parameter)
        username = ""
    user = db.scalar(select(User).where(User.username == username.strip().lower()))
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.active:
        return None
    if needs_rehash(user.password_hash):
        with unit_of_work(db):
            user.password_hash = hash_password(password)
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
) -> UserView:
    """Create an account. ``actor`` is ``None`` only from the command line (``stca admin create-user``)."""
    name = username.strip().lower()
    if not _USERNAME.match(name):
        raise InvalidInput.one("username", "2–64 characters: lower-case letters, digits, '.', '_' or '-'")
    if role not in {r.value for r in Role}:
        raise InvalidInput.one("role", f"expected one of {', '.join(r.value for r in Role)}")
    _check_password(password)
    if db.scalar(select(User.id).where(User.username == name)) is not None:
        raise Conflict(f"username {name!r} is already taken", field="username")
    with unit_of_work(db):
        user = User(username=name, display_name=(display_name or name).strip() or name, role=role,
                    password_hash=hash_password(password), active=True)
        db.add(user)
        db.flush()
        log(db, actor, "user", user.id, "create", None, _public(user))
    return _view(user)


def list_users(db: Session) -> list[UserView]:
    """Every account, by username."""
    users = db.scalars(select(User).order_by(User.username)).all()
    return [_view(u) for u in users]


def set_user_active(db: Session, actor: UserView, user_id: int, active: bool) -> UserView:
    """Deactivate (or reactivate) an account; its open sessions stop working at the next request."""
    if actor.id == user_id and not active:
        raise PermissionDenied("you cannot deactivate your own account", field="active")
    with unit_of_work(db):
        user = get_row(db, User, user_id)
        if user is None:
            raise NotFound("user", user_id)
        before = _public(user)
        user.active = active
        log(db, actor, "user", user.id, "activate" if active else "deactivate", before, _public(user))
    return _view(user)


def set_password(db: Session, actor: UserView, user_id: int, new_password: str) -> None:
    """Replace a password (the audit row records that it changed, never the hash)."""
    _check_password(new_password)
    with unit_of_work(db):
        user = get_row(db, User, user_id)
        if user is None:
            raise NotFound("user", user_id)
        user.password_hash = hash_password(new_password)
        log(db, actor, "user", user.id, "set_password", None, {"username": user.username})
