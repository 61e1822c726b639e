"""Taking work from the server: N workers long-polling assign, plus a keep-alive.

A free worker first takes work the runtime found itself (a catch-up's changed blueprints,
see ``catch_up.py``), then asks the server.

Each worker asks for a process only when it is free, so the runtime never holds work it
cannot start. The server drops an executor that has not called assign for 10 minutes
(protocol 5.5), which would happen while every worker is stuck in long reconciles; the
heartbeat then makes a single non-waiting assign. If that returns a process, it waits in a
local hand-off queue for the next free worker: at most one process per heartbeat interval
is taken early, and only when every worker has been busy that long.

Once stopped, no process is started that an assign returns: a long poll in flight when
stop was requested may still be given one (cutting the poll off would lose it), and that
process is kept in ``declined`` for the runtime to hand back with the rest.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

from colonies.client import AsyncColoniesClient
from colonies.errors import ForbiddenError
from colonies.models import Process
from colonies.runtime.health import Liveness, current_loop
from colonies.runtime.link import Backoff, ServerLink, is_paused, is_unreachable, sleep_unless
from colonies.runtime.metrics import RuntimeMetrics
from colonies.runtime.settings import WorkerSettings

log = logging.getLogger("colonies.runtime")

HEARTBEAT_LOOP = "heartbeat"
HTTP_MARGIN = 15.0
"""Seconds an assign call may take beyond its long poll before its loop counts as stalled."""


class Intake:
    """Runs the workers and the heartbeat until :meth:`stop`; then drains and returns."""

    def __init__(
        self,
        *,
        client: AsyncColoniesClient,
        colony: str,
        settings: WorkerSettings,
        link: ServerLink,
        metrics: RuntimeMetrics,
        liveness: Liveness,
        handle: Callable[[Process], Awaitable[None]],
        local_work: Callable[[], Awaitable[None] | None],
        recover_identity: Callable[[], Awaitable[None]],
        reconcile_budget: float,
        on_handoff_change: Callable[[], None] = lambda: None,
    ) -> None:
        self.client = client
        self.colony = colony
        self.settings = settings
        self.link = link
        self.metrics = metrics
        self.liveness = liveness
        self.handle = handle
        self.local_work = local_work
        self.recover_identity = recover_identity
        self.reconcile_budget = reconcile_budget
        self.on_handoff_change = on_handoff_change
        self.handoff: deque[Process] = deque()
        self.declined: list[Process] = []
        self.stopping = asyncio.Event()
        self.busy_workers = 0
        self._assigning = 0
        self._last_assign = time.monotonic()

    def stop(self) -> None:
        """Stop asking for work; in-flight work and hand-off processes still finish, and a
        process an assign in flight still returns is declined."""
        self.stopping.set()

    def _taken(self, process: Process) -> bool:
        """Whether an assigned ``process`` may be started: not once stop was requested."""
        if not self.stopping.is_set():
            return True
        log.info(
            "process %s was assigned after stop was requested; handing it back", process.process_id
        )
        self.declined.append(process)
        return False

    async def run(self) -> None:
        loops = [self._worker(index) for index in range(self.settings.concurrency)]
        await asyncio.gather(*loops, self._heartbeat())

    async def _assign(self, timeout: int) -> Process | None:
        self._assigning += 1
        self._last_assign = time.monotonic()
        try:
            return await self.link.call(
                "assign", lambda: self.client.assign(self.colony, timeout=timeout)
            )
        finally:
            self._assigning -= 1

    async def _next_process(self, loop: str, backoff: Backoff) -> Process | None:
        self.liveness.promise(loop, self.settings.assign_timeout + HTTP_MARGIN)
        try:
            process = await self._assign(self.settings.assign_timeout)
        except Exception as error:
            if is_paused(error):
                log.debug("colony assignments are paused")
            elif is_unreachable(error):
                log.debug("assign failed, server unreachable: %s", error)
            elif isinstance(error, ForbiddenError):
                log.warning("the server no longer accepts this executor: %s", error.message)
                await self.recover_identity()
            else:
                log.exception("assign failed")
            await sleep_unless(self.stopping, backoff.next_delay())
            return None
        backoff.reset()
        return process if process is None or self._taken(process) else None

    async def _worker(self, index: int) -> None:
        loop = f"worker-{index}"
        current_loop.set(loop)
        backoff = Backoff(self.settings.reconnect_max_delay)
        while True:
            if self.handoff:
                handed = self.handoff.popleft()
                self.on_handoff_change()
                await self._run(loop, self.handle(handed))
            elif self.stopping.is_set():  # found work is dropped: no process waits on it
                break
            elif (local := self.local_work()) is not None:
                await self._run(loop, local)
            elif (assigned := await self._next_process(loop, backoff)) is not None:
                await self._run(loop, self.handle(assigned))
        self.liveness.retire(loop)

    async def _run(self, loop: str, work: Awaitable[None]) -> None:
        self.busy_workers += 1
        self.metrics.set_active_workers(self.busy_workers)
        self.liveness.promise(loop, self.reconcile_budget)
        try:
            await work
        except Exception:
            log.exception("unexpected error in %s", loop)
        finally:
            self.busy_workers -= 1
            self.metrics.set_active_workers(self.busy_workers)

    async def _heartbeat(self) -> None:
        interval = self.settings.heartbeat_interval
        tick = min(max(interval / 4, 0.05), 5.0)
        while not self.stopping.is_set():
            self.liveness.promise(HEARTBEAT_LOOP, tick * 3 + HTTP_MARGIN)
            await sleep_unless(self.stopping, tick)
            quiet = time.monotonic() - self._last_assign
            if self.stopping.is_set() or self._assigning or quiet < interval:
                continue
            try:
                process = await self._assign(-1)
            except Exception as error:
                log.debug("keep-alive assign failed: %s", error)
                continue
            self.metrics.heartbeat()
            if process is not None and self._taken(process):
                log.info(
                    "keep-alive assign took process %s; it waits for a free worker",
                    process.process_id,
                )
                self.handoff.append(process)
                self.on_handoff_change()
        self.liveness.retire(HEARTBEAT_LOOP)
