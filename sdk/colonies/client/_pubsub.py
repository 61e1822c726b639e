"""WebSocket subscriptions (protocol 4) for both clients, sharing one frame codec.

The server ends process subscriptions by dropping the TCP connection at their timeout (no
close frame), and channel subscriptions by sending ``[]``. Both are the normal end of the
iteration here; error envelopes raise the mapped error. Keep-alive pings are off because the
server stops reading the socket while a subscription is being served. However a subscription
ends (``break``, ``close()``, cancellation) the socket is closed with code 1000: a context
manager would send 1011 on an exception such as ``GeneratorExit``, which the real server
logs as an error.

``websockets`` is imported by the first subscription: the reconciler runtime never
subscribes, and would otherwise carry the library in its memory for nothing.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncGenerator, Generator
from typing import Any, TypeVar

from colonies import wire
from colonies.client._call import Subscription
from colonies.client._core import ClientCore, no_signing_key
from colonies.crypto import PrivateKey
from colonies.errors import ColoniesConnectionError, ColoniesError, error_for_status

__all__ = ["SUBSCRIPTION_MARGIN", "decode_frame", "encode_subscription", "stream", "stream_async"]

T = TypeVar("T")

SUBSCRIPTION_MARGIN = 5.0
"""Seconds the client waits past a subscription's timeout for the server to end it."""

_MAX_FRAME = 64 * 1024 * 1024
_OPTIONS: dict[str, Any] = {"ping_interval": None, "max_size": _MAX_FRAME, "proxy": None}


def encode_subscription(
    sub: Subscription[Any], core: ClientCore, default_key: PrivateKey | None
) -> str:
    """The signed first frame of a subscription."""
    key = core.signing_key(sub.key, default_key)
    if key is None:
        raise no_signing_key(sub.msgtype)
    return json.dumps(wire.encode_request(sub.message(), key))


def decode_frame(sub: Subscription[T], frame: str | bytes) -> list[T] | None:
    """The items of one server frame; ``None`` when the frame ends the subscription."""
    reply = wire.decode_reply(frame, 200)
    if reply.error:
        raise error_for_status(reply.status, reply.message, sub.msgtype)
    items = sub.decode(reply.result)
    if sub.end_on_empty and not items:
        return None
    return items


def _connect_error(core: ClientCore, sub: Subscription[Any], error: Exception) -> ColoniesError:
    detail = str(error) or type(error).__name__
    return ColoniesConnectionError(
        f"cannot subscribe at {core.config.pubsub_url}: {detail}", msgtype=sub.msgtype
    )


def stream(
    sub: Subscription[T], core: ClientCore, default_key: PrivateKey | None
) -> Generator[T, None, None]:
    """Iterate a subscription on a blocking WebSocket."""
    import websockets
    from websockets.sync.client import connect as connect_sync

    first = encode_subscription(sub, core, default_key)
    deadline = time.monotonic() + max(sub.timeout, 0.0) + SUBSCRIPTION_MARGIN
    try:
        socket = connect_sync(
            core.config.pubsub_url,
            ssl=core.config.ssl_context(),
            open_timeout=core.config.timeout,
            **_OPTIONS,
        )
    except (OSError, TimeoutError, websockets.InvalidHandshake) as error:
        raise _connect_error(core, sub, error) from None
    with socket:
        try:
            socket.send(first)
            while (remaining := deadline - time.monotonic()) > 0:
                try:
                    frame = socket.recv(timeout=remaining)
                except (TimeoutError, websockets.ConnectionClosed):
                    return
                items = decode_frame(sub, frame)
                if items is None:
                    return
                yield from items
        finally:
            socket.close()  # 1000 also when ended early ("with" alone would send 1011)


async def stream_async(
    sub: Subscription[T], core: ClientCore, default_key: PrivateKey | None
) -> AsyncGenerator[T, None]:
    """Iterate a subscription on an asyncio WebSocket."""
    import websockets
    from websockets.asyncio.client import connect as connect_async

    first = encode_subscription(sub, core, default_key)
    deadline = time.monotonic() + max(sub.timeout, 0.0) + SUBSCRIPTION_MARGIN
    try:
        socket = await connect_async(
            core.config.pubsub_url,
            ssl=core.config.ssl_context(),
            open_timeout=core.config.timeout,
            **_OPTIONS,
        )
    except (OSError, TimeoutError, websockets.InvalidHandshake) as error:
        raise _connect_error(core, sub, error) from None
    async with socket:
        try:
            await socket.send(first)
            while (remaining := deadline - time.monotonic()) > 0:
                try:
                    async with asyncio.timeout(remaining):
                        frame = await socket.recv()
                except (TimeoutError, websockets.ConnectionClosed):
                    return
                items = decode_frame(sub, frame)
                if items is None:
                    return
                for item in items:
                    yield item
        finally:
            await socket.close()  # 1000 also when ended early or cancelled
