"""Actuation limits, on a fake clock: which waits a command gets, never how long a test took."""

from __future__ import annotations

from colonies_home.safety import ActuationGuard, SafetyLimits


class FakeClock:
    """A clock that only moves when the guard sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


def guard(clock: FakeClock, limits: SafetyLimits) -> ActuationGuard:
    return ActuationGuard(limits, clock=clock, sleep=clock.sleep)


async def test_commands_to_one_device_keep_the_minimum_interval() -> None:
    clock = FakeClock()
    limits = guard(clock, SafetyLimits(min_interval=2.0, rate=100, burst=100))
    assert await limits.turn("zigbee2mqtt", "lamp") == 0
    clock.now += 0.5
    assert await limits.turn("zigbee2mqtt", "lamp") == 1.5
    assert await limits.turn("zigbee2mqtt", "plug") == 0  # another device is not held up
    assert await limits.turn("homeassistant", "lamp") == 0  # nor the same name elsewhere
    assert clock.sleeps == [1.5]
    assert limits.granted == 4


async def test_a_backend_takes_a_burst_then_its_rate() -> None:
    clock = FakeClock()
    limits = guard(clock, SafetyLimits(min_interval=0, rate=2.0, burst=3))
    waits = [await limits.turn("zigbee2mqtt", f"device-{n}") for n in range(5)]
    assert waits == [0, 0, 0, 0.5, 0.5]
    assert await limits.turn("homeassistant", "device-0") == 0  # buckets are per backend
    clock.now += 10  # idle time refills the bucket up to the burst, no further
    assert [await limits.turn("zigbee2mqtt", f"d{n}") for n in range(4)] == [0, 0, 0, 0.5]
