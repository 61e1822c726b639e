"""The baseline: the reconcile loop users write by hand today, with nothing but httpx and
coincurve (assign, get blueprint, command the device, update status, close).

It deliberately shares no code with the ``colonies`` package, so the comparison measures the
runtime against what people actually run.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import ssl
from typing import Any, Protocol

import coincurve
import httpx


class Device(Protocol):
    """Where a reconcile lands: counts commands so the storm benchmark can compare them."""

    def command(self, name: str, spec: dict[str, Any]) -> None: ...


class BareLoop:
    """``concurrency`` workers, each: assign -> get -> command -> status -> close."""

    def __init__(
        self,
        url: str,
        colony: str,
        executor_prvkey: str,
        device: Device,
        *,
        concurrency: int,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        """``verify`` is httpx's: a context with the server's CA for a private-CA server."""
        self._url = url.rstrip("/") + "/api"
        self._verify = verify
        self._colony = colony
        self._key = coincurve.PrivateKey(bytes.fromhex(executor_prvkey))
        self._device = device
        self._concurrency = concurrency
        self._stop = asyncio.Event()
        self.rpcs = 0
        """Requests sent so far: the load this loop puts on the server."""

    async def _rpc(self, http: httpx.AsyncClient, message: dict[str, Any]) -> tuple[int, Any]:
        payload = base64.b64encode(json.dumps(message).encode()).decode()
        digest = hashlib.sha3_256(payload.encode()).digest()
        signature = self._key.sign_recoverable(digest, hasher=None).hex()
        body = {"payloadtype": message["msgtype"], "payload": payload, "signature": signature}
        self.rpcs += 1
        response = await http.post(self._url, json=body)
        envelope = response.json()
        return response.status_code, json.loads(base64.b64decode(envelope["payload"]))

    async def _reconcile(self, http: httpx.AsyncClient, name: str) -> None:
        status, blueprint = await self._rpc(
            http, {"msgtype": "getblueprintmsg", "namespace": self._colony, "name": name}
        )
        if status != 200:
            return
        self._device.command(name, blueprint["spec"])
        observed = dict(blueprint["spec"])
        observed["observedGeneration"] = blueprint["metadata"].get("generation", 0)
        await self._rpc(
            http,
            {
                "msgtype": "updateblueprintstatusmsg",
                "colonyname": self._colony,
                "blueprintname": name,
                "status": observed,
            },
        )

    async def _worker(self, http: httpx.AsyncClient) -> None:
        while not self._stop.is_set():
            status, process = await self._rpc(
                http, {"msgtype": "assignprocessmsg", "colonyname": self._colony, "timeout": 1}
            )
            if status != 200:
                continue
            name = process["spec"]["kwargs"].get("blueprintName")
            if name:
                await self._reconcile(http, name)
            await self._rpc(
                http,
                {"msgtype": "closesuccessfulmsg", "processid": process["processid"], "out": []},
            )

    async def run(self) -> None:
        """Run until :meth:`stop`; each worker finishes the process it holds."""
        limits = httpx.Limits(max_connections=self._concurrency + 2)
        async with httpx.AsyncClient(timeout=30.0, limits=limits, verify=self._verify) as http:
            await asyncio.gather(*(self._worker(http) for _ in range(self._concurrency)))

    def stop(self) -> None:
        self._stop.set()
