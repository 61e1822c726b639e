"""Files, functions and channels end to end (protocol 3.8-3.10)."""

from __future__ import annotations

import pytest

from colonies.client import ColoniesClient
from colonies.errors import ForbiddenError, InvalidRequestError, NotFoundError
from colonies.models import File, FileReference, Function, FunctionArg, S3Object
from colonies.testing import ThrowawayColony
from tests.client.conftest import echo_spec


def _file(colony: ThrowawayColony, name: str, checksum: str) -> File:
    reference = FileReference(
        protocol="s3",
        s3_object=S3Object(server="s3.local", port=9000, bucket="b", object=f"obj-{checksum}"),
    )
    return File(
        colony_name=colony.name,
        label="/data",
        name=name,
        size=3,
        checksum=checksum,
        checksum_alg="SHA256",
        ref=reference,
    )


def test_files_and_revisions(colony: ThrowawayColony, user: ColoniesClient) -> None:
    first = user.add_file(_file(colony, "a.txt", "c1"))
    assert first.file_id
    assert first.added is not None
    second = user.add_file(_file(colony, "a.txt", "c2"))
    assert second.sequence_nr == first.sequence_nr + 1
    user.add_file(_file(colony, "b.txt", "c3"))
    latest = user.get_file(colony.name, label="/data", name="a.txt")
    assert [f.checksum for f in latest] == ["c2"]
    all_revisions = user.get_file(colony.name, label="/data", name="a.txt", latest=False)
    assert sorted(f.checksum for f in all_revisions) == ["c1", "c2"]
    by_id = user.get_file(colony.name, file_id=first.file_id)
    assert [f.ref.s3_object.object for f in by_id] == ["obj-c1"]
    summaries = {s.name: s.checksum for s in user.get_files(colony.name, "/data")}
    assert summaries == {"a.txt": "c2", "b.txt": "c3"}
    labels = user.get_file_labels(colony.name)
    assert [label.name for label in labels] == ["/data"]
    assert labels[0].files >= 2  # the protocol does not say whether revisions count
    user.remove_file(colony.name, label="/data", name="b.txt")
    assert [s.name for s in user.get_files(colony.name, "/data")] == ["a.txt"]
    user.remove_file(colony.name, file_id=first.file_id)
    with pytest.raises(InvalidRequestError):
        user.get_file(colony.name, file_id=first.file_id)


def test_functions(colony: ThrowawayColony, user: ColoniesClient, executor: ColoniesClient) -> None:
    function = Function(
        executor_name=colony.executor_name,
        executor_type=colony.executor_type,
        colony_name=colony.name,
        func_name="echo",
        description="repeats its input",
        args=[FunctionArg(name="text", type="string")],
    )
    added = executor.add_function(function)
    assert added.function_id
    assert added.func_name == "echo"
    assert [f.func_name for f in user.get_functions(colony.name)] == ["echo"]
    mine = user.get_functions(colony.name, colony.executor_name)
    assert [f.function_id for f in mine] == [added.function_id]
    assert mine[0].args == [FunctionArg(name="text", type="string")]
    assert user.get_functions(colony.name, "someone-else") == []
    executor.remove_function(added.function_id)
    assert user.get_functions(colony.name) == []


def test_channels(colony: ThrowawayColony, user: ColoniesClient, executor: ColoniesClient) -> None:
    process = user.submit(echo_spec(colony, channels=["chat"]))
    user.channel_append(process.process_id, "chat", 1, "hello")
    with pytest.raises(ForbiddenError):
        executor.channel_append(process.process_id, "chat", 1, "too early")
    assert executor.assign(colony.name, 5) is not None
    executor.channel_append(process.process_id, "chat", 1, b"\x00\x01", in_reply_to=1)
    executor.channel_append(process.process_id, "chat", 2, "bye", payload_type="end")
    entries = user.channel_read(process.process_id, "chat")
    assert [(e.payload, e.type) for e in entries] == [
        (b"hello", "data"),
        (b"\x00\x01", "data"),
        (b"bye", "end"),
    ]
    assert entries[0].sender_id == colony.user_key.id
    assert entries[1].in_reply_to == 1
    assert entries[0].timestamp is not None
    assert [e.text for e in user.channel_read(process.process_id, "chat", after_seq=2)] == ["bye"]
    assert len(user.channel_read(process.process_id, "chat", limit=1)) == 1
    with pytest.raises(NotFoundError, match="Channel not found"):
        user.channel_read(process.process_id, "other")
    executor.close_process(process.process_id)
    with pytest.raises(NotFoundError, match="Channel not found"):
        user.channel_read(process.process_id, "chat")
