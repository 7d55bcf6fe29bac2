"""FastAPI dependencies: database session, the logged-in user, CSRF, and who may call each route.

Authorisation lives here, never in handlers. Every route declares its audience with exactly one
marker, which is also how ``route_roles(app)`` builds the route × role table that the tests check:

- ``user: Annotated[UserView, RequireRole(Role.SUPERVISOR)]`` — only these roles (403 otherwise);
- ``user: CurrentUser`` — any logged-in role;
- ``dependencies=[Public]`` — no login (the determinations API, health, the login page).

Anonymous callers of a protected route get 401 (an HTML browser is redirected to ``/login``).

Sessions live in the database (``services.start_session``): the signed cookie carries only a random
token, so logging out, a password change or reset, a deactivation or an administrator ends a session
for good; a session also ends after ``Settings.session_idle_seconds`` unused and
``Settings.session_max_age_seconds`` after sign-in.

Scope: officers see and change only the cases of their regions and sites unless granted national
scope. A route with a ``case_id``, ``determination_id`` or ``review_id`` path parameter outside the
caller's scope answers 404, exactly as for a case that does not exist (so references cannot be
probed); lists are filtered by the services.
Every unsafe request (POST, PUT, PATCH, DELETE) made with a session must carry the session's CSRF
token, in the ``X-CSRF-Token`` header (API) or the ``csrf_token`` form field (pages); routes that
accept anonymous form posts (the login form) add ``dependencies=[Public, CsrfProtect]``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.requests import ClientDisconnect

from stca.desk import services
from stca.desk.config import Settings
from stca.desk.domain import Role
from stca.desk.security import new_csrf_token, off_loop, same_token
from stca.desk.services import SessionView, UserView
from stca.desk.throttle import Throttle

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


SESSION_TOKEN = "sid"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def idle_timeout(request: Request) -> dt.timedelta:
    """``Settings.session_idle_seconds`` of this application."""
    return dt.timedelta(seconds=_settings(request).session_idle_seconds)


def client_address(request: Request) -> str:
    """The caller's address, the key of the per-client limits (behind a proxy, run uvicorn with
    ``--proxy-headers`` so this is the client's and not the proxy's)."""
    return request.client.host if request.client else "unknown"


def login(request: Request, db: Session, user: UserView) -> str:
    """Start a fresh server-side session for ``user`` (old cookie contents dropped: no session fixation)
    and return its new CSRF token."""
    settings = _settings(request)
    token, view = services.start_session(
        db, user, max_age=dt.timedelta(seconds=settings.session_max_age_seconds), idle=idle_timeout(request),
        client=client_address(request), user_agent=request.headers.get("user-agent", ""))
    request.session.clear()
    request.session[SESSION_TOKEN] = token
    request.state.desk_session = view
    return csrf_token(request)


def logout(request: Request, db: Session) -> None:
    """End the session in the database (the cookie alone could be replayed) and forget it."""
    token = request.session.get(SESSION_TOKEN)
    if isinstance(token, str):
        services.end_session(db, token)
    request.session.clear()


def session_token(request: Request) -> str | None:
    """The session token this request carries, if any (to keep it when its owner changes password)."""
    token = request.session.get(SESSION_TOKEN)
    return token if isinstance(token, str) else None


def signed_in(request: Request, db: Session, *, touch: bool = True) -> tuple[UserView, SessionView] | None:
    """The user and open session behind the request's cookie, or ``None`` (a dead session is forgotten)."""
    token = session_token(request)
    if token is None:
        return None
    found = services.session_user(db, token, idle=idle_timeout(request), touch=touch)
    if found is None:
        request.session.clear()
    else:
        request.state.desk_session = found[1]
    return found


async def sign_in(request: Request, db: Session, username: str, password: str) -> UserView | None:
    """Check a password the way both login doors must: refused (429) while the account or the address
    is throttled, argon2 off the event loop, failures counted. ``None``: wrong user name or password."""
    throttle: Throttle = request.app.state.throttle
    client = client_address(request)
    throttle.check_login(username, client)
    user = await off_loop(services.authenticate, db, username, password)
    if user is None:
        throttle.login_failed(username, client)
        return None
    throttle.login_succeeded(username)
    return user


def draft_owner(request: Request, user: UserView | None) -> str:
    """Who an interview draft belongs to: the signed-in account, or this browser's anonymous session.

    Why: a draft token in a URL must not let anyone else read or overwrite the draft (issue 12 §13).
    """
    if user is not None:
        return f"user:{user.id}"
    anonymous = request.session.get("anon")
    if not isinstance(anonymous, str):
        anonymous = secrets.token_urlsafe(16)
        request.session["anon"] = anonymous
    return f"anon:{anonymous}"


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
    """The logged-in user, or ``None`` (for public pages that greet a known user); counts as activity."""
    found = signed_in(request, db)
    return found[0] if found else None


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

    def __call__(self, request: Request, user: CurrentUser, db: SessionDep) -> UserView:
        if user.role not in self.roles:
            allowed = ", ".join(sorted(self.roles))
            raise Forbidden(f"this needs one of the roles: {allowed} (you are {user.role})")
        check_scope(request, db, user)
        return user

    def __repr__(self) -> str:
        return f"RoleGate({sorted(self.roles)})"


def RequireRole(*roles: Role | str) -> Any:
    """``Annotated[UserView, RequireRole(Role.SUPERVISOR)]``: only these roles may call the route."""
    return Depends(RoleGate(frozenset(Role(r) for r in roles)))


#: Path parameters naming something that belongs to one case, and how to find that case.
SCOPED_PARAMETERS = ("case_id", "determination_id", "review_id")


def check_scope(request: Request, db: Session, user: UserView) -> None:
    """Refuse, as "not found", a case (or its determination or review) outside ``user``'s scope."""
    if user.national_scope:
        return
    for name in SCOPED_PARAMETERS:
        raw = request.path_params.get(name)
        if raw is None:
            continue
        try:
            ident = int(raw)
        except ValueError:
            return  # not an id: the route's own validation answers 422
        where = services.case_location(db, name.removesuffix("_id"), ident)
        if where is not None and not services.in_scope(user, *where):
            raise services.NotFound(name.removesuffix("_id"), ident)


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
