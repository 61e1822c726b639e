"""``colonies-sdk demo`` runs to its summary and exits 0 by itself, without a terminal."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from colonies_home.components import HomeAssistantHub, MosquittoBroker
from colonies_home.demo import DemoBackend, DemoOptions, run

STEPS = (
    "all devices converged",
    "living-room-lamp converged on generation 1",
    "resync found the drift and switched coffee-plug back on",
)


def test_the_simulated_demo_runs_from_the_command_line() -> None:
    cli = Path(sys.executable).with_name("colonies-sdk")
    done = subprocess.run(
        [str(cli), "demo"], capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SIMULATED devices" in done.stdout
    for step in STEPS:
        assert step in done.stdout
    assert "demo finished" in done.stdout


def run_captured(options: DemoOptions) -> tuple[int, str]:
    output = io.StringIO()
    code = run(options, Console(file=output, width=140))
    return code, output.getvalue()


def test_the_demo_drives_the_zigbee2mqtt_simulator_on_mosquitto(
    mosquitto_broker: MosquittoBroker,
) -> None:
    code, text = run_captured(
        DemoOptions(
            backend=DemoBackend.MQTT,
            mqtt_host=mosquitto_broker.host,
            mqtt_port=mosquitto_broker.port,
        )
    )
    assert code == 0, text
    assert f"mqtt://{mosquitto_broker.host}:{mosquitto_broker.port}" in text
    assert all(step in text for step in STEPS)


def test_the_demo_drives_home_assistant(home_assistant_hub: HomeAssistantHub) -> None:
    code, text = run_captured(
        DemoOptions(
            backend=DemoBackend.HOMEASSISTANT,
            ha_url=home_assistant_hub.url,
            ha_token=home_assistant_hub.token,
        )
    )
    assert code == 0, text
    assert "light.bed_light" in text
    assert all(step in text for step in STEPS)
    assert home_assistant_hub.token not in text
