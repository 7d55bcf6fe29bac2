"""Login, logout, session cookie flags and CSRF protection, through the real server."""

from __future__ import annotations

from .conftest import PASSWORD, Desk, case_body


def test_login_sets_httponly_lax_cookie_and_logout_ends_the_session(desk: Desk) -> None:
    client = desk.anonymous()
    response = client.post("/api/v1/session", json={"username": "intake", "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    token = response.json()["csrf_token"]
    assert client.get("/api/v1/session").json()["user"]["role"] == "intake_officer"

    assert client.delete("/api/v1/session", headers={"X-CSRF-Token": token}).status_code == 200
    assert client.get("/api/v1/cases").status_code == 401


def test_wrong_password_and_unknown_user_are_the_same_401(desk: Desk) -> None:
    client = desk.anonymous()
    wrong = client.post("/api/v1/session", json={"username": "intake", "password": "nope-nope"})
    unknown = client.post("/api/v1/session", json={"username": "nobody", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_unsafe_request_without_or_with_wrong_csrf_token_is_refused_and_changes_nothing(desk: Desk) -> None:
    client = desk.as_role("intake_officer", fresh=True)
    good = client.headers.pop("X-CSRF-Token")
    before = client.get("/api/v1/cases", params={"search": "Csrf Victim"}).json()["total"]

    missing = client.post("/api/v1/cases", json=case_body(claimant_name="Csrf Victim"))
    wrong = client.post("/api/v1/cases", json=case_body(claimant_name="Csrf Victim"),
                        headers={"X-CSRF-Token": good[:-2] + "xx"})
    assert missing.status_code == wrong.status_code == 403
    assert missing.json()["problems"][0]["field"] == "csrf_token"
    assert client.get("/api/v1/cases", params={"search": "Csrf Victim"}).json()["total"] == before

    # A form post carrying the token in the csrf_token field passes the CSRF check (then fails validation).
    form = client.post("/api/v1/cases", data={"csrf_token": good, "place": "x"})
    assert form.status_code == 422
    bad_form = client.post("/api/v1/cases", data={"csrf_token": "forged", "place": "x"})
    assert bad_form.status_code == 403


def test_deactivated_account_loses_its_open_session(fresh_desk: Desk) -> None:
    officer = fresh_desk.as_role("intake_officer")
    assert officer.get("/api/v1/cases").status_code == 200
    admin = fresh_desk.as_role("admin")
    users = {u["username"]: u["id"] for u in admin.get("/api/v1/users").json()}
    assert admin.patch(f"/api/v1/users/{users['intake']}", json={"active": False}).status_code == 200
    assert officer.get("/api/v1/cases").status_code == 401
    again = fresh_desk.anonymous().post("/api/v1/session", json={"username": "intake", "password": PASSWORD})
    assert again.status_code == 401
