"""Assignment over the wire: long poll, timeouts, pausing, selection rules, heartbeat,
re-queueing on executor removal, and the timeout checker (protocol 5.2-5.5)."""

from __future__ import annotations

import threading
from typing import Any

from colonies.devserver import Bootstrap, DevServer, events
from colonies.devserver.executors import PENDING, UNREGISTERED
from colonies.devserver.state import ServerState
from colonies.devserver.timefmt import parse_time
from colonies.devserver.timeouts import TimeoutAction, timeout_action
from tests.devserver.test_workloads_wire import (
    Wire,
    add_executor,
    boot_fixture,
    eventually,
    fn_spec,
    server_fixture,
    submit,
    wire_fixture,
)

server = server_fixture(checker_period=0.1)
wire = wire_fixture()
boot = boot_fixture()


def assign_once(wire: Wire, boot: Bootstrap, key: Any = None) -> Any:
    return wire.call(
        key or boot.executor_key, "assignprocessmsg", colonyname=boot.colony_name, timeout=-1
    )


def get(wire: Wire, boot: Bootstrap, process_id: str) -> dict[str, Any]:
    result: dict[str, Any] = wire.ok(boot.user_key, "getprocessmsg", processid=process_id)
    return result


def heard_from(server: DevServer, boot: Bootstrap) -> bool:
    executor = server.invoke(lambda s: s.executor(boot.colony_name, boot.executor_name))
    return executor is not None and parse_time(executor["lastheardfromtime"]) is not None


# -- outcomes of one call --


def test_timeouts_zero_and_negative(wire: Wire, boot: Bootstrap) -> None:
    key, name = boot.executor_key, boot.colony_name
    assert wire.fails(key, "assignprocessmsg", colonyname=name, timeout=0) == (
        400,
        "Invalid timeout value, timeout cannot be zero",
    )
    assert wire.fails(key, "assignprocessmsg", colonyname=name, timeout=-1) == (
        404,
        "No process available for assignment",
    )


def test_long_poll_returns_404_when_nothing_arrives(wire: Wire, boot: Bootstrap) -> None:
    assert wire.fails(
        boot.executor_key, "assignprocessmsg", colonyname=boot.colony_name, timeout=1
    ) == (404, "No process available for assignment")


def test_long_poll_wakes_on_submit(server: DevServer, boot: Bootstrap) -> None:
    results: list[Any] = []
    poller = Wire(server.url)

    def poll() -> None:
        results.append(
            poller.call(
                boot.executor_key, "assignprocessmsg", colonyname=boot.colony_name, timeout=60
            )
        )

    thread = threading.Thread(target=poll)
    thread.start()
    submitter = Wire(server.url)
    submitted = submitter.ok(boot.user_key, "submitfuncspecmsg", spec=fn_spec(boot))
    thread.join(timeout=60)
    poller.close()
    submitter.close()
    [reply] = results
    assert not reply.error
    assert reply.result["processid"] == submitted["processid"]
    assert reply.result["state"] == 1


def test_signer_must_be_an_approved_executor(
    server: DevServer, wire: Wire, boot: Bootstrap
) -> None:
    assert wire.fails(
        boot.user_key, "assignprocessmsg", colonyname=boot.colony_name, timeout=-1
    ) == (
        500,
        "Failed to assign process, executor not found",
    )
    pending = add_executor(server, boot, "pending", state=PENDING)
    assert assign_once(wire, boot, pending).status == 403


def test_paused_colony(wire: Wire, boot: Bootstrap) -> None:
    owner, name, executor = boot.colony_key, boot.colony_name, boot.executor_key
    submit(wire, boot)
    assert wire.fails(boot.user_key, "pauseassignmentsmsg", colonyname=name)[0] == 403
    wire.ok(owner, "pauseassignmentsmsg", colonyname=name)
    status = wire.call(boot.user_key, "getpausestatusmsg", colonyname=name)
    assert status.payloadtype == "pausestatusreplymsg"
    assert status.result == {"msgtype": "pausestatusreplymsg", "colonyname": name, "ispaused": True}
    assert wire.fails(executor, "assignprocessmsg", colonyname=name, timeout=-1) == (
        503,
        "No processes available: colony assignments are paused",
    )
    assert wire.fails(executor, "assignprocessmsg", colonyname=name, timeout=1) == (
        408,
        "Assignment timeout: colony assignments are paused",
    )
    wire.ok(owner, "resumeassignmentsmsg", colonyname=name)
    assert not assign_once(wire, boot).error


