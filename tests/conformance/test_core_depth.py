"""Nesting depth (issue 13 B2): Go's decoder takes 10,000 levels (the message object is the
first) and refuses the 10,001st, so a server stores and returns values that deep. The dev
server and the client handle them without recursion."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from colonies.crypto import PrivateKey
from colonies.wire import Reply, decode_reply
from tests.conformance.target import Colony, Target
from tests.conformance.test_blueprints_scope import World

GO_MAX_DEPTH = 10_000


def nested(levels: int) -> str:
    return "[" * levels + "]" * levels


def depth_of(value: Any) -> int:
    """Levels of a list of lists, walked without recursion."""
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = value[0] if value else None
    return depth


def post_text(target: Target, key: PrivateKey, msgtype: str, text: str) -> Reply:
    """Sign and send a payload given as JSON text (too deep for ``json.dumps``)."""
    payload = base64.b64encode(text.encode()).decode()
    body = {"payloadtype": msgtype, "payload": payload, "signature": key.sign(payload)}
    response = target.post(body)
    return decode_reply(response.content, response.status_code)


def add_deep_blueprint(world: World, kind: str, name: str, depth: int) -> Reply:
    """``addblueprintmsg`` whose spec holds lists nested up to level ``depth`` of the
    message (message 1, blueprint 2, spec 3, the lists from 4)."""
    shallow = {"msgtype": "addblueprintmsg", "blueprint": world.blueprint(name, kind, {"x": 0})}
    text = json.dumps(shallow).replace('{"x": 0}', '{"x": ' + nested(depth - 3) + "}")
    return post_text(world.wire, world.user, "addblueprintmsg", text)


@pytest.mark.parametrize("depth", [500, GO_MAX_DEPTH])
def test_a_blueprint_nested_as_deep_as_go_accepts_is_stored_and_read_back(
    target: Target, colony: Colony, depth: int
) -> None:
    world = World.of(target, colony)
    kind = world.kind("Deep")
    world.define(kind)
    added = add_deep_blueprint(world, kind, "deep", depth)
    assert not added.error, added.message
    assert depth_of(world.get("deep")["spec"]["x"]) == depth - 3


def test_one_level_deeper_is_invalid_json(target: Target, colony: Colony) -> None:
    world = World.of(target, colony)
    kind = world.kind("Deep")
    world.define(kind)
    refused = add_deep_blueprint(world, kind, "deeper", GO_MAX_DEPTH + 1)
    assert (refused.status, refused.message) == (400, "Failed to add blueprint, invalid JSON")


def test_an_envelope_nested_too_deep_exceeds_max_depth(target: Target) -> None:
    response = target.post(nested(GO_MAX_DEPTH + 1))
    reply = decode_reply(response.content, response.status_code)
    assert (reply.status, reply.message) == (400, "exceeded max depth")
