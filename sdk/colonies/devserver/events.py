"""In-process events between handler modules of one server.

Why: handler areas are written independently (identity, workloads, blueprints) but react to
each other, e.g. removing an executor must re-queue its running processes, and a long-polling
``assign`` must wake when a process is submitted. Modules announce facts with
``state.events.emit(topic, data)`` and react in three ways:

* ``@registry.listener(topic)`` on a module-level ``fn(state, data)``: runs synchronously inside
  ``emit``, in the emitting handler's transaction (so its writes commit or roll back with it);
* ``state.events.on(topic, callback)``: the same for a callback registered at run time;
* ``await state.events.wait_for(topics, check, timeout)``: re-evaluates ``check()`` every time
  one of ``topics`` is emitted until it returns something truthy or ``timeout`` passes.

Everything runs on the server's event loop; ``emit`` must be called from it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from colonies.devserver import registry

if TYPE_CHECKING:
    from colonies.devserver.state import ServerState

__all__ = ["COLONY_REMOVED", "EXECUTOR_UNREGISTERED", "EventBus"]

T = TypeVar("T")

#: data: the executor row, already in state 3 (UNREGISTERED) and ``put``. Listeners re-queue
#: the executor's RUNNING processes and remove its functions (protocol 3.2, 5.5, 6.2).
EXECUTOR_UNREGISTERED = "executor.unregistered"
#: data: the removed colony row. Listeners delete the colony's processes and graphs (3.1).
COLONY_REMOVED = "colony.removed"


class EventBus:
    """Synchronous fan-out to listeners plus wake-ups for coroutines waiting on a topic."""

    def __init__(self, state: ServerState) -> None:
        self._state = state
        self._callbacks: dict[str, list[Callable[[Any], None]]] = {}
        self._waiters: dict[str, set[asyncio.Future[None]]] = {}

    def on(self, topic: str, callback: Callable[[Any], None]) -> Callable[[], None]:
        """Call ``callback(data)`` on every ``emit(topic, data)``; returns an unsubscriber."""
        callbacks = self._callbacks.setdefault(topic, [])
        callbacks.append(callback)
        return lambda: callbacks.remove(callback) if callback in callbacks else None

    def emit(self, topic: str, data: Any = None) -> None:
        """Run listeners and callbacks of ``topic`` now, then wake its waiters."""
        for listener in registry.listeners(topic):
            listener(self._state, data)
        for callback in list(self._callbacks.get(topic, ())):
            callback(data)
        for future in self._waiters.pop(topic, ()):
            if not future.done():
                future.set_result(None)

    async def wait_for(
        self, topics: str | Iterable[str], check: Callable[[], T | None], timeout: float
    ) -> T | None:
        """Return the first truthy ``check()``, re-checked after each emit of ``topics``;
        ``None`` when ``timeout`` seconds pass first."""
        names = (topics,) if isinstance(topics, str) else tuple(topics)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = check()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            future: asyncio.Future[None] = loop.create_future()
            for name in names:
                self._waiters.setdefault(name, set()).add(future)
            try:
                await asyncio.wait_for(asyncio.shield(future), remaining)
            except TimeoutError:
                pass
            finally:
                for name in names:
                    self._waiters.get(name, set()).discard(future)
