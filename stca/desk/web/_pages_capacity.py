"""Reception capacity: beds and occupancy per province and site, and transfers between provinces.

Occupancy is what the service layer counts from open cases placed in each site; this page only
shows it (table + SVG chart with the same numbers) and records transfers through
``services.transfer_case`` (or ``assign_site`` for a first placement).
"""

from __future__ import annotations

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from stca.desk import services
from stca.desk.deps import CapacityViewer, Placer, SessionDep
from stca.desk.domain import Role
from stca.desk.services import UserView
from stca.desk.web import _session
from stca.desk.web._charts import Series, bar_chart, legend
from stca.desk.web._i18n import N_
from stca.desk.web._render import render, translate
from stca.desk.web._router import router

CHART_TITLE = N_("Occupied beds and today's intake by province")
#: Who may record transfers (``deps.Placer``); the form is shown only to them.
TRANSFER_ROLES = (Role.INTAKE_OFFICER, Role.SUPERVISOR)


def _page(
    request: Request,
    user: UserView,
    db: Session,
    *,
    flash: str = "",
    flash_kind: str = "",
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    lang = _session.language(request)
    provinces = [p for p in services.capacity_by_province(db) if p.sites]
    sites = services.list_sites(db)
    transfers = services.list_transfers(
        db, limit=20, scope=None if user.role in ("analyst", "admin") else user)  # they see no references
    beds = sum(p.beds for p in provinces)
    occupied = sum(p.occupied for p in provinces)
    occupied_label, intake_label = translate(lang, "Occupied beds"), translate(lang, "Intake today")
    series = [
        Series(occupied_label, [p.occupied for p in provinces], "#26374a"),
        Series(intake_label, [p.intake_today for p in provinces], "#2b8a8a"),
    ]
    chart = bar_chart(translate(lang, CHART_TITLE), [p.province for p in provinces], series)
    return render(
        request,
        "capacity.html",
        {
            **_session.page_context(request, user),
            "provinces": provinces,
            "sites": sorted(sites, key=lambda s: (s.province, s.name)),
            "transfers": transfers,
            "beds": beds,
            "occupied": occupied,
            "rate": occupied / beds if beds else 0.0,
            "chart": chart,
            "legend": legend(series),
            "can_transfer": user.role in TRANSFER_ROLES,
            "show_references": user.role in TRANSFER_ROLES or user.role == Role.ELIGIBILITY_OFFICER,
            "errors": errors or {},
            "form": form or {},
            "flash": flash,
            "flash_kind": flash_kind,
        },
        status_code=status_code,
    )


@router.get("/capacity", include_in_schema=False)
async def capacity(request: Request, user: CapacityViewer, db: SessionDep) -> Response:
    """The capacity dashboard."""
    done = request.query_params.get("done") == "transfer"
    return _page(
        request,
        user,
        db,
        flash=N_("Transfer recorded.") if done else "",
        flash_kind="success" if done else "",
    )


@router.post("/capacity/transfer", include_in_schema=False)
async def record_transfer(request: Request, user: Placer, db: SessionDep) -> Response:
    """Move a case to another site (first placement when it has none yet)."""
    form = {k: str(v).strip() for k, v in (await request.form()).items() if k != "csrf_token"}
    errors: dict[str, str] = {}
    if not form.get("case_reference"):
        errors["case_reference"] = N_("Enter the case reference, e.g. 2024-QC-000012.")
    if not form.get("to_site_id", "").isdigit():
        errors["to_site_id"] = N_("Choose the receiving site.")
    if not form.get("reason"):
        errors["reason"] = N_("Give the reason for the transfer.")
    if errors:
        return _page(request, user, db, errors=errors, form=form, status_code=422)
    try:
        case = services.get_case_by_reference(db, form["case_reference"].upper())
        site_id = int(form["to_site_id"])
        if case.site is None:
            services.assign_site(db, user, case.id, site_id)
        else:
            services.transfer_case(db, user, case.id, to_site_id=site_id, reason=form["reason"])
    except services.NotFound:
        return _page(
            request,
            user,
            db,
            errors={"case_reference": N_("No case has this reference.")},
            form=form,
            status_code=404,
        )
    except services.InvalidInput as err:
        mapped = {"to_site_id" if "site" in p.field else p.field: p.message for p in err.problems}
        return _page(request, user, db, errors=mapped, form=form, status_code=422)
    except services.ServiceError as err:
        return _page(
            request, user, db, flash=err.message, flash_kind="error", form=form, status_code=err.status_code
        )
    return RedirectResponse("/capacity?done=transfer", status_code=303)
