"""End to end, dev server only: a server restart mid-reconcile, and the executor heartbeat
against the server's stale-executor cleanup (protocol 5.5) with a short timeout."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from colonies.devserver import DevServerSettings
from colonies.models import ExecutorState, ProcessState
from colonies.testing.runner import ReconcilerRunner
from tests.helpers import eventually_async
from tests.runtime.devcolony import private_colony
from tests.runtime.lamps import LampBoard, Lamps


async def test_a_server_restart_mid_reconcile_loses_no_work(tmp_path: Path) -> None:
    board = LampBoard()
    settings = DevServerSettings(database=tmp_path / "colonies.db")
    async with (
        private_colony(settings) as colony,
        ReconcilerRunner(Lamps(board), colony, reconnect_max_delay=0.5) as runner,
    ):
        server = colony.target.devserver
        assert server is not None
        runtime = runner.runtime
        await runner.set_spec("a", {"power": True, "level": 10})
        await runner.wait_converged("a")

        release = board.hold("a")
        await runner.set_spec("a", {"power": True, "level": 20})
        await board.entered["a"].wait()
        await asyncio.to_thread(server.stop)
        release.set()  # the device changes while the server is down
        await eventually_async(lambda: asyncio.sleep(0, result=not runtime.link.connected))
        async with httpx.AsyncClient(base_url=runtime.health.url) as http:
            assert (await http.get("/readyz")).status_code == 503
            assert (await http.get("/healthz")).status_code == 200, "down server: alive, unready"
            await asyncio.to_thread(server.start)

            blueprint = await runner.wait_converged("a")
            assert (blueprint.status or {})["level"] == 20
            await eventually_async(lambda: asyncio.sleep(0, result=runtime.ready))
            assert (await http.get("/readyz")).status_code == 200

        async def both_closed() -> bool:
            done = await runner.client.get_processes(colony.name, state=ProcessState.SUCCESS)
            return len(done) == 2

        await eventually_async(both_closed)
        # the intake reconnected: new work after the restart is taken as usual
        await runner.set_spec("a", {"power": False, "level": 20})
        await runner.wait_converged("a")
        assert [c.generation for c in board.commands_for("a")] == [0, 1, 2]
        assert runner.metric("server_connection_errors_total") > 0


async def held_past_stale_timeout(runner: ReconcilerRunner, board: LampBoard) -> None:
    """Hold a reconcile (the only worker busy) until the server's stale check had time to
    drop a silent executor several times over."""
    board.hold("a")
    await runner.set_spec("a", {"power": True})
    await board.entered["a"].wait()
    started = time.monotonic()
    await eventually_async(
        lambda: asyncio.sleep(0, result=time.monotonic() - started > 3 * STALE_AFTER)
    )


STALE_AFTER = 1.0
STALE = DevServerSettings(stale_executor_after=STALE_AFTER, stale_check_period=0.1)


async def test_the_heartbeat_keeps_a_busy_executor_registered() -> None:
    board = LampBoard()
    async with (
        private_colony(STALE) as colony,
        ReconcilerRunner(Lamps(board), colony, concurrency=1, heartbeat_interval=0.2) as runner,
    ):
        await held_past_stale_timeout(runner, board)
        identity = runner.runtime.identity
        assert identity is not None
        executor = await runner.client.get_executor(colony.name, identity.name)
        assert executor.state == ExecutorState.APPROVED
        assert runner.metric("heartbeats_total") >= 3
        running = await runner.client.get_processes(colony.name, state=ProcessState.RUNNING)
        assert [p.assigned_executor_id for p in running] == [identity.key.id]

        # new work while the only worker is busy: the keep-alive takes it into the hand-off
        await runner.set_spec("b", {"power": True})
        await eventually_async(
            lambda: asyncio.sleep(0, result=runner.metric("pending_processes") == 1)
        )
        assert not await runner.client.get_processes(colony.name, state=ProcessState.WAITING)

        board.gates["a"].set()
        await runner.wait_converged("a")
        await runner.wait_converged("b")
        assert runner.metric("pending_processes") == 0
        done = await runner.client.get_processes(colony.name, state=ProcessState.SUCCESS)
        assert len(done) == 2


async def test_without_heartbeat_the_server_drops_the_executor_and_the_runtime_recovers() -> None:
    board = LampBoard()
    async with (
        private_colony(STALE) as colony,
        ReconcilerRunner(Lamps(board), colony, concurrency=1, heartbeat_interval=3600) as runner,
    ):
        identity = runner.runtime.identity
        assert identity is not None
        await held_past_stale_timeout(runner, board)
        executor = await runner.client.get_executor(colony.name, identity.name)
        assert executor.state == ExecutorState.UNREGISTERED, "the control: a silent executor goes"

        board.gates["a"].set()
        # its process was re-queued; the runtime re-registers and reconciles it again
        blueprint = await runner.wait_converged("a")
        assert blueprint.status is not None
        executor = await runner.client.get_executor(colony.name, identity.name)
        assert executor.state == ExecutorState.APPROVED
