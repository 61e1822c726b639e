"""``as_documents``: a list reply kept as plain objects, with the shape still checked."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from colonies import wire
from colonies.client._call import Call, as_documents
from colonies.client._core import ClientCore
from colonies.config import ClientConfig
from colonies.errors import ForbiddenError, ProtocolError

CORE = ClientCore(ClientConfig())
CALL = Call("getblueprintsmsg", {}, as_documents, read=True)


def _interpret(result: Any) -> list[dict[str, Any]]:
    body = json.dumps(wire.encode_reply("getblueprintsmsg", result)).encode()
    return CORE.interpret(CALL, 200, body, time.perf_counter())


def test_objects_come_back_as_they_were_sent() -> None:
    items = [{"kind": "Lamp", "metadata": {"name": "a"}}, {"kind": "Lamp", "spec": None}]
    assert _interpret(items) == items


def test_a_list_of_objects_is_not_copied() -> None:
    """Validating would copy every object while the decoded ones are still alive."""
    items = [{"kind": "Lamp"}]
    assert as_documents(items) is items


def test_a_blank_bytearray_body_is_the_empty_reply_error() -> None:
    with pytest.raises(ForbiddenError, match="empty body"):
        CORE.interpret(CALL, 200, bytearray(b" \n"), time.perf_counter())


def test_the_servers_null_is_an_empty_list() -> None:
    assert _interpret(None) == []


@pytest.mark.parametrize("result", [[1], ["a"], {"kind": "Lamp"}], ids=["int", "str", "object"])
def test_anything_but_a_list_of_objects_is_a_protocol_error(result: Any) -> None:
    with pytest.raises(ProtocolError, match="unexpected reply shape"):
        _interpret(result)
