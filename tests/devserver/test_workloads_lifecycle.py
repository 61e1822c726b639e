"""Workloads and the rest of the server: executor removal and re-registration, colony
removal and statistics, and persistence of workloads across a restart with a database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from colonies.devserver import Bootstrap, DevServer, DevServerSettings
from tests.devserver.test_workloads_wire import (
    Wire,
    boot_fixture,
    colony,
    fn_spec,
    server_fixture,
    start_process,
    wire_fixture,
)

server = server_fixture()
wire = wire_fixture()
boot = boot_fixture()


def test_removing_an_executor_requeues_its_process(wire: Wire, boot: Bootstrap) -> None:
    pid = start_process(wire, boot, channels=["c"])
    wire.ok(
        boot.colony_key,
        "removeexecutormsg",
        colonyname=boot.colony_name,
        executorname=boot.executor_name,
    )
    process = wire.ok(boot.user_key, "getprocessmsg", processid=pid)
    assert (process["state"], process["assignedexecutorid"], process["retries"]) == (0, "", 0)


def test_colony_statistics_count_workloads(wire: Wire, boot: Bootstrap) -> None:
    start_process(wire, boot, channels=["c"])
    wire.ok(boot.user_key, "submitfuncspecmsg", spec=fn_spec(boot))
    graph = {"colonyname": boot.colony_name, "functionspecs": [fn_spec(boot, nodename="a")]}
    wire.ok(boot.user_key, "submitworkflowspecmsg", spec=graph)
    stats = wire.ok(boot.user_key, "getcolonystatsmsg", colonyname=boot.colony_name)
    assert (stats["waitingprocesses"], stats["runningprocesses"], stats["waitingworkflows"]) == (
        2,
        1,
        1,
    )


def test_removing_a_colony_removes_its_processes_and_graphs(
    server: DevServer, wire: Wire, boot: Bootstrap
) -> None:
    pid = start_process(wire, boot, channels=["c"])
    graph = {"colonyname": boot.colony_name, "functionspecs": [fn_spec(boot, nodename="a")]}
    gid = wire.ok(boot.user_key, "submitworkflowspecmsg", spec=graph)["processgraphid"]
    wire.ok(server.server_key, "removecolonymsg", colonyname=boot.colony_name)
    assert server.invoke(lambda state: state.table("processes").get(pid)) is None
    assert server.invoke(lambda state: state.table("processgraphs").get(gid)) is None


@pytest.fixture
def persistent(tmp_path: Path) -> Iterator[DevServer]:
    with DevServer(DevServerSettings(database=tmp_path / "dev.sqlite")) as running_server:
        yield running_server


def test_workloads_survive_a_restart_but_channels_do_not(persistent: DevServer) -> None:
    boot = colony(persistent)
    client = Wire(persistent.url)
    key, name = boot.user_key, boot.colony_name
    pid = start_process(client, boot, channels=["c"])
    client.ok(boot.executor_key, "addlogmsg", processid=pid, message="kept")
    graph = {"colonyname": name, "functionspecs": [fn_spec(boot, nodename="a")]}
    gid = client.ok(key, "submitworkflowspecmsg", spec=graph)["processgraphid"]
    workflow = json.dumps(graph)
    cron = client.ok(key, "addcronmsg", cron={"name": "c", "colonyname": name, "interval": 3600,
                                              "workflowspec": workflow})  # fmt: skip
    generator: dict[str, Any] = {
        "name": "g",
        "colonyname": name,
        "workflowspec": workflow,
        "trigger": 5,
    }
    gen = client.ok(key, "addgeneratormsg", generator=generator)
    client.ok(key, "channelappendmsg", processid=pid, name="c", sequence=1, payload="")
    client.close()

    persistent.restart()

    client = Wire(persistent.url)
    assert client.ok(key, "getprocessmsg", processid=pid)["state"] == 1
    assert client.ok(key, "getprocessgraphmsg", processgraphid=gid)["processids"]
    assert client.ok(key, "getcronmsg", cronid=cron["cronid"])["name"] == "c"
    assert client.ok(key, "getgeneratormsg", generatorid=gen["generatorid"])["name"] == "g"
    [log] = client.ok(key, "getlogsmsg", colonyname=name, processid=pid, count=10)
    assert log["message"] == "kept"
    assert client.fails(key, "channelreadmsg", processid=pid, name="c") == (
        404,
        "Channel not found",
    )
    client.close()
