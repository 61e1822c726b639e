"""``colonies-sdk devserver``: run the embedded ColonyOS-compatible server until SIGINT/SIGTERM.

With ``--colony`` it also bootstraps a colony (user and approved executor) and prints the
``export`` line that points clients and reconcilers at it. Printing keys is intended here:
it is the user's own local dev server.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from colonies.cli._common import fail, listen_error
from colonies.config import DEFAULT_PORT
from colonies.devserver import Bootstrap, DevServer, DevServerSettings

__all__ = ["register"]


def start_or_fail(server: DevServer) -> None:
    """Start ``server``; a port that cannot be bound ends the command with one line."""
    try:
        server.start()
    except OSError as error:
        fail(listen_error(server.host, server.settings.port, error))


def echo_exports(server: DevServer, boot: Bootstrap | None) -> None:
    """Print the one ``export`` line that points clients, commands and runtimes at ``server``
    (with ``boot``: its colony and keys)."""
    exports = " ".join(f"{name}={value}" for name, value in server.environment(boot).items())
    typer.echo(f"export {exports}")


@contextmanager
def _stop_on_signal() -> Iterator[threading.Event]:
    """An event set by SIGINT/SIGTERM; installed before anything is printed, so a signal sent
    as soon as the URL appears already stops the server cleanly."""
    stop = threading.Event()

    def handle(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


HELP = """Run the embedded ColonyOS-compatible dev server until Ctrl-C or SIGTERM.

With --colony it bootstraps that colony (a user and an approved executor) and prints one
export line with everything a client, a command or a reconciler runtime needs (the colony
owner key included): paste it into another shell.

Example:

    colonies-sdk devserver --colony dev --database dev.sqlite
"""


def devserver(
    host: Annotated[
        str, typer.Option(metavar="ADDRESS", help="interface to listen on")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(metavar="PORT", min=0, max=65535, help="port (0 picks a free one)")
    ] = DEFAULT_PORT,
    database: Annotated[
        Path | None,
        typer.Option(metavar="FILE", dir_okay=False, help="SQLite file; state survives restarts"),
    ] = None,
    colony: Annotated[
        str | None,
        typer.Option(metavar="COLONY", help="bootstrap this colony and print its environment"),
    ] = None,
    executor_type: Annotated[
        str, typer.Option(metavar="TYPE", help="type of the bootstrapped executor")
    ] = "dev-executor",
) -> None:
    server = DevServer(DevServerSettings(host=host, port=port, database=database))
    with _stop_on_signal() as stop:
        start_or_fail(server)
        with server:
            boot = server.bootstrap(colony, executor_type=executor_type) if colony else None
            typer.echo(f"ColonyOS dev server listening on {server.url}")
            echo_exports(server, boot)
            stop.wait()
    typer.echo("dev server stopped", err=True)


def register(app: typer.Typer) -> None:
    app.command("devserver", help=HELP)(devserver)
