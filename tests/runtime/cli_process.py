"""``colonies-sdk run`` in a subprocess, serving :mod:`tests.runtime.slow_lamp` in a colony,
with every line it logs collected for the test."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from colonies.testing import ThrowawayColony, unique_name

HERE = Path(__file__).parent


def runtime_env(colony: ThrowawayColony, gate: Path, kind: str) -> dict[str, str]:
    """The environment of a slow-lamp runtime that registers itself in ``colony``."""
    config = colony.target.config
    return {
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


class CliRuntime:
    """A running ``colonies-sdk run`` and the lines it wrote so far (stderr, then stdout)."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.stderr: list[str] = []
        self.stdout: list[str] = []
        self._readers = [
            _collect(process.stderr, self.stderr),
            _collect(process.stdout, self.stdout),
        ]

    @property
    def lines(self) -> list[str]:
        return [*self.stderr, *self.stdout]

    def join_readers(self) -> None:
        for reader in self._readers:
            reader.join(timeout=10)


def _collect(stream: Iterable[str] | None, lines: list[str]) -> threading.Thread:
    def read() -> None:
        for line in stream or ():
            lines.append(line)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


@contextmanager
def cli_runtime(env: Mapping[str, str], *flags: str) -> Iterator[CliRuntime]:
    """Run the slow lamp with ``env`` and ``flags``; killed if still running at the end."""
    command = Path(sys.executable).parent / "colonies-sdk"
    process = subprocess.Popen(
        [str(command), "run", f"{HERE / 'slow_lamp.py'}:SlowLamp", *flags],
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    runtime = CliRuntime(process)
    try:
        yield runtime
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        runtime.join_readers()
