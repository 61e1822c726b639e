"""Every runtime setting, in one frozen dataclass tree, from env variables and CLI flags.

One table (:data:`ENV_SETTINGS`) maps each setting to its env variable and its flag
(``COLONIES_RECONCILER_CONCURRENCY`` -> ``--reconciler-concurrency``), so docs, env and flags
cannot drift apart. The connection rows are the client's own (:mod:`colonies.config`): the
runtime reads ``COLONIES_SERVER_HOST`` or ``COLONIES_TLS`` exactly as every client does.
"""

from __future__ import annotations

import dataclasses
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from colonies.config import (
    CONNECTION_SETTINGS,
    ClientConfig,
    ConfigError,
    EnvSetting,
    parse_bool,
    parse_key,
    parse_optional,
)
from colonies.crypto import PrivateKey
from colonies.runtime.errors import ConfigurationError

__all__ = ["ENV_SETTINGS", "ConnectionSettings", "EnvSetting", "Settings"]

LogFormat = Literal["console", "json"]
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


#: The runtime's connection is a client configuration, parsed by the same rows.
ConnectionSettings = ClientConfig


@dataclass(frozen=True)
class IdentitySettings:
    """Who the runtime is. With ``colony_prvkey`` it registers and approves its own executor
    with a fresh key under ``executor_name`` (``prvkey`` is then not used: it is usually a
    member's key, and runtimes sharing one executor key clash); without it ``prvkey`` must
    belong to an executor that is already approved."""

    prvkey: PrivateKey | None = None
    colony_prvkey: PrivateKey | None = None
    executor_name: str | None = None
    executor_type: str | None = None
    location: str | None = None

    def resolved_executor_name(self, executor_type: str) -> str:
        """Stable across restarts: the host name is the pod name in Kubernetes."""
        return self.executor_name or f"{executor_type}-{socket.gethostname()}"


@dataclass(frozen=True)
class WorkerSettings:
    """How work is taken: ``concurrency`` workers long-poll assign for ``assign_timeout``
    seconds; a keep-alive assign runs when no worker assigned for ``heartbeat_interval``;
    on SIGTERM in-flight work gets ``grace_period`` seconds. A process that waited
    ``catch_up_after`` seconds in the server's queue starts a catch-up (0 turns it off;
    see :mod:`colonies.runtime.catch_up`). Replicas re-read their membership every
    ``shard_refresh`` seconds (see :mod:`colonies.runtime.sharding`; a replica joining
    others holds its status writes that long, :mod:`colonies.runtime.writers`). A targeted trigger
    is reconciled ``debounce`` seconds after its change, so later changes to the same
    blueprint join it, at most ``debounce_max`` after the first (see
    :mod:`colonies.runtime.debounce`)."""

    concurrency: int = 4
    assign_timeout: int = 10
    heartbeat_interval: float = 60.0
    grace_period: float = 30.0
    reconcile_timeout: float | None = None
    reconnect_max_delay: float = 10.0
    catch_up_after: float = 0.25
    shard_refresh: float = 15.0
    debounce: float = 0.1
    debounce_max: float = 1.0


@dataclass(frozen=True)
class HttpSettings:
    """The health and metrics server (``/healthz``, ``/readyz``, ``/metrics``); port 0 picks a
    free port (the default: two runtimes on one machine never collide; the chosen URL is
    logged). ``dashboard`` adds the read-only blueprint dashboard under ``/dashboard/``."""

    host: str = "127.0.0.1"
    port: int = 0
    dashboard: bool = False


@dataclass(frozen=True)
class LogSettings:
    """Log level name and format: ``console`` for people, ``json`` for log collectors."""

    level: str = "INFO"
    format: LogFormat = "console"


@dataclass(frozen=True)
class Settings:
    """All runtime settings. Build with :meth:`from_env`, adjust with :meth:`with_values`."""

    connection: ConnectionSettings = field(default_factory=ConnectionSettings)
    identity: IdentitySettings = field(default_factory=IdentitySettings)
    worker: WorkerSettings = field(default_factory=WorkerSettings)
    http: HttpSettings = field(default_factory=HttpSettings)
    log: LogSettings = field(default_factory=LogSettings)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Settings from env variables (``os.environ`` by default); unset ones keep defaults."""
        values = os.environ if environ is None else environ
        return cls().with_values({s.env: values[s.env] for s in ENV_SETTINGS if s.env in values})

    def with_values(self, values: Mapping[str, str]) -> Settings:
        """A copy with settings replaced by text values keyed by env variable name.
        Errors name the variable."""
        by_env = {s.env: s for s in ENV_SETTINGS}
        parsed: dict[EnvSetting, Any] = {}
        for env, text in values.items():
            setting = by_env.get(env)
            if setting is None:
                raise ConfigurationError(f"unknown setting {env}")
            try:
                parsed[setting] = setting.convert(text)
            except ConfigError as error:
                raise ConfigurationError(str(error)) from None
        return self.with_parsed(parsed)

    def with_parsed(self, values: Mapping[EnvSetting, Any]) -> Settings:
        """A copy with settings replaced by values already parsed (typed CLI flags)."""
        sections: dict[str, dict[str, Any]] = {}
        for setting, value in values.items():
            sections.setdefault(setting.section, {})[setting.name] = value
        changed = {
            name: dataclasses.replace(getattr(self, name), **fields)
            for name, fields in sections.items()
        }
        settings = dataclasses.replace(self, **changed)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Reject values the runtime cannot work with, naming the setting."""
        for setting in ENV_SETTINGS:
            value = getattr(getattr(self, setting.section), setting.name)
            try:
                setting.check(value)
            except ValueError as error:
                raise ConfigurationError(f"{setting.env} {error}") from None
        if self.worker.debounce_max < self.worker.debounce:
            raise ConfigurationError(
                "COLONIES_RECONCILER_DEBOUNCE_MAX must be at least COLONIES_RECONCILER_DEBOUNCE"
            )


