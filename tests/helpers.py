"""Small helpers shared by the test suites: wait for a condition without asserting on time."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from colonies.testing.runner import poll

T = TypeVar("T")


def eventually(
    check: Callable[[], T | None], *, timeout: float = 20.0, interval: float = 0.05
) -> T:
    """Poll ``check`` until it returns a truthy value; fail with its last value after ``timeout``.

    The deadline only bounds a hang; tests never assert on how long something took.
    """
    deadline = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s; last value: {last!r}")


async def eventually_async(
    check: Callable[[], Awaitable[T | None]], *, timeout: float = 20.0, interval: float = 0.05
) -> T:
    """The async twin of :func:`eventually`: the test kit's own poll, shared with users."""
    return await poll(check, timeout=timeout, what="condition", interval=interval)
