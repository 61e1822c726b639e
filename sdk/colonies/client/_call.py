"""Request descriptions: what one RPC sends and how its reply becomes a Python value.

Every public client method builds a :class:`Call` (or a generator of calls for multi-step
operations, or a :class:`Subscription`); the sync and async clients only execute them.
That is what keeps the two clients identical.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeAlias, TypeVar

from pydantic import BaseModel, TypeAdapter

from colonies.crypto import PrivateKey
from colonies.errors import ColoniesError

__all__ = [
    "Call",
    "Flow",
    "KeyArg",
    "Subscription",
    "as_bool_field",
    "as_documents",
    "as_list",
    "as_model",
    "as_none",
]

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

KeyArg: TypeAlias = PrivateKey | str | None
"""A signing key override: a :class:`PrivateKey`, its hex text, or ``None`` for the default."""


def _reraise(error: ColoniesError) -> Any:
    raise error


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One RPC: the message (without ``msgtype``), how to decode the result, and how to send it.

    ``read`` marks an idempotent query that may be retried after transport errors and 5xx
    replies; writes are only retried when the request provably never left the client.
    ``timeout`` overrides the client's HTTP timeout (long polls). ``signed=False`` allows the
    call without a key (version and server info). ``on_error`` may turn a server error into
    a result (``assign`` returns ``None`` for "no process available"). ``rolled_back``
    recognises an error after which the server provably kept nothing of a write, so the
    write is retried like a read.
    """

    msgtype: str
    fields: Mapping[str, Any]
    decode: Callable[[Any], T]
    key: KeyArg = None
    read: bool = False
    signed: bool = True
    timeout: float | None = None
    on_error: Callable[[ColoniesError], T] = field(default=_reraise)
    rolled_back: Callable[[ColoniesError], bool] | None = None

    def message(self) -> dict[str, Any]:
        """The JSON message sent as the payload."""
        return {**self.fields, "msgtype": self.msgtype}


Flow: TypeAlias = Generator[Call[Any], Any, T]
"""A multi-step operation: yields calls, receives each call's result, returns the outcome."""


@dataclass(frozen=True, slots=True)
class Subscription(Generic[T]):
    """A WebSocket subscription (protocol 4): one signed message, then a stream of frames.

    ``decode`` turns one frame's result into the items it carries. ``end_on_empty`` ends the
    stream at an empty list (channel subscriptions send ``[]`` at their timeout instead of
    closing). ``timeout`` is the server-side timeout in seconds; the client gives up a little
    later if the server neither sends nor closes.
    """

    msgtype: str
    fields: Mapping[str, Any]
    decode: Callable[[Any], list[T]]
    timeout: float
    key: KeyArg = None
    end_on_empty: bool = False

    def message(self) -> dict[str, Any]:
        """The JSON message sent in the first frame."""
        return {**self.fields, "msgtype": self.msgtype}


def as_model(model: type[M]) -> Callable[[Any], M]:
    """Decode a reply object into ``model``."""
    return model.model_validate


def as_list(model: type[M]) -> Callable[[Any], list[M]]:
    """Decode a reply list into models; the server's ``null`` for "empty" becomes ``[]``."""

    def decode(result: Any) -> list[M]:
        return [model.model_validate(item) for item in result or ()]

    return decode


_DOCUMENTS: TypeAdapter[list[dict[str, Any]]] = TypeAdapter(list[dict[str, Any]])


def as_documents(result: Any) -> list[dict[str, Any]]:
    """Decode a reply list of objects without building models (``null`` becomes ``[]``).

    For callers that hold thousands of items and validate each in its turn: a pydantic
    model costs about twice the memory of the decoded object it is built from. A list of
    objects is returned as decoded: validating it would copy every object while the
    originals are still alive."""
    if isinstance(result, list) and all(type(item) is dict for item in result):
        return result
    return _DOCUMENTS.validate_python(result or [])


def as_none(result: Any) -> None:
    """Ignore the ``{}`` reply of operations without a result."""


def as_bool_field(name: str) -> Callable[[Any], bool]:
    """Decode one boolean field of a reply object."""

    def decode(result: Any) -> bool:
        return bool((result or {}).get(name, False))

    return decode
