"""The runtime's connection state and its patience with an unreachable server.

Writes that must not be lost (status, close, fail) are retried here with capped exponential
backoff for as long as the server cannot be reached; the runtime's shutdown deadline is
the only limit. Reads the client already retries; this layer also tracks "connected" for
``/readyz`` and counts outages for ``/metrics``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from typing import TypeVar

from colonies.errors import ColoniesConnectionError, ColoniesError, ColoniesTimeoutError
from colonies.runtime.metrics import RuntimeMetrics

T = TypeVar("T")

log = logging.getLogger("colonies.runtime")

_TRANSIENT_STATUSES = frozenset({502, 503, 504})


def is_paused(error: BaseException) -> bool:
    """The colony's assignments are paused (408 on a long poll, 503 on a single try)."""
    return isinstance(error, ColoniesError) and "paused" in error.message


def is_unreachable(error: BaseException) -> bool:
    """The server could not be reached or answered like a proxy in front of a dead one."""
    if is_paused(error):
        return False
    if isinstance(error, ColoniesConnectionError | ColoniesTimeoutError):
        return True
    return isinstance(error, ColoniesError) and error.status in _TRANSIENT_STATUSES


class Backoff:
    """Capped exponential delays with jitter: 0.2 s, 0.4 s, ... up to ``max_delay``."""

    def __init__(self, max_delay: float, initial: float = 0.2) -> None:
        self.initial = min(initial, max_delay)
        self.max_delay = max_delay
        self._next = self.initial

    def next_delay(self) -> float:
        delay = self._next
        self._next = min(self._next * 2, self.max_delay)
        return delay * random.uniform(0.8, 1.2)

    def reset(self) -> None:
        self._next = self.initial


async def sleep_unless(event: asyncio.Event, seconds: float) -> None:
    """Wait ``seconds``, or less if ``event`` is set first (a stop, a new arrival)."""
    if seconds > 0 and not event.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)


class ServerLink:
    """Wraps server calls: tracks reachability and retries the ones that must land."""

    def __init__(self, metrics: RuntimeMetrics, max_delay: float) -> None:
        self.metrics = metrics
        self.max_delay = max_delay
        self.connected = False

    def succeeded(self) -> None:
        if not self.connected:
            log.info("connected to the ColonyOS server")
        self.connected = True

    def failed(self, what: str, error: BaseException) -> None:
        self.metrics.server_unreachable()
        if self.connected:
            log.warning("lost the ColonyOS server during %s: %s", what, error)
        self.connected = False

    async def call(self, what: str, operation: Callable[[], Awaitable[T]]) -> T:
        """Run ``operation`` once, recording whether the server was reachable."""
        try:
            result = await operation()
        except Exception as error:
            if is_unreachable(error):
                self.failed(what, error)
            raise
        self.succeeded()
        return result

    async def persist(self, what: str, operation: Callable[[], Awaitable[T]]) -> T:
        """Run ``operation`` until the server answers; other errors are raised at once.

        Use only for calls that are safe to repeat (full status replace, close, fail).
        """
        backoff = Backoff(self.max_delay)
        while True:
            try:
                return await self.call(what, operation)
            except Exception as error:
                if not is_unreachable(error):
                    raise
                delay = backoff.next_delay()
                log.debug("retrying %s in %.1fs", what, delay)
                await asyncio.sleep(delay)
