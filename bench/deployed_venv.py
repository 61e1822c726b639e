"""A virtualenv with only what the container image installs (the SDK and its runtime
dependencies, no test or benchmark tools), to measure the runtime's memory as deployed.

The development venv also holds numpy (through matplotlib), which deepdiff imports when it
finds it; the image does not, so its numbers would overstate the deployed footprint.
"""

from __future__ import annotations

import subprocess
import venv
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

_REPO = Path(__file__).resolve().parent.parent


@contextmanager
def deployed_python() -> Iterator[Path]:
    """The interpreter of a fresh venv with ``pip install .`` (constraints applied)."""
    with TemporaryDirectory(prefix="colonies-bench-venv-") as directory:
        venv.create(directory, with_pip=True)
        python = Path(directory) / "bin" / "python"
        constraints = str(_REPO / "constraints.txt")
        install = [str(python), "-m", "pip", "install", "--quiet", "-c", constraints, str(_REPO)]
        subprocess.run(install, check=True, stdout=subprocess.DEVNULL)
        yield python
