"""The runtime's one interruptible wait: a stop or an arrival ends it early."""

from __future__ import annotations

import asyncio

from colonies.runtime.link import sleep_unless


async def test_the_wait_ends_after_its_seconds_or_when_the_event_is_set() -> None:
    event = asyncio.Event()
    await sleep_unless(event, 0.01)  # returns once the time is up
    waiting = asyncio.create_task(sleep_unless(event, 3600))
    await asyncio.sleep(0)
    assert not waiting.done()
    event.set()
    await asyncio.wait_for(waiting, 30)


async def test_a_set_event_or_no_time_left_returns_at_once() -> None:
    event = asyncio.Event()
    event.set()
    await asyncio.wait_for(sleep_unless(event, 3600), 30)
    await asyncio.wait_for(sleep_unless(asyncio.Event(), -1.0), 30)
