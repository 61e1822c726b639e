"""End to end through the CLI: SIGTERM during a reconcile stops taking work, finishes the
reconcile within the grace period, and exits 0. Logs are JSON with the work's context and,
even at DEBUG, never contain a key."""

from __future__ import annotations

import json
import signal
from pathlib import Path

from colonies.crypto import PrivateKey
from colonies.models import Blueprint, ProcessState
from colonies.testing import ThrowawayColony, unique_kind
from colonies.testing.runner import converged
from tests.helpers import eventually
from tests.runtime.cli_process import cli_runtime, runtime_env


def test_sigterm_during_a_reconcile_finishes_it_and_exits_zero(
    colony: ThrowawayColony, tmp_path: Path
) -> None:
    client = colony.client()
    kind = unique_kind("RtSlowLamp")
    executor_key = PrivateKey.generate()
    env = {
        **runtime_env(colony, tmp_path, kind),
        "COLONIES_PRVKEY": executor_key.hex(),
        "COLONIES_RECONCILER_LOG_LEVEL": "DEBUG",
    }
    with cli_runtime(env) as runtime:
        # the runtime registers the kind's definition when it has started
        eventually(lambda: client.get_blueprint_definitions(colony.name), timeout=60)
        client.add_blueprint(
            Blueprint.model_validate(
                {
                    "kind": kind,
                    "metadata": {"name": "hall", "colonyname": colony.name},
                    "spec": {"power": True, "level": 1},
                }
            )
        )
        eventually(lambda: (tmp_path / "started-hall").exists(), timeout=60)
        runtime.process.send_signal(signal.SIGTERM)
        eventually(lambda: any("finishing 1 in-flight" in line for line in runtime.stderr))

        # work submitted after SIGTERM is left for others
        client.update_blueprint_spec(colony.name, "hall", {"level": 2})
        (tmp_path / "release").touch()
        assert runtime.process.wait(timeout=60) == 0

    with client:
        hall = client.get_blueprint(colony.name, "hall")
        assert (hall.status or {})["observedGeneration"] == 0
        assert not converged(hall), "generation 1 was not taken"
        done = client.get_processes(colony.name, state=ProcessState.SUCCESS)
        waiting = client.get_processes(colony.name, state=ProcessState.WAITING)
        running = client.get_processes(colony.name, state=ProcessState.RUNNING)
    assert len(done) == 1
    assert len(waiting) == 1
    assert running == []

    secrets = (colony.owner_key.hex(), executor_key.hex())
    leaks = sum(secret in line for line in runtime.lines for secret in secrets)
    assert leaks == 0, "a key was logged (counted, not shown)"
    records = [json.loads(line) for line in runtime.stderr if line.startswith("{")]
    assert any(r["level"] == "debug" for r in records)
    assert not [r for r in records if r["logger"].startswith(("httpx", "httpcore"))]
    applying = [r for r in records if r["message"].startswith("applying")]
    assert applying
    assert applying[0]["kind"] == kind
    assert applying[0]["blueprint"] == "hall"
    assert applying[0]["generation"] == 0
    assert applying[0]["process_id"] == done[0].process_id
    assert records[-1]["message"] == "stopped"
