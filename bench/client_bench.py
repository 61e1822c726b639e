"""Signed RPCs per second and their latency, one client and several; assign-to-close cycles."""

from __future__ import annotations

import asyncio
import time

from bench.report import Report, Row, percentile
from colonies.models import Conditions, FunctionSpec
from colonies.testing.targets import ThrowawayColony


async def _rpc_latencies(colony: ThrowawayColony, clients: int, calls_each: int) -> list[float]:
    """Latency of ``get_executors`` (a signed, authorised read), ``clients`` at a time."""

    async def one_client() -> list[float]:
        samples: list[float] = []
        async with colony.async_client() as client:
            for _ in range(calls_each):
                start = time.perf_counter()
                await client.get_executors(colony.name)
                samples.append(time.perf_counter() - start)
        return samples

    results = await asyncio.gather(*(one_client() for _ in range(clients)))
    return [sample for samples in results for sample in samples]


async def _cycles(colony: ThrowawayColony, count: int) -> float:
    """Submit, assign and close ``count`` processes one after another; cycles per second."""
    spec = FunctionSpec(
        func_name="bench",
        conditions=Conditions(colony_name=colony.name, executor_type=colony.executor_type),
    )
    async with colony.async_client() as user, colony.async_client(colony.executor_key) as worker:
        start = time.perf_counter()
        for _ in range(count):
            await user.submit(spec)
            process = await worker.assign(colony.name, timeout=5)
            assert process is not None
            await worker.close_process(process.process_id, ["ok"])
        return count / (time.perf_counter() - start)


def run(report: Report, colony: ThrowawayColony, *, calls: int) -> None:
    """One client, then eight concurrent clients, then assign-to-close cycles."""
    for clients in (1, 8):
        start = time.perf_counter()
        samples = asyncio.run(_rpc_latencies(colony, clients, calls // clients))
        rate = len(samples) / (time.perf_counter() - start)
        label = f"{clients} client{'s' if clients > 1 else ''}"
        report.add(Row("client", f"signed RPCs/s, {label}", rate, "RPC/s"))
        report.add(Row("client", f"p50 latency, {label}", percentile(samples, 50) * 1e3, "ms"))
        p95 = percentile(samples, 95) * 1e3
        report.add(
            Row(
                "client",
                f"p95 latency, {label}",
                p95,
                "ms",
                goal="< 5 ms (real server: 5-13 ms)" if clients == 1 else "",
                met=(p95 < 5) if clients == 1 else None,
            )
        )
        report.add_samples(f"RPC, {label}", samples)
    cycles = asyncio.run(_cycles(colony, max(calls // 10, 5)))
    report.add(Row("client", "submit-assign-close cycles/s", cycles, "cycles/s"))
