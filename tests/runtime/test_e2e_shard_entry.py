"""End to end: a blueprint whose add ran on the other replica is observed by the replica that
owns its events within a membership refresh, so a reconciler that names only the devices it
has observed (as the home reconcilers do) still gets one command per event; a lone replica
lists nothing for it."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

from colonies.runtime import Diff, Resource
from colonies.runtime.sharding import owner
from colonies.runtime.triggers import SHARD_ENTRY, Requeued
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner, poll
from tests.runtime.lamps import LampBoard, Lamps, LampSpec, LampStatus
from tests.runtime.wall_lamps import SOURCE, WallBoard, WallLamps

REFRESH = "0.3"
BLOCKER = "blocker"


@dataclass
class Blocker:
    """Holds the first replica that applies ``BLOCKER`` until ``release`` is set; the other
    replica (a catch-up or resync may give it the blueprint too) passes."""

    release: asyncio.Event = field(default_factory=asyncio.Event)
    entered: asyncio.Event = field(default_factory=asyncio.Event)
    holder: NamingLamps | None = None


class NamingLamps(WallLamps):
    """Announces only the devices of blueprints it has observed: the device-to-blueprint map
    of a home reconciler is learned from the specs it reads."""

    timeout = 300.0  # one replica's only worker is held in an apply for most of the test

    def __init__(self, board: WallBoard, blocker: Blocker) -> None:
        super().__init__(board)
        self.blocker = blocker
        self.known: set[str] = set()
        self.applied: list[str] = []

    async def startup(self) -> None:
        self.board.listeners.append(self._heard)

    def _heard(self, name: str) -> None:
        if name in self.known:
            self.events.changed(name, source=SOURCE)

    async def observe(self, resource: Resource[LampSpec]) -> LampStatus:
        self.known.add(resource.name)
        return await super().observe(resource)

    async def apply(self, resource: Resource[LampSpec], diff: Diff) -> LampStatus | None:
        self.applied.append(resource.name)
        blocker = self.blocker
        if resource.name == BLOCKER and blocker.holder in (None, self):
            blocker.holder = self
            blocker.entered.set()
            await blocker.release.wait()
        return await super().apply(resource, diff)


def replica(board: WallBoard, colony: ThrowawayColony, blocker: Blocker) -> ReconcilerRunner:
    """A replica with one worker, short membership refreshes, and no keep-alive assign
    within the test (it could take a process for the held replica)."""
    return ReconcilerRunner(
        NamingLamps(board, blocker),
        colony,
        concurrency=1,
        heartbeat_interval=300.0,
        overrides={"COLONIES_RECONCILER_SHARD_REFRESH": REFRESH},
    )


def lamps(runner: ReconcilerRunner) -> NamingLamps:
    reconciler = runner.runtime.reconciler
    assert isinstance(reconciler, NamingLamps)
    return reconciler


def members(runner: ReconcilerRunner) -> list[str]:
    shards = runner.runtime.events.shards
    assert shards is not None
    return shards.members


async def test_the_owner_observes_a_blueprint_the_other_replica_added(
    colony: ThrowawayColony,
) -> None:
    board, blocker = WallBoard(), Blocker()
    async with replica(board, colony, blocker) as one, replica(board, colony, blocker) as two:

        async def quiet() -> bool:
            return all(
                runner.runtime.events.pending == 0
                and runner.runtime.handler is not None
                and not runner.runtime.handler.serializer.pending
                for runner in (one, two)
            )

        async def membership_of_two() -> bool:
            return len(members(one)) == len(members(two)) == 2

        await poll(membership_of_two, timeout=60, what="a membership of two")
        # Hold one replica's only worker in an apply, so the other one runs every add below.
        await one.set_spec(BLOCKER, {"power": True})
        await asyncio.wait_for(blocker.entered.wait(), 60)
        held, free = (one, two) if blocker.holder is lamps(one) else (two, one)
        held_name = held.runtime.identity.name if held.runtime.identity else ""
        candidates = (f"lamp-{index}" for index in range(64))
        names = [name for name in candidates if owner(name, members(held)) == held_name][:3]
        for name in names:
            await free.set_spec(name, {"power": True, "level": 30})
        for name in names:
            await free.wait_converged(name)
        assert not set(names) & set(lamps(held).applied), "the adds ran on the other replica"

        async def owner_observed() -> bool:
            return set(names) <= lamps(held).known

        await poll(owner_observed, timeout=60, what="the owner's shard-entry observes")
        assert held.metric("device_events_total", source="shard", event="shard") >= len(names)
        blocker.release.set()
        await one.wait_converged(BLOCKER)
        await poll(quiet, timeout=60, what="every reconcile finished")
        assert sorted(c.name for c in board.commands if c.name in names) == sorted(names), "one add"

        for name in names:
            board.switch(name, power=False)

        async def corrected() -> bool:
            return all(board.devices[name].power for name in names) and await quiet()

        await poll(corrected, timeout=60, what="every lamp corrected by its owner")
        commands = sorted(c.name for c in board.commands if c.name in names)
        assert commands == sorted(names * 2), "one command per add, one per event"
        assert sorted(name for name in lamps(held).applied if name in names) == sorted(names)


def requests(runner: ReconcilerRunner, msgtype: str) -> float:
    return runner.metric("client_requests_total", msgtype=msgtype, code="200")


async def test_a_lone_replica_lists_nothing_at_its_refreshes(colony: ThrowawayColony) -> None:
    async with replica(WallBoard(), colony, Blocker()) as runner:
        await runner.set_spec("hall", {"power": True})
        await runner.wait_converged("hall")
        lists = requests(runner, "getblueprintsmsg")
        resyncs = runner.metric("processes_total", trigger="resync")
        reads = requests(runner, "getexecutorsmsg")

        async def refreshed() -> bool:
            return requests(runner, "getexecutorsmsg") >= reads + 5

        await poll(refreshed, timeout=60, what="five membership refreshes")
        resynced = runner.metric("processes_total", trigger="resync") - resyncs
        assert requests(runner, "getblueprintsmsg") == lists + resynced, "none per refresh"
        assert runner.metric("device_events_total", source="shard", event="shard") == 0


async def test_a_shard_entry_look_observes_the_blueprint_as_listed_and_commands_nothing(
    colony: ThrowawayColony,
) -> None:
    """By the time the look runs, the listed spec may be stale and another replica may be
    applying the newer one: the look only lets the reconciler learn the device."""
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board), colony) as runner:
        await runner.set_spec("a", {"power": True, "level": 10})
        await runner.wait_converged("a")
        listed = await runner.client.get_blueprint_documents(colony.name, runner.kind)
        release = board.hold("a")
        await runner.set_spec("a", {"power": True, "level": 20})
        await board.entered["a"].wait()  # generation 1's trigger is applying it
        entry = Requeued("a", SHARD_ENTRY, time.monotonic(), listed[0])
        handler = runner.runtime.handler
        assert handler is not None
        report = await handler.engine.reconcile("a", cause=entry)
        assert report.summary == "observed on entering this replica's shard"
        release.set()
        await runner.wait_converged("a")
        assert [command.generation for command in board.commands] == [0, 1]
