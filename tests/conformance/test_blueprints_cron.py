"""The auto-created reconcile cron firing at its real 60 s interval (protocol 7.7).

Slow (two cron periods), so it only runs with ``COLONIES_CONFORMANCE_SLOW=1``; the dev
server's own tests cover the same rules with a 1 s interval.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

import pytest

from tests.conformance.target import Colony, Target
from tests.conformance.test_blueprints_scope import World

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(360),
    pytest.mark.skipif(
        os.environ.get("COLONIES_CONFORMANCE_SLOW") != "1",
        reason="waits for two 60 s cron periods; set COLONIES_CONFORMANCE_SLOW=1",
    ),
]


@pytest.fixture
def world(target: Target, colony: Colony) -> World:
    return World.of(target, colony, suffix=uuid.uuid4().hex[:8])


def assign(world: World) -> dict[str, Any]:
    """The next process for the colony's executor: long polls of 30 s (below the HTTP
    client's timeout) for up to two cron periods."""
    for _ in range(4):
        reply = world.wire.call(
            world.executor, "assignprocessmsg", colonyname=world.colony, timeout=30
        )
        if not reply.error:
            process: dict[str, Any] = reply.result
            return process
        assert (reply.status, reply.message) == (404, "No process available for assignment")
    raise AssertionError("no process was assigned within two cron periods")


def close(world: World, process: dict[str, Any], *output: Any) -> None:
    world.wire.ok(
        world.executor, "closesuccessfulmsg", processid=process["processid"], out=list(output)
    )


def graphs(world: World, state: int) -> Any:
    return world.wire.ok(
        world.user, "getprocessgraphsmsg", colonyname=world.colony, count=100, state=state
    )


def test_cron_fires_one_graph_at_a_time_fed_with_previous_outputs(world: World) -> None:
    kind = world.kind("Lamp")
    world.define(kind, executor_type=world.executor_type)
    world.add("b", kind, {"on": True})
    [cron] = world.crons()
    close(world, assign(world))  # the immediate, targeted reconcile process

    fired = assign(world)
    assert fired["spec"]["kwargs"] == {"kind": kind}
    assert fired["in"] == []
    graph = world.wire.ok(world.user, "getprocessgraphmsg", processgraphid=fired["processgraphid"])
    assert graph["processids"] == [fired["processid"]]
    running = graphs(world, 1)
    world.wire.ok(world.user, "runcronmsg", cronid=cron["cronid"])  # a no-op while pending
    assert graphs(world, 0) is None
    assert graphs(world, 1) == running

    close(world, fired, "done-cron")
    following = assign(world)
    assert following["spec"]["kwargs"] == {"kind": kind}
    assert following["in"] == ["done-cron"]
