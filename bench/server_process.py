"""The dev server in a child process, so the benchmark's own clients do not share its GIL.

Measuring the server in the benchmark's own interpreter would charge the clients' Python
time to the server and the other way round; a real deployment has them in separate
processes too.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from colonies.config import ClientConfig
from colonies.crypto import PrivateKey
from colonies.testing.targets import ServerTarget

_EXPORT = re.compile(r"(COLONIES_[A-Z_]+)=(\S+)")
_START_TIMEOUT = 60.0


@contextmanager
def devserver_process() -> Iterator[ServerTarget]:
    """``colonies-sdk devserver`` on a free port; yields a target with its server key.

    Its output goes to a file (a pipe nobody reads could fill up and stall the server)."""
    command = [str(Path(sys.executable).with_name("colonies-sdk")), "devserver", "--port", "0"]
    with tempfile.TemporaryFile("w+") as output:
        process = subprocess.Popen(
            [*command, "--colony", "bench-bootstrap"], stdout=output, stderr=subprocess.STDOUT
        )
        try:
            values: dict[str, str] = {}
            deadline = time.monotonic() + _START_TIMEOUT
            while "COLONIES_SERVER_PRVKEY" not in values:
                if process.poll() is not None or time.monotonic() > deadline:
                    output.seek(0)
                    raise RuntimeError(f"the dev server did not start:\n{output.read()[-2000:]}")
                time.sleep(0.05)
                output.seek(0)
                values = dict(_EXPORT.findall(output.read()))
            config = ClientConfig(
                host=values["COLONIES_SERVER_HOST"], port=int(values["COLONIES_SERVER_PORT"])
            )
            server_key = PrivateKey(values["COLONIES_SERVER_PRVKEY"])
            yield ServerTarget(config=config, server_key=server_key)
        finally:
            process.terminate()
            process.wait(timeout=30)
