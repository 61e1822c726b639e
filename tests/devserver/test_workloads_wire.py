"""Raw wire access for the workload tests: signed requests over httpx, decoded replies.

No tests live here; the ``test_workloads_*`` modules import :class:`Wire`, :func:`fn_spec`
and :func:`colony` from it so that every request is built the same way.
"""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from colonies.crypto import PrivateKey
from colonies.devserver import Bootstrap, DevServer
from colonies.wire import Reply, decode_reply, encode_request

_colony_numbers = itertools.count(1)


class Wire:
    """Signed RPCs against one server."""

    def __init__(self, url: str) -> None:
        self.http = httpx.Client(base_url=url, timeout=60.0)

    def close(self) -> None:
        self.http.close()

    def call(self, key: PrivateKey, msgtype: str, **fields: Any) -> Reply:
        message = {"msgtype": msgtype, **fields}
        response = self.http.post("/api", json=encode_request(message, key))
        return decode_reply(response.content, response.status_code)

    def ok(self, key: PrivateKey, msgtype: str, **fields: Any) -> Any:
        """The result of a call that must succeed."""
        reply = self.call(key, msgtype, **fields)
        assert not reply.error, f"{msgtype}: {reply.status} {reply.message}"
        return reply.result

    def fails(self, key: PrivateKey, msgtype: str, **fields: Any) -> tuple[int, str]:
        """``(status, message)`` of a call that must fail."""
        reply = self.call(key, msgtype, **fields)
        assert reply.error, f"{msgtype} unexpectedly succeeded: {reply.result!r}"
        return reply.status, reply.message


def colony(server: DevServer, prefix: str = "wl", **kwargs: Any) -> Bootstrap:
    """A fresh bootstrapped colony (own user and approved executor) on ``server``."""
    return server.bootstrap(f"{prefix}-{next(_colony_numbers)}", **kwargs)


def fn_spec(boot: Bootstrap, funcname: str = "echo", **overrides: Any) -> dict[str, Any]:
    """A FunctionSpec for ``boot``'s executor type with the safe limits (no timeouts)."""
    conditions = {"colonyname": boot.colony_name, "executortype": boot.executor_type}
    conditions.update(overrides.pop("conditions", {}))
    spec: dict[str, Any] = {
        "funcname": funcname,
        "maxexectime": -1,
        "maxretries": -1,
        "conditions": conditions,
    }
    spec.update(overrides)
    return spec
