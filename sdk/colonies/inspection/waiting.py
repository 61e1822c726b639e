"""Waiting for a blueprint's condition or deletion: one loop for ``colonies-sdk wait`` and the
test runner's ``wait_converged``.

The loop polls with a deadline and judges each reading with
:func:`colonies.inspection.conditions.read_condition`: it returns once the condition holds for
the current generation, stops at once on a terminal failure with the condition's message, and
on timeout says what it saw last, naming the blueprint."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from colonies.inspection.conditions import Reading, Verdict, WantedCondition, read_condition
from colonies.models import Blueprint

Fetch = Callable[[], Awaitable[Blueprint | None]]
"""Reads the blueprint; ``None`` while it does not exist."""


class WaitError(Exception):
    """A wait ended without the blueprint reaching what was wanted."""


class TerminalFailureError(WaitError):
    """The current generation failed for good: waiting longer cannot help."""


class WaitTimeoutError(WaitError):
    """The deadline passed; the message says what was seen last."""


async def wait_for_condition(
    fetch: Fetch, wanted: WantedCondition, *, timeout: float, what: str, interval: float = 0.2
) -> Blueprint:
    """Poll until ``wanted`` holds for the current generation of the blueprint ``what`` names."""
    deadline = time.monotonic() + timeout
    seen = "not found"
    while True:
        blueprint = await fetch()
        if blueprint is not None:
            reading: Reading = read_condition(blueprint, wanted)
            if reading.verdict is Verdict.MET:
                return blueprint
            if reading.verdict is Verdict.FAILED:
                raise TerminalFailureError(f"{what} failed: {reading.seen}")
            seen = reading.seen
        if time.monotonic() >= deadline:
            raise WaitTimeoutError(
                f"timed out after {timeout:g}s waiting for {what} to be {wanted}; last seen: {seen}"
            )
        await asyncio.sleep(interval)


async def wait_for_deletion(
    fetch: Fetch, *, timeout: float, what: str, interval: float = 0.2
) -> None:
    """Poll until the blueprint ``what`` names no longer exists."""
    deadline = time.monotonic() + timeout
    while await fetch() is not None:
        if time.monotonic() >= deadline:
            raise WaitTimeoutError(f"timed out after {timeout:g}s waiting for {what} to be deleted")
        await asyncio.sleep(interval)
