"""Files, registered functions and process channels (protocol 3.8-3.10)."""

from __future__ import annotations

from typing import Any

from colonies.client._call import Call, KeyArg, as_list, as_model, as_none
from colonies.client._operation import operation
from colonies.models import ChannelMessage, File, FileLabel, FileSummary, Function
from colonies.models.channels import encode_channel_payload

__all__ = ["StorageOperations"]


def _file_selector(file_id: str | None, label: str | None, name: str | None) -> dict[str, str]:
    """A file is addressed by ID, or by label and name; never both, never neither."""
    if (file_id is None) == (label is None or name is None):
        raise ValueError("pass either file_id, or both label and name")
    return {"fileid": file_id or "", "label": label or "", "name": name or ""}


class StorageOperations:
    """File metadata, executor functions and message channels bound to processes."""

    @operation
    def add_file(self, file: File, *, key: KeyArg = None) -> Call[File]:
        """Record a file; the same label and name again becomes a new revision."""
        return Call("addfilemsg", {"file": file.to_wire()}, as_model(File), key=key)

    @operation
    def get_file(
        self,
        colony: str,
        *,
        file_id: str | None = None,
        label: str | None = None,
        name: str | None = None,
        latest: bool = True,
        key: KeyArg = None,
    ) -> Call[list[File]]:
        """A file by ID, or by label and name (the latest revision, or all with
        ``latest=False``). The server always answers with a list."""
        message: dict[str, Any] = {
            "colonyname": colony,
            **_file_selector(file_id, label, name),
            "latest": latest,
        }
        return Call("getfilemsg", message, as_list(File), key=key, read=True)

    @operation
    def get_files(self, colony: str, label: str, *, key: KeyArg = None) -> Call[list[FileSummary]]:
        """The latest revision of each file under ``label``."""
        message = {"colonyname": colony, "label": label}
        return Call("getfilesmsg", message, as_list(FileSummary), key=key, read=True)

    @operation
    def get_file_labels(
        self, colony: str, name: str = "", exact: bool = False, *, key: KeyArg = None
    ) -> Call[list[FileLabel]]:
        """Labels of a colony (under ``name`` or exactly ``name``) with their file counts."""
        message = {"colonyname": colony, "name": name, "exact": exact}
        return Call("getfilelabelsmsg", message, as_list(FileLabel), key=key, read=True)

    @operation
    def remove_file(
        self,
        colony: str,
        *,
        file_id: str | None = None,
        label: str | None = None,
        name: str | None = None,
        key: KeyArg = None,
    ) -> Call[None]:
        """Delete a file by ID, or by label and name."""
        message = {"colonyname": colony, **_file_selector(file_id, label, name)}
        return Call("removefilemsg", message, as_none, key=key)

    @operation
    def add_function(self, function: Function, *, key: KeyArg = None) -> Call[Function]:
        """Declare a function the signing executor can run."""
        return Call("addfunctionmsg", {"fun": function.to_wire()}, as_model(Function), key=key)

    @operation
    def get_functions(
        self, colony: str, executor_name: str = "", *, key: KeyArg = None
    ) -> Call[list[Function]]:
        """Functions of one executor, or of the whole colony when ``executor_name`` is empty."""
        message = {"colonyname": colony, "executorname": executor_name}
        return Call("getfunctionsmsg", message, as_list(Function), key=key, read=True)

    @operation
    def remove_function(self, function_id: str, *, key: KeyArg = None) -> Call[None]:
        """Remove a function. Its executor only."""
        return Call("removefunctionmsg", {"functionid": function_id}, as_none, key=key)

    @operation
    def channel_append(
        self,
        process_id: str,
        channel: str,
        sequence: int,
        payload: bytes | str,
        *,
        in_reply_to: int = 0,
        payload_type: str | None = None,
        key: KeyArg = None,
    ) -> Call[None]:
        """Append to a channel declared in the process spec. The submitter may write at
        once; the executor once assigned. ``payload_type`` is ``"data"`` (default),
        ``"end"``, ``"error"`` or custom."""
        message: dict[str, Any] = {
            "processid": process_id,
            "name": channel,
            "sequence": sequence,
            "inreplyto": in_reply_to,
            "payload": encode_channel_payload(payload),
        }
        if payload_type is not None:
            message["payloadtype"] = payload_type
        return Call("channelappendmsg", message, as_none, key=key)

    @operation
    def channel_read(
        self,
        process_id: str,
        channel: str,
        after_seq: int = 0,
        limit: int = 0,
        *,
        key: KeyArg = None,
    ) -> Call[list[ChannelMessage]]:
        """Entries after position ``after_seq`` (an index, not a sequence number); ``limit``
        0 means all."""
        message = {"processid": process_id, "name": channel, "afterseq": after_seq, "limit": limit}
        return Call("channelreadmsg", message, as_list(ChannelMessage), key=key, read=True)
