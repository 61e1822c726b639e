"""The async client's transport: our HTTP/1.1 pool (``colonies/client/_http11.py``) against
``httpx.AsyncClient``, side by side on the same server, at 4 and 16 concurrent workers.

The pool exists because it saved client CPU against the dev server; it keeps its place only
if it also wins where users run, against a real server.
"""

from __future__ import annotations

import asyncio
import time
from typing import TypeVar

import httpx

from bench.report import Report, Row, percentile
from colonies.client import AsyncColoniesClient
from colonies.client._call import Call
from colonies.client._core import API_PATH, PreparedCall
from colonies.testing.targets import ThrowawayColony

T = TypeVar("T")


class HttpxAsyncClient(AsyncColoniesClient):
    """The async client on ``httpx.AsyncClient``, as it was before the pool."""

    _http: httpx.AsyncClient

    def _open_transport(self) -> None:
        self._http = httpx.AsyncClient(**self._core.http_options())

    async def aclose(self) -> None:
        if self._owns_transport:
            await self._http.aclose()

    async def _send(self, call: Call[T], prepared: PreparedCall) -> T:
        started = time.perf_counter()
        response = await self._http.post(API_PATH, content=prepared.body, timeout=prepared.timeout)
        return self._core.interpret(call, response.status_code, response.content, started)


async def _latencies(
    client: AsyncColoniesClient, colony: str, workers: int, calls: int
) -> tuple[float, list[float]]:
    """``workers`` tasks share ``client`` for ``calls`` signed reads in all; (RPC/s, samples)."""
    samples: list[float] = []

    async def worker() -> None:
        for _ in range(calls // workers):
            start = time.perf_counter()
            await client.get_executors(colony)
            samples.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(workers)))
    return len(samples) / (time.perf_counter() - start), samples


async def _compare(
    colony: ThrowawayColony, workers: int, calls: int
) -> dict[str, tuple[float, list[float]]]:
    """Both transports, alternating in rounds, so load from others hits both alike."""
    config, key = colony.target.config, colony.user_key
    results: dict[str, tuple[float, list[float]]] = {"pool": (0.0, []), "httpx": (0.0, [])}
    rounds = 4
    for _ in range(rounds):
        for name, kind in (("pool", AsyncColoniesClient), ("httpx", HttpxAsyncClient)):
            async with kind.from_config(config, key=key) as client:
                await client.get_executors(colony.name)  # open the connections first
                rate, samples = await _latencies(client, colony.name, workers, calls // rounds)
            total, kept = results[name]
            results[name] = (total + rate / rounds, kept + samples)
    return results


def run(report: Report, colony: ThrowawayColony, *, calls: int, workers: list[int]) -> None:
    for count in workers:
        results = asyncio.run(_compare(colony, count, calls))
        (pool_rate, pool), (httpx_rate, plain) = results["pool"], results["httpx"]
        section = f"async transport ({count} workers, one client)"
        report.add(Row(section, "signed RPCs/s: our pool vs httpx", pool_rate, "RPC/s", httpx_rate))
        report.add(
            Row(
                section,
                "p95 latency: our pool vs httpx",
                percentile(pool, 95) * 1e3,
                "ms",
                percentile(plain, 95) * 1e3,
            )
        )
