"""``colonies-sdk run MODULE:CLASS``: run a reconciler until SIGTERM/SIGINT.

Every runtime setting has a flag from the settings table (``--reconciler-concurrency`` for
``COLONIES_RECONCILER_CONCURRENCY``; the connection flags are every command's ``--server``,
``--port``, ``--colony``, ``--tls`` ...); flags win over the environment. ``--dev`` starts the
embedded dev server in-process with a bootstrapped colony, for local development.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import os
from collections.abc import Mapping
from typing import Annotated, Any

import typer

from colonies.cli._common import SWITCH, setting_parameter
from colonies.config import EnvSetting
from colonies.runtime.loader import load_reconciler
from colonies.runtime.logs import configure_logging
from colonies.runtime.reconciler import Reconciler
from colonies.runtime.runtime import Runtime
from colonies.runtime.settings import ENV_SETTINGS, Settings

DEV_COLONY = "dev"

HELP = """Run a reconciler (MODULE:CLASS or FILE.py:CLASS) until SIGTERM or SIGINT.

The current directory is importable, so a module next to you can be named by its name.

Example, against the embedded dev server:

    colonies-sdk run --dev my_module:Light

Example, against a server set up with the COLONIES_* variables:

    colonies-sdk run --reconciler-concurrency 8 my_module:Light
"""


def settings_from(flags: Mapping[EnvSetting, Any], environ: Mapping[str, str]) -> Settings:
    """The environment, then the flags. A variable a flag overrides is not parsed at all, so
    a flag fixes a bad env value instead of tripping on it."""
    flagged = {setting.env for setting in flags}
    env = {name: value for name, value in environ.items() if name not in flagged}
    return Settings.from_env(env).with_parsed(flags)


def _with_dev_server(settings: Settings, port: int, reconciler: type[Reconciler[Any, Any]]) -> None:
    from colonies.cli.devserver import echo_exports, start_or_fail
    from colonies.devserver import DevServer, DevServerSettings

    server = DevServer(DevServerSettings(port=port))
    start_or_fail(server)
    with server:
        boot = server.bootstrap(settings.connection.colony_name or DEV_COLONY)
        settings = dataclasses.replace(
            settings,
            connection=dataclasses.replace(
                settings.connection,
                host=server.host,
                port=server.port,
                tls=False,
                colony_name=boot.colony_name,
            ),
            identity=dataclasses.replace(settings.identity, colony_prvkey=boot.colony_key),
        )
        typer.echo(f"dev server on {server.url}, colony {boot.colony_name!r}. To talk to it:")
        echo_exports(server, boot)
        asyncio.run(Runtime(reconciler, settings).run())


def run(target: str, dev: bool, dev_port: int, **flags: Any) -> None:
    settings = settings_from(
        {s: value for s in ENV_SETTINGS if (value := flags.get(_parameter_name(s))) is not None},
        os.environ,
    )
    reconciler = load_reconciler(target)  # before any server starts or any key is printed
    configure_logging(settings.log)
    if dev:
        _with_dev_server(settings, dev_port, reconciler)
    else:
        asyncio.run(Runtime(reconciler, settings).run())


def _parameter_name(setting: EnvSetting) -> str:
    return setting.env.lower()


def _signature() -> inspect.Signature:
    """``run``'s parameters as typer sees them: the fixed ones plus one flag per setting."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [
        inspect.Parameter(
            "target",
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=Annotated[
                str,
                typer.Argument(
                    metavar="MODULE:CLASS", help="the reconciler: MODULE:CLASS or FILE.py:CLASS"
                ),
            ],
        ),
        inspect.Parameter(
            "dev",
            keyword,
            default=False,
            annotation=Annotated[
                bool,
                typer.Option(
                    "--dev",
                    metavar=SWITCH,
                    help="start the embedded dev server in-process, with the colony of "
                    f"--colony (default {DEV_COLONY!r})",
                ),
            ],
        ),
        inspect.Parameter(
            "dev_port",
            keyword,
            default=0,
            annotation=Annotated[
                int,
                typer.Option(
                    "--dev-port", metavar="PORT", min=0, help="dev server port (0: a free port)"
                ),
            ],
        ),
    ]
    parameters += [setting_parameter(s, _parameter_name(s)) for s in ENV_SETTINGS]
    return inspect.Signature(parameters)


def register(app: typer.Typer) -> None:
    """Add the ``run`` command to the ``colonies-sdk`` app."""
    signature = _signature()
    run_command: Any = run
    run_command.__signature__ = signature
    run_command.__annotations__ = {
        name: parameter.annotation for name, parameter in signature.parameters.items()
    }
    app.command("run", help=HELP, no_args_is_help=True)(run_command)
