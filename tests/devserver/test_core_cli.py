"""``colonies-sdk devserver`` as a user runs it: a real process, a real port, real signals."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from colonies.crypto import PrivateKey
from tests.conformance.target import Target

_CLI = [sys.executable, "-c", "from colonies.cli import main; main()", "devserver", "--port", "0"]


class _Lines:
    """stdout of a process, line by line, with a deadline instead of a possible hang."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(process,), daemon=True).start()

    def _pump(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self._queue.put(line)

    def next(self, timeout: float = 30.0) -> str:
        try:
            return self._queue.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("the dev server printed nothing") from None


@pytest.fixture
def run_cli() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def _start(
    started: list[subprocess.Popen[str]], *args: str
) -> tuple[subprocess.Popen[str], dict[str, str]]:
    process = subprocess.Popen(
        [*_CLI, *args], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    started.append(process)
    lines = _Lines(process)
    assert lines.next().startswith("ColonyOS dev server listening on http://127.0.0.1:")
    exports = lines.next().split()
    assert exports[0] == "export"
    return process, dict(item.split("=", 1) for item in exports[1:])


def _target(env: dict[str, str]) -> Target:
    url = f"http://{env['COLONIES_SERVER_HOST']}:{env['COLONIES_SERVER_PORT']}"
    return Target(url, PrivateKey(env["COLONIES_SERVER_PRVKEY"]), real=False)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_colony_exports_work_and_signals_stop_the_server(
    run_cli: list[subprocess.Popen[str]], sig: int
) -> None:
    process, env = _start(run_cli, "--colony", "home")
    assert env["COLONIES_TLS"] == "false"
    assert env["COLONIES_COLONY_NAME"] == "home"
    target = _target(env)
    colony = target.ok(PrivateKey(env["COLONIES_PRVKEY"]), "getcolonymsg", colonyname="home")
    assert colony["colonyid"] == PrivateKey(env["COLONIES_COLONY_PRVKEY"]).id
    executor_key = PrivateKey(env["COLONIES_EXECUTOR_PRVKEY"])
    assert target.ok(executor_key, "getcolonymsg", colonyname="home")["name"] == "home"
    target.close()
    process.send_signal(sig)
    assert process.wait(timeout=30) == 0


def test_a_database_keeps_the_server_and_the_colony(
    run_cli: list[subprocess.Popen[str]], tmp_path: Path
) -> None:
    database = str(tmp_path / "dev.sqlite")
    first, env = _start(run_cli, "--database", database, "--colony", "home")
    first.send_signal(signal.SIGTERM)
    assert first.wait(timeout=30) == 0
    second, again = _start(run_cli, "--database", database, "--colony", "home")
    keys = (
        "COLONIES_SERVER_PRVKEY",
        "COLONIES_COLONY_PRVKEY",
        "COLONIES_PRVKEY",
        "COLONIES_EXECUTOR_PRVKEY",
    )
    assert [again[k] for k in keys] == [env[k] for k in keys]
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=30) == 0


def test_without_a_colony_only_the_server_is_printed(run_cli: list[subprocess.Popen[str]]) -> None:
    process, env = _start(run_cli)
    assert set(env) == {
        "COLONIES_SERVER_HOST",
        "COLONIES_SERVER_PORT",
        "COLONIES_TLS",
        "COLONIES_SERVER_PRVKEY",
    }
    target = _target(env)
    assert target.ok(target.server_key, "getcoloniesmsg") is None
    target.close()
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
