"""Fuzzing the request path: whatever arrives, the dev server answers promptly with a
well-formed reply, never crashes in its own code, and keeps its tables consistent."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from colonies.crypto import PrivateKey
from colonies.devserver import Bootstrap, DevServer, registry
from colonies.devserver.state import COLONIES, EXECUTORS, LOCATIONS, USERS, ServerState
from colonies.wire import decode_reply

LONG_POLLS = {"assignprocessmsg"}  # would wait for their timeout: not what this test is about
IDENTITY_TABLES = (USERS, EXECUTORS, LOCATIONS)


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[tuple[DevServer, Bootstrap, httpx.Client]]:
    with DevServer() as server, httpx.Client(base_url=server.url, timeout=10.0) as http:
        yield server, server.bootstrap("fuzz"), http


def _msgtypes() -> list[str]:
    registry.load_handlers()
    return sorted(t for t in registry._RPC if t not in LONG_POLLS and not t.startswith("coretest"))


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from(
    [
        "colonyname",
        "name",
        "executorname",
        "executorid",
        "userid",
        "colonyid",
        "colony",
        "user",
        "executor",
        "location",
        "state",
        "count",
        "timeout",
        "serverid",
        "allocations",
        "capabilities",
    ]
) | st.text(max_size=8)


@st.composite
def messages(draw: st.DrawFn) -> dict[str, Any]:
    msgtype = draw(st.sampled_from(_msgtypes()) | st.text(max_size=12))
    fields = draw(st.dictionaries(field_names, json_values, max_size=6))
    if draw(st.booleans()):
        fields["colonyname"] = "fuzz"
    if draw(st.integers(0, 9)):
        fields["msgtype"] = msgtype
    return {"payloadtype": msgtype, "message": fields}


@st.composite
def bodies(draw: st.DrawFn, boot: Bootstrap, server_key: PrivateKey) -> bytes:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(st.binary(max_size=200))
    if kind == 1:
        return json.dumps(draw(json_values)).encode()
    drawn = draw(messages())
    payload = base64.b64encode(json.dumps(drawn["message"]).encode()).decode()
    key = draw(
        st.sampled_from(
            [server_key, boot.colony_key, boot.user_key, boot.executor_key, PrivateKey.generate()]
        )
    )
    signature = key.sign(payload) if kind > 2 else draw(st.text("0123456789abcdefx", max_size=140))
    return json.dumps(
        {"payloadtype": drawn["payloadtype"], "payload": payload, "signature": signature}
    ).encode()


def _check_consistency(state: ServerState) -> None:
    colonies = set(state.table(COLONIES).keys())
    for name in IDENTITY_TABLES:
        for row in state.table(name).values():
            assert row["colonyname"] in colonies, (name, row)
    for table in state.store._tables.values():
        assert not table._dirty, f"uncommitted rows in {table.name}"
        for key, row in table._rows.items():
            committed = table._committed.get(key)
            assert committed is not None, (table.name, key)
            assert json.loads(committed) == row, f"{table.name}/{key} changed without put()"


@given(data=st.data())
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_request_gets_a_prompt_well_formed_answer(
    fuzzed: tuple[DevServer, Bootstrap, httpx.Client], data: st.DataObject
) -> None:
    server, boot, http = fuzzed
    body = data.draw(bodies(boot, server.server_key))
    response = http.post("/api", content=body)
    if response.status_code == 200 and response.content == b"":
        return  # the colony statistics quirk (protocol 8.4)
    reply = decode_reply(response.content, response.status_code)
    assert reply.status == response.status_code
    assert response.status_code in (200, 400, 403, 404, 409, 500)
    assert not reply.message.startswith("dev server internal error"), reply.message
    server.invoke(_check_consistency)
