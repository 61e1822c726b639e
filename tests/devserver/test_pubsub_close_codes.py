"""How a client ends a subscription early, seen from the server's side of the socket: with
close code 1000. A context manager would send 1011 on ``GeneratorExit`` or cancellation,
which the real server logs as an error for every subscription ended early (issue 13 A6)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator

import pytest

from colonies.client import AsyncColoniesClient, ColoniesClient
from colonies.devserver import DevServer
from colonies.models import Conditions, FunctionSpec, ProcessState
from tests.helpers import eventually


def close_codes(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        str(record.args[0]) if isinstance(record.args, tuple) else ""
        for record in caplog.records
        if record.getMessage().startswith("pubsub client closed the connection")
    ]


@pytest.fixture
def waiting(dev_server: DevServer) -> Iterator[tuple[ColoniesClient, str]]:
    """A user's client and the ID of a WAITING process (a subscription to WAITING answers
    at once and then stays open)."""
    boot = dev_server.bootstrap("close-codes")
    with ColoniesClient.from_url(dev_server.url, key=boot.user_key) as client:
        conditions = Conditions(colony_name=boot.colony_name, executor_type=boot.executor_type)
        process = client.submit(FunctionSpec(func_name="echo", conditions=conditions))
        yield client, process.process_id


def end_by_close(client: ColoniesClient, process_id: str) -> None:
    events = client.subscribe_process(process_id, ProcessState.WAITING, timeout=30)
    next(events)
    events.close()


def end_by_break(client: ColoniesClient, process_id: str) -> None:
    for _ in client.subscribe_process(process_id, ProcessState.WAITING, timeout=30):
        break


@pytest.mark.parametrize("end", [end_by_close, end_by_break])
def test_ending_a_subscription_early_closes_with_1000(
    waiting: tuple[ColoniesClient, str],
    caplog: pytest.LogCaptureFixture,
    end: Callable[[ColoniesClient, str], None],
) -> None:
    caplog.set_level(logging.DEBUG, logger="colonies.devserver")
    client, process_id = waiting
    end(client, process_id)
    assert eventually(lambda: close_codes(caplog)) == ["1000"]


def test_cancelling_an_async_subscription_closes_with_1000(
    dev_server: DevServer, waiting: tuple[ColoniesClient, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="colonies.devserver")
    process_id = waiting[1]
    key = dev_server.bootstrap("close-codes").user_key

    async def follow_then_cancel() -> None:
        async with AsyncColoniesClient.from_url(dev_server.url, key=key) as user:
            started = asyncio.Event()

            async def follow() -> None:
                async for _ in user.subscribe_process(process_id, ProcessState.WAITING, 30):
                    started.set()

            task = asyncio.create_task(follow())
            await started.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task

    asyncio.run(follow_then_cancel())
    assert eventually(lambda: close_codes(caplog)) == ["1000"]
