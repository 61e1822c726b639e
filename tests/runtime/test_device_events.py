"""The event contract's pieces without a server: the sink's thread hand-off, sharding,
drift-policy parsing and the status of a held change."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from colonies.models import Executor
from colonies.models.identity import ExecutorState
from colonies.runtime import ConfigurationError, EventSink, Phase
from colonies.runtime.drift import DriftPolicy, policy_overrides
from colonies.runtime.sharding import STALE_AFTER, live_members, owner
from colonies.runtime.status import Outcome, build_status
from colonies.runtime.triggers import DeviceChanged, DeviceEvent
from tests.runtime.lamps import Lamps

T0 = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)


async def test_the_sink_hands_events_from_any_thread_to_the_loop() -> None:
    loop = asyncio.get_running_loop()
    arrived: list[tuple[DeviceEvent, int]] = []
    done = asyncio.Event()

    def deliver(event: DeviceEvent) -> None:
        arrived.append((event, threading.get_ident()))
        done.set()

    sink = EventSink(deliver, loop)
    thread = threading.Thread(target=sink.changed, args=("hall",), kwargs={"source": "mqtt"})
    thread.start()
    thread.join()
    await asyncio.wait_for(done.wait(), 10)
    (event, thread_id), *_ = arrived
    assert isinstance(event, DeviceChanged)
    assert (event.name, event.source) == ("hall", "mqtt")
    assert thread_id == threading.get_ident(), "delivered on the loop's thread"
    Lamps().events.changed("hall")  # detached until a runtime attaches one: dropped


def test_every_blueprint_has_one_owner_and_a_new_member_moves_few() -> None:
    names = [f"lamp-{index}" for index in range(600)]
    two = Counter(owner(name, ["a", "b"]) for name in names)
    assert set(two) == {"a", "b"}
    assert min(two.values()) > 200
    moved = sum(owner(name, ["a", "b"]) != owner(name, ["a", "b", "c"]) for name in names)
    assert moved == sum(owner(name, ["a", "b", "c"]) == "c" for name in names), "only to c"
    assert {owner(name, ["solo"]) for name in names} == {"solo"}


def test_live_members_are_fresh_approved_executors_of_the_type_and_location() -> None:
    def executor(name: str, heard: timedelta, **fields: object) -> Executor:
        values = {
            "executor_name": name,
            "executor_type": "lamp-reconciler",
            "state": ExecutorState.APPROVED,
            "last_heard_from_time": T0 - heard,
            **fields,
        }
        return Executor.model_validate(values)

    executors = [
        executor("b", timedelta(0)),
        executor("a", timedelta(seconds=30)),
        executor("stale", STALE_AFTER + timedelta(seconds=1)),
        executor("other", timedelta(0), executor_type="fan-reconciler"),
        executor("pending", timedelta(0), state=ExecutorState.PENDING),
        executor("elsewhere", timedelta(0), location_name="attic"),
    ]
    assert live_members(executors, "me", "lamp-reconciler", "") == ["a", "b", "me"]
    assert live_members(executors, "elsewhere", "lamp-reconciler", "ATTIC") == ["elsewhere"]


def test_bad_policy_annotations_and_attributes_are_named() -> None:
    assert policy_overrides({}) == (None, None)
    assert policy_overrides(
        {"colonies.dev/drift-policy": "Hold", "colonies.dev/hold-period": "30"}
    ) == (DriftPolicy.HOLD, 30.0)
    with pytest.raises(ValueError, match=r"colonies\.dev/drift-policy: 'holdd'.*correct, hold"):
        policy_overrides({"colonies.dev/drift-policy": "holdd"})
    with pytest.raises(ValueError, match=r"colonies\.dev/hold-period: '-5'"):
        policy_overrides({"colonies.dev/hold-period": "-5"})

    class Sloppy(Lamps):
        drift_policy = "ignore"

    with pytest.raises(ConfigurationError, match=r"Sloppy\.drift_policy: 'ignore'"):
        Sloppy.check_class()

    class Frantic(Lamps):
        observe_interval = 0

    with pytest.raises(
        ConfigurationError, match=r"Frantic\.observe_interval must be a positive number"
    ):
        Frantic.check_class()


def test_a_held_change_keeps_its_start_and_says_until_when() -> None:
    until = T0 + timedelta(minutes=10)
    held = Outcome(Phase.HELD, 2, "held", until=until)
    first = build_status(held, {"observedGeneration": 2}, T0)
    later = build_status(held, first, T0 + timedelta(minutes=1))
    assert later == first, "an unchanged hold writes nothing"
    override = next(c for c in later["conditions"] if c["type"] == "ManualOverride")
    assert (override["status"], override["reason"]) == ("True", "Held")
    assert (override["lastTransitionTime"], override["until"]) == (
        "2026-12-05T22:00:00Z",
        "2026-12-05T22:10:00Z",
    )
