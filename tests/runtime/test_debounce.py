"""The debounce window: when a burst's reconcile may start."""

from __future__ import annotations

from colonies.runtime.debounce import Debounce


def test_a_burst_starts_one_delay_after_its_newest_change() -> None:
    debounce = Debounce(delay=0.1, max_delay=1.0)
    assert debounce.due([10.0]) == 10.1
    assert debounce.due([10.0, 10.05, 10.08]) == 10.18


def test_a_blueprint_changed_without_pause_starts_at_the_cap() -> None:
    debounce = Debounce(delay=0.1, max_delay=1.0)
    changes = [10.0 + 0.05 * step for step in range(40)]  # two seconds of changes
    assert debounce.due(changes) == 11.0


def test_the_cap_is_never_shorter_than_the_delay() -> None:
    assert Debounce(delay=0.5, max_delay=0.1).due([3.0]) == 3.5