def test_resume_wakes_a_paused_long_poll(server: DevServer, boot: Bootstrap) -> None:
    wire = Wire(server.url)
    wire.ok(boot.colony_key, "pauseassignmentsmsg", colonyname=boot.colony_name)
    submit(wire, boot)
    results: list[Any] = []
    poller = Wire(server.url)
    thread = threading.Thread(
        target=lambda: results.append(
            poller.call(
                boot.executor_key, "assignprocessmsg", colonyname=boot.colony_name, timeout=60
            )
        )
    )
    thread.start()
    eventually(lambda: heard_from(server, boot))  # the poll has made its first attempt
    wire.ok(boot.colony_key, "resumeassignmentsmsg", colonyname=boot.colony_name)
    thread.join(timeout=60)
    poller.close()
    wire.close()
    assert not results[0].error


# -- selection --


def test_priority_order_then_first_in_first_out(wire: Wire, boot: Bootstrap) -> None:
    submitted = [submit(wire, boot, priority=p, nodename=str(p) + "-" + str(i)) for i, p in
                 enumerate((0, 5, -5, 5))]  # fmt: skip
    order = [assign_once(wire, boot).result["spec"]["nodename"] for _ in submitted]
    assert order == ["5-1", "5-3", "0-0", "-5-2"]


def test_executor_type_and_names(server: DevServer, wire: Wire, boot: Bootstrap) -> None:
    other = submit(wire, boot, conditions={"executortype": "someone-else"})
    named = submit(wire, boot, conditions={"executornames": ["w2"]})
    assert assign_once(wire, boot).status == 404
    w2 = add_executor(server, boot, "w2")
    assert assign_once(wire, boot, w2).result["processid"] == named["processid"]
    assert get(wire, boot, other["processid"])["state"] == 0


def test_location_matching(server: DevServer, wire: Wire, boot: Bootstrap) -> None:
    located = submit(wire, boot, conditions={"locationname": "Kitchen"})
    assert assign_once(wire, boot).status == 404  # no location: never a located process
    kitchen = add_executor(server, boot, "kitchen", location="kitchen")
    assert assign_once(wire, boot, kitchen).result["processid"] == located["processid"]
    anywhere = submit(wire, boot)
    assert assign_once(wire, boot, kitchen).result["processid"] == anywhere["processid"]


def test_resource_limits(wire: Wire, boot: Bootstrap) -> None:
    big = submit(wire, boot, conditions={"cpu": "2000m", "mem": "2Gi"})
    small_cpu = wire.call(
        boot.executor_key,
        "assignprocessmsg",
        colonyname=boot.colony_name,
        timeout=-1,
        availablecpu="1000m",
    )
    assert small_cpu.status == 404
    fits = wire.ok(
        boot.executor_key,
        "assignprocessmsg",
        colonyname=boot.colony_name,
        timeout=-1,
        availablecpu="4000m",
        availablemem="4Gi",
    )
    assert fits["processid"] == big["processid"]


# -- the assigned process --


def test_reply_hides_the_exec_deadline_and_get_shows_it(wire: Wire, boot: Bootstrap) -> None:
    submit(wire, boot, maxexectime=600)
    reply = assign_once(wire, boot).result
    assert reply["execdeadline"] == "0001-01-01T00:00:00Z"
    assert (reply["isassigned"], reply["assignedexecutorid"]) == (True, boot.executor_key.id)
    assert reply["starttime"] != "0001-01-01T00:00:00Z"
    assert get(wire, boot, reply["processid"])["execdeadline"] != "0001-01-01T00:00:00Z"


