"""Waiting for process outcomes: a blueprint's status is written before its process is
closed or failed, so a test that saw the status must still wait for the process."""

from __future__ import annotations

from colonies.models import Process, ProcessState
from colonies.testing.runner import ReconcilerRunner
from tests.helpers import eventually_async


async def processes_in(runner: ReconcilerRunner, state: ProcessState, count: int) -> list[Process]:
    """The colony's processes in ``state``, once there are at least ``count`` of them."""

    async def enough() -> list[Process] | None:
        found = await runner.client.get_processes(runner.colony_name, state=state)
        return found if len(found) >= count else None

    return await eventually_async(enough)


async def failure_errors(runner: ReconcilerRunner, count: int) -> list[list[str]]:
    """The errors of the colony's failed processes, once ``count`` have failed and carry
    their errors: a real server marks a process failed and stores its errors in two
    separate writes, so a read in between shows a failed process without errors."""

    async def failed_with_errors() -> list[list[str]] | None:
        found = await processes_in(runner, ProcessState.FAILED, count)
        return [process.errors for process in found] if all(p.errors for p in found) else None

    return await eventually_async(failed_with_errors)
