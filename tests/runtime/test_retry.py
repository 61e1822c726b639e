"""Retry policy: temporary errors retry, permanent ones do not, a requested delay wins."""

from __future__ import annotations

import pytest
from tenacity import AsyncRetrying, RetryCallState

from colonies.runtime import PermanentError, RetryPolicy, TemporaryError

FAST = RetryPolicy(attempts=3, initial_delay=0, max_delay=0, jitter=0)


async def test_temporary_errors_are_retried_until_success() -> None:
    calls = []
    retries: list[tuple[int, str]] = []

    async def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise TemporaryError(f"busy {len(calls)}")
        return "done"

    result = await FAST.run(flaky, lambda n, error, _delay: retries.append((n, str(error))))
    assert result == "done"
    assert retries == [(1, "busy 1"), (2, "busy 2")]


async def test_unexpected_exceptions_count_as_temporary() -> None:
    calls = []

    async def broken() -> None:
        calls.append(1)
        raise KeyError("device library bug")

    with pytest.raises(KeyError):
        await FAST.run(broken)
    assert len(calls) == 3


async def test_permanent_errors_are_not_retried() -> None:
    calls = []

    async def hopeless() -> None:
        calls.append(1)
        raise PermanentError("unsupported")

    with pytest.raises(PermanentError):
        await FAST.run(hopeless)
    assert calls == [1]


def test_a_requested_delay_replaces_the_backoff() -> None:
    policy = RetryPolicy(initial_delay=5, max_delay=60, jitter=0)
    state = RetryCallState(AsyncRetrying(), None, (), {})
    state.set_exception((TemporaryError, TemporaryError("later", delay=0.25), None))
    assert policy._wait(state) == 0.25
    state.set_exception((ValueError, ValueError("x"), None))
    assert policy._wait(state) == 5


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RetryPolicy(attempts=0)
