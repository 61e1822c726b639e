"""Which work a process asks for, from its function and kwargs (protocol 7.7)."""

from __future__ import annotations

from typing import Any

import pytest

from colonies.models import Conditions, FunctionSpec, Process
from colonies.runtime.triggers import Cleanup, Resync, Targeted, Unsupported, classify


def process(func: str, location: str = "", **kwargs: Any) -> Process:
    spec = FunctionSpec(
        func_name=func,
        kwargs=kwargs,
        conditions=Conditions(colony_name="c", executor_type="t", location_name=location),
    )
    return Process(process_id="p", spec=spec)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (process("reconcile", kind="Lamp", blueprintName="a"), Targeted("a")),
        (process("reconcile", kind="Lamp", blueprintName="a", force=True), Targeted("a", True)),
        (process("reconcile", kind="Lamp"), Resync(None)),
        (process("reconcile", "Kitchen", kind="Lamp"), Resync("Kitchen")),
        (process("cleanup", kind="Lamp", blueprintName="a"), Cleanup("a")),
    ],
)
def test_server_generated_processes(given: Process, expected: object) -> None:
    assert classify(given, "Lamp") == expected


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        (process("echo", kind="Lamp"), "unsupported function 'echo'"),
        (process("reconcile", kind="Fan", blueprintName="a"), "process is for kind 'Fan'"),
        (process("cleanup", kind="Lamp"), "cleanup process without a blueprintName"),
        (process("reconcile", kind="Lamp", blueprintName=3), "blueprintName must be a string"),
    ],
)
def test_anything_else_is_rejected_with_a_reason(given: Process, reason: str) -> None:
    trigger = classify(given, "Lamp")
    assert isinstance(trigger, Unsupported)
    assert reason in trigger.reason
