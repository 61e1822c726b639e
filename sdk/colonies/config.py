"""Connection settings for a ColonyOS server, readable from the official CLI variables.

The variable names are the ones the Go CLI and executors use (``COLONIES_SERVER_HOST``,
``COLONIES_SERVER_PORT``, ``COLONIES_TLS``, ``COLONIES_PRVKEY`` ...), so an environment set
up for the ``colonies`` command works here unchanged. Keys are held as
:class:`~colonies.crypto.PrivateKey`, whose ``repr`` never shows the secret.

This module is the one parser of those variables: :class:`EnvSetting` rows say which
variable fills which field, how its text is parsed, and which command-line flag sets it.
The client (:data:`CLIENT_SETTINGS`), the reconciler runtime (``runtime.settings``) and
every ``colonies-sdk`` command read the same rows, so a variable means the same everywhere.
"""

from __future__ import annotations

import math
import os
import ssl
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from colonies.crypto import InvalidKeyError, PrivateKey

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = ["CLIENT_SETTINGS", "ClientConfig", "ConfigError", "EnvSetting"]

DEFAULT_HOST = "localhost"
DEFAULT_PORT = 50080
DEFAULT_TIMEOUT = 30.0
DEFAULT_RETRIES = 2
_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off", ""})

T = TypeVar("T", bound="DataclassInstance")


class ConfigError(ValueError):
    """A setting holds a value that cannot be used. Names the setting; never echoes keys."""


# -- parsers: text -> value, ValueError with a short reason (the caller names the setting) --


def parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("expected true or false")


def parse_port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise ValueError("expected a port number") from None
    if not 0 < port < 65536:
        raise ValueError("expected a port number in 1..65535")
    return port


def parse_key(text: str) -> PrivateKey | None:
    """Empty means unset; the reason never contains the value."""
    if not text.strip():
        return None
    try:
        return PrivateKey(text.strip())
    except InvalidKeyError as error:
        raise ValueError(f"not a valid private key ({error})") from None


def parse_optional(text: str) -> str | None:
    return text.strip() or None


def parse_path(text: str) -> Path | None:
    return Path(text.strip()) if text.strip() else None


def _host(text: str) -> str:
    return text.strip() or DEFAULT_HOST


@dataclass(frozen=True)
class EnvSetting:
    """One setting: its env variable, the field it fills, how its text is parsed, its flag.

    ``section`` names the settings object that holds ``name`` (``connection`` is a
    :class:`ClientConfig`). ``flag`` defaults to the variable's name
    (``COLONIES_RECONCILER_CONCURRENCY`` -> ``--reconciler-concurrency``); ``metavar`` is
    what ``--help`` shows for the value. Boolean settings (``parse=parse_bool``) become
    ``--x/--no-x`` switches. ``minimum``/``maximum`` bound numbers from env and flag alike.
    """

    env: str
    section: str
    name: str
    parse: Callable[[str], Any]
    help: str
    secret: bool = False
    flag_name: str | None = None
    metavar: str = "TEXT"
    minimum: float | None = None
    maximum: float | None = None

    @property
    def flag(self) -> str:
        return self.flag_name or "--" + self.env.removeprefix("COLONIES_").lower().replace("_", "-")

    @property
    def is_switch(self) -> bool:
        return self.parse is parse_bool

    def parse_value(self, text: str) -> Any:
        """The parsed value; ValueError with a short reason when it cannot be used."""
        value = self.parse(text)
        self.check(value)
        return value

    def check(self, value: Any) -> None:
        """Apply the bounds to a value parsed by this row or by a typed flag."""
        if value is None or isinstance(value, bool):
            return
        if isinstance(value, float) and math.isnan(value):  # compares False with any bound
            raise ValueError("expected a number, not nan")
        if self.minimum is not None and value < self.minimum:
            raise ValueError(f"must be at least {self.minimum:g}")
        if self.maximum is not None and value > self.maximum:
            raise ValueError(f"must be at most {self.maximum:g}")

    def shown(self, text: str) -> str:
        """``text`` as an error message may quote it: ``<hidden>`` for a secret."""
        return "<hidden>" if self.secret else repr(text)

    def convert(self, text: str) -> Any:
        """Parse an env value; errors name the variable and hide secrets."""
        try:
            return self.parse_value(text)
        except ValueError as error:
            raise ConfigError(f"{self.env}={self.shown(text)}: {error}") from None


