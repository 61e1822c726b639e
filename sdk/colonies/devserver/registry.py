"""Registration of RPC handlers, WebSocket subscriptions, periodic tasks and event listeners.

Handler modules register at import time with these decorators; the modules themselves are
listed once in :mod:`colonies.devserver.handler_modules`, imported by :func:`load_handlers`.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from colonies.devserver.call import Call
    from colonies.devserver.state import ServerState

__all__ = [
    "Close",
    "PeriodicTask",
    "RawReply",
    "RpcHandler",
    "Send",
    "SubscriptionHandler",
    "listener",
    "listeners",
    "load_handlers",
    "null_if_empty",
    "periodic",
    "periodic_tasks",
    "rpc",
    "rpc_handler",
    "subscription",
    "subscription_handler",
]

F = TypeVar("F", bound=Callable[..., Any])

Send = Callable[[dict[str, Any]], Awaitable[None]]
Close = Callable[[], Awaitable[None]]
SubscriptionFn = Callable[["Call", Send, Close], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RpcHandler:
    """``fn(call)`` returns a JSON-ready result (``None`` = ``{}``), sync or async."""

    msgtype: str
    failure: str  # the real server's message prefix, e.g. "Failed to get colonies"
    fn: Callable[[Call], Any]
    is_async: bool
    signed: bool  # False only for versionmsg / getserverinfomsg (protocol 1.5)
    decode: bool  # False: no payload decoding or msgtype check (getserverinfomsg)


@dataclass(frozen=True, slots=True)
class SubscriptionHandler:
    """``async fn(call, send, close)`` serving one subscription on a /pubsub socket."""

    msgtype: str
    failure: str
    fn: SubscriptionFn
    blocking: bool = False  # True: the socket's read loop waits until the handler returns


@dataclass(frozen=True, slots=True)
class PeriodicTask:
    """``fn(state)`` run every ``getattr(settings, setting_name)`` seconds."""

    setting_name: str
    fn: Callable[[ServerState], Any]
    is_async: bool


@dataclass(frozen=True, slots=True)
class RawReply:
    """A handler result sent verbatim instead of an envelope, for the server's quirks such as
    "200 with an empty body" (protocol 8.4)."""

    status: int = 200
    body: bytes = b""


class JsonNull:
    """The type of :data:`NULL`."""

    def __repr__(self) -> str:
        return "NULL"


#: Return this from a handler to reply with the JSON ``null`` (``None`` replies ``{}``):
#: most empty list results are ``null`` on the real server (protocol 8.3).
NULL = JsonNull()


def null_if_empty(items: list[Any]) -> list[Any] | JsonNull:
    """``items``, or :data:`NULL` when there are none (Go's nil slice)."""
    return items if items else NULL


_RPC: dict[str, RpcHandler] = {}
_SUBSCRIPTIONS: dict[str, SubscriptionHandler] = {}
_PERIODIC: list[PeriodicTask] = []
_LISTENERS: dict[str, list[Callable[[ServerState, Any], None]]] = {}


def rpc(
    msgtype: str, failure: str, *, signed: bool = True, decode: bool = True
) -> Callable[[F], F]:
    """Register ``fn(call) -> result`` for ``payloadtype == msgtype``.

    ``failure`` is the server's prefix for "<failure>, invalid JSON" and "<failure>,
    msg.MsgType does not match payloadType". A result of ``None`` is sent as ``{}``,
    :data:`NULL` as ``null``, and a :class:`RawReply` verbatim. Raising ``ApiError`` answers with an error envelope
    (changes already made are still committed); any other exception answers 500 and rolls
    the store back.
    """

    def register(fn: F) -> F:
        if msgtype in _RPC:
            raise ValueError(f"duplicate handler for {msgtype}")
        is_async = inspect.iscoroutinefunction(fn)
        _RPC[msgtype] = RpcHandler(msgtype, failure, fn, is_async, signed, decode)
        return fn

    return register


def subscription(msgtype: str, failure: str, *, blocking: bool = False) -> Callable[[F], F]:
    """Register ``async fn(call, send, close)`` for a /pubsub message of ``msgtype``.

    ``call.msg`` is the decoded message (``{}`` and ``call.payload_error`` set when the
    payload is not a JSON object; the handler decides how to answer, as the real server's
    handlers differ). ``send(envelope)`` sends a reply envelope in the client's frame type;
    ``close()`` drops the connection without a close frame. An ``ApiError`` raised by the
    handler is sent as an error envelope and the connection stays open.
    """

    def register(fn: F) -> F:
        if msgtype in _SUBSCRIPTIONS:
            raise ValueError(f"duplicate subscription handler for {msgtype}")
        _SUBSCRIPTIONS[msgtype] = SubscriptionHandler(msgtype, failure, fn, blocking)
        return fn

    return register


def periodic(setting_name: str) -> Callable[[F], F]:
    """Run ``fn(state)`` every ``settings.<setting_name>`` seconds while the server runs;
    the store is committed after each run (rolled back if it raises)."""

    def register(fn: F) -> F:
        _PERIODIC.append(PeriodicTask(setting_name, fn, inspect.iscoroutinefunction(fn)))
        return fn

    return register


def listener(topic: str) -> Callable[[F], F]:
    """Run ``fn(state, data)`` synchronously on every ``state.events.emit(topic, data)``."""

    def register(fn: F) -> F:
        _LISTENERS.setdefault(topic, []).append(fn)
        return fn

    return register


def rpc_handler(msgtype: str) -> RpcHandler | None:
    return _RPC.get(msgtype)


def subscription_handler(msgtype: str) -> SubscriptionHandler | None:
    return _SUBSCRIPTIONS.get(msgtype)


def periodic_tasks() -> list[PeriodicTask]:
    return list(_PERIODIC)


def listeners(topic: str) -> list[Callable[[ServerState, Any], None]]:
    return _LISTENERS.get(topic, [])


def load_handlers() -> None:
    """Import every handler module so that its decorators have run (idempotent)."""
    from colonies.devserver.handler_modules import HANDLER_MODULES

    for name in HANDLER_MODULES:
        importlib.import_module(name)
