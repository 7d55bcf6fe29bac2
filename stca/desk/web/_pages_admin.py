"""Administration (role admin only): desk accounts, and reception sites with their capacity.

Why a page of its own: accounts and capacity are configuration, not casework; only administrators
change them (``deps.Admin``, which also puts every route here in the route × role table). Every
change goes through the services (``create_user``, ``create_site``, ``update_site_capacity``), which
write the hash-chained audit log with the administrator as actor and the values before and after.
Sites are grouped by province with the province's totals: a province's capacity is the sum of its
sites', so it is set site by site.
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from stca.desk import services
from stca.desk.deps import Admin, SessionDep
from stca.desk.domain import PROVINCES, Role
from stca.desk.security import MIN_PASSWORD_LENGTH
from stca.desk.services import UserView
from stca.desk.web import _session
from stca.desk.web._i18n import N_
from stca.desk.web._labels import ROLES
from stca.desk.web._render import render
from stca.desk.web._router import router

DONE = {
    "user": N_("Account created."),
    "site": N_("Site opened."),
    "capacity": N_("Capacity saved."),
}
#: Page messages for the service's refusals, by field (the service's own text is English only).
USER_PROBLEMS = {
    "username": N_("Use 2 to 64 characters: lower-case letters, digits, '.', '_' or '-'."),
    "password": N_("The password is too short."),
    "role": N_("Choose a role."),
}
TAKEN = N_("This user name is already taken.")
SITE_PROBLEMS = {
    "code": N_("Use 2 to 32 characters: capital letters, digits or '-', e.g. QC-MTL-2."),
    "name": N_("Enter the name of the site."),
    "province": N_("Choose a province."),
    "beds": N_("Enter a whole number from 0 to 100000."),
    "daily_intake": N_("Enter a whole number from 0 to 100000."),
}
CODE_TAKEN = N_("This site code is already used.")


def _form(raw: Mapping[str, object]) -> dict[str, str]:
    return {k: str(v).strip() for k, v in raw.items() if k != "csrf_token"}


def _flash(request: Request) -> str:
    return DONE.get(request.query_params.get("done", ""), "")


# ---------------------------------------------------------------- accounts


def _users_page(
    request: Request, user: UserView, db: Session, *, errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None, status_code: int = 200, provinces: list[str] | None = None,
) -> Response:
    flash = _flash(request) if not errors else ""
    return render(
        request,
        "admin_users.html",
        {
            **_session.page_context(request, user),
            "users": sorted(services.list_users(db), key=lambda u: (u.role, u.username)),
            "role_options": [("", N_("Choose a role")), *((r.value, ROLES[r.value]) for r in Role)],
            "min_password": MIN_PASSWORD_LENGTH,
            "province_options": [(p, p) for p in PROVINCES],
            "form_provinces": provinces or [],
            "errors": errors or {},
            "form": form or {},
            "flash": flash,
            "flash_kind": "success" if flash else "",
        },
        status_code=status_code,
    )


@router.get("/admin/users", include_in_schema=False)
async def users(request: Request, user: Admin, db: SessionDep) -> Response:
    """Every account with its role and whether it is active, and the form to create one."""
    return _users_page(request, user, db)


@router.post("/admin/users", include_in_schema=False)
async def create_user(request: Request, user: Admin, db: SessionDep) -> Response:
    """Create an account (the password is hashed with argon2 by the service; the audit row omits it)."""
    raw = await request.form()
    form = _form(raw)
    # Which cases the account works on: officers see only their regions' cases unless national.
    provinces = [str(p) for p in raw.getlist("scope_provinces") if str(p) in PROVINCES]
    scope = {"national": form.get("national_scope") == "yes", "provinces": provinces}
    errors: dict[str, str] = {}
    if not form.get("username"):
        errors["username"] = N_("Enter a user name.")
    if form.get("role") not in {r.value for r in Role}:
        errors["role"] = USER_PROBLEMS["role"]
    if len(form.get("password", "")) < MIN_PASSWORD_LENGTH:
        errors["password"] = USER_PROBLEMS["password"]
    if not errors:
        try:
            services.create_user(db, user, username=form["username"], password=form["password"], role=form["role"],
                                 display_name=form.get("display_name") or None, scope=scope)
        except services.Conflict:
            errors["username"] = TAKEN
        except services.InvalidInput as err:
            errors.update({p.field: USER_PROBLEMS.get(p.field, p.message) for p in err.problems})
    if errors:
        form.pop("password", None)  # never echo a password back into the page
        return _users_page(request, user, db, errors=errors, form=form, status_code=422,
                           provinces=provinces)
    return RedirectResponse("/admin/users?done=user", status_code=303)


# ---------------------------------------------------------------- sites and capacity


def _sites_page(
    request: Request, user: UserView, db: Session, *, errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None, status_code: int = 200, flash: str = "",
) -> Response:
    sites = services.list_sites(db)
    totals = {p.province: p for p in services.capacity_by_province(db)}
    by_province = [(prov, [s for s in sites if s.province == prov], totals.get(prov))
                   for prov in PROVINCES if any(s.province == prov for s in sites)]
    message = flash or (_flash(request) if not errors else "")
    return render(
        request,
        "admin_sites.html",
        {
            **_session.page_context(request, user),
            "by_province": by_province,
            "province_options": [("", N_("Choose a province")), *((p, p) for p in PROVINCES)],
            "errors": errors or {},
            "form": form or {},
            "flash": message,
            "flash_kind": ("error" if flash else "success") if message else "",
        },
        status_code=status_code,
    )


@router.get("/admin/sites", include_in_schema=False)
async def sites(request: Request, user: Admin, db: SessionDep) -> Response:
    """Sites by province with beds, daily intake and occupancy; each site's capacity can be changed."""
    return _sites_page(request, user, db)


