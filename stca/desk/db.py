"""Database engine, sessions and migrations for the case desk (SQLite or PostgreSQL).

Why two kinds of transaction on SQLite: every write appends to the hash-chained audit log, whose next
row depends on the last one, so a unit of work (``stca.desk.services._unit.unit_of_work``) begins with
``BEGIN IMMEDIATE`` and holds SQLite's write lock from its first statement — appenders are serialised
instead of failing one of them half-way. Reads begin with a plain (deferred) ``BEGIN``: in WAL mode they
read a snapshot and never wait for a writer, nor make one wait. PostgreSQL serialises appenders with an
advisory lock (see :mod:`stca.desk.audit`).
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, create_engine, event, text
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

WRITE = "stca_write"
"""Execution option marking a connection that will write: on SQLite its transaction begins IMMEDIATE."""


class Base(DeclarativeBase):
    """Declarative base of every case-desk table."""


class UtcDateTime(TypeDecorator[dt.datetime]):
    """An aware UTC datetime on every database (SQLite stores naive values, PostgreSQL aware ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    """The current instant in UTC (one function so every row uses the same clock)."""
    return dt.datetime.now(dt.UTC)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, and write-locking transactions for writers only."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _sqlite_pragmas(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # let SQLAlchemy's begin event issue BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")


_WRITE_GATES: weakref.WeakKeyDictionary[Engine, threading.RLock] = weakref.WeakKeyDictionary()
_GATES_LOCK = threading.Lock()


def _write_gate(engine: Engine) -> AbstractContextManager[Any]:
    """On SQLite, one writer at a time per process: a waiting thread wakes the moment the lock is free,
    instead of polling in SQLite's busy handler (sleeps of up to 100 ms, the tail of the latency)."""
    if engine.dialect.name != "sqlite":
        return nullcontext()
    with _GATES_LOCK:
        return _WRITE_GATES.setdefault(engine, threading.RLock())


@contextmanager
def write_transaction(session: Session) -> Iterator[None]:
    """Run the block in ``session``'s write transaction (on SQLite ``BEGIN IMMEDIATE``: the write lock, now).

    Any read transaction still open is committed first (commit keeps loaded values, rollback would
    expire them), so the write transaction starts from the current state of the database. The block
    must commit or roll back before it ends.
    """
    with _write_gate(session.get_bind().engine):
        if session.in_transaction():
            session.commit()
        session.connection(execution_options={WRITE: True})
        yield


def make_sessionmaker(engine: Engine, *, audit_key: bytes | None = None) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (views are built after the unit of work).

    ``audit_key`` keys the audit log's hash chain (:mod:`stca.desk.audit`); without it the key is read
    from the settings (``STCA_AUDIT_KEY`` or the key file in the data directory) when first needed.
    """
    info = {"audit_key": audit_key} if audit_key is not None else {}
    return sessionmaker(engine, expire_on_commit=False, info=info)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session closed on exit; services commit or roll back their own unit of work."""
    session = factory()
    try:
        yield session
    finally:
        session.close()


def database_ok(engine: Engine) -> bool:
    """Whether a trivial query succeeds (used by ``/healthz``)."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


def upgrade(url: str, revision: str = "head", *, audit_key: bytes | None = None) -> None:
    """Apply the packaged Alembic migrations to ``url`` (``stca db upgrade``).

    ``audit_key`` re-seals an existing legacy audit log (revision ``0002_i12b``); without it the key
    comes from ``STCA_AUDIT_KEY`` or the key file, and only if the log has rows.
    """
    from alembic import command
    from alembic.config import Config

    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = url
    if audit_key is not None:
        config.attributes["audit_key"] = audit_key
    command.upgrade(config, revision)


def current_revision(url: str) -> str | None:
    """The Alembic revision the database is at, or ``None`` before the first upgrade."""
    from alembic.runtime.migration import MigrationContext

    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
