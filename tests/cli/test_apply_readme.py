"""The README's quick start works as written: its commands, run in order against a colony
where the home reconciler runs, exit as its comments say.

The kind is renamed to one of this test's own (a real server looks definitions up by kind
across colonies); everything else is the README's text and the shipped manifests.
"""

from __future__ import annotations

import asyncio
import re
import shlex
from pathlib import Path
from typing import Any

import yaml

from colonies.testing import ThrowawayColony, unique_kind
from colonies.testing.runner import ReconcilerRunner
from colonies_home.reconciler import HomeDeviceReconciler
from tests.cli.operate import Operator

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = "reconcilers/colonies_home/examples/"


def quick_start_commands() -> list[tuple[list[str], str]]:
    """The third shell's commands (arguments after ``colonies-sdk``) and their comments."""
    section = (ROOT / "README.md").read_text().split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert len(blocks) == 2, "the quick start lost its two command blocks"
    commands = []
    for line in blocks[1].replace("\\\n", " ").splitlines():
        command, _, comment = line.partition("#")
        words = shlex.split(command)
        assert words[0] == "colonies-sdk"
        commands.append((words[1:], comment))
    return commands


def _renamed_examples(directory: Path, kind: str) -> None:
    """The shipped manifests with this test's kind."""
    for name in ("definition.yaml", "simulated.yaml"):
        documents: list[dict[str, Any]] = list(
            yaml.safe_load_all((ROOT / EXAMPLES / name).read_text())
        )
        for document in documents:
            document["kind"] = kind
            if "names" in document["spec"]:
                document["metadata"]["name"] = kind.lower()
                document["spec"]["names"].update(
                    kind=kind, singular=kind.lower(), plural=f"{kind.lower()}s"
                )
        (directory / name).write_text(yaml.safe_dump_all(documents, sort_keys=False))


async def test_the_quick_start_runs_as_written(colony: ThrowawayColony, tmp_path: Path) -> None:
    kind = unique_kind("HomeDevice")
    _renamed_examples(tmp_path, kind)
    operator = Operator(colony, kind, tmp_path)
    reconciler = type("QuickStartHome", (HomeDeviceReconciler,), {"kind": kind})
    async with ReconcilerRunner(reconciler(), colony):
        for args, comment in quick_start_commands():
            args = [
                arg.replace(EXAMPLES, f"{tmp_path}/").replace("homedevice", kind.lower())
                for arg in args
            ]
            result = await asyncio.to_thread(operator.run, *args, verbose=False)
            expected = 1 if args[0] == "diff" else 2 if "refused" in comment else 0
            assert result.exit_code == expected, (args, result.stdout, result.stderr)
    lamp = operator.blueprint("living-room-lamp")
    assert lamp.spec["brightness"] == 40
    assert "bedroom-blind" not in operator.names()
