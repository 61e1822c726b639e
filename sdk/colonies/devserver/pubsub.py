"""The /pubsub WebSocket: a read loop of signed envelopes dispatched to subscription handlers.

Mirrors the real server (protocol 4): a malformed envelope or a bad signature ends the
connection without a message or close frame; unknown payload types are ignored; each
subscription runs concurrently (``blocking=False``) or holds the read loop until it ends
(``blocking=True``, like channel subscriptions). A handler's ``close()`` drops the TCP
connection abruptly, as the server does when a process subscription times out.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from starlette.websockets import WebSocket

from colonies.crypto import InvalidSignatureError, recover_id
from colonies.devserver import registry
from colonies.devserver.call import Call
from colonies.devserver.dispatch import decode_envelope, decode_message
from colonies.devserver.errors import ApiError
from colonies.devserver.state import ServerState
from colonies.wire import encode_error

__all__ = ["serve_pubsub"]

log = logging.getLogger("colonies.devserver")


class _Connection:
    """One socket: serialised sends in the client's frame type, and an abrupt close."""

    def __init__(self, websocket: WebSocket) -> None:
        self.websocket = websocket
        self.binary = False
        self.closed = asyncio.Event()
        self._send_lock = asyncio.Lock()

    async def send(self, envelope: dict[str, Any]) -> None:
        if self.closed.is_set():
            return
        text = json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)
        message: dict[str, Any] = {"type": "websocket.send"}
        if self.binary:
            message["bytes"] = text.encode("utf-8")
        else:
            message["text"] = text
        async with self._send_lock:
            try:
                await self.websocket.send(message)
            except Exception:  # the peer went away; nothing left to tell it
                self.closed.set()

    async def close(self) -> None:
        self.closed.set()


def _call_for(
    state: ServerState, frame: str | bytes
) -> tuple[registry.SubscriptionHandler, Call] | None:
    """Decode and authenticate one frame; ``None`` means "drop the connection"."""
    try:
        envelope = decode_envelope(frame.encode("utf-8") if isinstance(frame, str) else frame)
        signer_id = recover_id(envelope["payload"], envelope["signature"])
    except (ApiError, InvalidSignatureError):
        return None
    handler = registry.subscription_handler(envelope["payloadtype"])
    if handler is None:
        return registry.SubscriptionHandler("", "", _ignore), Call("", {}, signer_id, state, "")
    message = decode_message(envelope["payload"])
    call = Call(handler.msgtype, message or {}, signer_id, state, handler.failure)
    if message is None:
        call.payload_error = f"{handler.failure}, invalid JSON"
    return handler, call


def _log_close(code: Any) -> None:
    """A client's close code: the real server logs an error for anything but a normal
    close (1000) or going away (1001), so the dev server warns about it."""
    if code in (1000, 1001):
        log.debug("pubsub client closed the connection with code %s", code)
    else:
        log.warning("pubsub client closed the connection with code %s", code)


async def _ignore(call: Call, send: registry.Send, close: registry.Close) -> None:
    """Unknown payload types are skipped, as the real server's switch statement does."""


async def _run(handler: registry.SubscriptionHandler, call: Call, conn: _Connection) -> None:
    try:
        await handler.fn(call, conn.send, conn.close)
    except ApiError as error:
        await conn.send(encode_error(error.status, error.message))
    except Exception:
        log.exception("dev server subscription %s failed", handler.msgtype)
        await conn.close()


async def _read_loop(state: ServerState, conn: _Connection, tasks: set[asyncio.Task[None]]) -> None:
    while True:
        event = await conn.websocket.receive()
        if event["type"] == "websocket.disconnect":
            _log_close(event.get("code"))
            return
        frame = event.get("text")
        if frame is None:
            frame = event.get("bytes") or b""
            conn.binary = True
        else:
            conn.binary = False
        dispatched = _call_for(state, frame)
        if dispatched is None:
            return
        handler, call = dispatched
        if handler.blocking:
            await _run(handler, call, conn)
        else:
            task = asyncio.create_task(_run(handler, call, conn))
            tasks.add(task)
            task.add_done_callback(tasks.discard)


async def serve_pubsub(state: ServerState, websocket: WebSocket) -> None:
    """Serve one /pubsub connection until the client leaves or a handler closes it."""
    await websocket.accept()
    conn = _Connection(websocket)
    tasks: set[asyncio.Task[None]] = set()
    reader = asyncio.create_task(_read_loop(state, conn, tasks))
    closer = asyncio.create_task(conn.closed.wait())
    try:
        await asyncio.wait({reader, closer}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (reader, closer, *tasks):
            task.cancel()
        await asyncio.gather(reader, closer, *tasks, return_exceptions=True)
    # Returning without a close frame makes the server drop the TCP connection (code 1006).