def _optional_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _log_level(text: str) -> str:
    level = text.strip().upper()
    if level not in _LOG_LEVELS:
        raise ValueError(f"expected one of {', '.join(_LOG_LEVELS)}")
    return level


def _log_format(text: str) -> LogFormat:
    lowered = text.strip().lower()
    if lowered not in ("console", "json"):
        raise ValueError("expected console or json")
    return cast(LogFormat, lowered)


ENV_SETTINGS: tuple[EnvSetting, ...] = (
    *CONNECTION_SETTINGS,
    EnvSetting(
        "COLONIES_PRVKEY", "identity", "prvkey", parse_key,
        "key of a pre-registered executor (unused with COLONIES_COLONY_PRVKEY)", secret=True,
        metavar="KEY",
    ),
    EnvSetting(
        "COLONIES_COLONY_PRVKEY", "identity", "colony_prvkey", parse_key,
        "colony owner key: register the definition and the executor", secret=True,
        metavar="KEY",
    ),
    EnvSetting(
        "COLONIES_EXECUTOR_NAME", "identity", "executor_name", parse_optional,
        "stable executor name (the pod name); default <executor type>-<host name>",
        metavar="NAME",
    ),
    EnvSetting(
        "COLONIES_EXECUTOR_TYPE", "identity", "executor_type", parse_optional,
        "executor type; default the reconciler's", metavar="TYPE",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_LOCATION", "identity", "location", parse_optional,
        "serve only blueprints at this location; default the reconciler's", metavar="LOCATION",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_CONCURRENCY", "worker", "concurrency", int,
        "concurrent reconciles", metavar="N", minimum=1,
    ),
    EnvSetting(
        "COLONIES_RECONCILER_ASSIGN_TIMEOUT", "worker", "assign_timeout", int,
        "long-poll seconds of each assign call", metavar="SECONDS", minimum=1,
    ),
    EnvSetting(
        "COLONIES_RECONCILER_HEARTBEAT_INTERVAL", "worker", "heartbeat_interval", float,
        "keep-alive assign after this many seconds without one (server drops executors after 600)",
        metavar="SECONDS", minimum=0.001,
    ),
    EnvSetting(
        "COLONIES_RECONCILER_GRACE_PERIOD", "worker", "grace_period", float,
        "seconds to finish in-flight work on SIGTERM", metavar="SECONDS", minimum=0,
    ),
    EnvSetting(
        "COLONIES_RECONCILER_RECONCILE_TIMEOUT", "worker", "reconcile_timeout", _optional_float,
        "seconds per observe+apply attempt; default the reconciler's", metavar="SECONDS",
        minimum=0.001,
    ),
    EnvSetting(
        "COLONIES_RECONCILER_RECONNECT_MAX_DELAY", "worker", "reconnect_max_delay", float,
        "longest wait between reconnect attempts", metavar="SECONDS", minimum=0,
    ),
    EnvSetting(
        "COLONIES_RECONCILER_CATCH_UP_AFTER", "worker", "catch_up_after", float,
        "queue wait in seconds that starts a catch-up of every changed blueprint (0: off)",
        metavar="SECONDS", minimum=0,
    ),
    EnvSetting(
        "COLONIES_RECONCILER_DEBOUNCE", "worker", "debounce", float,
        "seconds after a spec change its reconcile starts; later changes join it (0: off)",
        metavar="SECONDS", minimum=0,
    ),
    EnvSetting(
        "COLONIES_RECONCILER_DEBOUNCE_MAX", "worker", "debounce_max", float,
        "longest debounce wait after a burst's first change",
        metavar="SECONDS", minimum=0,
    ),
    EnvSetting(
        "COLONIES_RECONCILER_SHARD_REFRESH", "worker", "shard_refresh", float,
        "seconds between replica membership reads (and, with replicas, shard-entry lists)",
        metavar="SECONDS", minimum=0.001,
    ),
    EnvSetting(
        "COLONIES_RECONCILER_HTTP_HOST", "http", "host", str,
        "health/metrics listen address", metavar="ADDRESS",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_HTTP_PORT", "http", "port", int,
        "health/metrics port; 0 (the default) picks a free one and logs its URL",
        metavar="PORT", minimum=0, maximum=65535,
    ),
    EnvSetting(
        "COLONIES_RECONCILER_DASHBOARD", "http", "dashboard", parse_bool,
        "serve the read-only blueprint dashboard under /dashboard/",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_LOG_LEVEL", "log", "level", _log_level, "log level",
        metavar="LEVEL",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_LOG_FORMAT", "log", "format", _log_format, "console or json",
        metavar="FORMAT",
    ),
)  # fmt: skip
