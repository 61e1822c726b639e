"""`colonies-sdk dashboard` as a user runs it: configured by the client's variables, it prints
its URL and serves the colony; without a usable key it refuses with a clear message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from colonies.config import ClientConfig
from colonies.testing.targets import ThrowawayColony

COMMAND = [str(Path(sys.executable).with_name("colonies-sdk")), "dashboard", "--listen-port", "0"]


def client_env(config: ClientConfig, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COLONIES_")}
    env.update(
        COLONIES_SERVER_HOST=config.host,
        COLONIES_SERVER_PORT=str(config.port),
        COLONIES_TLS="true" if config.tls else "false",
        COLONIES_INSECURE="true" if config.insecure else "false",
    )
    if config.ca_bundle:
        env["COLONIES_TLS_CA"] = str(config.ca_bundle)
    env.update(extra)
    return env


@pytest.fixture
def running_dashboard(colony: ThrowawayColony) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    env = client_env(
        colony.target.config,
        COLONIES_PRVKEY=colony.user_key.hex(),
        COLONIES_COLONY_NAME=colony.name,
    )
    process = subprocess.Popen(
        COMMAND, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    first_line = process.stdout.readline()
    try:
        assert first_line.startswith(f"Dashboard of colony {colony.name} "), first_line
        yield first_line.rsplit(" ", 1)[-1].strip(), process
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=30)


def test_prints_its_url_and_serves_the_colony(
    running_dashboard: tuple[str, subprocess.Popen[str]], colony: ThrowawayColony
) -> None:
    url, _ = running_dashboard
    assert url.startswith("http://127.0.0.1:")
    page = httpx.get(url)
    assert page.status_code == 200
    assert f"colony <strong>{colony.name}</strong>" in page.text
    assert "read-only" in page.text
    assert colony.user_key.hex() not in page.text
    assert httpx.get(url, headers={"Host": "attacker.example"}).status_code == 400


def test_refuses_to_start_without_a_key(colony: ThrowawayColony) -> None:
    env = client_env(colony.target.config, COLONIES_COLONY_NAME=colony.name)
    result = subprocess.run(COMMAND, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "COLONIES_PRVKEY" in result.stderr


def test_a_bad_key_is_reported_without_echoing_it(colony: ThrowawayColony) -> None:
    bad_key = "zz" + colony.user_key.hex()[2:]
    env = client_env(colony.target.config, COLONIES_PRVKEY=bad_key, COLONIES_COLONY_NAME="x")
    result = subprocess.run(COMMAND, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "COLONIES_PRVKEY" in result.stderr
    assert bad_key not in result.stdout + result.stderr
    assert bad_key[2:] not in result.stdout + result.stderr
