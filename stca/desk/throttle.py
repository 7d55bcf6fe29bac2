"""Rate limits: failed logins per account and per client address, and requests to the public routes.

Why the ``limits`` library: moving-window counters with a pluggable store are easy to get subtly
wrong; ``limits`` (the engine of ``slowapi``) keeps them in memory for one process or in Redis for
several workers (``Settings.rate_limit_storage``). Every refusal says when to come back: HTTP 429
with ``Retry-After`` in seconds (RFC 9110 §10.2.3).

OWASP ASVS V2.2.1: a wrong password counts against the account *and* against the client address, so
guessing one account's password from many addresses, or many accounts' passwords from one address,
both stop; while an account or address is held, even the right password is refused, so guessing
cannot go on in the background.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerMinute, RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from stca.desk.config import Settings


class TooManyRequests(Exception):
    """Over a limit: answered 429 with ``Retry-After`` (``stca.desk.app``)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = max(1, retry_after)


@dataclass
class Throttle:
    """The desk's counters (one per application, built from its settings)."""

    limiter: MovingWindowRateLimiter
    per_account: RateLimitItem
    per_client: RateLimitItem
    public_requests: RateLimitItem
    case_rate: RateLimitItem

    @classmethod
    def from_settings(cls, settings: Settings) -> Throttle:
        window = settings.login_window_seconds
        return cls(
            limiter=MovingWindowRateLimiter(storage_from_string(settings.rate_limit_storage)),
            per_account=RateLimitItemPerSecond(settings.login_failures_per_account, window),
            per_client=RateLimitItemPerSecond(settings.login_failures_per_client, window),
            public_requests=RateLimitItemPerMinute(settings.public_requests_per_minute),
            case_rate=RateLimitItemPerMinute(settings.public_cases_per_minute),
        )

    def _retry_after(self, item: RateLimitItem, *keys: str) -> int:
        reset = self.limiter.get_window_stats(item, *keys).reset_time
        return math.ceil(reset - time.time())

    def check_login(self, username: str, client: str) -> None:
        """Refuse a login attempt while the account or the client address is held."""
        account = username.strip().lower()
        for item, keys, who in ((self.per_account, ("login-account", account), "this account"),
                                (self.per_client, ("login-client", client), "this address")):
            if not self.limiter.test(item, *keys):
                wait = self._retry_after(item, *keys)
                raise TooManyRequests(f"too many failed sign-ins for {who}; try again in {wait} seconds", wait)

    def login_failed(self, username: str, client: str) -> None:
        """Count one wrong password (or unknown account) against both."""
        self.limiter.hit(self.per_account, "login-account", username.strip().lower())
        self.limiter.hit(self.per_client, "login-client", client)

    def login_succeeded(self, username: str) -> None:
        """The account's own count starts again (the address's does not: it may be guessing others)."""
        self.limiter.clear(self.per_account, "login-account", username.strip().lower())

    def public_request(self, client: str) -> None:
        """Count one request to a public route; refuse beyond the per-minute limit."""
        if not self.limiter.hit(self.public_requests, "public", client):
            wait = self._retry_after(self.public_requests, "public", client)
            raise TooManyRequests(
                f"too many requests from this address (at most {self.public_requests.amount} a minute); "
                f"try again in {wait} seconds", wait)

    def public_cases(self, client: str, cases: int) -> None:
        """Count ``cases`` determinations asked for anonymously; refuse beyond the per-minute limit."""
        if not self.limiter.hit(self.case_rate, "cases", client, cost=cases):
            wait = self._retry_after(self.case_rate, "cases", client)
            raise TooManyRequests(
                f"too many cases decided for this address (at most {self.case_rate.amount} a minute); "
                f"try again in {wait} seconds", wait)
