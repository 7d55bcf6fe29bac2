"""The JSON API under ``/api/v1`` (documented at ``/openapi.json``) and ``/healthz``."""

from __future__ import annotations

from fastapi import APIRouter

from stca.desk.api import _admin, _auth, _cases, _public

router = APIRouter()
for _module in (_public, _auth, _cases, _admin):
    router.include_router(_module.router)

__all__ = ["router"]
