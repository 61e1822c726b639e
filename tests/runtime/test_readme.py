"""The README's reconciler is real code: it converges a blueprint as the README says."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from colonies.testing import unique_kind
from colonies.testing.runner import ReconcilerRunner
from colonies.testing.targets import ThrowawayColony

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_reconciler() -> type[Any]:
    match = re.search(
        r"## A reconciler in twenty lines\n\n```python\n(.*?)```", README.read_text(), re.S
    )
    assert match, "the README lost its reconciler example"
    namespace: dict[str, Any] = {}
    exec(compile(match.group(1), str(README), "exec"), namespace)  # noqa: S102 - our own README
    light: type[Any] = namespace["Light"]
    return light


async def test_the_readme_reconciler_converges(colony: ThrowawayColony) -> None:
    light = _readme_reconciler()
    reconciler = type("ReadmeLight", (light,), {"kind": unique_kind("ReadmeLight"), "lamps": {}})
    async with ReconcilerRunner(reconciler(), colony) as runner:
        await runner.set_spec("kitchen", {"power": True, "brightness": 40})
        blueprint = await runner.wait_converged("kitchen")
    assert blueprint.status is not None
    assert blueprint.status["power"] is True
    assert blueprint.status["brightness"] == 40
