"""Every route × every role (and anonymous) × scope: the declared audience is exactly who gets in,
and an officer limited to some regions and sites reaches no case outside them.

The declaration is read from the routes themselves (``stca.desk.deps.route_roles``), so pages added
by ``stca.desk.web`` are covered too; a route without a declaration fails the first test.
"""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import func, select

from stca.desk import services
from stca.desk.deps import SCOPED_PARAMETERS, route_roles
from stca.desk.domain import Role
from stca.desk.models import AuditEntry

from .conftest import PASSWORD, ROLE_LOGIN, Desk, case_body

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
    clients = {role.value: desk.signed_in(ROLE_LOGIN[role.value]) for role in Role}  # logouts end them
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
            response = client.request(method, url, **kwargs)
            if _may_end_session(method, path):  # the session ended for good: open another
                clients[role.value] = desk.signed_in(ROLE_LOGIN[role.value])
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


def _limited(desk: Desk, role: str, province: str) -> httpx.Client:
    """A client signed in as a new ``role`` account whose scope is the one region ``province``."""
    name = f"{role.split('_')[0]}-{province.lower()}"
    with desk.session() as db:
        if name not in {u.username for u in services.list_users(db)}:
            services.create_user(db, None, username=name, password=PASSWORD, role=role,
                                 scope={"provinces": [province]})
    return desk.signed_in(name)


@pytest.mark.slow
def test_route_role_scope_matrix(desk: Desk) -> None:
    """Route × role × scope: every route naming a case, determination or review answers 404 to an
    officer whose regions and sites do not include that case — the same answer as for no case at all —
    and changes nothing; the lists leave it out; the same officer reaches a case of their own region."""
    national = desk.as_role("eligibility_officer")
    group = {"encounter_group": f"scope-family-{desk.backend}"}  # one family, met in two provinces
    outside = national.post("/api/v1/cases", json=case_body(province="NB", claimant_name="Scope Outside",
                                                            **group)).json()
    inside = national.post("/api/v1/cases", json=case_body(province="QC", claimant_name="Scope Inside",
                                                           **group)).json()
    ids: dict[str, dict[str, int]] = {}
    for name, case in (("outside", outside), ("inside", inside)):
        determination = national.post(f"/api/v1/cases/{case['id']}/determinations").json()
        review = national.post(f"/api/v1/cases/{case['id']}/review/override",
                               json={"result": "NOT_BARRED", "reason": "scope test override"}).json()
        ids[name] = {"case_id": case["id"], "determination_id": determination["id"], "review_id": review["id"]}

    def audit_rows() -> int:
        with desk.session() as db:
            return int(db.scalar(select(func.count()).select_from(AuditEntry)) or 0)

    table = route_roles(desk.app)
    scoped = {k: v for k, v in table.items()
              if k[0] != "HEAD" and any(f"{{{p}}}" in k[1] for p in SCOPED_PARAMETERS)}
    assert len(scoped) >= 15, sorted(scoped)
    limited = {role: _limited(desk, role, "QC") for role in ("intake_officer", "eligibility_officer", "supervisor")}
    failures: list[str] = []
    for (method, path), roles in sorted(scoped.items()):
        kwargs = {"json": {}} if method in ("POST", "PUT", "PATCH", "DELETE") else {}
        for role, client in limited.items():
            if roles is not None and Role(role) not in roles:
                continue
            before = audit_rows()
            url = re.sub(r"\{([^}]+)\}", lambda m: str(ids["outside"].get(m.group(1), 1)), path)
            response = client.request(method, url, **kwargs)
            if response.status_code != 404:
                failures.append(f"{method} {path} {role} outside its scope: expected 404, got {response.status_code}")
            if audit_rows() != before:
                failures.append(f"{method} {path} {role} outside its scope changed the database")
            url = re.sub(r"\{([^}]+)\}", lambda m: str(ids["inside"].get(m.group(1), 1)), path)
            response = client.request(method, url, **kwargs)
            if response.status_code in (401, 403, 404):
                failures.append(f"{method} {path} {role} inside its scope: got {response.status_code}")
    assert not failures, "\n".join(failures)

    officer = limited["supervisor"]
    listed = {c["reference"] for c in officer.get("/api/v1/cases", params={"limit": 500}).json()["items"]}
    assert inside["reference"] in listed and outside["reference"] not in listed
    pending = {r["case_id"] for r in officer.get("/api/v1/reviews/pending").json()}
    everyone = {r["case_id"] for r in desk.as_role("supervisor").get("/api/v1/reviews/pending").json()}
    assert ids["outside"]["case_id"] in everyone and ids["outside"]["case_id"] not in pending
    page = officer.get("/cases", headers={"Accept": "text/html"}).text
    assert inside["reference"] in page and outside["reference"] not in page
    # The case file lists the family's other cases only where the officer may open them.
    assert [c["id"] for c in national.get(f"/api/v1/cases/{inside['id']}").json()["linked_cases"]] == [outside["id"]]
    assert officer.get(f"/api/v1/cases/{inside['id']}").json()["linked_cases"] == []
    assert "Scope Outside" not in officer.get(f"/cases/{inside['id']}", headers={"Accept": "text/html"}).text
    refused = officer.post("/api/v1/cases", json=case_body(province="NB", claimant_name="Scope Refused"))
    assert refused.status_code == 422 and refused.json()["problems"][0]["field"] == "province"
    assert national.get("/api/v1/cases", params={"search": "Scope Refused"}).json()["total"] == 0
