"""One RPC call as handlers see it, with field accessors that behave like Go's
``json.Unmarshal`` into a typed struct: keys match case-insensitively (the last one wins),
``null`` or a missing key gives the default, and a value of the wrong JSON type fails the
whole message with ``400 "<failure>, invalid JSON"``.

Read every field you need before checking permissions: the real server decodes the whole
message first, so a type error wins over a permission error.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

from colonies.devserver.errors import ApiError

if TYPE_CHECKING:
    from colonies.devserver.state import ServerState

__all__ = ["Call", "Fields"]

T = TypeVar("T")

_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class Fields:
    """Typed, Go-like access to the keys of one JSON object."""

    __slots__ = ("_failure", "_folded", "raw")

    def __init__(self, raw: dict[builtins.str, Any] | None, failure: builtins.str) -> None:
        self.raw: dict[builtins.str, Any] = raw or {}
        self._failure = failure
        self._folded = {key.lower(): value for key, value in self.raw.items()}

    def invalid(self) -> ApiError:
        """The error the real server gives for a message it cannot unmarshal."""
        return ApiError(400, f"{self._failure}, invalid JSON")

    def value(self, name: builtins.str) -> Any:
        """The raw JSON value of ``name`` (``None`` when absent or null)."""
        return self._folded.get(name.lower())

    def has(self, name: builtins.str) -> builtins.bool:
        return self._folded.get(name.lower()) is not None

    def str(self, name: builtins.str, default: builtins.str = "") -> builtins.str:
        value = self.value(name)
        if value is None:
            return default
        if not isinstance(value, builtins.str):
            raise self.invalid()
        return value

    def int(self, name: builtins.str, default: builtins.int = 0) -> builtins.int:
        value = self.value(name)
        if value is None:
            return default
        if isinstance(value, builtins.bool) or not isinstance(value, builtins.int):
            raise self.invalid()
        if not _INT64_MIN <= value <= _INT64_MAX:
            raise self.invalid()
        return value

    def float(self, name: builtins.str, default: builtins.float = 0.0) -> builtins.float:
        value = self.value(name)
        if value is None:
            return default
        if isinstance(value, builtins.bool) or not isinstance(value, builtins.int | builtins.float):
            raise self.invalid()
        return builtins.float(value)

    def bool(self, name: builtins.str, default: builtins.bool = False) -> builtins.bool:
        value = self.value(name)
        if value is None:
            return default
        if not isinstance(value, builtins.bool):
            raise self.invalid()
        return value

    def obj(self, name: builtins.str) -> dict[builtins.str, Any] | None:
        """A nested object as a plain dict, or ``None`` when absent/null."""
        value = self.value(name)
        if value is not None and not isinstance(value, dict):
            raise self.invalid()
        return value

    def fields(self, name: builtins.str) -> Fields:
        """A nested object wrapped for typed access (empty when absent/null)."""
        return Fields(self.obj(name), self._failure)

    def list(self, name: builtins.str) -> builtins.list[Any] | None:
        value = self.value(name)
        if value is not None and not isinstance(value, builtins.list):
            raise self.invalid()
        return value

    def str_list(self, name: builtins.str) -> builtins.list[builtins.str] | None:
        """A list of strings (``[]string`` in Go); ``None`` when absent/null."""
        items = self.list(name)
        if items is None:
            return None
        if not all(isinstance(item, builtins.str) for item in items):
            raise self.invalid()
        return items


class Call(Fields):
    """The decoded message of one request plus who signed it and the server it runs on."""

    __slots__ = ("client_gone", "msgtype", "payload_error", "reply_type", "signer_id", "state")

    def __init__(
        self,
        msgtype: builtins.str,
        msg: dict[builtins.str, Any],
        signer_id: builtins.str,
        state: ServerState,
        failure: builtins.str,
        client_gone: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__(msg, failure)
        self.msgtype = msgtype
        self.signer_id = signer_id
        self.state = state
        #: returns when the caller has closed its connection (``None``: not known)
        self.client_gone = client_gone
        #: the reply's payloadtype; a handler may change it (getpausestatusmsg does)
        self.reply_type = msgtype
        #: Go's decoding error when the payload was not a JSON object (subscriptions only:
        #: for RPCs the dispatcher has already answered "<failure>, invalid JSON")
        self.payload_error: builtins.str | None = None

    @property
    def msg(self) -> dict[builtins.str, Any]:
        return self.raw

    async def while_connected(self, wait: Awaitable[T]) -> T | None:
        """``wait``'s result, or ``None`` once the caller has gone. The real server's long
        poll runs under the request's context, which ends when the client disconnects,
        so a poll that was given up never takes a process afterwards."""
        if self.client_gone is None:
            return await wait
        waiting = asyncio.ensure_future(wait)
        gone = asyncio.ensure_future(self.client_gone())
        try:
            await asyncio.wait((waiting, gone), return_when=asyncio.FIRST_COMPLETED)
        finally:
            gone.cancel()
        if waiting.done():
            return waiting.result()
        waiting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await waiting
        return None

    @property
    def failure(self) -> builtins.str:
        return self._failure
