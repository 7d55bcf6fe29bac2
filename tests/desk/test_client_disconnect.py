"""A browser that goes away in the middle of a form post is not an error of the desk.

The CSRF check reads the form body of every unsafe page request; if the client closes the
connection first, Starlette raises ``ClientDisconnect``. The desk must answer it quietly (an INFO
line, no traceback, no "unexpected error"), over a real socket to the real server.
"""

from __future__ import annotations

import logging
import socket
import time
from urllib.parse import urlsplit

import pytest

from .conftest import Desk


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.parametrize("path", ["/interview", "/check"])
def test_a_form_post_cut_short_is_logged_quietly(desk: Desk, path: str) -> None:
    client = desk.as_role("intake_officer")
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    records = _Records()
    loggers = [logging.getLogger(name) for name in ("stca.desk", "uvicorn.error", "uvicorn")]
    old_levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(records)
        lg.setLevel(logging.INFO)
    try:
        url = urlsplit(desk.base_url)
        with socket.create_connection((url.hostname, url.port), timeout=5) as sock:
            sock.sendall((
                f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\nCookie: {cookie}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n\r\n"
                "csrf_token=abc&entry_place=LAND_POE"
            ).encode())
            time.sleep(0.2)  # let the server start reading the body, then hang up
        deadline = time.monotonic() + 10
        while not any("client disconnected" in r.getMessage() for r in records.records):
            assert time.monotonic() < deadline, [r.getMessage() for r in records.records]
            time.sleep(0.05)
        time.sleep(0.2)  # anything logged after the answer (a re-raised exception) would show now
    finally:
        for lg, level in zip(loggers, old_levels, strict=True):
            lg.removeHandler(records)
            lg.setLevel(level)
    noisy = [r.getMessage() for r in records.records if r.levelno >= logging.WARNING or r.exc_info]
    assert noisy == []
