"""The error body every refusal of the API carries, as the OpenAPI document declares it.

Why declared once for every route: ``stca.desk.app`` turns every refusal — bad field, wrong state,
missing login, unknown id — into the same ``{detail, problems}`` JSON; the document must say so, so
clients (and schemathesis in the test suite) can rely on it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Problem(BaseModel):
    """One bad field (dotted path such as ``family_members[0].name``) and what was expected."""

    field: str
    message: str


class ErrorBody(BaseModel):
    """Every 4xx and 5xx answer: a sentence for people and the fields at fault."""

    detail: str
    problems: list[Problem]


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("The request could not be read (the client went away mid-request)."),
    401: _error("Not logged in (or wrong credentials at login)."),
    403: _error("This role may not do this, or the CSRF token is missing or wrong."),
    404: _error("No such case, determination, review, site or account."),
    409: _error("Valid, but the current state forbids it (e.g. a reused Idempotency-Key, a full site)."),
    422: _error("A field is missing, malformed or out of range; `problems` names each one."),
}
"""Responses added to every API route (``stca.desk.api.router``)."""
