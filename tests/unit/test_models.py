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
    Conditions,
    Cron,
    CronSpec,
    Executor,
    ExecutorState,
    File,
    FunctionSpec,
    Log,
    Process,
    ProcessGraph,
    ProcessState,
    WireModel,
    WorkflowSpec,
    format_go_time,
    parse_go_time,
)
from tests.unit.protocol_samples import (
    BLUEPRINT,
    CRON,
    DEFINITION,
    EXECUTOR,
    GRAPH,
    HISTORY,
    PROCESS,
    SIMPLE,
)

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
