"""Shared plumbing of the services: one unit of work per call, audit rows, usernames for views."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stca.desk import audit
from stca.desk.db import write_transaction
from stca.desk.models import User
from stca.desk.services._errors import Conflict
from stca.desk.services._schemas import MAX_ID, UserView

T = TypeVar("T")


@contextmanager
def unit_of_work(db: Session) -> Iterator[None]:
    """Commit what the block did, or roll everything back and re-raise.

    Why here and not in the route: a service call is the unit the user sees ("record facts"); half of
    it must never persist, and the audit row is committed with the change it describes. The write
    transaction (and on SQLite the write lock) starts here, never for a read.
    """
    with write_transaction(db):
        try:
            yield
            db.commit()
        except IntegrityError as exc:
            db.rollback()
            raise Conflict(f"the change conflicts with existing data ({exc.orig.__class__.__name__})") from None
        except BaseException:
            db.rollback()
            raise


def get_row(db: Session, model: type[T], ident: int) -> T | None:
    """``db.get`` for an id that may come from a URL or a form: beyond ``MAX_ID`` no row can have it
    (and SQLite would overflow, PostgreSQL refuse the parameter)."""
    if not 1 <= ident <= MAX_ID:
        return None
    return db.get(model, ident)


def log(db: Session, actor: UserView | None, entity: str, entity_id: object, action: str,
        before: Any = None, after: Any = None) -> None:
    """Append an audit row for a change made in the current unit of work."""
    audit.record(
        db,
        actor=actor.username if actor else None,
        entity=entity,
        entity_id=entity_id,
        action=action,
        before=before,
        after=after,
    )


def usernames(db: Session, ids: Iterable[int | None]) -> dict[int, str]:
    """id → username for the given user ids (one query)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return dict(db.execute(select(User.id, User.username).where(User.id.in_(wanted))).all())
