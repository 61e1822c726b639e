"""The I/O-free heart shared by both clients: sign, prepare, interpret, decide on retries.

The sync and async clients differ only in how they move bytes; everything that decides
what goes over the wire and what a reply means lives here, once.
"""

from __future__ import annotations

import json
import random
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError

from colonies import wire
from colonies.client._call import Call, KeyArg
from colonies.config import ClientConfig
from colonies.crypto import PrivateKey
from colonies.errors import (
    ColoniesConnectionError,
    ColoniesError,
    ColoniesTimeoutError,
    ColoniesTLSError,
    ForbiddenError,
    ProtocolError,
    ServerError,
    error_for_status,
)

__all__ = [
    "API_PATH",
    "HEALTH_PATH",
    "LONG_POLL_MARGIN",
    "ClientCore",
    "PreparedCall",
    "no_signing_key",
]

T = TypeVar("T")

API_PATH = "/api"
HEALTH_PATH = "/health"
LONG_POLL_MARGIN = 10.0
"""Seconds added to a long poll's server-side timeout for the HTTP timeout."""


@dataclass(frozen=True, slots=True)
class PreparedCall:
    """A signed request body and the HTTP timeout to send it with."""

    body: bytes
    timeout: float


def no_signing_key(msgtype: str) -> ColoniesError:
    """The error for a signed message with neither a per-call nor a client key."""
    return ColoniesError("no signing key: pass key= to the call or to the client", msgtype=msgtype)


RequestObserver = Callable[[str, int, float], None]
"""Told about every RPC reply: message type, HTTP status (0 when the server could not be
reached) and round-trip seconds. For metrics such as requests per message type."""


class ClientCore:
    """Everything both clients share for one server: settings and the RPC rules."""

    __slots__ = ("config", "observer")

    def __init__(self, config: ClientConfig, observer: RequestObserver | None = None) -> None:
        self.config = config
        self.observer = observer

    def http_options(self) -> dict[str, Any]:
        """Arguments for the sync client's httpx client (the async one has its own pool).
        Proxies from the environment are ignored: a ColonyOS server is addressed directly."""
        config = self.config
        return {
            "base_url": config.base_url,
            "verify": config.ssl_context() or True,
            "timeout": config.timeout,
            "trust_env": False,
            "headers": {"Content-Type": "application/json"},
        }

    def signing_key(self, override: KeyArg, default: PrivateKey | None) -> PrivateKey | None:
        """The key for one call: the per-call override, else the client's default."""
        return PrivateKey.coerce(override) if override is not None else default

    def prepare(self, call: Call[Any], default_key: PrivateKey | None) -> PreparedCall:
        """Sign ``call`` and choose its timeout. Unsigned calls go out with an empty signature."""
        key = self.signing_key(call.key, default_key)
        message = call.message()
        if key is not None:
            envelope = wire.encode_request(message, key)
        elif call.signed:
            raise no_signing_key(call.msgtype)
        else:
            envelope = {
                "payloadtype": call.msgtype,
                "payload": wire.encode_payload(message),
                "signature": "",
            }
        timeout = max(self.config.timeout, call.timeout or 0.0)
        return PreparedCall(json.dumps(envelope).encode("utf-8"), timeout)

    def interpret(
        self, call: Call[T], status: int, content: bytes | bytearray, started: float
    ) -> T:
        """Turn an HTTP reply to a request sent at ``started`` (``time.perf_counter()``) into
        the call's result, or raise the mapped error. A ``bytearray`` ``content`` is consumed
        (emptied once its payload is decoded: see :func:`wire.decode_reply`)."""
        if self.observer is not None:
            self.observer(call.msgtype, status, time.perf_counter() - started)
        if not content or content.isspace():  # no strip(): it copies a bytearray
            if status == 200:
                # protocol 8.4: e.g. colony statistics asked by a non-member
                raise ForbiddenError(
                    "the server replied with an empty body, which it does when the signer "
                    "is not a member of the colony",
                    status=status,
                    msgtype=call.msgtype,
                )
            raise error_for_status(status, "empty reply body", call.msgtype)
        try:
            reply = wire.decode_reply(content, status)
        except ValueError:
            text = content[:200].decode("utf-8", errors="replace").strip()
            if status >= 400:
                raise error_for_status(status, text, call.msgtype) from None
            raise ProtocolError(
                f"reply is not a ColonyOS envelope: {text!r}", status=status, msgtype=call.msgtype
            ) from None
        if reply.error:
            raise error_for_status(reply.status, reply.message, call.msgtype)
        try:
            return call.decode(reply.result)
        except ValidationError as error:
            raise ProtocolError(
                f"unexpected reply shape: {error}", status=status, msgtype=call.msgtype
            ) from None

    def retryable(self, call: Call[Any], error: BaseException) -> bool:
        """Reads are retried after any transport error or 5xx; writes only when the request
        provably never reached the server (the connection could not be opened) or the
        server rolled them back (``Call.rolled_back``)."""
        if _tls_failure(error):  # a configuration error: the next try fails the same way
            return False
        if isinstance(error, httpx.ConnectError | httpx.ConnectTimeout):
            return True
        if isinstance(error, ColoniesError) and call.rolled_back and call.rolled_back(error):
            return True
        if not call.read:
            return False
        if isinstance(error, httpx.TransportError):
            return True
        return isinstance(error, ServerError) and error.status >= 500

    def retry_delay(self, call: Call[Any], error: BaseException, attempt: int) -> float | None:
        """Seconds to wait before trying ``call`` again after attempt number ``attempt``
        failed with ``error``; ``None`` gives up. Bounded attempts, exponential backoff
        with jitter: about 0.1 s, 0.2 s, 0.4 s ... at most 2 s."""
        if attempt > self.config.retries or not self.retryable(call, error):
            return None
        return min(0.1 * 2.0 ** (attempt - 1) + random.uniform(0.0, 0.1), 2.0)

    def transport_error(self, call: Call[Any], error: httpx.HTTPError) -> ColoniesError:
        """Map an httpx failure to the client's hierarchy (no URL credentials, no keys)."""
        if self.observer is not None:
            self.observer(call.msgtype, 0, 0.0)
        detail = str(error) or type(error).__name__
        where = self.config.base_url
        if _tls_failure(error):
            return ColoniesTLSError(
                f"TLS handshake with {where} failed ({detail}). Is the server serving TLS? "
                "Check COLONIES_TLS (--tls/--no-tls), and COLONIES_TLS_CA (--ca) for a private CA",
                msgtype=call.msgtype,
            )
        if isinstance(error, httpx.TimeoutException) and not isinstance(
            error, httpx.ConnectTimeout
        ):
            return ColoniesTimeoutError(f"no reply from {where}: {detail}", msgtype=call.msgtype)
        return ColoniesConnectionError(f"cannot reach {where}: {detail}", msgtype=call.msgtype)


def _tls_failure(error: BaseException) -> bool:
    """Whether ``error`` or what caused it is an SSL error (handshake or certificate)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
