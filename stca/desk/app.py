"""The case-desk web application: ``create_app(settings)`` wires database, sessions, routes and errors.

Why exception handlers here: every refusal — bad field, wrong state, missing login — must reach the
user as a clear message naming the field, and an unexpected error as a short JSON line, never a
traceback (the traceback goes to the server log).
"""

from __future__ import annotations

import importlib.util
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import ClientDisconnect

import stca
from stca.desk.config import Settings
from stca.desk.db import make_engine, make_sessionmaker
from stca.desk.deps import ClientGone, Forbidden, NotAuthenticated
from stca.desk.services import FieldProblem, ServiceError
from stca.desk.services._errors import dotted

log = logging.getLogger("stca.desk")


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; the database must already be migrated (``stca db upgrade``)."""
    settings = settings or Settings()
    engine = make_engine(settings.database_url)
    app = FastAPI(
        title="stca case desk",
        version=stca.__version__,
        description=(
            "Safe Third Country Agreement case desk. `POST /api/v1/determinations` is open to anyone "
            "(contract §2; nothing stored). Everything else needs a session: `POST /api/v1/session` with "
            "JSON credentials sets an HttpOnly cookie and returns `csrf_token`; send it as `X-CSRF-Token` "
            "on every POST/PATCH/DELETE. Errors are `{detail, problems: [{field, message}]}`."
        ),
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine, audit_key=settings.audit_key_bytes())
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=settings.session_cookie,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=settings.cookie_secure,
    )
    if settings.trusted_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.trusted_hosts))
    _install_handlers(app)

    from stca.desk.api import router as api_router

    app.include_router(api_router)
    _mount_web(app)
    return app


def _mount_web(app: FastAPI) -> None:
    """Mount the pages (``stca.desk.web``) when that package is installed."""
    if importlib.util.find_spec("stca.desk.web") is None:
        return
    import stca.desk.web as web

    mount = getattr(web, "mount", None)
    if callable(mount):
        mount(app)
    elif hasattr(web, "router"):
        app.include_router(web.router)


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return not request.url.path.startswith("/api/") and "text/html" in accept


def _body(detail: str, problems: list[FieldProblem] | None = None) -> dict[str, Any]:
    return {"detail": detail, "problems": [p.to_dict() for p in problems or []]}


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> Response:
        return JSONResponse(exc.to_dict(), status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            loc = tuple(err.get("loc", ()))
            where = loc[1:] if loc and loc[0] in ("body", "query", "path", "header") else loc
            if loc and loc[0] == "header":
                where = tuple(str(p).replace("_", "-").title() for p in where)
            msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
            if err.get("type") == "json_invalid":
                where, msg = (), f"the body is not valid JSON ({err.get('ctx', {}).get('error', 'syntax error')})"
            elif err.get("type") == "extra_forbidden":
                msg = "unknown field"
            elif err.get("type") == "missing":
                msg = "required field is missing"
            problems.append(FieldProblem(dotted(where), msg))
        detail = "; ".join(f"{p.field}: {p.message}" for p in problems)
        return JSONResponse(_body(detail, problems), status_code=422)

    @app.exception_handler(NotAuthenticated)
    async def _not_authenticated(request: Request, exc: NotAuthenticated) -> Response:
        if _wants_html(request) and request.method == "GET":
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        message = str(exc) or "log in first (POST /api/v1/session)"
        return JSONResponse(_body(message), status_code=401)

    @app.exception_handler(Forbidden)
    async def _forbidden(request: Request, exc: Forbidden) -> Response:
        problems = [FieldProblem(exc.field, exc.message)] if exc.field else []
        return JSONResponse(_body(exc.message, problems), status_code=403)

    async def _client_gone(request: Request, exc: Exception) -> Response:
        # Nothing was read, so nothing was done; the status is for the access log only.
        log.info("client disconnected before its %s %s request was read; nothing done",
                 request.method, request.url.path)
        return Response(status_code=400)

    app.add_exception_handler(ClientGone, _client_gone)
    app.add_exception_handler(ClientDisconnect, _client_gone)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        return JSONResponse(_body(str(exc.detail)), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return JSONResponse(_body("internal error; the desk logged it (no data was changed)"), status_code=500)
