"""The server a conformance case talks to: the dev server, or a real ColonyOS server
(chosen by the test kit's :func:`colonies.testing.targets.server_target`).

Cases speak raw wire (signed envelopes over httpx, no SDK client) so that they compare the
two servers byte for byte where it matters: HTTP status, error message and result shape.
"""

from __future__ import annotations

import json
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from colonies.config import ClientConfig
from colonies.crypto import PrivateKey
from colonies.testing.targets import ServerTarget, ThrowawayColony, throwaway_colony
from colonies.wire import Reply, decode_reply, encode_request

__all__ = [
    "ID",
    "TIME",
    "ZERO_TIME",
    "Colony",
    "PubSub",
    "Target",
    "normalise",
]

ID = "<id>"
TIME = "<time>"
ZERO_TIME = "0001-01-01T00:00:00Z"
_ID_PATTERN = re.compile(r"[0-9a-f]{64}")
_TIME_PATTERN = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def normalise(value: Any) -> Any:
    """``value`` with server-made IDs and times replaced by placeholders, so that results of
    two servers (or a result and the protocol document) compare by shape. The zero time stays:
    it is meaningful."""
    if isinstance(value, dict):
        return {key: normalise(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if isinstance(value, str):
        if _ID_PATTERN.fullmatch(value):
            return ID
        if value != ZERO_TIME and _TIME_PATTERN.fullmatch(value):
            return TIME
    return value


#: A throwaway colony (owner, user, approved executor), from the test kit.
Colony = ThrowawayColony


class PubSub:
    """One ``/pubsub`` WebSocket (protocol 4): signed subscription frames out, decoded reply
    envelopes in, and how the server ended the connection."""

    def __init__(self, connection: ClientConnection) -> None:
        self._connection = connection

    def subscribe(self, key: PrivateKey, msgtype: str, **fields: Any) -> None:
        """Send one signed subscription message as a text frame."""
        self._connection.send(json.dumps(encode_request({"msgtype": msgtype, **fields}, key)))

    def receive(self, timeout: float = 30.0) -> Reply:
        """The next frame's reply envelope (an error envelope carries its own status)."""
        return decode_reply(self._connection.recv(timeout=timeout), 200)

    def dropped(self, timeout: float = 30.0) -> bool:
        """Wait for the server to end the connection without sending another frame: True
        when it dropped the TCP connection without a close frame (protocol 4.1)."""
        try:
            frame = self._connection.recv(timeout=timeout)
        except ConnectionClosed as closed:
            return closed.rcvd is None
        raise AssertionError(f"a frame came instead of the end of the connection: {frame!r}")


class Target:
    """Signed raw RPCs against one server, plus throwaway colonies on it."""

    def __init__(
        self,
        url: str,
        server_key: PrivateKey,
        *,
        real: bool,
        verify: bool | ssl.SSLContext = True,
        server: ServerTarget | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.server_key = server_key
        self.real = real
        self.http = httpx.Client(base_url=self.url, timeout=60.0, verify=verify)
        if server is None:
            parsed = httpx.URL(self.url)
            config = ClientConfig(
                host=parsed.host, port=parsed.port or 80, tls=parsed.scheme == "https"
            )
            server = ServerTarget(config=config, server_key=server_key)
        self.server = server

    @classmethod
    def of(cls, server: ServerTarget) -> Target:
        """A raw target for the test kit's server (dev or real)."""
        verify = server.config.ssl_context() or True
        return cls(
            server.url, server.server_key, real=not server.is_dev, verify=verify, server=server
        )

    def close(self) -> None:
        self.http.close()

    # -- raw access --

    def post(self, body: bytes | str | dict[str, Any]) -> httpx.Response:
        """POST /api with ``body`` as given (a dict is sent as JSON)."""
        if isinstance(body, dict):
            return self.http.post("/api", json=body)
        return self.http.post("/api", content=body)

    def send(self, message: dict[str, Any], key: PrivateKey) -> httpx.Response:
        return self.post(encode_request(message, key))

    # -- decoded calls --

    def call(self, key: PrivateKey, msgtype: str, **fields: Any) -> Reply:
        response = self.send({"msgtype": msgtype, **fields}, key)
        return decode_reply(response.content, response.status_code)

    def ok(self, key: PrivateKey, msgtype: str, **fields: Any) -> Any:
        """The result of a call that must succeed."""
        reply = self.call(key, msgtype, **fields)
        assert not reply.error, f"{msgtype}: {reply.status} {reply.message}"
        return reply.result

    def fails(self, key: PrivateKey, msgtype: str, **fields: Any) -> tuple[int, str]:
        """``(status, message)`` of a call that must fail; the HTTP status must agree."""
        response = self.send({"msgtype": msgtype, **fields}, key)
        reply = decode_reply(response.content, response.status_code)
        assert reply.error, f"{msgtype} unexpectedly succeeded: {reply.result!r}"
        assert response.status_code == reply.status
        return reply.status, reply.message

    @contextmanager
    def pubsub(self) -> Iterator[PubSub]:
        """A WebSocket to the server's ``/pubsub`` endpoint (``wss://`` with its CA on TLS)."""
        config = self.server.config
        with connect(config.pubsub_url, ssl=config.ssl_context()) as connection:
            yield PubSub(connection)

    @contextmanager
    def colony(self, prefix: str = "conf", executor_type: str | None = None) -> Iterator[Colony]:
        """A throwaway colony with a user and an approved executor (of a type of its own
        unless given), removed afterwards."""
        with throwaway_colony(self.server, prefix=prefix, executor_type=executor_type) as colony:
            yield colony

    def add_executor(self, colony: Colony, key: PrivateKey, name: str, **extra: Any) -> Any:
        """Register (not approve) an executor of ``colony``'s type, signed by its owner."""
        executor = {
            "executorid": key.id,
            "executortype": colony.executor_type,
            "executorname": name,
            "colonyname": colony.name,
            **extra,
        }
        return self.ok(colony.owner_key, "addexecutormsg", executor=executor)
