"""A pod as the chart renders it, run here as a process: the image's entrypoint plus the
container's args, the env with Secrets and the downward API resolved the way the kubelet
would. In both identity modes (self-registration under the pod name, and a pre-registered
executor whose key sits in an existing Secret) the real runtime must accept every setting,
come up as an approved executor, answer its probes on the probed paths, serve the dashboard
only when the chart enables it, and stop cleanly on SIGTERM."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from colonies.runtime import Reconciler
from colonies.runtime.definitions import build_definition
from colonies.testing import ThrowawayColony, free_port, unique_name
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

    async def observe(self, resource: Resource[LampSpec]) -> LampStatus:
        return LampStatus()

    async def apply(self, resource: Resource[LampSpec], diff: Diff) -> LampStatus:
        return LampStatus(power=resource.spec.power)
"""


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


@dataclass(frozen=True)
class PodSetup:
    """One identity mode: the chart values, the Secrets the cluster would hold, and the
    executor name the pod must end up registered under."""

    chart: Rendered
    secrets: dict[tuple[str, str], str]
    pod_name: str
    executor_name: str
    dashboard: bool


def lamp_class(module: Path) -> type[Reconciler[Any, Any]]:
    spec = importlib.util.spec_from_file_location("chart_lamp", module)
    assert spec is not None
    assert spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    lamp: type[Reconciler[Any, Any]] = loaded.Lamp
    return lamp


@pytest.fixture(params=["self-registration", "pre-registered"])
def pod_setup(request: pytest.FixtureRequest, colony: ThrowawayColony, tmp_path: Path) -> PodSetup:
    """The chart pointed at the test colony, running a tiny reconciler file, in either mode."""
    module = tmp_path / "lamp.py"
    module.write_text(RECONCILER_SOURCE)
    target = colony.target
    common = [
        f"server.host={target.host}",
        f"server.port={target.port}",
        f"server.tls.enabled={str(target.tls).lower()}",
        f"colony.name={colony.name}",
        f"reconciler.target={module}:Lamp",
        f"reconciler.httpPort={free_port()}",
        "reconciler.gracePeriodSeconds=2",
    ]
    pod_name = unique_name("home-colonies-reconciler")
    if request.param == "self-registration":
        chart = render(
            set_values=[
                *common,
                "executor.type=chart-lamp-reconciler",
                "executorKey.existingSecret=",
                "colonyOwnerKey.enabled=true",
                "colonyOwnerKey.existingSecret=colony-owner",
            ]
        )
        secrets = {("colony-owner", "prvkey"): colony.owner_key.hex()}
        return PodSetup(chart, secrets, pod_name, executor_name=pod_name, dashboard=False)
    # The chart's default mode: an approved executor whose key sits in an existing Secret,
    # and the kind's definition registered beforehand by the colony owner; dashboard on.
    with target.client(colony.owner_key) as owner:
        owner.add_blueprint_definition(
            build_definition(lamp_class(module), colony.name, colony.executor_type)
        )
    chart = render(
        set_values=[
            *common,
            f"executor.type={colony.executor_type}",
            f"executor.name={colony.executor_name}",
            "reconciler.dashboard.enabled=true",
        ]
    )
    secrets = {("colonies-executor-key", "prvkey"): colony.executor_key.hex()}
    return PodSetup(chart, secrets, pod_name, executor_name=colony.executor_name, dashboard=True)


@pytest.fixture
def pod(pod_setup: PodSetup, tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    """The running pod process and its HTTP port."""
    container = pod_setup.chart.container
    env = kubelet_env(container, pod_setup.secrets, pod_setup.pod_name)
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
        yield process, container["ports"][0]["containerPort"]
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


def test_the_rendered_pod_registers_serves_probes_and_stops_cleanly(
    pod: tuple[subprocess.Popen[str], int],
    pod_setup: PodSetup,
    colony: ThrowawayColony,
    tmp_path: Path,
) -> None:
    process, port = pod
    container = pod_setup.chart.container
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
    dashboard = httpx.get(f"http://127.0.0.1:{port}/dashboard/", timeout=10)
    if pod_setup.dashboard:
        assert dashboard.status_code == 200, dashboard.text
        assert f"colony <strong>{colony.name}</strong>" in dashboard.text
    else:
        assert dashboard.status_code == 404

    with colony.target.client(colony.user_key) as member:
        executor = member.get_executor(colony.name, pod_setup.executor_name)
    assert executor.state == 1  # APPROVED
    assert executor.executor_type == pod_setup.chart.plain_env["COLONIES_EXECUTOR_TYPE"]

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=60) == 0, (tmp_path / "pod.log").read_text()
    log_lines = (tmp_path / "pod.log").read_text().splitlines()
    assert log_lines
    assert all(json.loads(line)["message"] for line in log_lines)  # logFormat json reached it
