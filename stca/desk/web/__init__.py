"""The case desk's HTML pages: server-rendered Jinja2 + htmx, in English and French.

``router`` holds every page (sign-in, guided interview, cases, capacity, analysis, administration,
public check);
``mount(app)`` includes it, serves the static files (CSS, the vendored htmx) and adds HTML error
pages. Pages call only ``stca.desk.services`` and declare their audience with the markers of
``stca.desk.deps``. ``create_app`` calls ``mount(app)``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from stca.desk.web import (
    _errors,
    _pages_admin,
    _pages_analyst,
    _pages_auth,
    _pages_capacity,
    _pages_cases,
    _pages_interview,
)
from stca.desk.web._router import router

#: Importing these modules registers their routes on the shared ``router``.
PAGE_MODULES = (_pages_auth, _pages_interview, _pages_cases, _pages_capacity, _pages_analyst, _pages_admin)

STATIC_DIR = Path(__file__).parent / "static"


def mount(app: FastAPI) -> None:
    """Add the pages to ``app``: the routes, ``/static`` (stylesheet and htmx, served from the package so
    the desk works offline) and HTML error pages for browser requests (``_errors.install``)."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    _errors.install(app)


__all__ = ["STATIC_DIR", "mount", "router"]
