"""Every runtime setting, in one frozen dataclass tree, from env variables and CLI flags.

One table (:data:`ENV_SETTINGS`) maps each setting to its env variable; the CLI derives a
flag of the same name from it (``COLONIES_RECONCILER_CONCURRENCY`` ->
``--reconciler-concurrency``), so docs, env and flags cannot drift apart. Values are parsed
here, once, with errors that name the variable.
"""

from __future__ import annotations

import dataclasses
import os
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from colonies.crypto import InvalidKeyError, PrivateKey
from colonies.runtime.errors import ConfigurationError

LogFormat = Literal["console", "json"]


@dataclass(frozen=True)
class ConnectionSettings:
    """Where the ColonyOS server is and which colony to serve."""

    host: str = "localhost"
    port: int = 50080
    tls: bool = False
    tls_ca: str | None = None
    insecure: bool = False
    colony_name: str = ""

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}"


@dataclass(frozen=True)
class IdentitySettings:
    """Who the runtime is. With ``colony_prvkey`` it registers and approves its own executor
    (``prvkey`` or a fresh key, under ``executor_name``); without it ``prvkey`` must belong
    to an executor that is already approved."""

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
    see :mod:`colonies.runtime.catch_up`). A targeted trigger waits ``debounce`` seconds for
    more changes to the same blueprint, at most ``debounce_max`` (see
    :mod:`colonies.runtime.debounce`)."""

    concurrency: int = 4
    assign_timeout: int = 10
    heartbeat_interval: float = 60.0
    grace_period: float = 30.0
    reconcile_timeout: float | None = None
    reconnect_max_delay: float = 10.0
    catch_up_after: float = 0.5
    debounce: float = 0.0
    debounce_max: float = 1.0


@dataclass(frozen=True)
class HttpSettings:
    """The health and metrics server (``/healthz``, ``/readyz``, ``/metrics``); port 0 picks a
    free port. ``dashboard`` adds the read-only blueprint dashboard under ``/dashboard/``."""

    host: str = "127.0.0.1"
    port: int = 8080
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
        """A copy with settings replaced by text values keyed by env variable name."""
        sections: dict[str, dict[str, Any]] = {}
        by_env = {s.env: s for s in ENV_SETTINGS}
        for env, text in values.items():
            setting = by_env.get(env)
            if setting is None:
                raise ConfigurationError(f"unknown setting {env}")
            sections.setdefault(setting.section, {})[setting.name] = setting.convert(text)
        changed = {
            name: dataclasses.replace(getattr(self, name), **fields)
            for name, fields in sections.items()
        }
        settings = dataclasses.replace(self, **changed)
        settings.validate()
        return settings

    def validate(self) -> None:
        """Reject values the runtime cannot work with, naming the setting."""
        worker = self.worker
        if worker.concurrency < 1:
            raise ConfigurationError("COLONIES_RECONCILER_CONCURRENCY must be at least 1")
        if worker.assign_timeout <= 0:
            raise ConfigurationError("COLONIES_RECONCILER_ASSIGN_TIMEOUT must be positive")
        if worker.heartbeat_interval <= 0:
            raise ConfigurationError("COLONIES_RECONCILER_HEARTBEAT_INTERVAL must be positive")
        if worker.grace_period < 0:
            raise ConfigurationError("COLONIES_RECONCILER_GRACE_PERIOD must not be negative")
        if worker.catch_up_after < 0:
            raise ConfigurationError("COLONIES_RECONCILER_CATCH_UP_AFTER must not be negative")
        if worker.debounce < 0 or worker.debounce_max < worker.debounce:
            raise ConfigurationError(
                "COLONIES_RECONCILER_DEBOUNCE must be 0 or more, and at most "
                "COLONIES_RECONCILER_DEBOUNCE_MAX"
            )
        if not 0 <= self.http.port <= 65535:
            raise ConfigurationError("COLONIES_RECONCILER_HTTP_PORT must be 0..65535")
        if self.log.format not in ("console", "json"):
            raise ConfigurationError("COLONIES_RECONCILER_LOG_FORMAT must be console or json")


def _parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("", "0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _parse_key(text: str) -> PrivateKey | None:
    if not text.strip():
        return None
    try:
        return PrivateKey(text.strip())
    except InvalidKeyError as error:
        raise ValueError("not a valid private key (64 hex characters)") from error


def _optional(text: str) -> str | None:
    return text.strip() or None


def _optional_float(text: str) -> float | None:
    return float(text) if text.strip() else None


def _log_format(text: str) -> LogFormat:
    lowered = text.strip().lower()
    if lowered not in ("console", "json"):
        raise ValueError("expected console or json")
    return cast(LogFormat, lowered)


@dataclass(frozen=True)
class EnvSetting:
    """One setting: its env variable, where it lives in :class:`Settings`, how to parse it."""

    env: str
    section: str
    name: str
    parse: Callable[[str], Any]
    help: str
    secret: bool = False

    @property
    def flag(self) -> str:
        """The CLI flag of the same name: ``COLONIES_TLS_CA`` -> ``--tls-ca``."""
        return "--" + self.env.removeprefix("COLONIES_").lower().replace("_", "-")

    def convert(self, text: str) -> Any:
        try:
            return self.parse(text)
        except ValueError as error:
            shown = "<hidden>" if self.secret else repr(text)
            raise ConfigurationError(f"{self.env}={shown}: {error}") from None


ENV_SETTINGS: tuple[EnvSetting, ...] = (
    EnvSetting("COLONIES_SERVER_HOST", "connection", "host", str, "ColonyOS server host"),
    EnvSetting("COLONIES_SERVER_PORT", "connection", "port", int, "ColonyOS server port"),
    EnvSetting("COLONIES_TLS", "connection", "tls", _parse_bool, "use https"),
    EnvSetting("COLONIES_TLS_CA", "connection", "tls_ca", _optional, "CA bundle file for TLS"),
    EnvSetting("COLONIES_INSECURE", "connection", "insecure", _parse_bool, "skip TLS verification"),
    EnvSetting("COLONIES_COLONY_NAME", "connection", "colony_name", str, "colony to serve"),
    EnvSetting("COLONIES_PRVKEY", "identity", "prvkey", _parse_key, "executor key", secret=True),
    EnvSetting(
        "COLONIES_COLONY_PRVKEY",
        "identity",
        "colony_prvkey",
        _parse_key,
        "colony owner key: register the definition and the executor",
        secret=True,
    ),
    EnvSetting(
        "COLONIES_EXECUTOR_NAME",
        "identity",
        "executor_name",
        _optional,
        "stable executor name (the pod name); default <executor type>-<host name>",
    ),
    EnvSetting(
        "COLONIES_EXECUTOR_TYPE",
        "identity",
        "executor_type",
        _optional,
        "executor type; default the reconciler's",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_LOCATION",
        "identity",
        "location",
        _optional,
        "serve only blueprints at this location; default the reconciler's",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_CONCURRENCY", "worker", "concurrency", int, "concurrent reconciles"
    ),
    EnvSetting(
        "COLONIES_RECONCILER_ASSIGN_TIMEOUT",
        "worker",
        "assign_timeout",
        int,
        "long-poll seconds of each assign call",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_HEARTBEAT_INTERVAL",
        "worker",
        "heartbeat_interval",
        float,
        "keep-alive assign after this many seconds without one (server drops executors after 600)",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_GRACE_PERIOD",
        "worker",
        "grace_period",
        float,
        "seconds to finish in-flight work on SIGTERM",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_RECONCILE_TIMEOUT",
        "worker",
        "reconcile_timeout",
        _optional_float,
        "seconds per observe+apply attempt; default the reconciler's",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_RECONNECT_MAX_DELAY",
        "worker",
        "reconnect_max_delay",
        float,
        "longest wait between reconnect attempts",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_CATCH_UP_AFTER",
        "worker",
        "catch_up_after",
        float,
        "queue wait in seconds that starts a catch-up of every changed blueprint (0: off)",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_DEBOUNCE",
        "worker",
        "debounce",
        float,
        "seconds a spec change waits for more changes to the same blueprint (0: off)",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_DEBOUNCE_MAX",
        "worker",
        "debounce_max",
        float,
        "longest debounce wait after a burst's first change",
    ),
    EnvSetting(
        "COLONIES_RECONCILER_HTTP_HOST", "http", "host", str, "health/metrics listen address"
    ),
    EnvSetting(
        "COLONIES_RECONCILER_HTTP_PORT", "http", "port", int, "health/metrics port (0: free port)"
    ),
    EnvSetting(
        "COLONIES_RECONCILER_DASHBOARD",
        "http",
        "dashboard",
        _parse_bool,
        "serve the read-only blueprint dashboard under /dashboard/",
    ),
    EnvSetting("COLONIES_RECONCILER_LOG_LEVEL", "log", "level", str.upper, "log level"),
    EnvSetting("COLONIES_RECONCILER_LOG_FORMAT", "log", "format", _log_format, "console or json"),
)
