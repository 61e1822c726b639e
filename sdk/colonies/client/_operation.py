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
from typing import Any, ClassVar, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from colonies.client._call import Call, Flow, Subscription
from colonies.errors import ColoniesError

__all__ = [
    "AsyncExecutor",
    "FlowOperation",
    "FlowRun",
    "Operation",
    "SubscriptionOperation",
    "SyncExecutor",
    "flow",
    "operation",
    "subscription",
]

P = ParamSpec("P")
T = TypeVar("T")


class FlowRun(Generic[T]):
    """Steps through a multi-step operation: hands out its calls, feeds back each outcome
    (a result, or a server error thrown into the flow), and keeps the final value."""

    def __init__(self, steps: Flow[T]) -> None:
        self._steps = steps
        self._result: Any = None
        self._error: ColoniesError | None = None
        self.value: T | None = None

    def next_call(self) -> Call[Any] | None:
        """The next call to execute, or ``None`` when the flow has returned :attr:`value`."""
        try:
            if self._error is None:
                return self._steps.send(self._result)
            return self._steps.throw(self._error)
        except StopIteration as stop:
            self.value = stop.value
            return None

    def succeeded(self, result: Any) -> None:
        self._result, self._error = result, None

    def failed(self, error: ColoniesError) -> None:
        self._result, self._error = None, error


class SyncExecutor(ABC):
    """What a blocking client provides to run request descriptions."""

    @abstractmethod
    def _execute(self, call: Call[T]) -> T: ...

    @abstractmethod
    def _stream(self, sub: Subscription[T]) -> Generator[T, None, None]: ...

    def _drive(self, steps: Flow[T]) -> T:
        """Run a multi-step operation."""
        run = FlowRun(steps)
        while (call := run.next_call()) is not None:
            try:
                run.succeeded(self._execute(call))
            except ColoniesError as error:
                run.failed(error)
        return run.value  # type: ignore[return-value]  # set when the flow returned


class AsyncExecutor(ABC):
    """What an asyncio client provides to run request descriptions."""

    @abstractmethod
    async def _execute(self, call: Call[T]) -> T: ...

    @abstractmethod
    def _stream(self, sub: Subscription[T]) -> AsyncGenerator[T, None]: ...

    async def _drive(self, steps: Flow[T]) -> T:
        """Run a multi-step operation."""
        run = FlowRun(steps)
        while (call := run.next_call()) is not None:
            try:
                run.succeeded(await self._execute(call))
            except ColoniesError as error:
                run.failed(error)
        return run.value  # type: ignore[return-value]  # set when the flow returned


def _named(method: Callable[..., Any], template: Callable[..., Any]) -> Callable[..., Any]:
    method.__name__ = template.__name__
    method.__qualname__ = template.__qualname__
    method.__doc__ = template.__doc__
    method.__module__ = template.__module__
    return method


def _not_a_client(build: Callable[..., Any]) -> TypeError:
    return TypeError(f"{build.__name__} is only available on ColonyOS clients")


class _ServedOperation(Generic[P, T]):
    """A method returning ``T`` on the sync client and a coroutine of ``T`` on the async one."""

    multi_step: ClassVar[bool]
    build: Callable[Concatenate[Any, P], Any]

    def __init__(self, build: Callable[Concatenate[Any, P], Any]) -> None:
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
            client = obj
            run_async = client._drive if self.multi_step else client._execute

            async def method_async(*args: Any, **kwargs: Any) -> Any:
                return await run_async(build(client, *args, **kwargs))

            return _named(method_async, build)
        if isinstance(obj, SyncExecutor):
            runner = obj
            run = runner._drive if self.multi_step else runner._execute

            def method(*args: Any, **kwargs: Any) -> Any:
                return run(build(runner, *args, **kwargs))

            return _named(method, build)
        raise _not_a_client(build)


class Operation(_ServedOperation[P, T]):
    """A single-RPC method: ``build`` returns one :class:`Call`."""

    multi_step = False
    build: Callable[Concatenate[Any, P], Call[T]]


class FlowOperation(_ServedOperation[P, T]):
    """A multi-step method: ``build`` returns a :data:`Flow` of calls."""

    multi_step = True
    build: Callable[Concatenate[Any, P], Flow[T]]


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

            def method(*args: Any, **kwargs: Any) -> Any:
                return client._stream(build(client, *args, **kwargs))

            return _named(method, build)
        raise _not_a_client(build)


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
