"""The packaged Alembic migrations build exactly the tables the models describe, on both databases."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from stca.desk.db import MIGRATIONS_DIR, Base, current_revision, make_engine, upgrade

from .conftest import BACKENDS


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_reaches_head_and_matches_the_models(backend: str, new_database: Callable[[str], str]) -> None:
    url = new_database(backend)
    assert current_revision(url) is None
    upgrade(url)
    upgrade(url)  # a second run is a no-op
    assert current_revision(url) == ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []
