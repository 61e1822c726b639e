"""End to end through the CLI: SIGTERM during a reconcile stops taking work, finishes the
reconcile within the grace period, and exits 0. Logs are JSON with the work's context."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from colonies.models import Blueprint, ProcessState
from colonies.testing import ThrowawayColony, unique_kind, unique_name
from colonies.testing.runner import converged
from tests.helpers import eventually

HERE = Path(__file__).parent


def start_runtime(colony: ThrowawayColony, gate: Path, kind: str) -> subprocess.Popen[str]:
    config = colony.target.config
    env = {
        **os.environ,
        "COLONIES_SERVER_HOST": config.host,
        "COLONIES_SERVER_PORT": str(config.port),
        "COLONIES_TLS": "true" if config.tls else "false",
        "COLONIES_COLONY_NAME": colony.name,
        "COLONIES_COLONY_PRVKEY": colony.owner_key.hex(),
        "COLONIES_EXECUTOR_NAME": unique_name("slowlamp"),
        "COLONIES_RECONCILER_HTTP_PORT": "0",
        "COLONIES_RECONCILER_CONCURRENCY": "1",
        "COLONIES_RECONCILER_ASSIGN_TIMEOUT": "1",
        "COLONIES_RECONCILER_GRACE_PERIOD": "60",
        "COLONIES_RECONCILER_LOG_FORMAT": "json",
        "LAMP_GATE_DIR": str(gate),
        "LAMP_KIND": kind,
    }
    command = Path(sys.executable).parent / "colonies-sdk"
    return subprocess.Popen(
        [str(command), "run", f"{HERE / 'slow_lamp.py'}:SlowLamp"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def collect(stream: object, lines: list[str]) -> threading.Thread:
    def read() -> None:
        for line in stream:  # type: ignore[attr-defined]
            lines.append(line)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_sigterm_during_a_reconcile_finishes_it_and_exits_zero(
    colony: ThrowawayColony, tmp_path: Path
) -> None:
    client = colony.client()
    kind = unique_kind("RtSlowLamp")
    runtime = start_runtime(colony, tmp_path, kind)
    logs: list[str] = []
    reader = collect(runtime.stderr, logs)
    try:
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
        runtime.send_signal(signal.SIGTERM)
        eventually(lambda: any("finishing 1 in-flight" in line for line in logs))

        # work submitted after SIGTERM is left for others
        client.update_blueprint_spec(colony.name, "hall", {"level": 2})
        (tmp_path / "release").touch()
        assert runtime.wait(timeout=60) == 0
    finally:
        if runtime.poll() is None:
            runtime.kill()
            runtime.wait()
        reader.join(timeout=10)

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

    records = [json.loads(line) for line in logs if line.startswith("{")]
    applying = [r for r in records if r["message"].startswith("applying")]
    assert applying
    assert applying[0]["kind"] == kind
    assert applying[0]["blueprint"] == "hall"
    assert applying[0]["generation"] == 0
    assert applying[0]["process_id"] == done[0].process_id
    assert records[-1]["message"] == "stopped"
