"""Channels: in-memory message streams bound to a process (protocol 3.9).

A process gets the channels named in ``spec.channels`` when it is added; they are deleted
when it closes (success, failure, cancel) or is removed, and like on the real server they
do not survive a restart. Only the submitter and, once assigned, the executor may use a
channel. Entries from one sender stay ordered by their sequence numbers; entries from
different senders stay in arrival order. Reads take a *position* (``afterseq``), not a
sequence number.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any

from colonies.devserver import auth
from colonies.devserver.call import Call
from colonies.devserver.errors import ApiError
from colonies.devserver.processes import (
    CANCELLED,
    FAILED,
    PROCESS_ADDED,
    PROCESS_CHANGED,
    PROCESS_REMOVED,
    RUNNING,
    SUCCESS,
    colony_of,
    get_process,
)
from colonies.devserver.registry import listener, rpc
from colonies.devserver.state import ServerState
from colonies.devserver.store import Row
from colonies.devserver.timefmt import format_time

__all__ = ["CHANNEL_APPENDED", "Channel", "authorised_channel", "channel_of"]

#: data: (process id, channel name, entry) after an entry was appended
CHANNEL_APPENDED = "channel.appended"
_DENIED = {
    "write": "Not authorized to write to channel",
    "read": "Not authorized to read from channel",
    "subscribe": "Not authorized to subscribe to channel",
}


@dataclass
class Channel:
    """One channel's participants and entries (MsgEntry JSON objects)."""

    submitter_id: str
    executor_id: str = ""
    entries: list[dict[str, Any]] = field(default_factory=list)

    def allows(self, signer_id: str) -> bool:
        return signer_id in (self.submitter_id, self.executor_id) and signer_id != ""

    def insert(self, entry: dict[str, Any]) -> None:
        """Append, but before any earlier entry of the same sender with a higher sequence."""
        for position, existing in enumerate(self.entries):
            if (
                existing["senderid"] == entry["senderid"]
                and existing["sequence"] > entry["sequence"]
            ):
                self.entries.insert(position, entry)
                return
        self.entries.append(entry)

    def read(self, after: int, limit: int) -> list[dict[str, Any]]:
        start = max(after, 0)
        return self.entries[start : start + limit] if limit > 0 else self.entries[start:]


def _channels(state: ServerState) -> dict[tuple[str, str], Channel]:
    return state.runtime("channels", dict)


def channel_of(state: ServerState, process_id: str, name: str) -> Channel | None:
    return _channels(state).get((process_id, name))


def authorised_channel(call: Call, process_id: str, name: str, action: str) -> Channel:
    """The channel, after the server's checks: process, membership, channel, participant."""
    process = get_process(call.state, process_id)
    if process is None:
        raise ApiError(404, "Process not found")
    auth.require_member(call, colony_of(process))
    channel = channel_of(call.state, process_id, name)
    if channel is None:
        raise ApiError(404, "Channel not found")
    if not channel.allows(call.signer_id):
        raise ApiError(403, _DENIED[action])
    return channel


def _payload_bytes(call: Call) -> bytes:
    """Go decodes ``[]byte`` from base64 text or from an array of byte values."""
    value = call.value("payload")
    if value is None:
        return b""
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise call.invalid() from None
    if isinstance(value, list) and all(
        isinstance(b, int) and not isinstance(b, bool) and 0 <= b <= 255 for b in value
    ):
        return bytes(value)
    raise call.invalid()


@rpc("channelappendmsg", "Failed to append to channel")
def channel_append(call: Call) -> None:
    process_id, name = call.str("processid"), call.str("name")
    sequence, in_reply_to = call.int("sequence"), call.int("inreplyto")
    entry_type, error = call.str("payloadtype") or "data", call.str("error")
    payload = _payload_bytes(call)
    channel = authorised_channel(call, process_id, name, "write")
    entry: dict[str, Any] = {"sequence": sequence}
    if in_reply_to:
        entry["inreplyto"] = in_reply_to
    entry.update(
        timestamp=format_time(call.state.now()),
        senderid=call.signer_id,
        payload=base64.b64encode(payload).decode("ascii"),
        type=entry_type,
    )
    if error:
        entry["error"] = error
    channel.insert(entry)
    call.state.events.emit(CHANNEL_APPENDED, (process_id, name, entry))


@rpc("channelreadmsg", "Failed to read from channel")
def channel_read(call: Call) -> list[dict[str, Any]]:
    process_id, name = call.str("processid"), call.str("name")
    after, limit = call.int("afterseq"), call.int("limit")
    return authorised_channel(call, process_id, name, "read").read(after, limit)


def _drop(state: ServerState, process_id: str) -> None:
    for key in [key for key in _channels(state) if key[0] == process_id]:
        del _channels(state)[key]


@listener(PROCESS_ADDED)
def _on_process_added(state: ServerState, process: Row) -> None:
    for name in process["spec"].get("channels") or []:
        _channels(state).setdefault(
            (process["processid"], name), Channel(submitter_id=process["initiatorid"])
        )


@listener(PROCESS_CHANGED)
def _on_process_changed(state: ServerState, process: Row) -> None:
    if process["state"] in (SUCCESS, FAILED, CANCELLED):
        _drop(state, process["processid"])
    elif process["state"] == RUNNING:
        for (process_id, _), channel in _channels(state).items():
            if process_id == process["processid"]:
                channel.executor_id = process["assignedexecutorid"]


@listener(PROCESS_REMOVED)
def _on_process_removed(state: ServerState, process: Row) -> None:
    _drop(state, process["processid"])
