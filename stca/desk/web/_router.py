"""The one ``APIRouter`` every page module registers on (flat, so route tables list each page)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
