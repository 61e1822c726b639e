"""The dev server's ``export`` line is all a reconciler runtime needs, and two runtimes
started from it side by side (default health port, no key of their own) both serve."""

from __future__ import annotations

import dataclasses

from colonies.devserver import DevServer, DevServerSettings
from colonies.runtime import Runtime, Settings
from colonies.testing import unique_kind
from tests.runtime.lamps import Lamps


class ExportLamps(Lamps):
    kind = unique_kind("RtExportLamp")


async def test_two_runtimes_start_from_the_exports_alone() -> None:
    with DevServer(DevServerSettings(port=0)) as server:
        boot = server.bootstrap("exports")
        exports = server.environment(boot)
        settings = Settings.from_env({**exports, "COLONIES_RECONCILER_ASSIGN_TIMEOUT": "1"})

        def named(name: str) -> Settings:
            identity = dataclasses.replace(settings.identity, executor_name=name)
            return dataclasses.replace(settings, identity=identity)

        async with (
            Runtime(ExportLamps(), named("lamps-1")) as first,
            Runtime(ExportLamps(), named("lamps-2")) as second,
        ):
            assert first.ready
            assert second.ready
            assert first.identity is not None
            assert second.identity is not None
            keys = {first.identity.key, second.identity.key, boot.user_key, boot.executor_key}
            assert len(keys) == 4, "each runtime registered a key of its own"
            assert first.health.url != second.health.url
