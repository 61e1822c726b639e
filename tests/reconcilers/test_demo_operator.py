"""The demo's operator: commands shown as typed, run as the installed ``colonies-sdk``, and a
failing one reported with what it printed, never with the keys it was given."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field

import pytest

from colonies.crypto import PrivateKey
from colonies_home.demo_operator import CommandFailedError, Operator
from colonies_home.demo_view import typed_lines


@dataclass
class RecordedTranscript:
    """A transcript that keeps what it was shown."""

    commands: list[tuple[list[str], str | None]] = field(default_factory=list)
    outputs: list[tuple[str, bool]] = field(default_factory=list)

    def command(self, argv: list[str], stdin: str | None) -> None:
        self.commands.append((argv, stdin))

    def output(self, text: str, *, error: bool = False) -> None:
        self.outputs.append((text, error))


def test_a_command_that_fits_is_one_line() -> None:
    assert typed_lines(["colonies-sdk", "set", "homedevice", "lamp", "power=true"], 80) == [
        "colonies-sdk set homedevice lamp power=true"
    ]


def test_a_long_command_gets_one_option_per_line_with_backslashes() -> None:
    argv = ["colonies-sdk", "apply", "-f", "a" * 40 + ".yaml", "-f", "my file.yaml"]
    assert typed_lines(argv, 40) == [
        "colonies-sdk apply \\",
        "-f " + "a" * 40 + ".yaml \\",
        "-f 'my file.yaml'",  # quoted as a shell needs it
    ]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_a_failing_command_is_shown_with_its_error_and_raises_without_a_key() -> None:
    key = PrivateKey.generate().hex()
    connection = {
        "COLONIES_SERVER_HOST": "127.0.0.1",
        "COLONIES_SERVER_PORT": str(closed_port()),
        "COLONIES_TLS": "false",
        "COLONIES_COLONY_NAME": "home",
        "COLONIES_PRVKEY": key,
    }
    transcript = RecordedTranscript()
    operator = Operator(connection, transcript, timeout=60, columns=100)
    assert key not in repr(operator)

    with pytest.raises(CommandFailedError, match="`colonies-sdk get` exited with 5") as failed:
        asyncio.run(operator.run("get", "homedevices"))

    assert transcript.commands == [(["colonies-sdk", "get", "homedevices"], None)]
    errors = [text for text, error in transcript.outputs if error]
    assert errors, transcript.outputs
    assert errors[0].startswith("error: ")
    shown = f"{transcript} {failed.value}"
    assert key not in shown
