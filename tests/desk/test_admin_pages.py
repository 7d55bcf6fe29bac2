"""Administration pages: accounts with roles, and sites with beds and daily intake per province.

Runs on SQLite and PostgreSQL (the ``desk`` fixture). Each change made on a page must be written to
the hash-chained audit log with the administrator as actor; other roles are refused (the full
route × role matrix is ``test_route_roles``).
"""

from __future__ import annotations

from stca.desk import services

from .conftest import Desk

HTML = {"Accept": "text/html"}


def test_an_administrator_creates_an_account_that_can_sign_in_and_is_audited(desk: Desk) -> None:
    admin = desk.as_role("admin")
    page = admin.get("/admin/users", headers=HTML)
    assert page.status_code == 200 and "<code>intake</code>" in page.text and "Eligibility officer" in page.text

    created = admin.post("/admin/users", headers=HTML, data={
        "username": "rgagnon", "display_name": "Rachel Gagnon", "role": "eligibility_officer",
        "password": "a-long-initial-password"})
    assert created.status_code == 303 and created.headers["location"] == "/admin/users?done=user"
    listed = admin.get("/admin/users?done=user", headers=HTML).text
    assert "Account created." in listed and "<code>rgagnon</code>" in listed

    newcomer = desk.login("rgagnon", "a-long-initial-password", fresh=True)
    assert newcomer.get("/api/v1/session").json()["user"]["role"] == "eligibility_officer"
    assert newcomer.get("/admin/users", headers=HTML).status_code == 403

    with desk.session() as db:
        row = next(r for r in services.audit_trail(db, entity="user") if r.after.get("username") == "rgagnon")
        assert (row.action, row.actor, row.after["role"]) == ("create", "admin", "eligibility_officer")
        assert "a-long-initial-password" not in str(row.after) and "argon2" not in str(row.after)
        assert services.verify_audit(db).ok


def test_refused_accounts_name_the_field_and_never_echo_the_password(desk: Desk) -> None:
    admin = desk.as_role("admin")
    taken = admin.post("/admin/users", headers=HTML, data={
        "username": "intake", "role": "analyst", "password": "another-long-password"})
    assert taken.status_code == 422 and 'id="username-error"' in taken.text and "already taken" in taken.text
    short = admin.post("/admin/users", headers=HTML, data={
        "username": "shortpw", "role": "analyst", "password": "tiny7"})
    assert short.status_code == 422 and 'id="password-error"' in short.text and "tiny7" not in short.text
    no_role = admin.post("/admin/users", headers=HTML, data={
        "username": "norole", "role": "emperor", "password": "another-long-password"})
    assert no_role.status_code == 422 and 'id="role-error"' in no_role.text
    with desk.session() as db:
        assert not {"shortpw", "norole"} & {u.username for u in services.list_users(db)}


def test_an_administrator_opens_a_site_and_sets_its_capacity_with_an_audit_row(desk: Desk) -> None:
    admin = desk.as_role("admin")
    opened = admin.post("/admin/sites", headers=HTML, data={
        "province": "YT", "code": "yt-whi-1", "name": "Whitehorse reception site", "beds": "12",
        "daily_intake": "3"})
    assert opened.status_code == 303, opened.text
    with desk.session() as db:
        site = services.list_sites(db, province="YT")[0]
    assert (site.code, site.beds, site.daily_intake) == ("YT-WHI-1", 12, 3)
    page = admin.get("/admin/sites", headers=HTML).text
    assert 'id="province-YT"' in page and "Open sites: 1 · beds: 12" in page

    saved = admin.post(f"/admin/sites/{site.id}", headers=HTML, data={
        f"site-{site.id}-beds": "20", f"site-{site.id}-daily_intake": "5", "active": "yes"})
    assert saved.status_code == 303
    with desk.session() as db:
        assert next(p for p in services.capacity_by_province(db) if p.province == "YT").beds == 20
        row = services.audit_trail(db, entity="site", entity_id=site.id)[0]
        assert (row.action, row.actor) == ("update", "admin")
        assert (row.before["beds"], row.after["beds"], row.after["daily_intake"]) == (12, 20, 5)

    bad = admin.post(f"/admin/sites/{site.id}", headers=HTML, data={
        f"site-{site.id}-beds": "-3", f"site-{site.id}-daily_intake": "5", "active": "yes"})
    assert bad.status_code == 422 and f'id="site-{site.id}-beds-error"' in bad.text

    closed = admin.post(f"/admin/sites/{site.id}", headers=HTML, data={
        f"site-{site.id}-beds": "20", f"site-{site.id}-daily_intake": "5"})
    assert closed.status_code == 303
    with desk.session() as db:
        assert not services.get_site(db, site.id).active
        assert all(p.province != "YT" for p in services.capacity_by_province(db))
    assert "No open site." in admin.get("/admin/sites", headers=HTML).text

    # Supervisors manage sites through the API, but the administration pages are the admin's alone.
    assert desk.as_role("supervisor").get("/admin/sites", headers=HTML).status_code == 403
