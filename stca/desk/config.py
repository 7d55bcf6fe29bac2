"""Case-desk settings: one ``BaseSettings`` read from ``STCA_*`` environment variables.

Why one class: the server, the command line and the tests must agree on where the database is and
how cookies are signed; reading the environment in one place makes that agreement checkable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import platformdirs
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def data_dir() -> Path:
    """The per-user data directory (``platformdirs.user_data_dir("stca")``), created on first use."""
    path = Path(platformdirs.user_data_dir("stca"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _default_database_url() -> str:
    return f"sqlite:///{data_dir() / 'desk.sqlite3'}"


def _persisted_secret() -> str:
    """A random signing key kept in the data directory, so sessions survive a restart."""
    path = data_dir() / "secret_key"
    if path.exists():
        value = path.read_text().strip()
        if len(value) >= 32:
            return value
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value


AUDIT_KEY_FILE = "audit_key"
"""Name of the audit-log key file in the data directory (used when ``STCA_AUDIT_KEY`` is not set)."""


def _persisted_audit_key() -> str:
    """The audit-log key kept in the data directory, created (mode 0600) on first use.

    Why a file and not the database: the key must stay out of reach of whoever can write the database,
    or they could re-hash a rewritten log (issue 12, finding 6).
    """
    path = data_dir() / AUDIT_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as out:  # O_EXCL: two processes starting together agree on one key
        out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def audit_key_from_environment() -> bytes:
    """The audit key as the server and the command line find it: ``STCA_AUDIT_KEY``, else the key file."""
    value = os.environ.get("STCA_AUDIT_KEY") or _persisted_audit_key()
    return _checked_audit_key(value).encode()


def _checked_audit_key(value: str) -> str:
    if len(value.strip()) < 32:
        raise ValueError("the audit key must be at least 32 characters")
    return value.strip()


class Settings(BaseSettings):
    """Everything the case desk reads from its environment.

    Examples:
        ``STCA_DATABASE_URL=postgresql+psycopg://stca@db/stca stca serve`` selects PostgreSQL;
        ``STCA_COOKIE_SECURE=false`` allows plain-HTTP cookies on a laptop demo.
    """

    model_config = SettingsConfigDict(env_prefix="STCA_", extra="ignore")

    database_url: str = Field(default_factory=_default_database_url)
    """SQLAlchemy URL; ``postgresql://`` is rewritten to the psycopg 3 driver."""
    secret_key: str = Field(default_factory=_persisted_secret, min_length=16)
    """Signs the session cookie; generated and stored in the data directory when not given."""
    cookie_secure: bool = True
    """Send the session cookie only over HTTPS. ``stca serve`` on a loopback address (plain HTTP that
    never leaves the machine) turns it off unless ``STCA_COOKIE_SECURE`` says otherwise."""
    session_max_age_seconds: int = Field(default=8 * 3600, ge=1)
    """Absolute timeout, an officer's shift: after this a session ends however active it was."""
    session_idle_seconds: int = Field(default=30 * 60, ge=1)
    """Idle timeout: a session unused for this long ends (every authenticated request resets it)."""
    login_failures_per_account: int = Field(default=5, ge=1)
    """Wrong passwords allowed per account in ``login_window_seconds`` before logins wait (429)."""
    login_failures_per_client: int = Field(default=20, ge=1)
    """Failed logins allowed per client address in ``login_window_seconds``."""
    login_window_seconds: int = Field(default=15 * 60, ge=1)
    public_requests_per_minute: int = Field(default=120, ge=1)
    """Requests per client address per minute to the pages and API open to anyone (``/check``,
    ``POST /api/v1/determinations``, the login form)."""
    public_cases_per_minute: int = Field(default=5000, ge=1)
    """Cases decided per client address per minute through ``POST /api/v1/determinations``."""
    max_cases_per_request: int = Field(default=1000, ge=1)
    """Longest JSON array ``POST /api/v1/determinations`` accepts (413 beyond)."""
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    """Largest request body of any route (413 beyond)."""
    rate_limit_storage: str = "memory://"
    """Where the counters of the limits above live (a ``limits`` storage URI). ``memory://`` counts per
    server process; give ``redis://…`` when running several workers so they share one count."""
    session_cookie: str = "stca_session"
    audit_key: SecretStr | None = None
    """Keys the audit log's hash chain and signs its checkpoints (≥ 32 characters). Keep it outside the
    database; when not given, a random key is created in ``<data dir>/audit_key`` (mode 0600)."""
    trusted_hosts: tuple[str, ...] = ()
    """Host names the server answers to behind a proxy (JSON list, e.g. ``["desk.example.ca"]``); empty = any."""

    @field_validator("database_url")
    @classmethod
    def _psycopg_driver(cls, value: str) -> str:
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix):]
        return value

    @field_validator("audit_key")
    @classmethod
    def _long_audit_key(cls, value: SecretStr | None) -> SecretStr | None:
        return None if value is None else SecretStr(_checked_audit_key(value.get_secret_value()))

    def audit_key_bytes(self) -> bytes:
        """The audit key: ``STCA_AUDIT_KEY`` (or the ``audit_key`` argument), else the key file."""
        if self.audit_key is not None:
            return self.audit_key.get_secret_value().encode()
        return _persisted_audit_key().encode()

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")
