"""Alembic environment for the case desk: the URL comes from ``stca.desk.db.upgrade`` (or settings)."""

from __future__ import annotations

from alembic import context

from stca.desk import models  # noqa: F401  (registers the tables on Base.metadata)
from stca.desk.db import Base, make_engine

config = context.config


def _url() -> str:
    url = config.attributes.get("database_url")
    if url:
        return str(url)
    from stca.desk.config import Settings

    return Settings().database_url


def run_migrations_online() -> None:
    """Run the migrations in one transaction on a live connection."""
    engine = make_engine(_url())
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=Base.metadata,
                              render_as_batch=connection.dialect.name == "sqlite")
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
