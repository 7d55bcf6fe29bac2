"""Jinja2 rendering of the desk pages, one environment per language.

Why one environment per language: Jinja's i18n extension binds ``_``/``gettext`` to an environment;
two small cached environments are simpler and faster than re-installing translations per request.
Every page receives ``lang``, ``toggle_url`` (same page, other language) and ``user``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from stca.desk.web._i18n import LANG_COOKIE, N_, choose_language, gettext_for, other_language, toggle_url
from stca.desk.web._labels import GLOBALS, SHORT_RESULTS, label

TEMPLATE_DIR = Path(__file__).parent / "templates"
#: Civil time the pages show instants in (the desk's zone; most STCA claims are made in QC/ON).
DESK_ZONE = ZoneInfo("America/Toronto")


@functools.cache
def environment(lang: str) -> Environment:
    """The Jinja environment whose ``_`` translates into ``lang``."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(gettext_for(lang), newstyle=True)  # type: ignore[attr-defined]
    # ``_("literal")`` returns markup (Jinja trusts its own message catalog); a variable is translated
    # with ``| t``, which returns plain text that autoescape escapes: a site or person named
    # ``<img src=x onerror=…>`` stays text (tests/desk/test_security.py checks every template).
    env.filters["t"] = gettext_for(lang).gettext
    env.globals.update(GLOBALS)
    env.globals["N_"] = N_
    env.globals["nav_items"] = nav_items
    env.filters["datetime"] = functools.partial(_format_datetime, lang=lang)
    env.filters["number"] = functools.partial(_format_number, lang=lang)
    env.filters["fact"] = _format_fact
    env.filters["day"] = functools.partial(format_day, lang=lang)
    # French typography: a narrow no-break space before the colon (Office québécois de la langue française).
    env.globals["colon"] = "\u202f:" if lang == "fr" else ":"
    env.globals["cite"] = functools.partial(cite, lang=lang)
    env.globals["status_reason"] = functools.partial(status_reason, lang=lang)
    return env


#: Reasons the desk itself writes on a status change, in words.
_SYSTEM_REASONS = {"intake": N_("Case recorded"), "facts changed": N_("Facts recorded (new version)")}
_DETERMINED = re.compile(r"^(BARRED|NOT_BARRED|NOT_APPLICABLE) \((.*)\)$")


def status_reason(reason: str, *, lang: str) -> str:
    """A status change's reason: the desk's own ("intake", "BARRED (IRPR 159.3)") in the page's
    language; an officer's reason as written."""
    if reason in _SYSTEM_REASONS:
        return translate(lang, _SYSTEM_REASONS[reason])
    match = _DETERMINED.match(reason)
    if match:
        return f"{translate(lang, label(SHORT_RESULTS, match.group(1)))} ({cite(match.group(2), lang=lang)})"
    return reason


#: Names of the Canadian statutes in French citations (Loi sur l'immigration et la protection des
#: réfugiés, Règlement sur l'immigration et la protection des réfugiés).
_FRENCH_CITATIONS = (("IRPR", "RIPR"), ("IRPA", "LIPR"))


def cite(citation: object, *, lang: str) -> str:
    """A provision as cited in ``lang``: "IRPR 159.5(b)" is "RIPR 159.5(b)" in French."""
    text = "" if citation is None else str(citation)
    if lang == "fr":
        for english, french in _FRENCH_CITATIONS:
            text = re.sub(rf"\b{english}\b", french, text)
    return text


def format_day(value: Any, *, lang: str) -> str:
    """A calendar date as the locale writes it: "10 June 2023" / "10 juin 2023"."""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value[:10])
        except ValueError:
            return value
    if isinstance(value, dt.datetime):
        value = value.astimezone(DESK_ZONE).date() if value.tzinfo else value.date()
    if isinstance(value, dt.date):
        return babel_dates.format_date(value, format="long", locale="fr_CA" if lang == "fr" else "en_CA")
    return "" if value is None else str(value)


#: The navigation bar: (path, English label, roles that may open it; None = everyone).
NAV: tuple[tuple[str, str, frozenset[str] | None], ...] = (
    ("/interview", N_("Interview"), frozenset({"intake_officer", "eligibility_officer", "supervisor"})),
    ("/cases", N_("Cases"), frozenset({"intake_officer", "eligibility_officer", "supervisor"})),
    (
        "/capacity",
        N_("Reception capacity"),
        frozenset({"intake_officer", "eligibility_officer", "supervisor", "analyst", "admin"}),
    ),
    ("/analyst", N_("Analysis"), frozenset({"analyst", "supervisor"})),
    ("/admin/users", N_("Accounts"), frozenset({"admin"})),
    ("/admin/sites", N_("Sites and capacity"), frozenset({"admin"})),
    ("/check", N_("Check a case"), None),
)


def nav_items(user: Any) -> list[tuple[str, str]]:
    """The menu entries this user may open (mirrors the audiences declared in ``stca.desk.deps``)."""
    role = getattr(user, "role", None)
    return [(href, label) for href, label, roles in NAV if roles is None or role in roles]


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    lang: str | None = None,
) -> HTMLResponse:
    """Render ``template`` in the request's language; remember an explicit ``?lang=`` in a cookie."""
    language = lang or choose_language(request)
    values: dict[str, Any] = {
        "request": request,
        "lang": language,
        "other_lang": other_language(language),
        "toggle_url": toggle_url(request, language),
        "user": None,
        "csrf_token": "",
    }
    values.update(context or {})
    html = environment(language).get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    if request.query_params.get("lang") == language:
        response.set_cookie(LANG_COOKIE, language, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def translate(lang: str, message: str) -> str:
    """Translate one message in Python code (flash messages, chart labels)."""
    return gettext_for(lang).gettext(message)


#: Eastern time in French (heure avancée / heure normale de l'Est).
_FRENCH_ZONES = {"EDT": "HAE", "EST": "HNE"}


def _format_datetime(value: Any, *, lang: str = "en") -> str:
    """Instants in the desk's civil time (America/Toronto, where most claims are made), with the zone."""
    if isinstance(value, dt.datetime):
        local = value.astimezone(DESK_ZONE) if value.tzinfo else value
        zone = local.strftime("%Z")
        if lang == "fr":
            return f"{local.strftime('%Y-%m-%d %H h %M')} {_FRENCH_ZONES.get(zone, zone)}".strip()
        return local.strftime("%Y-%m-%d %H:%M %Z").strip()
    return "" if value is None else str(value)


def _format_fact(value: Any) -> str:
    """A stored fact value as an officer reads it (lists joined, family members one per line)."""
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return "; ".join(
                ", ".join(
                    str(v)
                    for k, v in m.items()
                    if k in ("relationship", "location", "ca_status", "us_status", "age_years")
                )
                for m in value
            )
        return ", ".join(str(v) for v in value)
    return str(value)


def _format_number(value: Any, *, lang: str) -> str:
    if not isinstance(value, int | float):
        return str(value)
    text = f"{value:,.0f}" if isinstance(value, int) or value == int(value) else f"{value:,.1f}"
    return text.replace(",", "\u202f") if lang == "fr" else text
