"""The person in the demo's story: every change to a blueprint is a ``colonies-sdk`` command,
shown as it would be typed and run as it would be run (the installed console script, in a
subprocess), against the demo's dev server, with its real output.

The subprocess finds the server as a shell does after ``colonies-sdk devserver``: through the
``COLONIES_*`` variables of its ``export`` line, in the environment only. What the demo shows
is the command line and the command's output, and neither holds a key.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

CLI = "colonies-sdk"
_ENV_PREFIX = "COLONIES_"


class CommandFailedError(RuntimeError):
    """A command of the story did not succeed (or could not be run at all)."""


class Transcript(Protocol):
    """Where commands and their output are shown."""

    def command(self, argv: list[str], stdin: str | None) -> None:
        """``$ ARGV`` (with ``stdin`` as a here-document when given)."""
        ...

    def output(self, text: str, *, error: bool = False) -> None:
        """What the command printed (stdout, or stderr with ``error``)."""
        ...


def cli_executable() -> str:
    """The ``colonies-sdk`` installed with this Python (the virtual environment's), else the
    one on PATH."""
    found = shutil.which(CLI, path=str(Path(sys.executable).parent)) or shutil.which(CLI)
    if found is None:
        raise CommandFailedError(f"{CLI} is not installed: run `make setup` or `pip install -e .`")
    return found


def typed_path(path: Path) -> str:
    """``path`` as a person in the current directory would type it (a directory with a
    trailing slash)."""
    relative = os.path.relpath(path)
    typed = str(path) if relative.startswith("..") else relative
    return typed + os.sep if path.is_dir() else typed


@dataclass(frozen=True)
class Operator:
    """Runs ``colonies-sdk`` commands against one server, showing each in ``transcript``.

    ``connection`` holds the ``COLONIES_*`` variables (keys included); every inherited
    ``COLONIES_*`` variable is dropped first, so a shell's own settings cannot point a command
    elsewhere. ``columns`` is the width the commands format their tables for."""

    connection: Mapping[str, str]
    transcript: Transcript
    timeout: float
    columns: int
    color: bool = False

    def __repr__(self) -> str:  # the connection holds keys
        return f"Operator(columns={self.columns})"

    async def run(self, *args: str, stdin: str | None = None) -> str:
        """Show and run ``colonies-sdk ARGS``; its standard output. A non-zero exit raises
        :class:`CommandFailedError` after showing what the command printed."""
        self.transcript.command([CLI, *args], stdin)
        process = await asyncio.create_subprocess_exec(
            cli_executable(),
            *args,
            stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self._environment(),
        )
        try:
            out, err = await asyncio.wait_for(
                process.communicate(None if stdin is None else stdin.encode()), self.timeout
            )
        except TimeoutError:
            raise CommandFailedError(
                f"`{CLI} {args[0]}` did not finish within {self.timeout:g}s"
            ) from None
        finally:
            if process.returncode is None:  # timed out or interrupted: never leave it running
                process.kill()
                await process.wait()
        if out:
            self.transcript.output(out.decode())
        if err:
            self.transcript.output(err.decode(), error=True)
        if process.returncode != 0:
            raise CommandFailedError(f"`{CLI} {args[0]}` exited with {process.returncode}")
        return out.decode()

    def _environment(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(_ENV_PREFIX)}
        shaped = {"COLUMNS": str(self.columns)}
        if self.color:
            shaped["FORCE_COLOR"] = "1"
        else:
            shaped["NO_COLOR"] = "1"
            inherited.pop("FORCE_COLOR", None)
        return inherited | shaped | dict(self.connection)
