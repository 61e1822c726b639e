"""The models against the real JSON of protocol sections 6.3, 7 and 9: names, quirks, round trips."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from colonies.models import (
    GO_ZERO_TIME,
    Attribute,
    AttributeType,
    Blueprint,
    BlueprintDefinition,
    BlueprintHistory,
    ChannelMessage,
    Colony,
    Conditions,
    Cron,
    CronSpec,
    Executor,
    ExecutorState,
    File,
    Function,
    FunctionSpec,
    Generator,
    Location,
    Log,
    Process,
    ProcessGraph,
    ProcessState,
    ServerInfo,
    Statistics,
    User,
    WireModel,
    WorkflowSpec,
    format_go_time,
    parse_go_time,
)

PROCESS = json.loads("""{
  "processid": "78d5f1145d37d0b5f50c16da153547e0a57a236bd95fd245e7a50ff0460f0ac3",
  "initiatorid": "8f4e37080f3fdb9d5a79714ef6ea20f904a380666026163a105152032f8a9af9",
  "initiatorname": "alice", "assignedexecutorid": "", "isassigned": false, "state": 0,
  "prioritytime": 1795474088806714576, "submissiontime": "2026-11-23T22:48:08.806715Z",
  "starttime": "0001-01-01T00:00:00Z", "endtime": "0001-01-01T00:00:00Z",
  "waitdeadline": "0001-01-01T00:00:00Z", "execdeadline": "0001-01-01T00:00:00Z",
  "retries": 0, "attributes": [],
  "spec": {"nodename": "bp-reconciler-reconcile", "funcname": "reconcile", "args": [],
    "kwargs": {"blueprintName": "b3", "kind": "ProbeLamp"}, "priority": 0, "maxwaittime": 0,
    "maxexectime": -1, "maxretries": -1,
    "conditions": {"colonyname": "probe-bp", "executornames": null, "executortype": "bp-reconciler",
      "locationname": "Kitchen", "dependencies": [], "nodes": 0, "cpu": "0m", "processes": 0,
      "processespernode": 0, "mem": "0Mi", "storage": "0Mi",
      "gpu": {"name": "", "mem": "0Mi", "count": 0, "nodecount": 0}, "walltime": 0},
    "label": "", "fs": {"mount": "", "snapshots": null, "dirs": null}, "env": {}},
  "waitforparents": false, "parents": [], "children": [], "processgraphid": "",
  "in": [], "out": [], "errors": []
}""")

CRON = json.loads(r"""{
  "cronid": "1394a913f17b3034adb411b12c10a49eb2824722a26795fb44c4a15d223c3f4a",
  "initiatorid": "8f4e37080f3fdb9d5a79714ef6ea20f904a380666026163a105152032f8a9af9",
  "initiatorname": "alice", "colonyname": "probe-bp", "name": "reconcile-ProbeLamp",
  "cronexpression": "", "interval": 60, "random": false,
  "nextrun": "2026-11-23T22:49:33.545801Z", "lastrun": "2026-11-23T22:48:33.545801Z",
  "workflowspec": "{\"colonyname\":\"probe-bp\",\"functionspecs\":[{\"nodename\":\"bp-reconciler-reconcile\",\"funcname\":\"reconcile\",\"args\":[],\"kwargs\":{\"kind\":\"ProbeLamp\"},\"priority\":0,\"maxwaittime\":0,\"maxexectime\":-1,\"maxretries\":-1,\"conditions\":{\"colonyname\":\"probe-bp\",\"executornames\":null,\"executortype\":\"bp-reconciler\",\"dependencies\":null,\"nodes\":0,\"cpu\":\"\",\"processes\":0,\"processespernode\":0,\"mem\":\"\",\"storage\":\"\",\"gpu\":{\"name\":\"\",\"mem\":\"\",\"count\":0,\"nodecount\":0},\"walltime\":0},\"label\":\"\",\"fs\":{\"mount\":\"\",\"snapshots\":null,\"dirs\":null},\"env\":{}}]}",
  "prevprocessgraphid": "79e42f9f25825591e5a016fa8b278860469f2438a62078193e9c0f98fbcd1805",
  "waitforprevprocessgraph": true, "checkerperiod": 0
}""")

EXECUTOR = json.loads("""{
  "executorid": "986ed2538e381455b3eb2c26c3e2ebff61fbf0b9d5c1a58b62af6cadbcb672a1",
  "executortype": "probe-worker", "executorname": "w2", "colonyname": "probe-a", "state": 0,
  "requirefuncreg": false, "commissiontime": "2026-11-23T22:46:34.295449Z",
  "lastheardfromtime": "0001-01-01T00:00:00Z", "locationname": "lab",
  "capabilities": {
    "hardware": [{"model": "m", "nodes": 0, "cpu": "4000m", "cores": 4, "mem": "8Gi", "storage": "",
                  "gpu": {"name": "a100", "mem": "", "count": 1, "nodecount": 0},
                  "platform": "", "architecture": "", "network": null}],
    "software": [{"name": "py", "type": "t", "version": "3"}]
  },
  "allocations": {"projects": null}
}""")

DEFINITION = json.loads("""{
  "blueprintdefinitionid": "1bde32e1fc14a235731d72a1d9ac98f06417dbc57e678dd9eec760dbc3070995",
  "kind": "ProbeLamp",
  "metadata": {"name": "probelamp-def", "colonyname": "probe-bp",
               "createdAt": "0001-01-01T00:00:00Z", "updatedAt": "0001-01-01T00:00:00Z",
               "lastReconciliationTime": "0001-01-01T00:00:00Z"},
  "spec": {
    "group": "probe.io", "version": "v1",
    "names": {"kind": "ProbeLamp", "listKind": "", "singular": "probelamp", "plural": "probelamps"},
    "scope": "Namespaced",
    "schema": {"type": "object",
               "properties": {"power": {"type": "boolean"},
                              "color": {"type": "string", "enum": ["red", "green", "blue"]}},
               "required": ["power"]},
    "handler": {"executorType": "bp-reconciler", "functionName": "reconcile", "reconcileInterval": 30}
  }
}""")

BLUEPRINT = json.loads("""{
  "blueprintid": "8aef94f01e25b8d97389899f2adb5e3b03ea486b57f66f9e636652fd9c28d663",
  "kind": "Loc",
  "metadata": {
    "name": "doc1", "colonyname": "probe-bp2", "locationname": "Kitchen",
    "labels": {"room": "kitchen"}, "generation": 1, "createdAt": "2021-02-03T04:05:06Z",
    "updatedAt": "0001-01-01T00:00:00Z", "lastReconciliationProcess": "abc",
    "lastReconciliationTime": "0001-01-01T00:00:00Z"
  },
  "spec": {"v": 2},
  "status": {"observedGeneration": 1, "phase": "Ready"}
}""")

HISTORY = json.loads("""{"historyid":"b23b651e-a1c1-41cf-9b51-78a15807bc23","blueprintid":"bd287eb5","kind":"ProbeLamp",
 "namespace":"probe-bp","name":"b1","generation":4,"spec":{"brightness":50,"power":true},
 "timestamp":"2026-11-23T22:48:07.408749Z","changedby":"8f4e3708","changetype":"update"}""")

GRAPH = json.loads("""{"processgraphid":"g1","initiatorid":"i","initiatorname":"alice","colonyname":"probe-a",
 "rootprocessids":["p1"],"state":0,"submissiontime":"2026-11-23T23:01:13.849141Z",
 "starttime":"0001-01-01T00:00:00Z","endtime":"0001-01-01T00:00:00Z","processids":["p1","p2"],
 "nodes":[{"id":"p1","data":{"label":"a"},"position":{"x":100,"y":0},"type":"input","style":{"color":"","background":"#eee8d8"}}],
 "edges":[{"id":"e","source":"p1","target":"p2","animated":false}]}""")

SIMPLE: list[tuple[type[WireModel], dict[str, Any]]] = [
    (Colony, {"colonyid": "c" * 64, "name": "dev"}),
    (
        User,
        {
            "colonyname": "probe-a",
            "userid": "u" * 64,
            "name": "alice",
            "email": "a@x.y",
            "phone": "1",
        },
    ),
    (
        Generator,
        {
            "generatorid": "g",
            "initiatorid": "i",
            "initiatorname": "n",
            "colonyname": "c",
            "name": "gen",
            "workflowspec": '{"colonyname":"c","functionspecs":[]}',
            "trigger": 2,
            "timeout": -1,
            "firstpack": GO_ZERO_TIME,
            "lastrun": GO_ZERO_TIME,
            "queuesize": 0,
            "checkerperiod": 0,
        },
    ),
    (
        Statistics,
        {
            "colonies": 1,
            "executors": 3,
            "activeexecutors": 2,
            "unregisteredexecutors": 1,
            "waitingprocesses": 1,
            "runningprocesses": 0,
            "successfulprocesses": 9,
            "failedprocesses": 2,
            "cancelledprocesses": 2,
            "waitingworkflows": 2,
            "runningworkflows": 0,
            "successfulworkflows": 0,
            "failedworkflows": 0,
            "cancelledworkflows": 0,
        },
    ),
    (
        Log,
        {
            "processid": "p",
            "colonyname": "probe-a",
            "executorname": "w3",
            "message": "hello log 1\n",
            "timestamp": 1795474913567396875,
        },
    ),
    (
        Attribute,
        {
            "attributeid": "a",
            "targetid": "p",
            "targetcolonyname": "probe-a",
            "targetprocessgraphid": "",
            "state": 0,
            "attributetype": 1,
            "key": "progress",
            "value": "50",
        },
    ),
    (
        Function,
        {
            "functionid": "f",
            "executorname": "w3",
            "executortype": "probe-worker",
            "colonyname": "probe-a",
            "funcname": "echo",
            "description": "d",
            "args": [{"name": "a", "type": "string"}],
            "counter": 0,
            "minwaittime": 0,
            "maxwaittime": 0,
            "minexectime": 0,
            "maxexectime": 0,
            "avgwaittime": 0,
            "avgexectime": 0,
        },
    ),
    (
        Location,
        {
            "locationid": "",
            "name": "Kitchen",
            "colonyname": "probe-bp",
            "description": "Auto-created from blueprint b3",
            "long": 0,
            "lat": 0,
        },
    ),
    (
        File,
        {
            "fileid": "f",
            "colonyname": "c",
            "label": "/data",
            "name": "a.txt",
            "size": 3,
            "sequencenr": 1,
            "checksum": "abc",
            "checksumalg": "SHA256",
            "ref": {
                "protocol": "s3",
                "s3object": {
                    "server": "s",
                    "port": 9000,
                    "tls": False,
                    "accesskey": "AKIA-SAMPLE",
                    "secretkey": "SECRET-SAMPLE",
                    "region": "r",
                    "encryptionkey": "",
                    "encryptionalg": "",
                    "object": "o",
                    "bucket": "b",
                },
            },
            "added": "2026-11-23T22:48:07.408749Z",
        },
    ),
    (
        ServerInfo,
        {
            "buildversion": "dev",
            "buildtime": "2026-11-23T22:48:07Z",
            "backends": [{"type": "http", "port": 50080, "host": "0.0.0.0"}],
        },
    ),
]

ALL_SAMPLES = [
    (Process, PROCESS),
    (Cron, CRON),
    (Executor, EXECUTOR),
    (BlueprintDefinition, DEFINITION),
    (Blueprint, BLUEPRINT),
    (BlueprintHistory, HISTORY),
    (ProcessGraph, GRAPH),
    *SIMPLE,
]


def _normalise(value: Any) -> Any:
    """Go JSON equivalences: null lists/maps are empty, JSON-string workflows compare parsed."""
    if isinstance(value, dict):
        return {k: _normalise(v) for k, v in value.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_normalise(v) for v in value]
    return value


def _assert_covers(produced: Any, original: Any, path: str = "$") -> None:
    """Everything the server sent comes back with the same value (extra defaults allowed)."""
    if isinstance(original, dict):
        assert isinstance(produced, dict), path
        for key, value in original.items():
            assert key in produced, f"{path}.{key} missing"
            _assert_covers(produced[key], value, f"{path}.{key}")
    elif isinstance(original, list):
        assert isinstance(produced, list), path
        assert len(produced) == len(original), path
        for index, (mine, theirs) in enumerate(zip(produced, original, strict=True)):
            _assert_covers(mine, theirs, f"{path}[{index}]")
    else:
        assert produced == original, path


@pytest.mark.parametrize(("model", "sample"), ALL_SAMPLES, ids=lambda v: getattr(v, "__name__", ""))
def test_real_json_round_trips(model: type[WireModel], sample: dict[str, Any]) -> None:
    parsed = model.model_validate(sample)
    wire = parsed.to_wire()
    assert model.model_validate(wire) == parsed
    original = {k: v for k, v in _normalise(sample).items() if k != "workflowspec"}
    _assert_covers(_normalise(wire), original)


def test_process_exposes_python_names_and_hides_quirks() -> None:
    process = Process.model_validate(PROCESS)
    assert process.process_id.startswith("78d5f114")
    assert process.state is ProcessState.WAITING
    assert process.start_time is None
    assert process.submission_time == datetime(2026, 11, 23, 22, 48, 8, 806715, tzinfo=UTC)
    assert process.spec.kwargs == {"blueprintName": "b3", "kind": "ProbeLamp"}
    assert process.spec.conditions.executor_names == []
    assert process.spec.conditions.location_name == "Kitchen"
    assert process.spec.fs.snapshots == []
    assert process.input == []
    assert process.output == []
    wire = process.to_wire()
    assert wire["starttime"] == GO_ZERO_TIME
    assert wire["in"] == []
    assert "input" not in wire


def test_unknown_fields_survive_a_read_modify_write() -> None:
    sample = {**BLUEPRINT, "futurefield": {"x": 1}}
    sample["metadata"] = {**BLUEPRINT["metadata"], "uid": "abc"}
    blueprint = Blueprint.model_validate(sample)
    changed = blueprint.model_copy(update={"spec": {"v": 3}})
    wire = changed.to_wire()
    assert wire["futurefield"] == {"x": 1}
    assert wire["metadata"]["uid"] == "abc"
    assert wire["spec"] == {"v": 3}
    assert wire["status"] == {"observedGeneration": 1, "phase": "Ready"}


def test_blueprint_metadata_uses_camel_case_on_the_wire_only() -> None:
    blueprint = Blueprint.model_validate(BLUEPRINT)
    meta = blueprint.metadata
    assert meta.created_at == datetime(2021, 2, 3, 4, 5, 6, tzinfo=UTC)
    assert meta.updated_at is None
    assert meta.last_reconciliation_process == "abc"
    assert meta.colony_name == "probe-bp2"
    assert meta.location_name == "Kitchen"
    assert meta.generation == 1
    wire = blueprint.to_wire()["metadata"]
    assert wire["createdAt"] == "2021-02-03T04:05:06Z"
    assert wire["updatedAt"] == GO_ZERO_TIME
    assert wire["lastReconciliationProcess"] == "abc"


def test_definition_handler_and_schema() -> None:
    definition = BlueprintDefinition.model_validate(DEFINITION)
    assert definition.spec.names.kind == "ProbeLamp"
    assert definition.spec.handler is not None
    assert definition.spec.handler.executor_type == "bp-reconciler"
    assert definition.spec.handler.function_name == "reconcile"
    assert definition.spec.handler.reconcile_interval == 30
    assert definition.spec.schema_ is not None
    assert definition.spec.schema_["required"] == ["power"]
    wire = definition.to_wire()["spec"]
    assert wire["handler"] == {
        "executorType": "bp-reconciler",
        "functionName": "reconcile",
        "reconcileInterval": 30,
    }
    assert "schema" in wire
    assert "schema_" not in wire


def test_history_namespace_is_the_colony_name() -> None:
    history = BlueprintHistory.model_validate(HISTORY)
    assert history.colony_name == "probe-bp"
    assert history.to_wire()["namespace"] == "probe-bp"
    assert history.change_type == "update"
    assert history.changed_by == "8f4e3708"


def test_cron_workflow_text_is_parsed_and_written_back_as_text() -> None:
    cron = Cron.model_validate(CRON)
    assert cron.workflow_spec is not None
    spec = cron.workflow_spec.function_specs[0]
    assert spec.kwargs == {"kind": "ProbeLamp"}
    assert spec.conditions.dependencies == []
    text = cron.to_wire()["workflowspec"]
    assert isinstance(text, str)
    assert WorkflowSpec.model_validate(json.loads(text)) == cron.workflow_spec
    assert CronSpec(name="x").to_wire()["workflowspec"] == ""


def test_executor_capabilities_and_state() -> None:
    executor = Executor.model_validate(EXECUTOR)
    assert executor.state is ExecutorState.PENDING
    assert executor.last_heard_from_time is None
    assert executor.capabilities.hardware[0].gpu.name == "a100"
    assert executor.capabilities.hardware[0].network == []
    bare = Executor.model_validate(
        {**EXECUTOR, "capabilities": {"hardware": None, "software": None}}
    )
    assert bare.capabilities.hardware == []
    assert bare.capabilities.software == []


def test_function_spec_safe_defaults() -> None:
    spec = FunctionSpec(func_name="echo", conditions=Conditions(colony_name="c", executor_type="t"))
    wire = spec.to_wire()
    assert wire["maxexectime"] == -1
    assert wire["maxretries"] == -1
    assert wire["conditions"] == {**wire["conditions"], "colonyname": "c", "executortype": "t"}


def test_storage_secrets_stay_out_of_repr() -> None:
    file = File.model_validate(dict(SIMPLE)[File])
    assert "SECRET-SAMPLE" not in repr(file)
    assert "AKIA-SAMPLE" not in repr(file)
    assert file.to_wire()["ref"]["s3object"]["secretkey"] == "SECRET-SAMPLE"


def test_attribute_type_and_log_time() -> None:
    assert Attribute.model_validate(dict(SIMPLE)[Attribute]).attribute_type is AttributeType.OUT
    log = Log.model_validate(dict(SIMPLE)[Log])
    assert log.time.year == 2026


def test_channel_message_payload_accepts_base64_and_byte_arrays() -> None:
    entry = {
        "sequence": 3,
        "timestamp": "2026-11-23T22:47:19.814526639Z",
        "senderid": "s",
        "payload": "aGVsbG8=",
        "type": "data",
    }
    message = ChannelMessage.model_validate(entry)
    assert message.payload == b"hello"
    assert message.text == "hello"
    assert message.in_reply_to == 0
    assert message.error == ""
    assert message.timestamp == datetime(2026, 11, 23, 22, 47, 19, 814526, tzinfo=UTC)
    assert message.to_wire()["payload"] == "aGVsbG8="
    assert ChannelMessage.model_validate({**entry, "payload": [104, 105]}).payload == b"hi"
    assert ChannelMessage.model_validate({**entry, "payload": ""}).payload == b""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-23T22:47:32.73722Z", datetime(2026, 11, 23, 22, 47, 32, 737220, tzinfo=UTC)),
        ("2026-11-23T22:47:19.814526639Z", datetime(2026, 11, 23, 22, 47, 19, 814526, tzinfo=UTC)),
        ("2026-11-23T22:47:19Z", datetime(2026, 11, 23, 22, 47, 19, tzinfo=UTC)),
        ("2026-11-23T23:47:19+01:00", datetime(2026, 11, 23, 22, 47, 19, tzinfo=UTC)),
        (GO_ZERO_TIME, None),
        ("", None),
        (None, None),
    ],
)
def test_go_times_parse(text: str | None, expected: datetime | None) -> None:
    assert parse_go_time(text) == expected


def test_go_times_format_like_go() -> None:
    assert format_go_time(None) == GO_ZERO_TIME
    assert (
        format_go_time(datetime(2026, 1, 2, 3, 4, 5, 737220, tzinfo=UTC))
        == "2026-01-02T03:04:05.73722Z"
    )
    assert format_go_time(datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)) == "2026-01-02T03:04:05Z"
    assert format_go_time(datetime(2026, 1, 2, 3, 4, 5)) == "2026-01-02T03:04:05Z"
