"""The writer guard's two rules (``colonies/runtime/writers.py``): when the status re-read may
be skipped, and when a replica joining others may write."""

from __future__ import annotations

import asyncio
import time

import pytest

from colonies.runtime import writers
from colonies.runtime.writers import WriterGuard


async def test_a_replica_alone_from_its_first_read_writes_at_once_and_skips_the_re_read() -> None:
    guard = WriterGuard(period=15.0)
    read_first = time.monotonic()
    guard.membership_read(sent=time.monotonic(), heard=True, alone=True)
    await asyncio.wait_for(guard.wait_joined(), 0.1)
    assert guard.sole_writer(time.monotonic())
    assert not guard.sole_writer(read_first), "read before the first alone read: re-read it"


async def test_nothing_is_decided_before_a_read_lists_this_replica() -> None:
    guard = WriterGuard(period=15.0)
    guard.membership_read(sent=time.monotonic(), heard=False, alone=True)
    assert not guard.heard
    assert not guard.sole_writer(time.monotonic())
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(guard.wait_joined(), 0.05)


async def test_a_replica_joining_others_writes_one_period_later_and_re_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(writers, "SLACK", 0.0)
    guard = WriterGuard(period=0.2)
    guard.membership_read(sent=time.monotonic(), heard=True, alone=False)
    assert guard.heard
    assert not guard.joined
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(guard.wait_joined(), 0.1)
    await asyncio.wait_for(guard.wait_joined(), 1.0)
    assert guard.joined
    assert not guard.sole_writer(time.monotonic())


async def test_another_replica_ends_the_alone_streak_and_a_new_one_starts_later() -> None:
    guard = WriterGuard(period=15.0)
    guard.membership_read(sent=time.monotonic(), heard=True, alone=True)
    read_during_first_streak = time.monotonic()
    guard.membership_read(sent=time.monotonic(), heard=True, alone=False)
    assert not guard.sole_writer(read_during_first_streak)
    guard.membership_read(sent=time.monotonic(), heard=True, alone=True)
    assert not guard.sole_writer(read_during_first_streak), "another writer came and went"
    assert guard.sole_writer(time.monotonic())


async def test_an_old_membership_read_no_longer_proves_anything() -> None:
    guard = WriterGuard(period=15.0)
    long_ago = time.monotonic() - 60
    guard.membership_read(sent=long_ago, heard=True, alone=True)
    assert not guard.sole_writer(long_ago), "the reads stopped: another replica may have come"
