"""``colonies-sdk demo`` runs to its summary and exits 0 by itself, without a terminal; with
``--dashboard`` it serves the blueprint dashboard while it runs."""

from __future__ import annotations

import io
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
from colonies_home.components import HomeAssistantHub, MosquittoBroker
from colonies_home.demo import DemoBackend, DemoOptions, run

STEPS = (
    "all devices converged",
    "living-room-lamp converged on generation 1",
    "the device reported it and coffee-plug was switched back on",
    "coffee-plug left off: a person's change, held",
    "the hold ended and coffee-plug was switched back on",
)
CLI = Path(sys.executable).with_name("colonies-sdk")
DASHBOARD_URL = re.compile(r"dashboard: (http://127\.0\.0\.1:\d+/)")


def test_the_simulated_demo_runs_from_the_command_line() -> None:
    done = subprocess.run(
        [str(CLI), "demo"], capture_output=True, text=True, timeout=90, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "SIMULATED devices" in done.stdout
    for step in STEPS:
        assert step in done.stdout
    assert "demo finished" in done.stdout
    assert "run with --dashboard to watch it in a browser" in done.stdout
    assert DASHBOARD_URL.search(done.stdout) is None


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


def test_the_demo_with_a_dashboard_ends_by_itself_and_stops_serving() -> None:
    code, text = run_captured(DemoOptions(dashboard=True))
    assert code == 0, text
    found = DASHBOARD_URL.search(text)
    assert found is not None, text
    assert "demo finished" in text
    assert "stays open" not in text
    with pytest.raises(httpx.ConnectError):
        httpx.get(found.group(1), timeout=10)


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
