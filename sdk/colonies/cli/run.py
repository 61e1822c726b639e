"""``colonies-sdk run MODULE:CLASS``: run a reconciler until SIGTERM/SIGINT.

Every runtime setting has a flag named after its env variable (``--reconciler-concurrency``
for ``COLONIES_RECONCILER_CONCURRENCY``); flags win over the environment. ``--dev`` starts
the embedded dev server in-process with a bootstrapped colony, for local development.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import os
from typing import Annotated, Any

import typer

from colonies.runtime.errors import ConfigurationError
from colonies.runtime.loader import load_reconciler
from colonies.runtime.logs import configure_logging
from colonies.runtime.runtime import Runtime
from colonies.runtime.settings import ENV_SETTINGS, EnvSetting, Settings


def _parameter_name(setting: EnvSetting) -> str:
    return setting.env.lower()


def _settings_from(flags: dict[str, str | None]) -> Settings:
    overrides = {
        setting.env: value
        for setting in ENV_SETTINGS
        if (value := flags.get(_parameter_name(setting))) is not None
    }
    # One merge, then one validation: a flag fixes a bad env value instead of tripping on it.
    return Settings.from_env({**os.environ, **overrides})


def _with_dev_server(settings: Settings, colony: str, port: int, target: str) -> None:
    from colonies.devserver import DevServer, DevServerSettings

    with DevServer(DevServerSettings(port=port)) as server:
        boot = server.bootstrap(colony)
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
        typer.echo(
            f"export COLONIES_SERVER_HOST={server.host} COLONIES_SERVER_PORT={server.port} "
            f"COLONIES_TLS=false COLONIES_COLONY_NAME={boot.colony_name} "
            f"COLONIES_PRVKEY={boot.user_key.hex()}"
        )
        _serve(target, settings)


def _serve(target: str, settings: Settings) -> None:
    reconciler = load_reconciler(target)
    asyncio.run(Runtime(reconciler, settings).run())


def run(target: str, dev: bool, dev_colony: str, dev_port: int, **flags: str | None) -> None:
    """Run a reconciler (MODULE:CLASS or FILE.py:CLASS) until SIGTERM or SIGINT."""
    try:
        settings = _settings_from(flags)
        configure_logging(settings.log)
        if dev:
            _with_dev_server(settings, dev_colony, dev_port, target)
        else:
            _serve(target, settings)
    except ConfigurationError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None


def _signature() -> inspect.Signature:
    """``run``'s parameters as typer sees them: the fixed ones plus one flag per setting."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    parameters = [
        inspect.Parameter(
            "target",
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
            annotation=Annotated[
                str, typer.Argument(help="the reconciler: MODULE:CLASS or FILE.py:CLASS")
            ],
        ),
        inspect.Parameter(
            "dev",
            keyword,
            default=False,
            annotation=Annotated[
                bool, typer.Option("--dev", help="start the embedded dev server in-process")
            ],
        ),
        inspect.Parameter(
            "dev_colony",
            keyword,
            default="dev",
            annotation=Annotated[str, typer.Option("--dev-colony", help="colony to bootstrap")],
        ),
        inspect.Parameter(
            "dev_port",
            keyword,
            default=0,
            annotation=Annotated[
                int, typer.Option("--dev-port", help="dev server port (0: a free port)")
            ],
        ),
    ]
    for setting in ENV_SETTINGS:
        help_text = f"{setting.help} (env {setting.env})"
        if setting.secret:
            help_text += " (prefer the env variable: flags show up in ps)"
        parameters.append(
            inspect.Parameter(
                _parameter_name(setting),
                keyword,
                default=None,
                annotation=Annotated[
                    str | None,
                    typer.Option(setting.flag, help=help_text, show_default=False),
                ],
            )
        )
    return inspect.Signature(parameters)


def register(app: typer.Typer) -> None:
    """Add the ``run`` command to the ``colonies-sdk`` app."""
    signature = _signature()
    run_command: Any = run
    run_command.__signature__ = signature
    run_command.__annotations__ = {
        name: parameter.annotation for name, parameter in signature.parameters.items()
    }
    app.command("run", no_args_is_help=True)(run_command)