def apply_settings(
    target: T, rows: Iterable[EnvSetting], values: Mapping[str, str], section: str
) -> T:
    """``target`` (a dataclass) with the fields of ``section`` replaced by parsed values."""
    changes = {
        row.name: row.convert(values[row.env])
        for row in rows
        if row.section == section and row.env in values
    }
    return replace(target, **changes) if changes else target


def _row(env: str, name: str, parse: Callable[[str], Any], help: str, **extra: Any) -> EnvSetting:
    return EnvSetting(env, "connection", name, parse, help, **extra)


SERVER_HOST = _row(
    "COLONIES_SERVER_HOST", "host", _host, "ColonyOS server host", flag_name="--server",
    metavar="HOST",
)  # fmt: skip
SERVER_PORT = _row(
    "COLONIES_SERVER_PORT", "port", parse_port, "ColonyOS server port", flag_name="--port",
    metavar="PORT",
)  # fmt: skip
TLS = _row("COLONIES_TLS", "tls", parse_bool, "use https and wss (TLS) to reach the server")
TLS_CA = _row(
    "COLONIES_TLS_CA", "ca_bundle", parse_path, "CA bundle that signed the server's certificate",
    flag_name="--ca", metavar="FILE",
)  # fmt: skip
INSECURE = _row(
    "COLONIES_INSECURE", "insecure", parse_bool, "with TLS: do not verify the certificate"
)
COLONY_NAME = _row(
    "COLONIES_COLONY_NAME", "colony_name", parse_optional, "colony to work in",
    flag_name="--colony", metavar="COLONY",
)  # fmt: skip

#: The connection rows: every command takes these as flags, with the same meaning.
CONNECTION_SETTINGS: tuple[EnvSetting, ...] = (
    SERVER_HOST,
    SERVER_PORT,
    COLONY_NAME,
    TLS,
    INSECURE,
    TLS_CA,
)

#: Everything :meth:`ClientConfig.from_env` reads: the connection rows and the keys.
CLIENT_SETTINGS: tuple[EnvSetting, ...] = (
    *CONNECTION_SETTINGS,
    _row("COLONIES_PRVKEY", "key", parse_key, "default signing key", secret=True),
    _row("COLONIES_COLONY_PRVKEY", "colony_key", parse_key, "colony owner key", secret=True),
    _row("COLONIES_SERVER_PRVKEY", "server_key", parse_key, "server owner key", secret=True),
    _row("COLONIES_EXECUTOR_PRVKEY", "executor_key", parse_key, "executor key", secret=True),
)


@dataclass(frozen=True, slots=True)
class ClientConfig:
    """Where the server is, how to reach it safely, and which keys to sign with.

    TLS certificates are verified by default; ``ca_bundle`` adds a private CA and
    ``insecure=True`` disables verification explicitly (never the default).
    """

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    tls: bool = False
    insecure: bool = False
    ca_bundle: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    retries: int = DEFAULT_RETRIES
    key: PrivateKey | None = None
    colony_name: str | None = None
    colony_key: PrivateKey | None = None
    server_key: PrivateKey | None = None
    executor_key: PrivateKey | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ClientConfig:
        """Read the official ``COLONIES_*`` variables (:data:`CLIENT_SETTINGS`); unset ones
        keep their defaults.

        ``COLONIES_PRVKEY`` is the default signing key; ``COLONIES_TLS_CA`` a CA bundle path;
        ``COLONIES_INSECURE=true`` skips certificate verification when TLS is on.
        """
        env = os.environ if environ is None else environ
        return apply_settings(cls(), CLIENT_SETTINGS, env, "connection")

    def with_key(self, key: PrivateKey | str | None) -> ClientConfig:
        """The same settings with another default signing key."""
        return replace(self, key=None if key is None else PrivateKey.coerce(key))

    @property
    def authority(self) -> str:
        """``host:port`` as it stands in a URL or a ``Host`` header (IPv6 in brackets)."""
        return f"{_url_host(self.host)}:{self.port}"

    @property
    def base_url(self) -> str:
        """``http(s)://host:port`` of the server."""
        return f"{'https' if self.tls else 'http'}://{self.authority}"

    @property
    def pubsub_url(self) -> str:
        """``ws(s)://host:port/pubsub``: the subscription endpoint."""
        return f"{'wss' if self.tls else 'ws'}://{self.authority}/pubsub"

    def ssl_context(self) -> ssl.SSLContext | None:
        """The TLS context shared by HTTP and WebSocket connections (``None`` without TLS)."""
        if not self.tls:
            return None
        context = ssl.create_default_context(cafile=str(self.ca_bundle) if self.ca_bundle else None)
        if self.insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host
