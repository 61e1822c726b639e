"""Settings of the embedded dev server. Defaults equal the real server's so that code tested
against the dev server behaves the same against ColonyOS (protocol 5.3, 5.5, 7.7)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from colonies.crypto import PrivateKey

__all__ = ["DevServerSettings"]

MIB = 1024 * 1024


@dataclass(frozen=True)
class DevServerSettings:
    """How the dev server listens, where it persists, and how often its checkers run."""

    host: str = "127.0.0.1"
    port: int = 0  # 0 picks a free port at start; restarts keep the chosen one
    database: Path | None = None  # SQLite file; None keeps everything in memory
    server_key: PrivateKey | None = None  # generated (and persisted with a database) when None
    checker_period: float = 1.0  # seconds between process timeout checks
    cron_tick: float = 1.0  # seconds between cron checks
    generator_tick: float = 1.0  # seconds between generator checks
    blueprint_cron_interval: int = 60  # interval of the crons created for blueprints
    stale_executor_after: float = 600.0  # unregister executors silent for this long
    stale_check_period: float = 60.0  # seconds between stale executor checks
    max_body_bytes: int = 16 * MIB  # larger request bodies are refused with 413
    header_timeout: float = 10.0  # seconds for a request's headers; then the socket is closed
    body_timeout: float = 60.0  # seconds for a request's body; then 408
    # A first add of a kind (at a location) this many seconds after another one created the
    # kind's reconcile cron fails as if the two had overlapped on a real server, which races
    # them (protocol 12). 0: never, as requests never overlap here.
    first_add_race_window: float = 0.0
