"""End to end: the runtime's probes and metrics over HTTP, and the test kit on its own."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner
from tests.runtime.lamps import LampBoard, Lamps


async def test_probes_and_metrics_follow_the_runtime(colony: ThrowawayColony) -> None:
    async with ReconcilerRunner(Lamps(), colony) as runner:
        runtime = runner.runtime
        await runner.set_spec("desk", {"power": True})
        await runner.wait_converged("desk")
        async with httpx.AsyncClient(base_url=runtime.health.url) as http:
            assert (await http.get("/healthz")).status_code == 200
            ready = await http.get("/readyz")
            assert ready.status_code == 200
            assert ready.json()["registered"] is True

            text = (await http.get("/metrics")).text
            samples = {
                (sample.name, sample.labels.get("result")): sample.value
                for family in text_string_to_metric_families(text)
                for sample in family.samples
            }
            assert samples[("colonies_runtime_reconcile_total", "success")] == 1
            assert samples[("colonies_runtime_status_writes_total", None)] == 1
            assert samples[("colonies_runtime_max_concurrent_reconciles", None)] == 4

            runtime.liveness.promise("stuck-loop", -1)  # a loop that missed its deadline
            stalled = await http.get("/healthz")
            assert stalled.status_code == 503
            assert stalled.json()["stalled"] == ["stuck-loop"]
            runtime.liveness.retire("stuck-loop")

            runtime.request_stop()
            stopping = await http.get("/readyz")
            assert stopping.status_code == 503
            assert stopping.json()["stopping"] is True


async def test_the_runner_brings_its_own_dev_server() -> None:
    board = LampBoard()
    async with ReconcilerRunner(Lamps(board)) as runner:
        await runner.set_spec("desk", {"power": True, "level": 3})
        blueprint = await runner.wait_converged("desk")
        assert (blueprint.status or {})["level"] == 3
        assert board.devices["desk"].level == 3


async def test_the_dashboard_can_be_served_next_to_the_probes(colony: ThrowawayColony) -> None:
    overrides = {"COLONIES_RECONCILER_DASHBOARD": "true"}
    async with ReconcilerRunner(Lamps(), colony, overrides=overrides) as runner:
        await runner.set_spec("desk", {"power": True})
        await runner.wait_converged("desk")
        async with httpx.AsyncClient(base_url=runner.runtime.health.url) as http:
            page = await http.get("/dashboard/")
        assert page.status_code == 200
        assert "desk" in page.text
