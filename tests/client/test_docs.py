"""docs/client.md runs as written: its examples execute in order against the test target.

Blocks marked ``<!-- docs: setup -->`` start and stop a dev server for readers; here the
``colonies_server``/``colony`` fixtures stand in for them, so the examples also run against a
real server. Blocks marked ``<!-- docs: not run -->`` are fragments (for example a test).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from colonies.testing import ServerTarget, ThrowawayColony

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "client.md"
BLOCK = re.compile(r"(?:<!-- docs: (?P<mark>[a-z ]+) -->\n)?```python\n(?P<code>.*?)```", re.S)


def _runnable_blocks() -> list[str]:
    return [m["code"] for m in BLOCK.finditer(GUIDE.read_text()) if m["mark"] is None]


def test_guide_examples_run(
    colonies_server: ServerTarget,
    colony: ThrowawayColony,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = colonies_server.config
    if config.insecure:
        pytest.skip("the guide's clients verify certificates; this target is reached insecurely")
    if config.ca_bundle:  # the guide's from_url(server.url) trusts the default CA store
        monkeypatch.setenv("SSL_CERT_FILE", str(config.ca_bundle))
    blocks = _runnable_blocks()
    assert len(blocks) >= 7
    namespace: dict[str, object] = {"server": colonies_server, "home": colony}
    for index, code in enumerate(blocks):
        exec(compile(code, f"{GUIDE.name}[block {index}]", "exec"), namespace)  # noqa: S102
    printed = capsys.readouterr().out
    for promised in (
        "SUCCESS ['hello world']",
        "403 Access denied",
        "404 Failed to get process",
        "fetch False",
        "report True",
        "{'on': False}",
        "waiting: True",
        "True hi",
        "['done']",
    ):
        assert promised in printed
