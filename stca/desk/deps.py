"""FastAPI dependencies: database session, the logged-in user, CSRF, and who may call each route.

Authorisation lives here, never in handlers. Every route declares its audience with exactly one
marker, which is also how ``route_roles(app)`` builds the route × role table that the tests check:

- ``user: Annotated[UserView, RequireRole(Role.SUPERVISOR)]`` — only these roles (403 otherwise);
- ``user: CurrentUser`` — any logged-in role;
- ``dependencies=[Public]`` — no login (the determinations API, health, the login page).

Anonymous callers of a protected route get 401 (an HTML browser is redirected to ``/login``).
Every unsafe request (POST, PUT, PATCH, DELETE) made with a session must carry the session's CSRF
token, in the ``X-CSRF-Token`` header (API) or the ``csrf_token`` form field (pages); routes that
accept anonymous form posts (the login form) add ``dependencies=[Public, CsrfProtect]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.requests import ClientDisconnect

from stca.desk.domain import Role
from stca.desk.security import new_csrf_token, same_token
from stca.desk.services import UserView, get_user

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"


class NotAuthenticated(Exception):
    """No valid session: 401 for the API, a redirect to the login page for browsers."""


class ClientGone(Exception):
    """The client closed the connection before its whole request body arrived.

    Nobody is left to answer and nothing was done, so this is not an error of the desk: the app
    answers it quietly (``stca.desk.app``) instead of logging a traceback.
    """


class Forbidden(Exception):
    """Logged in, but this role (or a missing CSRF token) may not do this: 403."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def get_db(request: Request) -> Iterator[Session]:
    """The session's whole lifecycle: one per request, closed afterwards, which ends any read transaction.

    Reads run in a plain transaction (on SQLite a WAL snapshot that takes no lock); services open
    their own units of work (``stca.desk.services._unit.unit_of_work``), the only place a write
    transaction — and on SQLite the write lock — begins.
    """
    session: Session = request.app.state.sessionmaker()
    try:
        yield session
    finally:
        session.close()


SessionDep = Annotated[Session, Depends(get_db)]


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use; anonymous sessions get one for the login form)."""
    token = request.session.get(CSRF_FIELD)
    if not token:
        token = new_csrf_token()
        request.session[CSRF_FIELD] = token
    return str(token)


def login(request: Request, user: UserView) -> str:
    """Start a fresh session for ``user`` (old contents dropped) and return its new CSRF token."""
    request.session.clear()
    request.session["user_id"] = user.id
    return csrf_token(request)


def logout(request: Request) -> None:
    """Forget the session."""
    request.session.clear()


async def check_csrf(request: Request) -> None:
    """Reject an unsafe request whose CSRF token does not match the session's."""
    if request.method not in UNSAFE_METHODS:
        return
    given = request.headers.get(CSRF_HEADER)
    content_type = request.headers.get("content-type", "")
    if given is None and content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        try:
            form = await request.form()
        except ClientDisconnect:  # the browser went away mid-upload (closed tab, double submit)
            raise ClientGone() from None
        value = form.get(CSRF_FIELD)
        given = value if isinstance(value, str) else None
    if not same_token(request.session.get(CSRF_FIELD), given):
        raise Forbidden("CSRF token missing or invalid; reload the page and try again", field=CSRF_FIELD)


CsrfProtect = Depends(check_csrf)


def public_route() -> None:
    """Marker: the route needs no login (see :func:`route_roles`)."""


Public = Depends(public_route)


def optional_user(request: Request, db: SessionDep) -> UserView | None:
    """The logged-in user, or ``None`` (for public pages that greet a known user)."""
    user_id = request.session.get("user_id")
    if not isinstance(user_id, int):
        return None
    return get_user(db, user_id)


OptionalUser = Annotated[UserView | None, Depends(optional_user)]


async def current_user(request: Request, user: OptionalUser) -> UserView:
    """The logged-in, active user; unsafe methods must also pass the CSRF check (after login, so an
    anonymous caller learns 401 "log in", not 403)."""
    if user is None:
        raise NotAuthenticated()
    await check_csrf(request)
    return user


