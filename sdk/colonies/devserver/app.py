"""The Starlette application: the real server's routes and its plain-text replies (protocol 1.1)."""

from __future__ import annotations

import asyncio
import contextlib

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket

from colonies.devserver.dispatch import dispatch, envelope_bytes
from colonies.devserver.pubsub import serve_pubsub
from colonies.devserver.read_timeouts import BodyTimeoutError, BodyTooLargeError, read_body
from colonies.devserver.state import ServerState
from colonies.wire import encode_error

__all__ = ["create_app"]

_TEXT = "text/plain; charset=utf-8"


def _text(status: int, body: bytes | str = b"") -> Response:
    return Response(body, status_code=status, headers={"content-type": _TEXT})


def _not_found() -> Response:
    return _text(404, "404 page not found")


def create_app(state: ServerState) -> Starlette:
    """An app serving ``state``; one per server start."""
    limit, body_timeout = state.settings.max_body_bytes, state.settings.body_timeout

    async def api(request: Request) -> Response:
        try:
            body = await read_body(request, limit, body_timeout)
        except BodyTooLargeError:
            message = f"request body too large: the dev server accepts at most {limit} bytes"
            return _text(413, envelope_bytes(encode_error(413, message)))
        except BodyTimeoutError:
            message = f"request body not received within {body_timeout:g} s"
            late = _text(408, envelope_bytes(encode_error(408, message)))
            late.headers["connection"] = "close"  # the rest of the body may still come
            return late

        async def client_gone() -> None:
            # the body is read, so the next ASGI message is the disconnect
            while (await request.receive())["type"] != "http.disconnect":
                pass

        try:
            status, reply = await dispatch(state, body, client_gone)
        except asyncio.CancelledError:
            # the server is stopping under a long poll: answer instead of logging a traceback
            return _text(503, envelope_bytes(encode_error(503, "the dev server is stopping")))
        return _text(status, reply)

    async def health(request: Request) -> Response:
        return _text(200)

    async def pubsub_without_upgrade(request: Request) -> Response:
        return _text(400, "Bad Request\n")

    async def pubsub(websocket: WebSocket) -> None:
        with contextlib.suppress(asyncio.CancelledError):  # the server is stopping
            await serve_pubsub(state, websocket)

    async def not_found(request: Request, exc: Exception) -> Response:
        # unknown paths and wrong methods alike: the real server (gin) answers 404 for both
        return _not_found()

    return Starlette(
        routes=[
            Route("/api", api, methods=["POST"]),
            Route("/health", health, methods=["GET"]),
            Route("/pubsub", pubsub_without_upgrade, methods=["GET"]),
            WebSocketRoute("/pubsub", pubsub),
        ],
        exception_handlers={HTTPException: not_found},
    )
