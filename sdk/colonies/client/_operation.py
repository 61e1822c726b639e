"""Define each client method once and serve it to both clients, fully typed.

An operation is a function returning a request description (:class:`Call`, a flow of calls,
or a :class:`Subscription`). The descriptors below turn it into a method whose type depends
on the client it is read from: on :class:`SyncExecutor` it returns ``T``, on
:class:`AsyncExecutor` a coroutine of ``T`` (or an iterator / async iterator for
subscriptions). mypy and IDEs see the right signature through the overloaded ``__get__``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Callable, Coroutine, Generator
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from colonies.client._call import Call, Flow, Subscription
from colonies.errors import ColoniesError

__all__ = [
    "AsyncExecutor",
    "FlowOperation",
    "Operation",
    "SubscriptionOperation",
    "SyncExecutor",
    "flow",
    "operation",
    "subscription",
]

P = ParamSpec("P")
T = TypeVar("T")


class SyncExecutor(ABC):
    """What a blocking client provides to run request descriptions."""

    @abstractmethod
    def _execute(self, call: Call[T]) -> T: ...

    @abstractmethod
    def _stream(self, sub: Subscription[T]) -> Generator[T, None, None]: ...

    def _drive(self, steps: Flow[T]) -> T:
        """Run a multi-step operation; server errors are thrown into the flow."""
        result: Any = None
        error: ColoniesError | None = None
        while True:
            try:
                call = steps.send(result) if error is None else steps.throw(error)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            try:
                result, error = self._execute(call), None
            except ColoniesError as failure:
                result, error = None, failure


class AsyncExecutor(ABC):
    """What an asyncio client provides to run request descriptions."""

    @abstractmethod
    async def _execute(self, call: Call[T]) -> T: ...

    @abstractmethod
    def _stream(self, sub: Subscription[T]) -> AsyncGenerator[T, None]: ...

    async def _drive(self, steps: Flow[T]) -> T:
        """Run a multi-step operation; server errors are thrown into the flow."""
        result: Any = None
        error: ColoniesError | None = None
        while True:
            try:
                call = steps.send(result) if error is None else steps.throw(error)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            try:
                result, error = await self._execute(call), None
            except ColoniesError as failure:
                result, error = None, failure


def _named(method: Callable[..., Any], template: Callable[..., Any]) -> Callable[..., Any]:
    method.__name__ = template.__name__
    method.__qualname__ = template.__qualname__
    method.__doc__ = template.__doc__
    method.__module__ = template.__module__
    return method


class Operation(Generic[P, T]):
    """A single-RPC method: ``T`` on the sync client, a coroutine of ``T`` on the async one."""

    def __init__(self, build: Callable[Concatenate[Any, P], Call[T]]) -> None:
        self.build = build
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, obj: SyncExecutor, owner: type[Any] | None = None) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, obj: AsyncExecutor, owner: type[Any] | None = None
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, obj: object, owner: type[Any] | None = None) -> Any:
        if obj is None:
            return self
        build = self.build
        if isinstance(obj, AsyncExecutor):
            client: AsyncExecutor = obj

            async def run_async(*args: Any, **kwargs: Any) -> Any:
                return await client._execute(build(client, *args, **kwargs))

            return _named(run_async, build)
        if isinstance(obj, SyncExecutor):
            runner: SyncExecutor = obj
            return _named(
                lambda *args, **kwargs: runner._execute(build(runner, *args, **kwargs)), build
            )
        raise TypeError(f"{build.__name__} is only available on ColonyOS clients")


class FlowOperation(Generic[P, T]):
    """A multi-step method (a generator of calls) served like :class:`Operation`."""

    def __init__(self, build: Callable[Concatenate[Any, P], Flow[T]]) -> None:
        self.build = build
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(self, obj: SyncExecutor, owner: type[Any] | None = None) -> Callable[P, T]: ...
    @overload
    def __get__(
        self, obj: AsyncExecutor, owner: type[Any] | None = None
    ) -> Callable[P, Coroutine[Any, Any, T]]: ...
    def __get__(self, obj: object, owner: type[Any] | None = None) -> Any:
        if obj is None:
            return self
        build = self.build
        if isinstance(obj, AsyncExecutor):
            client: AsyncExecutor = obj

            async def run_async(*args: Any, **kwargs: Any) -> Any:
                return await client._drive(build(client, *args, **kwargs))

            return _named(run_async, build)
        if isinstance(obj, SyncExecutor):
            runner: SyncExecutor = obj
            return _named(
                lambda *args, **kwargs: runner._drive(build(runner, *args, **kwargs)), build
            )
        raise TypeError(f"{build.__name__} is only available on ColonyOS clients")


class SubscriptionOperation(Generic[P, T]):
    """A subscription: a generator on the sync client, an async generator on the async one
    (``close()``/``aclose()`` ends it early and closes the socket)."""

    def __init__(self, build: Callable[Concatenate[Any, P], Subscription[T]]) -> None:
        self.build = build
        self.__doc__ = build.__doc__

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...
    @overload
    def __get__(
        self, obj: SyncExecutor, owner: type[Any] | None = None
    ) -> Callable[P, Generator[T, None, None]]: ...
    @overload
    def __get__(
        self, obj: AsyncExecutor, owner: type[Any] | None = None
    ) -> Callable[P, AsyncGenerator[T, None]]: ...
    def __get__(self, obj: object, owner: type[Any] | None = None) -> Any:
        if obj is None:
            return self
        build = self.build
        if isinstance(obj, SyncExecutor | AsyncExecutor):
            client = obj
            return _named(
                lambda *args, **kwargs: client._stream(build(client, *args, **kwargs)), build
            )
        raise TypeError(f"{build.__name__} is only available on ColonyOS clients")


def operation(build: Callable[Concatenate[Any, P], Call[T]]) -> Operation[P, T]:
    """Decorate a request builder ``(self, ...) -> Call[T]`` to become a client method."""
    return Operation(build)


def flow(build: Callable[Concatenate[Any, P], Flow[T]]) -> FlowOperation[P, T]:
    """Decorate a generator ``(self, ...) -> Flow[T]`` to become a multi-step client method."""
    return FlowOperation(build)


def subscription(
    build: Callable[Concatenate[Any, P], Subscription[T]],
) -> SubscriptionOperation[P, T]:
    """Decorate ``(self, ...) -> Subscription[T]`` to become a streaming client method."""
    return SubscriptionOperation(build)
