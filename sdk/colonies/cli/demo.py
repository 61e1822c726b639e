"""``colonies-sdk demo``: the home-automation reconciler converging devices on the embedded dev
server, from start to a summary, with no input. The work lives in ``colonies_home.demo``."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from colonies.cli._common import SWITCH

HELP = """Run the home-automation demo: converge, change a spec, fix drift, summarise, exit.

Everything runs in-process on the embedded dev server; nothing to configure.

Example:

    colonies-sdk demo --dashboard --keep-open 300
"""


#: ``colonies_home.demo.DemoBackend``'s values, spelt out so that ``--help`` need not import
#: the demo (a test keeps the two equal).
Backend = Literal["simulated", "mqtt", "homeassistant"]


def register(app: typer.Typer) -> None:
    app.command("demo", help=HELP)(demo)


def demo(
    backend: Annotated[
        Backend,
        typer.Option(
            metavar="BACKEND",
            help="simulated: in-process simulated devices (nothing to install); mqtt: the "
            "Zigbee2MQTT simulator on Mosquitto; homeassistant: Home Assistant's demo entities",
        ),
    ] = "simulated",
    mqtt_host: Annotated[
        str | None,
        typer.Option(
            metavar="HOST", help="use this MQTT broker instead of starting a private Mosquitto"
        ),
    ] = None,
    mqtt_port: Annotated[
        int, typer.Option(metavar="PORT", min=1, max=65535, help="port of --mqtt-host")
    ] = 1883,
    ha_url: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            help="use this Home Assistant (with the demo integration) instead of starting one",
        ),
    ] = None,
    ha_token: Annotated[
        str | None,
        typer.Option(
            envvar="COLONIES_HOME_HA_TOKEN", metavar="TOKEN", help="access token for --ha-url"
        ),
    ] = None,
    step_timeout: Annotated[
        float,
        typer.Option(metavar="SECONDS", min=1.0, help="seconds each step may take to converge"),
    ] = 30.0,
    dashboard: Annotated[
        bool,
        typer.Option(
            "--dashboard",
            metavar=SWITCH,
            help="also serve the read-only blueprint dashboard of the demo colony on 127.0.0.1 "
            "(a free port; the URL is printed at the start)",
        ),
    ] = False,
    keep_open: Annotated[
        float,
        typer.Option(
            min=0.0,
            metavar="SECONDS",
            help="with --dashboard: keep serving it this long after the summary (Ctrl-C ends "
            "it sooner)",
        ),
    ] = 0.0,
) -> None:
    from colonies_home.demo import DemoBackend, DemoOptions, run

    if keep_open and not dashboard:
        raise typer.BadParameter("only makes sense with --dashboard", param_hint="--keep-open")
    options = DemoOptions(
        backend=DemoBackend(backend),
        mqtt_host=mqtt_host,
        mqtt_port=mqtt_port,
        ha_url=ha_url,
        ha_token=ha_token,
        step_timeout=step_timeout,
        dashboard=dashboard,
        keep_open=keep_open,
    )
    raise typer.Exit(run(options))
