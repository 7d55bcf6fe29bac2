"""Issue 12, finding 13: on SQLite a read takes no lock; only a unit of work holds the write lock.

Before, every transaction began ``BEGIN IMMEDIATE``: a page being read held the write lock and every
other request waited behind it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
from sqlalchemy import select

from stca.desk import services
from stca.desk.db import make_engine, make_sessionmaker, upgrade
from stca.desk.models import User
from stca.desk.services._unit import unit_of_work

from .conftest import AUDIT_KEY


def _can_write_now(path: str) -> bool:
    """Whether another connection gets the write lock at once (no waiting)."""
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as exc:
        assert "locked" in str(exc)
        return False
    finally:
        other.close()


def test_reads_leave_the_write_lock_free_and_a_unit_of_work_holds_it(new_database: Callable[[str], str]) -> None:
    url = new_database("sqlite")
    upgrade(url)
    engine = make_engine(url)
    path = url.removeprefix("sqlite:///")
    try:
        factory = make_sessionmaker(engine, audit_key=AUDIT_KEY.encode())
        with factory() as setup:
            services.create_user(setup, None, username="reader", password="long-enough-pass", role="supervisor")
        with factory() as db:
            services.list_cases(db)
            assert db.scalars(select(User.username)).all() == ["reader"]  # a read in the request's session
            assert db.in_transaction()  # the read transaction is still open (the request is not over)…
            assert _can_write_now(path)  # …and takes no lock
            with pytest.raises(RuntimeError), unit_of_work(db):
                assert not _can_write_now(path)  # a unit of work holds the write lock from its start
                raise RuntimeError("roll back")
            assert _can_write_now(path)
    finally:
        engine.dispose()
