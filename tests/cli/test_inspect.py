"""``get``, ``describe``, ``wait``, ``history`` and ``reconcile`` against a ColonyOS server (the
``colony`` fixture: the dev server, or a real one) with a running reconciler, as a user types
them. Each command runs in a thread so the reconciler keeps working on the test's loop."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import yaml
from typer.testing import CliRunner, Result

from colonies.cli import app
from colonies.cli._common import ExitCode
from colonies.testing.runner import ReconcilerRunner
from colonies.testing.targets import ThrowawayColony, unique_kind
from tests.dashboard.bulbs import Bulbs


@dataclass
class Lights:
    runner: ReconcilerRunner
    bulbs: Bulbs
    env: dict[str, str]

    @property
    def word(self) -> str:
        """The kind as people type it: the plural, in any case."""
        return Bulbs.kind.upper() + "S"

    async def cli(self, *args: str) -> Result:
        return await asyncio.to_thread(CliRunner().invoke, app, list(args), env=self.env)


@pytest.fixture
async def lights(colony: ThrowawayColony, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Lights]:
    monkeypatch.setattr(Bulbs, "kind", unique_kind("CliBulb"))
    bulbs = Bulbs()
    config = colony.target.config
    env = {
        "COLONIES_SERVER_HOST": config.host,
        "COLONIES_SERVER_PORT": str(config.port),
        "COLONIES_TLS": str(config.tls).lower(),
        "COLONIES_COLONY_NAME": colony.name,
        "COLONIES_PRVKEY": colony.user_key.hex(),
        "COLUMNS": "200",
    }
    async with ReconcilerRunner(bulbs, colony) as runner:
        await runner.set_spec(
            "kitchen-lamp", {"power": True, "brightness": 50}, labels={"room": "kitchen"}
        )
        await runner.set_spec("hall-light", {"power": False}, labels={"room": "hall"})
        await runner.wait_converged("kitchen-lamp")
        await runner.wait_converged("hall-light")
        yield Lights(runner, bulbs, env)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    return result.output


async def test_get_shows_a_table_yaml_json_and_filters_by_labels(lights: Lights) -> None:
    table = ok(await lights.cli("get", lights.word))
    header, *rows = table.strip().splitlines()
    assert header.split() == [
        "NAME", "LOCATION", "GENERATION", "OBSERVED", "READY", "STATUS", "LAST", "RECONCILE"
    ]  # fmt: skip
    assert [row.split()[:6] for row in rows] == [
        ["hall-light", "-", "0", "0", "True", "Ready"],
        ["kitchen-lamp", "-", "0", "0", "True", "Ready"],
    ]

    documents = list(
        yaml.safe_load_all(ok(await lights.cli("get", lights.word, "kitchen-lamp", "-o", "yaml")))
    )
    assert [d["metadata"]["name"] for d in documents] == ["kitchen-lamp"]
    assert documents[0]["spec"] == {"power": True, "brightness": 50}
    assert documents[0]["status"]["observedGeneration"] == 0

    listed = json.loads(
        ok(await lights.cli("get", lights.word, "-o", "json", "-l", "room!=kitchen"))
    )
    assert [d["metadata"]["name"] for d in listed] == ["hall-light"]
    kitchen = ok(await lights.cli("get", Bulbs.kind.lower(), "-l", "room=kitchen", "-o", "wide"))
    assert "kitchen-lamp" in kitchen
    assert "hall-light" not in kitchen
    assert "room=kitchen" in kitchen

    every = ok(await lights.cli("get", "-A"))
    assert every.split()[0] == "KIND"
    assert f"{Bulbs.kind} kitchen-lamp" in " ".join(every.split())


async def test_get_refuses_bad_requests_with_clear_errors(lights: Lights) -> None:
    unknown = await lights.cli("get", "toasters")
    assert unknown.exit_code == ExitCode.NOT_FOUND
    assert "unknown kind 'toasters'" in unknown.output
    assert Bulbs.kind in unknown.output
    missing = await lights.cli("get", lights.word, "attic-lamp")
    assert missing.exit_code == ExitCode.NOT_FOUND
    assert f"{Bulbs.kind.lower()}/attic-lamp not found" in missing.output
    both = await lights.cli("get", lights.word, "-A")
    assert both.exit_code == ExitCode.USAGE
    assert "not both" in both.output
    selector = await lights.cli("get", lights.word, "-l", "room=a=b,")
    assert selector.exit_code == ExitCode.USAGE
    nothing = ok(await lights.cli("get", lights.word, "-l", "room=attic"))
    assert f"No {Bulbs.kind} blueprints found in colony" in nothing


async def test_wait_does_not_pass_on_the_previous_generation_s_ready(lights: Lights) -> None:
    lights.bulbs.gate.clear()  # hold the device change: Ready stays the old generation's
    await lights.runner.set_spec("kitchen-lamp", {"power": True, "brightness": 80})
    early = await lights.cli("wait", lights.word, "kitchen-lamp", "--timeout", "1s")
    assert early.exit_code == ExitCode.DIFFERENT
    assert f"waiting for {Bulbs.kind.lower()}/kitchen-lamp to be Ready=True" in early.output
    assert "generation 1" in early.output

    lights.bulbs.gate.set()
    met = ok(
        await lights.cli(
            "wait", lights.word, "kitchen-lamp", "--for", "condition=ready", "--timeout", "60s"
        )
    )
    assert "condition met" in met


@pytest.mark.timeout(60)  # the wait below allows 600 s: it must end at the failure
async def test_wait_ends_at_once_on_a_terminal_failure_with_its_message(lights: Lights) -> None:
    await lights.runner.set_spec("kitchen-lamp", {"power": True, "brightness": 300})
    failed = await lights.cli("wait", lights.word, "kitchen-lamp", "--timeout", "600s")
    assert failed.exit_code == ExitCode.DIFFERENT
    assert "kitchen-lamp failed: PermanentError: brightness 300 is above 254" in failed.output


async def test_wait_for_delete(lights: Lights) -> None:
    await lights.runner.remove("hall-light")
    assert "deleted" in ok(await lights.cli("wait", lights.word, "hall-light", "--for", "delete"))
    bad = await lights.cli("wait", lights.word, "hall-light", "--for", "ready")
    assert bad.exit_code == ExitCode.USAGE


async def test_describe_shows_drift_conditions_history_and_processes_with_logs(
    lights: Lights,
) -> None:
    await lights.runner.set_spec("kitchen-lamp", {"power": True, "brightness": 80})
    await lights.runner.wait_converged("kitchen-lamp")
    lights.bulbs.gate.clear()
    await lights.runner.set_spec("kitchen-lamp", {"power": True, "brightness": 20})
    text = ok(await lights.cli("describe", lights.word, "kitchen-lamp"))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Generation: 2 (observed 1)" in lines
    assert "brightness 20 80 ≠ drift" in lines
    assert "power true true" in lines
    assert any(line.startswith("Ready True Converged") for line in lines)
    assert any(line.startswith("1 update") and "brightness: 50 -> 80" in line for line in lines)
    assert "Recent reconciles" in lines
    assert any(line.startswith("SUCCESS reconcile") for line in lines)
    assert "brightness" in text.split("Recent reconciles", 1)[1]  # a log line of a reconcile
    lights.bulbs.gate.set()


async def test_history_and_reconcile_force_bumps_the_generation(lights: Lights) -> None:
    await lights.runner.set_spec("kitchen-lamp", {"power": True, "brightness": 60})
    await lights.runner.wait_converged("kitchen-lamp")
    history = ok(await lights.cli("history", lights.word, "kitchen-lamp"))
    rows = [" ".join(line.split()) for line in history.splitlines()[1:]]
    assert rows[0].startswith("1 update")
    assert rows[0].endswith("brightness: 50 -> 60")
    assert rows[1].startswith("0 create")

    forced = ok(await lights.cli("reconcile", lights.word, "kitchen-lamp", "--force"))
    assert "forced reconcile requested" in forced
    assert "generation 2" in forced
    await lights.runner.wait_converged("kitchen-lamp")
    got = json.loads(ok(await lights.cli("get", lights.word, "kitchen-lamp", "-o", "json")))
    assert got["metadata"]["generation"] == 2
    assert got["status"]["observedGeneration"] == 2


async def _line_with(stream: asyncio.StreamReader, *words: str) -> str:
    while True:
        line = (await asyncio.wait_for(stream.readline(), timeout=60)).decode()
        assert line, "the watch ended early"
        if all(word in line.split() for word in words):
            return line


async def test_get_watch_prints_changes_and_ends_cleanly_on_ctrl_c(lights: Lights) -> None:
    """Piped, ``--watch`` prints the table again when a blueprint changes; Ctrl-C (SIGINT)
    ends it with exit code 0 and no traceback."""
    watch = await asyncio.create_subprocess_exec(
        sys.executable, "-c", "from colonies.cli import main; main()", "get", lights.word, "--watch", "--interval", "0.2",
        env={**os.environ, **lights.env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert watch.stdout is not None
    assert watch.stderr is not None
    try:
        await _line_with(watch.stdout, "kitchen-lamp", "0", "True")
        await lights.runner.set_spec("kitchen-lamp", {"power": True, "brightness": 90})
        await _line_with(watch.stdout, "kitchen-lamp", "1", "True")
    finally:
        watch.send_signal(signal.SIGINT)
        stderr = await asyncio.wait_for(watch.stderr.read(), timeout=60)
        code = await asyncio.wait_for(watch.wait(), timeout=60)
    assert code == 0, stderr.decode()
    assert b"Traceback" not in stderr
