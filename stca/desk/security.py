"""Passwords (argon2id), session tokens, CSRF tokens and the HTTP security headers.

Why argon2id: it is the OWASP-recommended memory-hard password hash; ``argon2-cffi`` also tells us
when a stored hash uses outdated parameters so it can be re-hashed at the next login. Each hash takes
tens of milliseconds of CPU and 64 MiB, so callers in the server run it through :func:`off_loop`: on
worker threads, at most :data:`HASHING_THREADS` at a time, never on the event loop that answers
``/healthz`` and every other request (ASVS V2.4, and issue 12 finding 3).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import anyio
import anyio.to_thread
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_HASHER = PasswordHasher()

MIN_PASSWORD_LENGTH = 8
#: A fixed hash checked when the username is unknown, so a login takes as long either way.
_DUMMY_HASH = _HASHER.hash("not-a-real-password")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted, with parameters embedded)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash`` (constant work even without a user)."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    """Whether the hash was made with weaker parameters than today's defaults."""
    return _HASHER.check_needs_rehash(stored_hash)


#: Password hashes computed at once; more wait their turn instead of starving the server's other threads.
HASHING_THREADS = 2
_HASHING: anyio.CapacityLimiter | None = None

_P = ParamSpec("_P")
_T = TypeVar("_T")


async def off_loop(func: Callable[_P, _T], *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """Run ``func`` (a login or a password change: argon2 inside) on a worker thread, at most
    :data:`HASHING_THREADS` at a time, so the event loop stays free."""
    global _HASHING
    if _HASHING is None:  # created lazily: a limiter belongs to the running event loop's library
        _HASHING = anyio.CapacityLimiter(HASHING_THREADS)
    return await anyio.to_thread.run_sync(lambda: func(*args, **kwargs), limiter=_HASHING)


def new_session_token() -> str:
    """The random secret a session cookie carries (256 bits)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps of a session token: its SHA-256, so reading the table logs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_csrf_token() -> str:
    """A random token kept in the session and echoed by every state-changing form or API call."""
    return secrets.token_urlsafe(32)


def same_token(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of two tokens; a missing one never matches."""
    if not expected or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


#: Content-Security-Policy of every response (OWASP ASVS V14.4): scripts, styles and everything else
#: only from the desk itself, no inline script or style and no ``eval`` (htmx runs with
#: ``allowEval: false``), no plug-ins, no framing (clickjacking), forms post only to the desk.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))

#: Headers added to every response.
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}

#: Sent when the desk runs behind TLS (``Settings.cookie_secure``): browsers then refuse plain HTTP to it
#: for a year (ASVS V14.4.5). Never on plain HTTP on loopback, where it would be meaningless.
STRICT_TRANSPORT_SECURITY = "max-age=31536000"

#: Responses that may hold personal data are never stored by the browser or a proxy (ASVS V8.2.1).
NO_STORE = "no-store"
