"""Bounded integer parameters: an id or offset beyond ``MAX_ID`` is a 422 naming the parameter, never a 500."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Path, Query, Request

from stca.desk.services._errors import InvalidInput, dotted
from stca.desk.services._schemas import MAX_ID

__all__ = ["MAX_ID", "Offset", "PathId", "QueryId", "reject_nul"]

PathId = Annotated[int, Path(ge=1, le=MAX_ID, description="a positive id (at most 2³¹ − 1)")]
QueryId = Annotated[int | None, Query(ge=1, le=MAX_ID, description="a positive id (at most 2³¹ − 1)")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="rows to skip (at most 2³¹ − 1)")]

NUL_MESSAGE = "must not contain the NUL character (\\u0000)"


async def reject_nul(request: Request) -> None:
    """Refuse a NUL character anywhere in the query or the JSON body, naming the parameter or field.

    Why at the door: no text the desk keeps contains one, PostgreSQL cannot store one, and a check here
    covers every route (the login name included) before any query runs.
    """
    for name, value in request.query_params.multi_items():
        if "\x00" in name or "\x00" in value:
            raise InvalidInput.one(name.replace("\x00", "\\u0000"), NUL_MESSAGE)
    if "json" not in request.headers.get("content-type", ""):
        return
    body = await request.body()
    if b"\\u0000" not in body:
        return
    try:
        data = json.loads(body)
    except ValueError:
        return  # FastAPI answers the syntax error itself
    where = _nul_at(data, ())
    if where is not None:
        raise InvalidInput.one(dotted(where) or "body", NUL_MESSAGE)


def _nul_at(value: Any, where: tuple[str | int, ...]) -> tuple[str | int, ...] | None:
    if isinstance(value, str):
        return where if "\x00" in value else None
    items: Any = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return (*where, key.replace("\x00", "\\u0000"))
        found = _nul_at(item, (*where, key))
        if found is not None:
            return found
    return None