CurrentUser = Annotated[UserView, Depends(current_user)]


class RoleGate:
    """Dependency allowing only ``roles``; its ``roles`` attribute is the route's declaration."""

    def __init__(self, roles: frozenset[Role]) -> None:
        self.roles = roles

    def __call__(self, user: CurrentUser) -> UserView:
        if user.role not in self.roles:
            allowed = ", ".join(sorted(self.roles))
            raise Forbidden(f"this needs one of the roles: {allowed} (you are {user.role})")
        return user

    def __repr__(self) -> str:
        return f"RoleGate({sorted(self.roles)})"


def RequireRole(*roles: Role | str) -> Any:
    """``Annotated[UserView, RequireRole(Role.SUPERVISOR)]``: only these roles may call the route."""
    return Depends(RoleGate(frozenset(Role(r) for r in roles)))


R = Role
CaseWorker = Annotated[UserView, RequireRole(R.INTAKE_OFFICER, R.ELIGIBILITY_OFFICER, R.SUPERVISOR)]
"""Reads and works on cases: intake and eligibility officers, supervisors."""
Reviewer = Annotated[UserView, RequireRole(R.ELIGIBILITY_OFFICER, R.SUPERVISOR)]
"""Confirms/overrides determinations and records outcomes."""
Supervisor = Annotated[UserView, RequireRole(R.SUPERVISOR)]
"""Approves or rejects overrides."""
Placer = Annotated[UserView, RequireRole(R.INTAKE_OFFICER, R.SUPERVISOR)]
"""Places claimants in reception sites and transfers them."""
CapacityViewer = Annotated[UserView, RequireRole(R.INTAKE_OFFICER, R.ELIGIBILITY_OFFICER, R.SUPERVISOR, R.ADMIN,
                                                 R.ANALYST)]
"""Sees sites, beds and occupancy (no personal data)."""
SiteManager = Annotated[UserView, RequireRole(R.SUPERVISOR, R.ADMIN)]
"""Opens sites and changes their capacity."""
AnalystUser = Annotated[UserView, RequireRole(R.ANALYST, R.SUPERVISOR)]
"""Reads aggregates and exports (never names or ids)."""
Auditor = Annotated[UserView, RequireRole(R.ADMIN, R.SUPERVISOR)]
"""Reads and verifies the audit log."""
Admin = Annotated[UserView, RequireRole(R.ADMIN)]
"""Manages accounts."""

ALL_ROLES: frozenset[Role] = frozenset(Role)


def route_roles(app: Any) -> dict[tuple[str, str], frozenset[Role] | None]:
    """The route × role table read from the routes themselves: ``(method, path) → roles``.

    ``None`` means public. A route with no marker maps to ``frozenset()`` (nobody), which the
    test suite reports as undeclared.
    """
    table: dict[tuple[str, str], frozenset[Role] | None] = {}
    for path, methods, dependant in _api_routes(app):
        declared = _declared(dependant)
        for method in sorted(methods):
            table[(method, path)] = declared
    return table


def _api_routes(app: Any) -> Iterator[tuple[str, set[str], Any]]:
    """(path, methods, dependant) of every API route, through included routers of any depth."""
    try:
        from fastapi.routing import iter_route_contexts  # FastAPI >= 0.160 includes routers lazily
    except ImportError:
        for route in app.routes:
            if isinstance(route, APIRoute):
                yield route.path, set(route.methods or set()), route.dependant
        return
    for context in iter_route_contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            methods: set[str] = context.methods or set()
            yield str(context.path), methods, context.dependant


def _declared(dependant: Any) -> frozenset[Role] | None:
    calls = list(_calls(dependant))
    gates = [c for c in calls if isinstance(c, RoleGate)]
    if gates:
        return frozenset.intersection(*(g.roles for g in gates))
    if current_user in calls:
        return ALL_ROLES
    if public_route in calls:
        return None
    return frozenset()


def _calls(dependant: Any) -> Iterator[Any]:
    for dep in dependant.dependencies:
        yield dep.call
        yield from _calls(dep)
