"""The runtime docs stay true: every setting and metric is documented, and the tutorial's
test works with the example reconciler."""

from __future__ import annotations

from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from colonies.runtime.loader import load_reconciler
from colonies.runtime.metrics import RuntimeMetrics
from colonies.runtime.settings import ENV_SETTINGS
from colonies.testing import ThrowawayColony
from colonies.testing.runner import ReconcilerRunner

ROOT = Path(__file__).parents[2]
REFERENCE = (ROOT / "docs" / "runtime.md").read_text()


def test_every_setting_is_in_the_reference() -> None:
    for setting in ENV_SETTINGS:
        assert f"`{setting.env}`" in REFERENCE, setting.env
        assert f"`{setting.section}.{setting.name}`" in REFERENCE, setting.name


def test_every_metric_is_in_the_reference() -> None:
    exposition = RuntimeMetrics("K", 1).exposition().decode()
    for family in text_string_to_metric_families(exposition):
        name = family.name + ("_total" if family.type == "counter" else "")
        assert f"`{name}" in REFERENCE, name


async def test_the_tutorial_test_passes(colony: ThrowawayColony) -> None:
    light = load_reconciler(str(ROOT / "examples" / "light_reconciler.py") + ":Light")
    async with ReconcilerRunner(light(), colony) as runner:
        await runner.set_spec("kitchen", {"power": True, "brightness": 80})
        blueprint = await runner.wait_converged("kitchen")
        assert (blueprint.status or {})["brightness"] == 80
