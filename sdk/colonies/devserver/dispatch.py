"""The /api request path, in the real server's order (protocol 1.4):

1. body is not JSON -> 400 with Go's parser message;
2. ``versionmsg`` / ``getserverinfomsg`` -> answered without a signature;
3. signature recovery -> 403 with the recovery error;
4. unknown or empty payloadtype -> 403;
5. handler: payload decoding (400 "<failure>, invalid JSON"), msgtype check (400), then the
   handler's own permission checks and operation.

The store is committed after the handler and before the reply is sent.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from colonies.crypto import InvalidSignatureError, recover_id
from colonies.devserver import gojson, registry
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.state import ServerState
from colonies.wire import encode_error, encode_reply

__all__ = ["decode_envelope", "decode_message", "dispatch", "envelope_bytes"]

log = logging.getLogger("colonies.devserver")

_EMPTY_TYPE = (
    "invalid rpcMsg.PayloadType: empty (this usually means the client is misconfigured"
    " - check that COLONIES_PRVKEY and other environment variables are set correctly)"
)
_ENVELOPE_FIELDS = ("payloadtype", "payload", "signature")
_GO_TYPE_NAMES = {str: "string", bool: "bool", int: "number", float: "number"}


def _go_type(value: Any) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return _GO_TYPE_NAMES.get(type(value), "value")


def envelope_bytes(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def error_reply(error: ApiError) -> tuple[int, bytes]:
    return error.status, envelope_bytes(encode_error(error.status, error.message))


def decode_envelope(body: bytes) -> dict[str, str]:
    """The request envelope as Go unmarshals it into ``RPCMsg`` (``ApiError(400)`` if not)."""
    try:
        value = gojson.loads(body)
    except gojson.GoJSONError as error:
        raise ApiError(400, str(error)) from None
    if value is None:
        value = {}
    if not isinstance(value, dict):
        raise ApiError(
            400, f"json: cannot unmarshal {_go_type(value)} into Go value of type rpc.RPCMsg"
        )
    fields = {key.lower(): item for key, item in value.items()}
    envelope: dict[str, str] = {}
    for name in _ENVELOPE_FIELDS:
        item = fields.get(name)
        if item is not None and not isinstance(item, str):
            raise ApiError(
                400,
                f"json: cannot unmarshal {_go_type(item)} into Go struct field"
                f" RPCMsg.{name} of type string",
            )
        envelope[name] = item or ""
    return envelope


def decode_message(payload: str) -> dict[str, Any] | None:
    """The message inside ``payload`` like the server's ``DecodePayload`` followed by
    ``json.Unmarshal`` into a struct; ``None`` when that fails."""
    try:
        raw = base64.b64decode(payload.replace("\r", "").replace("\n", ""), validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    try:
        value = gojson.loads(raw)
    except gojson.GoJSONError:
        return None
    if value is None:
        return {}
    return value if isinstance(value, dict) else None


def _prepare_call(
    state: ServerState,
    handler: registry.RpcHandler,
    envelope: dict[str, str],
    signer_id: str,
    client_gone: Callable[[], Awaitable[None]] | None,
) -> Call:
    msgtype = envelope["payloadtype"]
    if not handler.decode:
        return Call(msgtype, {}, signer_id, state, handler.failure, client_gone)
    message = decode_message(envelope["payload"])
    if message is None:
        raise ApiError(400, f"{handler.failure}, invalid JSON")
    call = Call(msgtype, message, signer_id, state, handler.failure, client_gone)
    if call.str("msgtype") != msgtype:
        raise ApiError(400, f"{handler.failure}, msg.MsgType does not match payloadType")
    return call


async def _run(handler: registry.RpcHandler, call: Call) -> Any:
    if handler.is_async:
        return await handler.fn(call)
    return handler.fn(call)


def _reply(call: Call, result: Any) -> tuple[int, bytes]:
    if isinstance(result, registry.RawReply):
        return result.status, result.body
    if result is None:
        result = {}
    elif result is registry.NULL:
        result = None
    return 200, envelope_bytes(encode_reply(call.reply_type, result))


async def dispatch(
    state: ServerState, body: bytes, client_gone: Callable[[], Awaitable[None]] | None = None
) -> tuple[int, bytes]:
    """Answer one /api request body with ``(http_status, response_body)``; ``client_gone``
    returns when the caller disconnects (a long poll then gives up)."""
    try:
        envelope = decode_envelope(body)
        payloadtype = envelope["payloadtype"]
        handler = registry.rpc_handler(payloadtype)
        signer_id = ""
        if handler is None or handler.signed:
            try:
                signer_id = recover_id(envelope["payload"], envelope["signature"])
            except InvalidSignatureError as error:
                raise ApiError(403, str(error)) from None
        if handler is None:
            raise ApiError(
                403, f"invalid rpcMsg.PayloadType: {payloadtype}" if payloadtype else _EMPTY_TYPE
            )
        call = _prepare_call(state, handler, envelope, signer_id, client_gone)
    except ApiError as error:
        return error_reply(error)
    try:
        reply = _reply(call, await _run(handler, call))
        state.store.commit()
    except ApiError as error:
        state.store.commit()
        return error_reply(error)
    except RecursionError:
        # input nested deeper than some code path can walk: bad input, so no traceback
        state.store.rollback()
        log.warning("dev server handler for %s: the request nests too deeply", payloadtype)
        return error_reply(ApiError(400, f"{handler.failure}, invalid JSON"))
    except Exception as error:
        state.store.rollback()
        log.exception("dev server handler for %s failed", payloadtype)
        message = f"dev server internal error in {payloadtype}: {type(error).__name__}: {error}"
        return error_reply(ApiError(500, message))
    return reply
