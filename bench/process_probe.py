"""A reconciler runtime in a child process, so its memory is measured alone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from colonies.testing.targets import ThrowawayColony, free_port, unique_name

_TARGET = "bench.contenders:MirrorLamp"
_REPO = Path(__file__).resolve().parent.parent


class RuntimeProcess:
    """``colonies-sdk run`` as a child: its /proc numbers and its /metrics."""

    def __init__(self, process: subprocess.Popen[bytes], http_port: int) -> None:
        self.process = process
        self.http = f"http://127.0.0.1:{http_port}"

    def _status_kib(self, field: str) -> int:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        raise RuntimeError(f"{field} not in /proc status")

    def rss_mb(self) -> float:
        return self._status_kib("VmRSS") / 1024

    def peak_rss_mb(self) -> float:
        return self._status_kib("VmHWM") / 1024

    def reset_peak_rss(self) -> None:
        """Start a new peak (Linux: writing 5 to clear_refs resets VmHWM)."""
        Path(f"/proc/{self.process.pid}/clear_refs").write_text("5")

    def writes_held(self) -> bool:
        """Whether this replica, having joined others, still holds its status writes."""
        return bool(httpx.get(f"{self.http}/readyz", timeout=10).json()["writes_held"])

    def metric(self, suffix: str) -> float:
        """The sum of every sample of the metric whose name ends with ``suffix``."""
        text = httpx.get(f"{self.http}/metrics", timeout=10).text
        return sum(
            sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
            if sample.name.endswith(suffix)
        )


@contextmanager
def runtime_process(
    colony: ThrowawayColony,
    *,
    concurrency: int = 4,
    python: Path | None = None,
    target: str = _TARGET,
    env: dict[str, str] | None = None,
) -> Iterator[RuntimeProcess]:
    """Start the ``target`` runtime (MirrorLamp) against ``colony``, with ``env`` added to
    its environment, and wait until it is ready; with ``python``, the ``colonies-sdk`` of
    that interpreter's environment runs it."""
    port = free_port()
    environment = dict(os.environ)
    environment.update(
        {
            "COLONIES_SERVER_HOST": colony.target.host,
            "COLONIES_SERVER_PORT": str(colony.target.port),
            "COLONIES_TLS": "true" if colony.target.tls else "false",
            "COLONIES_COLONY_NAME": colony.name,
            "COLONIES_COLONY_PRVKEY": colony.owner_key.hex(),
            "COLONIES_EXECUTOR_NAME": unique_name("bench-runtime"),
            "COLONIES_RECONCILER_CONCURRENCY": str(concurrency),
            "COLONIES_RECONCILER_HTTP_PORT": str(port),
            "COLONIES_RECONCILER_LOG_LEVEL": "WARNING",
            **(env or {}),
        }
    )
    environment.pop("COLONIES_PRVKEY", None)
    path = [str(_REPO), environment.get("PYTHONPATH")]
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, path))
    command = [str(Path(python or sys.executable).with_name("colonies-sdk")), "run", target]
    process = subprocess.Popen(command, env=environment, cwd=_REPO)
    probe = RuntimeProcess(process, port)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"runtime exited with {process.returncode}")
            try:
                if httpx.get(f"{probe.http}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("runtime did not become ready within 60 s")
        yield probe
    finally:
        process.terminate()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
