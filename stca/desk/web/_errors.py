"""HTML error pages for the desk's pages (the JSON API keeps the application's JSON errors).

Why here: ``create_app`` answers refusals as JSON, which is right for ``/api`` but leaves a browser
showing raw JSON when, say, an analyst opens a case page. ``install(app)`` wraps the application's
handlers: a browser page request (not ``/api``, ``Accept: text/html``) gets a translated HTML page
with the same status; everything else is passed to the original handler unchanged.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import RedirectResponse, Response

from stca.desk.deps import Forbidden, NotAuthenticated, session_token, signed_in
from stca.desk.services import NotFound, ServiceError
from stca.desk.web._i18n import N_
from stca.desk.web._messages import human
from stca.desk.web._render import render
from stca.desk.web._session import page_context

_NO_PAGE = N_("There is no page at this address. Check the address, or start again from the menu.")
Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def _is_page(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return not request.url.path.startswith("/api/") and "text/html" in accept


def _message(request: Request, title: str, message: str, status_code: int) -> Response:
    return render(
        request,
        "message.html",
        {**_signed_in(request), "title": title, "message": message},
        status_code=status_code,
    )


def _signed_in(request: Request) -> dict[str, Any]:
    """The header's user and CSRF token, so an error page still shows who is signed in."""
    if "session" not in request.scope or session_token(request) is None:
        return {}
    with request.app.state.sessionmaker() as db:
        found = signed_in(request, db, touch=False)
        return page_context(request, found[0] if found else None)


def install(app: FastAPI) -> None:
    """Put HTML-aware handlers in front of the application's handlers for the page routes."""
    original: dict[Any, Handler | None] = {
        exc: app.exception_handlers.get(exc)
        for exc in (Forbidden, NotAuthenticated, ServiceError, RequestValidationError, StarletteHTTPException)
    }

    async def forbidden(request: Request, exc: Exception) -> Response:
        if _is_page(request):
            return _message(
                request,
                N_("Not available for your role"),
                N_("Your role does not give access to this page or action."),
                403,
            )
        return await _delegate(original[Forbidden], request, exc)

    async def not_authenticated(request: Request, exc: Exception) -> Response:
        if _is_page(request):
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        return await _delegate(original[NotAuthenticated], request, exc)

    async def service_error(request: Request, exc: Exception) -> Response:
        if _is_page(request) and isinstance(exc, ServiceError):
            if isinstance(exc, NotFound):
                return _message(request, N_("Not found"), N_("Nothing is recorded under this address."), 404)
            return _message(request, N_("The request was refused"), human(exc.message), exc.status_code)
        return await _delegate(original[ServiceError], request, exc)

    async def bad_address(request: Request, exc: Exception) -> Response:
        """A page address with a malformed part (``/cases/abc``) is simply not a page: 404 in HTML."""
        if _is_page(request):
            return _message(request, N_("Not found"), N_("Nothing is recorded under this address."), 404)
        return await _delegate(original[RequestValidationError], request, exc)

    async def http_error(request: Request, exc: Exception) -> Response:
        if _is_page(request) and isinstance(exc, StarletteHTTPException) and exc.status_code in (404, 405):
            return _message(request, N_("Page not found"), _NO_PAGE, exc.status_code)
        return await _delegate(original[StarletteHTTPException], request, exc)

    app.add_exception_handler(Forbidden, forbidden)
    app.add_exception_handler(NotAuthenticated, not_authenticated)
    app.add_exception_handler(ServiceError, service_error)
    app.add_exception_handler(RequestValidationError, bad_address)
    app.add_exception_handler(StarletteHTTPException, http_error)


async def _delegate(handler: Handler | None, request: Request, exc: Exception) -> Response:
    if handler is None:
        if isinstance(exc, RequestValidationError):
            from fastapi.exception_handlers import request_validation_exception_handler

            return await request_validation_exception_handler(request, exc)
        if isinstance(exc, StarletteHTTPException):
            from fastapi.exception_handlers import http_exception_handler

            return await http_exception_handler(request, exc)
        raise exc
    result = handler(request, exc)
    return await result if inspect.isawaitable(result) else result
