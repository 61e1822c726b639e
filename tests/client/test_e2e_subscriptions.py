"""WebSocket subscriptions end to end, on both clients (protocol 4)."""

from __future__ import annotations

import threading

import pytest

from colonies.client import AsyncColoniesClient, ColoniesClient
from colonies.errors import ForbiddenError
from colonies.models import Process, ProcessState
from colonies.testing import ThrowawayColony
from tests.client.conftest import echo_spec
from tests.helpers import eventually


def test_process_already_in_state_arrives_at_once_and_timeout_ends_iteration(
    colony: ThrowawayColony, user: ColoniesClient
) -> None:
    process = user.submit(echo_spec(colony))
    seen = list(user.subscribe_process(process.process_id, ProcessState.WAITING, timeout=1))
    assert [p.process_id for p in seen] == [process.process_id]
    assert seen[0].state is ProcessState.WAITING


def test_process_entering_a_state_is_delivered(
    colony: ThrowawayColony, user: ColoniesClient, executor: ColoniesClient
) -> None:
    process = user.submit(echo_spec(colony))
    events = user.subscribe_process(process.process_id, ProcessState.SUCCESS, timeout=30)
    received: list[Process] = []
    reader = threading.Thread(target=lambda: received.append(next(events)))
    reader.start()
    assigned = executor.assign(colony.name, 5)
    assert assigned is not None
    executor.close_process(assigned.process_id, ["ok"])
    reader.join(timeout=30)
    events.close()
    assert [(p.process_id, p.state) for p in received] == [
        (process.process_id, ProcessState.SUCCESS)
    ]
    # the event may carry the copy read before the close (no output yet): read it afresh
    assert user.get_process(process.process_id).output == ["ok"]


def test_subscription_errors_raise_the_mapped_error(user: ColoniesClient) -> None:
    with pytest.raises(ForbiddenError, match="Invalid process"):
        next(iter(user.subscribe_process("0" * 64, ProcessState.RUNNING, timeout=5)))


def test_processes_of_a_type_entering_a_state(
    colony: ThrowawayColony, user: ColoniesClient, executor: ColoniesClient
) -> None:
    events = executor.subscribe_processes(colony.executor_type, ProcessState.WAITING, timeout=30)
    received: list[Process] = []
    reader = threading.Thread(target=lambda: received.append(next(events)))
    reader.start()

    def submit_until_notified() -> list[Process]:
        # The client cannot tell when the server has registered the subscription, so keep
        # submitting until the first notification arrives.
        user.submit(echo_spec(colony))
        return received

    submitted = eventually(submit_until_notified, interval=0.2)
    reader.join(timeout=30)
    events.close()
    assert submitted[0].state is ProcessState.WAITING
    assert submitted[0].spec.conditions.executor_type == colony.executor_type


def test_channel_backlog_live_entries_and_end(
    colony: ThrowawayColony, user: ColoniesClient, executor: ColoniesClient
) -> None:
    process = user.submit(echo_spec(colony, channels=["chat"]))
    user.channel_append(process.process_id, "chat", 1, "one")
    user.channel_append(process.process_id, "chat", 2, "two")
    backlog = list(user.subscribe_channel(process.process_id, "chat", timeout=1))
    assert [m.text for m in backlog] == ["one", "two"]
    stream = user.subscribe_channel(process.process_id, "chat", after_seq=2, timeout=30)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(next(stream).text))
    reader.start()
    user.channel_append(process.process_id, "chat", 3, "three")
    reader.join(timeout=30)
    stream.close()
    assert received == ["three"]


async def test_async_subscriptions(
    colony: ThrowawayColony, async_user: AsyncColoniesClient
) -> None:
    process = await async_user.submit(echo_spec(colony, channels=["chat"]))
    states = [
        p.state
        async for p in async_user.subscribe_process(
            process.process_id, ProcessState.WAITING, timeout=1
        )
    ]
    assert states == [ProcessState.WAITING]
    await async_user.channel_append(process.process_id, "chat", 1, "hi")
    texts = [
        m.text async for m in async_user.subscribe_channel(process.process_id, "chat", timeout=1)
    ]
    assert texts == ["hi"]
    with pytest.raises(ForbiddenError):
        async for _ in async_user.subscribe_process("0" * 64, ProcessState.RUNNING, timeout=5):
            pass
