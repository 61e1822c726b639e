"""One style for every ``colonies-sdk`` command: help with an example, typed options, ``-h``
and ``--version``, ``error: ...`` lines and documented exit codes, connection flags that
override the environment."""

from __future__ import annotations

import inspect
import re
import socket
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from colonies.cli import app
from colonies.cli._common import ErrorHandlingGroup, ExitCode, fail
from colonies.errors import ColoniesConnectionError, ForbiddenError, NotFoundError


def _leaf_commands(group: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every runnable command, nested ones (``definition show``) included."""
    found: list[tuple[str, ...]] = []
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):
            found += _leaf_commands(command, (*prefix, name))
        else:
            found.append((*prefix, name))
    return found


COMMANDS = _leaf_commands(typer.main.get_command(app))
WIDE = {"COLUMNS": "200"}
LIGHT = str(Path(__file__).parents[2] / "examples" / "light_reconciler.py") + ":Light"


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env={**WIDE, **(env or {})})
    return result.exit_code, result.output


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_short_help_an_example_and_typed_options(
    command: tuple[str, ...],
) -> None:
    code, output = invoke(*command, "-h")
    assert code == 0
    assert "Example" in output
    options = output[output.index("Options") :]
    assert "<str>" not in options
    assert options.count("<bool>") == 1  # only typer's own --help row


def _command(path: tuple[str, ...]) -> Any:
    command: Any = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    return command


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_paragraphs_flow_and_every_command_states_its_exit_codes(
    command: tuple[str, ...],
) -> None:
    """rich keeps a docstring's line breaks: a prose paragraph broken by hand comes out
    ragged at any terminal width, so prose paragraphs are single lines (examples, indented,
    keep theirs)."""
    found = _command(command)
    paragraphs = inspect.cleandoc(found.help or "").split("\n\n")
    broken = [p for p in paragraphs if "\n" in p and not p.startswith((" ", "\b"))]
    assert broken == []
    assert "Exit codes" in paragraphs[-1]
    _, output = invoke(*command, "-h")
    assert "     colonies-sdk " in output  # the example, indented under its heading


def test_version_and_root_help_with_the_exit_codes() -> None:
    from colonies import __version__

    assert invoke("--version") == (0, f"colonies-sdk {__version__}\n")
    code, output = invoke("-h")
    assert code == 0
    assert "2 usage or configuration error" in output
    assert "--install-completion" in output


def test_a_switch_never_swallows_the_target() -> None:
    code, output = invoke("run", "--tls", "--insecure", "no_such_module_xyz:Thing")
    assert code == ExitCode.USAGE
    assert "error: cannot import no_such_module_xyz" in output


def test_a_bad_flag_is_named_by_its_flag_and_a_bad_variable_by_its_variable() -> None:
    code, output = invoke("run", "--port", "http", "x:Y")
    assert code == ExitCode.USAGE
    assert "Invalid value for '--port'" in output
    code, output = invoke("run", "x:Y", env={"COLONIES_SERVER_PORT": "http"})
    assert code == ExitCode.USAGE
    assert "error: COLONIES_SERVER_PORT='http': expected a port number" in output
    code, output = invoke("run", "x:Y", "--port", "1", env={"COLONIES_SERVER_PORT": "http"})
    assert "COLONIES_SERVER_PORT" not in output  # the flag replaced the bad variable


def test_a_module_in_the_current_directory_is_found_and_checked_before_the_dev_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "my_lights_h2.py").write_text("class Light:\n    pass\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PYTHONPATH", raising=False)
    monkeypatch.setattr("sys.path", [p for p in __import__("sys").path if p not in ("", ".")])
    code, output = invoke("run", "--dev", "my_lights_h2:Light")
    assert code == ExitCode.USAGE
    assert "error: my_lights_h2:Light is not a Reconciler subclass" in output
    assert "export" not in output  # no dev server started, no key printed
    code, output = invoke("run", "--dev", "my_lights_h2:Lamp")
    assert (code, output) == (ExitCode.USAGE, "error: my_lights_h2 has no attribute 'Lamp'\n")


def test_a_taken_port_is_one_line_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, output = invoke("devserver", "--port", str(port))
        dev_code, dev_output = invoke("run", "--dev", "--dev-port", str(port), LIGHT)
    assert (dev_code, dev_output) == (code, output)
    assert code == ExitCode.USAGE
    assert output.strip() == (
        f"error: cannot listen on 127.0.0.1:{port}: Address already in use "
        "(choose another port, or 0 for a free one)"
    )


def _raising(error: Exception) -> typer.Typer:
    probe = typer.Typer(cls=ErrorHandlingGroup)

    @probe.command()
    def boom() -> None:
        raise error

    @probe.command()
    def other() -> None:
        pass

    return probe


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (NotFoundError("no such blueprint"), ExitCode.NOT_FOUND),
        (ForbiddenError("not a member"), ExitCode.REFUSED),
        (ColoniesConnectionError("cannot reach http://x:1"), ExitCode.UNREACHABLE),
    ],
)
def test_errors_become_one_line_and_their_exit_code(error: Exception, code: ExitCode) -> None:
    result = CliRunner().invoke(_raising(error), ["boom"])
    assert result.exit_code == code
    assert result.output == f"error: {error}\n"


def test_fail_and_usage_errors_never_exit_1() -> None:
    result = CliRunner().invoke(_raising(RuntimeError()), ["boom", "--nope"])
    assert result.exit_code == ExitCode.USAGE
    probe = typer.Typer(cls=ErrorHandlingGroup)

    @probe.command()
    def missing() -> None:
        fail("no colony: set COLONIES_COLONY_NAME or pass --colony")

    @probe.command()
    def other() -> None:
        pass

    result = CliRunner().invoke(probe, ["missing"])
    assert result.exit_code == ExitCode.USAGE
    assert re.fullmatch(r"error: no colony: .*--colony\n", result.output)
