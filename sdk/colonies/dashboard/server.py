"""Serve the dashboard (or any ASGI app) with uvicorn on a socket bound up front.

Binding first lets callers print the real URL before serving (port 0 picks a free port).
:func:`serve_in_background` runs the server on the caller's event loop for the duration of an
``async with`` block, for programs that do other things meanwhile (the demo, tests)."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
from collections.abc import AsyncIterator, Iterator

import uvicorn
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp

#: Host names a browser uses for a dashboard listening on loopback.
_LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"]


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` keeps the dashboard on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def loopback_guard(app: ASGIApp, host: str) -> ASGIApp:
    """On a loopback address, answer only requests addressed to a loopback name, so a web
    page cannot read the dashboard through DNS rebinding. Other addresses pass through."""
    if not is_loopback(host):
        return app
    return TrustedHostMiddleware(app, allowed_hosts=_LOOPBACK_NAMES)


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


def uvicorn_config(app: ASGIApp, host: str) -> uvicorn.Config:
    """Quiet uvicorn (the dashboard's own output is the URL it prints) serving ``app`` behind
    :func:`loopback_guard` for the address it listens on."""
    guarded = loopback_guard(app, host)
    return uvicorn.Config(guarded, log_level="warning", access_log=False, lifespan="off")


class _EmbeddedServer(uvicorn.Server):
    """uvicorn that leaves SIGINT/SIGTERM to the program it is embedded in."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.asynccontextmanager
async def serve_in_background(
    app: ASGIApp, *, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[str]:
    """``async with serve_in_background(app) as url:`` serves ``app`` on the running loop
    until the block ends, and yields the URL it listens on."""
    sock = bind_socket(host, port)
    server = _EmbeddedServer(uvicorn_config(app, host))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()  # re-raise why uvicorn gave up
                raise RuntimeError(f"the dashboard could not start on {socket_url(sock)}")
            await asyncio.sleep(0.01)
        yield socket_url(sock)
    finally:
        server.should_exit = True
        await task
        sock.close()
