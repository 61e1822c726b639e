"""Which replica acts on a device event: one shard of the kind's blueprints per replica.

Every replica of a reconciler usually sees every device event (they all subscribe to the same
MQTT topics or Home Assistant stream), and a command sent once per replica is exactly what
must not happen. As in kube-state-metrics, each replica applies the same ``keep()`` to a
blueprint's name: an FNV-1a hash, jump-hashed over the live executors of this type and
location sorted by name, must land on this replica's own position. Events, requeues,
``observe_interval`` polls and a reconnect's "reconcile everything" all go through it, so a
blueprint's device-side work has one home.

Guarantees: with a settled membership, each blueprint's events are handled by exactly one
replica, and a lone replica keeps everything without hashing. Membership is read with one
``getexecutorsmsg`` every ``period`` seconds (the ``worker.shard_refresh`` setting, 15 s);
an executor counts as live when the server heard from it (its assign calls, protocol 5.5)
within ``STALE_AFTER`` of the most recently heard one, so server and runtime clocks need not
agree.

The owner must have observed a blueprint before it can name it in an event, yet the
blueprint's add or spec change may have run on another replica. So with more than one
replica, at start-up and at every refresh (and once when a replica finds itself alone after
a change), each replica lists the kind once and reconciles the blueprints of its shard it
has not reconciled at their current version (``shard_entry.py``). Bound: a blueprint's
events reach its owner at most one refresh period after its add or spec change was
reconciled, wherever that ran. Cost: one ``getblueprintsmsg`` per replica per refresh period
with more than one replica (none per resync, none for a lone replica, which runs every
process itself), plus one reconcile (an observe, no command) for each blueprint another
replica added or changed and for each one that moved into the shard.

The same reads tell ``writers.py`` whether this replica is the only writer of the kind's
statuses (then a status write needs no re-read) and when a joining replica may write.

Caveats: there is no rebalancing handshake, so for up to one period after a replica starts
or dies two replicas may both act on one blueprint (one duplicate command at most) or none
may (the shard-entry pass or the server's 60 s resync still converges it). Processes the
server assigns (spec changes, resyncs, catch-up) are not sharded: the server's exclusive
assignment already gives each one to one replica, and a resync meeting another replica's
event reconcile of the same blueprint can send one duplicate command.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from datetime import timedelta

from colonies.client import AsyncColoniesClient
from colonies.models import Executor
from colonies.models.identity import ExecutorState
from colonies.runtime.writers import WriterGuard

log = logging.getLogger("colonies.runtime")

STALE_AFTER = timedelta(minutes=3)
"""Longer than the keep-alive assign's 60 s default (and any assign long poll)."""

_FNV_OFFSET = 0xCBF29CE484222325
_FNV_PRIME = 0x100000001B3
_MASK = 0xFFFFFFFFFFFFFFFF


def fnv1a(text: str) -> int:
    """64-bit FNV-1a of ``text``'s UTF-8 bytes: stable across processes, unlike ``hash``."""
    value = _FNV_OFFSET
    for byte in text.encode():
        value = ((value ^ byte) * _FNV_PRIME) & _MASK
    return value


def jump_hash(key: int, buckets: int) -> int:
    """Lamping and Veach's jump consistent hash: the bucket of ``key`` among ``buckets``;
    going from n to n+1 buckets moves only 1/(n+1) of the keys."""
    bucket, jump = -1, 0
    while jump < buckets:
        bucket = jump
        key = (key * 2862933555777941757 + 1) & _MASK
        jump = int((bucket + 1) * ((1 << 31) / ((key >> 33) + 1)))
    return bucket


def owner(name: str, members: Sequence[str]) -> str:
    """The member (of a sorted list) whose shard keeps blueprint ``name``."""
    return members[0] if len(members) == 1 else members[jump_hash(fnv1a(name), len(members))]


def peers_of(executors: list[Executor], executor_type: str, location: str) -> list[Executor]:
    """The approved executors of this type and location."""
    return [
        executor
        for executor in executors
        if executor.executor_type == executor_type
        and executor.state is ExecutorState.APPROVED
        and executor.location_name.lower() == location.lower()
    ]


def live_members(
    executors: list[Executor], own: str, executor_type: str, location: str
) -> list[str]:
    """Names of the approved, recently heard executors of this type and location, sorted,
    always including ``own``."""
    peers = peers_of(executors, executor_type, location)
    heard = [executor.last_heard_from_time for executor in peers if executor.last_heard_from_time]
    newest = max(heard, default=None)
    names = {own}
    for executor in peers:
        last = executor.last_heard_from_time
        if newest is not None and last is not None and newest - last <= STALE_AFTER:
            names.add(executor.executor_name)
    return sorted(names)


class Shards:
    """This replica's view of the membership (re-read every ``period`` seconds by the
    event queue), ``keep()`` over it, and what it tells ``writers`` (see ``writers.py``)."""

    def __init__(
        self,
        client: AsyncColoniesClient,
        colony: str,
        executor_type: str,
        location: str | None,
        own: str,
        period: float,
    ) -> None:
        self.client = client
        self.colony = colony
        self.executor_type = executor_type
        self.location = location or ""
        self.own = own
        self.period = period
        self.members: list[str] = [own]
        self.writers = WriterGuard(period)

    def keep(self, name: str) -> bool:
        """Whether this replica handles the device side of blueprint ``name``."""
        return owner(name, self.members) == self.own

    async def join(self, timeout: float = 2.0) -> None:
        """First reads: until one lists this replica as heard from (the workers' first
        assign is on its way; ``writers.py`` needs it), for at most ``timeout`` seconds,
        after which the membership loop keeps trying."""
        deadline = time.monotonic() + timeout
        await self.refresh()
        while not self.writers.heard and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            await self.refresh()

    async def refresh(self) -> bool:
        """Read the membership again (one call); whether it changed. On an error the last
        view stays: a failed read must not make every replica act on everything."""
        sent = time.monotonic()
        try:
            executors = await self.client.get_executors(self.colony)
        except Exception as error:
            log.debug("could not list executors for sharding: %s", error)
            return False
        members = live_members(executors, self.own, self.executor_type, self.location)
        heard = any(
            executor.executor_name == self.own and executor.last_heard_from_time is not None
            for executor in peers_of(executors, self.executor_type, self.location)
        )
        self.writers.membership_read(sent=sent, heard=heard, alone=members == [self.own])
        if members == self.members:
            return False
        log.info(
            "device events: replica %d of %d (%s)",
            members.index(self.own) + 1,
            len(members),
            ", ".join(members),
        )
        self.members = members
        return True
