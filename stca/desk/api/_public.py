"""Routes anyone may call: contract §2 determinations over HTTP, and health.

Why anonymous: legal clinics and NGOs check a claim before it reaches the desk; nothing is stored
and no personal data is needed (facts only), so a login would add friction and no protection.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, HTTPException, Query, Request

from stca.desk import services
from stca.desk.db import database_ok
from stca.desk.deps import Public, client_address
from stca.law import facts_json_schema

router = APIRouter()
#: The body: one case's facts (the law's own JSON Schema, docs/facts.md) or an array of them.
_BODY_SCHEMA = {"oneOf": [facts_json_schema(), {"type": "array", "items": facts_json_schema()}]}

_FACTS_EXAMPLE = {"entry_place": "LAND_POE", "entry_local_date": "2024-05-01", "claim_local_date": "2024-05-01",
                  "nationalities": ["CO"]}


@router.post(
    "/api/v1/determinations",
    dependencies=[Public],
    tags=["determinations"],
    summary="Decide one case (JSON object) or many (JSON array)",
    responses={422: {"description": "A fact is missing, of the wrong type or impossible; `problems` names it."},
               413: {"description": "The body or the array is too large (`Settings.max_body_bytes`, "
                                    "`Settings.max_cases_per_request`)."},
               429: {"description": "Too many requests or cases from this address; see `Retry-After`."}},
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": _BODY_SCHEMA}}}},
)
def post_determinations(
    request: Request,
    payload: Annotated[Any, Body(examples=[_FACTS_EXAMPLE, [_FACTS_EXAMPLE]])],
    lang: Annotated[str, Query(pattern="^(en|fr)$", description="Language of reasons and explanation")] = "en",
    policy: Annotated[str, Query(description="law, no-agreement, pre-protocol, whole-border, suspended, "
                                             "window-days=N")] = "law",
    could_change: Annotated[bool, Query(description="Also list the facts left at their default that would "
                                                    "change stca_result if established otherwise")] = False,
) -> Any:
    """Facts of law.md §4 in, the determination of contract.md §2 out (an array for an array).

    A missing key or ``null`` takes the default of cases.yaml. Nothing is stored. An array holds at most
    ``Settings.max_cases_per_request`` cases, and each address may have
    ``Settings.public_cases_per_minute`` cases decided a minute.
    """
    settings = request.app.state.settings
    cases = len(payload) if isinstance(payload, list) else 1
    if cases > settings.max_cases_per_request:
        raise HTTPException(413, f"at most {settings.max_cases_per_request} cases per request (this array has "
                                 f"{cases}); send the rest in further requests")
    request.app.state.throttle.public_cases(client_address(request), cases)
    return services.check_facts(payload, policy=policy, lang=lang, could_change=could_change)


@router.get("/healthz", dependencies=[Public], tags=["health"])
def healthz(request: Request) -> dict[str, str]:
    """``ok`` when the service runs; ``database`` says whether the database answers."""
    db_ok = database_ok(request.app.state.engine)
    return {"status": "ok", "database": "ok" if db_ok else "unavailable"}
