"""Sign in, sign out, and the start page that sends each role where its work is.

The session itself (signed cookie, CSRF token, who is logged in) is ``stca.desk.deps``'s; this
module is only the HTML form around ``deps.sign_in`` and ``deps.login``.
"""

from __future__ import annotations

from fastapi import Request
from starlette.responses import RedirectResponse, Response

from stca.desk import deps
from stca.desk.deps import CsrfProtect, CurrentUser, OptionalUser, Public, SessionDep
from stca.desk.web import _session
from stca.desk.web._i18n import N_
from stca.desk.web._render import render
from stca.desk.web._router import router

#: The first page of each role after signing in.
HOME_BY_ROLE = {
    "intake_officer": "/interview",
    "eligibility_officer": "/cases",
    "supervisor": "/cases",
    "analyst": "/analyst",
    "admin": "/admin/users",
}


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths may be followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//") and not target.startswith("/login"):
        return target
    return None


@router.get("/", include_in_schema=False, dependencies=[Public])
async def start(user: OptionalUser) -> Response:
    """Officers go to their work; visitors to the public check page."""
    return RedirectResponse(HOME_BY_ROLE.get(user.role, "/check") if user else "/check", status_code=303)


@router.get("/login", include_in_schema=False, dependencies=[Public])
async def login_form(request: Request, user: OptionalUser) -> Response:
    """The sign-in form (``?next=`` keeps the page the officer asked for)."""
    return render(
        request,
        "login.html",
        {
            **_session.page_context(request, user),
            "next": _safe_next(request.query_params.get("next")) or "",
            "errors": {},
            "username": "",
        },
    )


@router.post("/login", include_in_schema=False, dependencies=[Public, CsrfProtect])
async def login_submit(request: Request, db: SessionDep) -> Response:
    """Check the password (argon2 off the event loop, throttled: ``deps.sign_in``) and start a fresh session."""
    form = await request.form()
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or ""))
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = N_("Enter your user name.")
    if not password:
        errors["password"] = N_("Enter your password.")
    user = await deps.sign_in(request, db, username, password) if not errors else None
    if user is None:
        errors.setdefault("password", N_("The user name or password is not correct."))
        return render(
            request,
            "login.html",
            {
                **_session.page_context(request, None),
                "next": target or "",
                "errors": errors,
                "username": username,
            },
            status_code=401,
        )
    deps.login(request, db, user)
    return RedirectResponse(target or HOME_BY_ROLE.get(user.role, "/cases"), status_code=303)


@router.post("/logout", include_in_schema=False)
async def logout(request: Request, user: CurrentUser, db: SessionDep) -> Response:
    """End the session (the CSRF token is checked by ``CurrentUser`` so no site can sign you out)."""
    deps.logout(request, db)
    return RedirectResponse("/login", status_code=303)
