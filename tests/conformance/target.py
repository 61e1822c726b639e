"""The server a conformance case talks to: the dev server, or a real ColonyOS server.

Cases speak raw wire (signed envelopes over httpx, no SDK client) so that they compare the
two servers byte for byte where it matters: HTTP status, error message and result shape.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from colonies.crypto import PrivateKey
from colonies.wire import Reply, decode_reply, encode_request

__all__ = [
    "ID",
    "TIME",
    "Colony",
    "Target",
    "normalise",
    "real_server_from_env",
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


@dataclass(frozen=True)
class Colony:
    """A throwaway colony: its owner key, one user and one approved executor."""

    name: str
    owner_key: PrivateKey
    user_key: PrivateKey
    user_name: str
    executor_key: PrivateKey
    executor_name: str
    executor_type: str


class Target:
    """Signed raw RPCs against one server, plus throwaway colonies on it."""

    def __init__(
        self, url: str, server_key: PrivateKey, *, real: bool, verify: bool = True
    ) -> None:
        self.url = url.rstrip("/")
        self.server_key = server_key
        self.real = real
        self.http = httpx.Client(base_url=self.url, timeout=60.0, verify=verify)

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

    # -- throwaway colonies --

    @contextmanager
    def colony(self, prefix: str = "conf", executor_type: str = "conf-worker") -> Iterator[Colony]:
        """A new colony with a user and an approved executor, removed afterwards."""
        colony = Colony(
            name=f"{prefix}-{uuid.uuid4().hex[:12]}",
            owner_key=PrivateKey.generate(),
            user_key=PrivateKey.generate(),
            user_name="conf-user",
            executor_key=PrivateKey.generate(),
            executor_name="conf-executor",
            executor_type=executor_type,
        )
        owner = colony.owner_key
        self.ok(self.server_key, "addcolonymsg", colony={"colonyid": owner.id, "name": colony.name})
        try:
            self.ok(
                owner,
                "addusermsg",
                user={
                    "colonyname": colony.name,
                    "userid": colony.user_key.id,
                    "name": colony.user_name,
                    "email": "",
                    "phone": "",
                },
            )
            self.add_executor(colony, colony.executor_key, colony.executor_name)
            self.ok(
                owner,
                "approveexecutormsg",
                colonyname=colony.name,
                executorname=colony.executor_name,
            )
            yield colony
        finally:
            self.call(self.server_key, "removecolonymsg", colonyname=colony.name)

    def add_executor(self, colony: Colony, key: PrivateKey, name: str, **extra: Any) -> Any:
        executor = {
            "executorid": key.id,
            "executortype": colony.executor_type,
            "executorname": name,
            "colonyname": colony.name,
            **extra,
        }
        return self.ok(colony.owner_key, "addexecutormsg", executor=executor)


def real_server_from_env() -> Target | None:
    """A target for the real server named by the environment, or ``None`` when not set."""
    host = os.environ.get("COLONIES_SERVER_HOST")
    if not host:
        return None
    port = os.environ.get("COLONIES_SERVER_PORT", "50080")
    tls = os.environ.get("COLONIES_TLS", "false").lower() in ("1", "true", "yes")
    key = os.environ.get("COLONIES_SERVER_PRVKEY")
    if not key:
        raise RuntimeError(
            "COLONIES_SERVER_PRVKEY is required to run conformance cases against a real server"
        )
    scheme = "https" if tls else "http"
    insecure = os.environ.get("COLONIES_INSECURE", "false").lower() in ("1", "true", "yes")
    return Target(f"{scheme}://{host}:{port}", PrivateKey(key), real=True, verify=not insecure)
