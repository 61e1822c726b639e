"""Each runtime test reconciles a lamp kind of its own.

A real server finds the definition for reconcile and remove by kind in *any* colony
(protocol 7.5), so a kind shared with other tests, runs or users of the server can send our
reconcile and cleanup processes to someone else's executor type.
"""

from __future__ import annotations

import pytest

from colonies.testing import unique_kind
from tests.runtime.lamps import Lamps


@pytest.fixture(autouse=True)
def lamp_kind(monkeypatch: pytest.MonkeyPatch) -> str:
    """The kind :class:`~tests.runtime.lamps.Lamps` reconciles in this test."""
    kind = unique_kind("RtLamp")
    monkeypatch.setattr(Lamps, "kind", kind)
    return kind
