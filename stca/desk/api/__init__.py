"""The JSON API under ``/api/v1`` (documented at ``/openapi.json``) and ``/healthz``."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from stca.desk.api import _admin, _auth, _cases, _public
from stca.desk.api._errors import ERROR_RESPONSES
from stca.desk.api._params import reject_nul

router = APIRouter(dependencies=[Depends(reject_nul)])
for _module in (_public, _auth, _cases, _admin):
    router.include_router(_module.router, responses=ERROR_RESPONSES)

__all__ = ["router"]
