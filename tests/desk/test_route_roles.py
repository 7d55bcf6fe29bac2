"""Every route × every role (and anonymous): the declared audience is exactly who gets in.

The declaration is read from the routes themselves (``stca.desk.deps.route_roles``), so pages added
by ``stca.desk.web`` are covered too; a route without a declaration fails the first test.
"""

from __future__ import annotations

import re

import httpx
import pytest

from stca.desk.deps import route_roles
from stca.desk.domain import Role

from .conftest import Desk

MISSING_ID = "987654"


def _concrete(path: str) -> str:
    """Fill path parameters with an id that does not exist, so allowed calls change nothing."""
    return re.sub(r"\{[^}]+\}", MISSING_ID, path)


def test_every_route_declares_its_audience(desk: Desk) -> None:
    table = route_roles(desk.app)
    undeclared = sorted(k for k, v in table.items() if v == frozenset())
    assert not undeclared, f"routes without a Public/CurrentUser/RequireRole marker: {undeclared}"
    assert ("POST", "/api/v1/determinations") in table and table[("POST", "/api/v1/determinations")] is None


def _demands_login(status: int, response: httpx.Response) -> bool:
    """A public route may refuse bad credentials (login form: 401) but never ask for a session or role."""
    if status == 403:
        return True
    return status == 401 and "log in first" in response.text


def _may_end_session(method: str, path: str) -> bool:
    """Logging in or out replaces the anonymous session (and its CSRF token): fetch a new token."""
    return (method, path) == ("DELETE", "/api/v1/session") or (
        method == "POST" and path.rstrip("/").endswith(("/login", "/logout", "/api/v1/session")))


@pytest.mark.slow
def test_route_role_matrix(desk: Desk) -> None:
    table = route_roles(desk.app)
    clients = {role.value: desk.as_role(role.value) for role in Role}
    anonymous = desk.anonymous()
    anonymous.headers["X-CSRF-Token"] = anonymous.get("/api/v1/session/csrf").json()["csrf_token"]
    failures: list[str] = []
    for (method, path), roles in sorted(table.items()):
        if method == "HEAD":
            continue
        url = _concrete(path)
        kwargs = {"json": {}} if method in ("POST", "PUT", "PATCH", "DELETE") else {}
        response = anonymous.request(method, url, **kwargs)
        status = response.status_code
        if roles is None:
            if _demands_login(status, response):
                failures.append(f"{method} {path} anonymous: public route answered {status}")
        elif status != 401:
            failures.append(f"{method} {path} anonymous: expected 401, got {status}")
        for role in Role:
            client = clients[role.value]
            saved = dict(client.cookies)  # a logout route ends the session: put it back afterwards
            response = client.request(method, url, **kwargs)
            client.cookies.clear()
            client.cookies.update(saved)
            status = response.status_code
            allowed = roles is None or role in roles
            if roles is None and _demands_login(status, response):
                failures.append(f"{method} {path} {role}: public route answered {status}")
            elif roles is not None and allowed and status in (401, 403):
                failures.append(f"{method} {path} {role}: allowed but got {status}")
            if not allowed and status != 403:
                failures.append(f"{method} {path} {role}: expected 403, got {status}")
        if _may_end_session(method, path):
            anonymous.headers["X-CSRF-Token"] = anonymous.get("/api/v1/session/csrf").json()["csrf_token"]
    assert not failures, "\n".join(failures)
