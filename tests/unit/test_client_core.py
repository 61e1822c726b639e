"""The shared client core without I/O: envelopes, reply decoding, error mapping, retry rules."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import httpx
import pytest

from colonies import wire
from colonies.client import NO_PROCESS_AVAILABLE
from colonies.client._api import Operations
from colonies.client._call import Call, as_model, as_none
from colonies.client._core import LONG_POLL_MARGIN, ClientCore
from colonies.config import ClientConfig
from colonies.crypto import PrivateKey, recover_id
from colonies.errors import (
    ColoniesConnectionError,
    ColoniesError,
    ColoniesTimeoutError,
    ConflictError,
    ForbiddenError,
    InvalidRequestError,
    NotFoundError,
    ProtocolError,
    ServerError,
)
from colonies.models import (
    Blueprint,
    BlueprintMetadata,
    Colony,
    FunctionSpec,
    Process,
    ProcessState,
)

K1 = PrivateKey("6d2fb6f546bacfd98c68769e61e0b44a697a30596c018a50e28200aa59b01c0a")
K2 = PrivateKey("0000000000000000000000000000000000000000000000000000000000000001")
CORE = ClientCore(ClientConfig(timeout=30.0))


def _sent(
    call: Call[Any], default: PrivateKey | None = K1
) -> tuple[dict[str, Any], dict[str, Any]]:
    body = json.loads(CORE.prepare(call, default).body)
    return body, json.loads(base64.b64decode(body["payload"]))


def _reply(result: Any) -> bytes:
    return json.dumps(wire.encode_reply("x", result)).encode()


def _error(status: int, message: str) -> bytes:
    return json.dumps(wire.encode_error(status, message)).encode()


def test_envelope_is_signed_by_the_default_key() -> None:
    call = Operations.get_colony.build(None, "home")
    body, message = _sent(call)
    assert body["payloadtype"] == "getcolonymsg"
    assert message == {"colonyname": "home", "msgtype": "getcolonymsg"}
    assert recover_id(body["payload"], body["signature"]) == K1.id


def test_per_call_key_overrides_the_default_key() -> None:
    body, _ = _sent(Operations.get_colony.build(None, "home", key=K2.hex()))
    assert recover_id(body["payload"], body["signature"]) == K2.id


def test_signed_call_without_any_key_is_refused_before_sending() -> None:
    with pytest.raises(ColoniesError, match="no signing key"):
        CORE.prepare(Operations.get_colonies.build(None), None)


def test_version_and_server_info_need_no_key() -> None:
    body, message = _sent(Operations.version.build(None), None)
    assert body["signature"] == ""
    assert message == {"msgtype": "versionmsg"}
    body, _ = _sent(Operations.server_info.build(None), None)
    assert body["payloadtype"] == "getserverinfomsg"


def test_submit_sends_safe_limits_by_default() -> None:
    _, message = _sent(Operations.submit.build(None, FunctionSpec(func_name="f")))
    assert message["spec"]["maxexectime"] == -1
    assert message["spec"]["maxretries"] == -1
    assert Operations.submit_function_spec is Operations.submit


def test_blueprint_calls_use_the_servers_colony_field_names() -> None:
    namespace: dict[str, Call[Any]] = {
        "getblueprintmsg": Operations.get_blueprint.build(None, "c", "n"),
        "getblueprintsmsg": Operations.get_blueprints.build(None, "c"),
        "removeblueprintmsg": Operations.remove_blueprint.build(None, "c", "n"),
        "reconcileblueprintmsg": Operations.reconcile_blueprint.build(None, "c", "n"),
        "removeblueprintdefinitionmsg": Operations.remove_blueprint_definition.build(
            None, "c", "n"
        ),
    }
    for msgtype, call in namespace.items():
        _, message = _sent(call)
        assert message["msgtype"] == msgtype
        assert message["namespace"] == "c"
        assert "colonyname" not in message
    _, status = _sent(Operations.update_blueprint_status.build(None, "c", "n", {"on": True}))
    assert status == {
        "colonyname": "c",
        "blueprintname": "n",
        "status": {"on": True},
        "msgtype": "updateblueprintstatusmsg",
    }
    _, definition = _sent(Operations.get_blueprint_definitions.build(None, "c"))
    assert definition["colonyname"] == "c"


def test_remove_all_process_graphs_removes_every_state_by_default() -> None:
    _, message = _sent(Operations.remove_all_process_graphs.build(None, "c"))
    assert message["state"] == -1
    _, message = _sent(Operations.remove_all_processes.build(None, "c"))
    assert message["state"] == -1


def test_listing_all_states_asks_for_each_state_the_server_accepts() -> None:
    steps = Operations.get_processes.build(None, "c", ProcessState.ALL, 5)
    calls = [steps.send(None)] + [steps.send([]) for _ in range(4)]
    with pytest.raises(StopIteration) as done:
        steps.send([])
    assert done.value.value == []
    states = [_sent(call)[1]["state"] for call in calls]
    assert states == [0, 1, 2, 3, 4]


def test_update_blueprint_spec_keeps_status_and_metadata() -> None:
    current = Blueprint(
        blueprint_id="b1",
        kind="Lamp",
        metadata=BlueprintMetadata(
            name="n", colony_name="c", labels={"room": "hall"}, generation=3
        ),
        spec={"power": True, "color": {"r": 1, "g": 2}},
        status={"power": False},
    )
    steps = Operations.update_blueprint_spec.build(
        None, "c", "n", {"color": {"g": None, "b": 3}, "level": 5}
    )
    get = steps.send(None)
    assert get.msgtype == "getblueprintmsg"
    update = steps.send(current)
    _, message = _sent(update)
    sent = message["blueprint"]
    assert sent["spec"] == {"power": True, "color": {"r": 1, "b": 3}, "level": 5}
    assert sent["status"] == {"power": False}
    assert sent["metadata"]["labels"] == {"room": "hall"}
    assert message["forcegeneration"] is False
    assert current.spec == {"power": True, "color": {"r": 1, "g": 2}}  # not mutated


def test_update_blueprint_spec_accepts_a_function() -> None:
    current = Blueprint(kind="Lamp", spec={"level": 1}, status=None)
    steps = Operations.update_blueprint_spec.build(
        None, "c", "n", lambda spec: {"level": spec["level"] + 1}
    )
    steps.send(None)
    _, message = _sent(steps.send(current))
    assert message["blueprint"]["spec"] == {"level": 2}


def test_channel_append_encodes_payload_as_base64() -> None:
    _, message = _sent(
        Operations.channel_append.build(None, "p", "chat", 1, "hi", payload_type="end")
    )
    assert message["payload"] == "aGk="
    assert message["payloadtype"] == "end"
    _, message = _sent(Operations.channel_append.build(None, "p", "chat", 2, b"\x00\x01"))
    assert message["payload"] == "AAE="
    assert "payloadtype" not in message


def test_file_calls_need_an_id_or_a_label_and_name() -> None:
    with pytest.raises(ValueError, match="either file_id"):
        Operations.get_file.build(None, "c")
    with pytest.raises(ValueError, match="either file_id"):
        Operations.remove_file.build(None, "c", file_id="f", label="l", name="n")
    _, message = _sent(Operations.get_file.build(None, "c", label="/l", name="a"))
    assert message["label"] == "/l"
    assert message["name"] == "a"


def test_long_poll_gets_an_http_timeout_above_its_own() -> None:
    call = Operations.assign.build(None, "c", 60)
    assert CORE.prepare(call, K1).timeout == 60 + LONG_POLL_MARGIN
    assert CORE.prepare(Operations.get_colony.build(None, "c"), K1).timeout == 30.0


def test_interpret_decodes_results_and_empty_replies() -> None:
    call = Call("getcolonymsg", {}, as_model(Colony))
    colony = CORE.interpret(call, 200, _reply({"colonyid": "i", "name": "n"}), 0.0)
    assert colony == Colony(colony_id="i", name="n")
    assert CORE.interpret(Call("x", {}, as_none), 200, _reply({}), 0.0) is None
    listed = Operations.get_processes.build(None, "c").send(None)
    assert CORE.interpret(listed, 200, _reply(None), 0.0) == []


@pytest.mark.parametrize(
    ("status", "message", "error"),
    [
        (400, "Failed to get processes, invalid msg.State", InvalidRequestError),
        (403, "Access denied, not colony owner", ForbiddenError),
        (404, "Failed to get process, process not found", NotFoundError),
        (409, "blueprint with name 'a' already exists in colony 'c'", ConflictError),
        (408, "Assignment timeout: colony assignments are paused", ColoniesTimeoutError),
        (500, "Failed to get executor, executor is nil", NotFoundError),
        (500, 'pq: duplicate key value violates unique constraint "x"', ServerError),
        (503, "No processes available: colony assignments are paused", ServerError),
    ],
)
def test_error_replies_map_to_exceptions(
    status: int, message: str, error: type[ColoniesError]
) -> None:
    call = Call("getprocessmsg", {}, as_model(Process))
    with pytest.raises(error) as raised:
        CORE.interpret(call, status, _error(status, message), 0.0)
    assert type(raised.value) is error
    assert raised.value.status == status
    assert raised.value.message == message
    assert raised.value.msgtype == "getprocessmsg"


def test_empty_200_reply_means_not_a_member() -> None:
    call = Operations.get_colony_statistics.build(None, "c")
    with pytest.raises(ForbiddenError, match="not a member"):
        CORE.interpret(call, 200, b"", 0.0)


def test_non_envelope_replies() -> None:
    call = Operations.get_colony.build(None, "c")
    with pytest.raises(NotFoundError, match="404 page not found"):
        CORE.interpret(call, 404, b"404 page not found", 0.0)
    with pytest.raises(ProtocolError):
        CORE.interpret(call, 200, b"<html>proxy</html>", 0.0)
    with pytest.raises(ProtocolError, match="unexpected reply shape"):
        CORE.interpret(call, 200, _reply({"colonyid": ["not", "a", "string"]}), 0.0)


def test_assign_turns_no_process_available_into_none() -> None:
    call = Operations.assign.build(None, "c", 1)
    absent = NotFoundError(NO_PROCESS_AVAILABLE, status=404)
    assert call.on_error(absent) is None
    other = NotFoundError("Failed to get process, process not found", status=404)
    with pytest.raises(NotFoundError):
        call.on_error(other)


def test_reads_retry_on_transport_errors_and_5xx_writes_only_when_never_sent() -> None:
    read = Operations.get_colony.build(None, "c")
    write = Operations.submit.build(None, FunctionSpec())
    refused = httpx.ConnectError("refused")
    dropped = httpx.RemoteProtocolError("Server disconnected without sending a response")
    unavailable = ServerError("bad gateway", status=502)
    assert CORE.retryable(read, refused)
    assert CORE.retryable(write, refused)
    assert CORE.retryable(read, dropped)
    assert not CORE.retryable(write, dropped)
    assert CORE.retryable(read, unavailable)
    assert not CORE.retryable(write, unavailable)
    assert not CORE.retryable(read, NotFoundError("x is nil", status=500))
    assert not CORE.retryable(read, ForbiddenError("no", status=403))


def test_transport_errors_map_to_client_errors() -> None:
    call = Operations.get_colony.build(None, "c")
    assert isinstance(
        CORE.transport_error(call, httpx.ConnectError("refused")), ColoniesConnectionError
    )
    assert isinstance(CORE.transport_error(call, httpx.ReadTimeout("slow")), ColoniesTimeoutError)
    assert isinstance(
        CORE.transport_error(call, httpx.ConnectTimeout("slow")), ColoniesConnectionError
    )


def test_the_observer_hears_every_reply_and_every_unreachable_server() -> None:
    heard: list[tuple[str, int, float]] = []
    core = ClientCore(ClientConfig(), observer=lambda *event: heard.append(event))
    call = Call("getcolonymsg", {}, as_model(Colony))
    core.interpret(call, 200, _reply({"colonyid": "i", "name": "n"}), time.perf_counter())
    with pytest.raises(ColoniesError):
        core.interpret(call, 403, _error(403, "Access denied"), time.perf_counter())
    core.transport_error(call, httpx.ConnectError("refused"))
    assert [(msgtype, status) for msgtype, status, _ in heard] == [
        ("getcolonymsg", 200),
        ("getcolonymsg", 403),
        ("getcolonymsg", 0),
    ]
    assert all(seconds >= 0 for _, _, seconds in heard)