def _number(form: dict[str, str], key: str, errors: dict[str, str], prefix: str = "") -> int | None:
    """A capacity figure from field ``prefix + key`` (0 to 100000), else an error on that field."""
    raw = form.get(prefix + key, "")
    if raw.isdigit() and int(raw) <= 100_000:
        return int(raw)
    errors[prefix + key] = SITE_PROBLEMS[key]
    return None


@router.post("/admin/sites", include_in_schema=False)
async def create_site(request: Request, user: Admin, db: SessionDep) -> Response:
    """Open a reception site in a province."""
    form = _form(await request.form())
    form["code"] = form.get("code", "").upper()
    errors: dict[str, str] = {}
    beds, intake = _number(form, "beds", errors), _number(form, "daily_intake", errors)
    if not errors:
        try:
            services.create_site(db, user, {"code": form["code"], "name": form.get("name", ""),
                                            "province": form.get("province", ""), "beds": beds,
                                            "daily_intake": intake})
        except services.Conflict:
            errors["code"] = CODE_TAKEN
        except services.InvalidInput as err:
            errors.update({p.field: SITE_PROBLEMS.get(p.field, p.message) for p in err.problems})
    if errors:
        return _sites_page(request, user, db, errors=errors, form=form, status_code=422)
    return RedirectResponse("/admin/sites?done=site", status_code=303)


@router.post("/admin/sites/{site_id}", include_in_schema=False)
async def set_capacity(request: Request, site_id: int, user: Admin, db: SessionDep) -> Response:
    """Set one site's beds and daily intake, and open or close it."""
    form = _form(await request.form())
    errors: dict[str, str] = {}
    prefix = f"site-{site_id}-"
    beds, intake = _number(form, "beds", errors, prefix), _number(form, "daily_intake", errors, prefix)
    if errors:
        return _sites_page(request, user, db, errors=errors, status_code=422)
    try:
        services.update_site_capacity(db, user, site_id, beds=beds, daily_intake=intake,
                                      active=form.get("active") == "yes")
    except services.NotFound:
        return _sites_page(request, user, db, flash=N_("No site has this number."), status_code=404)
    return RedirectResponse(f"/admin/sites?done=capacity#site-{site_id}", status_code=303)
