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
    """Template values shared by every page: the signed-in user, the session's CSRF token and, for a
    signed-in user, how long the session lasts without activity (the page warns before it ends)."""
    return {"user": user, "csrf_token": csrf_token(request), "session_ttl": session_ttl(request) if user else 0}


def session_ttl(request: Request) -> int:
    """Seconds a session survives without a request (the idle timeout, else the cookie's lifetime)."""
    settings = getattr(request.app.state, "settings", None)
    for name in ("session_idle_seconds", "session_idle_timeout_seconds", "session_max_age_seconds"):
        value = getattr(settings, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return 0


def language(request: Request) -> str:
    """The page language of this request ("en" or "fr")."""
    return choose_language(request)
