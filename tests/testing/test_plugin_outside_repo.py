"""The tutorial's test, copied verbatim into a fresh project outside this repository (no
pytest configuration, so no ``asyncio_mode``), passes with only the installed SDK's plugin.
Its second test proves a terminal failure ends ``wait_converged`` at once: the inner run's
``--timeout`` is far below the runner's default wait, and the message is the condition's."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def tutorial_test_code() -> str:
    tutorial = (ROOT / "docs" / "tutorial.md").read_text()
    section = tutorial.split("## 5. Test it", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match is not None, "docs/tutorial.md lost its test example"
    return match.group(1)


def test_the_tutorial_test_passes_in_a_project_without_asyncio_settings(tmp_path: Path) -> None:
    assert not tmp_path.is_relative_to(ROOT)
    shutil.copy(ROOT / "examples" / "light_reconciler.py", tmp_path / "lights.py")
    (tmp_path / "test_lights.py").write_text(tutorial_test_code())
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--timeout=25"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert "asyncio_mode" not in result.stdout + result.stderr
