"""A browser that goes away in the middle of a form post is not an error of the desk.

The CSRF check reads the form body of every unsafe page request; if the client closes the
connection first, Starlette raises ``ClientDisconnect``. The desk must answer it quietly (an INFO
line, no traceback, no "unexpected error"), over a real socket to the real server.
"""

from __future__ import annotations

import logging
import socket
import threading
from urllib.parse import urlsplit

import pytest

from .conftest import Desk


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.disconnect_logged = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
        if "client disconnected" in record.getMessage():
            self.disconnect_logged.set()


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
        with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
            # "Expect: 100-continue": the server answers "100 Continue" when the app starts reading the
            # body — the moment to hang up with the body half sent.
            sock.sendall((
                f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\nCookie: {cookie}\r\n"
                "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n"
                "Expect: 100-continue\r\n\r\n"
            ).encode())
            assert sock.recv(1024).startswith(b"HTTP/1.1 100 Continue")
            sock.sendall(b"csrf_token=abc&entry_place=LAND_POE")
        assert records.disconnect_logged.wait(timeout=10), [r.getMessage() for r in records.records]
        # One more request through the same event loop: by its answer the cut request's handler has run on
        # to its end, so anything it logs after the disconnect (a re-raised exception) is recorded by now.
        assert client.get("/healthz").status_code == 200
    finally:
        for lg, level in zip(loggers, old_levels, strict=True):
            lg.removeHandler(records)
            lg.setLevel(level)
    noisy = [r.getMessage() for r in records.records if r.levelno >= logging.WARNING or r.exc_info]
    assert noisy == []
