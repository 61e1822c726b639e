"""WebSocket subscriptions (protocol 4): iterators on the sync client, async iterators on
the async one. Each ends normally when the server ends the subscription at its timeout."""

from __future__ import annotations

from typing import Any

from colonies.client._call import KeyArg, Subscription, as_list
from colonies.client._operation import subscription
from colonies.models import ChannelMessage, Process, ProcessState

__all__ = ["CHANNEL_DEFAULT_TIMEOUT", "SubscriptionOperations"]

CHANNEL_DEFAULT_TIMEOUT = 30
"""The server's timeout for a channel subscription sent with ``timeout`` 0."""


def _one_process(result: Any) -> list[Process]:
    return [Process.model_validate(result)]


class SubscriptionOperations:
    """Follow processes entering a state, and channel messages as they arrive."""

    @subscription
    def subscribe_process(
        self,
        process_id: str,
        state: ProcessState,
        timeout: int,
        *,
        executor_type: str = "",
        colony: str = "",
        key: KeyArg = None,
    ) -> Subscription[Process]:
        """Yield the process each time it enters ``state`` (at once if it already is in it),
        for ``timeout`` seconds. Any valid key may subscribe."""
        message = {
            "colonyname": colony,
            "processid": process_id,
            "executortype": executor_type,
            "state": int(state),
            "timeout": timeout,
        }
        return Subscription("subscribeprocessmsg", message, _one_process, timeout, key=key)

    @subscription
    def subscribe_processes(
        self,
        executor_type: str,
        state: ProcessState,
        timeout: int,
        *,
        colony: str = "",
        key: KeyArg = None,
    ) -> Subscription[Process]:
        """Yield every process of ``executor_type`` that enters ``state``, for ``timeout``
        seconds. Signed by an executor. New WAITING processes wake one listener only, shared
        with long-polling ``assign`` calls (4.2)."""
        message = {
            "colonyname": colony,
            "executortype": executor_type,
            "state": int(state),
            "timeout": timeout,
        }
        return Subscription("subscribeprocessesmsg", message, _one_process, timeout, key=key)

    @subscription
    def subscribe_channel(
        self,
        process_id: str,
        channel: str,
        after_seq: int = 0,
        timeout: int = CHANNEL_DEFAULT_TIMEOUT,
        *,
        key: KeyArg = None,
    ) -> Subscription[ChannelMessage]:
        """Yield the channel's entries after position ``after_seq``, then each new one, for
        ``timeout`` seconds."""
        message = {
            "processid": process_id,
            "name": channel,
            "afterseq": after_seq,
            "timeout": timeout,
        }
        return Subscription(
            "subscribechannelmsg",
            message,
            as_list(ChannelMessage),
            timeout or CHANNEL_DEFAULT_TIMEOUT,
            key=key,
            end_on_empty=True,
        )
