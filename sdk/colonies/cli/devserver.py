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

from colonies.devserver import DevServer, DevServerSettings

__all__ = ["register"]


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


def devserver(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port (0 picks a free one).")] = 50080,
    database: Annotated[
        Path | None, typer.Option(help="SQLite file; state survives restarts.", dir_okay=False)
    ] = None,
    colony: Annotated[
        str | None, typer.Option(help="Bootstrap this colony and print its environment.")
    ] = None,
    executor_type: Annotated[
        str, typer.Option(help="Type of the bootstrapped executor.")
    ] = "dev-executor",
) -> None:
    """Run the embedded ColonyOS-compatible dev server."""
    server = DevServer(DevServerSettings(host=host, port=port, database=database))
    with _stop_on_signal() as stop, server:
        boot = server.bootstrap(colony, executor_type=executor_type) if colony else None
        typer.echo(f"ColonyOS dev server listening on {server.url}")
        exports = " ".join(f"{name}={value}" for name, value in server.environment(boot).items())
        typer.echo(f"export {exports}")
        stop.wait()
    typer.echo("dev server stopped", err=True)


def register(app: typer.Typer) -> None:
    app.command("devserver")(devserver)
