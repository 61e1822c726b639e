"""How often and how patiently a reconciler's device work is tried again.

One policy per reconciler class (``Reconciler.retry``), run with tenacity: exponential
backoff with jitter for temporary failures, no retry for permanent ones, and a
``TemporaryError(delay=...)`` may ask for its own wait.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from pydantic import ValidationError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential_jitter,
)

from colonies.runtime.errors import PermanentError, TemporaryError

T = TypeVar("T")

RetryHook = Callable[[int, BaseException, float], None]
"""Called before each wait with (attempt number that failed, its error, seconds to wait)."""


def is_retryable(error: BaseException) -> bool:
    """Everything except a permanent error or a model validation failure is worth another try.

    Like Kopf, unexpected exceptions count as temporary: a flaky device library should not
    need to know about our error classes.
    """
    return isinstance(error, Exception) and not isinstance(error, PermanentError | ValidationError)


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff for temporary errors: ``attempts`` tries in total, waits growing from
    ``initial_delay`` by ``multiplier`` up to ``max_delay``, plus up to ``jitter`` seconds."""

    attempts: int = 5
    initial_delay: float = 0.5
    max_delay: float = 30.0
    multiplier: float = 2.0
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("RetryPolicy.attempts must be at least 1")
        if self.initial_delay < 0 or self.max_delay < 0 or self.jitter < 0:
            raise ValueError("RetryPolicy delays must not be negative")

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, TemporaryError) and error.delay is not None:
            return max(0.0, error.delay)
        backoff = wait_exponential_jitter(
            multiplier=self.initial_delay,
            max=self.max_delay,
            exp_base=self.multiplier,
            jitter=self.jitter,
        )
        return float(backoff(state))

    async def run(
        self, attempt: Callable[[], Awaitable[T]], on_retry: RetryHook | None = None
    ) -> T:
        """Run ``attempt`` until it succeeds, fails permanently or runs out of attempts.

        The last error is re-raised as is, so callers see the reconciler's own exception.
        """

        def before_sleep(state: RetryCallState) -> None:
            if on_retry is not None and state.outcome is not None and state.next_action:
                error = state.outcome.exception()
                if error is not None:
                    on_retry(state.attempt_number, error, state.next_action.sleep)

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            retry=retry_if_exception(is_retryable),
            before_sleep=before_sleep,
            reraise=True,
        )
        return await retrying(attempt)
