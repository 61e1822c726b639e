"""``colonies-sdk demo`` tells an operator's story with real ``colonies-sdk`` commands (apply,
set, get) and their real output, runs to its summary and exits 0 by itself, without a
terminal, on every backend; with ``--dashboard`` it serves the blueprint dashboard while it
runs."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rich.console import Console
from typer.testing import CliRunner

from colonies.cli import app
from colonies_home.blueprints import example_manifests
from colonies_home.components import HomeAssistantHub, MosquittoBroker
from colonies_home.demo import DemoBackend, DemoOptions, run
from colonies_home.demo_operator import typed_path
from colonies_home.model import BackendKind

STEPS = (
    "all devices converged",
    "living-room-lamp converged on generation 1",
    "the device reported it and coffee-plug was switched back on",
    "coffee-plug left off: a person's change, held",
    "the hold ended and coffee-plug was switched back on",
)
STORY = (  # what the commands after the first apply print, in part
    "$ colonies-sdk set homedevice living-room-lamp brightness=25 color_temp_kelvin=4000",
    "homedevice/living-room-lamp configured",
    "~ spec.brightness: 70 -> 25",
    "$ colonies-sdk apply -f - <<EOF",
    "colonies.dev/drift-policy: hold",
    "homedevice/coffee-plug configured",
    "$ colonies-sdk get homedevice coffee-plug",
    "$ colonies-sdk get homedevices",
    "5 colonies-sdk commands run",
)
CLI = Path(sys.executable).with_name("colonies-sdk")
DASHBOARD_URL = re.compile(r"dashboard: (http://127\.0\.0\.1:\d+/)")
A_KEY = re.compile(r"\b[0-9a-f]{64}\b")  # a private key in hex (blueprint ids are never shown)


def assert_the_operator_story(text: str, backend: BackendKind) -> None:
    """The story's commands, as typed and with their real output, and its outcomes."""
    files = " ".join(f"-f {typed_path(path)}" for path in example_manifests(backend))
    typed = re.sub(r" \\\n +", " ", text)  # a command continued over lines, as one line
    assert f"$ colonies-sdk apply {files}\n" in typed
    assert "blueprintdefinition/homedevice unchanged" in text  # the runtime registered it
    for name in ("living-room-lamp", "coffee-plug", "hallway-thermostat", "bedroom-blind"):
        assert f"homedevice/{name} created" in text
    for shown in STORY:
        assert shown in text
    assert re.search(r"coffee-plug +- +0 +0 +False +Drift", text), text  # held: drift shown
    assert re.search(r"living-room-lamp +- +1 +1 +True +Ready", text), text  # set, converged
    assert re.search(r"coffee-plug +- +0 +0 +True +Ready", text), text  # the hold ended
    for step in STEPS:
        assert step in text
    assert "demo finished" in text
    assert A_KEY.search(text) is None


def test_the_simulated_demo_runs_from_the_command_line_and_stops_its_dashboard() -> None:
    # A shell pointed at another server must not redirect the demo's commands.
    elsewhere = {"COLONIES_SERVER_PORT": "1", "COLONIES_TLS": "true", "COLONIES_COLONY_NAME": "x"}
    done = subprocess.run(
        [str(CLI), "demo", "--dashboard"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **elsewhere},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SIMULATED devices" in done.stdout
    assert_the_operator_story(done.stdout, BackendKind.SIMULATED)
    found = DASHBOARD_URL.search(done.stdout)
    assert found is not None, done.stdout
    assert "stays open" not in done.stdout
    with pytest.raises(httpx.ConnectError):
        httpx.get(found.group(1), timeout=10)


@pytest.fixture
def demo_kept_open() -> Iterator[subprocess.Popen[str]]:
    """``colonies-sdk demo --dashboard`` kept open long enough to look at it; killed if a
    failing test leaves it running."""
    process = subprocess.Popen(
        [str(CLI), "demo", "--dashboard", "--keep-open", "60"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    if process.poll() is None:
        process.kill()
    process.wait(timeout=30)
    assert process.stdout is not None
    process.stdout.close()


def read_until(process: subprocess.Popen[str], marker: str, seen: list[str]) -> str:
    """Lines of the demo's output up to the first containing ``marker``, which is returned.
    The demo ends by itself, so a missing marker ends in EOF, not a hang."""
    assert process.stdout is not None
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            return line
    raise AssertionError(f"the demo ended without printing {marker!r}:\n{''.join(seen)}")


def test_the_demo_serves_its_dashboard_while_it_runs_and_after_the_summary(
    demo_kept_open: subprocess.Popen[str],
) -> None:
    seen: list[str] = []
    found = DASHBOARD_URL.search(read_until(demo_kept_open, "dashboard: http://", seen))
    assert found is not None, "".join(seen)
    url = found.group(1)

    page = httpx.get(url, timeout=10)
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "ColonyOS blueprints" in page.text

    read_until(demo_kept_open, "demo finished", seen)
    read_until(demo_kept_open, "stays open for 60s", seen)
    page = httpx.get(url, timeout=10)
    assert page.status_code == 200, page.text
    for name in ("living-room-lamp", "coffee-plug", "hallway-thermostat", "bedroom-blind"):
        assert name in page.text
    action = httpx.post(
        f"{url}actions/reconcile/coffee-plug", headers={"X-Colonies-Dashboard": "1"}
    )
    assert action.status_code in (404, 405)  # read-only: no action route

    demo_kept_open.send_signal(signal.SIGINT)  # a person done looking presses Ctrl-C
    assert demo_kept_open.wait(timeout=30) == 0, "".join(seen)


def run_captured(options: DemoOptions) -> tuple[int, str]:
    output = io.StringIO()
    code = run(options, Console(file=output, width=140))
    return code, output.getvalue()


def test_keep_open_is_refused_without_the_dashboard() -> None:
    result = CliRunner().invoke(app, ["demo", "--keep-open", "5"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "--dashboard" in result.output


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
    assert_the_operator_story(text, BackendKind.ZIGBEE2MQTT)
    assert "run with --dashboard to watch it in a browser" in text
    assert DASHBOARD_URL.search(text) is None


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
    assert_the_operator_story(text, BackendKind.HOMEASSISTANT)
    assert home_assistant_hub.token not in text
