"""The packaged Alembic migrations build exactly the tables the models describe, on both databases."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from stca.desk.db import Base, current_revision, make_engine, upgrade

from .conftest import BACKENDS


def _head() -> str:
    """The newest packaged revision (what ``upgrade`` must reach)."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from stca.desk.db import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert head is not None
    return head


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_reaches_head_and_matches_the_models(backend: str, new_database: Callable[[str], str]) -> None:
    url = new_database(backend)
    assert current_revision(url) is None
    upgrade(url)
    upgrade(url)  # a second run is a no-op
    assert current_revision(url) == _head()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    finally:
        engine.dispose()
    assert diff == []