def test_assign_refreshes_the_heartbeat(server: DevServer, wire: Wire, boot: Bootstrap) -> None:
    assert not heard_from(server, boot)
    assign_once(wire, boot)
    assert heard_from(server, boot)


def test_removed_executor_releases_its_processes(
    server: DevServer, wire: Wire, boot: Bootstrap
) -> None:
    submit(wire, boot, maxretries=3)
    pid = assign_once(wire, boot).result["processid"]

    def unregister(state: ServerState) -> None:
        executor = state.executor(boot.colony_name, boot.executor_name)
        assert executor is not None
        executor["state"] = UNREGISTERED
        state.events.emit(events.EXECUTOR_UNREGISTERED, executor)

    server.invoke(unregister)
    process = get(wire, boot, pid)
    assert (process["state"], process["isassigned"], process["assignedexecutorid"]) == (
        0,
        False,
        "",
    )
    assert process["starttime"] == process["endtime"] == "0001-01-01T00:00:00Z"
    assert process["retries"] == 0


# -- timeouts --


def test_exec_time_zero_fails_right_after_assignment(wire: Wire, boot: Bootstrap) -> None:
    submit(wire, boot, maxexectime=0, maxretries=0)
    pid = assign_once(wire, boot).result["processid"]
    failed = eventually(lambda: (p := get(wire, boot, pid))["state"] == 3 and p)
    assert failed["errors"] == ["Maximum execution time limit exceeded"]
    assert failed["isassigned"] is True


def test_exec_time_retries_then_fails(wire: Wire, boot: Bootstrap) -> None:
    submit(wire, boot, maxexectime=0, maxretries=1)
    pid = assign_once(wire, boot).result["processid"]
    requeued = eventually(lambda: (p := get(wire, boot, pid))["state"] == 0 and p)
    assert (requeued["retries"], requeued["isassigned"]) == (1, False)
    assert assign_once(wire, boot).result["processid"] == pid
    failed = eventually(lambda: (p := get(wire, boot, pid))["state"] == 3 and p)
    assert (failed["retries"], failed["errors"]) == (1, ["Maximum execution time limit exceeded"])


def test_wait_time_fails_a_waiting_process(wire: Wire, boot: Bootstrap) -> None:
    pid = submit(wire, boot, maxwaittime=1)["processid"]
    failed = eventually(lambda: (p := get(wire, boot, pid))["state"] == 3 and p)
    assert failed["errors"] == ["Maximum waiting time limit exceeded"]


def test_timeout_decisions() -> None:
    def process(state: int, **spec: Any) -> dict[str, Any]:
        base = {"maxexectime": -1, "maxretries": -1, "maxwaittime": 0}
        return {
            "state": state,
            "retries": spec.pop("retries", 0),
            "execdeadline": spec.pop("execdeadline", "0001-01-01T00:00:00Z"),
            "waitdeadline": spec.pop("waitdeadline", "0001-01-01T00:00:00Z"),
            "spec": {**base, **spec},
        }

    now = parse_time("2026-01-01T00:00:10Z")
    assert now is not None
    later = "2026-01-01T00:00:10.900Z"  # same whole second: not yet passed
    assert timeout_action(process(1), now) is TimeoutAction.NONE
    assert timeout_action(process(1, maxexectime=0), now) is TimeoutAction.REQUEUE
    assert timeout_action(process(1, maxexectime=0, maxretries=0), now) is TimeoutAction.FAIL_EXEC
    assert timeout_action(process(1, maxexectime=5, execdeadline=later), now) is TimeoutAction.NONE
    assert (
        timeout_action(
            process(1, maxexectime=5, maxretries=2, retries=2, execdeadline="2026-01-01T00:00:09Z"),
            now,
        )
        is TimeoutAction.FAIL_EXEC
    )
    assert timeout_action(process(0, maxwaittime=1), now) is TimeoutAction.FAIL_WAIT
    assert timeout_action(process(0, maxwaittime=-1), now) is TimeoutAction.NONE
    assert timeout_action(process(2, maxexectime=0), now) is TimeoutAction.NONE
