"""Values nested 10,000 deep (as deep as Go's decoder goes) on the dev server: stored,
persisted across a restart, and never a traceback in the log (issue 13 B2)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from colonies.devserver import DevServer, DevServerSettings
from tests.conformance.target import Target
from tests.conformance.test_core_depth import GO_MAX_DEPTH, depth_of, nested, post_text


def test_a_deep_process_survives_a_restart_without_a_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="colonies.devserver")
    with DevServer(DevServerSettings(database=tmp_path / "dev.sqlite")) as server:
        boot = server.bootstrap("deep")
        target = Target(server.url, server.server_key, real=False)
        spec = ('{"msgtype":"submitfuncspecmsg","spec":{"funcname":"f","conditions":{"colonyname":'
                f'"{boot.colony_name}","executortype":"{boot.executor_type}"}},"kwargs":{{"x":'
                f"{nested(GO_MAX_DEPTH - 3)}}}}}}}")  # fmt: skip
        submitted = post_text(target, boot.user_key, "submitfuncspecmsg", spec)
        assert not submitted.error, submitted.message
        too_deep = spec.replace("[", "[[", 1).replace("]", "]]", 1)
        refused = post_text(target, boot.user_key, "submitfuncspecmsg", too_deep)
        assert (refused.status, refused.message) == (400, "Failed to submit process, invalid JSON")
        server.restart()
        stored = target.ok(boot.user_key, "getprocessmsg", processid=submitted.result["processid"])
        assert depth_of(stored["spec"]["kwargs"]["x"]) == GO_MAX_DEPTH - 3
        target.close()
    assert [r for r in caplog.records if r.exc_info] == []
