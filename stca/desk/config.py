"""Case-desk settings: one ``BaseSettings`` read from ``STCA_*`` environment variables.

Why one class: the server, the command line and the tests must agree on where the database is and
how cookies are signed; reading the environment in one place makes that agreement checkable.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
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
    cookie_secure: bool = False
    """Send the session cookie only over HTTPS (turn on behind TLS)."""
    session_max_age_seconds: int = 8 * 3600
    """An officer's shift: after this the session cookie expires and they log in again."""
    session_cookie: str = "stca_session"
    trusted_hosts: tuple[str, ...] = ()
    """Host names the server answers to behind a proxy (JSON list, e.g. ``["desk.example.ca"]``); empty = any."""

    @field_validator("database_url")
    @classmethod
    def _psycopg_driver(cls, value: str) -> str:
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix):]
        return value

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")
