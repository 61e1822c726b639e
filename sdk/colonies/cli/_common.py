"""What every ``colonies-sdk`` command shares: connection flags, exit codes, one error style.

A command that talks to a server takes a :class:`Connection` as its first parameter and is
wrapped with :func:`connected`; it then accepts ``--server``, ``--port``, ``--colony``,
``--tls/--no-tls``, ``--insecure/--no-insecure`` and ``--ca``, each overriding its official
``COLONIES_*`` variable. Errors are raised, never printed: :class:`CliError` (or any
:class:`~colonies.config.ConfigError` or client error) ends the command with ``error: ...`` on
stderr and the :class:`ExitCode` that says what went wrong.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import TYPE_CHECKING, Annotated, Any, Concatenate, NoReturn, ParamSpec, TypeVar

import typer
from typer.core import TyperGroup

from colonies.config import CONNECTION_SETTINGS, ClientConfig, ConfigError, EnvSetting
from colonies.crypto import PrivateKey
from colonies.errors import (
    ColoniesConnectionError,
    ColoniesError,
    ColoniesTimeoutError,
    ColoniesTLSError,
    NotFoundError,
)

if TYPE_CHECKING:
    from colonies.client import AsyncColoniesClient, ColoniesClient

__all__ = [
    "CliError",
    "Connection",
    "ErrorHandlingGroup",
    "ExitCode",
    "connected",
    "fail",
    "flowing_help",
    "listen_error",
    "setting_parameter",
]

P = ParamSpec("P")
R = TypeVar("R")


#: The metavar of a switch: nothing (typer would show ``<bool>``).
SWITCH = ""


class ExitCode(IntEnum):
    """The exit codes of every ``colonies-sdk`` command (documented in ``--help`` and
    docs/operate.md). Scripts may rely on them; like ``kubectl diff``, 1 is an answer, not a
    failure."""

    OK = 0
    #: The command's question has the answer "no": ``diff`` found differences, ``wait``'s
    #: condition was not met before the timeout.
    DIFFERENT = 1
    #: The command line, the environment or an input file is wrong; nothing was sent.
    USAGE = 2
    #: The kind, blueprint or other object named does not exist on the server.
    NOT_FOUND = 3
    #: Refused: by the server (permission, invalid for the server, conflict), or by a
    #: safety check (an upgrade that stored blueprints block).
    REFUSED = 4
    #: The server could not be reached or did not answer in time.
    UNREACHABLE = 5
    #: Stopped by Ctrl-C (128 + SIGINT, as shells report it).
    INTERRUPTED = 130


EXIT_CODES_HELP = (
    "Exit codes: 0 ok; 1 differences found or condition not met; 2 usage or configuration "
    "error; 3 not found; 4 refused (by the server or a safety check); 5 server unreachable; "
    "130 interrupted."
)


def flowing_help(text: str) -> str:
    """A help text with each prose paragraph on one line. rich prints a help text's line
    breaks as they are, so a docstring wrapped at the source's width would come out ragged
    at every terminal width; paragraphs with indented lines (examples) keep their breaks."""
    paragraphs = inspect.cleandoc(text).split("\n\n")
    return "\n\n".join(
        paragraph
        if any(line[:1].isspace() or line == "\b" for line in paragraph.splitlines())
        else " ".join(paragraph.splitlines())
        for paragraph in paragraphs
    )


class CliError(Exception):
    """A failure the command explains in one line: ``error: <message>`` and ``code``."""

    def __init__(self, message: str, code: ExitCode = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.code = code


def fail(message: str, code: ExitCode = ExitCode.USAGE) -> NoReturn:
    """End the command with ``error: message`` on stderr and ``code``."""
    raise CliError(message, code)


def listen_error(host: str, port: int, error: OSError) -> str:
    """One line for a port that cannot be bound (taken, not allowed, no such address)."""
    reason = error.strerror or str(error)
    return f"cannot listen on {host}:{port}: {reason} (choose another port, or 0 for a free one)"


def _exit_code(error: BaseException) -> ExitCode | None:
    """The exit code for an error a command let through (None: a bug, keep the traceback)."""
    if isinstance(error, CliError):
        return error.code
    if isinstance(error, ConfigError | ColoniesTLSError):
        return ExitCode.USAGE
    if isinstance(error, NotFoundError):
        return ExitCode.NOT_FOUND
    if isinstance(error, ColoniesConnectionError | ColoniesTimeoutError):
        return ExitCode.UNREACHABLE
    if isinstance(error, ColoniesError):
        return ExitCode.REFUSED
    return None


class ErrorHandlingGroup(TyperGroup):
    """The root command group: turns known errors of any sub-command into one line and an
    :class:`ExitCode`, and keeps click's own errors off exit code 1 (reserved for answers)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except typer.TyperException as error:  # click's errors: usage (2), unreadable file (1)
            if getattr(error, "exit_code", ExitCode.USAGE) == ExitCode.DIFFERENT:
                error.exit_code = ExitCode.USAGE
            raise
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(ExitCode.INTERRUPTED) from None
        except Exception as error:
            code = _exit_code(error)
            if code is None:
                raise
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(code) from None


