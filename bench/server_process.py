"""The dev server in a child process, so the benchmark's own clients do not share its GIL.

Measuring the server in the benchmark's own interpreter would charge the clients' Python
time to the server and the other way round; a real deployment has them in separate
processes too.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from colonies.config import ClientConfig
from colonies.crypto import PrivateKey
from colonies.testing.targets import ServerTarget

_EXPORT = re.compile(r"(COLONIES_[A-Z_]+)=(\S+)")


@contextmanager
def devserver_process() -> Iterator[ServerTarget]:
    """``colonies-sdk devserver`` on a free port; yields a target with its server key."""
    command = [str(Path(sys.executable).with_name("colonies-sdk")), "devserver", "--port", "0"]
    process = subprocess.Popen(
        [*command, "--colony", "bench-bootstrap"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        values: dict[str, str] = {}
        for line in process.stdout:
            values.update(_EXPORT.findall(line))
            if "COLONIES_SERVER_PRVKEY" in values:
                break
        else:
            raise RuntimeError(f"the dev server exited with {process.wait()} before it was ready")
        config = ClientConfig(
            host=values["COLONIES_SERVER_HOST"], port=int(values["COLONIES_SERVER_PORT"])
        )
        yield ServerTarget(config=config, server_key=PrivateKey(values["COLONIES_SERVER_PRVKEY"]))
    finally:
        process.terminate()
        process.wait(timeout=30)
