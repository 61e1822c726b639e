"""Start the real hubs the backends talk to: a private Mosquitto broker and a Home Assistant
with its demo integration, each on a free loopback port in a throwaway directory.

Shared by the test fixtures and ``colonies-sdk demo --backend ...`` so both run the components
the same way. A missing component raises :class:`ComponentMissingError` saying how to install it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from colonies.testing import free_port

REPO_ROOT = Path(__file__).resolve().parents[2]
MOSQUITTO_DEFAULT = Path("/usr/sbin/mosquitto")
HA_CLIENT_ID_PATH = "/"


class ComponentMissingError(RuntimeError):
    """A real component is not installed here."""


class ComponentStartError(RuntimeError):
    """A component was found but did not come up; the message carries the end of its log."""


@dataclass(frozen=True)
class MosquittoBroker:
    """A running broker."""

    host: str
    port: int


@dataclass(frozen=True)
class HomeAssistantHub:
    """A running Home Assistant and an access token for its REST API."""

    url: str
    token: str

    def __repr__(self) -> str:
        return f"HomeAssistantHub(url={self.url!r}, token=<hidden>)"


def find_mosquitto() -> Path:
    """The mosquitto binary: /usr/sbin/mosquitto or on PATH."""
    if MOSQUITTO_DEFAULT.exists():
        return MOSQUITTO_DEFAULT
    found = shutil.which("mosquitto")
    if found:
        return Path(found)
    raise ComponentMissingError(
        "mosquitto not found at /usr/sbin/mosquitto or on PATH; "
        "install it with scripts/setup/20-mosquitto.sh"
    )


def find_hass() -> Path:
    """The Home Assistant binary: $COLONIES_HOME_HASS, else .venv-ha/bin/hass in the repo."""
    candidate = Path(os.environ.get("COLONIES_HOME_HASS", REPO_ROOT / ".venv-ha" / "bin" / "hass"))
    if candidate.exists():
        return candidate
    raise ComponentMissingError(
        f"Home Assistant not found at {candidate}; "
        "install it with scripts/setup/30-homeassistant.sh (about 3.5 minutes)"
    )


@contextlib.contextmanager
def mosquitto(
    *, port: int | None = None, startup_timeout: float = 15.0
) -> Iterator[MosquittoBroker]:
    """A private broker: anonymous, no persistence, loopback only; stopped on exit.

    ``port`` reuses a known port (a broker "restart"); by default a free one is chosen.
    """
    binary = find_mosquitto()
    with tempfile.TemporaryDirectory(prefix="colonies-mosquitto-") as workdir:
        port = port or free_port()
        config = Path(workdir) / "mosquitto.conf"
        config.write_text(
            f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\nlog_dest stdout\n"
        )
        log = Path(workdir) / "mosquitto.log"
        with _process([str(binary), "-c", str(config)], log) as process:
            _wait_until(
                lambda: _accepts("127.0.0.1", port),
                process,
                startup_timeout,
                f"mosquitto did not listen on 127.0.0.1:{port}",
                log,
            )
            yield MosquittoBroker("127.0.0.1", port)


@contextlib.contextmanager
def home_assistant(*, startup_timeout: float = 120.0) -> Iterator[HomeAssistantHub]:
    """A private Home Assistant with the demo integration and a fresh owner account."""
    binary = find_hass()
    with tempfile.TemporaryDirectory(prefix="colonies-hass-") as workdir:
        port = free_port()
        (Path(workdir) / "configuration.yaml").write_text(
            "http:\n"
            "  server_host: 127.0.0.1\n"
            f"  server_port: {port}\n"
            "api:\nonboarding:\nauth:\nconfig:\ndemo:\n"
        )
        url = f"http://127.0.0.1:{port}"
        log = Path(workdir) / "hass.out"
        with _process([str(binary), "-c", workdir, "--skip-pip"], log) as process:
            _wait_until(
                lambda: _answers(f"{url}/api/onboarding"),
                process,
                startup_timeout,
                f"Home Assistant did not answer on {url}",
                log,
            )
            token = onboard(url)
            _wait_until(
                lambda: _has_entity(url, token, "light.bed_light"),
                process,
                startup_timeout,
                "Home Assistant's demo entities did not appear",
                log,
            )
            yield HomeAssistantHub(url, token)


def onboard(url: str) -> str:
    """Create the owner through onboarding and exchange its auth code for an access token."""
    client_id = url + HA_CLIENT_ID_PATH
    with httpx.Client(base_url=url, timeout=30.0) as http:
        created = http.post(
            "/api/onboarding/users",
            json={
                "client_id": client_id,
                "name": "colonies",
                "username": "colonies",
                "password": os.urandom(16).hex(),
                "language": "en",
            },
        )
        created.raise_for_status()
        granted = http.post(
            "/auth/token",
            data={
                "grant_type": "authorization_code",
                "code": created.json()["auth_code"],
                "client_id": client_id,
            },
        )
        granted.raise_for_status()
        return str(granted.json()["access_token"])


@contextlib.contextmanager
def _process(command: list[str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until(
    ready: Callable[[], bool],
    process: subprocess.Popen[bytes],
    timeout: float,
    failure: str,
    log: Path,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ComponentStartError(f"{failure}: exited with {process.returncode}\n{_tail(log)}")
        if ready():
            return
        time.sleep(0.1)
    raise ComponentStartError(f"{failure} within {timeout:g}s\n{_tail(log)}")


def _tail(log: Path, lines: int = 20) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    return ""


def _accepts(host: str, port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def _answers(url: str) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        return httpx.get(url, timeout=2.0).status_code == 200
    return False


def _has_entity(url: str, token: str, entity_id: str) -> bool:
    with contextlib.suppress(httpx.HTTPError):
        reply = httpx.get(
            f"{url}/api/states/{entity_id}",
            headers={"Authorization": f"Bearer {token}"},
            timeout=2.0,
        )
        return reply.status_code == 200
    return False
