"""Device work under the retry policy: only the attempt's own deadline is reported as the
runtime's timeout; a ``TimeoutError`` raised by the device is an ordinary temporary error."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from colonies.client import AsyncColoniesClient
from colonies.runtime.engine import Engine
from colonies.runtime.link import ServerLink
from colonies.runtime.metrics import RuntimeMetrics
from tests.runtime.lamps import Lamps

ATTEMPTS = Lamps.retry.attempts


@pytest.fixture
async def engine() -> AsyncIterator[Engine]:
    """An engine whose client is never called: device work does not talk to the server."""
    metrics = RuntimeMetrics("Lamp", 1)
    async with AsyncColoniesClient("127.0.0.1", 9) as client:
        yield Engine(Lamps(), client, "colony", metrics, ServerLink(metrics, 1.0), timeout=0.05)


async def test_an_attempt_over_its_deadline_is_the_runtime_s_timeout(engine: Engine) -> None:
    async def hang() -> None:
        await asyncio.Event().wait()

    with pytest.raises(TimeoutError, match=r"^timed out after 0.05s$"):
        await engine.device_work(hang)
    assert engine.metrics.value("reconcile_errors_total", error="timeout") == ATTEMPTS
    assert engine.metrics.value("reconcile_retries_total") == ATTEMPTS - 1


async def test_a_device_s_own_timeout_error_keeps_its_message(engine: Engine) -> None:
    async def no_answer() -> None:
        raise TimeoutError("bulb did not answer")

    with pytest.raises(TimeoutError, match=r"^bulb did not answer$"):
        await engine.device_work(no_answer)
    assert engine.metrics.value("reconcile_errors_total", error="temporary") == ATTEMPTS
    assert engine.metrics.value("reconcile_errors_total", error="timeout") == 0
