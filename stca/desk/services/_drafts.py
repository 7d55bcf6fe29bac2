"""Interview drafts kept server-side as the officer answers (issue 11: nothing lost).

Why in the database: a draft must survive the session's expiry and a server restart, and come back
after the officer signs in again; only its owner may read it, and saving the case deletes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from stca.desk.db import utcnow
from stca.desk.models import InterviewDraft
from stca.desk.services._schemas import UserView
from stca.desk.services._unit import unit_of_work


def save_draft(db: Session, actor: UserView, token: str, path: str, state: Mapping[str, Any]) -> None:
    """Keep (or replace) the draft ``token`` of ``actor``; another user's token is left untouched."""
    with unit_of_work(db):
        draft = db.get(InterviewDraft, token)
        if draft is None:
            db.add(InterviewDraft(token=token, user_id=actor.id, path=path[:200], state=dict(state),
                                  updated_at=utcnow()))
        elif draft.user_id == actor.id:
            draft.path, draft.state, draft.updated_at = path[:200], dict(state), utcnow()


def load_draft(db: Session, actor: UserView, token: str) -> dict[str, Any] | None:
    """The draft ``token`` if ``actor`` owns it."""
    draft = db.scalar(select(InterviewDraft).where(InterviewDraft.token == token,
                                                   InterviewDraft.user_id == actor.id))
    state = dict(draft.state) if draft is not None else None
    return state


def discard_draft(db: Session, actor: UserView, token: str) -> None:
    """Forget the draft once its case is saved."""
    with unit_of_work(db):
        db.execute(delete(InterviewDraft).where(InterviewDraft.token == token,
                                                InterviewDraft.user_id == actor.id))
