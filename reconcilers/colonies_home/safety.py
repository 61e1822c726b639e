"""Actuation safety: never hammer a device or a hub.

Two limits apply to every command: a minimum interval between commands to one device (a relay
or a motor should not chatter when specs flap) and a rate limit per backend (a token bucket, so
a resync that corrects many devices does not flood the Zigbee network or the hub).
Commands wait for their turn rather than being dropped: the spec still wins, just not at once.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SafetyLimits:
    """``min_interval`` seconds between commands to one device; ``rate`` commands per second
    per backend with bursts of up to ``burst``."""

    min_interval: float = 1.0
    rate: float = 5.0
    burst: int = 5

    def __post_init__(self) -> None:
        if self.min_interval < 0 or self.rate <= 0 or self.burst < 1:
            raise ValueError("min_interval >= 0, rate > 0 and burst >= 1 are required")


class _TokenBucket:
    def __init__(self, rate: float, burst: int, now: float) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.updated = now

    def wait_needed(self, now: float) -> float:
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


class ActuationGuard:
    """Hands out turns to send a command; ``clock``/``sleep`` are injectable for tests."""

    def __init__(
        self,
        limits: SafetyLimits | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.limits = limits or SafetyLimits()
        self._clock = clock
        self._sleep = sleep
        self._last_command: dict[tuple[str, str], float] = {}
        self._device_locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._buckets: dict[str, _TokenBucket] = {}
        self._backend_locks: dict[str, asyncio.Lock] = {}
        self.granted = 0  # turns handed out: the number of commands sent

    async def turn(self, backend: str, device: str) -> float:
        """Wait until a command to ``device`` on ``backend`` is allowed, and count it as sent.

        Returns the seconds waited (for logs and the demo).
        """
        key = (backend, device)
        waited = 0.0
        async with self._device_locks.setdefault(key, asyncio.Lock()):
            last = self._last_command.get(key)
            if last is not None:
                waited += await self._pause(last + self.limits.min_interval - self._clock())
            async with self._backend_locks.setdefault(backend, asyncio.Lock()):
                bucket = self._buckets.get(backend)
                if bucket is None:
                    bucket = _TokenBucket(self.limits.rate, self.limits.burst, self._clock())
                    self._buckets[backend] = bucket
                while (delay := bucket.wait_needed(self._clock())) > 0:
                    waited += await self._pause(delay)
                bucket.take()
            self._last_command[key] = self._clock()
            self.granted += 1
        return waited

    async def _pause(self, delay: float) -> float:
        if delay <= 0:
            return 0.0
        await self._sleep(delay)
        return delay
