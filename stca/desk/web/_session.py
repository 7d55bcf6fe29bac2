"""What every page needs from the session: the user, the CSRF token and the language.

Authentication, roles and the CSRF check itself belong to ``stca.desk.deps`` (the pages declare
their audience with its markers, so the route × role table covers pages and API alike); this module
only gathers the values templates show.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from stca.desk.deps import csrf_token
from stca.desk.services import UserView
from stca.desk.web._i18n import choose_language


def page_context(request: Request, user: UserView | None) -> dict[str, Any]:
    """Template values shared by every page: the signed-in user and the session's CSRF token."""
    return {"user": user, "csrf_token": csrf_token(request)}


def language(request: Request) -> str:
    """The page language of this request ("en" or "fr")."""
    return choose_language(request)
