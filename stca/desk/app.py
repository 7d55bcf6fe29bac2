"""The case-desk web application: ``create_app(settings)`` wires database, sessions, routes and errors.

Why exception handlers here: every refusal — bad field, wrong state, missing login — must reach the
user as a clear message naming the field, and an unexpected error as a short JSON line, never a
traceback (the traceback goes to the server log).

Why one security middleware (:class:`SecurityMiddleware`, outermost): every response, whichever route or
error handler made it, carries the security headers of ``stca.desk.security`` and ``Cache-Control:
no-store``; every request body is capped (413) before any handler reads it; every route open to the
public is rate-limited per client address (429 with ``Retry-After``).
"""

from __future__ import annotations

import importlib.util
import json
import logging
import secrets
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import stca
from stca.desk.config import Settings
from stca.desk.db import make_engine, make_sessionmaker
from stca.desk.deps import ClientGone, Forbidden, NotAuthenticated, Public, route_roles
from stca.desk.security import NO_STORE, SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY
from stca.desk.services import FieldProblem, ServiceError
from stca.desk.services._errors import dotted
from stca.desk.throttle import Throttle, TooManyRequests

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
            "on every POST/PATCH/DELETE. Errors are `{detail, problems: [{field, message}]}`. "
            f"Request bodies are limited to {settings.max_body_bytes} bytes (413); the public routes to "
            f"{settings.public_requests_per_minute} requests a minute per client address (429 with "
            "`Retry-After`)."
        ),
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine, audit_key=settings.audit_key_bytes())
    app.state.throttle = Throttle.from_settings(settings)
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
    app.add_middleware(SecurityMiddleware)
    _install_handlers(app)

    from stca.desk.api import router as api_router

    app.include_router(api_router)
    _add_docs(app)
    _mount_web(app)
    return app


class BodyTooLarge(StarletteHTTPException):
    """A request body over ``Settings.max_body_bytes`` (raised while it is being read: 413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


class SecurityMiddleware:
    """Security headers and ``no-store`` on every response, a cap on every request body, and a
    per-client rate on the public routes (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._public: frozenset[tuple[str, str]] | None = None

    def _is_public(self, scope: Scope) -> bool:
        if self._public is None:  # read once the routes exist: the routes' own Public markers
            table = route_roles(scope["app"])
            self._public = frozenset(k for k, v in table.items() if v is None and k[1] != "/healthz")
        return (scope["method"], scope["path"]) in self._public

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        desk: FastAPI = scope["app"]
        settings: Settings = desk.state.settings
        limit = settings.max_body_bytes
        path: str = scope["path"]
        cache = not path.startswith("/static/")
        extra = {"Strict-Transport-Security": STRICT_TRANSPORT_SECURITY} if settings.cookie_secure else {}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                present = {k.decode("latin-1").lower() for k, _ in headers}
                for name, value in (SECURITY_HEADERS | extra).items():
                    if name.lower() not in present:
                        headers.append((name.encode("latin-1"), value.encode("latin-1")))
                if cache:
                    headers[:] = [(k, v) for k, v in headers if k.lower() not in (b"cache-control", b"expires")]
                    headers.append((b"cache-control", NO_STORE.encode()))
            await send(message)

        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _plain_error(send_with_headers, 413, f"the request body is larger than {limit} bytes")
            return
        if self._is_public(scope):
            client = scope["client"][0] if scope.get("client") else "unknown"
            try:
                desk.state.throttle.public_request(client)
            except TooManyRequests as exc:
                await _plain_error(send_with_headers, 429, exc.message, retry_after=exc.retry_after)
                return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        await self.app(scope, counted_receive, send_with_headers)


async def _plain_error(send: Send, status: int, detail: str, *, retry_after: int | None = None) -> None:
    """Answer before the application runs, in the desk's error shape."""
    body = json.dumps(_body(detail)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _add_docs(app: FastAPI) -> None:
    """``/docs`` (Swagger UI) and ``/redoc`` under their own CSP: their inline script runs only with
    this response's nonce. They load from the jsDelivr CDN and style inline, which only these two pages,
    holding no personal data, allow."""

    def page(html: HTMLResponse) -> HTMLResponse:
        nonce = secrets.token_urlsafe(16)
        text = bytes(html.body).decode().replace("<script>", f'<script nonce="{nonce}">')
        policy = (f"default-src 'self'; script-src 'self' 'nonce-{nonce}' https://cdn.jsdelivr.net; "
                  "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
                  "font-src 'self' https://fonts.gstatic.com; img-src 'self' data: https://fastapi.tiangolo.com "
                  "https://cdn.redoc.ly; worker-src blob:; object-src 'none'; base-uri 'none'; "
                  "frame-ancestors 'none'")
        return HTMLResponse(text, headers={"Content-Security-Policy": policy})

    @app.get("/docs", include_in_schema=False, dependencies=[Public])
    def swagger() -> HTMLResponse:
        return page(get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} — API"))

    @app.get("/redoc", include_in_schema=False, dependencies=[Public])
    def redoc() -> HTMLResponse:
        return page(get_redoc_html(openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} — API"))


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

    @app.exception_handler(TooManyRequests)
    async def _too_many(request: Request, exc: TooManyRequests) -> Response:
        return JSONResponse(_body(exc.message), status_code=429, headers={"Retry-After": str(exc.retry_after)})

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
