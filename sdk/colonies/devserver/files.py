"""File metadata: revisions per label and name, lookups by id or name, labels (protocol 3.10).

A file row (table ``files``) is the server's File JSON. Adding the same label and name
again stores a new revision with ``sequencenr`` one higher; the server keeps only the
metadata (the bytes live in S3-compatible storage named by ``ref``).
"""

from __future__ import annotations

from typing import Any

from colonies.devserver import auth
from colonies.devserver.call import Call, Fields
from colonies.devserver.errors import ApiError
from colonies.devserver.registry import null_if_empty, rpc
from colonies.devserver.state import ServerState
from colonies.devserver.store import Row
from colonies.devserver.timefmt import format_time

__all__ = ["FILES"]

FILES = "files"  # key: fileid
_S3_FIELDS = (
    ("server", "str"),
    ("port", "int"),
    ("tls", "bool"),
    ("accesskey", "str"),
    ("secretkey", "str"),
    ("region", "str"),
    ("encryptionkey", "str"),
    ("encryptionalg", "str"),
    ("object", "str"),
    ("bucket", "str"),
)


def _reference(ref: Fields) -> dict[str, Any]:
    s3 = ref.fields("s3object")
    return {
        "protocol": ref.str("protocol"),
        "s3object": {name: getattr(s3, kind)(name) for name, kind in _S3_FIELDS},
    }


def _revisions(state: ServerState, colony: str, label: str, name: str) -> list[Row]:
    """All revisions of one file, oldest first."""
    return sorted(
        (
            f
            for f in state.table(FILES).values()
            if (f["colonyname"], f["label"], f["name"]) == (colony, label, name)
        ),
        key=lambda f: int(f["sequencenr"]),
    )


def _latest_per_name(state: ServerState, colony: str, label: str) -> dict[str, Row]:
    latest: dict[str, Row] = {}
    for row in state.table(FILES).values():
        if row["colonyname"] == colony and row["label"] == label:
            current = latest.get(row["name"])
            if current is None or int(row["sequencenr"]) > int(current["sequencenr"]):
                latest[row["name"]] = row
    return latest


@rpc("addfilemsg", "Failed to add file")
def add_file(call: Call) -> Row:
    if call.obj("file") is None:
        raise ApiError(400, "Failed to add file, msg.File is nil")
    fields = call.fields("file")
    colony, label, name = fields.str("colonyname"), fields.str("label"), fields.str("name")
    row: Row = {
        "fileid": call.state.new_id(),
        "colonyname": colony,
        "label": label,
        "name": name,
        "size": fields.int("size"),
        "sequencenr": 0,
        "checksum": fields.str("checksum"),
        "checksumalg": fields.str("checksumalg"),
        "ref": _reference(fields.fields("ref")),
        "added": format_time(call.state.now()),
    }
    auth.require_member(call, colony)
    previous = _revisions(call.state, colony, label, name)
    row["sequencenr"] = int(previous[-1]["sequencenr"]) + 1 if previous else 1
    call.state.table(FILES).put(row["fileid"], row)
    return row


@rpc("getfilemsg", "Failed to get file")
def get_file(call: Call) -> list[Row]:
    colony, file_id = call.str("colonyname"), call.str("fileid")
    label, name, latest = call.str("label"), call.str("name"), call.bool("latest")
    auth.require_member(call, colony)
    if file_id:
        row = call.state.table(FILES).get(file_id)
        if row is None or row["colonyname"] != colony:
            raise ApiError(400, "Failed to get file")
        return [row]
    if not (label and name):
        raise ApiError(500, "malformatted get file msg")
    files = _revisions(call.state, colony, label, name)
    if not files:
        raise ApiError(404, "Failed to get file")
    return files[-1:] if latest else files


@rpc("getfilesmsg", "Failed to get files")
def get_files(call: Call) -> list[dict[str, Any]]:
    colony, label = call.str("colonyname"), call.str("label")
    auth.require_member(call, colony)
    return [
        {
            "name": row["name"],
            "checksum": row["checksum"],
            "size": row["size"],
            "s3filename": row["ref"]["s3object"]["object"],
        }
        for row in _latest_per_name(call.state, colony, label).values()
    ]


@rpc("getfilelabelsmsg", "Failed to get files")
def get_file_labels(call: Call) -> Any:
    colony, name, exact = call.str("colonyname"), call.str("name"), call.bool("exact")
    auth.require_member(call, colony)
    names: dict[str, set[str]] = {}
    for row in call.state.table(FILES).values():
        label = str(row["label"])
        wanted = not name or (label == name if exact else label.startswith(name))
        if row["colonyname"] == colony and wanted:
            names.setdefault(label, set()).add(str(row["name"]))
    return null_if_empty(
        [{"name": label, "files": len(files)} for label, files in sorted(names.items())]
    )


@rpc("removefilemsg", "Failed to remove file")
def remove_file(call: Call) -> None:
    colony, file_id = call.str("colonyname"), call.str("fileid")
    label, name = call.str("label"), call.str("name")
    auth.require_member(call, colony)
    table = call.state.table(FILES)
    if file_id:
        row = table.get(file_id)
        if row is not None and row["colonyname"] == colony:
            table.delete(file_id)
    elif label and name:
        for row in _revisions(call.state, colony, label, name):
            table.delete(row["fileid"])
    else:
        raise ApiError(400, "malformatted remove file msg")
