"""English and French for the desk pages, through Babel gettext catalogs.

Why compile in memory: the ``.po`` source is the only committed catalog, so a fresh install (wheel,
editable, read-only site-packages) always has French without a build step and without writing
``.mo`` files next to the code. Compiling the few hundred messages takes a few milliseconds once per
process.

Language choice, in order: an explicit ``?lang=`` on the URL (which also sets a cookie so the next
page keeps it), the ``stca_lang`` cookie, the browser's ``Accept-Language``, then English.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path
from urllib.parse import urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.requests import Request

LANGUAGES: tuple[str, ...] = ("en", "fr")
DEFAULT_LANGUAGE = "en"
LANG_COOKIE = "stca_lang"
LOCALE_DIR = Path(__file__).parent / "locale"


def N_(message: str) -> str:
    """Mark a message for extraction without translating it now (translated when rendered)."""
    return message


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog for ``lang`` (English is the source language: identity)."""
    po_path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT_LANGUAGE or not po_path.exists():
        return gettext.NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: str) -> gettext.NullTranslations:
    """Translations object for a supported language (unknown codes fall back to English)."""
    return translations(lang if lang in LANGUAGES else DEFAULT_LANGUAGE)


def choose_language(request: Request) -> str:
    """The language of this request's page (see the module docstring for the order)."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def other_language(lang: str) -> str:
    """The language the toggle switches to."""
    return "fr" if lang == "en" else "en"


def toggle_url(
    request: Request, lang: str, *, path: str | None = None, extra: dict[str, str] | None = None
) -> str:
    """The current page's URL in the other language (keeps the path and every other query value).

    ``path``/``extra`` name the page to re-open when the current URL does not (after a form post,
    the interview re-opens its draft by token).
    """
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang" and k not in (extra or {})]
    params.extend((extra or {}).items())
    params.append(("lang", other_language(lang)))
    return f"{path or request.url.path}?{urlencode(params)}"
