"""Serve the dashboard (or any ASGI app) with uvicorn on a socket bound up front.

Binding first lets callers print the real URL before serving (port 0 picks a free port) and
lets :class:`BackgroundServer` run next to code that already owns the main thread: the demo,
notebooks, tests."""

from __future__ import annotations

import socket
import threading
import time
from types import TracebackType

import uvicorn
from starlette.types import ASGIApp


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``; port 0 picks a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def socket_url(sock: socket.socket) -> str:
    """``http://host:port`` of a bound socket (IPv6 hosts in brackets)."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def uvicorn_server(app: ASGIApp) -> uvicorn.Server:
    """Quiet uvicorn: the dashboard's own output is the URL it prints."""
    return uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))


class BackgroundServer:
    """``with BackgroundServer(app) as server: print(server.url)``; stops on exit."""

    def __init__(
        self, app: ASGIApp, *, host: str = "127.0.0.1", port: int = 0, startup_timeout: float = 10
    ) -> None:
        self._socket = bind_socket(host, port)
        self._server = uvicorn_server(app)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._startup_timeout = startup_timeout
        self.url = socket_url(self._socket)

    def start(self) -> None:
        """Start serving; return once uvicorn accepts connections, or raise if it gave up."""
        self._thread.start()
        deadline = time.monotonic() + self._startup_timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the dashboard could not start on {self.url}")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join()
        self._socket.close()

    def __enter__(self) -> BackgroundServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
