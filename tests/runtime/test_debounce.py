"""The per-blueprint debounce: a burst becomes one release, capped, bounded, flushed."""

from __future__ import annotations

import asyncio

from colonies.runtime.debounce import Debouncer


class Released:
    """Records each release and lets a test wait for a number of them."""

    def __init__(self) -> None:
        self.batches: list[tuple[str, list[int]]] = []
        self.changed = asyncio.Event()

    async def __call__(self, key: str, items: list[int]) -> None:
        self.batches.append((key, items))
        self.changed.set()

    async def wait_for(self, count: int) -> None:
        while len(self.batches) < count:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 30)


async def test_a_burst_per_key_is_released_once_with_all_its_items() -> None:
    released = Released()
    debouncer = Debouncer(delay=0.05, max_delay=10, limit=100, release=released)
    for item in range(5):
        await debouncer.add("desk", item)
    await debouncer.add("hall", 9)
    assert debouncer.waiting == 6
    await released.wait_for(2)
    assert sorted(released.batches) == [("desk", [0, 1, 2, 3, 4]), ("hall", [9])]
    assert debouncer.waiting == 0


async def test_a_key_changed_without_pause_is_released_at_the_cap() -> None:
    released = Released()
    debouncer = Debouncer(delay=0.2, max_delay=0.2, limit=100, release=released)
    item = 0
    while not released.batches:  # a new item long before each window would end
        await debouncer.add("desk", item)
        item += 1
        await asyncio.sleep(0.01)
    assert released.batches[0][0] == "desk"
    assert released.batches[0][1] == list(range(len(released.batches[0][1])))


async def test_adding_waits_while_the_limit_is_reached() -> None:
    released = Released()
    debouncer = Debouncer(delay=0.05, max_delay=1, limit=2, release=released)
    await debouncer.add("a", 1)
    await debouncer.add("b", 2)
    third = asyncio.create_task(debouncer.add("c", 3))
    await asyncio.sleep(0)
    assert not third.done(), "two items wait: the third waits for room"
    await released.wait_for(2)
    await asyncio.wait_for(third, 30)
    await released.wait_for(3)


async def test_flush_releases_every_window_at_once_and_waits_for_the_handling() -> None:
    handled: list[str] = []

    async def slow(key: str, items: list[int]) -> None:
        await asyncio.sleep(0.01)
        handled.append(key)

    debouncer = Debouncer(delay=3600, max_delay=3600, limit=100, release=slow)
    await debouncer.add("a", 1)
    await debouncer.add("b", 2)
    await debouncer.flush()
    assert sorted(handled) == ["a", "b"]
    assert debouncer.waiting == 0