# -- flags derived from the settings table ---------------------------------------------------


def _flag_parser(setting: EnvSetting) -> Callable[[str], Any]:
    """Parse a flag with its setting's own parser, so ``--port x`` and
    ``COLONIES_SERVER_PORT=x`` are judged alike; click names the flag in the error."""

    def parse(text: str) -> Any:
        if not isinstance(text, str):  # click passes the default (None) through
            return text
        try:
            return setting.parse_value(text)
        except ValueError as error:
            raise typer.BadParameter(f"{setting.shown(text)}: {error}") from None

    return parse


def setting_parameter(setting: EnvSetting, parameter_name: str) -> inspect.Parameter:
    """A keyword-only typer option for ``setting``: ``--x/--no-x`` for booleans, else a value
    option parsed by the setting's parser. Its default ``None`` means "keep the env value"."""
    help_text = f"{setting.help} (env {setting.env})"
    if setting.secret:
        help_text += " (prefer the env variable: flags show up in ps)"
    if setting.is_switch:
        name = setting.flag.removeprefix("--")
        option = typer.Option(
            f"--{name}/--no-{name}", help=help_text, show_default=False, metavar=SWITCH
        )
        annotation: Any = Annotated[bool | None, option]
    else:
        option = typer.Option(
            setting.flag,
            help=help_text,
            show_default=False,
            metavar=setting.metavar,
            parser=_flag_parser(setting),
        )
        annotation = Annotated[Any, option]
    return inspect.Parameter(
        parameter_name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation
    )


def _connection_parameter_name(setting: EnvSetting) -> str:
    return "connection_" + setting.name


# -- the connection of a command -------------------------------------------------------------


@dataclass(frozen=True)
class Connection:
    """The server a command talks to: the environment, overridden by the command's flags."""

    config: ClientConfig

    @classmethod
    def from_flags(
        cls, flags: Mapping[EnvSetting, Any], environ: Mapping[str, str] | None = None
    ) -> Connection:
        """Flags win; a variable a flag overrides is not even parsed (a flag fixes it)."""
        env = dict(os.environ if environ is None else environ)
        for setting in flags:
            env.pop(setting.env, None)
        config = ClientConfig.from_env(env)
        return cls(replace(config, **{setting.name: value for setting, value in flags.items()}))

    @property
    def colony(self) -> str:
        if not self.config.colony_name:
            fail("no colony: set COLONIES_COLONY_NAME or pass --colony")
        return self.config.colony_name

    def key(self) -> PrivateKey:
        """The signing key, or a usage error that names the variable to set."""
        if self.config.key is None:
            fail("no signing key: set COLONIES_PRVKEY (a colony member's key)")
        return self.config.key

    def client(self, key: PrivateKey | None = None) -> ColoniesClient:
        """A sync client signing with ``key``, else COLONIES_PRVKEY (required)."""
        from colonies.client import ColoniesClient

        return ColoniesClient.from_config(self.config, key=key or self.key())

    def async_client(self, key: PrivateKey | None = None) -> AsyncColoniesClient:
        """An async client signing with ``key``, else COLONIES_PRVKEY (required)."""
        from colonies.client import AsyncColoniesClient

        return AsyncColoniesClient.from_config(self.config, key=key or self.key())


def connected(func: Callable[Concatenate[Connection, P], R]) -> Callable[P, R]:
    """Give a command the connection flags; it receives them as its first argument, a
    :class:`Connection`. The flags follow the command's own options in ``--help``."""
    own = list(inspect.signature(func, eval_str=True).parameters.values())[1:]
    extra = [
        setting_parameter(setting, _connection_parameter_name(setting))
        for setting in CONNECTION_SETTINGS
    ]

    @functools.wraps(func)
    def command(*args: P.args, **kwargs: P.kwargs) -> R:
        flags = {
            setting: value
            for setting in CONNECTION_SETTINGS
            if (value := kwargs.pop(_connection_parameter_name(setting), None)) is not None
        }
        return func(Connection.from_flags(flags), *args, **kwargs)

    signature = inspect.Signature([*own, *extra])
    wrapper: Any = command
    wrapper.__signature__ = signature
    wrapper.__annotations__ = {p.name: p.annotation for p in signature.parameters.values()}
    del wrapper.__wrapped__  # typer must see the new signature, not the function's
    return command
