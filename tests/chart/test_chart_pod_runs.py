"""A pod as the chart renders it, run here as a process: the image's entrypoint plus the
container's args, the env with Secrets and the downward API resolved the way the kubelet
would. The real runtime must accept every setting, register itself under the pod name, answer
its probes on the probed paths, and stop cleanly on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import httpx
import pytest

from colonies.testing import ThrowawayColony, unique_name
from tests.chart.dockerfile import read_dockerfile
from tests.chart.helm import Rendered, render
from tests.helpers import eventually

RECONCILER_SOURCE = """
from pydantic import BaseModel

from colonies.runtime import Diff, Reconciler, Resource


class LampSpec(BaseModel):
    power: bool = False


class LampStatus(BaseModel):
    power: bool = False


class Lamp(Reconciler[LampSpec, LampStatus]):
    kind = "ChartLamp"
    executor_type = "chart-lamp-reconciler"

    async def observe(self, resource: Resource[LampSpec]) -> LampStatus:
        return LampStatus()

    async def apply(self, resource: Resource[LampSpec], diff: Diff) -> LampStatus:
        return LampStatus(power=resource.spec.power)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def image_entrypoint() -> list[str]:
    """The runtime stage's ENTRYPOINT, with the command resolved in this venv."""
    _, stages = read_dockerfile()
    (entrypoint,) = stages[-1].all_of("ENTRYPOINT")
    command, *rest = json.loads(entrypoint)
    return [str(Path(sys.executable).parent / command), *rest]


def kubelet_env(
    container: Mapping[str, Any], secrets: Mapping[tuple[str, str], str], pod_name: str
) -> dict[str, str]:
    """The container env as the kubelet builds it, for the two sources the chart uses."""
    env: dict[str, str] = {}
    for entry in container["env"]:
        if "value" in entry:
            env[entry["name"]] = entry["value"]
            continue
        source = entry["valueFrom"]
        if "secretKeyRef" in source:
            ref = source["secretKeyRef"]
            env[entry["name"]] = secrets[(ref["name"], ref["key"])]
        else:
            assert source == {"fieldRef": {"fieldPath": "metadata.name"}}
            env[entry["name"]] = pod_name
    return env


@pytest.fixture
def pod_chart(colony: ThrowawayColony, tmp_path: Path) -> Rendered:
    """The self-registration set-up against the test colony, with a tiny reconciler file."""
    module = tmp_path / "lamp.py"
    module.write_text(RECONCILER_SOURCE)
    target = colony.target
    return render(
        set_values=[
            f"server.host={target.host}",
            f"server.port={target.port}",
            f"server.tls.enabled={str(target.tls).lower()}",
            f"colony.name={colony.name}",
            "executorKey.existingSecret=",
            "colonyOwnerKey.enabled=true",
            "colonyOwnerKey.existingSecret=colony-owner",
            f"reconciler.target={module}:Lamp",
            f"reconciler.httpPort={free_port()}",
            "reconciler.gracePeriodSeconds=2",
        ]
    )


@pytest.fixture
def pod(
    pod_chart: Rendered, colony: ThrowawayColony, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], str, int]]:
    """The running pod process, its name and its HTTP port."""
    container = pod_chart.container
    pod_name = unique_name("home-colonies-reconciler")
    secrets = {("colony-owner", "prvkey"): colony.owner_key.hex()}
    env = kubelet_env(container, secrets, pod_name)
    # Tests listen on loopback only; the chart's 0.0.0.0 is checked in test_chart_deployment.
    env["COLONIES_RECONCILER_HTTP_HOST"] = "127.0.0.1"
    env["PATH"] = os.environ["PATH"]
    env["HOME"] = str(tmp_path)
    log = (tmp_path / "pod.log").open("w")
    process = subprocess.Popen(
        [*image_entrypoint(), *container["args"]],
        env=env,
        cwd=tmp_path,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process, pod_name, container["ports"][0]["containerPort"]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        log.close()


def probe_status(port: int, path: str) -> int | None:
    try:
        return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=5).status_code
    except httpx.TransportError:
        return None


def test_the_rendered_pod_registers_under_its_name_serves_probes_and_stops_cleanly(
    pod: tuple[subprocess.Popen[str], str, int],
    pod_chart: Rendered,
    colony: ThrowawayColony,
    tmp_path: Path,
) -> None:
    process, pod_name, port = pod
    container = pod_chart.container
    readiness = container["readinessProbe"]["httpGet"]["path"]
    liveness = container["livenessProbe"]["httpGet"]["path"]

    def ready() -> bool:
        assert process.poll() is None, (tmp_path / "pod.log").read_text()
        return probe_status(port, readiness) == 200

    eventually(ready, timeout=60)
    assert probe_status(port, liveness) == 200
    metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    assert metrics.status_code == 200
    assert "# TYPE" in metrics.text

    with colony.target.client(colony.user_key) as member:
        executor = member.get_executor(colony.name, pod_name)
    assert executor.state == 1  # APPROVED: self-registration under the downward-API name
    assert executor.executor_type == "chart-lamp-reconciler"

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0, (tmp_path / "pod.log").read_text()
    log_lines = (tmp_path / "pod.log").read_text().splitlines()
    assert log_lines
    assert all(json.loads(line)["message"] for line in log_lines)  # logFormat json reached it
