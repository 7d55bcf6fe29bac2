"""Run the case desk as a real uvicorn server for the browser tests: ``python _serve.py DB_URL FD [TTL]``.

FD is a listening socket the test process bound and passed down (``pass_fds``). ``TTL`` (seconds)
shortens the session's lifetime, to test what the officer sees when it ends.

A separate process (not a thread) so the browser talks to the app exactly as in production: over
TCP, through the session middleware, with the server's own event loop.
"""

from __future__ import annotations

import socket
import sys

import uvicorn

from stca.desk.app import create_app
from stca.desk.config import Settings


def main() -> None:
    database_url, fd = sys.argv[1], int(sys.argv[2])
    # TTL: the idle timeout (a session unused that long ends). Plain HTTP on loopback: the one case
    # where the session cookie may go without "Secure".
    extra = {"session_idle_seconds": int(sys.argv[3])} if len(sys.argv) > 3 else {}
    settings = Settings(database_url=database_url, secret_key="browser-tests-" + "k" * 32, cookie_secure=False,
                        **extra)
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
    server.run(sockets=[socket.socket(fileno=fd)])


if __name__ == "__main__":
    main()
