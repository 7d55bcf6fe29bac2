"""Alembic migrations of the case desk, shipped inside the package (``stca db upgrade``)."""
